//! Normalisation before signing: trim, Unicode NFC, upper-case country codes, integers for
//! `dn`/`sd`, no `null`s, derived `fnt`/`gnt`. Every change is reported.

use serde::Serialize;
use serde_json::Value;

use crate::{transliterate, unicode};

/// One change made by normalisation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Change {
    /// Path of the field (`nam/gn`).
    pub path: String,
    /// What was done, e.g. `trimmed "Michael "`.
    pub description: String,
}

impl std::fmt::Display for Change {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path, self.description)
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}/{key}")
    }
}

/// Normalises `payload` in place and returns what changed.
pub fn normalize(payload: &mut Value) -> Vec<Change> {
    let mut changes = Vec::new();
    walk(payload, "", &mut changes);
    derive_standard_names(payload, &mut changes);
    changes
}

fn walk(v: &mut Value, path: &str, changes: &mut Vec<Change>) {
    match v {
        Value::String(s) => {
            let is_co = path.ends_with("/co") || path == "co";
            let trimmed = s.trim();
            // Most values are already clean: skip the copy when nothing would change.
            if trimmed.len() == s.len()
                && (!is_co || !s.bytes().any(|b| b.is_ascii_lowercase()))
                && unicode::is_nfc(s)
            {
                return;
            }
            let mut fixed = unicode::nfc(trimmed);
            if is_co {
                fixed = fixed.to_ascii_uppercase();
            }
            if fixed != *s {
                let what = if s.trim() != s.as_str() {
                    format!("trimmed {s:?} to {fixed:?}")
                } else {
                    format!("normalised {s:?} to {fixed:?}")
                };
                changes.push(Change {
                    path: path.to_string(),
                    description: what,
                });
                *s = fixed;
            }
        }
        Value::Number(n) if path.ends_with("/dn") || path.ends_with("/sd") => {
            if n.as_u64().is_none()
                && let Some(f) = n
                    .as_f64()
                    .filter(|f| f.fract() == 0.0 && *f >= 1.0 && *f <= 1e6)
            {
                changes.push(Change {
                    path: path.to_string(),
                    description: format!("wrote {n} as the integer {}", f as u64),
                });
                *v = Value::from(f as u64);
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter_mut().enumerate() {
                walk(item, &join(path, &i.to_string()), changes);
            }
        }
        Value::Object(map) => {
            let nulls: Vec<String> = map
                .iter()
                .filter(|(_, v)| v.is_null())
                .map(|(k, _)| k.clone())
                .collect();
            for k in nulls {
                map.remove(&k);
                changes.push(Change {
                    path: join(path, &k),
                    description: "removed null".into(),
                });
            }
            for (k, item) in map.iter_mut() {
                walk(item, &join(path, k), changes);
            }
        }
        _ => {}
    }
}

fn derive_standard_names(payload: &mut Value, changes: &mut Vec<Change>) {
    let Some(nam) = payload.get_mut("nam").and_then(Value::as_object_mut) else {
        return;
    };
    for (src, dst) in [("fn", "fnt"), ("gn", "gnt")] {
        if nam.contains_key(dst) {
            continue;
        }
        let Some(name) = nam
            .get(src)
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
        else {
            continue;
        };
        // An untransliterable name is left alone: validation reports the missing field.
        if let Ok(std) = transliterate::to_icao(name)
            && !std.is_empty()
        {
            changes.push(Change {
                path: format!("nam/{dst}"),
                description: format!("derived {std:?} from {src} (ICAO 9303)"),
            });
            nam.insert(dst.to_string(), Value::String(std));
        }
    }
}
