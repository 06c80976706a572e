//! Revocation hashes (CWA vectors), the EU Bloom filter format (dgc-bloomfilter vectors),
//! gateway batches, and the verifier's revocation check.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code

use base64::Engine;
use dcc::{
    BloomFilter, CheckCode, ErrorKind, HashType, IssueOptions, Issuer, RevocationBatch,
    RevocationList, Verifier, revocation::BatchEntry,
};
use serde_json::Value;

fn vectors(name: &str) -> Value {
    let path = dcc_conformance::crate_dir()
        .join("vectors/revocation")
        .join(name);
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn cwa_vectors_give_their_expected_hashes() {
    let cases = vectors("cwa-revocation-hashes.json");
    let cases = cases.as_array().unwrap();
    assert_eq!(cases.len(), 3);
    for case in cases {
        let decoded = dcc::decode(case["barcodeData"].as_str().unwrap()).unwrap();
        let hashes = decoded.revocation_hashes();
        let name = case["description"].as_str().unwrap();
        assert_eq!(hex::encode(hashes.uci.unwrap()), case["expUCI"], "{name}");
        assert_eq!(
            hex::encode(hashes.country_code_uci.unwrap()),
            case["expCOUNTRYCODEUCI"],
            "{name}"
        );
        assert_eq!(
            hex::encode(hashes.signature),
            case["expSIGNATURE"],
            "{name}"
        );
        let view = hashes.view();
        assert_eq!(view.signature_hex, case["expSIGNATURE"]);
        assert_eq!(view.signature.len(), 24);
    }
}

/// The reference writes its word array as Java's `Arrays.toString`, base64-encoded.
fn reference_words(b64: &str) -> Vec<i32> {
    let text = String::from_utf8(
        base64::engine::general_purpose::STANDARD
            .decode(b64)
            .unwrap(),
    )
    .unwrap();
    text.trim_matches(['[', ']'])
        .split(',')
        .map(|w| w.trim().parse().unwrap())
        .collect()
}

#[test]
fn bloom_filter_vectors_are_bit_identical() {
    let cases = vectors("bloomfilter-filter-test.json");
    let cases = cases.as_array().unwrap();
    assert_eq!(cases.len(), 4);
    for (i, case) in cases.iter().enumerate() {
        let data: Vec<&str> = case["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d.as_str().unwrap())
            .collect();
        let written: Vec<i64> = case["written"]
            .as_array()
            .unwrap()
            .iter()
            .map(|w| w.as_i64().unwrap())
            .collect();
        let p = case["p"].as_f64().unwrap() as f32;
        let mut filter = BloomFilter::new(data.len() as u32, p).unwrap();
        // The vectors' "k" field is an unused input of the generator (the reference derives k
        // from n and p, as we do: 67 for n = 1 at p = 1e-4); the words are what count.
        for (d, w) in data.iter().zip(&written) {
            if *w == 1 {
                filter.add(d.as_bytes());
            }
        }
        assert_eq!(
            filter.words(),
            reference_words(case["filter"].as_str().unwrap()),
            "case {i}"
        );
        let exists: Vec<String> = data
            .iter()
            .map(|d| u8::from(filter.might_contain(d.as_bytes())).to_string())
            .collect();
        assert_eq!(
            format!("[{}]", exists.join(", ")),
            case["exists"],
            "case {i}"
        );
        let back = BloomFilter::from_bytes(&filter.to_bytes()).unwrap();
        assert_eq!(back, filter);
    }
}

fn payload(ci: &str) -> String {
    let mut v: Value =
        serde_json::from_str(include_str!("../../examples/vaccination.json")).unwrap();
    v["v"][0]["ci"] = Value::String(ci.into());
    v.to_string()
}

fn batch(kid: &str, t: HashType, hashes: &[String]) -> String {
    RevocationBatch {
        country: "AT".into(),
        expires: "2031-01-01T00:00:00Z".into(),
        kid: kid.into(),
        hash_type: t,
        entries: hashes
            .iter()
            .map(|h| BatchEntry { hash: h.clone() })
            .collect(),
    }
    .to_json()
}

#[test]
fn revoked_certificates_verify_as_revoked_and_others_stay_valid() {
    let issuer = Issuer::demo();
    let opts = IssueOptions::default();
    let revoked = issuer
        .issue_json(&payload("URN:UVCI:01:AT:REVOKED1#1"), &opts)
        .unwrap();
    let kept = issuer
        .issue_json(&payload("URN:UVCI:01:AT:KEPT0001#2"), &opts)
        .unwrap();
    let now = dcc::now();

    // Without revocation data: "not checked", and valid.
    let plain = Verifier::demo().verify(revoked.hc1(), now).unwrap();
    assert!(plain.is_valid());
    assert_eq!(plain.checks.revocation.status(), dcc::CheckStatus::Skipped);

    for t in HashType::ALL {
        let h = b64(&revoked.revocation_hashes().get(t).unwrap());
        let mut list = RevocationList::new();
        list.add_batches_json(
            &batch(&revoked.kid(), t, std::slice::from_ref(&h)),
            Some("b.json"),
        )
        .unwrap();
        let verifier = Verifier::demo().with_revocation(list);
        let v = verifier.verify(revoked.hc1(), now).unwrap();
        assert!(!v.is_valid(), "{t}");
        let failure = v.checks.revocation.failure().unwrap();
        assert_eq!(failure.code, CheckCode::Revoked);
        assert!(failure.message.contains(t.name()), "{}", failure.message);
        let by = v.revoked_by.clone().unwrap();
        assert_eq!((by.hash_type, by.hash.as_str()), (t, h.as_str()));
        assert_eq!(by.source.country.as_deref(), Some("AT"));
        assert_eq!(v.view().revoked_by, Some(by));
        assert!(matches!(
            v.clone().ensure_valid().unwrap_err().kind(),
            ErrorKind::VerificationFailed
        ));
        let ok = verifier.verify(kept.hc1(), now).unwrap();
        assert!(ok.is_valid(), "{t}");
        assert!(ok.checks.revocation.passed());
    }

    // A batch for another kid does not apply; UNKNOWN_KID applies to every kid.
    let h = b64(&revoked.revocation_hashes().signature);
    let mut other = RevocationList::new();
    other
        .add_batches_json(
            &batch(
                "AAAAAAAAAAA=",
                HashType::Signature,
                std::slice::from_ref(&h),
            ),
            None,
        )
        .unwrap();
    assert!(
        Verifier::demo()
            .with_revocation(other)
            .verify(revoked.hc1(), now)
            .unwrap()
            .is_valid()
    );
    let mut any = RevocationList::new();
    any.add_batches_json(&batch("UNKNOWN_KID", HashType::Signature, &[h]), None)
        .unwrap();
    assert!(
        !Verifier::demo()
            .with_revocation(any)
            .verify(revoked.hc1(), now)
            .unwrap()
            .is_valid()
    );

    // A hash of one type in a batch of another type does not match.
    let uci = b64(&revoked.revocation_hashes().uci.unwrap());
    let mut wrong_type = RevocationList::new();
    wrong_type
        .add_batches_json(&batch(&revoked.kid(), HashType::Signature, &[uci]), None)
        .unwrap();
    assert!(
        Verifier::demo()
            .with_revocation(wrong_type)
            .verify(revoked.hc1(), now)
            .unwrap()
            .is_valid()
    );
}

#[test]
fn bloom_filters_revoke_what_they_hold() {
    let issuer = Issuer::demo();
    let opts = IssueOptions::default();
    let certs: Vec<_> = (0..50)
        .map(|i| {
            issuer
                .issue_json(&payload(&format!("URN:UVCI:01:AT:BLOOM{i:04}#X")), &opts)
                .unwrap()
        })
        .collect();
    let mut filter = BloomFilter::new(10, 1e-12).unwrap();
    for c in &certs[..10] {
        filter.add(&c.revocation_hashes().signature);
    }
    let file = filter.to_bytes();
    let verifier = Verifier::demo()
        .with_revocation_data(&[file.as_slice()])
        .unwrap();
    let now = dcc::now();
    for (i, c) in certs.iter().enumerate() {
        let v = verifier.verify(c.hc1(), now).unwrap();
        assert_eq!(v.is_valid(), i >= 10, "certificate {i}");
        if i < 10 {
            let by = v.revoked_by.unwrap();
            assert_eq!(by.hash_type, HashType::Signature);
            assert_eq!(by.source.kind, "bloom_filter");
        }
    }
    // Restricted to another kid, the filter does not apply.
    let mut list = RevocationList::new();
    list.add_bloom_filter(&file, Some("AAAAAAAAAAA="), &[], None)
        .unwrap();
    assert!(
        Verifier::demo()
            .with_revocation(list)
            .verify(certs[0].hc1(), now)
            .unwrap()
            .is_valid()
    );
}

#[test]
fn bad_revocation_data_gets_typed_errors() {
    let good_hash = "AAAAAAAAAAAAAAAAAAAAAA==";
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("not json", b"{not json".to_vec()),
        ("missing entries", br#"{"country":"AT","expires":"2031-01-01T00:00:00Z","kid":"UNKNOWN_KID","hashType":"UCI"}"#.to_vec()),
        ("empty entries", br#"{"country":"AT","expires":"2031-01-01T00:00:00Z","kid":"UNKNOWN_KID","hashType":"UCI","entries":[]}"#.to_vec()),
        ("short hash", br#"{"country":"AT","expires":"2031-01-01T00:00:00Z","kid":"UNKNOWN_KID","hashType":"UCI","entries":[{"hash":"AAAAAAAAAAAAAAAAAAAA"}]}"#.to_vec()),
        ("long hash", format!(r#"{{"country":"AT","expires":"2031-01-01T00:00:00Z","kid":"UNKNOWN_KID","hashType":"UCI","entries":[{{"hash":"{}"}}]}}"#, b64(&[0u8; 32])).into_bytes()),
        ("not base64", br#"{"country":"AT","expires":"2031-01-01T00:00:00Z","kid":"UNKNOWN_KID","hashType":"UCI","entries":[{"hash":"!!!!"}]}"#.to_vec()),
        ("unknown hash type", format!(r#"{{"country":"AT","expires":"2031-01-01T00:00:00Z","kid":"UNKNOWN_KID","hashType":"MD5","entries":[{{"hash":"{good_hash}"}}]}}"#).into_bytes()),
        ("bad country", format!(r#"{{"country":"Austria","expires":"2031-01-01T00:00:00Z","kid":"UNKNOWN_KID","hashType":"UCI","entries":[{{"hash":"{good_hash}"}}]}}"#).into_bytes()),
        ("bad expires", format!(r#"{{"country":"AT","expires":"soon","kid":"UNKNOWN_KID","hashType":"UCI","entries":[{{"hash":"{good_hash}"}}]}}"#).into_bytes()),
        ("bad kid", format!(r#"{{"country":"AT","expires":"2031-01-01T00:00:00Z","kid":"AAAA","hashType":"UCI","entries":[{{"hash":"{good_hash}"}}]}}"#).into_bytes()),
        ("too many entries", format!(r#"{{"country":"AT","expires":"2031-01-01T00:00:00Z","kid":"UNKNOWN_KID","hashType":"UCI","entries":[{}]}}"#, vec![format!(r#"{{"hash":"{good_hash}"}}"#); 1001].join(",")).into_bytes()),
        ("empty filter file", Vec::new()),
        ("short filter", vec![0, 1, 1, 0, 0]),
    ];
    let mut good = BloomFilter::new(4, 0.01).unwrap();
    good.add(b"x");
    let bytes = good.to_bytes();
    let mut corrupt: Vec<(&str, Vec<u8>)> = Vec::new();
    let mut v = bytes.clone();
    v[1] = 2;
    corrupt.push(("filter version 2", v));
    let mut v = bytes.clone();
    v[2] = 0;
    corrupt.push(("filter k = 0", v));
    let mut v = bytes.clone();
    v[3] = 1;
    corrupt.push(("filter hash function 1", v));
    let mut v = bytes.clone();
    v.pop();
    corrupt.push(("filter truncated", v));
    let mut v = bytes.clone();
    v.push(0);
    corrupt.push(("filter trailing byte", v));
    let mut v = bytes.clone();
    v[16..20].copy_from_slice(&(-1i32).to_be_bytes());
    corrupt.push(("filter negative length", v));
    let mut v = bytes.clone();
    v[16..20].copy_from_slice(&i32::MAX.to_be_bytes());
    corrupt.push(("filter huge length", v));
    for (name, data) in cases.into_iter().chain(corrupt) {
        let mut list = RevocationList::new();
        let err = list.load(&data, None).unwrap_err();
        assert_eq!(
            err.kind(),
            ErrorKind::InvalidRevocationData,
            "{name}: {err}"
        );
        assert!(list.is_empty(), "{name}: nothing is added");
    }
    // One bad batch among good ones: nothing is added.
    let mixed = format!(
        "[{},{}]",
        batch("UNKNOWN_KID", HashType::Uci, &[good_hash.into()]),
        r#"{"country":"AT"}"#
    );
    let mut list = RevocationList::new();
    assert!(list.add_batches_json(&mixed, None).is_err());
    assert!(list.is_empty());
}

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// Random bytes and single-byte mutations of a valid batch and a valid filter never panic:
/// each load is either accepted or refused with `invalid_revocation_data`.
#[test]
fn mutated_revocation_data_never_panics() {
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let batch_json = batch(
        "UNKNOWN_KID",
        HashType::Uci,
        &[
            "AAAAAAAAAAAAAAAAAAAAAA==".to_string(),
            "/////////////////////w==".to_string(),
        ],
    )
    .into_bytes();
    let mut filter = BloomFilter::new(8, 0.001).unwrap();
    filter.add(b"x");
    let filter = filter.to_bytes();
    let mut accepted = 0;
    for round in 0..20_000 {
        let mut data = match round % 3 {
            0 => batch_json.clone(),
            1 => filter.clone(),
            _ => (0..(next() % 64)).map(|_| next() as u8).collect(),
        };
        if !data.is_empty() && round % 3 != 2 {
            for _ in 0..(1 + next() % 3) {
                let at = (next() as usize) % data.len();
                data[at] = next() as u8;
            }
        }
        let mut list = RevocationList::new();
        match list.load(&data, None) {
            Ok(_) => accepted += 1,
            Err(e) => assert_eq!(e.kind(), ErrorKind::InvalidRevocationData, "{e}"),
        }
    }
    // Many mutations hit the filter's words or a hash's letters and stay valid.
    assert!(accepted > 1000, "{accepted}");
}
