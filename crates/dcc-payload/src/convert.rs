//! Lossless conversion between the JSON and CBOR forms of a payload.

use ciborium::Value as Cbor;
use serde_json::Value as Json;

use crate::{PayloadError, Result};

/// Converts a JSON value to CBOR: objects become maps with text keys, integers stay integers,
/// other numbers become floats.
pub fn json_to_cbor(json: &Json) -> Result<Cbor> {
    Ok(match json {
        Json::Null => Cbor::Null,
        Json::Bool(b) => Cbor::Bool(*b),
        Json::Number(n) => {
            if let Some(u) = n.as_u64() {
                Cbor::Integer(u.into())
            } else if let Some(i) = n.as_i64() {
                Cbor::Integer(i.into())
            } else {
                Cbor::Float(n.as_f64().ok_or_else(|| PayloadError::Unrepresentable {
                    path: String::new(),
                    what: format!("number {n}"),
                })?)
            }
        }
        Json::String(s) => Cbor::Text(s.clone()),
        Json::Array(a) => Cbor::Array(a.iter().map(json_to_cbor).collect::<Result<_>>()?),
        Json::Object(o) => Cbor::Map(
            o.iter()
                .map(|(k, v)| Ok((Cbor::Text(k.clone()), json_to_cbor(v)?)))
                .collect::<Result<_>>()?,
        ),
    })
}

/// Converts a decoded CBOR payload to JSON.
///
/// Tags are dropped (tag 0 on `sc`, tag 1 and the like carry their value inside). Byte strings,
/// non-text map keys, non-finite floats and integers beyond 64 bits have no JSON form and are
/// reported with their path.
pub fn cbor_to_json(cbor: &Cbor) -> Result<Json> {
    let mut path = Vec::new();
    convert(cbor, &mut path)
}

fn unrepresentable(path: &[String], what: impl Into<String>) -> PayloadError {
    PayloadError::Unrepresentable {
        path: path.join("/"),
        what: what.into(),
    }
}

fn convert(cbor: &Cbor, path: &mut Vec<String>) -> Result<Json> {
    Ok(match cbor {
        Cbor::Null => Json::Null,
        Cbor::Bool(b) => Json::Bool(*b),
        Cbor::Integer(i) => {
            let i = i128::from(*i);
            if let Ok(u) = u64::try_from(i) {
                Json::from(u)
            } else if let Ok(s) = i64::try_from(i) {
                Json::from(s)
            } else {
                return Err(unrepresentable(path, format!("integer {i} beyond 64 bits")));
            }
        }
        Cbor::Float(f) => serde_json::Number::from_f64(*f)
            .map(Json::Number)
            .ok_or_else(|| unrepresentable(path, format!("non-finite float {f}")))?,
        Cbor::Text(s) => Json::String(s.clone()),
        Cbor::Bytes(_) => return Err(unrepresentable(path, "byte string")),
        Cbor::Tag(_, inner) => convert(inner, path)?,
        Cbor::Array(items) => {
            let mut out = Vec::with_capacity(items.len());
            for (i, item) in items.iter().enumerate() {
                path.push(i.to_string());
                out.push(convert(item, path)?);
                path.pop();
            }
            Json::Array(out)
        }
        Cbor::Map(entries) => {
            let mut out = serde_json::Map::with_capacity(entries.len());
            for (k, v) in entries {
                let key = match k {
                    Cbor::Text(s) => s.clone(),
                    other => return Err(unrepresentable(path, format!("map key {other:?}"))),
                };
                path.push(key.clone());
                let value = convert(v, path)?;
                path.pop();
                if out.insert(key.clone(), value).is_some() {
                    return Err(unrepresentable(path, format!("duplicate map key {key:?}")));
                }
            }
            Json::Object(out)
        }
        other => return Err(unrepresentable(path, format!("{other:?}"))),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn round_trip_keeps_types() {
        let j = json!({"a": 1, "b": -2, "c": 1.5, "d": "x", "e": [true, null], "f": {"g": 1.0}});
        let c = json_to_cbor(&j).unwrap();
        assert_eq!(cbor_to_json(&c).unwrap(), j);
    }

    #[test]
    fn rejects_what_json_cannot_hold() {
        let c = Cbor::Map(vec![(
            Cbor::Text("t".into()),
            Cbor::Array(vec![Cbor::Map(vec![(
                Cbor::Text("x".into()),
                Cbor::Bytes(vec![1]),
            )])]),
        )]);
        assert_eq!(
            cbor_to_json(&c),
            Err(PayloadError::Unrepresentable {
                path: "t/0/x".into(),
                what: "byte string".into()
            })
        );
        let c = Cbor::Map(vec![(Cbor::Integer(1.into()), Cbor::Null)]);
        assert!(matches!(
            cbor_to_json(&c),
            Err(PayloadError::Unrepresentable { .. })
        ));
        assert!(cbor_to_json(&Cbor::Float(f64::NAN)).is_err());
    }

    #[test]
    fn tags_are_dropped() {
        let c = Cbor::Tag(0, Box::new(Cbor::Text("2021-05-01T10:00:00Z".into())));
        assert_eq!(cbor_to_json(&c).unwrap(), json!("2021-05-01T10:00:00Z"));
    }
}
