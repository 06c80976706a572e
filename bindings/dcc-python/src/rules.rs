//! Business rules (CertLogic): `RuleSet`, one rule on given data, a bare expression.
//! `Verification.evaluate_rules` is in `verifier.rs`.

use pyo3::prelude::*;
use serde_json::Value;

use crate::{ok, view};

/// Business rules read by `load_rules` (see `dcc_kit.RuleSet`).
#[pyclass(frozen, module = "dcc_kit._native")]
pub struct RuleSet {
    pub(crate) inner: dcc::rules::RuleSet,
}

#[pymethods]
impl RuleSet {
    /// The number of rules.
    fn __len__(&self) -> usize {
        self.inner.len()
    }
}

/// JSON text given as an argument (`what` names it); not JSON is `invalid_argument`.
fn json_arg(py: Python<'_>, what: &str, text: &[u8]) -> PyResult<Value> {
    ok(
        py,
        serde_json::from_slice(text)
            .map_err(|e| dcc::Error::Argument(format!("the {what} is not JSON: {e}"))),
    )
}

/// `dcc::rules::load_rules`: one rule or an array of rules (EU gateway format).
#[pyfunction]
pub fn load_rules(py: Python<'_>, json: &[u8]) -> PyResult<RuleSet> {
    let inner = ok(py, py.detach(|| dcc::rules::load_rules(json)))?;
    Ok(RuleSet { inner })
}

/// `dcc::rules::evaluate_rule_on`: one rule (JSON) against `{payload, external}` (JSON); the
/// `RuleResult` as Python objects.
#[pyfunction]
pub fn evaluate_rule<'py>(
    py: Python<'py>,
    rule: &[u8],
    data: &[u8],
) -> PyResult<Bound<'py, PyAny>> {
    let rule = ok(
        py,
        dcc::rules::Rule::from_json(rule).map_err(dcc::Error::from),
    )?;
    let data = json_arg(py, "data", data)?;
    view(py, &ok(py, dcc::rules::evaluate_rule_on(&rule, &data))?)
}

/// `dcc::rules::evaluate_certlogic`: an expression (JSON) on data (JSON); the result as Python
/// objects.
#[pyfunction]
pub fn evaluate_certlogic<'py>(
    py: Python<'py>,
    expression: &[u8],
    data: &[u8],
) -> PyResult<Bound<'py, PyAny>> {
    let expression = json_arg(py, "expression", expression)?;
    let data = json_arg(py, "data", data)?;
    view(
        py,
        &ok(py, dcc::rules::evaluate_certlogic(&expression, &data))?,
    )
}
