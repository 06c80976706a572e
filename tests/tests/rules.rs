//! Business rules through the facade: the golden reports every language replays, selection
//! and external parameters, and the real rule set against every official payload.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code

use dcc::rules::{RuleOptions, RuleOutcome, load_rules};
use dcc_conformance::rules;
use serde_json::{Value, json};

#[test]
fn rule_results_are_current() {
    let on_disk =
        std::fs::read_to_string(dcc_conformance::crate_dir().join("golden/rule-results.json"))
            .unwrap();
    assert_eq!(
        on_disk,
        rules::views(),
        "run `cargo run -p dcc-conformance --bin regen-golden`"
    );
    let cases: Vec<Value> = serde_json::from_str(&on_disk).unwrap();
    // Every outcome and every kind of OPEN appears, so the bindings replay all of them.
    let all: Vec<&Value> = cases
        .iter()
        .filter_map(|c| c["expect"]["results"].as_array())
        .flatten()
        .collect();
    for outcome in ["passed", "fail", "open"] {
        assert!(all.iter().any(|r| r["outcome"] == outcome), "{outcome}");
    }
    for code in [
        "unknown_operator",
        "engine_version_too_new",
        "schema_version_mismatch",
        "not_truthy_or_falsy",
        "type_mismatch",
    ] {
        assert!(
            all.iter().any(|r| r["open_reason"]["code"] == code),
            "{code}"
        );
    }
    assert!(
        cases
            .iter()
            .any(|c| c["expect"]["error"] == "invalid_argument")
    );
}

#[test]
fn rules_see_the_verifier_external_parameters() {
    let cert = dcc::Issuer::demo()
        .issue_json(
            include_str!("../../examples/vaccination.json"),
            &dcc::IssueOptions::default(),
        )
        .unwrap();
    let v = dcc::Verifier::demo()
        .verify(cert.hc1(), dcc::now())
        .unwrap();
    let rule = |logic: Value| {
        json!([{
            "Identifier": "GR-XX-0001", "Type": "Acceptance", "Country": "XX", "Version": "1.0.0",
            "SchemaVersion": "1.0.0", "Engine": "CERTLOGIC", "EngineVersion": "1.0.0",
            "CertificateType": "General", "Description": [{"lang": "en", "desc": "x"}],
            "ValidFrom": "2021-01-01T00:00:00Z", "ValidTo": "2099-01-01T00:00:00Z",
            "AffectedFields": [], "Logic": logic
        }])
        .to_string()
    };
    let eval = |logic: Value, options: &RuleOptions| {
        let set = load_rules(rule(logic).as_bytes()).unwrap();
        v.evaluate_rules(&set, options).unwrap()
    };
    let xx = RuleOptions::country("xx");
    let kid = v.kid().unwrap();
    for (logic, what) in [
        (
            json!({"===": [{"var": "external.countryCode"}, "XX"]}),
            "countryCode",
        ),
        (
            json!({"===": [{"var": "external.issuerCountryCode"}, "XX"]}),
            "issuerCountryCode",
        ),
        (json!({"===": [{"var": "external.kid"}, kid]}), "kid"),
        (json!({"===": [{"var": "external.region"}, ""]}), "region"),
        (
            json!({"in": ["EU/1/20/1528", {"var": "external.valueSets.vaccines-covid-19-names"}]}),
            "valueSets",
        ),
        (
            json!({"in": ["AT", {"var": "external.valueSets.country-2-codes"}]}),
            "country value set",
        ),
        (
            json!({"before": [{"plusTime": [{"var": "external.iat"}, 0, "day"]}, {"plusTime": [{"var": "external.exp"}, 0, "day"]}]}),
            "iat/exp",
        ),
        (
            json!({"not-after": [{"plusTime": [{"var": "external.validationClock"}, 0, "day"]}, {"plusTime": [{"var": "external.exp"}, 0, "day"]}]}),
            "validationClock",
        ),
    ] {
        let report = eval(logic, &xx);
        assert_eq!(
            report.outcome,
            RuleOutcome::Passed,
            "{what}: {:?}",
            report.results
        );
    }
    // The validation time can differ from the verification time.
    let later = RuleOptions {
        at: Some(dcc::now() + 5 * 365 * 86400),
        ..xx.clone()
    };
    let report = eval(
        json!({"not-after": [{"plusTime": [{"var": "external.validationClock"}, 0, "day"]}, {"plusTime": [{"var": "external.exp"}, 0, "day"]}]}),
        &later,
    );
    assert_eq!(report.outcome, RuleOutcome::Fail);
    // Value-set files in the options replace the verifier's sets of the same id.
    let names =
        json!({"in": ["EU/1/20/1528", {"var": "external.valueSets.vaccines-covid-19-names"}]});
    let newer = json!({"valueSetId": "vaccines-covid-19-names", "valueSetDate": "2030-01-01",
                       "valueSetValues": {"EU/1/99/0001": {"display": "x", "lang": "en", "active": true, "version": "", "system": "x"}}});
    let replaced = RuleOptions {
        value_sets: vec![newer.to_string()],
        ..xx.clone()
    };
    assert_eq!(eval(names.clone(), &replaced).outcome, RuleOutcome::Fail);
    let set = load_rules(rule(names).as_bytes()).unwrap();
    let broken = RuleOptions {
        value_sets: vec!["{".into()],
        ..xx.clone()
    };
    assert_eq!(
        v.evaluate_rules(&set, &broken).unwrap_err().code(),
        "invalid_value_set"
    );
    // Another country selects nothing; a bad country is an error.
    assert_eq!(
        eval(json!(false), &RuleOptions::country("DE"))
            .results
            .len(),
        0
    );
    let set = load_rules(rule(json!(true)).as_bytes()).unwrap();
    assert_eq!(
        v.evaluate_rules(&set, &RuleOptions::country("X1"))
            .unwrap_err()
            .code(),
        "invalid_argument"
    );
    // Malformed rules are typed errors naming the entry.
    let e = load_rules(b"[{\"Identifier\": 1}]").unwrap_err();
    assert_eq!(e.code(), "invalid_rule");
    assert!(e.to_string().contains('0'), "{e}");
    assert_eq!(load_rules(b"not json").unwrap_err().code(), "invalid_rule");
    // Raw CertLogic evaluation errors carry the engine's code.
    let e = dcc::rules::evaluate_certlogic(&json!({"nope": [1]}), &json!({})).unwrap_err();
    assert_eq!(e.code(), "certlogic_failed");
    assert!(e.to_string().contains("unknown_operator"), "{e}");
}

/// Every one of the 271 real rules, for every arrival country they name, against every
/// official payload: no panic, and each certificate gets a report (errors would be OPEN).
#[test]
fn real_rules_against_every_official_vector() {
    let set = load_rules(&rules::real_rules()).unwrap();
    assert_eq!(set.len(), 271);
    let mut countries: Vec<String> = set.rules().iter().map(|r| r.country.clone()).collect();
    countries.sort();
    countries.dedup();
    let vectors = dcc_conformance::all_vectors(&dcc_conformance::dgc_testdata_dir()).unwrap();
    let (mut passed, mut failed, mut open, mut reports) = (0, 0, 0, 0);
    for v in &vectors {
        let Some(hc1) = v.str("PREFIX") else { continue };
        let Ok(verification) = dcc::Verifier::new([]).verify(hc1, dcc::now()) else {
            continue;
        };
        if verification.certificate_type().is_none() {
            continue;
        }
        for country in &countries {
            let options = RuleOptions {
                at: Some(dcc::parse_time("2023-01-15T12:00:00Z").unwrap()),
                ..RuleOptions::country(country.clone())
            };
            let report = verification.evaluate_rules(&set, &options).unwrap();
            passed += report.passed;
            failed += report.failed;
            open += report.open;
            reports += 1;
        }
    }
    println!("{reports} reports: {passed} passed, {failed} failed, {open} open");
    assert!(reports > 5000, "{reports}");
    assert!(passed > 0 && failed > 0);
}
