//! Payload JSON: schema and quality validation for issuing and for verifying, the typed model,
//! and the model's CBOR round trip.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(value) = serde_json::from_slice::<serde_json::Value>(data) else {
        return;
    };
    let validator = dcc::Validator::default();
    let _ = validator.findings(&value, 1_700_000_000);
    let prepared = validator.prepare_for_issuing(&value, 1_700_000_000);
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = dcc::validate(text, 1_700_000_000, &[] as &[&str]);
    }
    if let Ok(dcc) = dcc::Dcc::from_value(value) {
        if let Ok(cbor) = dcc.to_cbor_value() {
            let json = dcc_payload::cbor_to_json(&cbor).expect("model CBOR converts");
            let again = dcc::Dcc::from_value(json).expect("model JSON reads back");
            assert_eq!(
                again.to_cbor_value().expect("again"),
                cbor,
                "model round trip"
            );
        }
    }
    if prepared.issues.is_empty() {
        // What issuing accepts, the demo issuer signs, and the demo verifier accepts.
        if let Ok(cert) = dcc::Issuer::demo().issue_value(&prepared.payload, &Default::default()) {
            let v = dcc::Verifier::demo()
                .verify(cert.hc1(), dcc::now())
                .expect("own certificate decodes");
            assert!(v.is_valid(), "{:?}", v.failures());
        }
    }
});
