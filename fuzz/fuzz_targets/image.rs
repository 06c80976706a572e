//! Image reading: PNG and JPEG headers, pixels and the QR detector, with the size limits.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = dcc::read_qr(data) {
        let _ = dcc::decode(&text);
    }
});
