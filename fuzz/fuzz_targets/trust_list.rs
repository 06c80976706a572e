//! Trust lists in every supported format (detected, and forced by the first byte), with and
//! without a companion and an anchor key.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let opts = dcc::TrustListOptions {
        at: Some(1_700_000_000),
        allow_expired: true,
        ..Default::default()
    };
    let _ = dcc::TrustList::load(data, None, None, &opts);
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let formats = dcc::TrustListFormat::ALL;
    let format = formats[usize::from(selector) % formats.len()];
    let forced = dcc::TrustListOptions {
        format: Some(format),
        ..opts
    };
    let anchor = format
        .is_signed()
        .then_some(dcc::demo::DEMO_CERT_PEM.as_bytes());
    if let Ok(list) = dcc::TrustList::load(rest, None, anchor, &forced) {
        let _ = list.to_json();
    }
    // The same bytes as the companion of a list (signature files, active-key lists).
    let _ = dcc::TrustList::load(rest, Some(rest), anchor, &forced);
});
