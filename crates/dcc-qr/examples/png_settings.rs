//! PNG size and time of each deflate setting and filter, for the 1-bit image `to_png` writes
//! (scale 4, quiet zone 4) of a certificate-sized HC1 text at level Q. The figures in
//! crates/dcc-qr/README.md ("PNG settings") come from this.
//!
//! Usage: `cargo run -p dcc-qr --release --example png_settings`

use std::time::{Duration, Instant};

use dcc_qr::{EcLevel, QrCode};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let charset = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";
    let mut text = String::from("HC1:");
    for i in 0..556 {
        text.push(char::from(charset.as_bytes()[(i * 7 + i / 3) % 45]));
    }
    let qr = QrCode::encode(&text, EcLevel::Q)?;
    let (scale, quiet) = (4, 4);
    let px = (qr.size() + 2 * quiet) * scale;
    let row_bytes = px.div_ceil(8);
    // The same bitmap as QrCode::to_png: 1 = white, most significant bit first.
    let mut data = vec![0xFFu8; row_bytes * px];
    for py in 0..px {
        for pxl in 0..px {
            let (x, y) = (
                (pxl / scale).wrapping_sub(quiet),
                (py / scale).wrapping_sub(quiet),
            );
            if qr.is_dark(x, y) {
                data[py * row_bytes + pxl / 8] &= !(0x80 >> (pxl % 8));
            }
        }
    }
    println!(
        "version {} ({} modules), {px}x{px} pixels, {} bytes of 1-bit pixels",
        qr.version(),
        qr.size(),
        data.len()
    );
    println!(
        "{:<22} {:<9} {:>8} {:>10}",
        "deflate", "filter", "bytes", "time"
    );
    let deflates = [
        ("none", png::DeflateCompression::NoCompression),
        ("fdeflate", png::DeflateCompression::FdeflateUltraFast),
        ("zlib level 1", png::DeflateCompression::Level(1)),
        ("zlib level 6", png::DeflateCompression::Level(6)),
        ("zlib level 9", png::DeflateCompression::Level(9)),
    ];
    let filters = [
        ("none", png::Filter::NoFilter),
        ("sub", png::Filter::Sub),
        ("up", png::Filter::Up),
        ("avg", png::Filter::Avg),
        ("paeth", png::Filter::Paeth),
        ("adaptive", png::Filter::Adaptive),
    ];
    let side = u32::try_from(px)?;
    for (dname, deflate) in deflates {
        for (fname, filter) in filters {
            let encode = || -> Result<Vec<u8>, png::EncodingError> {
                let mut out = Vec::with_capacity(4096);
                let mut enc = png::Encoder::new(&mut out, side, side);
                enc.set_color(png::ColorType::Grayscale);
                enc.set_depth(png::BitDepth::One);
                enc.set_deflate_compression(deflate);
                enc.set_filter(filter);
                let mut w = enc.write_header()?;
                w.write_image_data(&data)?;
                w.finish()?;
                Ok(out)
            };
            let size = encode()?.len();
            let mut best = Duration::MAX;
            for _ in 0..15 {
                let start = Instant::now();
                for _ in 0..40 {
                    std::hint::black_box(encode()?);
                }
                best = best.min(start.elapsed() / 40);
            }
            println!("{dname:<22} {fname:<9} {size:>8} {best:>10.1?}");
        }
    }
    Ok(())
}
