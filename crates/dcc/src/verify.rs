//! Verifying certificates: signature, validity window and key usage, reported separately.

use dcc_cose::{
    Algorithm, VerifyError,
    dsc::{Dsc, KeyUsage, TrustStore},
    sign1::HeaderAlgorithm,
};
use dcc_payload::CertType;
use serde::{Deserialize, Serialize};

use std::sync::Arc;

use crate::revocation::{RevocationHashes, RevocationList, RevocationMatch, RevocationSource};
use crate::{CheckCode, Claims, Decoded, Result, decode};

/// Why a check failed: a stable code and a human message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckFailure {
    /// Stable code, e.g. `invalid_signature`, `expired`, `key_usage_mismatch`.
    pub code: CheckCode,
    /// Human-readable explanation.
    pub message: String,
}

impl std::fmt::Display for CheckFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl CheckFailure {
    fn new(code: CheckCode, message: impl Into<String>) -> Self {
        CheckFailure {
            code,
            message: message.into(),
        }
    }
}

/// The outcome of one check. Serialised flat, the one shape every binding has:
/// `{"status": "passed" | "failed" | "skipped" | "not_checkable", "code": ..., "message": ...}`
/// (`code` only when failed; `message` when failed, skipped or not checkable).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(into = "crate::api::OutcomeView", try_from = "crate::api::OutcomeView")]
pub enum Outcome {
    /// The check passed.
    Passed,
    /// The check failed.
    Failed(CheckFailure),
    /// The check could not run (e.g. key usage without a trusted signer).
    Skipped {
        /// Why.
        reason: String,
    },
    /// The check cannot be made with what the signer's trust entry carries: a bare public key
    /// from a key list (Swiss, Dutch) has no validity window and no extended key usage. Not a
    /// failure, and never reported as passed.
    NotCheckable {
        /// Why.
        reason: String,
    },
}

impl Outcome {
    /// Whether the check passed.
    pub fn passed(&self) -> bool {
        matches!(self, Outcome::Passed)
    }
    /// Whether the check passed or could not be made for a bare-key signer
    /// ([`Outcome::NotCheckable`]): what [`Verification::is_valid`] requires of the validity
    /// and key-usage checks.
    pub fn passed_or_not_checkable(&self) -> bool {
        matches!(self, Outcome::Passed | Outcome::NotCheckable { .. })
    }
    /// The failure, if the check failed.
    pub fn failure(&self) -> Option<&CheckFailure> {
        match self {
            Outcome::Failed(f) => Some(f),
            _ => None,
        }
    }
    /// `passed`, `failed` or `skipped`.
    pub fn status(&self) -> crate::api::CheckStatus {
        match self {
            Outcome::Passed => crate::api::CheckStatus::Passed,
            Outcome::Failed(_) => crate::api::CheckStatus::Failed,
            Outcome::Skipped { .. } => crate::api::CheckStatus::Skipped,
            Outcome::NotCheckable { .. } => crate::api::CheckStatus::NotCheckable,
        }
    }
    fn from_result(r: std::result::Result<(), CheckFailure>) -> Self {
        match r {
            Ok(()) => Outcome::Passed,
            Err(f) => Outcome::Failed(f),
        }
    }
}

/// The outcome of each check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checks {
    /// The COSE signature against a trusted DSC with the certificate's kid.
    pub signature: Outcome,
    /// `DSC notBefore <= iat <= at <= exp <= DSC notAfter`. `not_checkable` when the claims
    /// fit the verification time but the signer is a bare key with no validity window.
    pub validity: Outcome,
    /// The DSC's extended key usage allows the certificate type. `not_checkable` for a bare-key
    /// signer (what its list says it may sign is still enforced).
    pub key_usage: Outcome,
    /// The payload holds exactly one certificate: one non-null group with exactly one entry
    /// (the HCERT guidance: verifiers shall reject more).
    pub structure: Outcome,
    /// Data quality: the schema of the payload's version, value sets and plausibility rules
    /// ([`Verification::findings`]). Reported, never fatal.
    pub payload: Outcome,
    /// None of the certificate's revocation hashes is in the verifier's revocation data
    /// ([`Verifier::with_revocation`]). Decisive when revocation data was supplied; without
    /// any it is skipped ("not checked").
    pub revocation: Outcome,
}

/// A document signer certificate (DSC), as every binding reports it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignerInfo {
    /// base64 kid.
    pub kid: String,
    /// Subject DN.
    pub subject: String,
    /// Subject country.
    pub country: Option<String>,
    /// notBefore, seconds.
    pub not_before: Option<i64>,
    /// notAfter, seconds.
    pub not_after: Option<i64>,
    /// Key type, e.g. `P-256`.
    pub key: String,
    /// False for a bare public key from a key list (no certificate: no subject, no validity
    /// window, no extended key usage).
    pub certificate: bool,
    /// The trust list this signer came from (format, list name, the list's country for it),
    /// or null when it was trusted directly (`--trust`, PEM/DER certificates).
    pub source: Option<TrustSourceView>,
}

/// Where a trusted signer came from, as every binding reports it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrustSourceView {
    /// The list's format: `de`, `at`, `ch` or `eu-gateway`.
    pub format: String,
    /// The caller's name for the list, if given.
    pub list: Option<String>,
    /// The entry's country as the list states it.
    pub country: Option<String>,
    /// True when the list had expired and was used because the caller allowed it.
    pub list_expired: bool,
}

impl From<&Dsc> for SignerInfo {
    fn from(d: &Dsc) -> Self {
        SignerInfo {
            kid: d.kid_base64(),
            subject: d.subject().to_string(),
            country: d.country().map(str::to_string),
            not_before: d.not_before(),
            not_after: d.not_after(),
            key: d.public_key().describe(),
            certificate: d.is_certificate(),
            source: d.source().map(|s| TrustSourceView {
                format: s.format.clone(),
                list: s.list.clone(),
                country: s.country.clone(),
                list_expired: s.list_expired,
            }),
        }
    }
}

/// The result of verifying one certificate.
#[derive(Debug, Clone)]
pub struct Verification {
    /// Everything that was decoded.
    pub decoded: Decoded,
    /// The DSC whose key verified the signature.
    pub signer: Option<SignerInfo>,
    /// Each check's outcome.
    pub checks: Checks,
    /// Every data-quality finding (path, code, message); never makes a certificate invalid.
    pub findings: Vec<dcc_payload::Issue>,
    /// The verification time used, seconds since the epoch.
    pub at: i64,
    /// The revocation entry that revoked the certificate (hash type, hash, source), if any.
    pub revoked_by: Option<RevocationMatch>,
    /// The verifier's value sets, which business rules see as `external.valueSets`.
    pub(crate) value_sets: dcc_payload::ValueSets,
}

impl Verification {
    /// True only when the signature, the validity window, the key usage and the structure all
    /// pass, and the revocation check did not fail (it is skipped without revocation data).
    /// For a bare-key signer the validity window and key usage are `not_checkable`, which
    /// does not make the certificate invalid (and is reported as such, never as passed).
    /// Data-quality findings never make a certificate invalid.
    pub fn is_valid(&self) -> bool {
        self.checks.signature.passed()
            && self.checks.validity.passed_or_not_checkable()
            && self.checks.key_usage.passed_or_not_checkable()
            && self.checks.structure.passed()
            && self.checks.revocation.failure().is_none()
    }

    /// The certificate's three revocation hashes.
    pub fn revocation_hashes(&self) -> RevocationHashes {
        RevocationHashes::of(&self.decoded)
    }

    /// The payload as JSON, as signed.
    pub fn payload(&self) -> &serde_json::Value {
        &self.decoded.payload
    }

    /// The claims.
    pub fn claims(&self) -> &Claims {
        &self.decoded.claims
    }

    /// Every failure among the decisive checks (signature, validity, key usage, structure,
    /// revocation).
    pub fn failures(&self) -> Vec<CheckFailure> {
        [
            &self.checks.signature,
            &self.checks.validity,
            &self.checks.key_usage,
            &self.checks.structure,
            &self.checks.revocation,
        ]
        .into_iter()
        .filter_map(|o| o.failure().cloned())
        .collect()
    }

    /// The certificate type, when the payload holds exactly one non-null group.
    pub fn certificate_type(&self) -> Option<CertType> {
        self.decoded.certificate_type()
    }

    /// The kid (protected header first, else unprotected), base64.
    pub fn kid(&self) -> Option<String> {
        self.decoded.kid_base64()
    }

    /// `Ok(self)` when valid, else [`crate::Error::Verification`] with every failure.
    pub fn ensure_valid(self) -> Result<Self> {
        if self.is_valid() {
            Ok(self)
        } else {
            Err(crate::Error::Verification(self.failures()))
        }
    }
}

/// A verifier: a set of trusted DSCs, and optionally revocation data.
#[derive(Debug, Clone, Default)]
pub struct Verifier {
    trust: TrustStore,
    clock_skew: i64,
    validator: dcc_payload::Validator,
    revocation: Option<Arc<RevocationList>>,
}

impl Verifier {
    /// A verifier trusting `dscs`.
    pub fn new(dscs: impl IntoIterator<Item = Dsc>) -> Self {
        Verifier {
            trust: dscs.into_iter().collect(),
            clock_skew: 0,
            validator: dcc_payload::Validator::default(),
            revocation: None,
        }
    }

    /// Trusts every entry of a checked trust list (see [`crate::TrustList::load`]); the
    /// verification then names the list as the signer's source.
    pub fn with_trust_list(mut self, list: crate::TrustList) -> Self {
        for dsc in list.into_entries() {
            self.trust.add(dsc);
        }
        self
    }

    /// Loads and checks a trust list ([`crate::TrustList::load`]) and trusts its entries.
    pub fn load_trust_list(
        self,
        content: &[u8],
        companion: Option<&[u8]>,
        anchor: Option<&[u8]>,
        options: &crate::TrustListOptions,
    ) -> Result<Self> {
        let list = crate::TrustList::load(content, companion, anchor, options)?;
        Ok(self.with_trust_list(list))
    }

    /// A verifier from certificates in PEM, DER or base64 DER (a PEM bundle may hold several).
    pub fn from_certs<I, B>(certs: I) -> Result<Self>
    where
        I: IntoIterator<Item = B>,
        B: AsRef<[u8]>,
    {
        let mut all = Vec::new();
        for c in certs {
            let bytes = c.as_ref();
            match std::str::from_utf8(bytes) {
                Ok(text) if text.contains("-----BEGIN") => all.extend(Dsc::all_from_pem(text)?),
                _ => all.push(Dsc::parse(bytes)?),
            }
        }
        Ok(Self::new(all))
    }

    /// A verifier trusting only the embedded demo DSC.
    pub fn demo() -> Self {
        Self::new([crate::demo::dsc()])
    }

    /// Tolerates clocks that differ by up to `secs` seconds when comparing `at` with `iat` and
    /// `exp` (default 0).
    pub fn with_clock_skew(mut self, secs: i64) -> Self {
        self.clock_skew = secs.max(0);
        self
    }

    /// Uses `validator` (for example with newer value sets) for the data-quality findings.
    pub fn with_validator(mut self, validator: dcc_payload::Validator) -> Self {
        self.validator = validator;
        self
    }

    /// Uses these value-set files (JSON, as published in `ehn-dcc-valuesets`) instead of the
    /// embedded copies of the same sets, for the data-quality findings.
    pub fn with_value_sets<S: AsRef<str>>(self, files: &[S]) -> Result<Self> {
        let validator = crate::api::validator_with(files)?;
        Ok(self.with_validator(validator))
    }

    /// Checks every certificate against this revocation data (gateway batches, Bloom
    /// filters): the `revocation` check then becomes decisive.
    pub fn with_revocation(mut self, list: RevocationList) -> Self {
        self.revocation = Some(Arc::new(list));
        self
    }

    /// Loads revocation files (gateway batch JSON or binary Bloom filters, detected by content;
    /// see [`RevocationList::load`]) and checks every certificate against them.
    pub fn with_revocation_data<B: AsRef<[u8]>>(self, files: &[B]) -> Result<Self> {
        let mut list = RevocationList::new();
        for f in files {
            list.load(f.as_ref(), None)?;
        }
        Ok(self.with_revocation(list))
    }

    /// The revocation data, if any.
    pub fn revocation(&self) -> Option<&RevocationList> {
        self.revocation.as_deref()
    }

    /// The trusted DSCs.
    pub fn trust_store(&self) -> &TrustStore {
        &self.trust
    }

    /// The trusted DSCs, as every binding reports them.
    pub fn trusted(&self) -> Vec<SignerInfo> {
        self.trust.iter().map(SignerInfo::from).collect()
    }

    /// Verifies `HC1:` text at `at` (seconds since the epoch). Errors are for input that cannot
    /// be decoded; a decodable certificate always yields a [`Verification`], valid or not.
    pub fn verify(&self, hc1: &str, at: i64) -> Result<Verification> {
        Ok(self.verify_decoded(decode(hc1)?, at))
    }

    /// Reads the QR code in a PNG or JPEG image and verifies it (JPEG needs the `jpeg` feature,
    /// on by default).
    pub fn verify_image(&self, image: &[u8], at: i64) -> Result<Verification> {
        self.verify(&crate::read_qr(image)?, at)
    }

    /// Verifies an already decoded certificate.
    pub fn verify_decoded(&self, decoded: Decoded, at: i64) -> Verification {
        let signer = decoded.sign1.verify_with(&self.trust);
        let (signature, dsc) = match signer {
            Ok(dsc) => (Outcome::Passed, Some(dsc)),
            Err(e) => (Outcome::Failed(signature_failure(&e)), None),
        };
        let bare = dsc.filter(|d| !d.is_certificate());
        let validity = match check_validity(&decoded.claims, dsc, at, self.clock_skew) {
            Err(f) => Outcome::Failed(f),
            Ok(()) if bare.is_some() => Outcome::NotCheckable {
                reason: format!(
                    "iat and exp fit the verification time, but the signer is a bare public key{} with no validity window to compare them with",
                    describe_list(bare)
                ),
            },
            Ok(()) => Outcome::Passed,
        };
        let key_usage = match dsc {
            Some(d) if !d.is_certificate() => match check_key_usage(d, &decoded.payload) {
                Err(f) if f.code == CheckCode::KeyUsageMismatch => {
                    Outcome::Failed(CheckFailure::new(
                        CheckCode::KeyUsageMismatch,
                        format!(
                            "the trust list{} does not allow this key to sign this certificate type",
                            describe_list(bare)
                        ),
                    ))
                }
                Err(f) => Outcome::Failed(f),
                Ok(()) => Outcome::NotCheckable {
                    reason: format!(
                        "the signer is a bare public key{} without a certificate whose extended key usage could be checked",
                        describe_list(bare)
                    ),
                },
            },
            Some(d) => Outcome::from_result(check_key_usage(d, &decoded.payload)),
            None => Outcome::Skipped {
                reason: "no trusted signer verified the signature".into(),
            },
        };
        let mut findings: Vec<dcc_payload::Issue> = decoded
            .float_dates
            .iter()
            .map(|f| {
                dcc_payload::Issue::new(
                    format!("claims/{}", f.claim),
                    dcc_payload::IssueCode::FloatNumericDate,
                    format!(
                        "{} is the CBOR float {}, HCERT requires an integer NumericDate; read as {}",
                        f.claim, f.value, f.seconds
                    ),
                )
            })
            .collect();
        findings.extend(
            self.validator
                .findings(&decoded.payload, decoded.claims.iat.unwrap_or(at)),
        );
        let payload = match findings.as_slice() {
            [] => Outcome::Passed,
            [first, rest @ ..] => Outcome::Failed(CheckFailure::new(
                CheckCode::PayloadFindings,
                if rest.is_empty() {
                    first.to_string()
                } else {
                    format!("{first} (and {} more)", rest.len())
                },
            )),
        };
        let (revocation, revoked_by) = match &self.revocation {
            None => (
                Outcome::Skipped {
                    reason: "not checked: no revocation data supplied".into(),
                },
                None,
            ),
            Some(list) => match list.check(&RevocationHashes::of(&decoded), decoded.kid()) {
                None => (Outcome::Passed, None),
                Some(m) => (
                    Outcome::Failed(CheckFailure::new(
                        CheckCode::Revoked,
                        format!(
                            "revoked: the {} hash {} is listed{}",
                            m.hash_type,
                            m.hash,
                            describe_source(&m.source)
                        ),
                    )),
                    Some(m),
                ),
            },
        };
        Verification {
            signer: dsc.map(SignerInfo::from),
            checks: Checks {
                signature,
                validity,
                key_usage,
                structure: Outcome::from_result(check_structure(&decoded.payload)),
                payload,
                revocation,
            },
            findings,
            decoded,
            at,
            revoked_by,
            value_sets: self.validator.value_sets().clone(),
        }
    }
}

/// " from the ch trust list (name)" for a bare key's source, or "".
fn describe_list(dsc: Option<&Dsc>) -> String {
    match dsc.and_then(Dsc::source) {
        Some(s) => match &s.list {
            Some(name) => format!(" from the {} trust list {name}", s.format),
            None => format!(" from the {} trust list", s.format),
        },
        None => String::new(),
    }
}

fn describe_source(s: &RevocationSource) -> String {
    let mut out = String::new();
    match s.kind.as_str() {
        "batch" => out.push_str(" in a revocation batch"),
        _ => out.push_str(" in a Bloom filter"),
    }
    if let Some(c) = &s.country {
        out.push_str(&format!(" of {c}"));
    }
    if let Some(n) = &s.name {
        out.push_str(&format!(" ({n})"));
    }
    out
}

/// The stable code of a signature failure.
pub fn signature_failure(e: &VerifyError) -> CheckFailure {
    let code = match e {
        VerifyError::MissingAlgorithm => CheckCode::MissingAlgorithm,
        VerifyError::UnsupportedAlgorithm(_) => CheckCode::UnsupportedAlgorithm,
        VerifyError::MissingKid => CheckCode::MissingKid,
        VerifyError::KidLength(_) => CheckCode::InvalidKidLength,
        VerifyError::UnknownKid(_) => CheckCode::UnknownKid,
        VerifyError::AlgorithmKeyMismatch { .. } => CheckCode::AlgorithmKeyMismatch,
        VerifyError::SignatureLength { .. } => CheckCode::InvalidSignatureLength,
        _ => CheckCode::InvalidSignature,
    };
    CheckFailure::new(code, e.to_string())
}

/// Checks `DSC notBefore <= iat`, `iat <= at <= exp` (with `skew` seconds of tolerance) and
/// `exp <= DSC notAfter`. Without a DSC only the claims and `at` are compared.
pub fn check_validity(
    claims: &Claims,
    dsc: Option<&Dsc>,
    at: i64,
    skew: i64,
) -> std::result::Result<(), CheckFailure> {
    let fmt = crate::format_time;
    let iat = claims
        .iat
        .ok_or_else(|| CheckFailure::new(CheckCode::MissingIat, "no issued-at claim"))?;
    let exp = claims
        .exp
        .ok_or_else(|| CheckFailure::new(CheckCode::MissingExp, "no expiry claim"))?;
    if at + skew < iat {
        return Err(CheckFailure::new(
            CheckCode::NotYetValid,
            format!(
                "issued at {}, after the verification time {}",
                fmt(iat),
                fmt(at)
            ),
        ));
    }
    if at - skew > exp {
        return Err(CheckFailure::new(
            CheckCode::Expired,
            format!(
                "expired at {}, before the verification time {}",
                fmt(exp),
                fmt(at)
            ),
        ));
    }
    let not_before = dsc.and_then(Dsc::not_before);
    if let Some(nb) = not_before
        && iat < nb
    {
        return Err(CheckFailure::new(
            CheckCode::IssuedBeforeSignerValidity,
            format!(
                "issued at {}, before the signer's notBefore {}",
                fmt(iat),
                fmt(nb)
            ),
        ));
    }
    let not_after = dsc.and_then(Dsc::not_after);
    if let Some(na) = not_after
        && exp > na
    {
        return Err(CheckFailure::new(
            CheckCode::ExpiresAfterSignerValidity,
            format!(
                "expires at {}, after the signer's notAfter {}",
                fmt(exp),
                fmt(na)
            ),
        ));
    }
    Ok(())
}

/// Checks that the DSC may sign the certificate type of `payload` (exactly one non-null group
/// of `v`/`t`/`r`; groups written as `null` are ignored). Works on raw JSON, so that a payload
/// outside the typed model can still be checked.
pub fn check_key_usage(
    dsc: &Dsc,
    payload: &serde_json::Value,
) -> std::result::Result<(), CheckFailure> {
    let t = single_group(payload)?;
    if dsc.key_usage().allows(crate::api::usage_type(t)) {
        Ok(())
    } else {
        Err(CheckFailure::new(
            CheckCode::KeyUsageMismatch,
            format!(
                "the signer certificate's extended key usage does not allow {t} certificates{}",
                if matches!(dsc.key_usage(), KeyUsage::Undecodable) {
                    " (the extension cannot be decoded, so it allows none)"
                } else {
                    ""
                }
            ),
        ))
    }
}

/// Checks that `payload` holds exactly one certificate: one non-null group of `v`/`t`/`r`
/// holding exactly one entry. The HCERT quality-assurance guidance says verifiers shall reject
/// more; groups written as `null`, as some issuers send, are ignored.
pub fn check_structure(payload: &serde_json::Value) -> std::result::Result<(), CheckFailure> {
    let t = single_group(payload)?;
    match payload.get(t.key()).and_then(serde_json::Value::as_array) {
        Some(entries) if entries.len() != 1 => Err(CheckFailure::new(
            CheckCode::MultipleEntries,
            format!(
                "the {} group holds {} entries; exactly one is allowed",
                t.key(),
                entries.len()
            ),
        )),
        _ => Ok(()),
    }
}

/// The type of the one non-null group of `payload`, else `certificate_type_unknown`.
fn single_group(payload: &serde_json::Value) -> std::result::Result<CertType, CheckFailure> {
    match CertType::present_in(payload).as_slice() {
        [t] => Ok(*t),
        types => Err(CheckFailure::new(
            CheckCode::CertificateTypeUnknown,
            format!(
                "the payload holds {} certificate groups; exactly one is required",
                types.len()
            ),
        )),
    }
}

/// The algorithm named in a decoded certificate's headers, for display.
pub fn algorithm_name(decoded: &Decoded) -> Option<String> {
    decoded.sign1.algorithm().map(|a| match a {
        HeaderAlgorithm::Supported(Algorithm::Es256) => "ES256".to_string(),
        HeaderAlgorithm::Supported(Algorithm::Ps256) => "PS256".to_string(),
        HeaderAlgorithm::Other(s) => s,
    })
}
