//! UniFFI bindings of dcc-kit for Kotlin (package `dcckit`) and Swift (module `DccKit`).
//!
//! A thin layer over the `dcc` facade: objects around the facade types (`Issuer`,
//! `Certificate`, `PreparedCertificate`, `Verifier`, `GeneratedKey`, `TokenKey`, `Ledger`,
//! `TrustList`, `RuleSet`),
//! records that mirror the facade's views field for field and are filled from them by serde
//! (`from_view`), one error enum [`DccError`] mapped from `dcc::ErrorKind`, and the foreign
//! signer interface [`DccSigner`]. No logic beyond argument conversion and error mapping. The
//! names follow `api/operations.json`. See `README.md` for building, generating and testing.

mod error;
mod issue;
mod keys;
mod ledger;
mod revocation;
mod rules;
mod trust_list;
mod verify;

use serde::{Serialize, de::DeserializeOwned};

pub use error::DccError;
pub use issue::{
    Algorithm, Certificate, DccSigner, IssueOptions, IssueResult, Issuer, PdfOptions,
    PreparedCertificate, Validity,
};
pub use keys::{
    GeneratedKey, KeyOptions, Pkcs11Options, Pkcs11Pin, TokenKey, generate_key,
    generate_key_in_token,
};
pub use ledger::{
    BreakKind, ChainBreak, ChainReport, Ledger, LedgerOptions, LedgerQuery, LedgerRecord,
};
pub use revocation::{
    BatchEntry, HashType, RevocationBatch, RevocationHashes, RevocationMatch, RevocationSource,
    revocation_hashes,
};
pub use rules::{
    OpenReason, RuleCertificateType, RuleDescription, RuleOptions, RuleOutcome, RuleResult,
    RuleSet, RuleType, RulesReport, evaluate_certlogic, evaluate_rule, load_rules,
};
pub use trust_list::{SkippedEntry, TrustList, TrustListFormat, TrustListOptions, TrustListView};
pub use verify::{
    CertificateType, CheckFailure, CheckStatus, Checks, Claims, Decoded, Outcome, PayloadChange,
    SignerInfo, TrustSource, ValidationIssue, ValidationReport, Verification, Verifier,
};

uniffi::setup_scaffolding!();

/// A record filled from the facade value with the same serde shape (a view, a code, a list).
/// The shapes are equal by construction (and pinned by the golden view test), so the default
/// is never used; it only spares the callers an error that cannot occur.
pub(crate) fn from_view<T: DeserializeOwned + Default>(view: impl Serialize) -> T {
    serde_json::to_value(view)
        .and_then(serde_json::from_value)
        .unwrap_or_default()
}

/// `#[serde(with)]` for payload fields: JSON text in the records, a JSON value in the views.
pub(crate) mod json_text {
    use serde::{Deserialize, Deserializer, Serialize, Serializer, ser::Error};

    pub fn serialize<S: Serializer>(text: &str, s: S) -> Result<S::Ok, S::Error> {
        let value: serde_json::Value = serde_json::from_str(text).map_err(S::Error::custom)?;
        value.serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
        serde_json::Value::deserialize(d).map(|v| v.to_string())
    }
}

/// Decodes `HC1:` text through every layer without checking the signature.
#[uniffi::export]
pub fn decode(hc1: String) -> Result<Decoded, DccError> {
    Ok(from_view(dcc::decode(&hc1)?.view()))
}

/// Reads the QR code in a PNG or JPEG image and decodes it (no signature check).
#[uniffi::export]
pub fn decode_image(image: Vec<u8>) -> Result<Decoded, DccError> {
    Ok(from_view(dcc::decode_image(&image)?.view()))
}

/// Reads the QR code in a PNG or JPEG image and returns its text.
#[uniffi::export]
pub fn read_qr(image: Vec<u8>) -> Result<String, DccError> {
    Ok(dcc::read_qr(&image)?)
}

/// Validates a JSON payload for issuing at `at` (seconds since the epoch) without signing it,
/// with the embedded value sets or with `valueSets` (JSON files) replacing the same sets.
/// Input that is not JSON is `invalid_payload`; every problem in a JSON payload is an issue in
/// the report.
#[uniffi::export(default(value_sets = []))]
pub fn validate(
    payload_json: String,
    at: i64,
    value_sets: Vec<String>,
) -> Result<ValidationReport, DccError> {
    Ok(from_view(dcc::validate(&payload_json, at, &value_sets)?))
}

/// The ICAO Doc 9303 standardised form of a name (`fnt`/`gnt`): `Müller` -> `MUELLER`. A name
/// with characters outside the 9303 tables is `invalid_argument`.
#[uniffi::export]
pub fn transliterate(name: String) -> Result<String, DccError> {
    Ok(dcc::transliterate(&name)?)
}

/// A new unique certificate identifier `URN:UVCI:01:CC:ISSUER/UNIQUE#CHECK`. A bad country or
/// issuer part is `invalid_argument`.
#[uniffi::export]
pub fn generate_uvci(country: String, issuer_part: String) -> Result<String, DccError> {
    Ok(dcc::generate_uvci(&country, &issuer_part)?)
}

/// The demo DSC (PEM): the certificate of `Issuer.demo()`, valid 2024-01-01 to 2049-12-31.
#[uniffi::export]
pub fn demo_certificate_pem() -> String {
    dcc::demo::DEMO_CERT_PEM.to_string()
}

/// Every error code (`dcc::ErrorKind::ALL`), one per `DccException`/`DccError` case.
#[uniffi::export]
pub fn error_codes() -> Vec<String> {
    from_view(dcc::ErrorKind::ALL)
}

/// Every check-failure code (`dcc::CheckCode::ALL`): `CheckFailure.code`, `Outcome.code`.
#[uniffi::export]
pub fn check_codes() -> Vec<String> {
    from_view(dcc::CheckCode::ALL)
}

/// Every validation issue and finding code (`dcc::IssueCode::ALL`): `ValidationIssue.code`.
#[uniffi::export]
pub fn issue_codes() -> Vec<String> {
    from_view(dcc::IssueCode::ALL)
}

/// The current time, seconds since the epoch (for `Verifier.verify(hc1, now())`).
#[uniffi::export]
pub fn now() -> i64 {
    dcc::now()
}

/// The version of dcc-kit this library was built from.
#[uniffi::export]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;

    /// The records serialise exactly as the facade's views (`toJson` relies on it), and the
    /// errors keep the facade's code, message, issues and failures.
    #[test]
    fn records_and_errors_mirror_the_facade() -> Result<(), dcc::Error> {
        let payload = include_str!("../../../examples/vaccination.json");
        let opts = dcc::IssueOptions {
            issued_at: Some(1_750_000_000),
            ..Default::default()
        };
        let cert = dcc::Issuer::demo().issue_json(payload, &opts)?;
        // Revoked through its SIGNATURE hash: `checks.revocation` and `revoked_by` filled.
        let batch = dcc::RevocationBatch {
            country: "XX".into(),
            expires: "2031-01-01T00:00:00Z".into(),
            kid: cert.kid(),
            hash_type: dcc::HashType::Signature,
            entries: vec![dcc::revocation::BatchEntry {
                hash: cert.revocation_hashes().view().signature,
            }],
        };
        let revoking = dcc::Verifier::demo().with_revocation_data(&[batch.to_json()])?;
        for (verifier, at, revoked) in [
            (dcc::Verifier::demo(), 1_750_000_060, false),
            (dcc::Verifier::demo(), 1_900_000_000, false),
            (revoking, 1_750_000_060, true),
        ] {
            let facade = verifier.verify(cert.hc1(), at)?;
            let hashes = facade.revocation_hashes();
            let record: Verification = from_view(facade.view());
            assert_eq!(record.revoked_by.is_some(), revoked);
            assert_eq!(record.to_json(), facade.to_json());
            let error = facade.ensure_valid().err().map(DccError::from);
            assert_eq!(record.ensure_valid().err(), error);
            assert_eq!(record.revocation_hashes(), Ok(from_view(hashes.view())));
        }
        let exported: Vec<RevocationBatch> = from_view([&batch]);
        assert_eq!(exported[0].to_json(), batch.to_json());
        let bad = dcc::Issuer::demo().issue_json(r#"{"ver":"1.3.0"}"#, &opts);
        let Err(e) = bad else {
            panic!("issued an empty payload")
        };
        let DccError::ValidationFailed { reason, issues } = DccError::from(e.clone()) else {
            panic!("{e}")
        };
        assert_eq!((reason, issues), (e.to_string(), from_view(e.issues())));
        Ok(())
    }

    /// Trust-list views and rules reports mirror the facade's (the report's `toJson` is the
    /// facade's text), and the new error kinds keep their codes.
    #[test]
    fn trust_lists_and_rules_mirror_the_facade() -> Result<(), DccError> {
        let gateway = include_bytes!("../../../tests/golden/trustlists/gateway.json");
        let facade = dcc::TrustList::load(gateway, None, None, &Default::default())?;
        let list = TrustList::load(gateway.to_vec(), None, None, None)?;
        let view = serde_json::to_value(list.view()).ok();
        assert_eq!(view, serde_json::to_value(facade.view()).ok());
        assert_eq!(list.to_json(), facade.to_json());

        let payload = include_str!("../../../examples/vaccination.json");
        let cert = dcc::Issuer::demo().issue_json(payload, &Default::default())?;
        let verification = dcc::Verifier::demo().verify(cert.hc1(), dcc::now())?;
        let rules = dcc::rules::load_rules(include_bytes!("../../../tests/golden/rules-xx.json"))?;
        let facade =
            verification.evaluate_rules(&rules, &dcc::rules::RuleOptions::country("XX"))?;
        let record: Verification = from_view(verification.view());
        let options = RuleOptions {
            country: "XX".into(),
            region: None,
            at: None,
            value_sets: vec![],
        };
        let report = record.evaluate_rules(Arc::new(RuleSet(rules)), options)?;
        assert_eq!(report.to_json(), facade.to_json());

        for (error, code) in [
            (load_rules("[{}]".into()).err(), "invalid_rule"),
            (
                evaluate_certlogic(r#"{"nope":[1]}"#.into(), "{}".into()).err(),
                "certlogic_failed",
            ),
            (
                TrustList::load(b"nonsense".to_vec(), None, None, None).err(),
                "invalid_trust_list",
            ),
        ] {
            assert_eq!(error.map(|e| e.code()).as_deref(), Some(code));
        }
        Ok(())
    }
}
