//! Measures how many official EU DCC test-vector images `read_image` decodes.
//!
//! Usage: `cargo run -p dcc-qr --release --example scan_vectors [DIR] [-v]`
//! (default DIR: `tests/vectors` at the workspace root).
//!
//! For every `*/2DCode/raw/*.json` the base64 PNG in `2DCODE` is scanned and
//! compared to `PREFIX` (counted when `EXPECTEDPICTUREDECODE` is true). Every
//! `*.png` file is also scanned and compared to the `PREFIX` of the JSON
//! vector with the same number, when one exists.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use base64::Engine as _;

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            walk(&path, out);
        } else {
            out.push(path);
        }
    }
}

/// The JSON vector that corresponds to a `.../png/N.png` file, if any.
fn json_for_png(png: &Path) -> Option<PathBuf> {
    let stem = png.file_stem()?.to_str()?;
    let png_dir = png.parent()?;
    let base = png_dir.parent()?;
    [base.join("raw"), base.join("2DCode").join("raw")]
        .into_iter()
        .map(|d| d.join(format!("{stem}.json")))
        .find(|p| p.is_file())
}

struct Vector {
    prefix: Option<String>,
    picture_decode: Option<bool>,
    image: Option<Vec<u8>>,
}

fn load_vector(path: &Path) -> Option<Vector> {
    let text = std::fs::read_to_string(path).ok()?;
    let json: serde_json::Value = serde_json::from_str(&text).ok()?;
    let prefix = json
        .get("PREFIX")
        .and_then(|v| v.as_str())
        .map(str::to_owned);
    let picture_decode = json
        .get("EXPECTEDRESULTS")
        .and_then(|r| r.get("EXPECTEDPICTUREDECODE"))
        .and_then(serde_json::Value::as_bool);
    let image = json
        .get("2DCODE")
        .and_then(|v| v.as_str())
        .filter(|s| !s.is_empty())
        .and_then(|s| {
            base64::engine::general_purpose::STANDARD
                .decode(s.trim())
                .ok()
        });
    Some(Vector {
        prefix,
        picture_decode,
        image,
    })
}

fn median(times: &mut [Duration]) -> Duration {
    times.sort();
    times.get(times.len() / 2).copied().unwrap_or_default()
}

fn main() {
    let mut dir = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/vectors"));
    let mut verbose = false;
    for arg in std::env::args().skip(1) {
        if arg == "-v" {
            verbose = true;
        } else {
            dir = PathBuf::from(arg);
        }
    }
    let mut files = Vec::new();
    walk(&dir, &mut files);

    let mut times = Vec::new();
    let mut worst = (Duration::ZERO, PathBuf::new());
    let mut timed_read = |bytes: &[u8], path: &Path| {
        let start = Instant::now();
        let res = dcc_qr::read_image(bytes);
        let t = start.elapsed();
        if t > worst.0 {
            worst = (t, path.to_path_buf());
        }
        times.push(t);
        res
    };

    // JSON vectors.
    let (mut json_total, mut expected_true, mut ok_true, mut with_image) = (0, 0, 0, 0);
    let (mut expected_true_no_image, mut other_ok, mut other_total) = (0, 0, 0);
    for path in files.iter().filter(|p| {
        p.extension().is_some_and(|e| e == "json")
            && p.parent().is_some_and(|d| d.ends_with("2DCode/raw"))
    }) {
        let Some(v) = load_vector(path) else {
            println!("unparsable JSON: {}", path.display());
            continue;
        };
        json_total += 1;
        let expect = v.picture_decode == Some(true);
        let Some(img) = v.image else {
            if expect {
                expected_true_no_image += 1;
            }
            continue;
        };
        with_image += 1;
        let res = timed_read(&img, path);
        let exact = matches!((&res, &v.prefix), (Ok(t), Some(p)) if t == p);
        if expect {
            expected_true += 1;
            if exact {
                ok_true += 1;
            } else {
                let what = match &res {
                    Ok(t) => format!("decoded to a different text ({} chars)", t.len()),
                    Err(e) => e.to_string(),
                };
                println!("FAIL {}: {what}", path.display());
            }
        } else {
            other_total += 1;
            if exact {
                other_ok += 1;
            }
            if verbose {
                println!(
                    "info {} (PICTUREDECODE={:?}): {:?}",
                    path.display(),
                    v.picture_decode,
                    res.as_ref().map(|t| t.len())
                );
            }
        }
    }

    // Loose PNG files.
    let (mut png_total, mut png_ok, mut png_matched, mut png_with_json) = (0, 0, 0, 0);
    for path in files
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "png"))
    {
        let Ok(bytes) = std::fs::read(path) else {
            continue;
        };
        png_total += 1;
        let res = timed_read(&bytes, path);
        let expected = json_for_png(path)
            .and_then(|j| load_vector(&j))
            .and_then(|v| v.prefix);
        match (&res, &expected) {
            (Ok(t), Some(p)) => {
                png_ok += 1;
                png_with_json += 1;
                if t == p {
                    png_matched += 1;
                } else if verbose {
                    let head = |s: &str| s.chars().take(40).collect::<String>();
                    println!(
                        "png {}: differs from JSON PREFIX: {} ({} chars) vs {} ({} chars)",
                        path.display(),
                        head(t),
                        t.len(),
                        head(p),
                        p.len()
                    );
                }
            }
            (Ok(_), None) => png_ok += 1,
            (Err(e), _) => {
                if expected.is_some() {
                    png_with_json += 1;
                }
                println!("FAIL png {}: {e}", path.display());
            }
        }
    }

    println!();
    println!("JSON vectors: {json_total} ({with_image} with a 2DCODE image)");
    println!(
        "EXPECTEDPICTUREDECODE=true: {ok_true}/{expected_true} decoded to exactly PREFIX \
         (+{expected_true_no_image} with PICTUREDECODE=true but no image)"
    );
    println!("other vectors with an image: {other_ok}/{other_total} decoded to PREFIX");
    println!(
        "PNG files: {png_ok}/{png_total} decoded; {png_matched}/{png_with_json} with a \
         matching JSON equal its PREFIX"
    );
    let n = times.len();
    let total: Duration = times.iter().sum();
    println!(
        "read_image: {n} calls, median {:?}, mean {:?}, max {:?} ({})",
        median(&mut times),
        total / u32::try_from(n.max(1)).unwrap_or(1),
        worst.0,
        worst.1.display()
    );
}
