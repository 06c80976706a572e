//! Rough timing of encoding and PNG/SVG rendering.
//!
//! Usage: `cargo run -p dcc-qr --release --example encode_timing [ITERATIONS [CHARS]]`
//! (default 200 iterations of a 560-character HC1 text, about the size of a vaccination
//! certificate). With few iterations it doubles as the workload for instruction counts:
//! `valgrind --tool=callgrind target/release/examples/encode_timing 20`.

use std::time::Instant;

use dcc_qr::{EcLevel, QrCode, RenderOptions};

fn main() {
    let charset = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";
    let mut text = String::from("HC1:");
    let mut args = std::env::args().skip(1).map(|a| a.parse::<u32>().ok());
    let n: u32 = args.next().flatten().unwrap_or(200).max(1);
    let chars = args.next().flatten().unwrap_or(556);
    for i in 0..chars as usize {
        text.push(charset.as_bytes()[(i * 7 + i / 3) % 45] as char);
    }
    for ec in EcLevel::ALL {
        let start = Instant::now();
        let mut qr = None;
        for _ in 0..n {
            qr = QrCode::encode(&text, ec).ok();
        }
        let encode = start.elapsed() / n;
        let Some(qr) = qr else { return };
        let opts = RenderOptions::default();
        let start = Instant::now();
        let mut png_len = 0;
        for _ in 0..n {
            png_len = qr.to_png(&opts).map(|p| p.len()).unwrap_or(0);
        }
        let png = start.elapsed() / n;
        let start = Instant::now();
        let mut svg_len = 0;
        for _ in 0..n {
            svg_len = qr.to_svg(&opts).len();
        }
        let svg = start.elapsed() / n;
        println!(
            "{ec:?}: version {} ({} modules): encode {encode:?}, to_png {png:?} ({png_len} B), \
             to_svg {svg:?} ({svg_len} B)",
            qr.version(),
            qr.size()
        );
    }
}
