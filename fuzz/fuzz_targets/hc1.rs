//! The whole decode path: `HC1:` text -> Base45 -> zlib -> COSE_Sign1 -> CWT -> payload JSON,
//! then verification against the demo DSC and every view a binding serialises.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(decoded) = dcc::decode(text) else {
        return;
    };
    let _ = decoded.view();
    let _ = decoded.revocation_hashes().view();
    let verification = dcc::Verifier::demo().verify(text, 1_700_000_000);
    if let Ok(v) = verification {
        let json = v.to_json();
        // The view is valid JSON and parses back into the view type.
        let back: dcc::VerificationView = serde_json::from_str(&json).expect("view round trip");
        assert_eq!(back.valid, v.is_valid());
    }
});
