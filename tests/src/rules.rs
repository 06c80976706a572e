//! Business-rule cases every language replays: the golden certificates of each type,
//! verified with their DSC, evaluated against the real rules of several countries.

#![allow(clippy::expect_used)] // test fixtures: a missing vector file is a broken checkout

use serde_json::{Value, json};

/// `vectors/rules/covpass-eu-rules.json`: 271 real rules.
pub fn real_rules() -> Vec<u8> {
    std::fs::read(crate::crate_dir().join("vectors/rules/covpass-eu-rules.json")).expect("rules")
}

/// 2021-06-02T00:00:00Z: the golden certificates are valid then.
pub const VERIFY_AT: i64 = 1_622_592_000;

/// The cases: certificate type, arrival country, region, validation time.
pub fn cases() -> Vec<Value> {
    let mut cases = Vec::new();
    for kind in ["vaccination", "test", "recovery"] {
        for country in ["CZ", "CY", "FR", "FI", "SK", "LT", "DE", "AT", "IT"] {
            cases.push(json!({"certificate": format!("golden/issued-{kind}-es256.json"), "country": country, "at": "2023-06-01T00:00:00Z"}));
        }
    }
    cases.push(json!({"certificate": "golden/issued-vaccination-es256.json", "country": "AT", "region": "AT", "at": "2023-06-01T00:00:00Z"}));
    cases.push(json!({"certificate": "golden/issued-vaccination-es256.json", "country": "de", "at": "2021-12-01T00:00:00Z"}));
    cases.push(json!({"certificate": "golden/issued-test-es256.json", "country": "XYZ", "at": "2023-06-01T00:00:00Z"}));
    for kind in ["vaccination", "test", "recovery"] {
        cases.push(json!({"certificate": format!("golden/issued-{kind}-es256.json"), "rules": "golden/rules-xx.json", "country": "XX", "at": "2021-06-10T00:00:00Z"}));
    }
    cases.push(json!({"certificate": "golden/issued-vaccination-es256.json", "rules": "golden/rules-xx.json", "country": "XX", "region": "by", "at": "2021-06-10T00:00:00Z"}));
    cases
}

/// Runs one case: the report as JSON, or `{"error": code}`. `rules` is the real rule set,
/// used unless the case names its own file.
pub fn run_case(rules: &dcc::rules::RuleSet, case: &Value) -> Value {
    let own;
    let rules = match case.get("rules").and_then(Value::as_str) {
        Some(path) => {
            own = dcc::rules::load_rules(
                &std::fs::read(crate::crate_dir().join(path)).expect("rules file"),
            )
            .expect("rules");
            &own
        }
        None => rules,
    };
    let file: Value = serde_json::from_slice(
        &std::fs::read(crate::crate_dir().join(case["certificate"].as_str().expect("file")))
            .expect("certificate file"),
    )
    .expect("JSON");
    let verifier = dcc::Verifier::new([crate::golden::es256_dsc()]);
    let verification = verifier
        .verify(file["hc1"].as_str().expect("hc1"), VERIFY_AT)
        .expect("verify");
    assert!(verification.is_valid(), "{:?}", verification.failures());
    let options = dcc::rules::RuleOptions {
        country: case["country"].as_str().expect("country").into(),
        region: case
            .get("region")
            .and_then(Value::as_str)
            .map(str::to_string),
        at: case
            .get("at")
            .and_then(Value::as_str)
            .and_then(dcc::parse_time),
        value_sets: Vec::new(),
    };
    match verification.evaluate_rules(rules, &options) {
        Ok(report) => serde_json::to_value(report).expect("report"),
        Err(e) => json!({"error": e.code()}),
    }
}

/// `golden/rule-results.json`: every case with its expected report.
pub fn views() -> String {
    let rules = dcc::rules::load_rules(&real_rules()).expect("real rules");
    let cases: Vec<Value> = cases()
        .into_iter()
        .map(|mut c| {
            c["expect"] = run_case(&rules, &c);
            c
        })
        .collect();
    serde_json::to_string_pretty(&cases).expect("JSON") + "\n"
}
