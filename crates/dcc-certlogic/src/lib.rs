#![doc = include_str!("../README.md")]
#![deny(rustdoc::broken_intra_doc_links)]

mod date;
mod error;
mod eval;
mod js;
mod rules;
mod validate;
mod value;

use serde_json::Value;

pub use error::{EvalError, EvalErrorCode};
pub use rules::{
    CertificateType, Description, ENGINE, ENGINE_VERSION, External, OpenReason, Rule,
    RuleCertificateType, RuleError, RuleErrorCode, RuleOutcome, RuleResult, RuleSet, RuleType,
    Selection, evaluate_rule, evaluate_rules,
};
pub use validate::ValidationIssue;

/// How deeply an expression may nest (and values built while evaluating it, such as a `reduce`
/// accumulator wrapping itself): deeper is a `nesting_too_deep` error (or a validation issue),
/// never a stack overflow.
pub const MAX_DEPTH: usize = 256;

/// Evaluates a CertLogic expression on `data`, exactly as certlogic-js 1.2.2's `evaluate` does.
///
/// Where certlogic-js throws, this returns an [`EvalError`]. The result is what a JavaScript
/// caller would get through `JSON.stringify`: a date-time (from `plusTime` or `dccDateOfBirth`)
/// becomes its ISO string `YYYY-MM-DDTHH:MM:SS.sssZ`, an invalid date `null`.
///
/// ```
/// use serde_json::json;
///
/// let minor = json!({"after": [
///     {"dccDateOfBirth": [{"var": "payload.dob"}]},
///     {"plusTime": [{"var": "external.validationClock"}, -18, "year"]}
/// ]});
/// let data = json!({"payload": {"dob": "2010-05"}, "external": {"validationClock": "2021-12-01T12:00:00Z"}});
/// assert_eq!(dcc_certlogic::evaluate(&minor, &data).unwrap(), json!(true));
///
/// let e = dcc_certlogic::evaluate(&json!({"if": ["x", 1]}), &data).unwrap_err();
/// assert_eq!(e.code(), "invalid_operands");
/// ```
pub fn evaluate(expr: &Value, data: &Value) -> Result<Value, EvalError> {
    eval::eval(expr, &value::Val::Json(data), 0).map(|v| v.to_json())
}

/// Checks that `expr` is well-formed CertLogic, as certlogic-js's `validate` does: the operators
/// exist, operand counts are right, literals have the right shape. An empty list means valid.
/// (A valid expression can still fail on some data: types are only known when evaluating.)
///
/// ```
/// use serde_json::json;
///
/// assert!(dcc_certlogic::validate(&json!({"var": "payload.v.0.dn"})).is_empty());
/// let issues = dcc_certlogic::validate(&json!({"plusTime": ["2021", 1.5, "week"]}));
/// assert_eq!(issues.len(), 2);
/// ```
pub fn validate(expr: &Value) -> Vec<ValidationIssue> {
    validate::check(expr, 0)
}
