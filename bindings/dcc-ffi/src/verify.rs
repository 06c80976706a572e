//! Verifying and decoding: `Verifier`, `Verification`, `decode`, and their records.

use std::sync::Arc;

use base64::Engine;

use crate::DccError;

/// The CWT claims of a certificate.
#[derive(uniffi::Record, Debug, Clone, PartialEq, Eq)]
pub struct Claims {
    /// Issuer (claim 1), usually a country code.
    pub iss: Option<String>,
    /// Issued at, seconds since the epoch.
    pub iat: Option<i64>,
    /// Expires at, seconds since the epoch.
    pub exp: Option<i64>,
}

impl From<&dcc::Claims> for Claims {
    fn from(c: &dcc::Claims) -> Self {
        Claims {
            iss: c.iss.clone(),
            iat: c.iat,
            exp: c.exp,
        }
    }
}

/// The certificate type, from the payload group that is present.
#[derive(uniffi::Enum, Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CertificateType {
    /// `v`: vaccination.
    Vaccination,
    /// `t`: test.
    Test,
    /// `r`: recovery.
    Recovery,
}

/// The type of a raw payload when exactly one of `v`/`t`/`r` is present.
fn certificate_type(payload: &serde_json::Value) -> Option<CertificateType> {
    match dcc::CertType::present_in(payload).as_slice() {
        [dcc::CertType::Vaccination] => Some(CertificateType::Vaccination),
        [dcc::CertType::Test] => Some(CertificateType::Test),
        [dcc::CertType::Recovery] => Some(CertificateType::Recovery),
        _ => None,
    }
}

/// Why a check failed: a stable snake_case `code` and a human message.
#[derive(uniffi::Record, Debug, Clone, PartialEq, Eq)]
pub struct CheckFailure {
    /// Stable code, e.g. `invalid_signature`, `expired`, `key_usage_mismatch`.
    pub code: String,
    /// Human-readable explanation.
    pub message: String,
}

impl From<&dcc::CheckFailure> for CheckFailure {
    fn from(f: &dcc::CheckFailure) -> Self {
        CheckFailure {
            code: f.code.to_string(),
            message: f.message.clone(),
        }
    }
}

/// The outcome of one check.
#[derive(uniffi::Enum, Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The check passed.
    Passed,
    /// The check failed.
    Failed {
        /// Why.
        failure: CheckFailure,
    },
    /// The check could not run (e.g. key usage without a trusted signer).
    Skipped {
        /// Why.
        reason: String,
    },
}

impl From<&dcc::Outcome> for Outcome {
    fn from(o: &dcc::Outcome) -> Self {
        match o {
            dcc::Outcome::Passed => Outcome::Passed,
            dcc::Outcome::Failed(f) => Outcome::Failed { failure: f.into() },
            dcc::Outcome::Skipped { reason } => Outcome::Skipped {
                reason: reason.clone(),
            },
        }
    }
}

#[uniffi::export]
impl Outcome {
    /// `passed`, `skipped`, or the failure's code: one string per outcome, as in the shared
    /// conformance sample.
    pub fn code(&self) -> String {
        match self {
            Outcome::Passed => "passed".to_string(),
            Outcome::Failed { failure } => failure.code.clone(),
            Outcome::Skipped { .. } => "skipped".to_string(),
        }
    }

    /// Whether the check passed.
    pub fn is_passed(&self) -> bool {
        matches!(self, Outcome::Passed)
    }
}

/// The outcome of each check.
#[derive(uniffi::Record, Debug, Clone, PartialEq, Eq)]
pub struct Checks {
    /// The COSE signature against a trusted DSC with the certificate's kid.
    pub signature: Outcome,
    /// `DSC notBefore <= iat <= at <= exp <= DSC notAfter`.
    pub validity: Outcome,
    /// The DSC's extended key usage allows the certificate type.
    pub key_usage: Outcome,
    /// Data quality: the payload fits the schema of its version, the value sets and the
    /// plausibility rules (see `Verification.findings`). Reported, never fatal.
    pub payload: Outcome,
}

/// A signer certificate (DSC).
#[derive(uniffi::Record, Debug, Clone, PartialEq, Eq)]
pub struct SignerInfo {
    /// The kid (first 8 bytes of the certificate's SHA-256), base64.
    pub kid: String,
    /// Subject DN.
    pub subject: String,
    /// Subject country.
    pub country: Option<String>,
    /// notBefore, seconds since the epoch.
    pub not_before: Option<i64>,
    /// notAfter, seconds since the epoch.
    pub not_after: Option<i64>,
    /// Key type, e.g. `P-256`.
    pub key: String,
}

impl From<&dcc::SignerInfo> for SignerInfo {
    fn from(s: &dcc::SignerInfo) -> Self {
        SignerInfo {
            kid: s.kid.clone(),
            subject: s.subject.clone(),
            country: s.country.clone(),
            not_before: s.not_before,
            not_after: s.not_after,
            key: s.key.clone(),
        }
    }
}

impl From<&dcc::Dsc> for SignerInfo {
    fn from(d: &dcc::Dsc) -> Self {
        (&dcc::SignerInfo::from(d)).into()
    }
}

/// The result of verifying one certificate.
#[derive(uniffi::Record, Debug, Clone, PartialEq, Eq)]
pub struct Verification {
    /// True only when the signature, the validity window and the key usage all pass.
    /// Data-quality findings (`checks.payload`) never make a certificate invalid.
    pub valid: bool,
    /// The payload as JSON, exactly as signed.
    pub payload_json: String,
    /// The certificate type, when exactly one of `v`/`t`/`r` is present.
    pub certificate_type: Option<CertificateType>,
    /// The claims (issuer, issued-at, expiry).
    pub claims: Claims,
    /// The DSC whose key verified the signature.
    pub signer: Option<SignerInfo>,
    /// Each check's outcome.
    pub checks: Checks,
    /// Every failure among the three decisive checks.
    pub failures: Vec<CheckFailure>,
    /// Every data-quality finding on the payload (schema, value sets, plausibility), each with a
    /// path, a stable code and a message. Never makes a certificate invalid; `checks.payload`
    /// fails with the first one's code.
    pub findings: Vec<crate::ValidationIssue>,
    /// The verification time used, seconds since the epoch.
    pub at_epoch_seconds: i64,
}

impl From<&dcc::Verification> for Verification {
    fn from(v: &dcc::Verification) -> Self {
        Verification {
            valid: v.is_valid(),
            payload_json: v.payload().to_string(),
            certificate_type: certificate_type(v.payload()),
            claims: v.claims().into(),
            signer: v.signer.as_ref().map(SignerInfo::from),
            checks: Checks {
                signature: (&v.checks.signature).into(),
                validity: (&v.checks.validity).into(),
                key_usage: (&v.checks.key_usage).into(),
                payload: (&v.checks.payload).into(),
            },
            failures: v.failures().iter().map(CheckFailure::from).collect(),
            findings: v
                .findings
                .iter()
                .map(crate::ValidationIssue::from)
                .collect(),
            at_epoch_seconds: v.at,
        }
    }
}

/// A verifier: a set of trusted signer certificates (DSCs). Safe to share between threads.
#[derive(uniffi::Object, Debug)]
pub struct Verifier(dcc::Verifier);

#[uniffi::export]
impl Verifier {
    /// A verifier trusting `certificates`: each PEM (a PEM bundle may hold several) or base64
    /// DER, as in national trust lists.
    #[uniffi::constructor]
    pub fn new(certificates: Vec<String>) -> Result<Arc<Self>, DccError> {
        Ok(Arc::new(Verifier(dcc::Verifier::from_certs(certificates)?)))
    }

    /// A verifier trusting certificates given as DER bytes.
    #[uniffi::constructor]
    pub fn from_der(certificates: Vec<Vec<u8>>) -> Result<Arc<Self>, DccError> {
        Ok(Arc::new(Verifier(dcc::Verifier::from_certs(certificates)?)))
    }

    /// A verifier trusting only the embedded demo DSC (`C=XX`). Never in production.
    #[uniffi::constructor]
    pub fn demo() -> Arc<Self> {
        Arc::new(Verifier(dcc::Verifier::demo()))
    }

    /// A copy of this verifier that tolerates clocks differing by up to `seconds` when
    /// comparing the verification time with issued-at and expiry (default 0).
    pub fn with_clock_skew(&self, seconds: i64) -> Arc<Verifier> {
        Arc::new(Verifier(self.0.clone().with_clock_skew(seconds)))
    }

    /// The trusted certificates.
    pub fn trusted(&self) -> Vec<SignerInfo> {
        self.0.trust_store().iter().map(SignerInfo::from).collect()
    }

    /// Verifies `HC1:` text at `at_epoch_seconds`. Throws only for input that cannot be
    /// decoded; a decodable certificate always yields a `Verification`, valid or not.
    pub fn verify(&self, hc1: String, at_epoch_seconds: i64) -> Result<Verification, DccError> {
        Ok((&self.0.verify(&hc1, at_epoch_seconds)?).into())
    }

    /// Reads the QR code in a PNG or JPEG image and verifies it at `at_epoch_seconds`.
    pub fn verify_image(
        &self,
        image: Vec<u8>,
        at_epoch_seconds: i64,
    ) -> Result<Verification, DccError> {
        Ok((&self.0.verify_image(&image, at_epoch_seconds)?).into())
    }
}

/// A certificate read through every layer, without any signature check.
#[derive(uniffi::Record, Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    /// The payload as JSON, exactly as signed.
    pub payload_json: String,
    /// The certificate type, when exactly one of `v`/`t`/`r` is present.
    pub certificate_type: Option<CertificateType>,
    /// The claims (issuer, issued-at, expiry).
    pub claims: Claims,
    /// The kid (protected header first, else unprotected), base64.
    pub kid: Option<String>,
    /// The algorithm named in the header (`ES256`, `PS256`, or the raw value).
    pub algorithm: Option<String>,
    /// The COSE_Sign1 bytes (after inflating).
    pub cose: Vec<u8>,
}

impl From<&dcc::Decoded> for Decoded {
    fn from(d: &dcc::Decoded) -> Self {
        Decoded {
            payload_json: d.payload.to_string(),
            certificate_type: certificate_type(&d.payload),
            claims: (&d.claims).into(),
            kid: d
                .kid()
                .map(|k| base64::engine::general_purpose::STANDARD.encode(k)),
            algorithm: dcc::algorithm_name(d),
            cose: d.cose.clone(),
        }
    }
}

/// Decodes `HC1:` text through every layer without checking the signature.
#[uniffi::export]
pub fn decode(hc1: String) -> Result<Decoded, DccError> {
    Ok((&dcc::decode(&hc1)?).into())
}

/// Reads the QR code in a PNG or JPEG image and decodes it (no signature check).
#[uniffi::export]
pub fn decode_image(image: Vec<u8>) -> Result<Decoded, DccError> {
    Ok((&dcc::decode_image(&image)?).into())
}

/// Reads the QR code in a PNG or JPEG image and returns its text.
#[uniffi::export]
pub fn read_qr(image: Vec<u8>) -> Result<String, DccError> {
    Ok(dcc::read_qr(&image)?)
}
