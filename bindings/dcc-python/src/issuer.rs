//! Issuing: `Issuer` (with the callable signer and PKCS#11 tokens), `Certificate`,
//! `PreparedCertificate`, keys generated in a token.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use dcc::{IssueOptions, SignError};
use pyo3::{
    prelude::*,
    pybacked::PyBackedBytes,
    types::{PyBytes, PyString},
};

use crate::{json, ok, options, to_pyerr};

/// The exceptions a signing callable raised, with the message of the `SignError` each became,
/// so that the error raised in Python gets the callable's exception as `__cause__` (batch
/// workers sign on other threads, so a thread-local would lose them).
type Raised = Arc<Mutex<Vec<(String, PyErr)>>>;

/// Signs through a Python callable `sign(tbs: bytes) -> bytes`, attaching to the interpreter
/// for each call (the GIL is released around native work).
struct CallableSigner {
    sign: Py<PyAny>,
    algorithm: dcc::Algorithm,
    raised: Raised,
}

impl dcc::Signer for CallableSigner {
    fn algorithm(&self) -> dcc::Algorithm {
        self.algorithm
    }

    fn sign(&self, tbs: &[u8]) -> Result<Vec<u8>, SignError> {
        Python::attach(
            |py| match self.sign.bind(py).call1((PyBytes::new(py, tbs),)) {
                Ok(out) => match out.extract::<PyBackedBytes>() {
                    Ok(signature) => Ok(signature.to_vec()),
                    Err(_) => Err(SignError::BadSignature(format!(
                        "the signing callable returned {}, not bytes",
                        out.get_type()
                            .name()
                            .map(|n| n.to_string())
                            .unwrap_or_default()
                    ))),
                },
                Err(e) => {
                    let message = format!("the signing callable raised {e}");
                    if let Ok(mut raised) = self.raised.lock() {
                        raised.push((message.clone(), e));
                    }
                    Err(SignError::Signer(message))
                }
            },
        )
    }
}

/// A payload from the Python layer: JSON text, or Python objects that it has checked to have a
/// JSON form (read by `pythonize`, without JSON text in between).
enum Payload {
    Text(String),
    Value(serde_json::Value),
}

impl<'a, 'py> FromPyObject<'a, 'py> for Payload {
    type Error = PyErr;

    fn extract(obj: Borrowed<'a, 'py, PyAny>) -> PyResult<Self> {
        Ok(if obj.is_instance_of::<PyString>() {
            Payload::Text(obj.extract()?)
        } else {
            Payload::Value(pythonize::depythonize(&obj)?)
        })
    }
}

/// An issuer (see `dcc_kit.Issuer`). Thread-safe.
#[pyclass(frozen, module = "dcc_kit._native")]
pub struct Issuer {
    inner: dcc::Issuer,
    raised: Raised,
}

impl Issuer {
    fn new(inner: dcc::Issuer) -> Self {
        Issuer {
            inner,
            raised: Raised::default(),
        }
    }

    /// The `dcc_kit` exception of an error of this issuer, with the signing callable's
    /// exception as `__cause__` when one caused it.
    fn raise(&self, py: Python<'_>, e: &dcc::Error) -> PyErr {
        let cause = match e {
            dcc::Error::Sign(SignError::Signer(message)) => {
                self.raised.lock().ok().and_then(|mut r| {
                    let i = r.iter().position(|(m, _)| m == message)?;
                    Some(r.remove(i).1)
                })
            }
            _ => None,
        };
        to_pyerr(py, e, cause)
    }

    fn check<T>(&self, py: Python<'_>, result: dcc::Result<T>) -> PyResult<T> {
        result.map_err(|e| self.raise(py, &e))
    }
}

#[pymethods]
impl Issuer {
    /// `dcc::Issuer::from_pem` (hedged ES256).
    #[staticmethod]
    fn from_pem(py: Python<'_>, key: &[u8], cert: &[u8]) -> PyResult<Self> {
        ok(py, py.detach(|| dcc::Issuer::from_pem(key, cert))).map(Issuer::new)
    }

    /// `dcc::Issuer::from_pem_deterministic` (RFC 6979 ES256).
    #[staticmethod]
    fn from_pem_deterministic(py: Python<'_>, key: &[u8], cert: &[u8]) -> PyResult<Self> {
        ok(
            py,
            py.detach(|| dcc::Issuer::from_pem_deterministic(key, cert)),
        )
        .map(Issuer::new)
    }

    /// `dcc::Issuer::from_signer` with a callable signer; the algorithm must fit the DSC key.
    #[staticmethod]
    fn from_signer(
        py: Python<'_>,
        sign: Py<PyAny>,
        cert: &[u8],
        algorithm: &str,
    ) -> PyResult<Self> {
        let algorithm = ok(py, dcc::parse_algorithm(algorithm))?;
        let dsc = ok(py, dcc::Dsc::parse(cert).map_err(dcc::Error::from))?;
        let raised = Raised::default();
        let signer = CallableSigner {
            sign,
            algorithm,
            raised: raised.clone(),
        };
        let inner = ok(py, dcc::Issuer::from_signer(Arc::new(signer), dsc))?;
        Ok(Issuer { inner, raised })
    }

    /// `dcc::Issuer::from_pkcs11`: the key the RFC 7512 `uri` names, in a PKCS#11 token.
    #[staticmethod]
    fn from_pkcs11(
        py: Python<'_>,
        uri: &str,
        cert: &[u8],
        module: Option<PathBuf>,
        pin: Option<String>,
        max_sessions: usize,
    ) -> PyResult<Self> {
        let opts = pkcs11_options(module, pin, max_sessions);
        ok(py, py.detach(|| dcc::Issuer::from_pkcs11(uri, cert, &opts))).map(Issuer::new)
    }

    /// `dcc::Issuer::demo`.
    #[staticmethod]
    fn demo() -> Self {
        Issuer::new(dcc::Issuer::demo())
    }

    /// The `SignerInfo` JSON of the issuer's DSC.
    fn signer(&self) -> PyResult<String> {
        json(&self.inner.signer())
    }

    /// `ES256` or `PS256`.
    #[getter]
    fn algorithm(&self) -> &'static str {
        self.inner.algorithm().name()
    }

    /// A PKCS#10 request (PEM) for the issuer's key, with `KeyOptions` given as JSON.
    fn certificate_request(&self, py: Python<'_>, options: &str) -> PyResult<String> {
        let opts: dcc::KeyOptions = self::options(py, options)?;
        let request = py.detach(|| self.inner.certificate_request(&opts));
        self.check(py, request)
    }

    /// A copy of this issuer with replacement value sets (JSON texts).
    fn with_value_sets(&self, py: Python<'_>, value_sets: Vec<String>) -> PyResult<Self> {
        let inner = ok(py, self.inner.clone().with_value_sets(&value_sets))?;
        Ok(Issuer {
            inner,
            raised: self.raised.clone(),
        })
    }

    /// A copy of this issuer recording every certificate in `ledger` under `operator`.
    fn with_ledger(
        &self,
        py: Python<'_>,
        ledger: &crate::ledger::Ledger,
        operator: String,
        include_personal_data: bool,
    ) -> PyResult<Self> {
        let options = dcc::ledger::LedgerOptions {
            operator,
            include_personal_data,
        };
        let inner = ok(
            py,
            self.inner
                .clone()
                .with_ledger(ledger.inner.clone(), options),
        )?;
        Ok(Issuer {
            inner,
            raised: self.raised.clone(),
        })
    }

    /// Issues a payload with `IssueOptions` given as JSON.
    fn issue(&self, py: Python<'_>, payload: Payload, options: &str) -> PyResult<Certificate> {
        let opts: IssueOptions = self::options(py, options)?;
        let cert = py.detach(|| match &payload {
            Payload::Text(text) => self.inner.issue_json(text, &opts),
            Payload::Value(value) => self.inner.issue_value(value, &opts),
        });
        Ok(Certificate {
            inner: self.check(py, cert)?,
        })
    }

    /// Issues every JSON payload (on every core, the GIL released): a `Certificate` or the
    /// `dcc_kit` exception for each, in order.
    fn issue_batch(
        &self,
        py: Python<'_>,
        payloads: Vec<String>,
        options: &str,
    ) -> PyResult<Vec<Py<PyAny>>> {
        let opts: IssueOptions = self::options(py, options)?;
        let results = py.detach(|| self.inner.issue_batch(&payloads, &opts));
        let out = results
            .into_iter()
            .map(|r| match r {
                Ok(inner) => Ok(Py::new(py, Certificate { inner })?.into_any()),
                Err(e) => Ok(self.raise(py, &e).into_value(py).into_any()),
            })
            .collect();
        if let Ok(mut raised) = self.raised.lock() {
            raised.clear();
        }
        out
    }

    /// Everything but the signature, for a payload (the same errors as `issue`).
    fn prepare(
        &self,
        py: Python<'_>,
        payload: Payload,
        options: &str,
    ) -> PyResult<PreparedCertificate> {
        let opts: IssueOptions = self::options(py, options)?;
        let prepared = py.detach(|| match &payload {
            Payload::Text(text) => self.inner.prepare_json(text, &opts),
            Payload::Value(value) => self.inner.prepare_value(value, &opts),
        });
        let inner = ok(py, prepared)?;
        Ok(PreparedCertificate { inner })
    }
}

/// The facade's PKCS#11 options; the PIN is wiped from this copy when dropped.
fn pkcs11_options(
    module: Option<PathBuf>,
    pin: Option<String>,
    max_sessions: usize,
) -> dcc::pkcs11::Pkcs11Options {
    dcc::pkcs11::Pkcs11Options {
        module_path: module,
        pin: pin.map(zeroize::Zeroizing::new),
        max_sessions,
    }
}

/// `dcc::pkcs11::generate_in_token` with `KeyOptions` given as JSON: an issuer signing with the
/// new key and its self-signed DSC, the DSC (PEM) and a certificate signing request (PEM).
#[pyfunction]
pub fn generate_key_in_token(
    py: Python<'_>,
    uri: &str,
    algorithm: &str,
    module: Option<PathBuf>,
    pin: Option<String>,
    max_sessions: usize,
    options: &str,
) -> PyResult<(Issuer, String, String)> {
    let algorithm = ok(py, dcc::parse_algorithm(algorithm))?;
    let key_options: dcc::KeyOptions = self::options(py, options)?;
    let opts = pkcs11_options(module, pin, max_sessions);
    let made = py.detach(|| -> dcc::Result<_> {
        let key = dcc::pkcs11::generate_in_token(uri, &opts, algorithm, &key_options)?;
        let dsc = dcc::Dsc::parse(key.cert_pem.as_bytes())?;
        let issuer = dcc::Issuer::from_signer(Arc::new(key.signer), dsc)?;
        Ok((issuer, key.cert_pem, key.csr_pem))
    });
    let (issuer, cert_pem, csr_pem) = ok(py, made)?;
    Ok((Issuer::new(issuer), cert_pem, csr_pem))
}

/// An issued certificate (see `dcc_kit.Certificate`).
#[pyclass(frozen, module = "dcc_kit._native")]
pub struct Certificate {
    inner: dcc::Certificate,
}

#[pymethods]
impl Certificate {
    /// The `HC1:` text.
    #[getter]
    fn hc1(&self) -> &str {
        self.inner.hc1()
    }

    /// The signed COSE_Sign1 bytes.
    #[getter]
    fn cose<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, self.inner.cose())
    }

    /// The QR code as a 1-bit PNG, `scale` pixels per module.
    fn to_png<'py>(&self, py: Python<'py>, scale: u32) -> PyResult<Bound<'py, PyBytes>> {
        let png = ok(py, py.detach(|| self.inner.to_png(scale)))?;
        Ok(PyBytes::new(py, &png))
    }

    /// The printable certificate: an A4 PDF in the EU layout, labels in English and `language`
    /// (`"de"`, `"fr"` or `"en"`; any other is `invalid_options`).
    fn to_pdf<'py>(&self, py: Python<'py>, language: String) -> PyResult<Bound<'py, PyBytes>> {
        let opts = dcc::PdfOptions { language };
        let pdf = ok(py, py.detach(|| self.inner.to_pdf(&opts)))?;
        Ok(PyBytes::new(py, &pdf))
    }

    /// The QR code as SVG.
    fn to_svg(&self, py: Python<'_>) -> PyResult<String> {
        ok(py, py.detach(|| self.inner.to_svg()))
    }

    /// The `CertificateView` as Python objects.
    fn view<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        crate::view(py, &self.inner.view())
    }

    /// The `CertificateView` JSON.
    fn to_json(&self) -> String {
        self.inner.to_json()
    }

    /// The `RevocationHashesView` as Python objects.
    fn revocation_hashes<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        crate::view(py, &self.inner.revocation_hashes().view())
    }
}

/// A certificate waiting for its signature (see `dcc_kit.PreparedCertificate`).
#[pyclass(frozen, module = "dcc_kit._native")]
pub struct PreparedCertificate {
    inner: dcc::PreparedCertificate,
}

#[pymethods]
impl PreparedCertificate {
    /// The bytes to sign.
    #[getter]
    fn tbs<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, self.inner.tbs())
    }

    /// The algorithm the signature must use.
    #[getter]
    fn algorithm(&self) -> &'static str {
        self.inner.algorithm().name()
    }

    /// Attaches the signature and encodes the certificate (the prepared certificate stays
    /// usable, e.g. to retry).
    fn finish(&self, py: Python<'_>, signature: Vec<u8>) -> PyResult<Certificate> {
        let prepared = self.inner.clone();
        let inner = ok(py, py.detach(|| prepared.finish(signature)))?;
        Ok(Certificate { inner })
    }
}
