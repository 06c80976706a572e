//! CertLogic evaluation: an expression and its data, both JSON, split at the first NUL byte.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let (expr, data) = match bytes.iter().position(|&b| b == 0) {
        Some(i) => (&bytes[..i], &bytes[i + 1..]),
        None => (bytes, &b"{}"[..]),
    };
    let (Ok(expr), Ok(data)) = (
        serde_json::from_slice::<serde_json::Value>(expr),
        serde_json::from_slice::<serde_json::Value>(data),
    ) else {
        return;
    };
    let _ = dcc_certlogic::evaluate(&expr, &data);
});
