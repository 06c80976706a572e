//! Rewrites `tests/golden/*` from the fixed keys, times and example payloads.

fn main() -> std::process::ExitCode {
    let dir = dcc_conformance::crate_dir().join("golden");
    match dcc_conformance::golden::generate() {
        Ok(files) => {
            for (name, text) in files {
                let path = dir.join(&name);
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
