//! Loaders and helpers for the dcc-kit conformance suite.
//!
//! - [`Vector`]: one file of the official EU test data (`vectors/dgc-testdata`), read leniently
//!   (the files differ in field spelling and nesting, see the vectors' README).
//! - [`json_eq`]: payload comparison that ignores map order and `1` vs `1.0`.
//! - [`golden`]: our own deterministic ES256 vectors in `golden/`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

pub mod bad;
pub mod golden;
pub mod rules;
pub mod trust;

/// The folder holding this crate.
pub fn crate_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The copied EU test data.
pub fn dgc_testdata_dir() -> PathBuf {
    crate_dir().join("vectors").join("dgc-testdata")
}

/// One EU test vector.
#[derive(Debug, Clone)]
pub struct Vector {
    /// Path relative to `dgc-testdata`, e.g. `common/2DCode/raw/CO1.json`.
    pub name: String,
    /// The whole file.
    pub raw: Value,
    /// The expected-result flags (`EXPECTEDVERIFY` -> `VERIFY`), merged from nested objects.
    pub expected: BTreeMap<String, bool>,
}

impl Vector {
    /// Loads a vector file.
    pub fn load(root: &Path, path: &Path) -> Result<Vector, String> {
        let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        let raw: Value =
            serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
        let name = path
            .strip_prefix(root)
            .unwrap_or(path)
            .to_string_lossy()
            .replace('\\', "/");
        let mut expected = BTreeMap::new();
        fn collect(v: &Value, out: &mut BTreeMap<String, bool>) {
            let Some(obj) = v.as_object() else { return };
            for (k, v) in obj {
                match v {
                    Value::Bool(b) => {
                        if let Some(flag) = k.strip_prefix("EXPECTED") {
                            out.insert(flag.to_string(), *b);
                        }
                    }
                    Value::Object(_) if k == "EXPECTEDRESULTS" => collect(v, out),
                    _ => {}
                }
            }
        }
        collect(
            raw.get("EXPECTEDRESULTS").unwrap_or(&Value::Null),
            &mut expected,
        );
        Ok(Vector {
            name,
            raw,
            expected,
        })
    }

    /// A top-level string field.
    pub fn str(&self, key: &str) -> Option<&str> {
        self.raw.get(key).and_then(Value::as_str)
    }

    /// A top-level hex field, decoded.
    pub fn hex(&self, key: &str) -> Option<Vec<u8>> {
        self.str(key).and_then(|s| hex::decode(s.trim()).ok())
    }

    /// A `TESTCTX` field.
    pub fn ctx(&self, key: &str) -> Option<&Value> {
        self.raw.get("TESTCTX").and_then(|c| c.get(key))
    }

    /// The DSC (`TESTCTX.CERTIFICATE`).
    pub fn certificate(&self) -> Option<&str> {
        self.ctx("CERTIFICATE").and_then(Value::as_str)
    }

    /// The validation clock, seconds since the epoch.
    pub fn clock(&self) -> Option<i64> {
        self.ctx("VALIDATIONCLOCK")
            .or_else(|| self.ctx("validationClockInstant"))
            .and_then(Value::as_str)
            .and_then(dcc::parse_time)
    }

    /// The QR image bytes: `2DCODE` (or `_2DCODE` in LV), else the PNG of the same name in the
    /// country's `png` folder (FR and IE ship their images only there).
    pub fn image(&self) -> Option<Vec<u8>> {
        use base64::Engine;
        if let Some(b64) = self.str("2DCODE").or_else(|| self.str("_2DCODE")) {
            let compact: String = b64.chars().filter(|c| !c.is_whitespace()).collect();
            return base64::engine::general_purpose::STANDARD
                .decode(compact)
                .ok();
        }
        let root = dgc_testdata_dir();
        let country = self.name.split('/').next()?;
        let base = Path::new(&self.name).file_stem()?.to_str()?;
        let stem = base.trim_end_matches("_Raw");
        // Same base name, ignoring `_` vs `-` and an `_qr` suffix (IE: `1_qr.png`).
        let norm = |n: &str| n.to_ascii_lowercase().replace('-', "_");
        let wanted = [norm(stem), format!("{}_qr", norm(stem))];
        for dir in [
            root.join(country).join("png"),
            root.join(country).join("2DCode").join("png"),
        ] {
            let Ok(entries) = std::fs::read_dir(&dir) else {
                continue;
            };
            let mut paths: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
            paths.sort();
            for p in paths {
                let is_png = p.extension().is_some_and(|e| e.eq_ignore_ascii_case("png"));
                let name = p.file_stem().and_then(|s| s.to_str()).map(norm);
                if is_png && name.is_some_and(|n| wanted.contains(&n)) {
                    return std::fs::read(p).ok();
                }
            }
        }
        None
    }

    /// The Base45 text: `BASE45`, else `PREFIX` without its first four characters.
    pub fn base45(&self) -> Option<&str> {
        self.str("BASE45")
            .or_else(|| self.str("PREFIX").and_then(|p| p.get(4..)))
    }

    /// The zlib bytes: `COMPRESSED`, else derived from the Base45 text.
    pub fn compressed(&self) -> Option<Vec<u8>> {
        self.hex("COMPRESSED")
            .or_else(|| dcc_encoding::base45::decode(self.base45()?).ok())
    }

    /// The COSE bytes: `COSE`, else derived from the compressed bytes.
    pub fn cose(&self) -> Option<Vec<u8>> {
        self.hex("COSE")
            .or_else(|| dcc_encoding::decompress(&self.compressed()?).ok())
    }
}

/// Every `*.json` vector below `root`, recursively, sorted by path.
pub fn all_vectors(root: &Path) -> Result<Vec<Vector>, String> {
    let mut files = Vec::new();
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
        for entry in std::fs::read_dir(dir)? {
            let p = entry?.path();
            if p.is_dir() {
                walk(&p, out)?;
            } else if p.extension().is_some_and(|e| e == "json") {
                out.push(p);
            }
        }
        Ok(())
    }
    walk(root, &mut files).map_err(|e| format!("{}: {e}", root.display()))?;
    files.sort();
    files.iter().map(|f| Vector::load(root, f)).collect()
}

/// Payload equality ignoring map order, integer/float representation (`1 == 1.0`) and the
/// spelling of one instant (`2021-06-30T12:34:56+00:00` == `2021-06-30T12:34:56Z`).
pub fn json_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::String(x), Value::String(y)) if x != y => {
            x.len() > 10
                && x.contains('T')
                && y.contains('T')
                && dcc::parse_time(x).is_some_and(|t| dcc::parse_time(y) == Some(t))
        }
        (Value::Number(x), Value::Number(y)) => match (x.as_i64(), y.as_i64()) {
            (Some(i), Some(j)) => i == j,
            _ => x.as_f64() == y.as_f64(),
        },
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| json_eq(a, b))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| json_eq(v, w)))
        }
        _ => a == b,
    }
}

/// One excused (vector, flag) pair with its reason, from `excused.txt`.
#[derive(Debug, Clone)]
pub struct Excuse {
    /// Vector path relative to `dgc-testdata`.
    pub vector: String,
    /// Flag name without `EXPECTED`.
    pub flag: String,
    /// Why.
    pub reason: String,
}

/// Reads `excused.txt`: `path FLAG reason...`, `#` comments.
pub fn excuses() -> Result<Vec<Excuse>, String> {
    let path = crate_dir().join("excused.txt");
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let mut parts = line.splitn(3, char::is_whitespace);
        let (Some(v), Some(f), Some(r)) = (parts.next(), parts.next(), parts.next()) else {
            return Err(format!(
                "excused.txt line {}: need `path FLAG reason`",
                i + 1
            ));
        };
        if r.trim().is_empty() {
            return Err(format!("excused.txt line {}: a reason is required", i + 1));
        }
        out.push(Excuse {
            vector: v.into(),
            flag: f.into(),
            reason: r.trim().into(),
        });
    }
    Ok(out)
}

/// The example vaccination payload without its certificate identifier, so that an issuer with
/// `uvci_issuer` gives every certificate a fresh one (ledger and revocation tests).
pub fn ledger_payload() -> serde_json::Value {
    let mut v: serde_json::Value =
        serde_json::from_str(include_str!("../../examples/vaccination.json"))
            .unwrap_or_else(|e| unreachable!("example: {e}"));
    if let Some(entry) = v["v"][0].as_object_mut() {
        entry.remove("ci");
    }
    v
}
