//! Evaluation errors, each with a stable snake_case code.

use serde::Serialize;

/// Why an evaluation failed. The [`as_str`](EvalErrorCode::as_str) codes are stable: bindings and
/// rule results ([`OpenReason`](crate::OpenReason)) carry them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum EvalErrorCode {
    /// Not a CertLogic expression at all: `null`, a non-integer number, an object with other than
    /// exactly one key, or an operation whose operands are not a non-empty array.
    InvalidExpression,
    /// An operation object with an operator CertLogic does not have.
    UnknownOperator,
    /// A known operator with the wrong number of operands, or a literal operand of the wrong
    /// shape (`var` path not a string, `plusTime` amount or unit, `extractFromUVCI` index).
    InvalidOperands,
    /// An operand evaluated to a value of the wrong type (`+` and `<` need integers, `in` an
    /// array, `after` date-times, `plusTime` a string, ...).
    TypeMismatch,
    /// `if`, `and` or `!` met a value that is neither truthy nor falsy: a date-time, or an object
    /// with its own `toString` key (on which certlogic-js's truthiness check throws).
    NotTruthyOrFalsy,
    /// A string that is not one of the date or date-time formats CertLogic accepts.
    InvalidDate,
    /// The expression, or a value built during evaluation, is nested deeper than
    /// [`MAX_DEPTH`](crate::MAX_DEPTH) levels.
    NestingTooDeep,
}

impl EvalErrorCode {
    /// The stable snake_case code, e.g. `"type_mismatch"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::InvalidExpression => "invalid_expression",
            Self::UnknownOperator => "unknown_operator",
            Self::InvalidOperands => "invalid_operands",
            Self::TypeMismatch => "type_mismatch",
            Self::NotTruthyOrFalsy => "not_truthy_or_falsy",
            Self::InvalidDate => "invalid_date",
            Self::NestingTooDeep => "nesting_too_deep",
        }
    }
}

impl std::fmt::Display for EvalErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An expression could not be evaluated: certlogic-js would throw here. Serialises as
/// `{"code": "...", "message": "..."}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("{code}: {message}")]
pub struct EvalError {
    code: EvalErrorCode,
    message: String,
}

impl EvalError {
    pub(crate) fn new(code: EvalErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }

    /// The stable snake_case code, e.g. `"not_truthy_or_falsy"`.
    pub fn code(&self) -> &'static str {
        self.code.as_str()
    }

    /// The code as an enum.
    pub fn kind(&self) -> EvalErrorCode {
        self.code
    }

    /// What went wrong, in words (close to certlogic-js's messages; not stable).
    pub fn message(&self) -> &str {
        &self.message
    }
}

pub(crate) fn invalid_expression(message: impl Into<String>) -> EvalError {
    EvalError::new(EvalErrorCode::InvalidExpression, message)
}

pub(crate) fn invalid_operands(message: impl Into<String>) -> EvalError {
    EvalError::new(EvalErrorCode::InvalidOperands, message)
}

pub(crate) fn type_mismatch(message: impl Into<String>) -> EvalError {
    EvalError::new(EvalErrorCode::TypeMismatch, message)
}

pub(crate) fn not_truthy_or_falsy(message: impl Into<String>) -> EvalError {
    EvalError::new(EvalErrorCode::NotTruthyOrFalsy, message)
}

pub(crate) fn too_deep() -> EvalError {
    EvalError::new(
        EvalErrorCode::NestingTooDeep,
        format!("nested deeper than {} levels", crate::MAX_DEPTH),
    )
}
