//! Issuing with a key held in a hardware security module, through PKCS#11 (feature `pkcs11`).
//!
//! ```no_run
//! use dcc::pkcs11::Pkcs11Options;
//! # fn main() -> dcc::Result<()> {
//! let issuer = dcc::Issuer::from_pkcs11(
//!     "pkcs11:token=DCC%20Issuer;object=dsc-2026?module-path=/usr/lib/softhsm/libsofthsm2.so",
//!     std::fs::read("dsc.pem").unwrap_or_default(),
//!     &Pkcs11Options::default(), // the PIN from DCC_PKCS11_PIN, pin-source or pin-value
//! )?;
//! # Ok(()) }
//! ```

use std::sync::Arc;

pub use dcc_pkcs11::{MODULE_ENV, PIN_ENV, Pkcs11Error, Pkcs11Options, Pkcs11Signer, Pkcs11Uri};

use crate::{Algorithm, Dsc, Issuer, KeyOptions, Result};

impl Issuer {
    /// An issuer signing in the PKCS#11 token key that `uri` names
    /// (`pkcs11:token=LABEL;object=LABEL`, RFC 7512), with its DSC `cert` (PEM, DER or base64).
    /// The public key is read from the token and must be the DSC's; the algorithm follows the
    /// key (P-256: ES256, RSA: PS256). Distinct error codes for a module that cannot be
    /// loaded, a missing token, a wrong or missing PIN, a missing key, and a key that does not
    /// fit the DSC (`invalid_key`).
    pub fn from_pkcs11(uri: &str, cert: impl AsRef<[u8]>, options: &Pkcs11Options) -> Result<Self> {
        let dsc = Dsc::parse(cert.as_ref())?;
        let signer = Pkcs11Signer::open(uri, options)?;
        Issuer::from_signer(Arc::new(signer), dsc)
    }
}

/// A key pair generated inside a token, with its self-signed DSC and a certificate signing
/// request (both PEM).
#[derive(Debug)]
pub struct TokenKey {
    /// The signer for the new key.
    pub signer: Pkcs11Signer,
    /// A self-signed DSC for the key (tests and pilots).
    pub cert_pem: String,
    /// A PKCS#10 request for the national CSCA.
    pub csr_pem: String,
}

/// Generates a key pair inside the token `uri` names (`object=` labels it; the private key is
/// sensitive and never leaves the token): P-256 for ES256, RSA-3072 for PS256; returns it with
/// a self-signed DSC and a certificate signing request built from `key_options`.
pub fn generate_in_token(
    uri: &str,
    options: &Pkcs11Options,
    algorithm: Algorithm,
    key_options: &KeyOptions,
) -> Result<TokenKey> {
    // Check the subject before anything is created in the token.
    crate::keygen::params(key_options)?;
    let signer = Pkcs11Signer::generate(uri, options, algorithm)?;
    let cert_pem = crate::self_signed_certificate(&signer, key_options)?;
    let csr_pem = crate::certificate_request(&signer, key_options)?;
    Ok(TokenKey {
        signer,
        cert_pem,
        csr_pem,
    })
}
