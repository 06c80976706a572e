//! The one error type of the bindings: Kotlin `dcckit.DccException`, Swift `DccKit.DccError`.

use dcc::ErrorKind;

use crate::{CheckFailure, ValidationIssue, from_view};

/// Declares [`DccError`] with one case per `dcc::ErrorKind` (the list below, named as the
/// kinds), its mapping from `dcc::Error` and `code()`. The assertion makes the build fail when
/// the list and `ErrorKind::ALL` differ in length; as every case names a kind, the list is then
/// exactly `ErrorKind::ALL`.
macro_rules! dcc_error {
    ($($(#[doc = $doc:literal])+ $case:ident,)+) => {
        /// Every error of dcc-kit, one case per stable code (`errorCodes()` lists them).
        ///
        /// Kotlin: a sealed class `DccException` with one subclass per case
        /// (`DccException.InvalidBase45`, ...); Swift: the enum `DccError`. Every case has a
        /// `reason` (the human message, never key material); `ValidationFailed` also carries the
        /// `issues`, `VerificationFailed` the `failures`. `code()` and `reason()` work on any case.
        #[derive(uniffi::Error, thiserror::Error, Debug, Clone, PartialEq, Eq)]
        pub enum DccError {
            $($(#[doc = $doc])+ #[error("{reason}")] $case {
                /// What went wrong.
                reason: String,
            },)+
            /// `validation_failed`: the payload was refused; `issues` lists every problem.
            #[error("{reason}")]
            ValidationFailed {
                /// Every problem, joined into one sentence.
                reason: String,
                /// Every problem found, each with a path, a stable code and a message.
                issues: Vec<ValidationIssue>,
            },
            /// `verification_failed`: `Verification.ensureValid()` on a certificate that is not
            /// valid; `failures` lists every failed check.
            #[error("{reason}")]
            VerificationFailed {
                /// Every failure, joined into one sentence.
                reason: String,
                /// Every failed check.
                failures: Vec<CheckFailure>,
            },
        }

        const _: () = assert!(ErrorKind::ALL.len() == [$(ErrorKind::$case,)+].len() + 2);

        impl From<dcc::Error> for DccError {
            fn from(e: dcc::Error) -> Self {
                let reason = e.to_string();
                match e.kind() {
                    $(ErrorKind::$case => DccError::$case { reason },)+
                    ErrorKind::ValidationFailed => DccError::ValidationFailed {
                        reason,
                        issues: from_view(e.issues()),
                    },
                    // `ErrorKind` is `#[non_exhaustive]`; the assertion above keeps this arm for
                    // `verification_failed` alone.
                    _ => DccError::VerificationFailed {
                        reason,
                        failures: from_view(e.failures()),
                    },
                }
            }
        }

        impl DccError {
            fn kind(&self) -> ErrorKind {
                match self {
                    $(DccError::$case { .. } => ErrorKind::$case,)+
                    DccError::ValidationFailed { .. } => ErrorKind::ValidationFailed,
                    DccError::VerificationFailed { .. } => ErrorKind::VerificationFailed,
                }
            }
        }
    };
}

dcc_error! {
    /// `empty_input`: the input is empty.
    EmptyInput,
    /// `input_too_large`: larger than any certificate (or image) can be.
    InputTooLarge,
    /// `invalid_prefix`: the text does not start with `HC1:`.
    InvalidPrefix,
    /// `unsupported_version`: `HC2:` and later.
    UnsupportedVersion,
    /// `invalid_base45`: the text after the prefix is not Base45.
    InvalidBase45,
    /// `invalid_compression`: not zlib, corrupt, or inflating beyond the cap.
    InvalidCompression,
    /// `invalid_cbor`: not CBOR.
    InvalidCbor,
    /// `invalid_cose`: not a COSE_Sign1, or bytes after it.
    InvalidCose,
    /// `invalid_claims`: the CWT claims, including a missing `hcert`.
    InvalidClaims,
    /// `invalid_payload`: the payload is not JSON or does not fit the DCC model.
    InvalidPayload,
    /// `invalid_key`: the private key cannot be read, does not match the certificate, or does
    /// not fit the algorithm.
    InvalidKey,
    /// `invalid_certificate`: a DSC that cannot be read.
    InvalidCertificate,
    /// `signing_failed`: the signer failed (an exception thrown by a `DccSigner` ends up here).
    SigningFailed,
    /// `qr_encode_failed`: the QR code cannot be drawn (e.g. a PNG scale out of range).
    QrEncodeFailed,
    /// `invalid_image`: not a readable PNG or JPEG.
    InvalidImage,
    /// `no_qr_code`: an image without a readable QR code.
    NoQrCode,
    /// `invalid_options`: issuing options that cannot be honoured (an expiry after the DSC's
    /// notAfter, a bad country code, a validity that ends before it starts).
    InvalidOptions,
    /// `invalid_value_set`: a value-set file that cannot be read.
    InvalidValueSet,
    /// `invalid_argument`: an argument of a helper (a name to transliterate, a UVCI part) that
    /// cannot be used.
    InvalidArgument,
    /// `invalid_revocation_data`: revocation data that cannot be used (a malformed gateway
    /// batch, a hash that is not 16 bytes, an unknown hash type, a corrupt Bloom filter).
    InvalidRevocationData,
    /// `invalid_trust_list`: a trust list that cannot be read (unknown format, malformed JSON,
    /// CBOR or JWS, missing fields).
    InvalidTrustList,
    /// `trust_list_signature_invalid`: a trust list whose signature, content hash or signing
    /// chain does not verify with the pinned anchor.
    TrustListSignatureInvalid,
    /// `trust_list_expired`: a trust list past its expiry (or before its start) at the check
    /// time, loaded without `allowExpired`.
    TrustListExpired,
    /// `invalid_rule`: a business rule that cannot be read (the message names the rule's index
    /// and field).
    InvalidRule,
    /// `certlogic_failed`: a CertLogic expression whose evaluation failed; the message starts
    /// with the engine's code (`unknown_operator`, `type_mismatch`, ...).
    CertlogicFailed,
    /// `ledger_failed`: the issuance ledger cannot be opened, read or written (the
    /// certificate is not returned when its record could not be written).
    LedgerFailed,
    /// `pkcs11_module_unavailable`: the PKCS#11 module cannot be loaded or initialised (a
    /// wrong path, a library that is not a PKCS#11 module).
    Pkcs11ModuleUnavailable,
    /// `pkcs11_token_not_found`: no token with the URI's label (or slot) is present.
    Pkcs11TokenNotFound,
    /// `pkcs11_pin_incorrect`: the token refused the PIN, or no PIN was given. The message
    /// never contains the PIN.
    Pkcs11PinIncorrect,
    /// `pkcs11_key_not_found`: no key with the URI's `object` label (or `id`), with its public
    /// half, is on the token.
    Pkcs11KeyNotFound,
    /// `pkcs11_device_error`: the token failed outside signing (opening sessions, generating a
    /// key, a label already taken); a failure while signing is `signing_failed`.
    Pkcs11DeviceError,
    /// `pdf_failed`: a printable certificate (`Certificate.toPdf`) could not be written; a
    /// language other than `de`, `fr` or `en` is `invalid_options` instead.
    PdfFailed,
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
        self.kind().code().to_string()
    }

    /// The human-readable message (Kotlin: also in `message`; Swift: the case's `reason`).
    pub fn reason(&self) -> String {
        self.to_string()
    }
}
