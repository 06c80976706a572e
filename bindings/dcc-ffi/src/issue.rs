//! Issuing: `Issuer`, the foreign `DccSigner`, `Certificate`, `PreparedCertificate`.

use std::sync::Arc;

use dcc::layers::cose::SignError;

use crate::{Claims, DccError};

/// The two HCERT signature algorithms.
#[derive(uniffi::Enum, Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Algorithm {
    /// ECDSA with P-256 and SHA-256 (COSE -7), the primary algorithm.
    Es256,
    /// RSASSA-PSS with SHA-256, MGF1-SHA-256, salt length 32 (COSE -37).
    Ps256,
}

impl From<dcc::Algorithm> for Algorithm {
    fn from(a: dcc::Algorithm) -> Self {
        match a {
            dcc::Algorithm::Es256 => Algorithm::Es256,
            dcc::Algorithm::Ps256 => Algorithm::Ps256,
        }
    }
}

impl From<Algorithm> for dcc::Algorithm {
    fn from(a: Algorithm) -> Self {
        match a {
            Algorithm::Es256 => dcc::Algorithm::Es256,
            Algorithm::Ps256 => dcc::Algorithm::Ps256,
        }
    }
}

/// A signer implemented in Kotlin or Swift, so that the private key can stay in the Android
/// Keystore, the Secure Enclave, an HSM or a remote service.
///
/// Anything either method throws reaches the caller of `Issuer.issue` (or `Issuer.fromSigner`)
/// as a `signing_failed` error, never a crash. `sign` may be called from several threads at
/// once when the issuer is shared.
#[uniffi::export(foreign)]
pub trait DccSigner: Send + Sync {
    /// The algorithm of the key. Asked once, when the issuer is created.
    fn algorithm(&self) -> Result<Algorithm, DccError>;
    /// Signs `tbs` (the COSE `Sig_structure`; hash it with SHA-256 as part of the algorithm).
    /// ES256: the raw `r || s` (64 bytes) or the DER encoding that `java.security.Signature`
    /// and `SecKeyCreateSignature` return; PS256: the PSS signature (salt length 32).
    fn sign(&self, tbs: Vec<u8>) -> Result<Vec<u8>, DccError>;
}

/// Adapts a foreign `DccSigner` to the core's `Signer` trait.
struct ForeignSigner {
    inner: Arc<dyn DccSigner>,
    algorithm: dcc::Algorithm,
}

impl dcc::Signer for ForeignSigner {
    fn algorithm(&self) -> dcc::Algorithm {
        self.algorithm
    }

    fn sign(&self, tbs: &[u8]) -> Result<Vec<u8>, SignError> {
        self.inner
            .sign(tbs.to_vec())
            .map_err(|e| SignError::Signer(e.to_string()))
    }
}

/// Options for one certificate. Every field is optional; `null`/`nil` means the default.
#[derive(uniffi::Record, Debug, Clone, Default, PartialEq, Eq)]
pub struct IssueOptions {
    /// Issuer claim (ISO 3166-1 alpha-2, two upper-case letters). Default: the DSC's country.
    #[uniffi(default = None)]
    pub iss: Option<String>,
    /// Issued-at, seconds since the epoch. Default: now.
    #[uniffi(default = None)]
    pub issued_at_epoch_seconds: Option<i64>,
    /// Validity in seconds from issued-at. Default: per certificate type (365 days for a
    /// vaccination, 72 hours for a test, at most 180 days and never past `du` for a recovery).
    /// Ignored when an explicit expiry is set.
    #[uniffi(default = None)]
    pub valid_for_seconds: Option<i64>,
    /// Explicit expiry, seconds since the epoch. It may never be after the DSC's notAfter.
    #[uniffi(default = None)]
    pub expires_at_epoch_seconds: Option<i64>,
}

impl From<IssueOptions> for dcc::IssueOptions {
    fn from(o: IssueOptions) -> Self {
        dcc::IssueOptions {
            iss: o.iss,
            issued_at: o.issued_at_epoch_seconds,
            valid_for_secs: o.valid_for_seconds,
            expires_at: o.expires_at_epoch_seconds,
        }
    }
}

fn options(o: Option<IssueOptions>) -> dcc::IssueOptions {
    o.map(Into::into).unwrap_or_default()
}

/// An issuer: a private key (or a foreign `DccSigner`) and its signer certificate (DSC).
/// Safe to share between threads.
#[derive(uniffi::Object, Debug)]
#[uniffi::export(Debug)]
pub struct Issuer(dcc::Issuer);

#[uniffi::export]
impl Issuer {
    /// An issuer from a private key (PKCS#8 or SEC1 PEM; P-256 for ES256, RSA for PS256) and
    /// its DSC (PEM, or base64 DER). The key must belong to the certificate (`invalid_key`).
    ///
    /// ES256 signatures are hedged (fresh randomness in every nonce), the fast default; see
    /// [`Issuer::from_pem_deterministic`] for byte-reproducible output.
    #[uniffi::constructor]
    pub fn from_pem(key_pem: String, cert_pem: String) -> Result<Arc<Self>, DccError> {
        Ok(Arc::new(Issuer(dcc::Issuer::from_pem(key_pem, cert_pem)?)))
    }

    /// As [`Issuer::from_pem`], with ES256 nonces from RFC 6979: the same input always gives
    /// the same bytes (golden tests, reproducible builds of test data). About half as fast.
    #[uniffi::constructor]
    pub fn from_pem_deterministic(
        key_pem: String,
        cert_pem: String,
    ) -> Result<Arc<Self>, DccError> {
        let key = dcc::SigningKey::from_pem(key_pem)
            .map_err(dcc::Error::from)?
            .deterministic();
        let dsc = dcc::Dsc::parse(cert_pem).map_err(dcc::Error::from)?;
        Ok(Arc::new(Issuer(dcc::Issuer::new(Arc::new(key), dsc)?)))
    }

    /// An issuer whose signatures come from `signer` (Android Keystore, Secure Enclave, HSM),
    /// with the DSC of its key (PEM, or base64 DER).
    #[uniffi::constructor]
    pub fn from_signer(
        signer: Arc<dyn DccSigner>,
        cert_pem: String,
    ) -> Result<Arc<Self>, DccError> {
        let dsc = dcc::Dsc::parse(cert_pem).map_err(dcc::Error::from)?;
        let algorithm = signer.algorithm()?.into();
        let adapter = ForeignSigner {
            inner: signer,
            algorithm,
        };
        Ok(Arc::new(Issuer(dcc::Issuer::new(Arc::new(adapter), dsc)?)))
    }

    /// The issuer with the embedded demo key and DSC (`C=XX`, valid 2024-01-01 to 2049-12-31).
    /// **Never for production**: the key is public.
    #[uniffi::constructor]
    pub fn demo() -> Arc<Self> {
        Arc::new(Issuer(dcc::Issuer::demo()))
    }

    /// Issues a certificate for a JSON payload (schema 1.3: `ver`, `nam`, `dob` and one of
    /// `v`/`t`/`r` with one entry). `options` `null`/`nil` means every default.
    #[uniffi::method(default(options = None))]
    pub fn issue(
        &self,
        payload_json: String,
        options: Option<IssueOptions>,
    ) -> Result<Arc<Certificate>, DccError> {
        let cert = self.0.issue_json(&payload_json, &self::options(options))?;
        Ok(Arc::new(Certificate(cert)))
    }

    /// Everything but the signature, for signers that cannot answer synchronously (a
    /// `BiometricPrompt`, a remote KMS): sign `tbs()` yourself, then call `finish`.
    #[uniffi::method(default(options = None))]
    pub fn prepare(
        &self,
        payload_json: String,
        options: Option<IssueOptions>,
    ) -> Result<Arc<PreparedCertificate>, DccError> {
        let dcc = dcc::Dcc::from_json(&payload_json).map_err(dcc::Error::from)?;
        let prepared = self.0.prepare(&dcc, &self::options(options))?;
        Ok(Arc::new(PreparedCertificate(prepared)))
    }

    /// The signer certificate (DSC) of this issuer.
    pub fn signer(&self) -> crate::SignerInfo {
        self.0.dsc().into()
    }
}

/// A certificate waiting for its signature (see `Issuer.prepare`).
#[derive(uniffi::Object, Debug)]
pub struct PreparedCertificate(dcc::PreparedCertificate);

#[uniffi::export]
impl PreparedCertificate {
    /// The bytes to sign (the COSE `Sig_structure`).
    pub fn tbs(&self) -> Vec<u8> {
        self.0.tbs().to_vec()
    }

    /// The algorithm the signature must use.
    pub fn algorithm(&self) -> Algorithm {
        self.0.algorithm().into()
    }

    /// Attaches the signature (ES256: raw `r || s` or DER; PS256: the PSS signature) and
    /// encodes the certificate. May be called again, e.g. after a failed attempt.
    pub fn finish(&self, signature: Vec<u8>) -> Result<Arc<Certificate>, DccError> {
        Ok(Arc::new(Certificate(self.0.clone().finish(signature)?)))
    }
}

/// One change normalisation made to a payload before signing.
#[derive(uniffi::Record, Debug, Clone, PartialEq, Eq)]
pub struct PayloadChange {
    /// Path of the field (`nam/gn`).
    pub path: String,
    /// What was done, e.g. `trimmed "Michael "`.
    pub description: String,
}

/// An issued certificate: the `HC1:` text and its QR code.
#[derive(uniffi::Object)]
pub struct Certificate(dcc::Certificate);

#[uniffi::export]
impl Certificate {
    /// The `HC1:` text (the QR code content).
    pub fn hc1(&self) -> String {
        self.0.hc1().to_string()
    }

    /// The signed COSE_Sign1 bytes.
    pub fn cose(&self) -> Vec<u8> {
        self.0.cose().to_vec()
    }

    /// The claims that were signed (issuer, issued-at, expiry).
    pub fn claims(&self) -> Claims {
        self.0.claims().into()
    }

    /// The payload that was signed (after normalisation), as JSON.
    pub fn payload_json(&self) -> String {
        self.0.dcc().to_json()
    }

    /// What normalisation changed in the payload before signing (trimmed strings, derived
    /// standardised names, ...); empty when the payload was signed as given.
    pub fn changes(&self) -> Vec<PayloadChange> {
        self.0
            .changes()
            .iter()
            .map(|c| PayloadChange {
                path: c.path.clone(),
                description: c.description.clone(),
            })
            .collect()
    }

    /// A 1-bit PNG of the QR code at error correction level Q, `scale` pixels per module, with
    /// a 4-module quiet zone. A scale out of range is `qr_encode_failed`.
    pub fn png(&self, scale: u32) -> Result<Vec<u8>, DccError> {
        Ok(self.0.to_png(scale)?)
    }

    /// An SVG of the QR code at error correction level Q.
    pub fn svg(&self) -> Result<String, DccError> {
        Ok(self.0.to_svg()?)
    }
}
