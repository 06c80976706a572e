//! Error types of the signed layer.

/// The COSE or CWT structure could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DecodeError {
    /// The bytes are not well-formed CBOR.
    #[error("not valid CBOR: {0}")]
    Cbor(String),
    /// Well-formed CBOR, but not a COSE_Sign1 structure.
    #[error("not a COSE_Sign1 structure: {0}")]
    NotSign1(String),
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
}

/// Signing failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SignError {
    /// The signer (key, HSM, remote service) reported a failure.
    #[error("the signer failed: {0}")]
    Signer(String),
    /// The signer returned a signature of the wrong form.
    #[error("the signer returned a malformed signature: {0}")]
    BadSignature(String),
    /// The COSE structure could not be encoded.
    #[error("COSE encoding failed: {0}")]
    Encoding(String),
}
