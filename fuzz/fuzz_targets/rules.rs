//! Business rules in the EU gateway format: loading and evaluating every rule on a real
//! certificate's payload.
#![no_main]
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn data() -> &'static serde_json::Value {
    static DATA: OnceLock<serde_json::Value> = OnceLock::new();
    DATA.get_or_init(|| {
        let cert = dcc::Issuer::demo()
            .issue_value(
                &serde_json::from_str(include_str!("../../examples/vaccination.json"))
                    .expect("example"),
                &Default::default(),
            )
            .expect("demo issue");
        serde_json::json!({
            "payload": cert.dcc().to_value(),
            "external": {"validationClock": "2024-01-01T00:00:00Z", "valueSets": {}, "countryCode": "DE"}
        })
    })
}

fuzz_target!(|bytes: &[u8]| {
    let Ok(rules) = dcc::rules::load_rules(bytes) else {
        return;
    };
    for rule in rules.rules() {
        let _ = dcc::rules::evaluate_rule_on(rule, data());
    }
});
