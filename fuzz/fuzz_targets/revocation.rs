//! Revocation data: batches (JSON), Bloom filters (binary), and whatever `load` detects; a
//! loaded list then checks a real certificate's hashes.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let mut list = dcc::RevocationList::new();
    let _ = list.load(bytes, Some("fuzz"));
    if let Ok(filter) = dcc::BloomFilter::from_bytes(bytes) {
        // What was read writes back the same way.
        let again = dcc::BloomFilter::from_bytes(&filter.to_bytes()).expect("own bytes");
        assert_eq!(again.to_bytes(), filter.to_bytes());
        let _ = filter.might_contain(b"x");
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        if let Ok(batch) = dcc::RevocationBatch::from_json(text) {
            let _ = batch.to_json();
        }
        let _ = list.add_batches_json(text, None);
    }
    let hashes =
        dcc::RevocationHashes::compute(Some("URN:UVCI:01:DE:X"), Some("DE"), &[1; 64], true);
    let _ = list.check(&hashes, None);
});
