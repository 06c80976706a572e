//! The one error type of the bindings: Kotlin `dcckit.DccException`, Swift `DccKit.DccError`.

use dcc::ErrorKind;

/// One problem found in a payload: where, a stable code, and what to fix.
#[derive(uniffi::Record, Debug, Clone, PartialEq, Eq)]
pub struct ValidationIssue {
    /// Slash-separated JSON path of the field (`v/0/dn`); empty for the whole payload.
    pub path: String,
    /// Stable snake_case code, the same in every language binding.
    pub code: String,
    /// Human-readable explanation.
    pub message: String,
}

impl From<&dcc::ValidationIssue> for ValidationIssue {
    fn from(i: &dcc::ValidationIssue) -> Self {
        ValidationIssue {
            path: i.path.clone(),
            code: i.code.to_string(),
            message: i.message.clone(),
        }
    }
}

/// Every error of dcc-kit, one case per stable error code.
///
/// Kotlin: a sealed class `DccException` with one subclass per case (`DccException.InvalidBase45`,
/// `DccException.ValidationFailed`, ...); Swift: the enum `DccError`. Every case has a `reason`
/// (a human message, never key material); `ValidationFailed` also carries the `issues`. The
/// methods `code()` and `issues()` work on any case.
#[derive(uniffi::Error, thiserror::Error, Debug, Clone, PartialEq, Eq)]
pub enum DccError {
    /// `empty_input`: the input is empty.
    #[error("{reason}")]
    EmptyInput {
        /// What went wrong.
        reason: String,
    },
    /// `input_too_large`: larger than any certificate (or image) can be.
    #[error("{reason}")]
    InputTooLarge {
        /// What went wrong.
        reason: String,
    },
    /// `invalid_prefix`: the text does not start with `HC1:`.
    #[error("{reason}")]
    InvalidPrefix {
        /// What went wrong.
        reason: String,
    },
    /// `unsupported_version`: `HC2:` and later.
    #[error("{reason}")]
    UnsupportedVersion {
        /// What went wrong.
        reason: String,
    },
    /// `invalid_base45`
    #[error("{reason}")]
    InvalidBase45 {
        /// What went wrong.
        reason: String,
    },
    /// `invalid_compression`: not zlib, corrupt, or inflating beyond the cap.
    #[error("{reason}")]
    InvalidCompression {
        /// What went wrong.
        reason: String,
    },
    /// `invalid_cbor`
    #[error("{reason}")]
    InvalidCbor {
        /// What went wrong.
        reason: String,
    },
    /// `invalid_cose`: not a COSE_Sign1.
    #[error("{reason}")]
    InvalidCose {
        /// What went wrong.
        reason: String,
    },
    /// `invalid_claims`: the CWT claims, including a missing `hcert`.
    #[error("{reason}")]
    InvalidClaims {
        /// What went wrong.
        reason: String,
    },
    /// `invalid_payload`: the payload does not fit the DCC model.
    #[error("{reason}")]
    InvalidPayload {
        /// What went wrong.
        reason: String,
    },
    /// `validation_failed`: the payload was refused; `issues` lists every problem.
    #[error("{reason}")]
    ValidationFailed {
        /// Every problem, joined into one sentence.
        reason: String,
        /// Every problem found, each with a path, a stable code and a message.
        issues: Vec<ValidationIssue>,
    },
    /// `invalid_key`: the private key cannot be read or does not match the certificate.
    #[error("{reason}")]
    InvalidKey {
        /// What went wrong (never the key itself).
        reason: String,
    },
    /// `invalid_certificate`: a DSC that cannot be read.
    #[error("{reason}")]
    InvalidCertificate {
        /// What went wrong.
        reason: String,
    },
    /// `signing_failed`: the signer failed (an exception thrown by a `DccSigner` ends up here).
    #[error("{reason}")]
    SigningFailed {
        /// What went wrong.
        reason: String,
    },
    /// `qr_encode_failed`: the QR code cannot be drawn (e.g. a PNG scale out of range).
    #[error("{reason}")]
    QrEncodeFailed {
        /// What went wrong.
        reason: String,
    },
    /// `invalid_image`: not a readable PNG or JPEG.
    #[error("{reason}")]
    InvalidImage {
        /// What went wrong.
        reason: String,
    },
    /// `no_qr_code`: an image without a readable QR code.
    #[error("{reason}")]
    NoQrCode {
        /// What went wrong.
        reason: String,
    },
    /// `invalid_options`: issuing options that cannot be honoured (an expiry after the DSC's
    /// notAfter, a bad country code, a validity that ends before it starts).
    #[error("{reason}")]
    InvalidOptions {
        /// What went wrong.
        reason: String,
    },
    /// `verification_failed`
    #[error("{reason}")]
    VerificationFailed {
        /// What went wrong.
        reason: String,
    },
    /// An error kind added to the core after this binding was built. It cannot occur while the
    /// compile-time check in this module holds; it exists because the core's `ErrorKind` is
    /// `#[non_exhaustive]`. `code` is the core's stable code.
    #[error("{reason}")]
    Other {
        /// The stable code.
        code: String,
        /// What went wrong.
        reason: String,
    },
}

// `dcc::ErrorKind` is `#[non_exhaustive]`, so the match below needs a wildcard arm. This line
// keeps the binding honest: a new kind changes the length of `ErrorKind::ALL` and breaks the
// build here, so it gets its own case above instead of falling into `Other`.
const _: [ErrorKind; 19] = ErrorKind::ALL;

impl From<dcc::Error> for DccError {
    fn from(e: dcc::Error) -> Self {
        let reason = e.to_string();
        match e.kind() {
            ErrorKind::EmptyInput => DccError::EmptyInput { reason },
            ErrorKind::InputTooLarge => DccError::InputTooLarge { reason },
            ErrorKind::InvalidPrefix => DccError::InvalidPrefix { reason },
            ErrorKind::UnsupportedVersion => DccError::UnsupportedVersion { reason },
            ErrorKind::InvalidBase45 => DccError::InvalidBase45 { reason },
            ErrorKind::InvalidCompression => DccError::InvalidCompression { reason },
            ErrorKind::InvalidCbor => DccError::InvalidCbor { reason },
            ErrorKind::InvalidCose => DccError::InvalidCose { reason },
            ErrorKind::InvalidClaims => DccError::InvalidClaims { reason },
            ErrorKind::InvalidPayload => DccError::InvalidPayload { reason },
            ErrorKind::ValidationFailed => DccError::ValidationFailed {
                reason,
                issues: e.issues().iter().map(ValidationIssue::from).collect(),
            },
            ErrorKind::InvalidKey => DccError::InvalidKey { reason },
            ErrorKind::InvalidCertificate => DccError::InvalidCertificate { reason },
            ErrorKind::SigningFailed => DccError::SigningFailed { reason },
            ErrorKind::QrEncodeFailed => DccError::QrEncodeFailed { reason },
            ErrorKind::InvalidImage => DccError::InvalidImage { reason },
            ErrorKind::NoQrCode => DccError::NoQrCode { reason },
            ErrorKind::InvalidOptions => DccError::InvalidOptions { reason },
            ErrorKind::VerificationFailed => DccError::VerificationFailed { reason },
            other => DccError::Other {
                code: other.code().to_string(),
                reason,
            },
        }
    }
}

/// An exception a foreign `DccSigner` threw that is not a `DccException`/`DccError` (a
/// `KeyStoreException`, an `NSError`): it becomes `signing_failed` instead of a crash.
impl From<uniffi::UnexpectedUniFFICallbackError> for DccError {
    fn from(e: uniffi::UnexpectedUniFFICallbackError) -> Self {
        DccError::SigningFailed {
            reason: format!("the signer threw {}", e.reason),
        }
    }
}

#[uniffi::export]
impl DccError {
    /// The stable snake_case code (`invalid_base45`, `validation_failed`, ...), the same in
    /// every language binding: test and branch on this, not on the message.
    pub fn code(&self) -> String {
        let code = match self {
            DccError::EmptyInput { .. } => ErrorKind::EmptyInput.code(),
            DccError::InputTooLarge { .. } => ErrorKind::InputTooLarge.code(),
            DccError::InvalidPrefix { .. } => ErrorKind::InvalidPrefix.code(),
            DccError::UnsupportedVersion { .. } => ErrorKind::UnsupportedVersion.code(),
            DccError::InvalidBase45 { .. } => ErrorKind::InvalidBase45.code(),
            DccError::InvalidCompression { .. } => ErrorKind::InvalidCompression.code(),
            DccError::InvalidCbor { .. } => ErrorKind::InvalidCbor.code(),
            DccError::InvalidCose { .. } => ErrorKind::InvalidCose.code(),
            DccError::InvalidClaims { .. } => ErrorKind::InvalidClaims.code(),
            DccError::InvalidPayload { .. } => ErrorKind::InvalidPayload.code(),
            DccError::ValidationFailed { .. } => ErrorKind::ValidationFailed.code(),
            DccError::InvalidKey { .. } => ErrorKind::InvalidKey.code(),
            DccError::InvalidCertificate { .. } => ErrorKind::InvalidCertificate.code(),
            DccError::SigningFailed { .. } => ErrorKind::SigningFailed.code(),
            DccError::QrEncodeFailed { .. } => ErrorKind::QrEncodeFailed.code(),
            DccError::InvalidImage { .. } => ErrorKind::InvalidImage.code(),
            DccError::NoQrCode { .. } => ErrorKind::NoQrCode.code(),
            DccError::InvalidOptions { .. } => ErrorKind::InvalidOptions.code(),
            DccError::VerificationFailed { .. } => ErrorKind::VerificationFailed.code(),
            DccError::Other { code, .. } => return code.clone(),
        };
        code.to_string()
    }

    /// The validation issues of a `validation_failed` error; empty for every other error.
    pub fn issues(&self) -> Vec<ValidationIssue> {
        match self {
            DccError::ValidationFailed { issues, .. } => issues.clone(),
            _ => Vec::new(),
        }
    }

    /// The human-readable message (the same text as the exception's message in Swift and
    /// Kotlin's `reason`).
    pub fn reason(&self) -> String {
        self.to_string()
    }
}

/// Every stable error code, in the core's order: for documentation and exhaustive tests.
#[uniffi::export]
pub fn error_codes() -> Vec<String> {
    ErrorKind::ALL
        .iter()
        .map(|k| k.code().to_string())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_round_trips_for_every_kind() {
        // Each core kind gets its own case whose code() is the core code (never `Other`).
        for kind in ErrorKind::ALL {
            let mapped = DccError::from(error_of_kind(kind));
            assert_eq!(mapped.code(), kind.code(), "{kind:?}");
            assert!(!matches!(mapped, DccError::Other { .. }), "{kind:?}");
        }
        assert_eq!(error_codes().len(), ErrorKind::ALL.len());
    }

    #[test]
    fn validation_issues_carry_path_code_message() {
        let issue = dcc::ValidationIssue::new("v/0/dn", "out_of_range", "dose 0");
        let e = DccError::from(dcc::Error::Validation(vec![issue]));
        assert_eq!(e.code(), "validation_failed");
        assert_eq!(
            e.issues(),
            vec![ValidationIssue {
                path: "v/0/dn".into(),
                code: "out_of_range".into(),
                message: "dose 0".into(),
            }]
        );
        assert!(DccError::from(dcc::Error::EmptyInput).issues().is_empty());
    }

    #[test]
    fn unexpected_callback_error_is_signing_failed() {
        let e = DccError::from(uniffi::UnexpectedUniFFICallbackError::new(
            "java.lang.IllegalStateException: offline",
        ));
        assert_eq!(e.code(), "signing_failed");
        assert!(e.reason().contains("offline"));
    }

    /// A real facade error of each kind, produced through the public API where that is cheap.
    fn error_of_kind(kind: ErrorKind) -> dcc::Error {
        use dcc::layers::{cose, qr};
        match kind {
            ErrorKind::EmptyInput => dcc::Error::EmptyInput,
            ErrorKind::InputTooLarge => dcc::Error::InputTooLarge { len: 2, limit: 1 },
            ErrorKind::InvalidPrefix => decode_err("hc1:ABC"),
            ErrorKind::UnsupportedVersion => decode_err("HC2:ABC"),
            ErrorKind::InvalidBase45 => decode_err("HC1:a"),
            ErrorKind::InvalidCompression => decode_err("HC1:BB8"),
            ErrorKind::InvalidCbor => cose_err(&[0xff]),
            ErrorKind::InvalidCose => cose_err(&[0x18, 42]),
            ErrorKind::InvalidClaims => dcc::Error::Cose(cose::DecodeError::MissingHcert),
            ErrorKind::InvalidPayload => dcc::Dcc::from_json("[1]")
                .map(|_| dcc::Error::EmptyInput)
                .unwrap_or_else(dcc::Error::from),
            ErrorKind::ValidationFailed => dcc::Error::Validation(vec![]),
            ErrorKind::InvalidKey => dcc::Issuer::from_pem("", dcc::demo::DEMO_CERT_PEM)
                .map(|_| dcc::Error::EmptyInput)
                .unwrap_or_else(|e| e),
            ErrorKind::InvalidCertificate => dcc::Verifier::from_certs(["x"])
                .map(|_| dcc::Error::EmptyInput)
                .unwrap_or_else(|e| e),
            ErrorKind::SigningFailed => dcc::Error::Sign(cose::SignError::Signer("x".into())),
            ErrorKind::QrEncodeFailed => dcc::Issuer::demo()
                .issue_json(
                    &std::fs::read_to_string(concat!(
                        env!("CARGO_MANIFEST_DIR"),
                        "/../../examples/vaccination.json"
                    ))
                    .unwrap_or_default(),
                    &dcc::IssueOptions {
                        issued_at: Some(1_750_000_000),
                        ..Default::default()
                    },
                )
                .and_then(|c| c.to_png(0))
                .map(|_| dcc::Error::EmptyInput)
                .unwrap_or_else(|e| e),
            ErrorKind::InvalidImage => dcc::read_qr(b"GIF89a")
                .map(|_| dcc::Error::EmptyInput)
                .unwrap_or_else(|e| e),
            ErrorKind::NoQrCode => dcc::Error::Image(qr::DecodeError::NoQrCode),
            ErrorKind::InvalidOptions => dcc::Error::Options("x".into()),
            ErrorKind::VerificationFailed => dcc::Error::Verification(vec![]),
            other => panic!("no sample error for {other:?}"),
        }
    }

    fn decode_err(text: &str) -> dcc::Error {
        dcc::decode(text)
            .map(|_| dcc::Error::EmptyInput)
            .unwrap_or_else(|e| e)
    }

    fn cose_err(bytes: &[u8]) -> dcc::Error {
        dcc::decode_cose(String::new(), bytes.to_vec())
            .map(|_| dcc::Error::EmptyInput)
            .unwrap_or_else(|e| e)
    }
}
