#![doc = include_str!("../README.md")]
#![deny(rustdoc::broken_intra_doc_links)]

pub mod claims;
mod dn;
pub mod dsc;
mod error;
mod keys;
pub mod sign1;
#[doc(hidden)]
pub mod testing;
pub mod trust;

pub use error::{
    CborDecodeError, CborEncodeError, CertificateError, DecodeError, KeyError, SignError,
    VerifyError,
};
pub use keys::{Algorithm, Signer, SigningKey, ecdsa_der_to_raw};

/// A `kid`: the first 8 bytes of the SHA-256 of the DSC's DER encoding.
pub type Kid = [u8; 8];

/// Computes the `kid` of a certificate from its DER bytes.
pub fn kid_of(der: &[u8]) -> Kid {
    use sha2::{Digest, Sha256};
    let hash = Sha256::digest(der);
    let mut kid = [0u8; 8];
    kid.copy_from_slice(&hash[..8]);
    kid
}

/// The current time in seconds since the epoch: the JavaScript host's `Date.now()` with the
/// `js-host` feature, the system clock otherwise.
pub fn unix_now() -> i64 {
    #[cfg(feature = "js-host")]
    {
        (js_sys::Date::now() / 1000.0) as i64
    }
    #[cfg(not(feature = "js-host"))]
    {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or(0)
    }
}
