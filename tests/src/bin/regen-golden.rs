//! Rewrites `tests/golden/*` from the fixed keys, times and example payloads.

fn main() -> std::process::ExitCode {
    let dir = dcc_conformance::crate_dir().join("golden");
    let lists = dir.join("trustlists");
    if let Err(e) = std::fs::create_dir_all(&lists) {
        eprintln!("creating {}: {e}", lists.display());
        return std::process::ExitCode::from(2);
    }
    for (name, bytes) in dcc_conformance::trust::fixtures() {
        if let Err(e) = std::fs::write(lists.join(&name), bytes) {
            eprintln!("writing {name}: {e}");
            return std::process::ExitCode::from(2);
        }
        println!("wrote {}", lists.join(&name).display());
    }
    if let Err(e) = std::fs::write(
        dir.join("rule-results.json"),
        dcc_conformance::rules::views(),
    ) {
        eprintln!("writing rule-results.json: {e}");
        return std::process::ExitCode::from(2);
    }
    // The views read the fixture files just written.
    if let Err(e) = std::fs::write(
        dir.join("trust-list-views.json"),
        dcc_conformance::trust::views(),
    ) {
        eprintln!("writing trust-list-views.json: {e}");
        return std::process::ExitCode::from(2);
    }
    match dcc_conformance::golden::generate() {
        Ok(files) => {
            for (name, text) in files {
                let path = dir.join(&name);
                // PS256 signatures are salted: keep the file on disk while everything but the
                // signed bytes is unchanged, so that regenerating does not churn.
                if name.contains("ps256")
                    && name.ends_with(".json")
                    && same_but_signature(&path, &text)
                {
                    continue;
                }
                if let Err(e) = std::fs::write(&path, text) {
                    eprintln!("writing {}: {e}", path.display());
                    return std::process::ExitCode::from(2);
                }
                println!("wrote {}", path.display());
            }
            std::process::ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("generating golden vectors: {e}");
            std::process::ExitCode::from(2)
        }
    }
}

fn same_but_signature(path: &std::path::Path, fresh: &str) -> bool {
    let Ok(old) = std::fs::read_to_string(path) else {
        return false;
    };
    let (Ok(a), Ok(b)) = (
        serde_json::from_str::<serde_json::Value>(&old),
        serde_json::from_str::<serde_json::Value>(fresh),
    ) else {
        return false;
    };
    [
        "description",
        "payload",
        "claims_cbor",
        "kid",
        "iat",
        "exp",
        "iss",
        "dsc",
    ]
    .iter()
    .all(|k| a[*k] == b[*k])
}
