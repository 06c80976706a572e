//! Round trips for all three certificate types and both algorithms, through text and image,
//! plus an external signer plugged in through the `Signer` trait.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code

use std::sync::Arc;

use dcc::{Algorithm, Dcc, IssueOptions, Issuer, Signer, Verifier, layers::cose::SignError};
use dcc_conformance::{golden, json_eq};

fn opts() -> IssueOptions {
    opts_at(golden::IAT)
}

/// The demo DSC is valid from 2024-01-01.
const DEMO_IAT: i64 = 1_735_689_600; // 2025-01-01

fn opts_at(iat: i64) -> IssueOptions {
    IssueOptions {
        iss: Some("DE".into()),
        issued_at: Some(iat),
        validity: dcc::Validity::ForSeconds(30 * 86_400),
        ..Default::default()
    }
}

#[test]
fn all_types_both_algorithms_text_and_image() {
    let es = Issuer::from_signer(Arc::new(golden::es256_key()), golden::es256_dsc()).unwrap();
    let ps = Issuer::from_signer(Arc::new(golden::ps256_key()), golden::ps256_dsc()).unwrap();
    let verifier = Verifier::new([golden::es256_dsc(), golden::ps256_dsc()]);
    let at = golden::IAT + 3600;
    for (name, payload) in golden::examples() {
        let dcc = Dcc::from_value(payload.clone()).unwrap();
        for (alg, issuer) in [(Algorithm::Es256, &es), (Algorithm::Ps256, &ps)] {
            let cert = issuer.issue(&dcc, &opts()).unwrap();
            let v = verifier.verify(cert.hc1(), at).unwrap();
            assert!(v.is_valid(), "{name} {alg}: {:?}", v.checks);
            assert!(json_eq(v.payload(), &payload), "{name} {alg}");
            assert_eq!(v.decoded.dcc.as_ref().unwrap(), &dcc);
            assert_eq!(v.claims().iss.as_deref(), Some("DE"));
            assert_eq!(v.claims().exp, Some(golden::IAT + 30 * 86_400));
            assert_eq!(dcc::algorithm_name(&v.decoded).as_deref(), Some(alg.name()));
            assert_eq!(v.signer.as_ref().unwrap().kid, issuer.dsc().kid_base64());
            // Tag 18 and the protected header {1: alg, 4: kid}.
            assert_eq!(v.decoded.sign1.tags(), &[18]);
            assert_eq!(cert.cose()[0], 0xd2);

            let png = cert.to_png(3).unwrap();
            let from_image = verifier.verify_image(&png, at).unwrap();
            assert!(from_image.is_valid(), "{name} {alg} from image");
            assert_eq!(from_image.decoded.hc1, cert.hc1());
            let svg = cert.to_svg().unwrap();
            assert!(
                svg.starts_with("<svg") || svg.starts_with("<?xml"),
                "{name}: svg"
            );
        }
    }
}

#[test]
fn wrong_trust_and_wrong_time_fail() {
    let cert = Issuer::demo()
        .issue_json(&golden::examples()[0].1.to_string(), &opts_at(DEMO_IAT))
        .unwrap();
    let other = Verifier::new([golden::es256_dsc()])
        .verify(cert.hc1(), DEMO_IAT + 60)
        .unwrap();
    assert!(!other.is_valid());
    assert_eq!(
        other.checks.signature.failure().unwrap().code,
        "unknown_kid"
    );
    let late = Verifier::demo()
        .verify(cert.hc1(), DEMO_IAT + 31 * 86_400)
        .unwrap();
    assert_eq!(late.checks.validity.failure().unwrap().code, "expired");
    assert!(late.checks.signature.passed());
    assert_eq!(
        late.clone().ensure_valid().unwrap_err().code(),
        "verification_failed"
    );
    // A clock skew tolerance lets a slightly early verifier accept.
    let early = Verifier::demo()
        .with_clock_skew(300)
        .verify(cert.hc1(), DEMO_IAT - 120)
        .unwrap();
    assert!(
        !Verifier::demo()
            .verify(cert.hc1(), DEMO_IAT - 120)
            .unwrap()
            .is_valid()
    );
    assert!(early.is_valid());
}

/// A signer that works like an HSM returning ASN.1 DER signatures.
struct DerHsm(dcc::SigningKey);

impl Signer for DerHsm {
    fn algorithm(&self) -> Algorithm {
        Algorithm::Es256
    }
    fn sign(&self, tbs: &[u8]) -> Result<Vec<u8>, SignError> {
        let raw = self.0.sign(tbs)?;
        let sig = p256::ecdsa::Signature::from_slice(&raw)
            .map_err(|e| SignError::Signer(e.to_string()))?;
        Ok(sig.to_der().as_bytes().to_vec())
    }
}

#[test]
fn external_signer_and_two_phase_issuing() {
    let issuer =
        Issuer::from_signer(Arc::new(DerHsm(golden::es256_key())), golden::es256_dsc()).unwrap();
    let dcc = Dcc::from_value(golden::examples()[2].1.clone()).unwrap();
    let cert = issuer.issue(&dcc, &opts()).unwrap();
    let verifier = Verifier::new([golden::es256_dsc()]);
    assert!(
        verifier
            .verify(cert.hc1(), golden::IAT + 60)
            .unwrap()
            .is_valid()
    );
    // DER converted to raw r||s: the same bytes as the in-memory key (RFC 6979).
    let direct = Issuer::from_signer(Arc::new(golden::es256_key()), golden::es256_dsc()).unwrap();
    assert_eq!(direct.issue(&dcc, &opts()).unwrap().hc1(), cert.hc1());

    // Two-phase: prepare, sign elsewhere, finish.
    let prepared = direct.prepare(&dcc, &opts()).unwrap();
    let sig = golden::es256_key().sign(prepared.tbs()).unwrap();
    assert_eq!(prepared.finish(sig).unwrap().hc1(), cert.hc1());

    // A key that does not match the certificate is refused up front.
    let err = Issuer::from_signer(Arc::new(golden::ps256_key()), golden::es256_dsc()).unwrap_err();
    assert_eq!(err.code(), "invalid_key");
}

#[test]
fn issuer_is_shareable_across_threads() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Issuer>();
    assert_send_sync::<Verifier>();
    // RFC 6979 nonces, so every thread must produce the same bytes.
    let key = dcc::SigningKey::from_pem(dcc::demo::DEMO_KEY_PEM)
        .unwrap()
        .deterministic();
    let dsc = dcc::Dsc::parse(dcc::demo::DEMO_CERT_PEM).unwrap();
    let issuer = Arc::new(Issuer::from_signer(Arc::new(key), dsc).unwrap());
    let payload = golden::examples()[0].1.to_string();
    let handles: Vec<_> = (0..8)
        .map(|_| {
            let (issuer, payload) = (issuer.clone(), payload.clone());
            std::thread::spawn(move || {
                issuer
                    .issue_json(&payload, &opts_at(DEMO_IAT))
                    .unwrap()
                    .hc1()
                    .to_string()
            })
        })
        .collect();
    let results: Vec<String> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    assert!(
        results.windows(2).all(|w| w[0] == w[1]),
        "deterministic ES256 across threads"
    );
}

#[test]
fn keys_never_in_debug_output() {
    let pem = golden::es256_key().to_pkcs8_pem().unwrap();
    let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    let issuer = Issuer::from_pem(&pem, golden::es256_dsc().to_pem()).unwrap();
    for text in [
        format!("{issuer:?}"),
        format!("{:?}", golden::es256_key()),
        format!(
            "{:?}",
            dcc::generate_key(&dcc::KeyOptions {
                country: "DE".into(),
                common_name: "x".into(),
                valid_days: 10,
                ..Default::default()
            })
            .unwrap()
        ),
    ] {
        assert!(!text.contains(&body[..24]), "{text}");
        assert!(
            !text
                .to_lowercase()
                .contains(&golden::ES256_KEY_HEX.to_lowercase()[..16]),
            "{text}"
        );
        assert!(!text.contains("PRIVATE KEY"), "{text}");
    }
}

#[test]
fn keygen_rejects_bad_options_and_issuer_reports_its_algorithm() {
    for (country, cn) in [("germany", "x"), ("de", "x"), ("D1", "x"), ("DE", " ")] {
        let err = dcc::generate_key(&dcc::KeyOptions {
            country: country.into(),
            common_name: cn.into(),
            valid_days: 10,
            ..Default::default()
        })
        .unwrap_err();
        assert_eq!(err.code(), "invalid_options", "{country:?} {cn:?}: {err}");
    }
    let key = dcc::generate_key(&dcc::KeyOptions {
        country: "DE".into(),
        common_name: "test".into(),
        valid_days: 10,
        ..Default::default()
    })
    .unwrap();
    let issuer = Issuer::from_pem(&key.key_pem, &key.cert_pem).unwrap();
    assert_eq!(issuer.algorithm(), dcc::Algorithm::Es256);
    let ps = Issuer::from_signer(Arc::new(golden::ps256_key()), golden::ps256_dsc()).unwrap();
    assert_eq!(ps.algorithm(), dcc::Algorithm::Ps256);
}

/// keygen writes the subject as DER itself (country, then common name): the name comes back
/// whole, special characters escaped only in the RFC 4514 display, non-ASCII kept.
#[test]
fn keygen_subject_round_trips() {
    let key = dcc::generate_key(&dcc::KeyOptions {
        country: "AT".into(),
        common_name: "Apotheke Zum Löwen, Wien+1".into(),
        valid_days: 10,
        ..Default::default()
    })
    .unwrap();
    let dsc = dcc::Dsc::from_pem(&key.cert_pem).unwrap();
    assert_eq!(dsc.country(), Some("AT"));
    assert_eq!(dsc.subject(), r"CN=Apotheke Zum Löwen\, Wien\+1,C=AT");
    assert_eq!(dsc.issuer(), dsc.subject());
}
