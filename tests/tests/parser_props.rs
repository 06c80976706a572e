//! Property tests for the verifier's new parsers (trust lists, rules): any input, and any
//! mutation of a real input, gives a typed result, never a panic, and a mutated signed list
//! is never accepted with content the signature does not cover.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code

use dcc::{TrustList, TrustListFormat, TrustListOptions};
use dcc_conformance::trust;
use proptest::prelude::*;

fn at_2026() -> TrustListOptions {
    TrustListOptions {
        at: dcc::parse_time("2026-01-01T00:00:00Z"),
        ..TrustListOptions::default()
    }
}

/// A signed fixture: content, companion, anchor.
type Signed = (Vec<u8>, Option<Vec<u8>>, Vec<u8>);

/// The signed fixtures.
fn signed() -> Vec<Signed> {
    let dir = dcc_conformance::crate_dir().join("golden/trustlists");
    let read = |n: &str| std::fs::read(dir.join(n)).unwrap();
    let demo = dcc::demo::DEMO_CERT_PEM.as_bytes().to_vec();
    vec![
        (
            read("at-list.cbor"),
            Some(read("at-list.sig")),
            demo.clone(),
        ),
        (read("demo-keys.jwt"), None, demo),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..600),
                                   companion in proptest::option::of(proptest::collection::vec(any::<u8>(), 0..200))) {
        for format in TrustListFormat::ALL {
            let options = TrustListOptions { format: Some(format), ..at_2026() };
            let anchor = format.is_signed().then_some(dcc::demo::DEMO_CERT_PEM.as_bytes());
            let _ = TrustList::load(&bytes, companion.as_deref(), anchor, &options);
        }
        let _ = TrustList::load(&bytes, None, None, &at_2026());
        let _ = dcc::rules::load_rules(&bytes);
    }

    #[test]
    fn mutated_signed_lists_are_refused(which in 0usize..2, part in 0usize..2, pos in any::<prop::sample::Index>(), bit in 0u8..8) {
        let (mut content, mut companion, anchor) = signed().swap_remove(which);
        // Mutate the content, or the Austrian signature file.
        let target = match (part, companion.as_mut()) {
            (1, Some(c)) => c,
            _ => &mut content,
        };
        let i = pos.index(target.len());
        target[i] ^= 1 << bit;
        let r = TrustList::load(&content, companion.as_deref(), Some(&anchor), &at_2026());
        // A flip may land in unsigned JWS header bytes that decode to the same JSON only
        // if base64url padding bits change; anything else must be refused.
        if let Ok(list) = r {
            let original = signed().swap_remove(which);
            let again = TrustList::load(&original.0, original.1.as_deref(), Some(&anchor), &at_2026()).unwrap();
            prop_assert_eq!(list.view(), again.view(), "a mutated list loaded with other content");
        }
    }

    #[test]
    fn gateway_entries_of_any_shape_never_panic(entries in proptest::collection::vec(
        (proptest::option::of("[A-Za-z0-9+/=]{0,16}"), proptest::option::of("[A-Z]{0,3}"),
         proptest::option::of("[A-Za-z0-9+/=]{0,64}"), proptest::option::of("[0-9a-f]{0,64}")), 0..8)) {
        let json: Vec<serde_json::Value> = entries.iter().map(|(kid, country, raw, thumb)| serde_json::json!({
            "kid": kid, "country": country, "rawData": raw, "thumbprint": thumb, "certificateType": "DSC"
        })).collect();
        let text = serde_json::to_vec(&json).unwrap();
        let list = TrustList::load(&text, None, None, &TrustListOptions::default()).unwrap();
        prop_assert_eq!(list.view().entries + list.view().skipped.len(), entries.len());
    }
}

/// The German list with one rule of its JSON reshaped (not re-signed) is refused: the
/// signature covers the exact bytes.
#[test]
fn german_list_reformatted_is_refused() {
    let (list, key) = trust::german();
    let text = String::from_utf8(list).unwrap();
    let reformatted = text.replacen("\"certificates\":", "\"certificates\" :", 1);
    let e = TrustList::load(
        reformatted.as_bytes(),
        None,
        Some(&key),
        &TrustListOptions::default(),
    )
    .unwrap_err();
    assert_eq!(e.kind(), dcc::ErrorKind::TrustListSignatureInvalid);
}
