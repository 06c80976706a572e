//! Rules: reading the 271 real rules, selection, OPEN conditions, and every real rule against
//! every payload of the official test vectors, checked against certlogic-js's own outcomes.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use dcc_certlogic::{
    CertificateType, External, Rule, RuleCertificateType, RuleOutcome, RuleSet, RuleType,
    Selection, evaluate, evaluate_rule, evaluate_rules, validate,
};
use serde_json::{Value, json};

const VECTORS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/vectors");
const VALUE_SETS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../dcc-payload/data/valuesets");
const JS_OUTCOMES: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/data/certlogic-js-outcomes.txt"
);

/// 2021-12-01T12:00:00Z and 2023-06-01T12:00:00Z.
const CLOCKS: [i64; 2] = [1_638_360_000, 1_685_620_800];

fn real_rules() -> RuleSet {
    RuleSet::from_json(
        &std::fs::read(Path::new(VECTORS).join("rules/covpass-eu-rules.json")).unwrap(),
    )
    .unwrap()
}

/// The EU value sets the payload crate ships: id -> codes.
fn value_sets() -> BTreeMap<String, Vec<String>> {
    let mut sets = BTreeMap::new();
    for entry in std::fs::read_dir(VALUE_SETS).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|x| x != "json") {
            continue;
        }
        let v: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
        let codes = v["valueSetValues"]
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect();
        sets.insert(v["valueSetId"].as_str().unwrap().to_owned(), codes);
    }
    sets
}

fn json_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            json_files(&path, out);
        } else if path.extension().is_some_and(|x| x == "json") {
            out.push(path);
        }
    }
}

/// Every official test vector with a `JSON` payload: (path relative to dgc-testdata, payload).
fn payloads() -> Vec<(String, Value)> {
    let root = Path::new(VECTORS).join("dgc-testdata");
    let mut files = Vec::new();
    json_files(&root, &mut files);
    let mut out: Vec<(String, Value)> = files
        .iter()
        .filter_map(|p| {
            let v: Value = serde_json::from_slice(&std::fs::read(p).ok()?).ok()?;
            let payload = v.get("JSON").filter(|j| j.is_object())?.clone();
            let rel = p
                .strip_prefix(&root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            Some((rel, payload))
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

fn issuer_of(payload: &Value) -> String {
    ["v", "t", "r"]
        .iter()
        .find_map(|k| payload.get(*k)?.get(0)?.get("co")?.as_str())
        .unwrap_or("")
        .to_owned()
}

fn external(
    clock: i64,
    country: &str,
    issuer: &str,
    value_sets: &BTreeMap<String, Vec<String>>,
) -> External {
    External {
        value_sets: value_sets.clone(),
        issuer_country_code: issuer.to_owned(),
        ..External::new(clock, country)
    }
}

#[test]
fn reads_all_real_rules() {
    let rules = real_rules();
    assert_eq!(rules.len(), 271);
    let count = |f: &dyn Fn(&Rule) -> bool| rules.rules().iter().filter(|r| f(r)).count();
    assert_eq!(count(&|r| r.rule_type == RuleType::Invalidation), 1);
    assert_eq!(
        count(&|r| r.certificate_type == RuleCertificateType::General),
        26
    );
    assert_eq!(
        count(&|r| r.certificate_type == RuleCertificateType::Vaccination),
        122
    );
    assert_eq!(count(&|r| r.region.is_some()), 1);
    assert_eq!(count(&|r| r.engine_version == "2.0.1"), 1);
    assert!(
        rules
            .rules()
            .iter()
            .all(|r| r.valid_from < r.valid_to && !r.descriptions.is_empty())
    );
    // Times with an offset are instants: "2021-12-14T13:00:00+01:00" is 12:00Z.
    let first = &rules.rules()[0];
    assert_eq!(first.identifier, "GR-AT-0000");
    assert_eq!(first.valid_from_text, "2023-01-30T00:00:00Z");
    assert_eq!(first.valid_from, 1_675_036_800);
    // Every real rule is well-formed CertLogic.
    for rule in rules.rules() {
        assert_eq!(validate(&rule.logic), vec![], "{}", rule.identifier);
    }
    // Results and rules serialise with snake_case keys.
    let v = serde_json::to_value(first).unwrap();
    assert_eq!(v["rule_type"], "acceptance");
    assert_eq!(v["certificate_type"], "general");
    assert_eq!(v["valid_to"], 1_906_502_400);
}

#[test]
fn malformed_rules_are_errors_naming_their_index() {
    let good = include_str!("data/rule.json");
    let mut bad: Value = serde_json::from_str(good).unwrap();
    bad.as_object_mut().unwrap().remove("ValidTo");
    let set = format!("[{good}, {good}, {bad}]");
    let e = RuleSet::from_json(set.as_bytes()).unwrap_err();
    assert_eq!(
        (e.code(), e.index(), e.field()),
        ("missing_field", Some(2), Some("ValidTo"))
    );
    assert!(
        e.to_string().starts_with("rule 2: VR-XX-0001: ValidTo"),
        "{e}"
    );

    let cases: [(&str, Value, &str); 9] = [
        ("Type", json!("Admission"), "invalid_field"),
        ("Version", json!("1.0"), "invalid_field"),
        ("Version", json!(1), "invalid_field"),
        ("ValidFrom", json!("2021-07-01"), "invalid_field"),
        ("ValidFrom", json!("2021-07-01T00:00:00"), "invalid_field"),
        ("CertificateType", json!("Antibody"), "invalid_field"),
        ("Logic", Value::Null, "missing_field"),
        ("Description", json!([{"lang": "en"}]), "invalid_field"),
        ("AffectedFields", json!("v.0.dn"), "invalid_field"),
    ];
    for (field, value, code) in cases {
        let mut rule: Value = serde_json::from_str(good).unwrap();
        rule[field] = value;
        let e = Rule::from_json(rule.to_string().as_bytes()).unwrap_err();
        assert_eq!(
            (e.code(), e.field(), e.index()),
            (code, Some(field), None),
            "{field}"
        );
    }
    for (input, code) in [
        ("not json", "invalid_json"),
        ("42", "invalid_json"),
        ("[42]", "not_a_rule"),
        ("[{}]", "missing_field"),
    ] {
        assert_eq!(
            RuleSet::from_json(input.as_bytes()).unwrap_err().code(),
            code,
            "{input}"
        );
    }
    // One rule alone, or an empty array, are fine; so are lower-case enum names and extra keys.
    assert_eq!(RuleSet::from_json(good.as_bytes()).unwrap().len(), 1);
    assert!(RuleSet::from_json(b"[]").unwrap().is_empty());
    let mut lenient: Value = serde_json::from_str(good).unwrap();
    lenient["Type"] = json!("ACCEPTANCE");
    lenient["hash"] = json!("abc");
    assert_eq!(
        Rule::from_json(lenient.to_string().as_bytes())
            .unwrap()
            .rule_type,
        RuleType::Acceptance
    );
}

fn rule(identifier: &str, fields: Value) -> Rule {
    let mut r: Value = serde_json::from_str(include_str!("data/rule.json")).unwrap();
    r["Identifier"] = json!(identifier);
    for (k, v) in fields.as_object().unwrap() {
        r[k] = v.clone();
    }
    Rule::from_value(&r).unwrap()
}

fn selected(set: &RuleSet, selection: &Selection) -> Vec<String> {
    set.select(selection)
        .iter()
        .map(|r| format!("{}@{}", r.identifier, r.version))
        .collect()
}

#[test]
fn selection() {
    let set = RuleSet::new(vec![
        rule(
            "VR-XX-0001",
            json!({"Version": "1.0.0", "ValidFrom": "2021-01-01T00:00:00Z"}),
        ),
        rule(
            "VR-XX-0001",
            json!({"Version": "1.2.0", "ValidFrom": "2021-06-01T00:00:00Z"}),
        ),
        rule(
            "VR-XX-0001",
            json!({"Version": "1.10.0", "ValidFrom": "2022-01-01T00:00:00+01:00"}),
        ),
        rule("GR-XX-0001", json!({"CertificateType": "General"})),
        rule("TR-XX-0001", json!({"CertificateType": "Test"})),
        rule("VR-XX-0002", json!({"ValidTo": "2021-12-01T12:00:00Z"})),
        rule("VR-XX-0003", json!({"Region": "BY"})),
        rule("VR-YY-0001", json!({"Country": "YY"})),
        rule(
            "IR-DE-0001",
            json!({"Type": "Invalidation", "Country": "DE"}),
        ),
        rule("IR-XX-0001", json!({"Type": "Invalidation"})),
    ]);
    let mut sel = Selection {
        arrival_country: "xx".into(),
        region: None,
        issuer_country: "DE".into(),
        certificate_type: CertificateType::Vaccination,
        validation_clock: CLOCKS[0],
    };
    // Newest version in force (1.10.0 is not yet); ValidTo is exclusive; other countries,
    // regions and types are out; invalidation rules come from the issuing country.
    assert_eq!(
        selected(&set, &sel),
        ["GR-XX-0001@1.0.0", "VR-XX-0001@1.2.0", "IR-DE-0001@1.0.0"]
    );
    sel.validation_clock = CLOCKS[0] - 1;
    assert!(selected(&set, &sel).contains(&"VR-XX-0002@1.0.0".to_owned()));
    // In force from the second 2022-01-01T00:00:00+01:00 = 2021-12-31T23:00:00Z on; 1.10.0 > 1.2.0.
    sel.validation_clock = 1_640_991_600 - 1;
    assert!(selected(&set, &sel).contains(&"VR-XX-0001@1.2.0".to_owned()));
    sel.validation_clock = 1_640_991_600;
    assert!(selected(&set, &sel).contains(&"VR-XX-0001@1.10.0".to_owned()));
    // A region's validation takes only that region's rules (trimmed, any case).
    sel.region = Some(" by".into());
    assert_eq!(
        selected(&set, &sel),
        ["VR-XX-0003@1.0.0", "IR-DE-0001@1.0.0"]
    );
    // No issuing country: no invalidation rules. Test certificate: General and Test rules.
    sel.region = None;
    sel.issuer_country = String::new();
    sel.certificate_type = CertificateType::Test;
    assert_eq!(
        selected(&set, &sel),
        ["GR-XX-0001@1.0.0", "TR-XX-0001@1.0.0"]
    );
    // Selection is serde-friendly for the bindings.
    let v = serde_json::to_value(&sel).unwrap();
    assert_eq!(v["certificate_type"], "test");
    assert_eq!(serde_json::from_value::<Selection>(v).unwrap(), sel);
}

#[test]
fn selection_of_real_rules() {
    let rules = real_rules();
    let sel = |country: &str, t, clock| Selection {
        arrival_country: country.into(),
        region: None,
        issuer_country: "DE".into(),
        certificate_type: t,
        validation_clock: clock,
    };
    let mut total = 0;
    for clock in CLOCKS {
        for country in ["AT", "CZ", "FR", "DE", "LT"] {
            for t in [
                CertificateType::Vaccination,
                CertificateType::Test,
                CertificateType::Recovery,
            ] {
                let picked = rules.select(&sel(country, t, clock));
                let mut ids: Vec<&str> = picked.iter().map(|r| r.identifier.as_str()).collect();
                ids.dedup();
                assert_eq!(ids.len(), picked.len(), "one version per identifier");
                for r in &picked {
                    assert!(r.is_valid_at(clock));
                    assert!(r.certificate_type.applies_to(t));
                    assert!(r.country == country || r.rule_type == RuleType::Invalidation);
                }
                total += picked.len();
            }
        }
    }
    // AT's only rule has Region "AT": a validation without a region does not get it.
    assert!(
        rules
            .select(&sel("AT", CertificateType::Test, CLOCKS[1]))
            .iter()
            .all(|r| r.country != "AT")
    );
    let at = Selection {
        region: Some("AT".into()),
        ..sel("AT", CertificateType::Test, CLOCKS[1])
    };
    assert_eq!(rules.select(&at)[0].identifier, "GR-AT-0000");
    // IR-DE-0001 (in force from 2022-05-06) for a German vaccination certificate.
    let ir = |clock| {
        rules
            .select(&sel("CZ", CertificateType::Vaccination, clock))
            .iter()
            .any(|r| r.identifier == "IR-DE-0001")
    };
    assert!(!ir(CLOCKS[0]) && ir(CLOCKS[1]));
    println!("selection of real rules: {total} rules over 2 clocks x 5 countries x 3 types");
}

#[test]
fn open_outcomes() {
    let payload = json!({"ver": "1.3.0", "v": [{"dn": 2, "sd": 2}]});
    let ext = External::new(CLOCKS[0], "XX");
    let outcome = |r: &Rule, p: &Value| {
        let res = evaluate_rule(r, p, &ext);
        assert_eq!(res.open_reason.is_some(), res.outcome == RuleOutcome::Open);
        (res.outcome, res.open_reason.map(|o| o.code))
    };
    let passed = (RuleOutcome::Passed, None);
    let open = |code| (RuleOutcome::Open, Some(code));
    assert_eq!(outcome(&rule("A", json!({})), &payload), passed);
    assert_eq!(
        outcome(&rule("A", json!({"Engine": "JSONLOGIC"})), &payload),
        open("engine_unsupported")
    );
    assert_eq!(
        outcome(&rule("A", json!({"Engine": "certlogic"})), &payload),
        open("engine_unsupported")
    );
    assert_eq!(
        outcome(&rule("A", json!({"EngineVersion": "1.x"})), &payload),
        open("engine_unsupported")
    );
    assert_eq!(
        outcome(&rule("A", json!({"EngineVersion": "2.0.1"})), &payload),
        open("engine_version_too_new")
    );
    assert_eq!(
        outcome(&rule("A", json!({"EngineVersion": "1.3.3"})), &payload),
        open("engine_version_too_new")
    );
    assert_eq!(
        outcome(&rule("A", json!({"EngineVersion": "1.3.2"})), &payload),
        passed
    );
    assert_eq!(
        outcome(&rule("A", json!({"EngineVersion": "0.7.5"})), &payload),
        passed
    );
    assert_eq!(
        outcome(&rule("A", json!({"SchemaVersion": "2.0.0"})), &payload),
        open("schema_version_mismatch")
    );
    assert_eq!(
        outcome(&rule("A", json!({"SchemaVersion": "1.3.1"})), &payload),
        open("schema_version_mismatch")
    );
    assert_eq!(
        outcome(&rule("A", json!({"SchemaVersion": "1.3.0"})), &payload),
        passed
    );
    assert_eq!(
        outcome(&rule("A", json!({"SchemaVersion": "1.0"})), &payload),
        open("schema_version_mismatch")
    );
    let old = json!({"ver": "0.9.9", "v": [{"dn": 2, "sd": 2}]});
    assert_eq!(
        outcome(&rule("A", json!({})), &old),
        open("schema_version_mismatch")
    );
    let unversioned = json!({"v": [{"dn": 2, "sd": 2}]});
    assert_eq!(
        outcome(&rule("A", json!({})), &unversioned),
        open("schema_version_mismatch")
    );
    // Evaluation: false is FAIL; an error, or a non-boolean, is OPEN.
    let partial = json!({"ver": "1.3.0", "v": [{"dn": 1, "sd": 2}]});
    assert_eq!(
        outcome(&rule("A", json!({})), &partial),
        (RuleOutcome::Fail, None)
    );
    let unguarded = json!({"Logic": {">=": [{"var": "payload.v.0.dn"}, 2]}});
    let test_cert = json!({"ver": "1.3.0", "t": [{"tt": "LP6464-4"}]});
    assert_eq!(
        outcome(&rule("A", unguarded), &test_cert),
        open("type_mismatch")
    );
    assert_eq!(
        outcome(&rule("A", json!({"Logic": 1})), &payload),
        open("non_boolean_result")
    );
    assert_eq!(
        outcome(&rule("A", json!({"Logic": {"var": "payload.v"}})), &payload),
        open("non_boolean_result")
    );
    assert_eq!(
        outcome(&rule("A", json!({"Logic": {"nope": [1]}})), &payload),
        open("unknown_operator")
    );
    // The result carries the rule's identity and texts, and serialises with snake_case keys.
    let res = evaluate_rule(&rule("VR-XX-0009", json!({"Engine": "X"})), &payload, &ext);
    let v = serde_json::to_value(&res).unwrap();
    assert_eq!(v["identifier"], "VR-XX-0009");
    assert_eq!(v["outcome"], "open");
    assert_eq!(v["open_reason"]["code"], "engine_unsupported");
    assert_eq!(v["affected_fields"], json!(["v.0.dn", "v.0.sd"]));
    assert_eq!(v["descriptions"][0]["lang"], "en");
}

#[test]
fn external_object() {
    let mut ext = External::new(CLOCKS[0], "AT");
    ext.value_sets
        .insert("covid-19-lab-test-type".into(), vec!["LP6464-4".into()]);
    ext.kid = Some("DEsVUSvpFAE=".into());
    let v = ext.to_json();
    assert_eq!(
        v,
        json!({"validationClock": "2021-12-01T12:00:00Z", "valueSets": {"covid-19-lab-test-type": ["LP6464-4"]},
               "countryCode": "AT", "issuerCountryCode": "", "exp": null, "iat": null,
               "kid": "DEsVUSvpFAE=", "region": ""})
    );
    assert_eq!(serde_json::to_value(&ext).unwrap(), v);
    assert_eq!(
        serde_json::from_value::<External>(json!({"countryCode": "AT"}))
            .unwrap()
            .country_code,
        "AT"
    );
    // Rules read the clock through plusTime: the written form must parse.
    let clock = json!({"plusTime": [{"var": "external.validationClock"}, 0, "day"]});
    assert_eq!(
        evaluate(&clock, &json!({ "external": v })).unwrap(),
        json!("2021-12-01T12:00:00.000Z")
    );
    assert_eq!(External::clock(-1), "1969-12-31T23:59:59Z");
}

/// FNV-1a (32 bit): the fingerprint the certlogic-js outcome file uses.
fn fnv1a(s: &str) -> u32 {
    s.bytes().fold(0x811c_9dc5, |h, b| {
        (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
    })
}

/// Every real rule on every official payload at two validation times. The rule outcomes are
/// counted; the bare evaluations (P true, F false, E error, N other) must be exactly
/// certlogic-js's, per rule and clock (tests/data/certlogic-js-outcomes.txt, written by
/// tests/data/certlogic-js-outcomes.js).
#[test]
fn sweep_real_rules_over_official_payloads() {
    let rules = real_rules();
    let payloads = payloads();
    let value_sets = value_sets();
    assert_eq!(payloads.len(), 554);
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    let mut open_codes: BTreeMap<&str, usize> = BTreeMap::new();
    // (rule index, clock index) -> the string of bare outcomes over all payloads.
    let mut bare: HashMap<(usize, usize), String> = HashMap::new();
    // The external object depends on the rule's country: evaluate rule by rule, country by country.
    let mut by_country: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (ri, rule) in rules.rules().iter().enumerate() {
        by_country
            .entry(rule.country.as_str())
            .or_default()
            .push(ri);
    }
    for (ci, clock) in CLOCKS.iter().enumerate() {
        for (_, payload) in &payloads {
            let issuer = issuer_of(payload);
            for (country, indices) in &by_country {
                let ext = external(*clock, country, &issuer, &value_sets);
                let picked = indices.iter().map(|&ri| &rules.rules()[ri]);
                let results = evaluate_rules(picked, payload, &ext);
                let data = json!({"payload": payload, "external": ext.to_json()});
                for (&ri, res) in indices.iter().zip(&results) {
                    *counts
                        .entry(match res.outcome {
                            RuleOutcome::Passed => "PASSED",
                            RuleOutcome::Fail => "FAIL",
                            RuleOutcome::Open => "OPEN",
                        })
                        .or_default() += 1;
                    if let Some(reason) = &res.open_reason {
                        *open_codes.entry(reason.code).or_default() += 1;
                    }
                    let letter = match evaluate(&rules.rules()[ri].logic, &data) {
                        Ok(Value::Bool(true)) => 'P',
                        Ok(Value::Bool(false)) => 'F',
                        Ok(_) => 'N',
                        Err(_) => 'E',
                    };
                    bare.entry((ri, ci)).or_default().push(letter);
                }
            }
        }
    }
    let total: usize = counts.values().sum();
    println!(
        "sweep: {} rules x {} payloads x 2 clocks = {total}: {counts:?}; OPEN by reason: {open_codes:?}",
        rules.len(),
        payloads.len()
    );
    assert_eq!(total, 271 * 554 * 2);
    assert!(counts["PASSED"] > 0 && counts["FAIL"] > 0 && counts["OPEN"] > 0);
    // The one rule needing CertLogic 2.0.1 is OPEN on every payload, unevaluated.
    assert_eq!(open_codes["engine_version_too_new"], 554 * 2);
    // Real rules are well-formed: they only fail on types (e.g. `payload.v.0.dn` on a test).
    for code in open_codes.keys() {
        assert!(
            [
                "engine_version_too_new",
                "type_mismatch",
                "not_truthy_or_falsy",
                "invalid_date",
                "schema_version_mismatch"
            ]
            .contains(code),
            "{code}"
        );
    }

    // Against certlogic-js.
    let expected = std::fs::read_to_string(JS_OUTCOMES).unwrap();
    let mut checked = 0;
    for line in expected
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
    {
        // "<rule index> <identifier> <version> <clock index> P=.. F=.. E=.. N=.. <fnv1a>"
        let f: Vec<&str> = line.split(' ').collect();
        let (ri, ci): (usize, usize) = (f[0].parse().unwrap(), f[3].parse().unwrap());
        let rule = &rules.rules()[ri];
        assert_eq!(
            (rule.identifier.as_str(), rule.version.as_str()),
            (f[1], f[2])
        );
        let ours = &bare[&(ri, ci)];
        let n = |c| ours.chars().filter(|x| *x == c).count();
        let summary = format!(
            "P={} F={} E={} N={} {:08x}",
            n('P'),
            n('F'),
            n('E'),
            n('N'),
            fnv1a(ours)
        );
        assert_eq!(
            summary,
            f[4..].join(" "),
            "{} {} at clock {ci}",
            rule.identifier,
            rule.version
        );
        checked += 1;
    }
    assert_eq!(checked, 271 * 2);
    println!("sweep: bare evaluations identical to certlogic-js for {checked} rule x clock pairs");
}

#[test]
fn batch_and_set_evaluation_agree() {
    let rules = real_rules();
    let (_, payload) = payloads()
        .into_iter()
        .find(|(p, _)| p.starts_with("DE/"))
        .unwrap();
    let sel = Selection {
        arrival_country: "CZ".into(),
        region: None,
        issuer_country: issuer_of(&payload),
        certificate_type: CertificateType::Vaccination,
        validation_clock: CLOCKS[1],
    };
    let ext = external(CLOCKS[1], "CZ", &sel.issuer_country, &value_sets());
    let picked = rules.select(&sel);
    let one_by_one: Vec<_> = picked
        .iter()
        .map(|r| evaluate_rule(r, &payload, &ext))
        .collect();
    assert_eq!(
        evaluate_rules(picked.iter().copied(), &payload, &ext),
        one_by_one
    );
    assert_eq!(rules.validate(&sel, &payload, &ext), one_by_one);
    assert!(!one_by_one.is_empty());
}
