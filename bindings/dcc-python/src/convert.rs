//! Argument conversion: JSON values <-> Python objects, datetimes and timedeltas <-> seconds.

use pyo3::{
    prelude::*,
    types::{
        PyBool, PyDateTime, PyDelta, PyDeltaAccess, PyDict, PyFloat, PyInt, PyList, PyString,
        PyTuple, PyTzInfo,
    },
};
use serde_json::{Map, Number, Value};

use crate::errors::{BindingError, options_error, payload_error};

/// Deepest nesting accepted in a payload given as Python objects (a DCC is 3 levels deep); also
/// stops self-referencing lists from recursing forever.
const MAX_DEPTH: usize = 64;

/// A JSON value as plain Python objects (`dict`, `list`, `str`, `int`, `float`, `bool`, `None`).
pub fn json_to_py<'py>(py: Python<'py>, v: &Value) -> PyResult<Bound<'py, PyAny>> {
    Ok(match v {
        Value::Null => py.None().into_bound(py),
        Value::Bool(b) => PyBool::new(py, *b).to_owned().into_any(),
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                i.into_pyobject(py)?.into_any()
            } else if let Some(u) = n.as_u64() {
                u.into_pyobject(py)?.into_any()
            } else {
                PyFloat::new(py, n.as_f64().unwrap_or(f64::NAN)).into_any()
            }
        }
        Value::String(s) => PyString::new(py, s).into_any(),
        Value::Array(items) => {
            let list = PyList::empty(py);
            for item in items {
                list.append(json_to_py(py, item)?)?;
            }
            list.into_any()
        }
        Value::Object(map) => {
            let dict = PyDict::new(py);
            for (k, item) in map {
                dict.set_item(k, json_to_py(py, item)?)?;
            }
            dict.into_any()
        }
    })
}

/// Why a Python object is not JSON, and where (segments innermost first).
struct NotJson {
    path: Vec<String>,
    what: String,
}

impl NotJson {
    fn at(mut self, segment: String) -> Self {
        self.path.push(segment);
        self
    }
}

/// A payload given as Python objects, as a JSON value. Fails with `InvalidPayloadError`
/// naming the path of the first value that has no JSON form.
pub fn py_to_json(obj: &Bound<'_, PyAny>) -> Result<Value, BindingError> {
    to_json(obj, 0).map_err(|e| {
        let path: Vec<String> = e.path.into_iter().rev().collect();
        if path.is_empty() {
            payload_error(e.what)
        } else {
            payload_error(format!("{} at {}", e.what, path.join("/")))
        }
    })
}

fn type_name(obj: &Bound<'_, PyAny>) -> String {
    obj.get_type()
        .name()
        .map(|n| n.to_string())
        .unwrap_or_else(|_| "?".into())
}

fn to_json(obj: &Bound<'_, PyAny>, depth: usize) -> Result<Value, NotJson> {
    let fail = |what: String| NotJson { path: vec![], what };
    if depth > MAX_DEPTH {
        return Err(fail(format!("nested deeper than {MAX_DEPTH} levels")));
    }
    if obj.is_none() {
        return Ok(Value::Null);
    }
    if let Ok(b) = obj.cast::<PyBool>() {
        return Ok(Value::Bool(b.is_true()));
    }
    if let Ok(s) = obj.cast::<PyString>() {
        return s
            .to_cow()
            .map(|s| Value::String(s.to_string()))
            .map_err(|_| fail("a string that is not valid Unicode".into()));
    }
    if let Ok(i) = obj.cast::<PyInt>() {
        if let Ok(v) = i.extract::<i64>() {
            return Ok(Value::Number(v.into()));
        }
        if let Ok(v) = i.extract::<u64>() {
            return Ok(Value::Number(v.into()));
        }
        return Err(fail("an integer outside the 64-bit range".into()));
    }
    if let Ok(f) = obj.cast::<PyFloat>() {
        return Number::from_f64(f.value())
            .map(Value::Number)
            .ok_or_else(|| fail(format!("the non-finite number {}", f.value())));
    }
    if let Ok(d) = obj.cast::<PyDict>() {
        let mut map = Map::with_capacity(d.len());
        for (k, v) in d.iter() {
            let Ok(key) = k.cast::<PyString>() else {
                return Err(fail(format!(
                    "a mapping key of type {} (keys must be str)",
                    type_name(&k)
                )));
            };
            let key = key
                .to_cow()
                .map_err(|_| fail("a key that is not valid Unicode".into()))?
                .to_string();
            match to_json(&v, depth + 1) {
                Ok(value) => {
                    map.insert(key, value);
                }
                Err(e) => return Err(e.at(key)),
            }
        }
        return Ok(Value::Object(map));
    }
    let items: Option<Vec<Bound<'_, PyAny>>> = if let Ok(l) = obj.cast::<PyList>() {
        Some(l.iter().collect())
    } else if let Ok(t) = obj.cast::<PyTuple>() {
        Some(t.iter().collect())
    } else {
        None
    };
    if let Some(items) = items {
        let mut out = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            out.push(to_json(item, depth + 1).map_err(|e| e.at(i.to_string()))?);
        }
        return Ok(Value::Array(out));
    }
    Err(fail(format!(
        "a value of type {} (use dict, list, str, int, float, bool or None)",
        type_name(obj)
    )))
}

/// A payload argument: a JSON `str`/`bytes`, or Python objects (`dict`).
pub fn payload_value(obj: &Bound<'_, PyAny>) -> Result<Value, BindingError> {
    if let Ok(s) = obj.cast::<PyString>() {
        let text = s
            .to_cow()
            .map_err(|_| payload_error("the JSON text is not valid Unicode"))?;
        return parse_json(&text);
    }
    if let Ok(b) = obj.extract::<pyo3::pybacked::PyBackedBytes>() {
        let text = std::str::from_utf8(&b)
            .map_err(|_| payload_error("the JSON bytes are not valid UTF-8"))?;
        return parse_json(text);
    }
    py_to_json(obj)
}

fn parse_json(text: &str) -> Result<Value, BindingError> {
    serde_json::from_str(text).map_err(|e| {
        BindingError::Dcc(
            dcc::Error::Payload(dcc::layers::payload::PayloadError::Json(e.to_string())),
            None,
        )
    })
}

/// Seconds since the epoch of a timezone-aware `datetime` (fractions dropped). A naive datetime
/// is refused (`InvalidOptionsError`): it says nothing about its time zone, and guessing shifts
/// a certificate's validity by hours.
pub fn timestamp(name: &str, obj: &Bound<'_, PyAny>) -> Result<i64, BindingError> {
    let Ok(dt) = obj.cast::<PyDateTime>() else {
        return Err(options_error(format!(
            "{name} must be a datetime.datetime, not {}",
            type_name(obj)
        )));
    };
    let offset = dt
        .call_method0("utcoffset")
        .map_err(|e| options_error(format!("{name}: utcoffset() failed: {e}")))?;
    if offset.is_none() {
        return Err(options_error(format!(
            "{name} is a naive datetime: give it a time zone, \
             e.g. datetime(2025, 1, 1, tzinfo=timezone.utc)"
        )));
    }
    let secs: f64 = dt
        .call_method0("timestamp")
        .and_then(|t| t.extract())
        .map_err(|e| options_error(format!("{name}: timestamp() failed: {e}")))?;
    if !secs.is_finite() {
        return Err(options_error(format!("{name} is out of range")));
    }
    Ok(secs.floor() as i64)
}

/// An optional datetime argument.
pub fn opt_timestamp(
    name: &str,
    obj: Option<&Bound<'_, PyAny>>,
) -> Result<Option<i64>, BindingError> {
    match obj {
        Some(o) if !o.is_none() => timestamp(name, o).map(Some),
        _ => Ok(None),
    }
}

/// Whole seconds of a `timedelta` argument (fractions dropped; may be negative).
pub fn opt_seconds(
    name: &str,
    obj: Option<&Bound<'_, PyAny>>,
) -> Result<Option<i64>, BindingError> {
    let Some(obj) = obj.filter(|o| !o.is_none()) else {
        return Ok(None);
    };
    let Ok(d) = obj.cast::<PyDelta>() else {
        return Err(options_error(format!(
            "{name} must be a datetime.timedelta, not {}",
            type_name(obj)
        )));
    };
    Ok(Some(
        i64::from(d.get_days()) * 86_400 + i64::from(d.get_seconds()),
    ))
}

/// A UTC `datetime` for seconds since the epoch; `None` when absent or outside the range
/// `datetime` can represent (years 1 to 9999).
pub fn datetime<'py>(py: Python<'py>, secs: Option<i64>) -> Option<Bound<'py, PyDateTime>> {
    let secs = secs?;
    // datetime.max is 9999-12-31; beyond that fromtimestamp raises.
    if !(-62_135_596_800..=253_402_300_799).contains(&secs) {
        return None;
    }
    let utc = PyTzInfo::utc(py).ok()?.to_owned();
    PyDateTime::from_timestamp(py, secs as f64, Some(&utc)).ok()
}
