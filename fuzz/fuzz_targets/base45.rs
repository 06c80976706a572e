//! Base45: decoding never panics, and it is strict (what decodes re-encodes to the same
//! text); any bytes round-trip through encode/decode.
#![no_main]
use dcc_encoding::base45;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(bytes) = base45::decode(text) {
            assert_eq!(base45::encode(&bytes), text, "decoding is not canonical");
        }
    }
    let encoded = base45::encode(data);
    assert_eq!(
        base45::decode(&encoded).expect("own encoding decodes"),
        data
    );
});
