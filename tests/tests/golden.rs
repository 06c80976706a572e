//! Our own golden vectors: deterministic ES256 bytes must not drift, and every golden file
//! (including the salted PS256 ones) must verify and decode to its payload.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code

use dcc::Verifier;
use dcc_conformance::{crate_dir, golden, json_eq};
use serde_json::Value;

#[test]
fn golden_files_are_current() {
    let dir = crate_dir().join("golden");
    for (name, text) in golden::generate().unwrap() {
        let on_disk = std::fs::read_to_string(dir.join(&name)).unwrap_or_else(|e| {
            panic!("{name}: {e}; run `cargo run -p dcc-conformance --bin regen-golden`")
        });
        if name.contains("ps256") && name.ends_with(".json") {
            // Salted signature: compare everything but the signed bytes.
            let a: Value = serde_json::from_str(&on_disk).unwrap();
            let b: Value = serde_json::from_str(&text).unwrap();
            for k in ["payload", "claims_cbor", "kid", "iat", "exp", "iss"] {
                assert_eq!(a[k], b[k], "{name}: {k} drifted");
            }
        } else {
            assert_eq!(
                on_disk, text,
                "{name} drifted; run `cargo run -p dcc-conformance --bin regen-golden`"
            );
        }
    }
}

#[test]
fn golden_files_verify() {
    let dir = crate_dir().join("golden");
    let es = std::fs::read_to_string(dir.join("dsc-es256.pem")).unwrap();
    let ps = std::fs::read_to_string(dir.join("dsc-ps256.pem")).unwrap();
    let verifier = Verifier::from_certs([es, ps]).unwrap();
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if !path
            .file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with("issued-")
        {
            continue;
        }
        let doc: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let at = golden::IAT + 86_400;
        let v = verifier.verify(doc["hc1"].as_str().unwrap(), at).unwrap();
        assert!(v.is_valid(), "{}: {:?}", path.display(), v.checks);
        assert!(json_eq(v.payload(), &doc["payload"]), "{}", path.display());
        assert_eq!(v.claims().iat, Some(golden::IAT));
        assert_eq!(v.claims().exp, Some(golden::EXP));
        assert_eq!(
            hex::encode(v.decoded.sign1.payload()),
            doc["claims_cbor"].as_str().unwrap()
        );
        n += 1;
    }
    assert_eq!(n, 6, "three types x two algorithms");
}

#[test]
fn conformance_sample_is_current_and_covers_every_country() {
    let on_disk: Value = serde_json::from_str(
        &std::fs::read_to_string(crate_dir().join("golden/conformance-sample.json")).unwrap(),
    )
    .unwrap();
    let fresh = golden::conformance_sample().unwrap();
    assert_eq!(on_disk, fresh, "run regen-golden");
    let names: Vec<&str> = fresh["vectors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["name"].as_str().unwrap())
        .collect();
    let countries: std::collections::BTreeSet<&str> =
        names.iter().map(|n| n.split('/').next().unwrap()).collect();
    assert!(countries.len() >= 35, "{countries:?}");
    assert!(names.iter().filter(|n| n.starts_with("common/")).count() >= 30);
}
