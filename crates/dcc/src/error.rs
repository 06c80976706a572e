//! The facade error and its stable kinds.

use crate::{ErrorKind, verify::CheckFailure};

/// Every error the facade returns. [`Error::kind`] gives a fieldless [`ErrorKind`] whose
/// [`ErrorKind::code`] is the stable snake_case code that every language binding reports.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The input is empty.
    #[error("the input is empty")]
    EmptyInput,
    /// The input is larger than any certificate can be.
    #[error("the input is {len} bytes, above the limit of {limit}")]
    InputTooLarge {
        /// Input size.
        len: usize,
        /// The limit.
        limit: usize,
    },
    /// `HC1:` prefix, Base45 or zlib layer.
    #[error(transparent)]
    Encoding(#[from] dcc_encoding::DecodeError),
    /// COSE or CWT structure.
    #[error(transparent)]
    Cose(#[from] dcc_cose::DecodeError),
    /// The DCC payload.
    #[error(transparent)]
    Payload(#[from] dcc_payload::PayloadError),
    /// The payload was refused: every problem found, each with a path, a code and a message.
    #[error("the payload is not valid: {}", .0.iter().map(|i| i.to_string()).collect::<Vec<_>>().join("; "))]
    Validation(Vec<dcc_payload::Issue>),
    /// A private key.
    #[error(transparent)]
    Key(#[from] dcc_cose::KeyError),
    /// A certificate.
    #[error(transparent)]
    Certificate(#[from] dcc_cose::CertificateError),
    /// Signing.
    #[error(transparent)]
    Sign(#[from] dcc_cose::SignError),
    /// Rendering a QR code.
    #[error(transparent)]
    Qr(#[from] dcc_qr::EncodeError),
    /// Reading a QR code from an image.
    #[error(transparent)]
    Image(#[from] dcc_qr::DecodeError),
    /// Issuing options that cannot be honoured (an expiry after the DSC's notAfter, a bad
    /// country code, a validity that ends before it starts).
    #[error("invalid issuing options: {0}")]
    Options(String),
    /// A value-set file that cannot be read.
    #[error("invalid value set: {0}")]
    ValueSet(String),
    /// An argument of a helper function that cannot be used.
    #[error("{0}")]
    Argument(String),
    /// A certificate failed verification (returned by [`crate::Verification::ensure_valid`]).
    #[error("verification failed: {}", .0.iter().map(|f| f.to_string()).collect::<Vec<_>>().join("; "))]
    Verification(Vec<CheckFailure>),
    /// Revocation data that cannot be used.
    #[error("invalid revocation data: {0}")]
    Revocation(String),
    /// A trust list that cannot be read (format, JSON, CBOR, JWS structure).
    #[error("invalid trust list: {0}")]
    TrustListMalformed(String),
    /// A trust list whose signature (or signing chain) does not verify with the anchor.
    #[error("trust list signature: {0}")]
    TrustListSignature(String),
    /// A trust list past its expiry or before its start (without `allow_expired`).
    #[error("trust list expired: {0}")]
    TrustListExpired(String),
    /// A business rule that cannot be read.
    #[error(transparent)]
    Rule(#[from] dcc_certlogic::RuleError),
    /// A CertLogic expression whose evaluation failed.
    #[error("CertLogic: {}: {}", .0.code(), .0.message())]
    CertLogic(#[from] dcc_certlogic::EvalError),
    /// A printable certificate (PDF) could not be written.
    #[error("PDF: {0}")]
    Pdf(String),
    /// The issuance ledger failed (never carries connection passwords).
    #[error("ledger: {0}")]
    Ledger(String),
    /// A PKCS#11 token or module failed (never carries the PIN).
    #[cfg(feature = "pkcs11")]
    #[error(transparent)]
    Pkcs11(#[from] dcc_pkcs11::Pkcs11Error),
}

impl Error {
    /// The kind of this error.
    pub fn kind(&self) -> ErrorKind {
        use dcc_cose::DecodeError as C;
        use dcc_encoding::DecodeError as E;
        use dcc_qr::DecodeError as Q;
        match self {
            Error::EmptyInput => ErrorKind::EmptyInput,
            Error::InputTooLarge { .. } => ErrorKind::InputTooLarge,
            Error::Encoding(e) => match e {
                E::Empty => ErrorKind::EmptyInput,
                E::MissingPrefix => ErrorKind::InvalidPrefix,
                E::UnsupportedVersion(_) => ErrorKind::UnsupportedVersion,
                E::Base45Length(_) | E::Base45Character { .. } | E::Base45Overflow { .. } => {
                    ErrorKind::InvalidBase45
                }
                E::Zlib(_) | E::TooLarge { .. } => ErrorKind::InvalidCompression,
                _ => ErrorKind::InvalidCompression,
            },
            Error::Cose(e) => match e {
                C::Cbor(_) => ErrorKind::InvalidCbor,
                C::NotSign1(_)
                | C::UnexpectedTag(_)
                | C::DetachedPayload
                | C::TrailingBytes { .. } => ErrorKind::InvalidCose,
                _ => ErrorKind::InvalidClaims,
            },
            Error::Payload(_) => ErrorKind::InvalidPayload,
            Error::Validation(_) => ErrorKind::ValidationFailed,
            Error::Key(_) => ErrorKind::InvalidKey,
            Error::Certificate(dcc_cose::CertificateError::Signing(_)) => ErrorKind::SigningFailed,
            Error::Certificate(_) => ErrorKind::InvalidCertificate,
            Error::Sign(_) => ErrorKind::SigningFailed,
            Error::Qr(_) => ErrorKind::QrEncodeFailed,
            Error::Image(e) => match e {
                Q::NoQrCode | Q::Unreadable => ErrorKind::NoQrCode,
                _ => ErrorKind::InvalidImage,
            },
            Error::Options(_) => ErrorKind::InvalidOptions,
            Error::ValueSet(_) => ErrorKind::InvalidValueSet,
            Error::Argument(_) => ErrorKind::InvalidArgument,
            Error::Verification(_) => ErrorKind::VerificationFailed,
            Error::Revocation(_) => ErrorKind::InvalidRevocationData,
            Error::Ledger(_) => ErrorKind::LedgerFailed,
            Error::Pdf(_) => ErrorKind::PdfFailed,
            Error::TrustListMalformed(_) => ErrorKind::InvalidTrustList,
            Error::Rule(_) => ErrorKind::InvalidRule,
            Error::CertLogic(_) => ErrorKind::CertlogicFailed,
            Error::TrustListSignature(_) => ErrorKind::TrustListSignatureInvalid,
            Error::TrustListExpired(_) => ErrorKind::TrustListExpired,
            #[cfg(feature = "pkcs11")]
            Error::Pkcs11(e) => {
                use dcc_pkcs11::Pkcs11Error as P;
                match e {
                    P::ModuleUnavailable(_) => ErrorKind::Pkcs11ModuleUnavailable,
                    P::TokenNotFound(_) => ErrorKind::Pkcs11TokenNotFound,
                    P::PinRequired | P::PinIncorrect(_) => ErrorKind::Pkcs11PinIncorrect,
                    P::KeyNotFound(_) => ErrorKind::Pkcs11KeyNotFound,
                    P::UnsupportedKey(_) => ErrorKind::InvalidKey,
                    P::InvalidUri(_) => ErrorKind::InvalidArgument,
                    _ => ErrorKind::Pkcs11DeviceError,
                }
            }
        }
    }

    /// The validation issues of an [`Error::Validation`] (empty for other errors).
    pub fn issues(&self) -> &[dcc_payload::Issue] {
        match self {
            Error::Validation(issues) => issues,
            _ => &[],
        }
    }

    /// Shorthand for `self.kind().code()`.
    pub fn code(&self) -> &'static str {
        self.kind().code()
    }

    /// The failed checks of an [`Error::Verification`] (empty for other errors).
    pub fn failures(&self) -> &[CheckFailure] {
        match self {
            Error::Verification(failures) => failures,
            _ => &[],
        }
    }

    /// The error as the bindings report it: code, message, issues and failures.
    pub fn view(&self) -> crate::api::ErrorView {
        crate::api::ErrorView {
            code: self.kind(),
            message: self.to_string(),
            issues: self.issues().to_vec(),
            failures: self.failures().to_vec(),
        }
    }
}

/// `Result` with the facade [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
