//! COSE_Sign1 + CWT claims + CBOR -> JSON payload conversion.
#![no_main]
use dcc_cose::claims::CwtClaims;
use dcc_cose::sign1::DecodedSign1;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // The bytes as a whole COSE_Sign1 (the facade path), and as bare claims.
    if let Ok(decoded) = dcc::decode_cose(String::new(), data.to_vec()) {
        let _ = decoded.view();
        let _ = dcc::Verifier::demo().verify_decoded(decoded, 1_700_000_000);
    }
    if let Ok(sign1) = DecodedSign1::from_slice(data) {
        let _ = sign1.kid();
        let _ = sign1.algorithm();
        let _ = sign1.verify(&dcc::demo::dsc());
    }
    if let Ok(claims) = CwtClaims::from_slice(data) {
        if let Ok(json) = dcc_payload::cbor_to_json(&claims.hcert) {
            // JSON -> CBOR -> JSON is the identity on what came out of CBOR.
            let cbor = dcc_payload::json_to_cbor(&json).expect("json_to_cbor of converted JSON");
            assert_eq!(dcc_payload::cbor_to_json(&cbor).expect("back"), json);
        }
    }
});
