//! Embeds compact copies of the official data in `data/`: the JSON schemas without their
//! annotations (`title`, `description`, `examples`, `$comment`) and the value sets without
//! display names. The checked-in files stay byte-identical to upstream; the library only reads
//! what it checks (about 30 KB instead of 200 KB in every binary, a large share of the
//! WebAssembly module).

// A build script reports failure by panicking, with the message Cargo shows.
#![allow(clippy::expect_used, clippy::panic)]

use std::{env, fs, path::Path};

use serde_json::{Map, Value};

const ANNOTATIONS: [&str; 4] = ["title", "description", "examples", "$comment"];

/// Removes annotations from a schema object; `properties` and `$defs` map names to schemas, so
/// their keys are never dropped.
fn strip_schema(v: &mut Value) {
    match v {
        Value::Object(map) => {
            for k in ANNOTATIONS {
                map.remove(k);
            }
            for (key, child) in map.iter_mut() {
                if key == "properties" || key == "$defs" {
                    if let Value::Object(named) = child {
                        named.values_mut().for_each(strip_schema);
                    }
                } else {
                    strip_schema(child);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(strip_schema),
        _ => {}
    }
}

/// Keeps `valueSetId`, `valueSetDate` and each code's `active` flag.
fn strip_value_set(v: &Value) -> Value {
    let mut out = Map::new();
    for k in ["valueSetId", "valueSetDate"] {
        if let Some(x) = v.get(k) {
            out.insert(k.into(), x.clone());
        }
    }
    if let Some(Value::Object(values)) = v.get("valueSetValues") {
        let codes = values
            .iter()
            .map(|(code, entry)| {
                let mut e = Map::new();
                if let Some(active) = entry.get("active") {
                    e.insert("active".into(), active.clone());
                }
                (code.clone(), Value::Object(e))
            })
            .collect();
        out.insert("valueSetValues".into(), Value::Object(codes));
    }
    Value::Object(out)
}

/// The `.json` files of a data folder, in name order.
fn json_files(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut entries: Vec<_> = fs::read_dir(dir)
        .expect("data folder")
        .map(|e| e.expect("directory entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    entries.sort();
    entries
}

/// `{valueSetId: {code: display}}` over every value set: the display names a printed
/// certificate shows (embedded only with the `display-names` feature).
fn display_names(dir: &Path) -> Value {
    let mut all = Map::new();
    for path in json_files(dir) {
        let text = fs::read_to_string(&path).expect("read data file");
        let v: Value = serde_json::from_str(&text).expect("value-set JSON");
        let (Some(Value::String(id)), Some(Value::Object(values))) =
            (v.get("valueSetId"), v.get("valueSetValues"))
        else {
            continue;
        };
        let names = values
            .iter()
            .filter_map(|(code, e)| {
                let d = e.get("display")?.as_str()?;
                Some((code.clone(), Value::String(d.to_string())))
            })
            .collect();
        all.insert(id.clone(), Value::Object(names));
    }
    Value::Object(all)
}

fn main() {
    let out = env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    let names = display_names(&Path::new("data").join("valuesets"));
    fs::write(
        Path::new(&out).join("valueset-display.json"),
        serde_json::to_string(&names).expect("serialise"),
    )
    .expect("write display names");
    println!("cargo:rerun-if-changed=data");
    for (dir, compact) in [
        (
            "schema",
            &(|mut v: Value| {
                strip_schema(&mut v);
                v
            }) as &dyn Fn(Value) -> Value,
        ),
        ("valuesets", &|v: Value| strip_value_set(&v)),
    ] {
        let dest = Path::new(&out).join(dir);
        fs::create_dir_all(&dest).expect("create OUT_DIR folder");
        for path in json_files(&Path::new("data").join(dir)) {
            let text = fs::read_to_string(&path).expect("read data file");
            let value: Value =
                serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let name = path.file_name().expect("file name");
            let compact = serde_json::to_string(&compact(value)).expect("serialise");
            fs::write(dest.join(name), compact).expect("write compact copy");
        }
    }
}
