//! The native module `dcc_kit._native`: a thin PyO3 layer over the `dcc` facade.
//!
//! Only type conversion and error mapping live here; every decision is the facade's. Values
//! cross the boundary as the facade's views (the canonical JSON every language shares): the
//! views of verifications, decoded and issued certificates, trust lists and single rule results
//! as the Python objects `json.loads` would give (`pythonize`, no JSON text in between:
//! verifying is the hot path), the others as JSON text. The pure-Python package `dcc_kit` (`python/dcc_kit/`) turns them into frozen
//! dataclasses, converts datetimes and payloads, and wraps the classes below. Errors are raised
//! as the package's exception classes (`dcc_kit._errors`), built from the facade's `ErrorView`.
//! The GIL is released around native work.

use pyo3::{exceptions::PyValueError, prelude::*, types::PyBytes};
use serde::{Serialize, de::DeserializeOwned};

mod issuer;
mod ledger;
mod rules;
mod trust;
mod verifier;

/// The facade's JSON of a view (or any serialisable value).
pub(crate) fn json<T: Serialize>(value: &T) -> PyResult<String> {
    serde_json::to_string(value).map_err(|e| PyValueError::new_err(e.to_string()))
}

/// A view as Python objects (dicts, lists, str, int, float, bool, None: what `json.loads` of
/// its JSON gives), without JSON text in between.
pub(crate) fn view<'py, T: Serialize>(py: Python<'py>, value: &T) -> PyResult<Bound<'py, PyAny>> {
    Ok(pythonize::pythonize(py, value)?)
}

/// Options given as JSON by the Python layer, read with the facade's serde rules; a JSON that
/// does not fit is `invalid_options`.
pub(crate) fn options<T: DeserializeOwned>(py: Python<'_>, text: &str) -> PyResult<T> {
    ok(
        py,
        serde_json::from_str(text).map_err(|e| dcc::Error::Options(e.to_string())),
    )
}

/// A facade result, its error raised as the `dcc_kit` exception of its kind.
pub(crate) fn ok<T>(py: Python<'_>, result: dcc::Result<T>) -> PyResult<T> {
    result.map_err(|e| to_pyerr(py, &e, None))
}

/// The `dcc_kit` exception of a facade error (`dcc_kit._errors._from_json(view)`), with
/// `cause` (the exception a signing callable raised) as its `__cause__`. A `BaseException`
/// that is not an `Exception` (`KeyboardInterrupt`, `SystemExit`) is re-raised as it is.
pub(crate) fn to_pyerr(py: Python<'_>, e: &dcc::Error, cause: Option<PyErr>) -> PyErr {
    if let Some(c) = &cause
        && !c.is_instance_of::<pyo3::exceptions::PyException>(py)
    {
        return c.clone_ref(py);
    }
    let build = || -> PyResult<PyErr> {
        let errors = py.import("dcc_kit._errors")?;
        let err = PyErr::from_value(errors.call_method1("_from_json", (json(&e.view())?,))?);
        err.set_cause(py, cause);
        Ok(err)
    };
    build().unwrap_or_else(|err| err)
}

/// Decodes `HC1:` text without checking the signature: the `DecodedView` (as Python objects)
/// and the COSE_Sign1 bytes.
#[pyfunction]
fn decode<'py>(py: Python<'py>, hc1: &str) -> PyResult<Decoded<'py>> {
    decoded(py, py.detach(|| dcc::decode(hc1)))
}

/// Reads the QR code in a PNG or JPEG image and decodes it, as `decode`.
#[pyfunction]
fn decode_image<'py>(py: Python<'py>, image: &[u8]) -> PyResult<Decoded<'py>> {
    decoded(py, py.detach(|| dcc::decode_image(image)))
}

/// The `DecodedView` as Python objects, and the COSE_Sign1 bytes.
type Decoded<'py> = (Bound<'py, PyAny>, Bound<'py, PyBytes>);

fn decoded<'py>(py: Python<'py>, result: dcc::Result<dcc::Decoded>) -> PyResult<Decoded<'py>> {
    let d = ok(py, result)?;
    Ok((view(py, &d.view())?, PyBytes::new(py, &d.cose)))
}

/// The text of the QR code in a PNG or JPEG image.
#[pyfunction]
fn read_qr(py: Python<'_>, image: &[u8]) -> PyResult<String> {
    ok(py, py.detach(|| dcc::read_qr(image)))
}

/// Validates a JSON payload for issuing at `at` (default now), with replacement value sets:
/// the `ValidationReport` JSON.
#[pyfunction]
fn validate(
    py: Python<'_>,
    payload: &str,
    at: Option<i64>,
    value_sets: Vec<String>,
) -> PyResult<String> {
    let at = at.unwrap_or_else(dcc::now);
    json(&ok(
        py,
        py.detach(|| dcc::validate(payload, at, &value_sets)),
    )?)
}

/// The three revocation hashes of `HC1:` text, decoded without verifying: the
/// `RevocationHashesView` as Python objects.
#[pyfunction]
fn revocation_hashes<'py>(py: Python<'py>, hc1: &str) -> PyResult<Bound<'py, PyAny>> {
    view(py, &ok(py, py.detach(|| dcc::revocation_hashes(hc1)))?)
}

/// The ICAO 9303 standardised form of a name.
#[pyfunction]
fn transliterate(py: Python<'_>, name: &str) -> PyResult<String> {
    ok(py, dcc::transliterate(name))
}

/// A new unique certificate identifier.
#[pyfunction]
fn generate_uvci(py: Python<'_>, country: &str, issuer: &str) -> PyResult<String> {
    ok(py, dcc::generate_uvci(country, issuer))
}

/// A P-256 key, a self-signed DSC and a certificate signing request for `KeyOptions` given as
/// JSON (absent keys take the facade's defaults): the `GeneratedKey` JSON.
#[pyfunction]
fn generate_key(py: Python<'_>, options: &str) -> PyResult<String> {
    let opts: dcc::KeyOptions = self::options(py, options)?;
    json(&ok(py, py.detach(|| dcc::generate_key(&opts)))?)
}

/// Every error code (`dcc::ErrorKind::ALL`).
#[pyfunction]
fn error_codes() -> Vec<&'static str> {
    dcc::ErrorKind::ALL.iter().map(|k| k.code()).collect()
}

/// Every check-failure code (`dcc::CheckCode::ALL`).
#[pyfunction]
fn check_codes() -> Vec<&'static str> {
    dcc::CheckCode::ALL.iter().map(|k| k.code()).collect()
}

/// Every validation issue / finding code (`dcc::IssueCode::ALL`).
#[pyfunction]
fn issue_codes() -> Vec<&'static str> {
    dcc::IssueCode::ALL.iter().map(|k| k.code()).collect()
}

/// The current time, seconds since the epoch.
#[pyfunction]
fn now() -> i64 {
    dcc::now()
}

/// dcc-kit's native module (use it through the `dcc_kit` package).
#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<issuer::Issuer>()?;
    m.add_class::<issuer::Certificate>()?;
    m.add_class::<issuer::PreparedCertificate>()?;
    m.add_class::<verifier::Verifier>()?;
    m.add_class::<verifier::Verification>()?;
    m.add_class::<ledger::Ledger>()?;
    m.add_class::<trust::TrustList>()?;
    m.add_class::<rules::RuleSet>()?;
    m.add_wrapped(wrap_pyfunction!(decode))?;
    m.add_wrapped(wrap_pyfunction!(decode_image))?;
    m.add_wrapped(wrap_pyfunction!(read_qr))?;
    m.add_wrapped(wrap_pyfunction!(revocation_hashes))?;
    m.add_wrapped(wrap_pyfunction!(validate))?;
    m.add_wrapped(wrap_pyfunction!(transliterate))?;
    m.add_wrapped(wrap_pyfunction!(generate_uvci))?;
    m.add_wrapped(wrap_pyfunction!(generate_key))?;
    m.add_wrapped(wrap_pyfunction!(rules::load_rules))?;
    m.add_wrapped(wrap_pyfunction!(rules::evaluate_rule))?;
    m.add_wrapped(wrap_pyfunction!(rules::evaluate_certlogic))?;
    m.add_wrapped(wrap_pyfunction!(issuer::generate_key_in_token))?;
    m.add_wrapped(wrap_pyfunction!(error_codes))?;
    m.add_wrapped(wrap_pyfunction!(check_codes))?;
    m.add_wrapped(wrap_pyfunction!(issue_codes))?;
    m.add_wrapped(wrap_pyfunction!(now))?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
