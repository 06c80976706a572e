//! Verifying and decoding: `Verifier`, `Verification`, `Decoded`, `decode`, `read_qr`.

use pyo3::{
    prelude::*,
    pybacked::PyBackedBytes,
    types::{PyBytes, PyDateTime, PyString},
};

use crate::{
    convert::{datetime, json_to_py, opt_seconds, opt_timestamp},
    errors::{BindingError, run},
    types::{CheckFailure, Checks, Claims, R, SignerInfo, ValidationIssue},
};

/// What `verify` was given: `HC1:` text or image bytes.
enum Input {
    Text(String),
    Image(PyBackedBytes),
}

fn input(data: &Bound<'_, PyAny>) -> PyResult<Input> {
    if let Ok(s) = data.cast::<PyString>() {
        return Ok(Input::Text(s.to_cow()?.to_string()));
    }
    if let Ok(b) = data.extract::<PyBackedBytes>() {
        return Ok(Input::Image(b));
    }
    Err(pyo3::exceptions::PyTypeError::new_err(
        "expected HC1 text (str) or a PNG/JPEG image (bytes)",
    ))
}

/// `at`, or now.
fn at_or_now(at: Option<&Bound<'_, PyAny>>) -> Result<i64, BindingError> {
    Ok(opt_timestamp("at", at)?.unwrap_or_else(dcc::now))
}

/// A verifier: a set of trusted document signer certificates (DSCs). Thread-safe.
#[pyclass(frozen, module = "dcc_kit")]
pub struct Verifier {
    inner: dcc::Verifier,
}

#[pymethods]
impl Verifier {
    /// A verifier trusting `certificates`: PEM, DER or base64 DER, each ``str`` or ``bytes``
    /// (a PEM bundle may hold several; a single ``str``/``bytes`` is one bundle).
    /// `clock_skew` tolerates clocks that differ by that much when comparing the verification
    /// time with the certificate's issued-at and expiry.
    ///
    /// Raises `InvalidCertificateError`.
    #[new]
    #[pyo3(signature = (certificates, *, clock_skew = None))]
    fn new(
        py: Python<'_>,
        certificates: &Bound<'_, PyAny>,
        clock_skew: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let mut certs: Vec<Vec<u8>> = Vec::new();
        let one = |c: &Bound<'_, PyAny>| -> PyResult<Option<Vec<u8>>> {
            if let Ok(s) = c.cast::<PyString>() {
                return Ok(Some(s.to_cow()?.as_bytes().to_vec()));
            }
            Ok(c.extract::<PyBackedBytes>().ok().map(|b| b.to_vec()))
        };
        if let Some(single) = one(certificates)? {
            certs.push(single);
        } else {
            for c in certificates.try_iter()? {
                let c = c?;
                match one(&c)? {
                    Some(bytes) => certs.push(bytes),
                    None => {
                        return Err(pyo3::exceptions::PyTypeError::new_err(
                            "each certificate must be str or bytes",
                        ));
                    }
                }
            }
        }
        let skew = opt_seconds("clock_skew", clock_skew)?.unwrap_or(0);
        let inner = py.detach(|| run(|| dcc::Verifier::from_certs(&certs)))?;
        Ok(Verifier {
            inner: inner.with_clock_skew(skew),
        })
    }

    /// A verifier trusting only the embedded demo DSC (see `Issuer.demo`).
    #[staticmethod]
    fn demo() -> Self {
        Verifier {
            inner: dcc::Verifier::demo(),
        }
    }

    /// The trusted certificates.
    #[getter]
    fn trusted(&self) -> Vec<SignerInfo> {
        self.inner
            .trust_store()
            .iter()
            .map(SignerInfo::from)
            .collect()
    }

    /// Verifies ``HC1:`` text (``str``) or the QR code in a PNG/JPEG image (``bytes``) at `at`
    /// (a timezone-aware datetime; default now).
    ///
    /// Input that cannot be decoded raises a `DccError` subclass (`InvalidBase45Error`,
    /// `NoQrCodeError`, ...); a decodable certificate always returns a `Verification`, valid or
    /// not.
    #[pyo3(signature = (data, at = None))]
    fn verify(
        &self,
        py: Python<'_>,
        data: &Bound<'_, PyAny>,
        at: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Verification> {
        let at = at_or_now(at)?;
        let data = input(data)?;
        let verifier = &self.inner;
        let v = py.detach(|| {
            run(|| match &data {
                Input::Text(t) => verifier.verify(t, at),
                Input::Image(b) => verifier.verify_image(b, at),
            })
        })?;
        Verification::new(py, v)
    }

    fn __len__(&self) -> usize {
        self.inner.trust_store().len()
    }

    fn __repr__(&self) -> String {
        format!("Verifier(trusted={})", self.inner.trust_store().len())
    }
}

/// The result of verifying one certificate.
///
/// `valid` is true only when the signature, the validity window and the key usage all pass;
/// `checks` gives each check's outcome, `payload` the payload as signed.
#[pyclass(frozen, module = "dcc_kit")]
pub struct Verification {
    inner: dcc::Verification,
    payload: Py<PyAny>,
    checks: Py<Checks>,
}

impl Verification {
    fn new(py: Python<'_>, inner: dcc::Verification) -> PyResult<Self> {
        Ok(Verification {
            payload: json_to_py(py, inner.payload())?.unbind(),
            checks: Py::new(py, Checks::new(py, &inner.checks)?)?,
            inner,
        })
    }
}

#[pymethods]
impl Verification {
    /// True only when the signature, the validity window and the key usage all pass.
    #[getter]
    fn valid(&self) -> bool {
        self.inner.is_valid()
    }

    /// The payload as signed (a ``dict``; unknown fields kept).
    #[getter]
    fn payload(&self, py: Python<'_>) -> Py<PyAny> {
        self.payload.clone_ref(py)
    }

    /// The claims: issuer, issued-at and expiry.
    #[getter]
    fn claims(&self) -> Claims {
        Claims::from(self.inner.claims())
    }

    /// The trusted DSC whose key verified the signature, or ``None``.
    #[getter]
    fn signer(&self) -> Option<SignerInfo> {
        self.inner.signer.clone().map(SignerInfo::from)
    }

    /// Each check's outcome.
    #[getter]
    fn checks(&self, py: Python<'_>) -> Py<Checks> {
        self.checks.clone_ref(py)
    }

    /// Every data-quality finding (schema, value sets, plausibility), each a
    /// `ValidationIssue`; findings never make a certificate invalid.
    #[getter]
    fn findings(&self) -> Vec<ValidationIssue> {
        self.inner
            .findings
            .iter()
            .map(ValidationIssue::from)
            .collect()
    }

    /// Every failure among the three decisive checks (empty when valid).
    #[getter]
    fn failures(&self) -> Vec<CheckFailure> {
        self.inner
            .failures()
            .iter()
            .map(CheckFailure::from)
            .collect()
    }

    /// The verification time used (UTC).
    #[getter]
    fn at<'py>(&self, py: Python<'py>) -> Option<Bound<'py, PyDateTime>> {
        datetime(py, Some(self.inner.at))
    }

    /// The ``HC1:`` text that was verified.
    #[getter]
    fn hc1(&self) -> &str {
        &self.inner.decoded.hc1
    }

    /// The key identifier from the COSE headers, or ``None``.
    #[getter]
    fn kid<'py>(&self, py: Python<'py>) -> Option<Bound<'py, PyBytes>> {
        self.inner.decoded.kid().map(|k| PyBytes::new(py, k))
    }

    /// The algorithm named in the COSE header (``"ES256"``, ``"PS256"``, or another), or
    /// ``None``.
    #[getter]
    fn algorithm(&self) -> Option<String> {
        dcc::algorithm_name(&self.inner.decoded)
    }

    /// Returns this verification when valid; raises `VerificationFailedError` (with
    /// `failures`) otherwise.
    fn ensure_valid(slf: Py<Self>, py: Python<'_>) -> PyResult<Py<Self>> {
        let failures = slf.get().inner.failures();
        if failures.is_empty() {
            Ok(slf)
        } else {
            Err(BindingError::from(dcc::Error::Verification(failures)).into_pyerr(py))
        }
    }

    fn __repr__(&self) -> String {
        let failures: Vec<String> = self
            .inner
            .failures()
            .iter()
            .map(|f| R(f.code).to_string())
            .collect();
        format!(
            "Verification(valid={}, failures=[{}])",
            if self.inner.is_valid() {
                "True"
            } else {
                "False"
            },
            failures.join(", ")
        )
    }
}

/// A decoded certificate: every layer read, no signature checked (see `decode`).
#[pyclass(frozen, module = "dcc_kit")]
pub struct Decoded {
    inner: dcc::Decoded,
    payload: Py<PyAny>,
}

#[pymethods]
impl Decoded {
    /// The payload as signed (a ``dict``; unknown fields kept).
    #[getter]
    fn payload(&self, py: Python<'_>) -> Py<PyAny> {
        self.payload.clone_ref(py)
    }

    /// The claims: issuer, issued-at and expiry.
    #[getter]
    fn claims(&self) -> Claims {
        Claims::from(&self.inner.claims)
    }

    /// The ``HC1:`` text.
    #[getter]
    fn hc1(&self) -> &str {
        &self.inner.hc1
    }

    /// The COSE_Sign1 bytes (after inflating).
    #[getter]
    fn cose<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, &self.inner.cose)
    }

    /// The key identifier from the COSE headers, or ``None``.
    #[getter]
    fn kid<'py>(&self, py: Python<'py>) -> Option<Bound<'py, PyBytes>> {
        self.inner.kid().map(|k| PyBytes::new(py, k))
    }

    /// The algorithm named in the COSE header, or ``None``.
    #[getter]
    fn algorithm(&self) -> Option<String> {
        dcc::algorithm_name(&self.inner)
    }

    fn __repr__(&self) -> String {
        format!(
            "Decoded(algorithm={}, claims={})",
            dcc::algorithm_name(&self.inner)
                .map_or_else(|| "None".to_string(), |a| R(&a).to_string()),
            Claims::from(&self.inner.claims).__repr__()
        )
    }
}

/// Decodes ``HC1:`` text (``str``) or the QR code in an image (``bytes``) through every layer
/// (prefix, Base45, zlib, COSE, CWT, payload) **without checking the signature**: use a
/// `Verifier` to trust what it says. Raises a `DccError` subclass for input that cannot be
/// decoded.
#[pyfunction]
pub fn decode(py: Python<'_>, data: &Bound<'_, PyAny>) -> PyResult<Decoded> {
    let data = input(data)?;
    let inner = py.detach(|| {
        run(|| match &data {
            Input::Text(t) => dcc::decode(t),
            Input::Image(b) => dcc::decode_image(b),
        })
    })?;
    Ok(Decoded {
        payload: json_to_py(py, &inner.payload)?.unbind(),
        inner,
    })
}

/// Reads the QR code in a PNG or JPEG image and returns its text. Raises `InvalidImageError`,
/// `NoQrCodeError`, `EmptyInputError` or `InputTooLargeError`.
#[pyfunction]
pub fn read_qr(py: Python<'_>, image: PyBackedBytes) -> PyResult<String> {
    Ok(py.detach(|| run(|| dcc::read_qr(&image)))?)
}
