//! Issuing certificates.

use std::sync::Arc;

use dcc_cose::{Signer, SigningKey, claims::CwtClaims, dsc::Dsc, sign1::Unsigned};
use dcc_payload::Dcc;
use dcc_qr::{EcLevel, QrCode, RenderOptions};

use crate::{Claims, Error, Result, now};

/// Default validity of an issued certificate: 365 days.
pub const DEFAULT_VALIDITY_SECS: i64 = 365 * 86_400;

/// Options for one certificate. Every field has a default.
#[derive(Debug, Clone, Default)]
pub struct IssueOptions {
    /// Issuer claim (ISO 3166-1 alpha-2). Default: the DSC's country.
    pub iss: Option<String>,
    /// Issued-at, seconds since the epoch. Default: now.
    pub issued_at: Option<i64>,
    /// Validity in seconds from `issued_at`. Default: [`DEFAULT_VALIDITY_SECS`].
    /// Ignored when `expires_at` is set.
    pub valid_for_secs: Option<i64>,
    /// Explicit expiry, seconds since the epoch.
    pub expires_at: Option<i64>,
}

/// An issuer: a signer (key in memory, HSM, remote KMS) and its DSC.
#[derive(Clone)]
pub struct Issuer {
    signer: Arc<dyn Signer>,
    dsc: Dsc,
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
        Ok(Issuer { signer, dsc })
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

    /// Issues a certificate for a JSON payload.
    pub fn issue_json(&self, json: &str, opts: &IssueOptions) -> Result<Certificate> {
        self.issue(&Dcc::from_json(json)?, opts)
    }

    /// Issues a certificate: payload -> CWT -> COSE_Sign1 -> zlib -> Base45 -> `HC1:`.
    pub fn issue(&self, dcc: &Dcc, opts: &IssueOptions) -> Result<Certificate> {
        let prepared = self.prepare(dcc, opts)?;
        let signature = self.signer.sign(prepared.tbs())?;
        prepared.finish(signature)
    }

    /// Everything but the signature: for signers that work asynchronously (a remote KMS, a
    /// WebCrypto key), sign [`PreparedCertificate::tbs`] and call
    /// [`PreparedCertificate::finish`].
    pub fn prepare(&self, dcc: &Dcc, opts: &IssueOptions) -> Result<PreparedCertificate> {
        let issues = dcc.structure_issues();
        if !issues.is_empty() {
            return Err(Error::Validation(issues));
        }
        let claims = self.claims_for(opts)?;
        let cwt = CwtClaims {
            iss: claims.iss.clone(),
            iat: claims.iat,
            exp: claims.exp,
            hcert: dcc.to_cbor_value()?,
        };
        let payload = cwt.to_vec()?;
        let unsigned = Unsigned::new(self.signer.algorithm(), &self.dsc.kid(), payload)?;
        Ok(PreparedCertificate {
            unsigned,
            claims,
            dcc: dcc.clone(),
        })
    }

    fn claims_for(&self, opts: &IssueOptions) -> Result<Claims> {
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
        let iat = opts.issued_at.unwrap_or_else(now);
        let exp = match (opts.expires_at, opts.valid_for_secs) {
            (Some(e), _) => e,
            (None, Some(d)) if d <= 0 => {
                return Err(Error::Options(format!(
                    "validity of {d} seconds must be positive"
                )));
            }
            (None, Some(d)) => iat.saturating_add(d),
            (None, None) => iat.saturating_add(DEFAULT_VALIDITY_SECS),
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
    /// The payload that was signed.
    pub fn dcc(&self) -> &Dcc {
        &self.dcc
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
