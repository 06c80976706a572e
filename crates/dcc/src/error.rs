//! The facade error and its stable kinds.

use crate::verify::CheckFailure;

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
    /// A certificate failed verification (returned by [`crate::Verification::ensure_valid`]).
    #[error("verification failed: {}", .0.iter().map(|f| f.to_string()).collect::<Vec<_>>().join("; "))]
    Verification(Vec<CheckFailure>),
}

/// The kind of an [`Error`], with a stable code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// `empty_input`
    EmptyInput,
    /// `input_too_large`
    InputTooLarge,
    /// `invalid_prefix`: not `HC1:`.
    InvalidPrefix,
    /// `unsupported_version`: `HC2:` and later.
    UnsupportedVersion,
    /// `invalid_base45`
    InvalidBase45,
    /// `invalid_compression`: not zlib, corrupt, or inflating beyond the cap.
    InvalidCompression,
    /// `invalid_cbor`
    InvalidCbor,
    /// `invalid_cose`: not a COSE_Sign1.
    InvalidCose,
    /// `invalid_claims`: CWT claims, including a missing `hcert`.
    InvalidClaims,
    /// `invalid_payload`: the DCC payload does not fit the model.
    InvalidPayload,
    /// `validation_failed`: the payload was refused; see [`Error::issues`].
    ValidationFailed,
    /// `invalid_key`
    InvalidKey,
    /// `invalid_certificate`
    InvalidCertificate,
    /// `signing_failed`
    SigningFailed,
    /// `qr_encode_failed`
    QrEncodeFailed,
    /// `invalid_image`: not a readable PNG or JPEG.
    InvalidImage,
    /// `no_qr_code`: an image without a readable QR code.
    NoQrCode,
    /// `invalid_options`
    InvalidOptions,
    /// `verification_failed`
    VerificationFailed,
}

impl ErrorKind {
    /// The stable snake_case code.
    pub fn code(self) -> &'static str {
        match self {
            ErrorKind::EmptyInput => "empty_input",
            ErrorKind::InputTooLarge => "input_too_large",
            ErrorKind::InvalidPrefix => "invalid_prefix",
            ErrorKind::UnsupportedVersion => "unsupported_version",
            ErrorKind::InvalidBase45 => "invalid_base45",
            ErrorKind::InvalidCompression => "invalid_compression",
            ErrorKind::InvalidCbor => "invalid_cbor",
            ErrorKind::InvalidCose => "invalid_cose",
            ErrorKind::InvalidClaims => "invalid_claims",
            ErrorKind::InvalidPayload => "invalid_payload",
            ErrorKind::ValidationFailed => "validation_failed",
            ErrorKind::InvalidKey => "invalid_key",
            ErrorKind::InvalidCertificate => "invalid_certificate",
            ErrorKind::SigningFailed => "signing_failed",
            ErrorKind::QrEncodeFailed => "qr_encode_failed",
            ErrorKind::InvalidImage => "invalid_image",
            ErrorKind::NoQrCode => "no_qr_code",
            ErrorKind::InvalidOptions => "invalid_options",
            ErrorKind::VerificationFailed => "verification_failed",
        }
    }

    /// Every kind, for bindings and documentation.
    pub const ALL: [ErrorKind; 19] = [
        ErrorKind::EmptyInput,
        ErrorKind::InputTooLarge,
        ErrorKind::InvalidPrefix,
        ErrorKind::UnsupportedVersion,
        ErrorKind::InvalidBase45,
        ErrorKind::InvalidCompression,
        ErrorKind::InvalidCbor,
        ErrorKind::InvalidCose,
        ErrorKind::InvalidClaims,
        ErrorKind::InvalidPayload,
        ErrorKind::ValidationFailed,
        ErrorKind::InvalidKey,
        ErrorKind::InvalidCertificate,
        ErrorKind::SigningFailed,
        ErrorKind::QrEncodeFailed,
        ErrorKind::InvalidImage,
        ErrorKind::NoQrCode,
        ErrorKind::InvalidOptions,
        ErrorKind::VerificationFailed,
    ];
}

impl std::fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
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
                C::NotSign1(_) | C::UnexpectedTag(_) | C::DetachedPayload => ErrorKind::InvalidCose,
                _ => ErrorKind::InvalidClaims,
            },
            Error::Payload(_) => ErrorKind::InvalidPayload,
            Error::Validation(_) => ErrorKind::ValidationFailed,
            Error::Key(_) => ErrorKind::InvalidKey,
            Error::Certificate(_) => ErrorKind::InvalidCertificate,
            Error::Sign(_) => ErrorKind::SigningFailed,
            Error::Qr(_) => ErrorKind::QrEncodeFailed,
            Error::Image(e) => match e {
                Q::NoQrCode | Q::Unreadable => ErrorKind::NoQrCode,
                _ => ErrorKind::InvalidImage,
            },
            Error::Options(_) => ErrorKind::InvalidOptions,
            Error::Verification(_) => ErrorKind::VerificationFailed,
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
}

/// `Result` with the facade [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
