//! Verifying, and the records that mirror the facade's views field for field (filled by serde
//! from the views, see [`crate::from_view`]).

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::{
    DccError, RevocationHashes, RevocationMatch, RuleOptions, RuleSet, RulesReport, TrustList,
    from_view, json_text,
};

/// The CWT claims of a certificate.
#[derive(uniffi::Record, Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Claims {
    /// Issuer (claim 1), usually a country code.
    pub iss: Option<String>,
    /// Issued at, seconds since the epoch.
    pub iat: Option<i64>,
    /// Expires at, seconds since the epoch.
    pub exp: Option<i64>,
}

/// The certificate type, from the payload group that is present.
#[derive(
    uniffi::Enum, Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum CertificateType {
    /// `v`: vaccination.
    #[default]
    Vaccination,
    /// `t`: test.
    Test,
    /// `r`: recovery.
    Recovery,
}

/// Why a check failed: a stable `code` (one of `checkCodes()`) and a human message.
#[derive(uniffi::Record, Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct CheckFailure {
    /// Stable code, e.g. `invalid_signature`, `expired`, `key_usage_mismatch`.
    pub code: String,
    /// Human-readable explanation.
    pub message: String,
}

/// One problem found in a payload (a validation issue or a finding): where, a stable code (one
/// of `issueCodes()`), and what to fix.
#[derive(uniffi::Record, Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ValidationIssue {
    /// Slash-separated JSON path of the field (`v/0/dn`); empty for the whole payload.
    pub path: String,
    /// Stable snake_case code, the same in every language binding.
    pub code: String,
    /// Human-readable explanation.
    pub message: String,
}

/// One change normalisation made to a payload before signing.
#[derive(uniffi::Record, Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct PayloadChange {
    /// Path of the field (`nam/gn`).
    pub path: String,
    /// What was done, e.g. `trimmed "Michael "`.
    pub description: String,
}

/// `passed`, `failed`, `skipped` or `not_checkable`.
#[derive(
    uniffi::Enum, Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum CheckStatus {
    /// The check passed.
    #[default]
    Passed,
    /// The check failed; `code` and `message` say why.
    Failed,
    /// The check could not run (e.g. key usage without a trusted signer); `message` says why.
    Skipped,
    /// The check cannot be made with what the signer's trust entry carries: validity and key
    /// usage of a bare public key from a key list (Swiss). Not a failure, never `passed`;
    /// `message` says why.
    NotCheckable,
}

/// The outcome of one check, flat, as in every language.
#[derive(uniffi::Record, Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Outcome {
    /// `passed`, `failed`, `skipped` or `not_checkable`.
    pub status: CheckStatus,
    /// The failure code (one of `checkCodes()`), when failed.
    pub code: Option<String>,
    /// The failure message, or why the check was skipped or is not checkable.
    pub message: Option<String>,
}

/// The outcome of each check.
#[derive(uniffi::Record, Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Checks {
    /// The COSE signature against a trusted DSC with the certificate's kid.
    pub signature: Outcome,
    /// `DSC notBefore <= iat <= at <= exp <= DSC notAfter`.
    pub validity: Outcome,
    /// The DSC's extended key usage allows the certificate type.
    pub key_usage: Outcome,
    /// The payload holds exactly one certificate: one non-null group with exactly one entry.
    pub structure: Outcome,
    /// Data quality: schema, value sets and plausibility (see `findings`). Never fatal.
    pub payload: Outcome,
    /// None of the certificate's revocation hashes is in the verifier's revocation data
    /// (`Verifier.withRevocation`): decisive when data was supplied (failed: `revoked`),
    /// skipped ("not checked") without any.
    pub revocation: Outcome,
}

/// A signer certificate (DSC).
#[derive(uniffi::Record, Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
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
    /// False for a bare public key from a key list (no certificate: no subject, no validity
    /// window, no extended key usage).
    pub certificate: bool,
    /// The trust list this signer came from, or `null`/`nil` when it was trusted directly
    /// (`Verifier.fromCerts`).
    pub source: Option<TrustSource>,
}

/// Where a trusted signer came from (`SignerInfo.source`).
#[derive(uniffi::Record, Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct TrustSource {
    /// The list's format: `de`, `at`, `ch` or `eu-gateway`.
    pub format: String,
    /// The caller's name for the list (`TrustListOptions.name`), if given.
    pub list: Option<String>,
    /// The entry's country as the list states it.
    pub country: Option<String>,
    /// True when the list had expired and was used because the caller allowed it.
    pub list_expired: bool,
}

/// The result of verifying one certificate: the facade's verification view.
#[derive(uniffi::Record, Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Verification {
    /// True only when the signature and structure checks pass, validity and key usage pass
    /// (or are `not_checkable` for a bare-key signer) and, with revocation data, the
    /// certificate is not revoked. Data-quality findings
    /// (`checks.payload`) never make a certificate invalid.
    pub valid: bool,
    /// The `HC1:` text that was verified.
    pub hc1: String,
    /// The kid (protected header first, else unprotected), base64.
    pub kid: Option<String>,
    /// The algorithm named in the header (`ES256`, `PS256`, or the raw value).
    pub algorithm: Option<String>,
    /// The certificate type, when the payload holds exactly one non-null group.
    pub certificate_type: Option<CertificateType>,
    /// The claims (issuer, issued-at, expiry).
    pub claims: Claims,
    /// The payload as JSON, exactly as signed.
    #[serde(with = "json_text")]
    pub payload: String,
    /// The DSC whose key verified the signature.
    pub signer: Option<SignerInfo>,
    /// Each check's outcome.
    pub checks: Checks,
    /// Every failure among the decisive checks (including `revoked`).
    pub failures: Vec<CheckFailure>,
    /// Every data-quality finding (schema, value sets, plausibility); never fatal.
    pub findings: Vec<ValidationIssue>,
    /// The verification time used, seconds since the epoch.
    pub at: i64,
    /// The revocation entry that revoked the certificate (hash type, hash, source), or
    /// `null`/`nil`.
    pub revoked_by: Option<RevocationMatch>,
}

#[uniffi::export]
impl Verification {
    /// This verification when valid, else `verification_failed` with every failure.
    pub fn ensure_valid(&self) -> Result<Verification, DccError> {
        match self.valid {
            true => Ok(self.clone()),
            false => Err(dcc::Error::Verification(from_view(&self.failures)).into()),
        }
    }

    /// The three revocation hashes of the verified certificate. Throws only when `hc1` cannot
    /// be decoded (a record built by hand), as `decode` would.
    pub fn revocation_hashes(&self) -> Result<RevocationHashes, DccError> {
        crate::revocation_hashes(self.hc1.clone())
    }

    /// Evaluates the business rules that apply to this certificate (acceptance rules of the
    /// arrival country and region, invalidation rules of the issuing country, the newest
    /// version in force at `options.at`, default: this verification's time). It says whether
    /// the certificate is accepted for entry, not whether it is genuine: check `valid` too.
    /// The certificate is read again from `hc1`; the rules see the embedded value sets, with
    /// `options.valueSets` replacing those of the same ids (a record does not carry its
    /// verifier's value sets).
    /// `invalid_argument` when the country is not two letters or the payload holds no single
    /// certificate type.
    pub fn evaluate_rules(
        &self,
        rules: Arc<RuleSet>,
        options: RuleOptions,
    ) -> Result<RulesReport, DccError> {
        let verification = dcc::Verifier::default().verify(&self.hc1, self.at)?;
        Ok(from_view(
            verification.evaluate_rules(&rules.0, &options.into())?,
        ))
    }

    /// The verification view as JSON (snake_case keys), the same text as the CLI's
    /// `verify --json` and every binding's `toJson`.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// A certificate read through every layer, without any signature check.
#[derive(uniffi::Record, Debug, Clone, PartialEq, Eq, Default, Deserialize)]
pub struct Decoded {
    /// The `HC1:` text.
    pub hc1: String,
    /// The kid (protected header first, else unprotected), base64.
    pub kid: Option<String>,
    /// The algorithm named in the header (`ES256`, `PS256`, or the raw value).
    pub algorithm: Option<String>,
    /// The certificate type, when the payload holds exactly one non-null group.
    pub certificate_type: Option<CertificateType>,
    /// The claims (issuer, issued-at, expiry).
    pub claims: Claims,
    /// The payload as JSON, exactly as signed.
    #[serde(with = "json_text")]
    pub payload: String,
}

/// The result of `validate`: a payload checked for issuing without signing it.
#[derive(uniffi::Record, Debug, Clone, PartialEq, Eq, Default, Deserialize)]
pub struct ValidationReport {
    /// True when the payload could be issued as it is (after normalisation).
    pub valid: bool,
    /// The normalised payload, as JSON.
    #[serde(with = "json_text")]
    pub payload: String,
    /// What normalisation changed.
    pub changes: Vec<PayloadChange>,
    /// Every problem left after normalisation.
    pub issues: Vec<ValidationIssue>,
}

/// A verifier: a set of trusted signer certificates (DSCs). Safe to share between threads.
#[derive(uniffi::Object, Debug)]
pub struct Verifier(dcc::Verifier);

#[uniffi::export]
impl Verifier {
    /// A verifier trusting `certificates`: each PEM (a PEM bundle may hold several) or base64
    /// DER, as in national trust lists.
    #[uniffi::constructor]
    pub fn from_certs(certificates: Vec<String>) -> Result<Arc<Self>, DccError> {
        Ok(Arc::new(Verifier(dcc::Verifier::from_certs(certificates)?)))
    }

    /// A verifier trusting only the embedded demo DSC (`C=XX`). Never in production.
    #[uniffi::constructor]
    pub fn demo() -> Arc<Self> {
        Arc::new(Verifier(dcc::Verifier::demo()))
    }

    /// A copy of this verifier that tolerates clocks differing by up to `seconds` when
    /// comparing the verification time with issued-at and expiry (default 0).
    pub fn with_clock_skew(&self, seconds: i64) -> Arc<Self> {
        Arc::new(Verifier(self.0.clone().with_clock_skew(seconds)))
    }

    /// A copy of this verifier whose findings use these value-set files (JSON) instead of the
    /// embedded copies of the same sets.
    pub fn with_value_sets(&self, value_sets: Vec<String>) -> Result<Arc<Self>, DccError> {
        Ok(Arc::new(Verifier(
            self.0.clone().with_value_sets(&value_sets)?,
        )))
    }

    /// A copy of this verifier that checks every certificate against revocation data, which
    /// makes the revocation check decisive. Each item is a file's bytes: gateway batch JSON
    /// (one batch or an array of batches) or a binary EU revocation Bloom filter (detected by
    /// content). Data that cannot be used is `invalid_revocation_data`. Replaces any
    /// revocation data this verifier had.
    pub fn with_revocation(&self, data: Vec<Vec<u8>>) -> Result<Arc<Self>, DccError> {
        Ok(Arc::new(Verifier(
            self.0.clone().with_revocation_data(&data)?,
        )))
    }

    /// A copy of this verifier that also trusts every entry of a loaded trust list
    /// (`TrustList.load`); verifications then name the list as the signer's `source`.
    pub fn with_trust_list(&self, list: Arc<TrustList>) -> Arc<Self> {
        Arc::new(Verifier(self.0.clone().with_trust_list(list.inner())))
    }

    /// The trusted certificates.
    pub fn trusted(&self) -> Vec<SignerInfo> {
        self.0.trusted().iter().map(from_view).collect()
    }

    /// Verifies `HC1:` text at `at` (seconds since the epoch). Throws only for input that
    /// cannot be decoded; a decodable certificate always yields a `Verification`, valid or not.
    pub fn verify(&self, hc1: String, at: i64) -> Result<Verification, DccError> {
        Ok(from_view(self.0.verify(&hc1, at)?.view()))
    }

    /// Reads the QR code in a PNG or JPEG image and verifies it at `at`.
    pub fn verify_image(&self, image: Vec<u8>, at: i64) -> Result<Verification, DccError> {
        Ok(from_view(self.0.verify_image(&image, at)?.view()))
    }
}
