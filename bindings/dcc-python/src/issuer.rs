//! Issuing: `Issuer`, `Certificate`, `PreparedCertificate`, the callable signer and batches.

use std::sync::Arc;

use dcc::{Algorithm, IssueOptions, Signer};
use pyo3::{
    prelude::*,
    pybacked::PyBackedBytes,
    types::{PyBytes, PyString},
};
use serde_json::Value;

use crate::{
    convert::{json_to_py, opt_seconds, opt_timestamp, payload_value},
    errors::{BindingError, guard, options_error, run, stash_callback_error},
    types::{Change, Claims, R, SignerInfo},
};

/// Signs through a Python callable `sign(tbs: bytes) -> bytes`, reattaching to the interpreter
/// for each call (the GIL is released around native work).
struct CallableSigner {
    sign: Py<PyAny>,
    algorithm: Algorithm,
}

impl Signer for CallableSigner {
    fn algorithm(&self) -> Algorithm {
        self.algorithm
    }

    fn sign(&self, tbs: &[u8]) -> Result<Vec<u8>, dcc::layers::cose::SignError> {
        use dcc::layers::cose::SignError;
        Python::attach(
            |py| match self.sign.bind(py).call1((PyBytes::new(py, tbs),)) {
                Ok(out) => match out.extract::<PyBackedBytes>() {
                    Ok(sig) => Ok(sig.to_vec()),
                    Err(_) => Err(SignError::BadSignature(format!(
                        "the signing callable returned {}, not bytes",
                        out.get_type()
                            .name()
                            .map(|n| n.to_string())
                            .unwrap_or_default()
                    ))),
                },
                Err(e) => {
                    let what = e
                        .get_type(py)
                        .name()
                        .map(|n| n.to_string())
                        .unwrap_or_default();
                    let msg = format!("the signing callable raised {what}: {}", e.value(py));
                    stash_callback_error(e);
                    Err(SignError::Signer(msg))
                }
            },
        )
    }
}

fn parse_algorithm(name: &str) -> Result<Algorithm, BindingError> {
    match name.to_ascii_uppercase().as_str() {
        "ES256" => Ok(Algorithm::Es256),
        "PS256" => Ok(Algorithm::Ps256),
        _ => Err(options_error(format!(
            "algorithm {name:?} is not supported: use \"ES256\" or \"PS256\""
        ))),
    }
}

/// Bytes of a PEM/DER/base64 argument given as `str` or `bytes`.
fn text_or_bytes(obj: &Bound<'_, PyAny>, what: &str) -> PyResult<Vec<u8>> {
    if let Ok(s) = obj.cast::<PyString>() {
        return Ok(s.to_cow()?.as_bytes().to_vec());
    }
    if let Ok(b) = obj.extract::<PyBackedBytes>() {
        return Ok(b.to_vec());
    }
    Err(pyo3::exceptions::PyTypeError::new_err(format!(
        "{what} must be str or bytes"
    )))
}

/// Python-side issuing options, converted once per call.
struct Options(IssueOptions);

impl Options {
    fn new(
        iss: Option<String>,
        issued_at: Option<&Bound<'_, PyAny>>,
        valid_for: Option<&Bound<'_, PyAny>>,
        expires_at: Option<&Bound<'_, PyAny>>,
    ) -> Result<Self, BindingError> {
        Ok(Options(IssueOptions {
            iss,
            issued_at: opt_timestamp("issued_at", issued_at)?,
            valid_for_secs: opt_seconds("valid_for", valid_for)?,
            expires_at: opt_timestamp("expires_at", expires_at)?,
        }))
    }
}

/// An issuer: a signing key (in memory, or behind a callable for an HSM or KMS) and its
/// document signer certificate (DSC). Thread-safe: share one issuer between threads.
#[pyclass(frozen, module = "dcc_kit")]
pub struct Issuer {
    inner: dcc::Issuer,
}

#[pymethods]
impl Issuer {
    /// An issuer from a private key (PKCS#8 or SEC1 PEM, or DER: P-256 for ES256, RSA for
    /// PS256) and its DSC (PEM, DER or base64), each as ``str`` or ``bytes``.
    ///
    /// ES256 signatures are hedged (ring's P-256 with fresh randomness in every nonce), the
    /// fast default; ``deterministic=True`` uses RFC 6979 nonces instead, so the same input
    /// always gives the same bytes (golden tests), at about half the issuing speed.
    ///
    /// Raises `InvalidKeyError` (also when the key does not match the certificate) or
    /// `InvalidCertificateError`.
    #[staticmethod]
    #[pyo3(signature = (key, cert, *, deterministic = false))]
    fn from_pem(
        py: Python<'_>,
        key: &Bound<'_, PyAny>,
        cert: &Bound<'_, PyAny>,
        deterministic: bool,
    ) -> PyResult<Self> {
        let key = text_or_bytes(key, "key")?;
        let cert = text_or_bytes(cert, "cert")?;
        // As `dcc::Issuer::from_pem`, with the choice of RFC 6979 nonces.
        let inner = py.detach(|| {
            run(|| {
                let mut key = dcc::SigningKey::from_pem(&key)?;
                if deterministic {
                    key = key.deterministic();
                }
                let dsc = dcc::Dsc::parse(&cert)?;
                dcc::Issuer::new(Arc::new(key), dsc)
            })
        })?;
        Ok(Issuer { inner })
    }

    /// An issuer whose signatures come from a Python callable, for keys held in an HSM or a
    /// remote KMS: ``sign(tbs: bytes) -> bytes`` receives the COSE ``Sig_structure`` and returns
    /// the signature (ES256: raw ``r || s`` or DER; PS256: the RSASSA-PSS signature, SHA-256,
    /// salt 32). `algorithm` (``"ES256"`` or ``"PS256"``) defaults to the certificate's key type.
    ///
    /// The callable is called with the GIL held, from the issuing thread (or a batch worker).
    /// If it raises, issuing raises `SigningError` with that exception as ``__cause__``.
    /// The key is not checked against the certificate: verify one certificate before going
    /// live.
    #[staticmethod]
    #[pyo3(signature = (sign, cert, algorithm = None))]
    fn from_signer(
        py: Python<'_>,
        sign: Bound<'_, PyAny>,
        cert: &Bound<'_, PyAny>,
        algorithm: Option<&str>,
    ) -> PyResult<Self> {
        if !sign.is_callable() {
            return Err(pyo3::exceptions::PyTypeError::new_err(
                "sign must be a callable taking bytes and returning bytes",
            ));
        }
        let cert = text_or_bytes(cert, "cert")?;
        let dsc = py.detach(|| run(|| Ok(dcc::Dsc::parse(&cert)?)))?;
        let algorithm = match algorithm {
            Some(name) => parse_algorithm(name)?,
            None => match dsc.public_key() {
                dcc::layers::cose::dsc::PublicKey::P256(_) => Algorithm::Es256,
                dcc::layers::cose::dsc::PublicKey::Rsa(_) => Algorithm::Ps256,
                other => {
                    return Err(options_error(format!(
                        "the certificate's key ({}) supports neither ES256 nor PS256",
                        other.describe()
                    ))
                    .into());
                }
            },
        };
        let signer = CallableSigner {
            sign: sign.unbind(),
            algorithm,
        };
        let inner = run(|| dcc::Issuer::new(Arc::new(signer), dsc))?;
        Ok(Issuer { inner })
    }

    /// The issuer with the embedded demo key and DSC (``C=XX``, valid 2024-2049). **Never for
    /// production**: the key is public, and no real verifier trusts it.
    #[staticmethod]
    fn demo() -> Self {
        Issuer {
            inner: dcc::Issuer::demo(),
        }
    }

    /// The signing algorithm: ``"ES256"`` or ``"PS256"``.
    #[getter]
    fn algorithm(&self) -> &'static str {
        self.inner.algorithm().name()
    }

    /// The issuer's document signer certificate.
    #[getter]
    fn dsc(&self) -> SignerInfo {
        SignerInfo::from(self.inner.dsc())
    }

    /// Issues one certificate: payload -> CWT -> COSE_Sign1 -> zlib -> Base45 -> ``HC1:``.
    ///
    /// `payload` is a ``dict`` (or a JSON ``str``/``bytes``) of DCC schema 1.3.x. `iss` defaults
    /// to the DSC's country, `issued_at` (timezone-aware) to now, `valid_for` to 365 days;
    /// `expires_at` overrides `valid_for`. The expiry may not pass the DSC's notAfter.
    ///
    /// Raises `ValidationError` (with `issues`), `InvalidPayloadError`, `InvalidOptionsError`
    /// or `SigningError`.
    #[pyo3(signature = (payload, *, iss = None, issued_at = None, valid_for = None, expires_at = None))]
    fn issue(
        &self,
        py: Python<'_>,
        payload: &Bound<'_, PyAny>,
        iss: Option<String>,
        issued_at: Option<&Bound<'_, PyAny>>,
        valid_for: Option<&Bound<'_, PyAny>>,
        expires_at: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Certificate> {
        let opts = Options::new(iss, issued_at, valid_for, expires_at)?;
        let value = payload_value(payload)?;
        let issuer = &self.inner;
        let cert = py.detach(|| issue_value(issuer, value, &opts.0))?;
        Ok(Certificate { inner: cert })
    }

    /// Issues many certificates with the same options, on `threads` threads (default: every
    /// core) with the GIL released. Returns one entry per payload, in order: a `Certificate`, or
    /// the `DccError` that payload raised (the batch never fails as a whole).
    ///
    /// With a callable signer the signatures are made one at a time (each call needs the GIL).
    #[pyo3(signature = (payloads, *, iss = None, issued_at = None, valid_for = None, expires_at = None, threads = None))]
    #[allow(clippy::too_many_arguments)] // the Python keyword arguments
    fn issue_batch(
        &self,
        py: Python<'_>,
        payloads: &Bound<'_, PyAny>,
        iss: Option<String>,
        issued_at: Option<&Bound<'_, PyAny>>,
        valid_for: Option<&Bound<'_, PyAny>>,
        expires_at: Option<&Bound<'_, PyAny>>,
        threads: Option<usize>,
    ) -> PyResult<Vec<Py<PyAny>>> {
        let opts = Options::new(iss, issued_at, valid_for, expires_at)?;
        let mut inputs = Vec::new();
        for item in payloads.try_iter()? {
            inputs.push(payload_value(&item?));
        }
        let threads = match threads {
            Some(0) => return Err(options_error("threads must be at least 1").into()),
            Some(n) => n,
            None => std::thread::available_parallelism().map_or(1, |n| n.get()),
        };
        let issuer = &self.inner;
        let results = py.detach(|| {
            parallel_map(inputs, threads, |input| {
                input.and_then(|v| issue_value(issuer, v, &opts.0))
            })
        });
        results
            .into_iter()
            .map(|r| match r {
                Ok(cert) => Ok(Py::new(py, Certificate { inner: cert })?.into_any()),
                Err(e) => Ok(e.into_pyerr(py).into_value(py).into_any()),
            })
            .collect()
    }

    /// Everything but the signature, for asynchronous signers: sign
    /// `PreparedCertificate.tbs` (e.g. with an async KMS client), then call
    /// `PreparedCertificate.finish(signature)`. Same arguments as `issue`.
    #[pyo3(signature = (payload, *, iss = None, issued_at = None, valid_for = None, expires_at = None))]
    fn prepare(
        &self,
        py: Python<'_>,
        payload: &Bound<'_, PyAny>,
        iss: Option<String>,
        issued_at: Option<&Bound<'_, PyAny>>,
        valid_for: Option<&Bound<'_, PyAny>>,
        expires_at: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<PreparedCertificate> {
        let opts = Options::new(iss, issued_at, valid_for, expires_at)?;
        let value = payload_value(payload)?;
        let issuer = &self.inner;
        let inner = py.detach(|| run(|| issuer.prepare_value(&value, &opts.0)))?;
        Ok(PreparedCertificate { inner })
    }

    fn __repr__(&self) -> String {
        let dsc = self.inner.dsc();
        format!(
            "Issuer(algorithm={}, kid={}, subject={})",
            R(self.inner.algorithm().name()),
            R(&dsc.kid_base64()),
            R(dsc.subject())
        )
    }
}

/// Issues one payload (a JSON value) through the facade, catching panics.
fn issue_value(
    issuer: &dcc::Issuer,
    value: Value,
    opts: &IssueOptions,
) -> Result<dcc::Certificate, BindingError> {
    run(|| issuer.issue_value(&value, opts))
}

/// Maps `f` over `inputs` on up to `threads` scoped threads, keeping the order.
fn parallel_map<I, O, F>(inputs: Vec<I>, threads: usize, f: F) -> Vec<Result<O, BindingError>>
where
    I: Send,
    O: Send,
    F: Fn(I) -> Result<O, BindingError> + Sync,
{
    let n = inputs.len();
    let threads = threads.clamp(1, n.max(1));
    if threads == 1 {
        return inputs.into_iter().map(|i| guard(|| f(i))).collect();
    }
    let chunk = n.div_ceil(threads);
    let mut chunks: Vec<Vec<I>> = Vec::with_capacity(threads);
    let mut rest = inputs.into_iter();
    loop {
        let c: Vec<I> = rest.by_ref().take(chunk).collect();
        if c.is_empty() {
            break;
        }
        chunks.push(c);
    }
    let f = &f;
    std::thread::scope(|s| {
        let handles: Vec<_> = chunks
            .into_iter()
            .map(|c| {
                let len = c.len();
                let handle =
                    s.spawn(move || c.into_iter().map(|i| guard(|| f(i))).collect::<Vec<_>>());
                (len, handle)
            })
            .collect();
        let mut out = Vec::with_capacity(n);
        for (len, h) in handles {
            match h.join() {
                Ok(results) => out.extend(results),
                // Unreachable (every item runs under `guard`), but never a panic in Python.
                Err(_) => out.extend((0..len).map(|_| {
                    Err(BindingError::Internal(
                        "internal error in dcc-kit: a batch worker stopped".into(),
                    ))
                })),
            }
        }
        out
    })
}

/// An issued certificate: the ``HC1:`` text, its QR code and what was signed.
#[pyclass(frozen, module = "dcc_kit")]
pub struct Certificate {
    inner: dcc::Certificate,
}

#[pymethods]
impl Certificate {
    /// The ``HC1:`` text (the QR code content).
    #[getter]
    fn hc1(&self) -> &str {
        self.inner.hc1()
    }

    /// The signed COSE_Sign1 bytes (tagged, before compression).
    #[getter]
    fn cose<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, self.inner.cose())
    }

    /// The claims that were signed.
    #[getter]
    fn claims(&self) -> Claims {
        Claims::from(self.inner.claims())
    }

    /// What normalisation changed in the payload before signing (trimmed strings, derived
    /// ``fnt``/``gnt``, ...), each a `Change`.
    #[getter]
    fn changes(&self) -> Vec<Change> {
        self.inner.changes().iter().map(Change::from).collect()
    }

    /// The payload that was signed (after normalisation), as a ``dict``.
    #[getter]
    fn payload<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        json_to_py(py, &self.inner.dcc().to_value())
    }

    /// A 1-bit PNG of the QR code (error correction Q, 4-module quiet zone), `scale` pixels per
    /// module. Raises `QrEncodeError` for a scale outside 1..=64.
    #[pyo3(signature = (scale = 4))]
    fn png<'py>(&self, py: Python<'py>, scale: i64) -> PyResult<Bound<'py, PyBytes>> {
        // Out-of-range values reach the facade's own check (code qr_encode_failed).
        let scale = u32::try_from(scale.max(0)).unwrap_or(u32::MAX);
        let cert = &self.inner;
        let png = py.detach(|| run(|| cert.to_png(scale)))?;
        Ok(PyBytes::new(py, &png))
    }

    /// An SVG of the QR code (error correction Q).
    fn svg(&self, py: Python<'_>) -> PyResult<String> {
        let cert = &self.inner;
        Ok(py.detach(|| run(|| cert.to_svg()))?)
    }

    /// The ``HC1:`` text.
    fn __str__(&self) -> &str {
        self.inner.hc1()
    }

    fn __repr__(&self) -> String {
        let hc1 = self.inner.hc1();
        let c = self.inner.claims();
        format!(
            "Certificate(hc1={}, iss={}, expires_at={})",
            R(&format!("{}...", hc1.get(..24).unwrap_or(hc1))),
            R(c.iss.as_deref().unwrap_or_default()),
            R(&c.exp.map(dcc::format_time).unwrap_or_default())
        )
    }
}

/// A certificate waiting for its signature (see `Issuer.prepare`). Can be finished more than
/// once, e.g. to retry after a bad signature.
#[pyclass(frozen, module = "dcc_kit")]
pub struct PreparedCertificate {
    inner: dcc::PreparedCertificate,
}

#[pymethods]
impl PreparedCertificate {
    /// The bytes to sign: the COSE ``Sig_structure``.
    #[getter]
    fn tbs<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, self.inner.tbs())
    }

    /// The algorithm the signature must use: ``"ES256"`` or ``"PS256"``.
    #[getter]
    fn algorithm(&self) -> &'static str {
        self.inner.algorithm().name()
    }

    /// Attaches the signature (ES256: raw ``r || s`` or DER; PS256: the PSS signature) and
    /// encodes the certificate. Raises `SigningError` for a malformed signature. The signature
    /// is not verified here: verify the result with a `Verifier`.
    fn finish(&self, py: Python<'_>, signature: PyBackedBytes) -> PyResult<Certificate> {
        let prepared = self.inner.clone();
        let sig = signature.to_vec();
        let inner = py.detach(|| run(|| prepared.finish(sig)))?;
        Ok(Certificate { inner })
    }

    fn __repr__(&self) -> String {
        format!(
            "PreparedCertificate(algorithm={}, tbs_len={})",
            R(self.inner.algorithm().name()),
            self.inner.tbs().len()
        )
    }
}
