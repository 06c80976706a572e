//! Payload validation: schema, value sets, plausibility rules, normalisation.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code

use dcc_payload::{Validator, ValueSets, validate::schema};
use serde_json::{Value, json};

/// 2025-01-01T00:00:00Z
const NOW: i64 = 1_735_689_600;

fn vaccination() -> Value {
    json!({"ver":"1.3.0","nam":{"fn":"Musterfrau","fnt":"MUSTERFRAU","gn":"Erika","gnt":"ERIKA"},
      "dob":"1964-08-12","v":[{"tg":"840539006","vp":"1119349007","mp":"EU/1/20/1528",
      "ma":"ORG-100030215","dn":2,"sd":2,"dt":"2021-05-29","co":"DE","is":"Robert Koch-Institut",
      "ci":"URN:UVCI:01:DE:IZ12345A/5CWLU12RNOB9RXSEOP6FG8#W"}]})
}

fn test_cert() -> Value {
    json!({"ver":"1.3.2","nam":{"fnt":"DOE"},"dob":"1990","t":[{"tg":"840539006","tt":"LP217198-3",
      "ma":"1232","sc":"2021-05-01T10:00:00Z","tr":"260415000","co":"AT","is":"MoH","ci":"URN:UVCI:01:AT:X/Y#1"}]})
}

fn recovery() -> Value {
    json!({"ver":"1.3.2","nam":{"gnt":"JANE"},"dob":"1990-05","r":[{"tg":"840539006","fr":"2021-02-20",
      "co":"AT","is":"MoH","df":"2021-03-04","du":"2021-08-19","ci":"URN:UVCI:01:AT:858CC18C#K"}]})
}

fn codes(v: &Value) -> Vec<(String, &'static str)> {
    Validator::default()
        .prepare_for_issuing(v, NOW)
        .issues
        .into_iter()
        .map(|i| (i.path, i.code.code()))
        .collect()
}

#[test]
fn valid_payloads_pass() {
    for v in [vaccination(), test_cert(), recovery()] {
        assert_eq!(codes(&v), vec![], "{v}");
    }
}

#[test]
fn upstream_schema_examples_and_tests() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data");
    let mut n = 0;
    for sub in [
        "schema-examples/vaccination",
        "schema-examples/test",
        "schema-examples/recovery",
        "schema-tests/valid",
    ] {
        for e in std::fs::read_dir(dir.join(sub)).unwrap() {
            let p = e.unwrap().path();
            let v: Value = serde_json::from_str(&std::fs::read_to_string(&p).unwrap()).unwrap();
            // Upstream's valid tests include `+02` and `+0200` offsets, valid only because upstream
            // does not assert formats; issuing does (and refuses them).
            let formats = sub.starts_with("schema-examples");
            assert_eq!(
                schema::issues(&v, "1.3.3", formats),
                vec![],
                "{}",
                p.display()
            );
            n += 1;
        }
    }
    for e in std::fs::read_dir(dir.join("schema-tests/invalid")).unwrap() {
        let p = e.unwrap().path();
        let v: Value = serde_json::from_str(&std::fs::read_to_string(&p).unwrap()).unwrap();
        let issues = dcc_payload::validate::schema_check(&v);
        assert!(!issues.is_empty(), "{} must fail", p.display());
        n += 1;
    }
    assert!(n >= 25, "{n}");
}

#[test]
fn every_problem_is_collected_with_path_and_code() {
    let mut v = vaccination();
    v["dob"] = json!("1850-01-01");
    v["nam"]["fnt"] = json!("Musterfrau");
    v["v"][0]["dn"] = json!(0);
    v["v"][0]["mp"] = json!("EU/9/99/9999");
    v["v"][0]["dt"] = json!("2031-01-01");
    v["v"][0]["co"] = json!("XY");
    v["v"][0]["is"] = json!("x".repeat(81));
    v["v"][0].as_object_mut().unwrap().remove("ci");
    let got = codes(&v);
    for want in [
        ("dob", "pattern_mismatch"),
        ("nam/fnt", "pattern_mismatch"),
        ("v/0/dn", "out_of_range"),
        ("v/0/mp", "unknown_code"),
        ("v/0/dt", "date_in_future"),
        ("v/0/co", "unknown_code"),
        ("v/0/is", "too_long"),
        ("v/0/ci", "required"),
        ("dob", "dob_out_of_range"),
        ("nam/fnt", "invalid_standardised_name"),
    ] {
        assert!(
            got.contains(&(want.0.to_string(), want.1)),
            "missing {want:?} in {got:?}"
        );
    }
}

#[test]
fn plausibility_rules() {
    let cases: Vec<(Value, &str, &str)> = vec![
        (
            {
                let mut v = vaccination();
                v["dob"] = json!("2022-01-01");
                v
            },
            "dob",
            "dob_after_event",
        ),
        (
            {
                let mut v = vaccination();
                v["dob"] = json!("1990-13");
                v
            },
            "dob",
            "invalid_date",
        ),
        (
            {
                let mut v = vaccination();
                v["v"][0]["dt"] = json!("2021-02-30");
                v
            },
            "v/0/dt",
            "invalid_date",
        ),
        (
            {
                let mut v = vaccination();
                v["v"][0]["dt"] = json!("2021-05-29T10:00:00Z");
                v
            },
            "v/0/dt",
            "invalid_date",
        ),
        (
            {
                let mut v = vaccination();
                v["ver"] = json!("1.0.0");
                v
            },
            "ver",
            "ver_not_issuable",
        ),
        (
            {
                let mut v = vaccination();
                v["v"][0]["ci"] = json!("urn:uvci:01:de:abc");
                v
            },
            "v/0/ci",
            "ci_malformed",
        ),
        (
            {
                let mut v = vaccination();
                v["nam"]["gnt"] = json!("<ERIKA");
                v
            },
            "nam/gnt",
            "invalid_standardised_name",
        ),
        (
            {
                let mut v = vaccination();
                v["ver"] = json!("1.3.2");
                v["nam"] = json!({"fn": "李"});
                v
            },
            "nam",
            "missing_standardised_name",
        ),
        (
            {
                let mut v = vaccination();
                v["nam"] = json!({"gnt": "ERIKA"});
                v
            },
            "nam/fnt",
            "required",
        ),
        (
            {
                let mut v = test_cert();
                v["t"][0]["sc"] = json!("2021-05-01 10:00");
                v
            },
            "t/0/sc",
            "invalid_date_time",
        ),
        (
            {
                let mut v = test_cert();
                v["t"][0]["sc"] = json!("2030-05-01T10:00:00Z");
                v
            },
            "t/0/sc",
            "date_in_future",
        ),
        (
            {
                let mut v = test_cert();
                v["t"][0].as_object_mut().unwrap().remove("ma");
                v
            },
            "t/0/ma",
            "rat_device_missing",
        ),
        (
            {
                let mut v = test_cert();
                v["t"][0]["tr"] = json!("positive");
                v
            },
            "t/0/tr",
            "unknown_code",
        ),
        (
            {
                let mut v = test_cert();
                v["t"][0]["tt"] = json!("PCR");
                v
            },
            "t/0/tt",
            "unknown_code",
        ),
        (
            {
                let mut v = recovery();
                v["r"][0]["df"] = json!("2021-01-01");
                v
            },
            "r/0/df",
            "recovery_dates_order",
        ),
        (
            {
                let mut v = recovery();
                v["r"][0]["du"] = json!("2021-03-01");
                v
            },
            "r/0/du",
            "recovery_dates_order",
        ),
        (
            {
                let mut v = recovery();
                v["r"][0]["du"] = json!("2021-12-31");
                v
            },
            "r/0/du",
            "recovery_validity_too_long",
        ),
        (
            {
                let mut v = recovery();
                v["r"][0]["fr"] = json!("2031-01-01");
                v
            },
            "r/0/fr",
            "date_in_future",
        ),
        (
            {
                let mut v = vaccination();
                v["t"] = test_cert()["t"].clone();
                v
            },
            "",
            "multiple_groups",
        ),
        (
            {
                let mut v = vaccination();
                v.as_object_mut().unwrap().remove("v");
                v
            },
            "",
            "missing_group",
        ),
        (
            {
                let mut v = vaccination();
                let e = v["v"][0].clone();
                v["v"].as_array_mut().unwrap().push(e);
                v
            },
            "v",
            "entry_count",
        ),
        (json!([1]), "", "not_an_object"),
    ];
    let n = cases.len();
    for (v, path, code) in cases {
        let got = codes(&v);
        assert!(
            got.contains(&(path.to_string(), code)),
            "expected {path}:{code}, got {got:?} for {v}"
        );
    }
    assert!(n >= 20);
}

#[test]
fn normalisation_fixes_and_reports() {
    let mut v = vaccination();
    v["nam"]["gn"] = json!("Michael ");
    v["nam"].as_object_mut().unwrap().remove("gnt");
    v["nam"]["fn"] = json!("Gößinger");
    v["nam"].as_object_mut().unwrap().remove("fnt");
    v["v"][0]["mp"] = json!("EU/1/20/1528 ");
    v["v"][0]["co"] = json!("de");
    v["v"][0]["dn"] = json!(2.0);
    v["t"] = Value::Null;
    // Decomposed "ö" (o + U+0308) becomes the composed form.
    v["v"][0]["is"] = json!("Ro\u{0308}bert");
    let ready = Validator::default().prepare_for_issuing(&v, NOW);
    assert_eq!(ready.issues, vec![], "{:?}", ready.changes);
    let p = &ready.payload;
    assert_eq!(p["nam"]["gn"], "Michael");
    assert_eq!(p["nam"]["gnt"], "MICHAEL");
    assert_eq!(p["nam"]["fnt"], "GOESSINGER");
    assert_eq!(p["v"][0]["mp"], "EU/1/20/1528");
    assert_eq!(p["v"][0]["co"], "DE");
    assert_eq!(p["v"][0]["dn"], json!(2));
    assert_eq!(p["v"][0]["is"], "R\u{f6}bert");
    assert!(p.get("t").is_none());
    let paths: Vec<&str> = ready.changes.iter().map(|c| c.path.as_str()).collect();
    for want in [
        "nam/gn", "nam/gnt", "nam/fnt", "v/0/mp", "v/0/co", "v/0/dn", "t", "v/0/is",
    ] {
        assert!(paths.contains(&want), "{want} not reported in {paths:?}");
    }
}

#[test]
fn verification_is_lenient_and_never_fatal() {
    let mut v = vaccination();
    v["v"][0]["mp"] = json!("EU/1/20/1528 ");
    v["ver"] = json!("1.0.0");
    v["v"][0]["ci"] = json!("01DE/IZ12345A/5CWLU12RNOB9RXSEOP6FG8#W");
    assert_eq!(Validator::default().findings(&v, NOW), vec![]);
    v["v"][0]["mp"] = json!("unknown");
    let f = Validator::default().findings(&v, NOW);
    assert_eq!(f.len(), 1);
    assert_eq!(
        (f[0].path.as_str(), f[0].code.code()),
        ("v/0/mp", "unknown_code")
    );
}

#[test]
fn value_sets_can_be_replaced_at_run_time() {
    let mut v = vaccination();
    v["v"][0]["mp"] = json!("EU/1/99/9999");
    assert!(codes(&v).contains(&("v/0/mp".to_string(), "unknown_code")));
    let mut sets = ValueSets::embedded();
    assert!(sets.describe().contains("2.12.0"));
    let newer = json!({"valueSetId": "vaccines-covid-19-names", "valueSetDate": "2026-11-01",
        "valueSetValues": {"EU/1/20/1528": {"display": "Comirnaty", "active": true},
                           "EU/1/99/9999": {"display": "New vaccine", "active": true}}});
    assert_eq!(
        sets.replace_from_json(&newer.to_string()).unwrap(),
        "vaccines-covid-19-names"
    );
    assert!(sets.describe().contains("2026-11-01"));
    let issues = Validator::new(sets).prepare_for_issuing(&v, NOW).issues;
    assert_eq!(issues, vec![]);
    assert!(ValueSets::embedded().replace_from_json("{}").is_err());
}

#[test]
fn schema_version_selection() {
    assert_eq!(schema::select("1.3.0"), "1.3.0");
    assert_eq!(schema::select("1.0.4"), "1.0.1");
    assert_eq!(schema::select("1.3.9"), "1.3.3");
    assert_eq!(schema::select("2.0.0"), "1.3.3");
    assert_eq!(schema::select("garbage"), "1.3.3");
}
