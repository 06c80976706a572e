//! The baseline of `bench.sh`: the same operations as the Kotlin benchmark, called on the Rust
//! facade directly (same payload, same key, same times), so the difference is the cost of the
//! binding (JNA call, argument and result conversion). Prints `name median_us iterations`.
//!
//! `cargo run --release -p dcc-ffi --example bench_native -- <checkout>`

use std::{error::Error, hint::black_box, time::Instant};

/// One measured operation.
type Op<'a> = Box<dyn FnMut() -> Result<(), dcc::Error> + 'a>;

const IAT: i64 = 1_622_505_600;
const EXP: i64 = 1_654_041_600;

fn median_us(
    iterations: usize,
    mut f: impl FnMut() -> Result<(), dcc::Error>,
) -> Result<f64, dcc::Error> {
    for _ in 0..iterations / 2 {
        f()?;
    }
    let mut times = Vec::with_capacity(iterations);
    for _ in 0..iterations {
        let start = Instant::now();
        f()?;
        times.push(start.elapsed().as_secs_f64() * 1e6);
    }
    times.sort_by(f64::total_cmp);
    Ok(times[times.len() / 2])
}

fn main() -> Result<(), Box<dyn Error>> {
    let root = std::env::args()
        .nth(1)
        .ok_or("usage: bench_native <checkout>")?;
    let read = |p: &str| std::fs::read_to_string(format!("{root}/{p}"));
    let payload = read("examples/vaccination.json")?;
    let key = read("tests/golden/es256-key.pem")?;
    let dsc = read("tests/golden/dsc-es256.pem")?;

    let issuer = dcc::Issuer::from_pem(&key, &dsc)?;
    let verifier = dcc::Verifier::from_certs([&dsc])?;
    let opts = dcc::IssueOptions {
        iss: Some("XX".into()),
        issued_at: Some(IAT),
        validity: dcc::Validity::Until(EXP),
        ..Default::default()
    };
    let cert = issuer.issue_json(&payload, &opts)?;
    let hc1 = cert.hc1().to_string();
    let png = cert.to_png(4)?;
    let at = IAT + 86_400;

    let rows: [(&str, usize, Op<'_>); 6] = [
        (
            "issue_es256",
            2000,
            Box::new(|| {
                issuer
                    .issue_json(&payload, &opts)
                    .map(|c| drop(black_box(c)))
            }),
        ),
        (
            "prepare",
            2000,
            Box::new(|| {
                issuer
                    .prepare_json(&payload, &opts)
                    .map(|p| drop(black_box(p)))
            }),
        ),
        (
            "verify",
            2000,
            Box::new(|| verifier.verify(&hc1, at).map(|v| drop(black_box(v)))),
        ),
        (
            "decode",
            5000,
            Box::new(|| dcc::decode(&hc1).map(|d| drop(black_box(d)))),
        ),
        (
            "png_scale4",
            2000,
            Box::new(|| cert.to_png(4).map(|p| drop(black_box(p)))),
        ),
        (
            "verify_image",
            200,
            Box::new(|| verifier.verify_image(&png, at).map(|v| drop(black_box(v)))),
        ),
    ];
    for (name, iterations, mut f) in rows {
        println!("{name} {:.1} {iterations}", median_us(iterations, &mut f)?);
    }
    Ok(())
}
