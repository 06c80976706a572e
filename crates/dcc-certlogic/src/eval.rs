//! The evaluator: certlogic-js 1.2.2's `evaluate`, operator by operator, in its order of checks.

use serde_json::Value;

use crate::date::{self, Unit};
use crate::error::{
    EvalError, EvalErrorCode, invalid_expression, invalid_operands, not_truthy_or_falsy, too_deep,
    type_mismatch,
};
use crate::js;
use crate::value::{Val, json_int};

pub(crate) fn eval<'a>(
    expr: &'a Value,
    data: &Val<'a>,
    depth: usize,
) -> Result<Val<'a>, EvalError> {
    if depth >= crate::MAX_DEPTH {
        return Err(too_deep());
    }
    match expr {
        Value::String(_) | Value::Bool(_) => Ok(Val::Json(expr)),
        Value::Number(_) if json_int(expr).is_some() => Ok(Val::Json(expr)),
        Value::Number(_) | Value::Null => Err(invalid_expression(format!(
            "invalid CertLogic expression: {}",
            js::value_to_string(expr)
        ))),
        Value::Array(items) => {
            let mut out = Vec::with_capacity(items.len());
            for item in items {
                out.push(eval(item, data, depth + 1)?);
            }
            Val::array(out)
        }
        Value::Object(map) => {
            let mut entries = map.iter();
            let (Some((operator, operands)), None) = (entries.next(), entries.next()) else {
                return Err(invalid_expression(
                    "unrecognised expression object encountered",
                ));
            };
            if operator == "var" {
                return eval_var(operands, data);
            }
            let values = match operands {
                Value::Array(values) if !values.is_empty() => values.as_slice(),
                _ => {
                    return Err(invalid_expression(
                        r#"operation not of the form { "<operator>": [ <values...> ] }"#,
                    ));
                }
            };
            eval_operation(operator, values, data, depth)
        }
    }
}

fn eval_operation<'a>(
    operator: &str,
    values: &'a [Value],
    data: &Val<'a>,
    depth: usize,
) -> Result<Val<'a>, EvalError> {
    match operator {
        "if" => eval_if(values, data, depth),
        "===" | "and" | ">" | "<" | ">=" | "<=" | "in" | "+" | "after" | "before" | "not-after"
        | "not-before" => eval_infix(operator, values, data, depth),
        "!" => {
            let operand = eval(&values[0], data, depth + 1)?;
            match operand.truthiness() {
                Some(b) => Ok(Val::Bool(!b)),
                None => Err(not_truthy_or_falsy(
                    "operand of ! evaluates to something neither truthy, nor falsy",
                )),
            }
        }
        "plusTime" => eval_plus_time(values, data, depth),
        "reduce" => eval_reduce(values, data, depth),
        "extractFromUVCI" => eval_extract_from_uvci(values, data, depth),
        "dccDateOfBirth" => {
            let operand = eval(&values[0], data, depth + 1)?;
            let s = operand
                .as_str()
                .ok_or_else(|| type_mismatch(r#"operand of "dccDateOfBirth" must be a string"#))?;
            date::date_of_birth(s).map(Val::date).map_err(|()| {
                EvalError::new(
                    EvalErrorCode::InvalidDate,
                    format!(r#"can't parse "{s}" as an EU DCC date-of-birth"#),
                )
            })
        }
        _ => Err(EvalError::new(
            EvalErrorCode::UnknownOperator,
            format!(r#"unrecognised operator: "{operator}""#),
        )),
    }
}

fn eval_var<'a>(operands: &'a Value, data: &Val<'a>) -> Result<Val<'a>, EvalError> {
    let Value::String(path) = operands else {
        return Err(invalid_operands(r#"not of the form { "var": "<path>" }"#));
    };
    if path.is_empty() {
        return Ok(data.clone());
    }
    let mut current = data.clone();
    for fragment in path.split('.') {
        if current.is_null() {
            return Ok(Val::Null);
        }
        current = current.get(fragment);
    }
    Ok(current)
}

fn eval_if<'a>(values: &'a [Value], data: &Val<'a>, depth: usize) -> Result<Val<'a>, EvalError> {
    // Like certlogic-js, operands after the third are ignored.
    let (Some(then), Some(else_)) = (values.get(1), values.get(2)) else {
        return Err(invalid_operands(format!(
            "an if-operation must have a guard, a then and an else, but it has {} operand(s)",
            values.len()
        )));
    };
    let guard = eval(&values[0], data, depth + 1)?;
    match guard.truthiness() {
        Some(true) => eval(then, data, depth + 1),
        Some(false) => eval(else_, data, depth + 1),
        None => Err(not_truthy_or_falsy(
            "if-guard evaluates to something neither truthy, nor falsy",
        )),
    }
}

#[derive(Clone, Copy)]
enum Cmp {
    Lt,
    Gt,
    Le,
    Ge,
}

impl Cmp {
    fn holds(self, l: f64, r: f64) -> bool {
        match self {
            Cmp::Lt => l < r,
            Cmp::Gt => l > r,
            Cmp::Le => l <= r,
            Cmp::Ge => l >= r,
        }
    }

    /// The binary form, or the ternary "between" form `a op b && b op c`.
    fn chain(self, operands: &[f64]) -> bool {
        operands.windows(2).all(|w| self.holds(w[0], w[1]))
    }
}

fn eval_infix<'a>(
    operator: &str,
    values: &'a [Value],
    data: &Val<'a>,
    depth: usize,
) -> Result<Val<'a>, EvalError> {
    let comparison = match operator {
        "<" | "before" => Some(Cmp::Lt),
        ">" | "after" => Some(Cmp::Gt),
        "<=" | "not-after" => Some(Cmp::Le),
        ">=" | "not-before" => Some(Cmp::Ge),
        _ => None,
    };
    let n = values.len();
    if operator == "and" {
        if n < 2 {
            return Err(invalid_operands(
                r#"an "and" operation must have at least 2 operands"#,
            ));
        }
        // Lazy: stop at the first falsy operand and return it; else the last one.
        let mut last = Val::Bool(true);
        for value in values {
            last = eval(value, data, depth + 1)?;
            match last.truthiness() {
                Some(true) => {}
                Some(false) => return Ok(last),
                None => {
                    return Err(not_truthy_or_falsy(
                        r#"all operands of an "and" operation must be either truthy or falsy"#,
                    ));
                }
            }
        }
        return Ok(last);
    }
    if comparison.is_some() {
        if !(2..=3).contains(&n) {
            return Err(invalid_operands(format!(
                r#"an operation with operator "{operator}" must have 2 or 3 operands"#
            )));
        }
    } else if n != 2 {
        return Err(invalid_operands(format!(
            r#"an operation with operator "{operator}" must have 2 operands"#
        )));
    }
    // Every operand is evaluated (in order) before any type is checked.
    let mut args = Vec::with_capacity(n);
    for value in values {
        args.push(eval(value, data, depth + 1)?);
    }
    match (operator, comparison) {
        ("===", _) => Ok(Val::Bool(args[0].strict_eq(&args[1]))),
        ("in", _) => {
            let items = args[1].items().ok_or_else(|| {
                type_mismatch(r#"right-hand side of an "in" operation must be an array"#)
            })?;
            Ok(Val::Bool((0..items.len()).any(|i| {
                items.get(i).is_some_and(|item| args[0].strict_eq(&item))
            })))
        }
        ("+", _) => match (args[0].as_int(), args[1].as_int()) {
            (Some(l), Some(r)) => Ok(Val::Num(l + r)),
            _ => Err(type_mismatch(
                "operands of this operation must both be integers",
            )),
        },
        ("<" | ">" | "<=" | ">=", Some(cmp)) => {
            let ints: Option<Vec<f64>> = args.iter().map(Val::as_int).collect();
            let ints = ints.ok_or_else(|| {
                type_mismatch("all operands of a comparison operation must be of integer type")
            })?;
            Ok(Val::Bool(cmp.chain(&ints)))
        }
        (_, Some(cmp)) => {
            let times: Option<Vec<f64>> = args.iter().map(Val::as_date).collect();
            let times = times.ok_or_else(|| {
                type_mismatch("all operands of a date-time comparison must be date-times")
            })?;
            // An invalid date (NaN) makes every comparison false, as in JavaScript.
            Ok(Val::Bool(cmp.chain(&times)))
        }
        _ => Err(EvalError::new(
            EvalErrorCode::UnknownOperator,
            format!(r#"unhandled infix operator "{operator}""#),
        )),
    }
}

fn eval_plus_time<'a>(
    values: &'a [Value],
    data: &Val<'a>,
    depth: usize,
) -> Result<Val<'a>, EvalError> {
    // The amount and the unit are literals, checked before the date operand is evaluated.
    let amount = values.get(1).and_then(json_int).ok_or_else(|| {
        invalid_operands(r#""amount" argument (#2) of "plusTime" must be an integer"#)
    })?;
    let unit = values.get(2).and_then(Value::as_str).and_then(Unit::parse).ok_or_else(|| {
        invalid_operands(
            r#""unit" argument (#3) of "plusTime" must be a string with one of the time units: year, month, day, hour"#,
        )
    })?;
    let operand = eval(&values[0], data, depth + 1)?;
    let s = operand
        .as_str()
        .ok_or_else(|| type_mismatch(r#"date argument (#1) of "plusTime" must be a string"#))?;
    let t = date::parse_for_plus_time(s).map_err(|()| {
        EvalError::new(
            EvalErrorCode::InvalidDate,
            format!("not an allowed date or date-time format: {s}"),
        )
    })?;
    Ok(Val::date(date::add(t, amount, unit)))
}

fn eval_reduce<'a>(
    values: &'a [Value],
    data: &Val<'a>,
    depth: usize,
) -> Result<Val<'a>, EvalError> {
    let missing =
        || invalid_operands(r#"a "reduce" operation must have 3 operands: array, lambda, initial"#);
    let operand = eval(&values[0], data, depth + 1)?;
    let initial = || match values.get(2) {
        Some(initial) => eval(initial, data, depth + 1),
        None => Err(missing()),
    };
    if operand.is_null() {
        return initial();
    }
    let items = operand
        .items()
        .ok_or_else(|| type_mismatch("operand of reduce evaluated to a non-null non-array"))?;
    let mut accumulator = initial()?;
    if items.len() == 0 {
        return Ok(accumulator);
    }
    let lambda = values.get(1).ok_or_else(missing)?;
    for i in 0..items.len() {
        let current = items.get(i).unwrap_or(Val::Null);
        // The lambda sees only {accumulator, current}: not the outer data (certlogic-js's
        // "patched reduce" is not part of the specification).
        let scope = Val::obj([("accumulator", accumulator), ("current", current)])?;
        accumulator = eval(lambda, &scope, depth + 1)?;
    }
    Ok(accumulator)
}

fn eval_extract_from_uvci<'a>(
    values: &'a [Value],
    data: &Val<'a>,
    depth: usize,
) -> Result<Val<'a>, EvalError> {
    let operand = eval(&values[0], data, depth + 1)?;
    if !(operand.is_null() || operand.as_str().is_some()) {
        return Err(type_mismatch(
            r#""UVCI" argument (#1) of "extractFromUVCI" must be either a string or null"#,
        ));
    }
    let index = values.get(1).and_then(json_int).ok_or_else(|| {
        invalid_operands(r#""index" argument (#2) of "extractFromUVCI" must be an integer"#)
    })?;
    let Some(uvci) = operand.as_str() else {
        return Ok(Val::Null);
    };
    if index < 0.0 {
        return Ok(Val::Null);
    }
    let uvci = uvci.strip_prefix("URN:UVCI:").unwrap_or(uvci);
    // `as` saturates: a huge index misses like any other out-of-range one.
    let fragment = uvci.split(['/', '#', ':']).nth(index as usize);
    Ok(fragment.map_or(Val::Null, |f| Val::Str(f.into())))
}
