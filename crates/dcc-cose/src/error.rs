//! Error types of the signed layer.
//!
//! Variants caused by another library's error hold that error (shared in an [`Arc`], so that
//! the enums stay `Clone`) and return it from [`std::error::Error::source`]. Two such errors
//! compare equal when their messages do.

use std::sync::Arc;

/// A CBOR decoding error from ciborium.
pub type CborDecodeError = ciborium::de::Error<std::io::Error>;
/// A CBOR encoding error from ciborium.
pub type CborEncodeError = ciborium::ser::Error<std::io::Error>;

/// Whether two errors have the same message (foreign errors rarely implement `PartialEq`).
fn same_message<E: std::fmt::Display + ?Sized>(a: &E, b: &E) -> bool {
    a.to_string() == b.to_string()
}

/// The COSE or CWT structure could not be decoded.
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum DecodeError {
    /// The bytes are not well-formed CBOR.
    #[error("not valid CBOR: {0}")]
    Cbor(#[source] Arc<CborDecodeError>),
    /// The CWT claims could not be encoded as CBOR (not expected when writing to memory).
    #[error("not valid CBOR: {0}")]
    CborEncoding(#[source] Arc<CborEncodeError>),
    /// Well-formed CBOR, but not a COSE_Sign1 structure.
    #[error("not a COSE_Sign1 structure: {0}")]
    NotSign1(#[source] Arc<coset::CoseError>),
    /// A CBOR tag other than 18 (COSE_Sign1) or 61 (CWT) around the structure.
    #[error("unexpected CBOR tag {0} around the COSE structure (expected 18, or 61 around 18)")]
    UnexpectedTag(u64),
    /// Bytes follow the COSE_Sign1 structure; it must end the input.
    #[error("{count} bytes follow the COSE_Sign1 structure; it must end the input")]
    TrailingBytes {
        /// How many bytes follow the structure.
        count: usize,
    },
    /// The payload is detached (nil); HCERT requires it inline.
    #[error("the COSE_Sign1 payload is detached; an HCERT payload must be inline")]
    DetachedPayload,
    /// The CWT claims are not a CBOR map.
    #[error("the CWT claims are not a CBOR map")]
    ClaimsNotMap,
    /// The `hcert` claim (-260) is missing.
    #[error("the hcert claim (-260) is missing")]
    MissingHcert,
    /// The `hcert` claim does not hold `{1: <payload map>}`.
    #[error("the hcert claim (-260) must be a map holding the DCC under key 1")]
    MissingDccPayload,
    /// A claim has the wrong CBOR type.
    #[error("claim {claim} has the wrong type: expected {expected}")]
    ClaimType {
        /// Claim name.
        claim: &'static str,
        /// What was expected.
        expected: &'static str,
    },
    /// A claim appears twice.
    #[error("claim {0} appears more than once")]
    DuplicateClaim(String),
}

/// The signature could not be verified. Reasons are typed so that callers and bindings can
/// report a stable code; the cryptographic failure itself is deliberately opaque.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum VerifyError {
    /// No `alg` header in either header bucket.
    #[error("the COSE headers carry no algorithm")]
    MissingAlgorithm,
    /// An algorithm other than ES256 (-7) or PS256 (-37).
    #[error("unsupported COSE algorithm {0}: only ES256 (-7) and PS256 (-37) are allowed")]
    UnsupportedAlgorithm(String),
    /// No `kid` in either header bucket.
    #[error("the COSE headers carry no kid")]
    MissingKid,
    /// A `kid` that is not 8 bytes long.
    #[error("the kid is {0} bytes long; HCERT kids are 8 bytes")]
    KidLength(usize),
    /// No trusted DSC has this `kid`.
    #[error("no trusted signer certificate has kid {0}")]
    UnknownKid(String),
    /// The algorithm does not fit the DSC's key (e.g. ES256 with a P-384 or RSA key).
    #[error("algorithm {alg} cannot be used with the signer's {key} key")]
    AlgorithmKeyMismatch {
        /// The algorithm in the header.
        alg: String,
        /// The key type of the DSC.
        key: String,
    },
    /// The signature has the wrong length for the algorithm and key.
    #[error("the signature is {actual} bytes long; expected {expected}")]
    SignatureLength {
        /// The expected length.
        expected: usize,
        /// The actual length.
        actual: usize,
    },
    /// The signature does not verify.
    #[error("the signature is invalid")]
    InvalidSignature,
}

/// A private key could not be loaded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum KeyError {
    /// The input is empty.
    #[error("the key input is empty")]
    Empty,
    /// A certificate was given where a private key was expected.
    #[error("this is a certificate, not a private key")]
    IsCertificate,
    /// A public key was given where a private key was expected.
    #[error("this is a public key, not a private key")]
    IsPublicKey,
    /// Not a PEM or DER private key.
    #[error("not a PEM or DER private key: {0}")]
    Malformed(String),
    /// A key type other than P-256 ECDSA or RSA (2048-3072 bits).
    #[error("unsupported key: {0}")]
    Unsupported(String),
    /// The key does not belong to the certificate it was paired with.
    #[error("the private key does not match the signer certificate's public key")]
    CertificateMismatch,
}

/// A certificate could not be loaded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CertificateError {
    /// The input is empty.
    #[error("the certificate input is empty")]
    Empty,
    /// A private key was given where a certificate was expected.
    #[error("this is a private key, not a certificate")]
    IsPrivateKey,
    /// Not PEM, DER or base64 DER.
    #[error("not a PEM, DER or base64 certificate: {0}")]
    Malformed(String),
    /// Signing a certificate or certificate request failed (the signer failed or returned a
    /// malformed signature).
    #[error("signing the certificate or request failed: {0}")]
    Signing(String),
}

/// Signing failed.
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum SignError {
    /// The signer (key, HSM, remote service) reported a failure.
    #[error("the signer failed: {0}")]
    Signer(String),
    /// The signer returned a signature of the wrong form.
    #[error("the signer returned a malformed signature: {0}")]
    BadSignature(String),
    /// The COSE structure (or, in the facade, its transport encoding) could not be encoded.
    #[error("COSE encoding failed: {0}")]
    Encoding(#[source] Arc<dyn std::error::Error + Send + Sync>),
}

impl PartialEq for DecodeError {
    fn eq(&self, other: &Self) -> bool {
        use DecodeError as D;
        match (self, other) {
            (D::Cbor(a), D::Cbor(b)) => same_message(a, b),
            (D::CborEncoding(a), D::CborEncoding(b)) => same_message(a, b),
            (D::NotSign1(a), D::NotSign1(b)) => same_message(a, b),
            (D::UnexpectedTag(a), D::UnexpectedTag(b)) => a == b,
            (D::TrailingBytes { count: a }, D::TrailingBytes { count: b }) => a == b,
            (D::DetachedPayload, D::DetachedPayload)
            | (D::ClaimsNotMap, D::ClaimsNotMap)
            | (D::MissingHcert, D::MissingHcert)
            | (D::MissingDccPayload, D::MissingDccPayload) => true,
            (
                D::ClaimType { claim, expected },
                D::ClaimType {
                    claim: c,
                    expected: e,
                },
            ) => claim == c && expected == e,
            (D::DuplicateClaim(a), D::DuplicateClaim(b)) => a == b,
            _ => false,
        }
    }
}

impl Eq for DecodeError {}

impl PartialEq for SignError {
    fn eq(&self, other: &Self) -> bool {
        use SignError as S;
        match (self, other) {
            (S::Signer(a), S::Signer(b)) | (S::BadSignature(a), S::BadSignature(b)) => a == b,
            (S::Encoding(a), S::Encoding(b)) => same_message(&**a, &**b),
            _ => false,
        }
    }
}

impl Eq for SignError {}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use std::error::Error as _;

    #[test]
    fn foreign_errors_are_sources() {
        let err = crate::sign1::DecodedSign1::from_slice(&[0xFF]).unwrap_err();
        assert!(matches!(err, DecodeError::Cbor(_)));
        assert!(err.to_string().starts_with("not valid CBOR: "));
        let source = err.source().unwrap();
        assert_eq!(err.to_string(), format!("not valid CBOR: {source}"));
        assert_eq!(err.clone(), err);

        let err = crate::sign1::DecodedSign1::from_slice(&[0x80]).unwrap_err();
        assert!(matches!(err, DecodeError::NotSign1(_)), "{err:?}");
        let source = err.source().unwrap();
        assert_eq!(
            err.to_string(),
            format!("not a COSE_Sign1 structure: {source}")
        );
        assert_ne!(err, DecodeError::DetachedPayload);

        let io = std::io::Error::other("disk on fire");
        let err = SignError::Encoding(Arc::new(io));
        assert_eq!(err.to_string(), "COSE encoding failed: disk on fire");
        assert_eq!(err.source().unwrap().to_string(), "disk on fire");
        assert_eq!(err, err.clone());
    }
}
