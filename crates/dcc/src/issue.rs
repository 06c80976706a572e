//! Issuing certificates.

use std::sync::Arc;

use dcc_cose::{Signer, SigningKey, claims::CwtClaims, dsc::Dsc, sign1::Unsigned};
use dcc_payload::{
    CertType, Dcc,
    validate::{Change, Validator},
};
use dcc_qr::{EcLevel, QrCode, RenderOptions};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::{Claims, Error, Result, SignerInfo, now};

/// Default validity of an issued certificate: 365 days.
pub const DEFAULT_VALIDITY_SECS: i64 = 365 * 86_400;

/// How long a certificate is valid when [`IssueOptions`] does not say, per type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ValidityDefaults {
    /// Vaccination: 365 days.
    pub vaccination_secs: i64,
    /// Test: 72 hours.
    pub test_secs: i64,
    /// Recovery: 180 days, and never past the end of the payload's `du` (valid-until) day.
    pub recovery_secs: i64,
}

impl Default for ValidityDefaults {
    fn default() -> Self {
        ValidityDefaults {
            vaccination_secs: DEFAULT_VALIDITY_SECS,
            test_secs: 72 * 3600,
            recovery_secs: 180 * 86_400,
        }
    }
}

/// How long an issued certificate is valid. One value, so that conflicting options (an
/// expiry and a duration) cannot be expressed.
///
/// Serialised (and read by the bindings) as `"default"`, `{"for_seconds": N}` or
/// `{"until": T}`; an object with both keys is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Validity {
    /// The default of the certificate type (see [`ValidityDefaults`]).
    #[default]
    Default,
    /// This many seconds from issued-at (must be positive).
    ForSeconds(i64),
    /// Until this instant, seconds since the epoch (must be after issued-at).
    Until(i64),
}

/// Options for one certificate. Every field has a default.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct IssueOptions {
    /// Issuer claim (ISO 3166-1 alpha-2). Default: the DSC's country.
    pub iss: Option<String>,
    /// Issued-at, seconds since the epoch. Default: now.
    pub issued_at: Option<i64>,
    /// How long the certificate is valid. It may never end after the DSC's notAfter.
    pub validity: Validity,
    /// When set, every entry without a certificate identifier (`ci`) gets a fresh UVCI
    /// `URN:UVCI:01:<co>:<THIS>/<random>#<check>` before validation (listed in the changes).
    pub uvci_issuer: Option<String>,
}

/// An issuer: a signer (key in memory, HSM, remote KMS) and its DSC.
#[derive(Clone)]
pub struct Issuer {
    signer: Arc<dyn Signer>,
    dsc: Dsc,
    validator: Validator,
    validity: ValidityDefaults,
    #[cfg(feature = "ledger")]
    recorder: Option<crate::ledger::Recorder>,
}

impl std::fmt::Debug for Issuer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Issuer")
            .field("algorithm", &self.signer.algorithm())
            .field("dsc", &self.dsc)
            .finish_non_exhaustive()
    }
}

impl Issuer {
    /// An issuer from any [`Signer`] (key in memory, HSM, remote KMS, a callback in another
    /// language) and the DSC of its key.
    ///
    /// The signer's algorithm must fit the DSC's key (ES256 a P-256 key, PS256 an RSA key), and
    /// when the signer knows its public key it must be the certificate's: otherwise
    /// [`crate::ErrorKind::InvalidKey`], instead of certificates that never verify.
    pub fn from_signer(signer: Arc<dyn Signer>, dsc: Dsc) -> Result<Self> {
        use dcc_cose::{Algorithm, dsc::PublicKey};
        let fits = matches!(
            (signer.algorithm(), dsc.public_key()),
            (Algorithm::Es256, PublicKey::P256(_)) | (Algorithm::Ps256, PublicKey::Rsa(_))
        );
        if !fits {
            return Err(dcc_cose::KeyError::Unsupported(format!(
                "algorithm {} does not fit the signer certificate's {} key",
                signer.algorithm(),
                dsc.public_key().describe()
            ))
            .into());
        }
        if let (Some(key), Some(cert_key)) = (signer.public_key_spki(), dsc.public_key_der())
            && key != cert_key
        {
            return Err(dcc_cose::KeyError::CertificateMismatch.into());
        }
        Ok(Issuer {
            signer,
            dsc,
            validator: Validator::default(),
            validity: ValidityDefaults::default(),
            #[cfg(feature = "ledger")]
            recorder: None,
        })
    }

    /// Uses these value-set files (JSON, as published in `ehn-dcc-valuesets`) instead of the
    /// embedded copies of the same sets: new vaccines and tests without a new release.
    pub fn with_value_sets<S: AsRef<str>>(self, files: &[S]) -> Result<Self> {
        let validator = crate::api::validator_with(files)?;
        Ok(self.with_validator(validator))
    }

    /// Uses `validator` (for example with newer value sets) instead of the embedded data.
    pub fn with_validator(mut self, validator: Validator) -> Self {
        self.validator = validator;
        self
    }

    /// Records every certificate this issuer issues in `ledger`, under `options.operator`
    /// (required). A certificate whose record cannot be written is not returned: the call
    /// fails with [`crate::ErrorKind::LedgerFailed`]. [`Issuer::issue_batch`] records a batch in
    /// one transaction.
    #[cfg(feature = "ledger")]
    pub fn with_ledger(
        mut self,
        ledger: Arc<crate::ledger::Ledger>,
        options: crate::ledger::LedgerOptions,
    ) -> Result<Self> {
        if options.operator.trim().is_empty() {
            return Err(Error::Options(
                "recording in a ledger needs an operator id".into(),
            ));
        }
        self.recorder = Some(crate::ledger::Recorder { ledger, options });
        Ok(self)
    }

    /// The ledger this issuer records into, if any.
    #[cfg(feature = "ledger")]
    pub fn ledger(&self) -> Option<&Arc<crate::ledger::Ledger>> {
        self.recorder.as_ref().map(|r| &r.ledger)
    }

    /// Uses other default validities per certificate type.
    pub fn with_validity_defaults(mut self, validity: ValidityDefaults) -> Self {
        self.validity = validity;
        self
    }

    /// The validator in use.
    pub fn validator(&self) -> &Validator {
        &self.validator
    }

    /// An issuer from a PEM (or DER) private key and a PEM, DER or base64 DSC.
    ///
    /// ES256 signatures are hedged (fresh randomness in every nonce); see
    /// [`Issuer::from_pem_deterministic`] for byte-reproducible output.
    pub fn from_pem(key: impl AsRef<[u8]>, cert: impl AsRef<[u8]>) -> Result<Self> {
        let key = SigningKey::from_pem(key)?;
        let dsc = Dsc::parse(cert)?;
        Self::from_signer(Arc::new(key), dsc)
    }

    /// As [`Issuer::from_pem`], with ES256 nonces from RFC 6979: the same input always gives
    /// the same bytes (golden tests). About half as fast.
    pub fn from_pem_deterministic(key: impl AsRef<[u8]>, cert: impl AsRef<[u8]>) -> Result<Self> {
        let key = SigningKey::from_pem(key)?.deterministic();
        let dsc = Dsc::parse(cert)?;
        Self::from_signer(Arc::new(key), dsc)
    }

    /// The issuer with the embedded demo key and DSC. **Never for production**: the key is
    /// public in this repository.
    pub fn demo() -> Self {
        crate::demo::issuer()
    }

    /// The signer certificate.
    pub fn dsc(&self) -> &Dsc {
        &self.dsc
    }

    /// The signer certificate, as every binding reports it.
    pub fn signer(&self) -> SignerInfo {
        SignerInfo::from(&self.dsc)
    }

    /// A PKCS#10 certificate signing request (PEM) for this issuer's key, wherever it lives
    /// (memory, PKCS#11 token, a callback signer that knows its public key), with the subject
    /// and requested certificate types of `options`: what the national CSCA signs into a DSC.
    pub fn certificate_request(&self, options: &crate::KeyOptions) -> Result<String> {
        crate::certificate_request(self.signer.as_ref(), options)
    }

    /// The signature algorithm (ES256 or PS256) of this issuer's signer.
    pub fn algorithm(&self) -> dcc_cose::Algorithm {
        self.signer.algorithm()
    }

    /// Issues a certificate for a JSON payload.
    pub fn issue_json(&self, json: &str, opts: &IssueOptions) -> Result<Certificate> {
        self.issue_value(&crate::api::parse_payload(json)?, opts)
    }

    /// Issues one certificate per JSON payload, in order, on every core. One failure does
    /// not stop the others: each item is the certificate or the error for that payload.
    pub fn issue_batch<S: AsRef<str> + Sync>(
        &self,
        payloads: &[S],
        opts: &IssueOptions,
    ) -> Vec<Result<Certificate>> {
        #[cfg(feature = "ledger")]
        if let Some(recorder) = &self.recorder {
            // Issue without recording, then record every success in one transaction.
            let plain = Issuer {
                recorder: None,
                ..self.clone()
            };
            let mut results = plain.issue_batch(payloads, opts);
            let issued: Vec<&Certificate> =
                results.iter().filter_map(|r| r.as_ref().ok()).collect();
            if let Err(e) = recorder.record(&issued) {
                let message = e.to_string();
                for r in results.iter_mut().filter(|r| r.is_ok()) {
                    *r = Err(Error::Ledger(message.clone()));
                }
            }
            return results;
        }
        crate::api::map_parallel(payloads, |p| self.issue_json(p.as_ref(), opts))
    }

    /// [`Issuer::prepare`] for a JSON payload: the same errors as [`Issuer::issue_json`].
    pub fn prepare_json(&self, json: &str, opts: &IssueOptions) -> Result<PreparedCertificate> {
        self.prepare_value(&crate::api::parse_payload(json)?, opts)
    }

    /// Issues a certificate for a typed payload.
    pub fn issue(&self, dcc: &Dcc, opts: &IssueOptions) -> Result<Certificate> {
        self.issue_value(&dcc.to_value(), opts)
    }

    /// Issues a certificate for a JSON value: normalise, validate (refusing with every
    /// problem), then payload -> CWT -> COSE_Sign1 -> zlib -> Base45 -> `HC1:`.
    pub fn issue_value(&self, payload: &Value, opts: &IssueOptions) -> Result<Certificate> {
        let prepared = self.prepare_value(payload, opts)?;
        let signature = self.signer.sign(prepared.tbs())?;
        prepared.finish(signature)
    }

    /// Everything but the signature: for signers that work asynchronously (a remote KMS, a
    /// WebCrypto key), sign [`PreparedCertificate::tbs`] and call
    /// [`PreparedCertificate::finish`].
    pub fn prepare(&self, dcc: &Dcc, opts: &IssueOptions) -> Result<PreparedCertificate> {
        self.prepare_value(&dcc.to_value(), opts)
    }

    /// [`Issuer::prepare`] for a JSON value.
    pub fn prepare_value(
        &self,
        payload: &Value,
        opts: &IssueOptions,
    ) -> Result<PreparedCertificate> {
        if !payload.is_object() {
            return Err(dcc_payload::PayloadError::Model(
                "the payload must be a JSON object".into(),
            )
            .into());
        }
        let iat = opts.issued_at.unwrap_or_else(now);
        let filled;
        let (payload, generated) = match &opts.uvci_issuer {
            Some(part) => {
                let mut copy = payload.clone();
                let changes = crate::api::fill_uvci(&mut copy, part)?;
                filled = copy;
                (&filled, changes)
            }
            None => (payload, Vec::new()),
        };
        let mut ready = self.validator.prepare_for_issuing(payload, iat);
        ready.changes.splice(0..0, generated);
        if !ready.issues.is_empty() {
            return Err(Error::Validation(ready.issues));
        }
        let dcc = Dcc::from_value(ready.payload)?;
        let claims = self.claims_for(opts, iat, &dcc)?;
        let cwt = CwtClaims {
            iss: claims.iss.clone(),
            iat: claims.iat,
            exp: claims.exp,
            hcert: dcc.to_cbor_value()?,
            float_dates: Vec::new(),
        };
        let unsigned = Unsigned::new(self.signer.algorithm(), &self.dsc.kid(), cwt.to_vec()?)?;
        Ok(PreparedCertificate {
            unsigned,
            kid: self.dsc.kid(),
            cert_type: dcc.cert_type()?,
            claims,
            dcc,
            changes: ready.changes,
            #[cfg(feature = "ledger")]
            recorder: self.recorder.clone(),
        })
    }

    fn default_validity(&self, iat: i64, dcc: &Dcc) -> i64 {
        match dcc.entry().map(|e| e.cert_type()) {
            Ok(CertType::Test) => self.validity.test_secs,
            Ok(CertType::Recovery) => {
                let until_du = dcc
                    .r
                    .as_ref()
                    .and_then(|r| r.first())
                    .and_then(|r| crate::parse_time(&r.du))
                    .map(|du_start| du_start + 86_399 - iat)
                    .filter(|secs| *secs > 0);
                until_du.map_or(self.validity.recovery_secs, |d| {
                    d.min(self.validity.recovery_secs)
                })
            }
            _ => self.validity.vaccination_secs,
        }
    }

    fn claims_for(&self, opts: &IssueOptions, iat: i64, dcc: &Dcc) -> Result<Claims> {
        let iss = match &opts.iss {
            Some(c) => Some(c.clone()),
            None => self.dsc.country().map(str::to_string),
        };
        if let Some(c) = &iss
            && (c.len() != 2 || !c.bytes().all(|b| b.is_ascii_uppercase()))
        {
            return Err(Error::Options(format!(
                "iss {c:?} must be two upper-case letters"
            )));
        }
        let exp = match opts.validity {
            Validity::Until(e) => e,
            Validity::ForSeconds(d) if d <= 0 => {
                return Err(Error::Options(format!(
                    "validity of {d} seconds must be positive"
                )));
            }
            Validity::ForSeconds(d) => iat.saturating_add(d),
            Validity::Default => iat.saturating_add(self.default_validity(iat, dcc)),
        };
        if exp <= iat {
            return Err(Error::Options(format!(
                "expiry {exp} is not after issued-at {iat}"
            )));
        }
        if let Some(nb) = self.dsc.not_before()
            && iat < nb
        {
            return Err(Error::Options(format!(
                "issued-at {} is before the signer certificate's notBefore {}",
                crate::format_time(iat),
                crate::format_time(nb)
            )));
        }
        if let Some(na) = self.dsc.not_after()
            && exp > na
        {
            return Err(Error::Options(format!(
                "expiry {} is after the signer certificate's notAfter {}: shorten the validity \
                 or use a newer signer certificate",
                crate::format_time(exp),
                crate::format_time(na)
            )));
        }
        Ok(Claims {
            iss,
            iat: Some(iat),
            exp: Some(exp),
        })
    }
}

/// A certificate waiting for its signature.
#[derive(Debug, Clone)]
pub struct PreparedCertificate {
    unsigned: Unsigned,
    kid: dcc_cose::Kid,
    cert_type: CertType,
    claims: Claims,
    dcc: Dcc,
    changes: Vec<Change>,
    #[cfg(feature = "ledger")]
    recorder: Option<crate::ledger::Recorder>,
}

impl PreparedCertificate {
    /// The bytes to sign (the COSE `Sig_structure`).
    pub fn tbs(&self) -> &[u8] {
        self.unsigned.tbs()
    }

    /// The algorithm the signature must use.
    pub fn algorithm(&self) -> dcc_cose::Algorithm {
        self.unsigned.algorithm()
    }

    /// Attaches the signature (ES256: raw `r || s` or DER; PS256: the PSS signature) and encodes
    /// the certificate.
    pub fn finish(self, signature: Vec<u8>) -> Result<Certificate> {
        let algorithm = self.unsigned.algorithm();
        let cose = self.unsigned.finish(signature)?;
        let hc1 = dcc_encoding::encode_hc1(&cose)
            .map_err(|e| Error::Sign(dcc_cose::SignError::Encoding(Arc::new(e))))?;
        let cert = Certificate {
            algorithm,
            kid: self.kid,
            cert_type: self.cert_type,
            hc1,
            cose,
            claims: self.claims,
            dcc: self.dcc,
            changes: self.changes,
        };
        #[cfg(feature = "ledger")]
        if let Some(recorder) = &self.recorder {
            recorder.record(&[&cert])?;
        }
        Ok(cert)
    }
}

/// An issued certificate.
#[derive(Debug, Clone)]
pub struct Certificate {
    hc1: String,
    kid: dcc_cose::Kid,
    algorithm: dcc_cose::Algorithm,
    cert_type: CertType,
    cose: Vec<u8>,
    claims: Claims,
    dcc: Dcc,
    changes: Vec<Change>,
}

impl Certificate {
    /// The `HC1:` text (the QR code content).
    pub fn hc1(&self) -> &str {
        &self.hc1
    }
    /// The signed COSE_Sign1 bytes.
    pub fn cose(&self) -> &[u8] {
        &self.cose
    }
    /// The claims that were signed.
    pub fn claims(&self) -> &Claims {
        &self.claims
    }
    /// The payload that was signed (normalised).
    pub fn dcc(&self) -> &Dcc {
        &self.dcc
    }
    /// What normalisation changed in the payload before signing (trimmed strings, derived
    /// `fnt`/`gnt`, ...).
    pub fn changes(&self) -> &[Change] {
        &self.changes
    }
    /// The kid of the signer certificate, base64.
    pub fn kid(&self) -> String {
        crate::api::base64(&self.kid)
    }
    /// The signature algorithm.
    pub fn algorithm(&self) -> dcc_cose::Algorithm {
        self.algorithm
    }
    /// The certificate type (vaccination, test or recovery).
    pub fn certificate_type(&self) -> CertType {
        self.cert_type
    }
    /// The three revocation hashes (UCI, COUNTRYCODEUCI, SIGNATURE) a revocation batch would
    /// list for this certificate.
    pub fn revocation_hashes(&self) -> crate::RevocationHashes {
        let signature = dcc_cose::sign1::DecodedSign1::from_slice(&self.cose)
            .map(|s| s.signature().to_vec())
            .unwrap_or_default();
        let ci = self.dcc.entry().ok().map(|e| e.ci().to_string());
        crate::RevocationHashes::compute(
            ci.as_deref().filter(|c| !c.is_empty()),
            self.claims.iss.as_deref(),
            &signature,
            self.algorithm == dcc_cose::Algorithm::Es256,
        )
    }
    /// The QR code (alphanumeric mode, one segment) at error-correction level `ec`.
    pub fn qr(&self, ec: EcLevel) -> Result<QrCode> {
        Ok(QrCode::encode(&self.hc1, ec)?)
    }
    /// A 1-bit PNG of the QR code at level Q, `scale` pixels per module, 4-module quiet zone.
    pub fn to_png(&self, scale: u32) -> Result<Vec<u8>> {
        let opts = RenderOptions {
            scale,
            ..RenderOptions::default()
        };
        Ok(self.qr(EcLevel::Q)?.to_png(&opts)?)
    }
    /// An SVG of the QR code at level Q.
    pub fn to_svg(&self) -> Result<String> {
        Ok(self.qr(EcLevel::Q)?.to_svg(&RenderOptions::default()))
    }
    /// The printable certificate: an A4 PDF in the EU layout, folded into four A6 panels, the
    /// QR code as vector graphics, labels in English and `opts.language` (see [`crate::pdf`]).
    #[cfg(feature = "pdf")]
    pub fn to_pdf(&self, opts: &crate::PdfOptions) -> Result<Vec<u8>> {
        crate::pdf::render(
            &self.dcc,
            &crate::pdf::Printed {
                hc1: &self.hc1,
                claims: &self.claims,
                kid: Some(self.kid()),
                algorithm: Some(self.algorithm.to_string()),
            },
            opts,
        )
    }
}
