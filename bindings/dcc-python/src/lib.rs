//! The native module `dcc_kit._native`: a thin PyO3 layer over the `dcc` facade. Python code
//! imports it through the `dcc_kit` package (`python/dcc_kit/__init__.py`), whose typed stubs
//! are `python/dcc_kit/_native.pyi`.
//!
//! Only argument conversion and error mapping live here: every decision is the facade's. The
//! GIL is released around native work, batches run on scoped threads, and no Rust panic reaches
//! Python (each facade call runs under `catch_unwind`).

use pyo3::prelude::*;

mod convert;
mod errors;
mod issuer;
mod types;
mod verifier;

/// A freshly generated P-256 key and its self-signed DSC, for tests and pilots. The key is
/// never shown by ``repr``.
#[pyclass(frozen, module = "dcc_kit")]
pub struct GeneratedKey {
    /// The private key, PKCS#8 PEM. Keep it secret.
    #[pyo3(get)]
    key_pem: String,
    /// The self-signed DSC, PEM.
    #[pyo3(get)]
    cert_pem: String,
}

#[pymethods]
impl GeneratedKey {
    fn __repr__(&self) -> String {
        "GeneratedKey(key_pem=<hidden>, cert_pem=<PEM certificate>)".to_string()
    }
}

/// Generates a P-256 key and a self-signed DSC for `country` (two upper-case letters) with the
/// three HCERT key-usage OIDs, valid from now for `valid_days` days. For tests and pilots only:
/// production DSCs are issued by the national CSCA.
#[pyfunction]
#[pyo3(signature = (country = "XX", common_name = "dcc-kit test DSC", valid_days = 365))]
fn generate_key(
    py: Python<'_>,
    country: &str,
    common_name: &str,
    valid_days: u32,
) -> PyResult<GeneratedKey> {
    let generated =
        py.detach(|| errors::run(|| dcc::keygen::generate(country, common_name, valid_days)))?;
    Ok(GeneratedKey {
        key_pem: generated.key_pem,
        cert_pem: generated.cert_pem,
    })
}

/// dcc-kit: issue and verify EU Digital COVID Certificates (``HC1:`` QR codes).
#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    errors::register(m)?;
    m.add_class::<issuer::Issuer>()?;
    m.add_class::<issuer::Certificate>()?;
    m.add_class::<issuer::PreparedCertificate>()?;
    m.add_class::<verifier::Verifier>()?;
    m.add_class::<verifier::Verification>()?;
    m.add_class::<verifier::Decoded>()?;
    m.add_class::<types::Claims>()?;
    m.add_class::<types::SignerInfo>()?;
    m.add_class::<types::Checks>()?;
    m.add_class::<types::Outcome>()?;
    m.add_class::<types::CheckFailure>()?;
    m.add_class::<types::ValidationIssue>()?;
    m.add_class::<types::Change>()?;
    m.add_class::<GeneratedKey>()?;
    m.add_function(wrap_pyfunction!(verifier::decode, m)?)?;
    m.add_function(wrap_pyfunction!(verifier::read_qr, m)?)?;
    m.add_function(wrap_pyfunction!(generate_key, m)?)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
