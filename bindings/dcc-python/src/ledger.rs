//! The issuance ledger: `Ledger` (SQLite file or PostgreSQL database).

use std::{path::PathBuf, sync::Arc};

use dcc::ledger::LedgerQuery;
use pyo3::prelude::*;

use crate::{ok, options, view};

/// An issuance ledger (see `dcc_kit.Ledger`). Thread-safe; issuers share it.
#[pyclass(frozen, module = "dcc_kit._native")]
pub struct Ledger {
    pub(crate) inner: Arc<dcc::ledger::Ledger>,
}

/// A hash type name (`UCI`, `COUNTRYCODEUCI`, `SIGNATURE`), read by the facade.
fn hash_type(py: Python<'_>, name: &str) -> PyResult<dcc::HashType> {
    ok(py, dcc::HashType::parse(name))
}

#[pymethods]
impl Ledger {
    /// `dcc::ledger::Ledger::open`: an SQLite path or a PostgreSQL URL.
    #[staticmethod]
    fn open(py: Python<'_>, target: &str) -> PyResult<Self> {
        let inner = ok(py, py.detach(|| dcc::ledger::Ledger::open(target)))?;
        Ok(Ledger {
            inner: Arc::new(inner),
        })
    }

    /// Where the ledger is (the path, or the URL without its password).
    #[getter]
    fn target(&self) -> &str {
        self.inner.target()
    }

    /// The records matching a `LedgerQuery` given as JSON, as Python objects.
    fn records<'py>(&self, py: Python<'py>, query: &str) -> PyResult<Bound<'py, PyAny>> {
        let query: LedgerQuery = options(py, query)?;
        view(py, &ok(py, py.detach(|| self.inner.records(&query)))?)
    }

    /// The `ChainReport` as Python objects.
    fn verify<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        view(py, &ok(py, py.detach(|| self.inner.verify()))?)
    }

    /// The selected records as gateway batches (Python objects of the batch JSON).
    fn export<'py>(
        &self,
        py: Python<'py>,
        query: &str,
        hash_type: &str,
    ) -> PyResult<Bound<'py, PyAny>> {
        let query: LedgerQuery = options(py, query)?;
        let t = self::hash_type(py, hash_type)?;
        view(py, &ok(py, py.detach(|| self.inner.export(&query, t)))?)
    }

    /// Writes the batches to `dir`, one file each; the paths.
    fn export_to_dir(
        &self,
        py: Python<'_>,
        query: &str,
        hash_type: &str,
        dir: PathBuf,
    ) -> PyResult<Vec<PathBuf>> {
        let query: LedgerQuery = options(py, query)?;
        let t = self::hash_type(py, hash_type)?;
        ok(py, py.detach(|| self.inner.export_to_dir(&query, t, &dir)))
    }
}
