//! The binding-facing layer: everything a language binding needs, so that a binding only
//! converts types.
//!
//! - **Views**: serialisable records of what callers receive ([`VerificationView`],
//!   [`DecodedView`], [`CertificateView`], [`SignerInfo`], [`crate::Claims`], [`OutcomeView`],
//!   [`crate::CheckFailure`], [`crate::ValidationIssue`], [`crate::Change`],
//!   [`ValidationReport`], [`ErrorView`]). The CLI's `--json` output, the JavaScript objects,
//!   the Python objects and the Kotlin/Swift records are these views, field for field (names
//!   adapted to each language's case convention). `tests/golden/conformance-sample.json` pins
//!   the verification view.
//! - **Operations** that every language offers under one name (see `api/operations.json`):
//!   [`validate`], [`transliterate`], [`generate_uvci`], [`generate_key`],
//!   [`parse_algorithm`], [`certificate_type`], plus the methods of [`crate::Issuer`],
//!   [`crate::Verifier`] and [`crate::Certificate`].
//! - **Codes**: [`crate::ErrorKind`], [`crate::CheckCode`], [`crate::IssueCode`], each with
//!   `ALL`.

use dcc_cose::Algorithm;
/// The error a [`crate::Signer`] returns: bindings that adapt a signer written in another
/// language (a callback, a foreign interface) need to name it.
pub use dcc_cose::SignError;
use dcc_payload::{CertType, Issue, Validator, ValueSets, validate::Change};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::{
    CheckCode, CheckFailure, Checks, Claims, Decoded, Error, ErrorKind, Outcome, Result,
    SignerInfo, Verification,
};

/// `passed`, `failed`, `skipped` or `not_checkable`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckStatus {
    /// The check passed.
    Passed,
    /// The check failed; `code` and `message` say why.
    Failed,
    /// The check could not run; `message` says why.
    Skipped,
    /// The check cannot be made for this signer (a bare key from a key list); `message` says
    /// why. Not a failure, never a pass.
    NotCheckable,
}

/// The outcome of one check, flat: the one shape every language has.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutcomeView {
    /// `passed`, `failed`, `skipped` or `not_checkable`.
    pub status: CheckStatus,
    /// The failure code, when failed.
    pub code: Option<CheckCode>,
    /// The failure message, or why the check was skipped.
    pub message: Option<String>,
}

impl From<Outcome> for OutcomeView {
    fn from(o: Outcome) -> Self {
        let status = o.status();
        match o {
            Outcome::Passed => OutcomeView {
                status,
                code: None,
                message: None,
            },
            Outcome::Failed(f) => OutcomeView {
                status,
                code: Some(f.code),
                message: Some(f.message),
            },
            Outcome::Skipped { reason } | Outcome::NotCheckable { reason } => OutcomeView {
                status,
                code: None,
                message: Some(reason),
            },
        }
    }
}

impl TryFrom<OutcomeView> for Outcome {
    type Error = String;
    fn try_from(v: OutcomeView) -> std::result::Result<Self, String> {
        match (v.status, v.code) {
            (CheckStatus::Passed, None) => Ok(Outcome::Passed),
            (CheckStatus::Failed, Some(code)) => Ok(Outcome::Failed(CheckFailure {
                code,
                message: v.message.unwrap_or_default(),
            })),
            (CheckStatus::Skipped, None) => Ok(Outcome::Skipped {
                reason: v.message.unwrap_or_default(),
            }),
            (CheckStatus::NotCheckable, None) => Ok(Outcome::NotCheckable {
                reason: v.message.unwrap_or_default(),
            }),
            _ => Err("a failed check needs a code, and only a failed check has one".into()),
        }
    }
}

/// The result of verifying one certificate, as every language reports it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VerificationView {
    /// True only when the signature, validity, key-usage and structure checks all pass.
    pub valid: bool,
    /// What was decoded: `hc1`, `kid`, `algorithm`, `certificate_type`, `claims`, `payload`
    /// (flattened into the same JSON object).
    #[serde(flatten)]
    pub decoded: DecodedView,
    /// The DSC whose key verified the signature.
    pub signer: Option<SignerInfo>,
    /// Each check's outcome.
    pub checks: Checks,
    /// Every failure among the four decisive checks.
    pub failures: Vec<CheckFailure>,
    /// Every data-quality finding (never fatal).
    pub findings: Vec<Issue>,
    /// The verification time, seconds since the epoch.
    pub at: i64,
    /// The revocation entry that revoked the certificate (hash type, hash, source), or null.
    pub revoked_by: Option<crate::revocation::RevocationMatch>,
}

impl Verification {
    /// The view every language reports.
    pub fn view(&self) -> VerificationView {
        VerificationView {
            valid: self.is_valid(),
            decoded: self.decoded.view(),
            signer: self.signer.clone(),
            checks: self.checks.clone(),
            failures: self.failures(),
            findings: self.findings.clone(),
            at: self.at,
            revoked_by: self.revoked_by.clone(),
        }
    }

    /// The view as JSON (the CLI's `verify --json`, every binding's `to_json`).
    pub fn to_json(&self) -> String {
        to_json(&self.view())
    }
}

/// A certificate read through every layer, without any signature check.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DecodedView {
    /// The `HC1:` text.
    pub hc1: String,
    /// The kid (protected header first, else unprotected), base64.
    pub kid: Option<String>,
    /// The algorithm named in the header.
    pub algorithm: Option<String>,
    /// The certificate type, when the payload holds exactly one non-null group.
    pub certificate_type: Option<CertType>,
    /// The claims.
    pub claims: Claims,
    /// The payload, exactly as signed.
    pub payload: Value,
}

impl Decoded {
    /// The view every language reports.
    pub fn view(&self) -> DecodedView {
        DecodedView {
            hc1: self.hc1.clone(),
            kid: self.kid_base64(),
            algorithm: self.algorithm(),
            certificate_type: self.certificate_type(),
            claims: self.claims.clone(),
            payload: self.payload.clone(),
        }
    }

    /// The view as JSON (the CLI's `decode --json`).
    pub fn to_json(&self) -> String {
        to_json(&self.view())
    }
}

/// An issued certificate, as every language reports it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CertificateView {
    /// The `HC1:` text (the QR code content).
    pub hc1: String,
    /// The kid of the signer certificate, base64.
    pub kid: String,
    /// `ES256` or `PS256`.
    pub algorithm: String,
    /// The certificate type.
    pub certificate_type: CertType,
    /// The claims that were signed.
    pub claims: Claims,
    /// The payload that was signed (normalised).
    pub payload: Value,
    /// What normalisation changed before signing.
    pub changes: Vec<Change>,
}

impl crate::Certificate {
    /// The view every language reports.
    pub fn view(&self) -> CertificateView {
        CertificateView {
            hc1: self.hc1().to_string(),
            kid: self.kid(),
            algorithm: self.algorithm().to_string(),
            certificate_type: self.certificate_type(),
            claims: self.claims().clone(),
            payload: self.dcc().to_value(),
            changes: self.changes().to_vec(),
        }
    }

    /// The view as JSON (the CLI's `issue --json`).
    pub fn to_json(&self) -> String {
        to_json(&self.view())
    }
}

/// An error as the bindings report it (JavaScript error properties, Python exception
/// attributes, Kotlin exception fields, the CLI's JSON errors).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ErrorView {
    /// The stable code.
    pub code: ErrorKind,
    /// The human message (never key material).
    pub message: String,
    /// For `validation_failed`: every problem.
    pub issues: Vec<Issue>,
    /// For `verification_failed`: every failed check.
    pub failures: Vec<CheckFailure>,
}

/// The result of validating a payload for issuing without signing it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ValidationReport {
    /// True when the payload could be issued as it is (after normalisation).
    pub valid: bool,
    /// The normalised payload.
    pub payload: Value,
    /// What normalisation changed.
    pub changes: Vec<Change>,
    /// Every problem left after normalisation.
    pub issues: Vec<Issue>,
}

/// Validates a JSON payload for issuing at `at` (seconds since the epoch), with the embedded
/// value sets, or with `value_sets` (JSON files) replacing the embedded copies of the same
/// sets. Never signs. Input that is not JSON is `invalid_payload`; every problem in a JSON
/// payload is an issue in the report.
pub fn validate<S: AsRef<str>>(json: &str, at: i64, value_sets: &[S]) -> Result<ValidationReport> {
    let payload = parse_payload(json)?;
    let ready = validator_with(value_sets)?.prepare_for_issuing(&payload, at);
    Ok(ValidationReport {
        valid: ready.issues.is_empty(),
        payload: ready.payload,
        changes: ready.changes,
        issues: ready.issues,
    })
}

/// The ICAO Doc 9303 standardised form of a name (`fnt`/`gnt`): `Müller-Lüdenscheidt` ->
/// `MUELLER<LUEDENSCHEIDT`. A name with characters outside the 9303 tables is
/// `invalid_argument`.
pub fn transliterate(name: &str) -> Result<String> {
    dcc_payload::transliterate::to_icao(name).map_err(|e| Error::Argument(e.to_string()))
}

/// A new unique certificate identifier `URN:UVCI:01:CC:ISSUER/UNIQUE#CHECK` (random unique
/// part, ISO 7812 check character). A bad country or issuer part is `invalid_argument`.
pub fn generate_uvci(country: &str, issuer_part: &str) -> Result<String> {
    dcc_payload::uvci::generate(country, issuer_part).map_err(Error::Argument)
}

/// The certificate type of a JSON payload, when exactly one group of `v`/`t`/`r` is non-null.
pub fn certificate_type(payload: &Value) -> Option<CertType> {
    match CertType::present_in(payload).as_slice() {
        [t] => Some(*t),
        _ => None,
    }
}

/// Parses an algorithm from its name (`ES256`, `PS256`; case-insensitive): the one place every
/// binding and the CLI read one. Anything else is `invalid_argument`.
pub fn parse_algorithm(name: &str) -> Result<Algorithm> {
    match name.trim().to_ascii_uppercase().as_str() {
        "ES256" => Ok(Algorithm::Es256),
        "PS256" => Ok(Algorithm::Ps256),
        _ => Err(Error::Argument(format!(
            "unknown algorithm {name:?}: use ES256 or PS256"
        ))),
    }
}

/// Options of [`generate_key`], with the one set of defaults every language and the CLI use.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct KeyOptions {
    /// The DSC's country (two upper-case letters). Default `XX` (no country: a test key).
    pub country: String,
    /// The DSC's common name. Default `dcc-kit test DSC`.
    pub common_name: String,
    /// Days of validity from now. Default 730, so that a one-year certificate issued in the
    /// DSC's first year ends before the DSC does.
    pub valid_days: u32,
    /// The organization (`O=`) of the subject, as national CSCAs expect in a request. Default
    /// none.
    pub organization: Option<String>,
    /// The certificate types the key will sign: their HCERT extended-key-usage OIDs go into
    /// the DSC and the certificate request. Default (empty): all three.
    pub certificate_types: Vec<CertType>,
}

impl Default for KeyOptions {
    fn default() -> Self {
        KeyOptions {
            country: "XX".into(),
            common_name: "dcc-kit test DSC".into(),
            valid_days: 730,
            organization: None,
            certificate_types: Vec::new(),
        }
    }
}

/// Generates a P-256 key and a self-signed DSC with the three HCERT key-usage OIDs, for tests
/// and pilots (in production the DSC comes from the national CSCA). A country that is not two
/// upper-case letters, or an empty common name, is `invalid_options`.
pub fn generate_key(options: &KeyOptions) -> Result<crate::keygen::GeneratedKey> {
    crate::keygen::generate(options)
}

/// Gives every entry of `payload` without a certificate identifier (`ci`) a fresh UVCI for the
/// entry's country (`co`) and `issuer_part`; returns what was generated.
pub(crate) fn fill_uvci(payload: &mut Value, issuer_part: &str) -> Result<Vec<Change>> {
    let mut changes = Vec::new();
    for group in ["v", "t", "r"] {
        let Some(entries) = payload.get_mut(group).and_then(Value::as_array_mut) else {
            continue;
        };
        for (i, entry) in entries.iter_mut().enumerate() {
            let Some(obj) = entry.as_object_mut() else {
                continue;
            };
            if obj
                .get("ci")
                .and_then(Value::as_str)
                .is_some_and(|s| !s.trim().is_empty())
            {
                continue;
            }
            let country = obj.get("co").and_then(Value::as_str).unwrap_or("");
            let ci = dcc_payload::uvci::generate(country.trim(), issuer_part)
                .map_err(|e| Error::Options(format!("cannot generate {group}/{i}/ci: {e}")))?;
            changes.push(Change {
                path: format!("{group}/{i}/ci"),
                description: format!("generated {ci}"),
            });
            obj.insert("ci".into(), Value::String(ci));
        }
    }
    Ok(changes)
}

pub(crate) fn parse_payload(json: &str) -> Result<Value> {
    serde_json::from_str(json)
        .map_err(|e| dcc_payload::PayloadError::Json(std::sync::Arc::new(e)).into())
}

pub(crate) fn validator_with<S: AsRef<str>>(files: &[S]) -> Result<Validator> {
    if files.is_empty() {
        return Ok(Validator::default());
    }
    let mut sets = ValueSets::embedded();
    for f in files {
        sets.replace_from_json(f.as_ref())
            .map_err(Error::ValueSet)?;
    }
    Ok(Validator::new(sets))
}

/// The three revocation hashes of a certificate given as `HC1:` text, decoded without
/// verifying (the CLI's `dcc revocation-hashes`).
pub fn revocation_hashes(hc1: &str) -> Result<crate::RevocationHashesView> {
    Ok(crate::decode(hc1)?.revocation_hashes().view())
}

pub(crate) fn base64(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// Standard base64, padded or not; `None` when malformed.
pub(crate) fn base64_decode(text: &str) -> Option<Vec<u8>> {
    use base64::Engine;
    let t = text.trim();
    base64::engine::general_purpose::STANDARD
        .decode(t)
        .or_else(|_| base64::engine::general_purpose::STANDARD_NO_PAD.decode(t))
        .ok()
}

/// The key-usage type of a certificate type (the DSC layer knows nothing of payloads).
pub(crate) fn usage_type(t: CertType) -> dcc_cose::dsc::UsageType {
    use dcc_cose::dsc::UsageType;
    match t {
        CertType::Vaccination => UsageType::Vaccination,
        CertType::Test => UsageType::Test,
        CertType::Recovery => UsageType::Recovery,
    }
}

pub(crate) fn to_json<T: Serialize>(view: &T) -> String {
    // Views hold only strings, numbers, booleans and JSON values: serialising cannot fail.
    serde_json::to_string(view).unwrap_or_default()
}

/// Runs `f` over `items` on every core (in order); on targets without threads, in turn.
pub(crate) fn map_parallel<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism()
        .map(usize::from)
        .unwrap_or(1)
        .min(items.len());
    if threads <= 1 {
        return items.iter().map(f).collect();
    }
    let chunk = items.len().div_ceil(threads);
    std::thread::scope(|scope| {
        let handles: Vec<_> = items
            .chunks(chunk)
            .map(|part| scope.spawn(|| part.iter().map(&f).collect::<Vec<R>>()))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
            .collect()
    })
}
