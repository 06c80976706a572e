//! DSCs and keys as operators hand them over: PEM (bundles), DER, base64 DER.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(dsc) = dcc::Dsc::parse(data) {
        let _ = dsc.kid_base64();
        let _ = dsc.public_key().describe();
        let _ = dsc.extended_key_usage_oids();
    }
    let _ = dcc::Verifier::from_certs([data]);
    let _ = dcc::SigningKey::from_pem(data);
});
