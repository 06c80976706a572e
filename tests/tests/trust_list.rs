//! Trust lists: the real German and Swiss lists, Austrian and Swiss-format lists signed with
//! the demo key, EU gateway JSON, and every official vector's DSC through a gateway list.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code

use dcc::{CheckStatus, ErrorKind, TrustList, TrustListFormat, TrustListOptions, Verifier, demo};
use dcc_conformance::trust;
use serde_json::json;

fn opts(at: &str) -> TrustListOptions {
    TrustListOptions {
        at: Some(dcc::parse_time(at).unwrap()),
        ..TrustListOptions::default()
    }
}

fn vaccination() -> serde_json::Value {
    dcc_conformance::golden::examples().remove(0).1
}

fn err_kind(r: dcc::Result<TrustList>) -> ErrorKind {
    match r {
        Ok(l) => panic!("expected an error, loaded {} entries", l.entries().len()),
        Err(e) => e.kind(),
    }
}

#[test]
fn german_list_loads_with_829_entries_and_a_valid_signature() {
    let (list, key) = trust::german();
    assert_eq!(
        TrustListFormat::detect(&list).unwrap(),
        TrustListFormat::German
    );
    let loaded = TrustList::load(&list, None, Some(&key), &TrustListOptions::default()).unwrap();
    let view = loaded.view();
    assert_eq!(view.format, TrustListFormat::German);
    assert!(view.signature_verified);
    assert_eq!(view.entries + view.skipped.len(), 829, "{:?}", view.skipped);
    assert_eq!(view.entries, 829, "skipped: {:?}", view.skipped);
    assert_eq!(view.certificates, 829);
    assert_eq!(view.countries.len(), 77);
    assert!(
        loaded
            .entries()
            .iter()
            .all(|d| d.source().unwrap().format == "de")
    );
}

#[test]
fn german_list_refuses_a_flipped_byte_anywhere_and_another_anchor() {
    let (list, key) = trust::german();
    let newline = list.iter().position(|b| *b == b'\n').unwrap();
    // Every byte of the signature line, and 400 positions spread over the JSON (each one a
    // full ECDSA check over 1.3 MB, so not all 1.3 million).
    let step = (list.len() - newline) / 400;
    let positions: Vec<usize> = (0..newline)
        .chain((newline + 1..list.len()).step_by(step))
        .chain([list.len() - 2])
        .collect();
    for &pos in &positions {
        let mut bad = list.clone();
        bad[pos] ^= 0x01;
        let kind = err_kind(TrustList::load(
            &bad,
            None,
            Some(&key),
            &TrustListOptions::default(),
        ));
        assert!(
            matches!(
                kind,
                ErrorKind::TrustListSignatureInvalid | ErrorKind::InvalidTrustList
            ),
            "byte {pos}: {kind:?}"
        );
    }
    // A flip inside the JSON is a signature failure, not a parse error.
    let mut bad = list.clone();
    bad[newline + 500] ^= 0x01;
    assert_eq!(
        err_kind(TrustList::load(
            &bad,
            None,
            Some(&key),
            &TrustListOptions::default()
        )),
        ErrorKind::TrustListSignatureInvalid
    );
    // Another anchor: the demo certificate, and the Swiss root.
    let (_, _, ch_root) = trust::swiss();
    for anchor in [demo::DEMO_CERT_PEM.as_bytes(), &ch_root] {
        assert_eq!(
            err_kind(TrustList::load(
                &list,
                None,
                Some(anchor),
                &TrustListOptions::default()
            )),
            ErrorKind::TrustListSignatureInvalid
        );
    }
    // No anchor for a signed list is a usage error; a private key is not an anchor.
    assert_eq!(
        err_kind(TrustList::load(
            &list,
            None,
            None,
            &TrustListOptions::default()
        )),
        ErrorKind::InvalidArgument
    );
    assert_eq!(
        err_kind(TrustList::load(
            &list,
            None,
            Some(demo::DEMO_KEY_PEM.as_bytes()),
            &TrustListOptions::default()
        )),
        ErrorKind::InvalidArgument
    );
}

#[test]
fn swiss_list_chain_and_signature_verify_and_keys_are_bare() {
    let (list, active, root) = trust::swiss();
    assert_eq!(
        TrustListFormat::detect(&list).unwrap(),
        TrustListFormat::Swiss
    );
    let at = opts("2021-07-16T00:00:00Z");
    let loaded = TrustList::load(&list, None, Some(&root), &at).unwrap();
    let view = loaded.view();
    assert!(view.signature_verified);
    assert!(
        view.signed_by
            .as_deref()
            .unwrap()
            .contains("CH01-AppContentCertificate")
    );
    assert_eq!(view.entries + view.skipped.len(), 131);
    assert_eq!(view.bare_keys, view.entries);
    assert!(view.entries >= 125, "{:?}", view.skipped);
    assert!(!view.expired);
    // With the signed active-key list: every listed key is active on that day.
    let with_active = TrustList::load(&list, Some(&active), Some(&root), &at).unwrap();
    assert_eq!(with_active.view().entries, view.entries);
    // The active-key list alone is not a key list.
    assert_eq!(
        err_kind(TrustList::load(&active, None, Some(&root), &at)),
        ErrorKind::InvalidTrustList
    );
    // Today the signing certificate (2021-05-26 .. 2024-05-26) has expired: refused, unless
    // explicitly allowed, which is reported.
    assert_eq!(
        err_kind(TrustList::load(
            &list,
            None,
            Some(&root),
            &TrustListOptions::default()
        )),
        ErrorKind::TrustListExpired
    );
    let allowed = TrustList::load(
        &list,
        None,
        Some(&root),
        &TrustListOptions {
            allow_expired: true,
            ..TrustListOptions::default()
        },
    )
    .unwrap();
    assert!(allowed.view().expired);
    assert!(
        allowed
            .entries()
            .iter()
            .all(|d| d.source().unwrap().list_expired)
    );
    // Another anchor, and a tampered payload.
    let (_, de_key) = trust::german();
    assert_eq!(
        err_kind(TrustList::load(&list, None, Some(&de_key), &at)),
        ErrorKind::TrustListSignatureInvalid
    );
    let text = String::from_utf8(list.clone()).unwrap();
    let mut parts: Vec<String> = text.trim().split('.').map(str::to_string).collect();
    let mut payload = parts[1].clone().into_bytes();
    payload[40] = if payload[40] == b'A' { b'B' } else { b'A' };
    parts[1] = String::from_utf8(payload).unwrap();
    let tampered = parts.join(".");
    assert_eq!(
        err_kind(TrustList::load(tampered.as_bytes(), None, Some(&root), &at)),
        ErrorKind::TrustListSignatureInvalid
    );
}

#[test]
fn bare_keys_verify_signatures_but_validity_and_key_usage_are_not_checkable() {
    let issuer = demo::issuer();
    let cert = issuer
        .issue_value(&vaccination(), &dcc::IssueOptions::default())
        .unwrap();
    let dsc = demo::dsc();
    let spki = dsc.public_key_der().unwrap();
    let anchor = demo::DEMO_CERT_PEM.as_bytes();
    let list = trust::swiss_format(&[(spki.clone(), dsc.kid(), "sig")], "certs");
    let verifier = Verifier::new([])
        .load_trust_list(
            &list,
            None,
            Some(anchor),
            &TrustListOptions {
                name: Some("demo keys".into()),
                ..Default::default()
            },
        )
        .unwrap();
    let v = verifier.verify(cert.hc1(), dcc::now()).unwrap();
    assert!(v.is_valid(), "{:?}", v.failures());
    assert!(v.checks.signature.passed());
    assert_eq!(v.checks.validity.status(), CheckStatus::NotCheckable);
    assert_eq!(v.checks.key_usage.status(), CheckStatus::NotCheckable);
    let signer = v.signer.as_ref().unwrap();
    assert!(!signer.certificate);
    let source = signer.source.as_ref().unwrap();
    assert_eq!(
        (source.format.as_str(), source.list.as_deref()),
        ("ch", Some("demo keys"))
    );
    let view: serde_json::Value = serde_json::from_str(&v.to_json()).unwrap();
    assert_eq!(view["checks"]["validity"]["status"], "not_checkable");
    assert_eq!(view["signer"]["source"]["format"], "ch");
    // An expired certificate is still expired: the claims are checked.
    let late = verifier
        .verify(cert.hc1(), cert.claims().exp.unwrap() + 10)
        .unwrap();
    assert_eq!(
        late.checks.validity.failure().unwrap().code,
        dcc::CheckCode::Expired
    );
    // A key the list restricts to tests fails key usage for a vaccination certificate.
    let tests_only = trust::swiss_format(&[(spki, dsc.kid(), "t")], "certs");
    let v = Verifier::new([])
        .load_trust_list(
            &tests_only,
            None,
            Some(anchor),
            &TrustListOptions::default(),
        )
        .unwrap()
        .verify(cert.hc1(), dcc::now())
        .unwrap();
    assert!(!v.is_valid());
    assert_eq!(
        v.checks.key_usage.failure().unwrap().code,
        dcc::CheckCode::KeyUsageMismatch
    );
}

#[test]
fn austrian_list_checks_signature_content_hash_and_expiry() {
    let (de, de_key) = trust::german();
    let german = TrustList::load(&de, None, Some(&de_key), &TrustListOptions::default()).unwrap();
    let mut certs: Vec<dcc::Dsc> = german.entries().iter().take(20).cloned().collect();
    certs.push(demo::dsc());
    let now = dcc::now();
    let anchor = demo::DEMO_CERT_PEM.as_bytes();
    let (content, sig) = trust::austrian(&certs, now - 3600, now + 48 * 3600);
    assert_eq!(
        TrustListFormat::detect(&content).unwrap(),
        TrustListFormat::Austrian
    );
    let list = TrustList::load(
        &content,
        Some(&sig),
        Some(anchor),
        &TrustListOptions::default(),
    )
    .unwrap();
    let view = list.view();
    assert_eq!(view.entries, 21);
    assert_eq!(view.expires, Some(now + 48 * 3600));
    assert!(view.signature_verified);
    // The demo certificate verifies through it, named as coming from the Austrian list.
    let cert = demo::issuer()
        .issue_value(&vaccination(), &dcc::IssueOptions::default())
        .unwrap();
    let v = Verifier::new([])
        .with_trust_list(list)
        .verify(cert.hc1(), now)
        .unwrap();
    assert!(v.is_valid());
    assert_eq!(v.checks.validity.status(), CheckStatus::Passed);
    assert_eq!(v.signer.unwrap().source.unwrap().format, "at");
    // Content changed after signing: the hash no longer matches.
    let mut bad = content.clone();
    let last = bad.len() - 1;
    bad[last] ^= 1;
    assert_eq!(
        err_kind(TrustList::load(
            &bad,
            Some(&sig),
            Some(anchor),
            &TrustListOptions::default()
        )),
        ErrorKind::TrustListSignatureInvalid
    );
    // A flipped signature byte, and another anchor.
    let mut bad_sig = sig.clone();
    let last = bad_sig.len() - 1;
    bad_sig[last] ^= 1;
    assert_eq!(
        err_kind(TrustList::load(
            &content,
            Some(&bad_sig),
            Some(anchor),
            &TrustListOptions::default()
        )),
        ErrorKind::TrustListSignatureInvalid
    );
    assert_eq!(
        err_kind(TrustList::load(
            &content,
            Some(&sig),
            Some(&de_key),
            &TrustListOptions::default()
        )),
        ErrorKind::TrustListSignatureInvalid
    );
    // No signature file.
    assert_eq!(
        err_kind(TrustList::load(
            &content,
            None,
            Some(anchor),
            &TrustListOptions::default()
        )),
        ErrorKind::InvalidArgument
    );
    // Expired, and not yet valid: refused unless allowed.
    let (old, old_sig) = trust::austrian(&certs, now - 10 * 86400, now - 8 * 86400);
    assert_eq!(
        err_kind(TrustList::load(
            &old,
            Some(&old_sig),
            Some(anchor),
            &TrustListOptions::default()
        )),
        ErrorKind::TrustListExpired
    );
    let kept = TrustList::load(
        &old,
        Some(&old_sig),
        Some(anchor),
        &TrustListOptions {
            allow_expired: true,
            ..Default::default()
        },
    )
    .unwrap();
    assert!(kept.view().expired);
    let (future, future_sig) = trust::austrian(&certs, now + 86400, now + 3 * 86400);
    assert_eq!(
        err_kind(TrustList::load(
            &future,
            Some(&future_sig),
            Some(anchor),
            &TrustListOptions::default()
        )),
        ErrorKind::TrustListExpired
    );
}

#[test]
fn gateway_entries_with_wrong_thumbprint_or_kid_are_skipped_and_reported() {
    let dsc = demo::dsc();
    let good = trust::gateway_entry(&dsc, "XX");
    let mut wrong_thumb = good.clone();
    wrong_thumb["thumbprint"] = json!("00".repeat(32));
    let mut wrong_kid = good.clone();
    wrong_kid["kid"] = json!("AAAAAAAAAAA=");
    let mut deleted = good.clone();
    deleted["rawData"] = serde_json::Value::Null;
    let mut csca = good.clone();
    csca["certificateType"] = json!("CSCA");
    let mut garbage = good.clone();
    garbage["rawData"] = json!("MIIBroken");
    let list = json!([wrong_thumb, wrong_kid, deleted, csca, garbage, good]).to_string();
    let loaded =
        TrustList::load(list.as_bytes(), None, None, &TrustListOptions::default()).unwrap();
    let view = loaded.view();
    assert_eq!(view.entries, 1);
    assert!(!view.signature_verified);
    let codes: Vec<&str> = view.skipped.iter().map(|s| s.code.as_str()).collect();
    assert_eq!(
        codes,
        [
            "thumbprint_mismatch",
            "kid_mismatch",
            "deleted",
            "not_a_dsc",
            "invalid_certificate"
        ]
    );
    assert_eq!(view.skipped[1].index, 1);
    assert_eq!(view.countries.get("XX"), Some(&1));
    // An anchor for an unsigned format is refused rather than silently unchecked.
    assert_eq!(
        err_kind(TrustList::load(
            list.as_bytes(),
            None,
            Some(demo::DEMO_CERT_PEM.as_bytes()),
            &TrustListOptions::default()
        )),
        ErrorKind::InvalidArgument
    );
    // Malformed inputs are typed errors.
    for bad in [
        &b"[{]"[..],
        b"{\"x\": 1}",
        b"\x00\x01",
        b"hello\nworld",
        b"   ",
    ] {
        let kind = err_kind(TrustList::load(
            bad,
            None,
            None,
            &TrustListOptions::default(),
        ));
        assert!(
            matches!(kind, ErrorKind::InvalidTrustList | ErrorKind::EmptyInput),
            "{bad:?}: {kind:?}"
        );
    }
}

/// Every official vector that carries a DSC gives the same verification through a gateway
/// JSON list as with the DSC trusted directly (`--trust`), apart from the signer's source.
#[test]
fn official_vectors_verify_the_same_through_a_gateway_list() {
    let vectors = dcc_conformance::all_vectors(&dcc_conformance::dgc_testdata_dir()).unwrap();
    let (mut compared, mut unreadable) = (0, 0);
    for v in &vectors {
        let (Some(cert), Some(hc1)) = (v.certificate(), v.str("PREFIX")) else {
            continue;
        };
        let at = v.clock().unwrap_or_else(dcc::now);
        let direct = match Verifier::from_certs([cert]) {
            Ok(verifier) => verifier,
            Err(_) => {
                // An unreadable DSC is skipped by the list, not trusted.
                let entry = json!([{"rawData": cert.split_whitespace().collect::<String>(), "country": "XX"}]);
                let list = TrustList::load(
                    entry.to_string().as_bytes(),
                    None,
                    None,
                    &TrustListOptions::default(),
                )
                .unwrap();
                assert_eq!(list.view().entries, 0, "{}", v.name);
                unreadable += 1;
                continue;
            }
        };
        let dsc = dcc::Dsc::parse(cert).unwrap();
        let list = json!([trust::gateway_entry(&dsc, dsc.country().unwrap_or("XX"))]).to_string();
        let via_list = Verifier::new([])
            .load_trust_list(list.as_bytes(), None, None, &TrustListOptions::default())
            .unwrap();
        let a = direct.verify(hc1, at).map(|x| x.view());
        let b = via_list.verify(hc1, at).map(|x| x.view());
        match (a, b) {
            (Ok(mut a), Ok(mut b)) => {
                assert_eq!(
                    b.signer
                        .as_ref()
                        .map(|s| s.source.as_ref().unwrap().format.as_str()),
                    a.signer.as_ref().map(|_| "eu-gateway"),
                    "{}",
                    v.name
                );
                for s in [&mut a.signer, &mut b.signer].into_iter().flatten() {
                    s.source = None;
                }
                assert_eq!(a, b, "{}", v.name);
            }
            (Err(a), Err(b)) => assert_eq!(a.kind(), b.kind(), "{}", v.name),
            (a, b) => panic!("{}: {a:?} vs {b:?}", v.name),
        }
        compared += 1;
    }
    println!("{compared} vectors compared, {unreadable} with an unreadable DSC");
    assert!(compared > 200, "{compared}");
}

/// The fixture lists are reproducible (deterministic ES256) and every case's expected view
/// in `golden/trust-list-views.json`, which every binding replays, is what Rust produces.
#[test]
fn trust_list_fixtures_and_views_are_current() {
    let dir = dcc_conformance::crate_dir().join("golden");
    for (name, bytes) in trust::fixtures() {
        let on_disk = std::fs::read(dir.join("trustlists").join(&name)).unwrap_or_else(|e| {
            panic!("{name}: {e}; run `cargo run -p dcc-conformance --bin regen-golden`")
        });
        assert!(on_disk == bytes, "{name} drifted; run regen-golden");
    }
    let on_disk = std::fs::read_to_string(dir.join("trust-list-views.json")).unwrap();
    assert_eq!(on_disk, trust::views(), "run regen-golden");
    let cases: serde_json::Value = serde_json::from_str(&on_disk).unwrap();
    let by_name = |n: &str| {
        cases
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["name"] == n)
            .unwrap()["expect"]
            .clone()
    };
    assert_eq!(by_name("german")["entries"], 829);
    assert_eq!(
        by_name("german-wrong-anchor")["error"],
        "trust_list_signature_invalid"
    );
    assert_eq!(by_name("swiss")["bare_keys"], 131);
    assert_eq!(by_name("swiss-expired")["error"], "trust_list_expired");
    assert_eq!(by_name("swiss-expired-allowed")["expired"], true);
    assert_eq!(by_name("austrian")["entries"], 3);
    assert_eq!(
        by_name("austrian-not-yet-valid")["error"],
        "trust_list_expired"
    );
    assert_eq!(by_name("demo-keys")["bare_keys"], 1);
    assert_eq!(
        by_name("gateway")["skipped"][0]["code"],
        "thumbprint_mismatch"
    );
    assert_eq!(by_name("gateway-with-anchor")["error"], "invalid_argument");
    assert_eq!(by_name("not-a-list")["error"], "invalid_trust_list");
}
