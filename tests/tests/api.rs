//! The binding-facing layer of the facade: the behaviour every language gets from it.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code

use std::sync::Arc;

use dcc::{
    CheckCode, ErrorKind, IssueCode, IssueOptions, Issuer, Signer, Validity,
    layers::cose::SignError,
};
use dcc_conformance::golden;

/// A signer that claims PS256 but holds the golden P-256 key.
struct Liar;

impl Signer for Liar {
    fn algorithm(&self) -> dcc::Algorithm {
        dcc::Algorithm::Ps256
    }
    fn sign(&self, tbs: &[u8]) -> Result<Vec<u8>, SignError> {
        golden::es256_key().sign(tbs)
    }
}

#[test]
fn from_signer_refuses_an_algorithm_that_does_not_fit_the_dsc_key() {
    let err = Issuer::from_signer(Arc::new(Liar), golden::es256_dsc()).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidKey, "{err}");
    assert!(err.to_string().contains("PS256"), "{err}");
    let err = Issuer::from_signer(Arc::new(golden::es256_key()), golden::ps256_dsc()).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidKey);
    assert_eq!(
        dcc::parse_algorithm("es256").unwrap(),
        dcc::Algorithm::Es256
    );
    assert_eq!(
        dcc::parse_algorithm("EdDSA").unwrap_err().kind(),
        ErrorKind::InvalidArgument
    );
}

#[test]
fn conflicting_validity_is_refused_when_read() {
    let both = r#"{"validity": {"for_seconds": 86400, "until": 1700000000}}"#;
    assert!(serde_json::from_str::<IssueOptions>(both).is_err());
    let old = r#"{"valid_for_secs": 86400}"#;
    assert!(
        serde_json::from_str::<IssueOptions>(old).is_err(),
        "unknown keys are refused"
    );
    let one: IssueOptions =
        serde_json::from_str(r#"{"iss": "DE", "validity": {"until": 1700000000}}"#).unwrap();
    assert_eq!(one.validity, Validity::Until(1_700_000_000));
    let default: IssueOptions = serde_json::from_str("{}").unwrap();
    assert_eq!(default.validity, Validity::Default);
}

#[test]
fn prepare_and_issue_give_the_same_errors() {
    let issuer = Issuer::demo();
    let opts = IssueOptions {
        issued_at: Some(golden::IAT + 86_400 * 400),
        ..Default::default()
    };
    let mut invalid = golden::examples()[0].1.clone();
    invalid["v"][0]["dn"] = serde_json::json!(0);
    for bad in ["{not json", "[1, 2]", "{}", &invalid.to_string()] {
        let a = issuer.issue_json(bad, &opts).unwrap_err();
        let b = issuer.prepare_json(bad, &opts).unwrap_err();
        assert_eq!(a.view(), b.view(), "{bad}");
    }
    let a = issuer.issue_json(&invalid.to_string(), &opts).unwrap_err();
    assert_eq!(a.kind(), ErrorKind::ValidationFailed);
    assert!(
        a.issues()
            .iter()
            .any(|i| i.code == IssueCode::InvalidDoseNumber)
    );
}

#[test]
fn certificate_views_kid_is_base64_and_batches_keep_order() {
    let issuer = Issuer::demo();
    let payloads: Vec<String> = golden::examples()
        .into_iter()
        .map(|(_, p)| p.to_string())
        .chain(["{broken".to_string()])
        .collect();
    let opts = IssueOptions {
        issued_at: Some(1_735_689_600),
        validity: Validity::ForSeconds(86_400),
        ..Default::default()
    };
    let results = issuer.issue_batch(&payloads, &opts);
    assert_eq!(results.len(), payloads.len());
    let kid = issuer.signer().kid;
    for (r, p) in results.iter().zip(&payloads).take(3) {
        let cert = r.as_ref().unwrap();
        assert_eq!(cert.kid(), kid);
        assert_eq!(
            cert.view().payload["nam"],
            serde_json::from_str::<serde_json::Value>(p).unwrap()["nam"]
        );
        let verified = dcc::Verifier::demo()
            .verify(cert.hc1(), 1_735_689_700)
            .unwrap();
        assert_eq!(verified.kid().as_deref(), Some(kid.as_str()));
        assert_eq!(verified.certificate_type(), Some(cert.certificate_type()));
    }
    assert_eq!(
        results[3].as_ref().unwrap_err().kind(),
        ErrorKind::InvalidPayload
    );
}

#[test]
fn helpers_and_uvci_fill() {
    assert_eq!(
        dcc::transliterate("Müller-Lüdenscheidt").unwrap(),
        "MUELLER<LUEDENSCHEIDT"
    );
    assert_eq!(
        dcc::transliterate("漢字").unwrap_err().kind(),
        ErrorKind::InvalidArgument
    );
    assert!(
        dcc::generate_uvci("DE", "ISSUER")
            .unwrap()
            .starts_with("URN:UVCI:01:DE:ISSUER/")
    );
    assert_eq!(
        dcc::generate_uvci("D", "X").unwrap_err().kind(),
        ErrorKind::InvalidArgument
    );
    let mut payload = golden::examples()[0].1.clone();
    payload["v"][0].as_object_mut().unwrap().remove("ci");
    let opts = IssueOptions {
        issued_at: Some(1_735_689_600),
        uvci_issuer: Some("PHARMACY".into()),
        ..Default::default()
    };
    let cert = Issuer::demo().issue_value(&payload, &opts).unwrap();
    assert!(
        cert.changes()[0]
            .description
            .starts_with("generated URN:UVCI:01:")
    );
    let report = dcc::validate(&payload.to_string(), 1_735_689_600, &[] as &[&str]).unwrap();
    assert!(!report.valid);
    assert!(
        report.issues.iter().any(|i| i.path == "v/0/ci"),
        "{:?}",
        report.issues
    );
    let err = dcc::validate("{}", 0, &["not a value set"]).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidValueSet);
    let key = dcc::generate_key(&dcc::KeyOptions::default()).unwrap();
    let dsc = dcc::Dsc::parse(&key.cert_pem).unwrap();
    assert_eq!(dsc.country(), Some("XX"));
    assert!(format!("{key:?}").contains("cert_pem") && !format!("{key:?}").contains("PRIVATE"));
}

#[test]
fn code_lists_are_complete_and_round_trip() {
    fn check<T: Copy + PartialEq + std::fmt::Debug>(
        all: &[T],
        code: fn(T) -> &'static str,
        parse: fn(&str) -> Option<T>,
    ) {
        let mut seen = std::collections::BTreeSet::new();
        for &k in all {
            assert!(seen.insert(code(k)), "duplicate code {}", code(k));
            assert_eq!(parse(code(k)), Some(k));
        }
    }
    check(ErrorKind::ALL, ErrorKind::code, ErrorKind::from_code);
    check(CheckCode::ALL, CheckCode::code, CheckCode::from_code);
    check(IssueCode::ALL, IssueCode::code, IssueCode::from_code);
    assert!(CheckCode::ALL.iter().all(|c| !c.description().is_empty()));
    assert_eq!(
        serde_json::to_string(&CheckCode::Expired).unwrap(),
        "\"expired\""
    );
}

/// The cloud-KMS pattern (AWS KMS, Google Cloud KMS): the service signs a SHA-256 digest and
/// answers with a DER ECDSA signature; the adapter hashes the to-be-signed bytes, calls it and
/// converts the answer. The "cloud" here is a local stand-in holding the golden key.
mod kms {
    use std::sync::Arc;

    use dcc::{Algorithm, IssueOptions, Issuer, Signer, Verifier, layers::cose::SignError};
    use p256::ecdsa::signature::hazmat::PrehashSigner;
    use sha2::Digest;

    /// Stand-in for `kms.sign(KeyId, Message=digest, MessageType=DIGEST, ECDSA_SHA_256)`.
    struct LocalKms(p256::ecdsa::SigningKey);

    impl LocalKms {
        fn sign_digest(&self, digest: &[u8]) -> Result<Vec<u8>, String> {
            let sig: p256::ecdsa::Signature =
                self.0.sign_prehash(digest).map_err(|e| e.to_string())?;
            Ok(sig.to_der().as_bytes().to_vec())
        }
    }

    /// The adapter an issuer writes: one method.
    struct KmsSigner {
        kms: LocalKms,
        public_key: Vec<u8>,
    }

    impl Signer for KmsSigner {
        fn algorithm(&self) -> Algorithm {
            Algorithm::Es256
        }
        fn sign(&self, tbs: &[u8]) -> Result<Vec<u8>, SignError> {
            let digest = sha2::Sha256::digest(tbs);
            let der = self.kms.sign_digest(&digest).map_err(SignError::Signer)?;
            Ok(dcc::ecdsa_der_to_raw(&der)?.to_vec())
        }
        fn public_key_spki(&self) -> Option<Vec<u8>> {
            Some(self.public_key.clone())
        }
    }

    #[test]
    fn a_kms_style_signer_returning_der_issues_valid_certificates_and_requests() {
        let golden = dcc_conformance::golden::es256_key();
        let raw = golden.as_p256().unwrap().clone();
        let signer = KmsSigner {
            kms: LocalKms(raw),
            public_key: golden.public_key_der(),
        };
        let dsc = dcc_conformance::golden::es256_dsc();
        let issuer = Issuer::from_signer(Arc::new(signer), dsc.clone()).unwrap();
        let opts = IssueOptions {
            issued_at: Some(dcc_conformance::golden::IAT),
            ..Default::default()
        };
        let payload = dcc_conformance::golden::examples()[0].1.to_string();
        let cert = issuer.issue_json(&payload, &opts).unwrap();
        let v = Verifier::new([dsc])
            .verify(cert.hc1(), dcc_conformance::golden::IAT + 60)
            .unwrap();
        assert!(v.is_valid(), "{:?}", v.failures());
        // The same signer can sign the request for the CSCA.
        let csr = issuer
            .certificate_request(&dcc::KeyOptions::default())
            .unwrap();
        assert!(csr.starts_with("-----BEGIN CERTIFICATE REQUEST-----"));
        // A signer that does not know its public key cannot name it in a request.
        struct Blind;
        impl Signer for Blind {
            fn algorithm(&self) -> Algorithm {
                Algorithm::Es256
            }
            fn sign(&self, tbs: &[u8]) -> Result<Vec<u8>, SignError> {
                dcc_conformance::golden::es256_key().sign(tbs)
            }
        }
        // A signer answering DER (as JCA and cloud KMSs do) signs requests too; one that fails
        // makes the request fail with signing_failed.
        struct Der(bool);
        impl Signer for Der {
            fn algorithm(&self) -> Algorithm {
                Algorithm::Es256
            }
            fn sign(&self, tbs: &[u8]) -> Result<Vec<u8>, SignError> {
                if self.0 {
                    return Err(SignError::Signer("the KMS is unreachable".into()));
                }
                let digest = sha2::Sha256::digest(tbs);
                let golden = dcc_conformance::golden::es256_key();
                LocalKms(golden.as_p256().unwrap().clone())
                    .sign_digest(&digest)
                    .map_err(SignError::Signer)
            }
            fn public_key_spki(&self) -> Option<Vec<u8>> {
                Some(dcc_conformance::golden::es256_key().public_key_der())
            }
        }
        let options = dcc::KeyOptions::default();
        let pem = dcc::certificate_request(&Der(false), &options).unwrap();
        assert!(pem.starts_with("-----BEGIN CERTIFICATE REQUEST-----"));
        let err = dcc::certificate_request(&Der(true), &options).unwrap_err();
        assert_eq!(err.kind(), dcc::ErrorKind::SigningFailed, "{err}");
        let blind =
            Issuer::from_signer(Arc::new(Blind), dcc_conformance::golden::es256_dsc()).unwrap();
        let err = blind
            .certificate_request(&dcc::KeyOptions::default())
            .unwrap_err();
        assert_eq!(err.kind(), dcc::ErrorKind::InvalidOptions, "{err}");
    }
}
