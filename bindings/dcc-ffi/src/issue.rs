//! Issuing: `Issuer`, the foreign `DccSigner`, `Certificate`, `PreparedCertificate`.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::{
    CertificateType, Claims, DccError, Ledger, LedgerOptions, PayloadChange, RevocationHashes,
    SignerInfo, from_view,
};

/// The two HCERT signature algorithms.
#[derive(
    uniffi::Enum, Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize,
)]
#[serde(rename_all = "UPPERCASE")]
pub enum Algorithm {
    /// ECDSA with P-256 and SHA-256 (COSE -7), the primary algorithm.
    #[default]
    Es256,
    /// RSASSA-PSS with SHA-256, MGF1-SHA-256, salt length 32 (COSE -37).
    Ps256,
}

/// A signer implemented in Kotlin or Swift, so that the private key can stay in the Android
/// Keystore, the Secure Enclave, an HSM or a remote service.
///
/// Anything either method throws reaches the caller of `Issuer.issue` (or `Issuer.fromSigner`)
/// as a `signing_failed` error, never a crash. `sign` may be called from several threads at
/// once when the issuer is shared.
#[uniffi::export(foreign)]
pub trait DccSigner: Send + Sync {
    /// The algorithm of the key. Asked once, when the issuer is created; it must fit the DSC's
    /// key (ES256: P-256, PS256: RSA), else `fromSigner` throws `invalid_key`.
    fn algorithm(&self) -> Result<Algorithm, DccError>;
    /// Signs `tbs` (the COSE `Sig_structure`; hash it with SHA-256 as part of the algorithm).
    /// ES256: the raw `r || s` (64 bytes) or the DER encoding that `java.security.Signature`
    /// and `SecKeyCreateSignature` return; PS256: the PSS signature (salt length 32).
    fn sign(&self, tbs: Vec<u8>) -> Result<Vec<u8>, DccError>;
}

/// Adapts a foreign `DccSigner` to the facade's `Signer` trait. Its public key is the DSC's
/// (SubjectPublicKeyInfo DER), for `Issuer.certificateRequest`.
struct ForeignSigner(Arc<dyn DccSigner>, dcc::Algorithm, Option<Vec<u8>>);

impl dcc::Signer for ForeignSigner {
    fn algorithm(&self) -> dcc::Algorithm {
        self.1
    }

    /// The facade's `Signer` returns raw `r || s` for ES256 (certificates and requests need
    /// it); foreign signers may return DER (`java.security`, `SecKey`, cloud KMS): converted.
    fn sign(&self, tbs: &[u8]) -> Result<Vec<u8>, dcc::SignError> {
        let signature = self
            .0
            .sign(tbs.to_vec())
            .map_err(|e| dcc::SignError::Signer(e.to_string()))?;
        match self.1 {
            dcc::Algorithm::Es256 if signature.len() != 64 && signature.first() == Some(&0x30) => {
                Ok(dcc::ecdsa_der_to_raw(&signature)?.to_vec())
            }
            _ => Ok(signature),
        }
    }

    fn public_key_spki(&self) -> Option<Vec<u8>> {
        self.2.clone()
    }
}

/// How long an issued certificate is valid: one value, so that an expiry and a duration cannot
/// both be given.
#[derive(uniffi::Enum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum Validity {
    /// The default of the certificate type (365 days for a vaccination, 72 hours for a test, at
    /// most 180 days and never past `du` for a recovery).
    Default,
    /// This many seconds from issued-at (must be positive).
    ForSeconds {
        /// Seconds from issued-at.
        seconds: i64,
    },
    /// Until this instant (must be after issued-at).
    Until {
        /// Seconds since the epoch.
        epoch_seconds: i64,
    },
}

/// Options for one certificate. It may never end after the DSC's notAfter.
#[derive(uniffi::Record, Debug, Clone, PartialEq, Eq)]
pub struct IssueOptions {
    /// Issuer claim (ISO 3166-1 alpha-2, two upper-case letters). `null`: the DSC's country.
    #[uniffi(default = None)]
    pub iss: Option<String>,
    /// Issued-at, seconds since the epoch. `null`: now.
    #[uniffi(default = None)]
    pub issued_at: Option<i64>,
    /// How long the certificate is valid.
    pub validity: Validity,
    /// When set, every entry without a certificate identifier (`ci`) gets a fresh UVCI
    /// `URN:UVCI:01:<co>:<THIS>/<random>#<check>` before validation (listed in the changes).
    #[uniffi(default = None)]
    pub uvci_issuer: Option<String>,
}

/// How `Certificate.toPdf` prints a certificate.
#[derive(uniffi::Record, Debug, Clone, PartialEq, Eq)]
pub struct PdfOptions {
    /// The language printed beside English: `"de"` (German, the default), `"fr"` (French) or
    /// `"en"` (English only). Any other code is `invalid_options`.
    #[uniffi(default = "de")]
    pub language: String,
}

fn options(o: Option<IssueOptions>) -> dcc::IssueOptions {
    o.map_or_else(Default::default, |o| dcc::IssueOptions {
        iss: o.iss,
        issued_at: o.issued_at,
        validity: match o.validity {
            Validity::Default => dcc::Validity::Default,
            Validity::ForSeconds { seconds } => dcc::Validity::ForSeconds(seconds),
            Validity::Until { epoch_seconds } => dcc::Validity::Until(epoch_seconds),
        },
        uvci_issuer: o.uvci_issuer,
    })
}

/// One item of `Issuer.issueBatch`: the certificate, or the error for that payload.
#[derive(uniffi::Enum)]
pub enum IssueResult {
    /// The payload was issued.
    Issued {
        /// The certificate.
        certificate: Arc<Certificate>,
    },
    /// The payload was refused (or signing failed).
    Failed {
        /// Why.
        error: DccError,
    },
}

/// An issuer: a private key (or a foreign `DccSigner`) and its signer certificate (DSC).
/// Safe to share between threads.
#[derive(uniffi::Object, Debug)]
#[uniffi::export(Debug)]
pub struct Issuer(pub(crate) dcc::Issuer);

fn issuer(issuer: Result<dcc::Issuer, dcc::Error>) -> Result<Arc<Issuer>, DccError> {
    Ok(Arc::new(Issuer(issuer?)))
}

#[uniffi::export]
impl Issuer {
    /// An issuer from a private key (PKCS#8 or SEC1 PEM; P-256 for ES256, RSA for PS256) and
    /// its DSC (PEM, or base64 DER). The key must belong to the certificate (`invalid_key`).
    /// ES256 signatures are hedged (fresh randomness in every nonce).
    #[uniffi::constructor]
    pub fn from_pem(key_pem: String, cert_pem: String) -> Result<Arc<Self>, DccError> {
        issuer(dcc::Issuer::from_pem(key_pem, cert_pem))
    }

    /// As `fromPem`, with ES256 nonces from RFC 6979: the same input always gives the same
    /// bytes (golden tests). About half as fast.
    #[uniffi::constructor]
    pub fn from_pem_deterministic(
        key_pem: String,
        cert_pem: String,
    ) -> Result<Arc<Self>, DccError> {
        issuer(dcc::Issuer::from_pem_deterministic(key_pem, cert_pem))
    }

    /// An issuer whose signatures come from `signer` (Android Keystore, Secure Enclave, HSM),
    /// with the DSC of its key (PEM, or base64 DER). An algorithm that does not fit the DSC's
    /// key is `invalid_key`.
    #[uniffi::constructor]
    pub fn from_signer(
        signer: Arc<dyn DccSigner>,
        cert_pem: String,
    ) -> Result<Arc<Self>, DccError> {
        let dsc = dcc::Dsc::parse(cert_pem).map_err(dcc::Error::from)?;
        let algorithm = dcc::parse_algorithm(&from_view::<String>(signer.algorithm()?))?;
        let spki = dsc.public_key_der();
        issuer(dcc::Issuer::from_signer(
            Arc::new(ForeignSigner(signer, algorithm, spki)),
            dsc,
        ))
    }

    /// The issuer with the embedded demo key and DSC (`C=XX`, valid 2024-01-01 to 2049-12-31).
    /// **Never for production**: the key is public.
    #[uniffi::constructor]
    pub fn demo() -> Arc<Self> {
        Arc::new(Issuer(dcc::Issuer::demo()))
    }

    /// A copy of this issuer that validates with these value-set files (JSON, as published in
    /// `ehn-dcc-valuesets`) instead of the embedded copies of the same sets.
    pub fn with_value_sets(&self, value_sets: Vec<String>) -> Result<Arc<Self>, DccError> {
        issuer(self.0.clone().with_value_sets(&value_sets))
    }

    /// A copy of this issuer that records every certificate it issues in `ledger`, under
    /// `options.operator` (an empty operator is `invalid_options`). A certificate whose
    /// record cannot be written is not returned (`ledger_failed`); `issueBatch` records a
    /// batch in one transaction.
    pub fn with_ledger(
        &self,
        ledger: Arc<Ledger>,
        options: LedgerOptions,
    ) -> Result<Arc<Self>, DccError> {
        issuer(self.0.clone().with_ledger(ledger.0.clone(), options.into()))
    }

    /// Issues a certificate for a JSON payload (schema 1.3: `ver`, `nam`, `dob` and one of
    /// `v`/`t`/`r` with one entry). `options` `null`/`nil` means every default.
    #[uniffi::method(default(options = None))]
    pub fn issue(
        &self,
        payload_json: String,
        options: Option<IssueOptions>,
    ) -> Result<Arc<Certificate>, DccError> {
        Ok(Arc::new(Certificate(
            self.0.issue_json(&payload_json, &self::options(options))?,
        )))
    }

    /// Issues one certificate per JSON payload, in order, on every core. One failure does not
    /// stop the others.
    #[uniffi::method(default(options = None))]
    pub fn issue_batch(
        &self,
        payloads_json: Vec<String>,
        options: Option<IssueOptions>,
    ) -> Vec<IssueResult> {
        let results = self.0.issue_batch(&payloads_json, &self::options(options));
        let item = |r: Result<dcc::Certificate, dcc::Error>| match r {
            Ok(c) => IssueResult::Issued {
                certificate: Arc::new(Certificate(c)),
            },
            Err(e) => IssueResult::Failed { error: e.into() },
        };
        results.into_iter().map(item).collect()
    }

    /// Everything but the signature, for signers that cannot answer synchronously (a
    /// `BiometricPrompt`, a remote KMS): sign `tbs()` yourself, then call `finish`. The same
    /// errors as `issue` for the same payload.
    #[uniffi::method(default(options = None))]
    pub fn prepare(
        &self,
        payload_json: String,
        options: Option<IssueOptions>,
    ) -> Result<Arc<PreparedCertificate>, DccError> {
        let prepared = self
            .0
            .prepare_json(&payload_json, &self::options(options))?;
        Ok(Arc::new(PreparedCertificate(prepared)))
    }

    /// The signer certificate (DSC) of this issuer.
    pub fn signer(&self) -> SignerInfo {
        from_view(self.0.signer())
    }

    /// The signature algorithm of this issuer.
    pub fn algorithm(&self) -> Algorithm {
        from_view(self.0.algorithm().name())
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
        from_view(self.0.algorithm().name())
    }

    /// Attaches the signature (ES256: raw `r || s` or DER; PS256: the PSS signature) and
    /// encodes the certificate. May be called again, e.g. after a failed attempt.
    pub fn finish(&self, signature: Vec<u8>) -> Result<Arc<Certificate>, DccError> {
        Ok(Arc::new(Certificate(self.0.clone().finish(signature)?)))
    }
}

/// An issued certificate: the `HC1:` text, its QR code, and the fields of the facade's
/// certificate view.
#[derive(uniffi::Object)]
pub struct Certificate(dcc::Certificate);

#[uniffi::export]
impl Certificate {
    /// The `HC1:` text (the QR code content).
    pub fn hc1(&self) -> String {
        self.0.hc1().to_string()
    }

    /// The kid of the signer certificate, base64.
    pub fn kid(&self) -> String {
        self.0.kid()
    }

    /// The signature algorithm.
    pub fn algorithm(&self) -> Algorithm {
        from_view(self.0.algorithm().name())
    }

    /// The certificate type.
    pub fn certificate_type(&self) -> CertificateType {
        from_view(self.0.certificate_type())
    }

    /// The claims that were signed (issuer, issued-at, expiry).
    pub fn claims(&self) -> Claims {
        from_view(self.0.claims())
    }

    /// The payload that was signed (after normalisation), as JSON.
    pub fn payload(&self) -> String {
        self.0.dcc().to_json()
    }

    /// What normalisation changed in the payload before signing (trimmed strings, derived
    /// standardised names, ...); empty when the payload was signed as given.
    pub fn changes(&self) -> Vec<PayloadChange> {
        from_view(self.0.changes())
    }

    /// The three revocation hashes (UCI, COUNTRYCODEUCI, SIGNATURE), base64 and hex: what a
    /// gateway batch lists to revoke this certificate.
    pub fn revocation_hashes(&self) -> RevocationHashes {
        from_view(self.0.revocation_hashes().view())
    }

    /// The signed COSE_Sign1 bytes.
    pub fn cose(&self) -> Vec<u8> {
        self.0.cose().to_vec()
    }

    /// A 1-bit PNG of the QR code at error correction level Q, `scale` pixels per module, with
    /// a 4-module quiet zone. A scale out of range is `qr_encode_failed`.
    pub fn to_png(&self, scale: u32) -> Result<Vec<u8>, DccError> {
        Ok(self.0.to_png(scale)?)
    }

    /// An SVG of the QR code at error correction level Q.
    pub fn to_svg(&self) -> Result<String, DccError> {
        Ok(self.0.to_svg()?)
    }

    /// The printable certificate as PDF bytes: an A4 page in the EU layout, folded into four A6
    /// panels (the QR code with the holder, the fields of the certificate's type, the
    /// signature's details, the "not a travel document" statement), the QR code as vector
    /// graphics, every label in English and `options.language`. `options` `null`/`nil`: German.
    /// A language other than `de`, `fr` or `en` is `invalid_options`.
    #[uniffi::method(default(options = None))]
    pub fn to_pdf(&self, options: Option<PdfOptions>) -> Result<Vec<u8>, DccError> {
        let opts = options.map_or_else(Default::default, |o| dcc::PdfOptions {
            language: o.language,
        });
        Ok(self.0.to_pdf(&opts)?)
    }

    /// The facade's certificate view as JSON (snake_case keys, as every language reports it).
    pub fn to_json(&self) -> String {
        self.0.to_json()
    }
}
