//! Signed trust lists: `TrustList` (German, Austrian, Swiss, EU gateway JSON, PEM).

use pyo3::prelude::*;

use crate::{ok, view};

/// A loaded trust list whose signature was checked (see `dcc_kit.TrustList`).
#[pyclass(frozen, module = "dcc_kit._native")]
pub struct TrustList {
    pub(crate) inner: dcc::TrustList,
}

#[pymethods]
impl TrustList {
    /// `dcc::TrustList::load`; `format` is a code of `dcc::TrustListFormat::from_code`
    /// (`None`: detected from the content).
    #[staticmethod]
    #[allow(clippy::too_many_arguments)] // the facade's options, one argument each
    fn load(
        py: Python<'_>,
        content: &[u8],
        companion: Option<&[u8]>,
        anchor: Option<&[u8]>,
        at: Option<i64>,
        allow_expired: bool,
        name: Option<String>,
        format: Option<&str>,
    ) -> PyResult<Self> {
        let format = format
            .map(|code| ok(py, dcc::TrustListFormat::from_code(code)))
            .transpose()?;
        let options = dcc::TrustListOptions {
            at,
            allow_expired,
            name,
            format,
        };
        let inner = ok(
            py,
            py.detach(|| dcc::TrustList::load(content, companion, anchor, &options)),
        )?;
        Ok(TrustList { inner })
    }

    /// The `TrustListView` as Python objects.
    fn view<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        view(py, &self.inner.view())
    }

    /// The `TrustListView` JSON.
    fn to_json(&self) -> String {
        self.inner.to_json()
    }

    /// The number of trusted entries.
    fn __len__(&self) -> usize {
        self.inner.entries().len()
    }
}
