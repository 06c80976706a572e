//! The values an evaluation works with: borrowed JSON from the data and the expression, plus the
//! values JavaScript would create (numbers from `+`, date-times, arrays from array literals, the
//! `{accumulator, current}` object a `reduce` lambda sees). Arrays, objects and date-times keep
//! an identity, because `===` and `in` compare them by reference in JavaScript.

use std::rc::Rc;

use serde_json::Value;

use crate::date::{self, Time};
use crate::error::{EvalError, too_deep};
use crate::js;

/// 2^53: the integers an `f64` holds exactly.
const MAX_SAFE: f64 = 9_007_199_254_740_992.0;

#[derive(Clone, Debug)]
pub(crate) enum Val<'a> {
    /// A value of the data (by reference: `===` on two accesses of one array is true) or a
    /// literal of the expression.
    Json(&'a Value),
    Null,
    Bool(bool),
    Num(f64),
    Str(Rc<str>),
    /// A JavaScript `Date`; NaN is an invalid date. Each one is its own object.
    Date(Rc<Time>),
    Array(Rc<ArrayVal<'a>>),
    Obj(Rc<ObjVal<'a>>),
}

#[derive(Debug)]
pub(crate) struct ArrayVal<'a> {
    depth: usize,
    pub(crate) items: Vec<Val<'a>>,
}

/// A small object with fixed keys (`{accumulator, current}`, `{payload, external}`).
#[derive(Debug)]
pub(crate) struct ObjVal<'a> {
    depth: usize,
    pub(crate) fields: [(&'static str, Val<'a>); 2],
}

/// A primitive's value, for `===`.
#[derive(PartialEq)]
enum Prim<'v> {
    Null,
    Bool(bool),
    Num(f64),
    Str(&'v str),
}

/// The elements of an array value.
pub(crate) enum Items<'v, 'a> {
    Json(&'a [Value]),
    Vals(&'v [Val<'a>]),
}

impl Items<'_, '_> {
    pub(crate) fn len(&self) -> usize {
        match self {
            Items::Json(items) => items.len(),
            Items::Vals(items) => items.len(),
        }
    }
}

impl<'a> Items<'_, 'a> {
    pub(crate) fn get(&self, i: usize) -> Option<Val<'a>> {
        match self {
            Items::Json(items) => items.get(i).map(Val::Json),
            Items::Vals(items) => items.get(i).cloned(),
        }
    }
}

fn json_is_int(n: &serde_json::Number) -> Option<f64> {
    let f = n.as_f64()?;
    (f.is_finite() && f.fract() == 0.0).then_some(f)
}

/// JavaScript's `Number.isInteger` on a JSON value.
pub(crate) fn json_int(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => json_is_int(n),
        _ => None,
    }
}

impl<'a> Val<'a> {
    pub(crate) fn array(items: Vec<Val<'a>>) -> Result<Self, EvalError> {
        let depth = 1 + items.iter().map(Val::depth).max().unwrap_or(0);
        if depth > crate::MAX_DEPTH {
            return Err(too_deep());
        }
        Ok(Val::Array(Rc::new(ArrayVal { depth, items })))
    }

    pub(crate) fn obj(fields: [(&'static str, Val<'a>); 2]) -> Result<Self, EvalError> {
        let depth = 1 + fields[0].1.depth().max(fields[1].1.depth());
        if depth > crate::MAX_DEPTH {
            return Err(too_deep());
        }
        Ok(Val::Obj(Rc::new(ObjVal { depth, fields })))
    }

    pub(crate) fn date(t: Time) -> Self {
        Val::Date(Rc::new(t))
    }

    /// Nesting of the arrays and objects built during evaluation (data counts as flat: its
    /// depth is the caller's).
    fn depth(&self) -> usize {
        match self {
            Val::Array(a) => a.depth,
            Val::Obj(o) => o.depth,
            _ => 0,
        }
    }

    pub(crate) fn is_null(&self) -> bool {
        matches!(self, Val::Null | Val::Json(Value::Null))
    }

    pub(crate) fn as_str(&self) -> Option<&str> {
        match self {
            Val::Json(Value::String(s)) => Some(s),
            Val::Str(s) => Some(s),
            _ => None,
        }
    }

    /// `Number.isInteger(v) ? v : None`.
    pub(crate) fn as_int(&self) -> Option<f64> {
        match self {
            Val::Json(v) => json_int(v),
            Val::Num(n) => (n.is_finite() && n.fract() == 0.0).then_some(*n),
            _ => None,
        }
    }

    pub(crate) fn as_date(&self) -> Option<Time> {
        match self {
            Val::Date(t) => Some(**t),
            _ => None,
        }
    }

    pub(crate) fn items(&self) -> Option<Items<'_, 'a>> {
        match self {
            Val::Json(Value::Array(items)) => Some(Items::Json(items)),
            Val::Array(a) => Some(Items::Vals(&a.items)),
            _ => None,
        }
    }

    /// certlogic-js's `boolsiness`: `Some(true)` for truthy, `Some(false)` for falsy, `None` for
    /// neither (date-times; an object with its own `toString` key, on which certlogic-js's
    /// `isDictionary` calls a non-function and throws).
    pub(crate) fn truthiness(&self) -> Option<bool> {
        match self {
            Val::Json(v) => match v {
                Value::Null => Some(false),
                Value::Bool(b) => Some(*b),
                Value::Number(n) => Some(n.as_f64().is_some_and(|f| f != 0.0)),
                Value::String(s) => Some(!s.is_empty()),
                Value::Array(items) => Some(!items.is_empty()),
                Value::Object(map) => (!map.contains_key("toString")).then_some(!map.is_empty()),
            },
            Val::Null => Some(false),
            Val::Bool(b) => Some(*b),
            Val::Num(n) => Some(*n != 0.0),
            Val::Str(s) => Some(!s.is_empty()),
            Val::Date(_) => None,
            Val::Array(a) => Some(!a.items.is_empty()),
            Val::Obj(_) => Some(true),
        }
    }

    fn prim(&self) -> Option<Prim<'_>> {
        Some(match self {
            Val::Json(Value::Null) | Val::Null => Prim::Null,
            Val::Json(Value::Bool(b)) | Val::Bool(b) => Prim::Bool(*b),
            Val::Json(Value::Number(n)) => Prim::Num(n.as_f64().unwrap_or(f64::NAN)),
            Val::Num(n) => Prim::Num(*n),
            Val::Json(Value::String(s)) => Prim::Str(s),
            Val::Str(s) => Prim::Str(s),
            _ => return None,
        })
    }

    /// JavaScript's `===`: primitives by value, arrays, objects and dates by identity.
    pub(crate) fn strict_eq(&self, other: &Val<'a>) -> bool {
        match (self.prim(), other.prim()) {
            (Some(a), Some(b)) => a == b,
            (None, None) => match (self, other) {
                (Val::Json(a), Val::Json(b)) => std::ptr::eq(*a, *b),
                (Val::Date(a), Val::Date(b)) => Rc::ptr_eq(a, b),
                (Val::Array(a), Val::Array(b)) => Rc::ptr_eq(a, b),
                (Val::Obj(a), Val::Obj(b)) => Rc::ptr_eq(a, b),
                _ => false,
            },
            _ => false,
        }
    }

    /// `value[fragment]` as certlogic-js's `access` does it: `parseInt(fragment, 10)` decides
    /// between an index and a property name. Own properties of JSON objects, array elements,
    /// `length` of arrays and strings and a string's UTF-16 units resolve; everything else
    /// (including JavaScript's inherited members such as `constructor`) is `null`.
    pub(crate) fn get(&self, fragment: &str) -> Val<'a> {
        let index = js::parse_int(fragment);
        match self {
            Val::Json(Value::Object(map)) => {
                let found = match index {
                    None => property(map, fragment),
                    Some(n) => property(map, &js::number_to_string(n)),
                };
                found.map_or(Val::Null, Val::Json)
            }
            Val::Json(Value::String(_)) | Val::Str(_) => {
                let s = self.as_str().unwrap_or_default();
                match index {
                    None if fragment == "length" => Val::Num(js::utf16_len(s) as f64),
                    Some(n) if (0.0..MAX_SAFE).contains(&n) => {
                        js::utf16_unit_at(s, n as usize).map_or(Val::Null, |u| Val::Str(u.into()))
                    }
                    _ => Val::Null,
                }
            }
            Val::Json(Value::Array(_)) | Val::Array(_) => {
                let Some(items) = self.items() else {
                    return Val::Null;
                };
                match index {
                    None if fragment == "length" => Val::Num(items.len() as f64),
                    Some(n) if (0.0..MAX_SAFE).contains(&n) => {
                        items.get(n as usize).unwrap_or(Val::Null)
                    }
                    _ => Val::Null,
                }
            }
            Val::Obj(o) => match index {
                None => o
                    .fields
                    .iter()
                    .find(|(k, _)| *k == fragment)
                    .map_or(Val::Null, |(_, v)| v.clone()),
                Some(_) => Val::Null,
            },
            _ => Val::Null,
        }
    }

    /// The JSON a JavaScript caller would see after `JSON.stringify`: date-times as ISO strings
    /// (an invalid one as `null`), integral numbers as integers.
    pub(crate) fn to_json(&self) -> Value {
        match self {
            Val::Json(v) => (*v).clone(),
            Val::Null => Value::Null,
            Val::Bool(b) => Value::Bool(*b),
            Val::Num(n) => number(*n),
            Val::Str(s) => Value::String(s.to_string()),
            Val::Date(t) => date::to_iso_string(**t).map_or(Value::Null, Value::String),
            Val::Array(a) => Value::Array(a.items.iter().map(Val::to_json).collect()),
            Val::Obj(o) => Value::Object(
                o.fields
                    .iter()
                    .map(|(k, v)| ((*k).to_string(), v.to_json()))
                    .collect(),
            ),
        }
    }
}

/// An own property of a JSON object. DCC objects are small: a scan beats hashing the key.
fn property<'v>(map: &'v serde_json::Map<String, Value>, key: &str) -> Option<&'v Value> {
    if map.len() <= 16 {
        map.iter().find(|(k, _)| k.as_str() == key).map(|(_, v)| v)
    } else {
        map.get(key)
    }
}

/// A number as JSON: integers (up to 2^53) as integers, others as floats, non-finite as `null`
/// (what `JSON.stringify` does).
fn number(n: f64) -> Value {
    if n.is_finite() && n.fract() == 0.0 && n.abs() <= MAX_SAFE {
        Value::from(n as i64)
    } else {
        serde_json::Number::from_f64(n).map_or(Value::Null, Value::Number)
    }
}
