//! Verifying: `Verifier` and the `Verification` handle.

use pyo3::{prelude::*, pybacked::PyBackedBytes};

use crate::{json, ok};

/// A verifier (see `dcc_kit.Verifier`). Thread-safe.
#[pyclass(frozen, module = "dcc_kit._native")]
pub struct Verifier {
    inner: dcc::Verifier,
}

#[pymethods]
impl Verifier {
    /// `dcc::Verifier::from_certs`: PEM (bundles too), DER or base64 DER.
    #[staticmethod]
    fn from_certs(py: Python<'_>, certs: Vec<PyBackedBytes>) -> PyResult<Self> {
        let inner = ok(py, py.detach(|| dcc::Verifier::from_certs(&certs)))?;
        Ok(Verifier { inner })
    }

    /// `dcc::Verifier::demo`.
    #[staticmethod]
    fn demo() -> Self {
        Verifier {
            inner: dcc::Verifier::demo(),
        }
    }

    /// A copy of this verifier tolerating `seconds` of clock difference.
    fn with_clock_skew(&self, seconds: i64) -> Self {
        Verifier {
            inner: self.inner.clone().with_clock_skew(seconds),
        }
    }

    /// A copy of this verifier with replacement value sets (JSON texts).
    fn with_value_sets(&self, py: Python<'_>, value_sets: Vec<String>) -> PyResult<Self> {
        let inner = ok(py, self.inner.clone().with_value_sets(&value_sets))?;
        Ok(Verifier { inner })
    }

    /// A copy of this verifier checking certificates against revocation data: each item gateway
    /// batch JSON (one batch or an array) or a binary Bloom filter.
    fn with_revocation(&self, py: Python<'_>, data: Vec<PyBackedBytes>) -> PyResult<Self> {
        let inner = ok(
            py,
            py.detach(|| self.inner.clone().with_revocation_data(&data)),
        )?;
        Ok(Verifier { inner })
    }

    /// A copy of this verifier that also trusts every entry of a loaded trust list.
    fn with_trust_list(&self, list: &crate::trust::TrustList) -> Self {
        Verifier {
            inner: self.inner.clone().with_trust_list(list.inner.clone()),
        }
    }

    /// The `SignerInfo` JSON of every trusted DSC (a JSON array).
    fn trusted(&self) -> PyResult<String> {
        json(&self.inner.trusted())
    }

    /// Verifies `HC1:` text at `at` (seconds since the epoch; default now).
    fn verify(&self, py: Python<'_>, hc1: &str, at: Option<i64>) -> PyResult<Verification> {
        let at = at.unwrap_or_else(dcc::now);
        let inner = ok(py, py.detach(|| self.inner.verify(hc1, at)))?;
        Ok(Verification { inner })
    }

    /// Reads the QR code in a PNG or JPEG image and verifies it, as `verify`.
    fn verify_image(
        &self,
        py: Python<'_>,
        image: &[u8],
        at: Option<i64>,
    ) -> PyResult<Verification> {
        let at = at.unwrap_or_else(dcc::now);
        let inner = ok(py, py.detach(|| self.inner.verify_image(image, at)))?;
        Ok(Verification { inner })
    }

    fn __len__(&self) -> usize {
        self.inner.trust_store().len()
    }
}

/// The result of a verification (see `dcc_kit.Verification`, built from `to_json`).
#[pyclass(frozen, module = "dcc_kit._native")]
pub struct Verification {
    inner: dcc::Verification,
}

#[pymethods]
impl Verification {
    /// The view's `valid`, without building the view (the Python layer parses the rest only
    /// when it is read).
    #[getter]
    fn valid(&self) -> bool {
        self.inner.is_valid()
    }

    /// The `VerificationView` as Python objects.
    fn view<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        crate::view(py, &self.inner.view())
    }

    /// The `VerificationView` JSON.
    fn to_json(&self) -> String {
        self.inner.to_json()
    }

    /// The `RevocationHashesView` of the verified certificate, as Python objects.
    fn revocation_hashes<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        crate::view(py, &self.inner.revocation_hashes().view())
    }

    /// Evaluates the rules that apply to the certificate (`dcc::rules::RuleOptions`): the
    /// `RulesReport` JSON.
    fn evaluate_rules(
        &self,
        py: Python<'_>,
        rules: &crate::rules::RuleSet,
        country: String,
        region: Option<String>,
        at: Option<i64>,
    ) -> PyResult<String> {
        let options = dcc::rules::RuleOptions {
            country,
            region,
            at,
            value_sets: Vec::new(),
        };
        let report = ok(
            py,
            py.detach(|| self.inner.evaluate_rules(&rules.inner, &options)),
        )?;
        Ok(report.to_json())
    }

    /// Raises `VerificationFailedError` (with every failure) unless valid.
    fn ensure_valid(&self, py: Python<'_>) -> PyResult<()> {
        ok(py, self.inner.clone().ensure_valid()).map(drop)
    }
}
