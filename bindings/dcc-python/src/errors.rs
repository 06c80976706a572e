//! Exceptions: one base `DccError` with a subclass per [`dcc::ErrorKind`], each carrying the
//! stable `code` of the Rust facade.

use std::cell::RefCell;

use dcc::ErrorKind;
use pyo3::{
    create_exception,
    exceptions::PyException,
    prelude::*,
    types::{PyList, PyType},
};

create_exception!(
    dcc_kit,
    DccError,
    PyException,
    "Base of every dcc-kit error.\n\n`code` is the stable snake_case code of the error kind (the same \
     in every language binding); `message` is the human explanation (also `str(error)`). The \
     binding raises the base class itself only for an internal failure (code `internal_error`)."
);

/// Declares the subclass of `DccError` for each error kind.
macro_rules! kind_exceptions {
    ($($name:ident => $doc:literal),* $(,)?) => {
        $(create_exception!(dcc_kit, $name, DccError, $doc);)*
    };
}

kind_exceptions! {
    EmptyInputError => "The input is empty (code `empty_input`).",
    InputTooLargeError => "The input is larger than any certificate can be (code `input_too_large`).",
    InvalidPrefixError => "The text does not start with `HC1:` (code `invalid_prefix`).",
    UnsupportedVersionError => "A later HCERT version such as `HC2:` (code `unsupported_version`).",
    InvalidBase45Error => "The text after the prefix is not valid Base45 (code `invalid_base45`).",
    InvalidCompressionError => "Not zlib, corrupt, or inflating past the cap (code `invalid_compression`).",
    InvalidCborError => "The certificate is not valid CBOR (code `invalid_cbor`).",
    InvalidCoseError => "The CBOR is not a COSE_Sign1 (code `invalid_cose`).",
    InvalidClaimsError => "The CWT claims are malformed or lack the hcert claim (code `invalid_claims`).",
    InvalidPayloadError => "The DCC payload does not fit the model (code `invalid_payload`).",
    ValidationError => "The payload was refused (code `validation_failed`).\n\n`issues` lists every problem found, each a `ValidationIssue` with `path`, `code` and `message`.",
    InvalidKeyError => "The private key cannot be used (code `invalid_key`). The message never contains key material.",
    InvalidCertificateError => "The certificate cannot be parsed (code `invalid_certificate`).",
    SigningError => "The signer failed or returned a malformed signature (code `signing_failed`).\n\nWhen a signing callable raised, its exception is this error's `__cause__`.",
    QrEncodeError => "The QR code cannot be rendered (code `qr_encode_failed`).",
    InvalidImageError => "The image is not a readable PNG or JPEG (code `invalid_image`).",
    NoQrCodeError => "The image holds no readable QR code (code `no_qr_code`).",
    InvalidOptionsError => "Options that cannot be honoured (code `invalid_options`): an expiry after the signer certificate's notAfter, a bad `iss`, a naive datetime, ...",
    VerificationFailedError => "A certificate failed verification (code `verification_failed`), raised by `Verification.ensure_valid()`.\n\n`failures` lists each failed check as a `CheckFailure`.",
}

/// Code of the base class when the binding itself fails (a caught panic).
pub const INTERNAL_ERROR: &str = "internal_error";

/// Number of error kinds this binding maps. A new core kind changes the length of
/// `ErrorKind::ALL` and breaks this build, so it cannot slip through unmapped (the match in
/// [`exception_type`] needs a wildcard arm because `ErrorKind` is `#[non_exhaustive]`).
const MAPPED_KINDS: usize = 19;
const _: () = assert!(
    ErrorKind::ALL.len() == MAPPED_KINDS,
    "dcc::ErrorKind changed: map the new kind to an exception class in errors.rs"
);

/// The exception class of an error kind: the one mapping from kinds to classes.
pub fn exception_type(py: Python<'_>, kind: ErrorKind) -> Bound<'_, PyType> {
    match kind {
        ErrorKind::EmptyInput => py.get_type::<EmptyInputError>(),
        ErrorKind::InputTooLarge => py.get_type::<InputTooLargeError>(),
        ErrorKind::InvalidPrefix => py.get_type::<InvalidPrefixError>(),
        ErrorKind::UnsupportedVersion => py.get_type::<UnsupportedVersionError>(),
        ErrorKind::InvalidBase45 => py.get_type::<InvalidBase45Error>(),
        ErrorKind::InvalidCompression => py.get_type::<InvalidCompressionError>(),
        ErrorKind::InvalidCbor => py.get_type::<InvalidCborError>(),
        ErrorKind::InvalidCose => py.get_type::<InvalidCoseError>(),
        ErrorKind::InvalidClaims => py.get_type::<InvalidClaimsError>(),
        ErrorKind::InvalidPayload => py.get_type::<InvalidPayloadError>(),
        ErrorKind::ValidationFailed => py.get_type::<ValidationError>(),
        ErrorKind::InvalidKey => py.get_type::<InvalidKeyError>(),
        ErrorKind::InvalidCertificate => py.get_type::<InvalidCertificateError>(),
        ErrorKind::SigningFailed => py.get_type::<SigningError>(),
        ErrorKind::QrEncodeFailed => py.get_type::<QrEncodeError>(),
        ErrorKind::InvalidImage => py.get_type::<InvalidImageError>(),
        ErrorKind::NoQrCode => py.get_type::<NoQrCodeError>(),
        ErrorKind::InvalidOptions => py.get_type::<InvalidOptionsError>(),
        ErrorKind::VerificationFailed => py.get_type::<VerificationFailedError>(),
        // `ErrorKind` is `#[non_exhaustive]`, so the compiler demands this arm; the assertion on
        // `ErrorKind::ALL` above and the module-init check keep it unreachable.
        _ => py.get_type::<DccError>(),
    }
}

/// Adds `DccError` and every subclass to the module, sets each class's `code`, and exposes
/// `ERROR_CLASSES` (code -> class). Fails the import if a kind has no class of its own.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    let base = py.get_type::<DccError>();
    base.setattr("code", INTERNAL_ERROR)?;
    base.setattr("message", "")?;
    m.add("DccError", &base)?;
    let by_code = pyo3::types::PyDict::new(py);
    for kind in ErrorKind::ALL {
        let class = exception_type(py, kind);
        if class.is(&base) || by_code.contains(kind.code())? {
            return Err(pyo3::exceptions::PyImportError::new_err(format!(
                "dcc_kit: error kind {} has no exception class of its own",
                kind.code()
            )));
        }
        class.setattr("code", kind.code())?;
        by_code.set_item(kind.code(), &class)?;
        m.add(class.name()?, &class)?;
    }
    // Defaults so the attributes exist on instances raised by user code too.
    py.get_type::<ValidationError>()
        .setattr("issues", PyList::empty(py))?;
    py.get_type::<VerificationFailedError>()
        .setattr("failures", PyList::empty(py))?;
    m.add("ERROR_CLASSES", by_code)?;
    Ok(())
}

thread_local! {
    /// The exception raised by a signing callable on this thread, taken by the error conversion
    /// right after the failed call so it becomes the `SigningError`'s `__cause__`.
    static CALLBACK_ERROR: RefCell<Option<PyErr>> = const { RefCell::new(None) };
}

/// Remembers the exception a signing callable raised on this thread.
pub fn stash_callback_error(err: PyErr) {
    CALLBACK_ERROR.with(|slot| *slot.borrow_mut() = Some(err));
}

fn take_callback_error() -> Option<PyErr> {
    CALLBACK_ERROR.with(|slot| slot.borrow_mut().take())
}

/// An error on its way to Python: a facade error (with the exception of a signing callable, if
/// one caused it) or an internal failure. Lets `?` work in binding code (the orphan rule forbids
/// `From<dcc::Error> for PyErr` here).
#[derive(Debug)]
pub enum BindingError {
    /// A facade error, and the Python exception that caused it, if any.
    Dcc(dcc::Error, Option<PyErr>),
    /// A panic caught in native code; never expected.
    Internal(String),
}

impl From<dcc::Error> for BindingError {
    fn from(e: dcc::Error) -> Self {
        // Taken on the thread where the call failed, always, so nothing stale is left behind.
        let cause = take_callback_error();
        let cause = if e.kind() == ErrorKind::SigningFailed {
            cause
        } else {
            None
        };
        BindingError::Dcc(e, cause)
    }
}

impl BindingError {
    /// The Python exception instance for this error.
    pub fn into_pyerr(self, py: Python<'_>) -> PyErr {
        match self {
            BindingError::Internal(msg) => {
                build(&py.get_type::<DccError>(), INTERNAL_ERROR, &msg).unwrap_or_else(|e| e)
            }
            // A KeyboardInterrupt or SystemExit in the callable is not a signing failure.
            BindingError::Dcc(_, Some(cause)) if !cause.is_instance_of::<PyException>(py) => cause,
            BindingError::Dcc(e, cause) => dcc_error(py, &e, cause).unwrap_or_else(|err| err),
        }
    }
}

impl From<BindingError> for PyErr {
    fn from(e: BindingError) -> Self {
        Python::attach(|py| e.into_pyerr(py))
    }
}

fn build(class: &Bound<'_, PyType>, code: &str, message: &str) -> PyResult<PyErr> {
    let instance = class.call1((message,))?;
    instance.setattr("code", code)?;
    instance.setattr("message", message)?;
    Ok(PyErr::from_value(instance))
}

fn dcc_error(py: Python<'_>, e: &dcc::Error, cause: Option<PyErr>) -> PyResult<PyErr> {
    let kind = e.kind();
    let err = build(&exception_type(py, kind), kind.code(), &e.to_string())?;
    let value = err.value(py);
    match e {
        dcc::Error::Validation(issues) => {
            let list = PyList::empty(py);
            for i in issues {
                list.append(crate::types::ValidationIssue::from(i))?;
            }
            value.setattr("issues", list)?;
        }
        dcc::Error::Verification(failures) => {
            let list = PyList::empty(py);
            for f in failures {
                list.append(crate::types::CheckFailure::from(f))?;
            }
            value.setattr("failures", list)?;
        }
        _ => {}
    }
    if cause.is_some() {
        err.set_cause(py, cause);
    }
    Ok(err)
}

/// Runs native code, turning a panic into an internal `DccError` so that no Rust panic ever
/// reaches Python.
pub fn guard<T>(f: impl FnOnce() -> Result<T, BindingError>) -> Result<T, BindingError> {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)) {
        Ok(r) => r,
        Err(payload) => {
            let what = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".to_string());
            Err(BindingError::Internal(format!(
                "internal error in dcc-kit (please report it): {what}"
            )))
        }
    }
}

/// `guard` for a facade call returning `dcc::Result`.
pub fn run<T>(f: impl FnOnce() -> dcc::Result<T>) -> Result<T, BindingError> {
    guard(|| f().map_err(BindingError::from))
}

/// A facade options error (code `invalid_options`).
pub fn options_error(message: impl Into<String>) -> BindingError {
    BindingError::Dcc(dcc::Error::Options(message.into()), None)
}

/// A facade payload error (code `invalid_payload`).
pub fn payload_error(message: impl Into<String>) -> BindingError {
    BindingError::Dcc(
        dcc::Error::Payload(dcc::layers::payload::PayloadError::Model(message.into())),
        None,
    )
}
