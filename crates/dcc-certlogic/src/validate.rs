//! Format validation: certlogic-js's `validateFormat`, whose results the specification's
//! validation test suite pins down (the same messages, the same sub-expressions).

use serde::Serialize;
use serde_json::Value;

use crate::js;
use crate::value::json_int;

/// One problem [`validate`](crate::validate) found: the offending sub-expression and what is
/// wrong with it (certlogic-js's message, word for word).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ValidationIssue {
    /// The (sub-)expression the problem is in.
    pub expr: Value,
    /// What is wrong.
    pub message: String,
}

fn issue(expr: &Value, message: impl Into<String>) -> Vec<ValidationIssue> {
    vec![ValidationIssue {
        expr: expr.clone(),
        message: message.into(),
    }]
}

/// A `var` path: `""`, or fragments without dots, none empty (`^([^.]+?)(\.[^.]+?)*$`).
fn valid_path(path: &str) -> bool {
    path.is_empty() || path.split('.').all(|fragment| !fragment.is_empty())
}

fn all(values: &[Value], depth: usize) -> Vec<ValidationIssue> {
    values.iter().flat_map(|v| check(v, depth + 1)).collect()
}

pub(crate) fn check(expr: &Value, depth: usize) -> Vec<ValidationIssue> {
    if depth >= crate::MAX_DEPTH {
        return issue(
            expr,
            format!("expression nested deeper than {} levels", crate::MAX_DEPTH),
        );
    }
    let map = match expr {
        Value::String(_) | Value::Bool(_) => return Vec::new(),
        Value::Number(_) if json_int(expr).is_some() => return Vec::new(),
        Value::Number(_) => {
            return issue(
                expr,
                format!("{} is a non-integer number", js::value_to_string(expr)),
            );
        }
        Value::Null => return issue(expr, "invalid CertLogic expression"),
        Value::Array(items) => return all(items, depth),
        Value::Object(map) => map,
    };
    if map.len() != 1 {
        return issue(
            expr,
            format!(
                "expression object must have exactly one key, but it has {}",
                map.len()
            ),
        );
    }
    let Some((operator, operands)) = map.iter().next() else {
        return Vec::new();
    };
    if operator == "var" {
        return match operands {
            Value::String(path) if valid_path(path) => Vec::new(),
            Value::String(path) => issue(
                expr,
                format!("data access path doesn't have a valid format: {path}"),
            ),
            _ => issue(expr, r#"not of the form { "var": "<path>" }"#),
        };
    }
    let Value::Array(values) = operands else {
        return issue(
            expr,
            r#"operation not of the form { "<operator>": [ <values...> ] }"#,
        );
    };
    let n = values.len();
    let mut issues = Vec::new();
    match operator.as_str() {
        "if" | "reduce" => {
            if n != 3 {
                let what = if operator == "if" {
                    r#"an "if"-operation"#
                } else {
                    r#"a "reduce"-operation"#
                };
                issues.extend(issue(
                    expr,
                    format!("{what} must have exactly 3 values/operands, but it has {n}"),
                ));
            }
            issues.extend(all(&values[..n.min(3)], depth));
        }
        "and" => {
            if n < 2 {
                issues.extend(issue(
                    expr,
                    format!(r#"an "and" operation must have at least 2 operands, but it has {n}"#),
                ));
            }
            issues.extend(all(values, depth));
        }
        "<" | ">" | "<=" | ">=" | "after" | "before" | "not-after" | "not-before" => {
            if !(2..=3).contains(&n) {
                issues.extend(issue(
                    expr,
                    format!(r#"an operation with operator "{operator}" must have 2 or 3 operands, but it has {n}"#),
                ));
            }
            issues.extend(all(&values[..n.min(3)], depth));
        }
        "===" | "in" | "+" => {
            if n != 2 {
                issues.extend(issue(
                    expr,
                    format!(r#"an operation with operator "{operator}" must have 2 operands, but it has {n}"#),
                ));
            }
            issues.extend(all(&values[..n.min(2)], depth));
        }
        "!" => {
            if n == 1 {
                issues.extend(check(&values[0], depth + 1));
            } else {
                issues.extend(issue(
                    expr,
                    format!("a !-operation (logical not/negation) must have exactly 1 operand, but it has {n}"),
                ));
            }
        }
        "plusTime" => {
            if n != 3 {
                issues.extend(issue(
                    expr,
                    format!(r#"a "plusTime"-operation must have exactly 3 values/operands, but it has {n}"#),
                ));
            }
            if let Some(date) = values.first() {
                issues.extend(check(date, depth + 1));
            }
            if let Some(amount) = values.get(1).filter(|v| json_int(v).is_none()) {
                issues.extend(issue(
                    expr,
                    format!(
                        r#""amount" argument (#2) of "plusTime" must be an integer, but it is: {}"#,
                        js::value_to_string(amount)
                    ),
                ));
            }
            if let Some(unit) = values
                .get(2)
                .filter(|v| !matches!(v.as_str(), Some("year" | "month" | "day" | "hour")))
            {
                issues.extend(issue(
                    expr,
                    format!(
                        r#""unit" argument (#3) of "plusTime" must be a string equal to one of year, month, day, hour, but it is: {}"#,
                        js::value_to_string(unit)
                    ),
                ));
            }
        }
        "extractFromUVCI" => {
            if n != 2 {
                issues.extend(issue(
                    expr,
                    format!(r#"an "extractFromUVCI"-operation must have exactly 2 values/operands, but it has {n}"#),
                ));
            }
            if let Some(uvci) = values.first() {
                issues.extend(check(uvci, depth + 1));
            }
            if let Some(index) = values.get(1).filter(|v| json_int(v).is_none()) {
                issues.extend(issue(
                    expr,
                    format!(
                        r#""index" argument (#2) of "extractFromUVCI" must be an integer, but it is: {}"#,
                        js::value_to_string(index)
                    ),
                ));
            }
        }
        "dccDateOfBirth" => {
            if n != 1 {
                issues.extend(issue(
                    expr,
                    format!(r#"a "dccDateOfBirth"-operation must have exactly 1 value/operand, but it has {n}"#),
                ));
            }
            if let Some(dob) = values.first() {
                issues.extend(check(dob, depth + 1));
            }
        }
        _ => issues.extend(issue(
            expr,
            format!(r#"unrecognised operator: "{operator}""#),
        )),
    }
    issues
}
