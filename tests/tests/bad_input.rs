//! The bad-input table: every malformed input gets its specific error code or failed check,
//! and nothing panics.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code

use dcc_conformance::bad::{self, Ran};

#[test]
fn every_bad_input_gets_its_error() {
    let cases = bad::cases();
    assert!(
        cases.len() >= 25,
        "the table must hold at least 25 cases, has {}",
        cases.len()
    );
    let mut wrong = Vec::new();
    for case in &cases {
        let name = case["name"].as_str().unwrap();
        let expect = &case["expect"];
        let got = match bad::run(case) {
            Ran::Error(code, issues) => {
                // Validation cases also list (path, code) pairs that must all be reported.
                for want in expect["issues"].as_array().into_iter().flatten() {
                    let pair = (
                        want[0].as_str().unwrap().to_string(),
                        want[1].as_str().unwrap().to_string(),
                    );
                    if !issues.contains(&pair) {
                        wrong.push(format!(
                            "{name}: issue {pair:?} not reported (got {issues:?})"
                        ));
                    }
                }
                format!("error {code}")
            }
            Ran::Ok => "success".to_string(),
            Ran::Verified(v) => {
                let which = expect["check"].as_str().unwrap_or("signature");
                let outcome = match which {
                    "signature" => &v.checks.signature,
                    "validity" => &v.checks.validity,
                    "key_usage" => &v.checks.key_usage,
                    "structure" => &v.checks.structure,
                    "payload" => &v.checks.payload,
                    other => panic!("{name}: unknown check {other}"),
                };
                let want_valid = expect["valid"].as_bool().unwrap_or(which == "payload");
                assert!(want_valid || !v.is_valid(), "{name}: must not be valid");
                if let Some(finding) = expect.get("finding") {
                    assert_eq!(
                        v.findings.first().map(|f| f.code.code()),
                        finding.as_str(),
                        "{name}: first finding"
                    );
                }
                match outcome.failure() {
                    Some(f) => format!("{which} {}", f.code),
                    None => format!("{which} passed"),
                }
            }
        };
        let want = match (expect.get("error"), expect.get("check")) {
            (Some(e), _) => format!("error {}", e.as_str().unwrap()),
            (None, Some(c)) => format!(
                "{} {}",
                c.as_str().unwrap(),
                expect["code"].as_str().unwrap()
            ),
            _ => panic!("{name}: no expectation"),
        };
        if got != want {
            wrong.push(format!("{name}: expected {want}, got {got}"));
        }
    }
    println!("bad-input table: {} cases", cases.len());
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn the_table_on_disk_is_current() {
    let on_disk: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dcc_conformance::crate_dir().join("golden/bad-inputs.json"))
            .unwrap(),
    )
    .unwrap();
    assert_eq!(
        on_disk["cases"],
        serde_json::Value::Array(bad::cases()),
        "run regen-golden"
    );
}
