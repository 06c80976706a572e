//! zlib inflate with the size cap: never more than the cap, never a panic; compress/inflate
//! round trip.
#![no_main]
use dcc_encoding::{compress, decompress, decompress_with_limit};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(out) = decompress(data) {
        assert!(out.len() <= dcc_encoding::MAX_INFLATED_SIZE);
    }
    // A small cap: the bound holds however the output is cut.
    if let Ok(out) = decompress_with_limit(data, 1000) {
        assert!(out.len() <= 1000);
    }
    if data.len() <= dcc_encoding::MAX_INFLATED_SIZE {
        let packed = compress(data).expect("compress");
        assert_eq!(decompress(&packed).expect("own stream inflates"), data);
    }
});
