//! Issuing certificates.

use std::sync::Arc;

use dcc_cose::{Signer, SigningKey, claims::CwtClaims, dsc::Dsc, sign1::Unsigned};
use dcc_payload::{
    CertType, Dcc,
    validate::{Change, Validator},
};
use dcc_qr::{EcLevel, QrCode, RenderOptions};
use serde_json::Value;

use crate::{Claims, Error, Result, now};

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

/// Options for one certificate. Every field has a default.
#[derive(Debug, Clone, Default)]
pub struct IssueOptions {
    /// Issuer claim (ISO 3166-1 alpha-2). Default: the DSC's country.
    pub iss: Option<String>,
    /// Issued-at, seconds since the epoch. Default: now.
    pub issued_at: Option<i64>,
    /// Validity in seconds from `issued_at`. Default: per certificate type, see
    /// [`ValidityDefaults`]. Ignored when `expires_at` is set.
    pub valid_for_secs: Option<i64>,
    /// Explicit expiry, seconds since the epoch.
    pub expires_at: Option<i64>,
}

/// An issuer: a signer (key in memory, HSM, remote KMS) and its DSC.
#[derive(Clone)]
pub struct Issuer {
    signer: Arc<dyn Signer>,
    dsc: Dsc,
    validator: Validator,
    validity: ValidityDefaults,
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
    /// An issuer from any [`Signer`] and the DSC of its key. When the signer knows its public
    /// key, it must match the certificate's.
    pub fn new(signer: Arc<dyn Signer>, dsc: Dsc) -> Result<Self> {
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
        })
    }

    /// Uses `validator` (for example with newer value sets) instead of the embedded data.
    pub fn with_validator(mut self, validator: Validator) -> Self {
        self.validator = validator;
        self
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
    pub fn from_pem(key: impl AsRef<[u8]>, cert: impl AsRef<[u8]>) -> Result<Self> {
        let key = SigningKey::from_pem(key)?;
        let dsc = Dsc::parse(cert)?;
        Self::new(Arc::new(key), dsc)
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

    /// The signature algorithm (ES256 or PS256) of this issuer's signer.
    pub fn algorithm(&self) -> dcc_cose::Algorithm {
        self.signer.algorithm()
    }

    /// Issues a certificate for a JSON payload.
    pub fn issue_json(&self, json: &str, opts: &IssueOptions) -> Result<Certificate> {
        let value: Value = serde_json::from_str(json)
            .map_err(|e| dcc_payload::PayloadError::Json(e.to_string()))?;
        self.issue_value(&value, opts)
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
        let ready = self.validator.prepare_for_issuing(payload, iat);
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
        };
        let unsigned = Unsigned::new(self.signer.algorithm(), &self.dsc.kid(), cwt.to_vec()?)?;
        Ok(PreparedCertificate {
            unsigned,
            claims,
            dcc,
            changes: ready.changes,
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
        let exp = match (opts.expires_at, opts.valid_for_secs) {
            (Some(e), _) => e,
            (None, Some(d)) if d <= 0 => {
                return Err(Error::Options(format!(
                    "validity of {d} seconds must be positive"
                )));
            }
            (None, Some(d)) => iat.saturating_add(d),
            (None, None) => iat.saturating_add(self.default_validity(iat, dcc)),
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
    claims: Claims,
    dcc: Dcc,
    changes: Vec<Change>,
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
        let cose = self.unsigned.finish(signature)?;
        let hc1 = dcc_encoding::encode_hc1(&cose)
            .map_err(|e| Error::Sign(dcc_cose::SignError::Encoding(e.to_string())))?;
        Ok(Certificate {
            hc1,
            cose,
            claims: self.claims,
            dcc: self.dcc,
            changes: self.changes,
        })
    }
}

/// An issued certificate.
#[derive(Debug, Clone)]
pub struct Certificate {
    hc1: String,
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
}
