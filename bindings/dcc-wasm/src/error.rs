//! Errors: every failure reaches JavaScript as a real `Error` subclass (`DccError`, or
//! `ValidationError` for a refused payload) with the stable `code` of the facade and, for
//! validation, the `issues`.

use std::cell::RefCell;

use dcc::ErrorKind;
use js_sys::{Array, Function, Object, Reflect};
use wasm_bindgen::prelude::*;

thread_local! {
    /// `(className, code, message, issues) => Error`, installed by the package entry points
    /// (`index.cjs` / `index.js`), which define the `DccError` classes users import.
    static FACTORY: RefCell<Option<Function>> = const { RefCell::new(None) };
}

/// Installs the function that builds the JavaScript errors. Called once by the package entry
/// points; not part of the public API.
#[wasm_bindgen(js_name = "__setErrorFactory", skip_typescript)]
pub fn set_error_factory(factory: Function) {
    FACTORY.with(|f| *f.borrow_mut() = Some(factory));
}

/// The JavaScript class an error is thrown as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum JsClass {
    /// `DccError`
    Dcc,
    /// `ValidationError extends DccError`, with `issues`.
    Validation,
}

impl JsClass {
    fn name(self) -> &'static str {
        match self {
            JsClass::Dcc => "DccError",
            JsClass::Validation => "ValidationError",
        }
    }
}

/// The number of error kinds this binding was written against. `ErrorKind` is
/// `#[non_exhaustive]`, so the match below needs a wildcard arm; this assertion is what breaks
/// the build when the core gains a kind, so that the new kind gets a deliberate mapping here.
const KNOWN_KINDS: usize = 19;
const _: () = assert!(
    ErrorKind::ALL.len() == KNOWN_KINDS,
    "dcc::ErrorKind changed: map the new kind in bindings/dcc-wasm/src/error.rs"
);

/// The one mapping from the facade's error kinds to JavaScript classes.
fn class_of(kind: ErrorKind) -> JsClass {
    match kind {
        ErrorKind::ValidationFailed => JsClass::Validation,
        ErrorKind::EmptyInput
        | ErrorKind::InputTooLarge
        | ErrorKind::InvalidPrefix
        | ErrorKind::UnsupportedVersion
        | ErrorKind::InvalidBase45
        | ErrorKind::InvalidCompression
        | ErrorKind::InvalidCbor
        | ErrorKind::InvalidCose
        | ErrorKind::InvalidClaims
        | ErrorKind::InvalidPayload
        | ErrorKind::InvalidKey
        | ErrorKind::InvalidCertificate
        | ErrorKind::SigningFailed
        | ErrorKind::QrEncodeFailed
        | ErrorKind::InvalidImage
        | ErrorKind::NoQrCode
        | ErrorKind::InvalidOptions
        | ErrorKind::VerificationFailed => JsClass::Dcc,
        // Unreachable while KNOWN_KINDS matches (see the assertion above).
        _ => JsClass::Dcc,
    }
}

/// One problem found in a refused payload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Issue {
    path: String,
    code: String,
    message: String,
}

/// A failure on its way to JavaScript: the facade's kind, a message and (for validation) the
/// issues. Built from a [`dcc::Error`] or, for arguments JavaScript got wrong, by the binding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    kind: ErrorKind,
    message: String,
    issues: Vec<Issue>,
}

impl Failure {
    /// A failure found by the binding itself (an argument of the wrong type, a signer callback
    /// that threw), reported with one of the facade's kinds.
    pub(crate) fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Failure {
            kind,
            message: message.into(),
            issues: Vec::new(),
        }
    }

    /// The stable code.
    pub(crate) fn code(&self) -> &'static str {
        self.kind.code()
    }
}

impl From<dcc::Error> for Failure {
    fn from(e: dcc::Error) -> Self {
        Failure {
            kind: e.kind(),
            message: e.to_string(),
            issues: e
                .issues()
                .iter()
                .map(|i| Issue {
                    path: i.path.clone(),
                    code: i.code.to_string(),
                    message: i.message.clone(),
                })
                .collect(),
        }
    }
}

fn set(target: &Object, key: &str, value: &JsValue) {
    // Reflect.set on a fresh ordinary object cannot fail.
    let _ = Reflect::set(target, &JsValue::from_str(key), value);
}

impl From<Failure> for JsValue {
    fn from(f: Failure) -> JsValue {
        let class = class_of(f.kind);
        let issues = Array::new();
        for i in &f.issues {
            let o = Object::new();
            set(&o, "path", &JsValue::from_str(&i.path));
            set(&o, "code", &JsValue::from_str(&i.code));
            set(&o, "message", &JsValue::from_str(&i.message));
            issues.push(&o);
        }
        let code = JsValue::from_str(f.code());
        let message = JsValue::from_str(&f.message);
        let built = FACTORY.with(|factory| {
            factory.borrow().as_ref().and_then(|make| {
                let args = Array::of4(&JsValue::from_str(class.name()), &code, &message, &issues);
                make.apply(&JsValue::NULL, &args).ok()
            })
        });
        match built {
            Some(err) => err,
            None => {
                // The raw wasm-bindgen module used without the package entry point: still a
                // real Error with the same fields.
                let err = js_sys::Error::new(&f.message);
                err.set_name(class.name());
                set(&err, "code", &code);
                set(&err, "issues", &issues);
                err.into()
            }
        }
    }
}

/// Every stable error code, in the facade's order.
#[wasm_bindgen(js_name = errorCodes, unchecked_return_type = "DccErrorCode[]")]
pub fn error_codes() -> Vec<String> {
    ErrorKind::ALL
        .iter()
        .map(|k| k.code().to_string())
        .collect()
}

/// `Result` with a [`Failure`].
pub(crate) type Result<T, E = Failure> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_a_class_and_only_validation_is_special() {
        for kind in ErrorKind::ALL {
            let class = class_of(kind);
            assert_eq!(
                class == JsClass::Validation,
                kind == ErrorKind::ValidationFailed,
                "{kind}"
            );
        }
    }

    #[test]
    fn facade_errors_keep_code_and_issues() {
        let e = dcc::Error::Validation(vec![dcc::ValidationIssue::new(
            "v/0/dn",
            "out_of_range",
            "dn must be positive",
        )]);
        let f = Failure::from(e);
        assert_eq!(f.code(), "validation_failed");
        assert_eq!(f.issues.len(), 1);
        assert_eq!(f.issues[0].path, "v/0/dn");
        assert_eq!(f.issues[0].code, "out_of_range");
    }
}
