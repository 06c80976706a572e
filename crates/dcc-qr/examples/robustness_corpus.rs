//! The reader's robustness corpus (issue #15): read rates per class, the time per image, or
//! the corpus written to a folder for other readers.
//!
//! Usage: `cargo run -p dcc-qr --release --example robustness_corpus [eval | write DIR | time |
//! worst | read FILE...]`
//!
//! * `eval` (default): reads every image with [`dcc_qr::read_image`] and prints the read rate
//!   and the time per image for each class, and the failures;
//! * `write DIR`: writes every image to `DIR` (`NNN-<name>.png|jpg`) and `DIR/manifest.tsv`
//!   (file, class, expected text), which `scripts/qr-robustness-zxing.sh` reads;
//! * `time`: the clean case, a certificate rendered by `to_png` with the default options
//!   (4 pixels per module, quiet zone 4) read many times;
//! * `worst`: images where every retry runs (noise, a code with its data scribbled over);
//! * `read FILE...`: reads image files and prints the length of the text or the error.

use std::time::{Duration, Instant};

use dcc_qr::{EcLevel, QrCode, RenderOptions, read_image};

#[path = "../tests/corpus/mod.rs"]
mod corpus;

fn eval() {
    let samples = corpus::generate();
    let mut failures = Vec::new();
    let mut slowest = (Duration::ZERO, String::new());
    println!("| class | images | read | rate | mean time | max time |");
    println!("| --- | ---: | ---: | ---: | ---: | ---: |");
    let (mut all, mut all_ok) = (0, 0);
    for class in corpus::CLASSES {
        let (mut n, mut ok, mut total, mut max) = (0, 0, Duration::ZERO, Duration::ZERO);
        for s in samples.iter().filter(|s| s.class == class) {
            let start = Instant::now();
            let got = read_image(&s.bytes);
            let took = start.elapsed();
            total += took;
            max = max.max(took);
            if took > slowest.0 {
                slowest = (took, s.name.clone());
            }
            n += 1;
            match got {
                Ok(t) if t == s.text => ok += 1,
                other => failures.push(format!("{}: {:?}", s.name, other.map(|t| t.len()))),
            }
        }
        all += n;
        all_ok += ok;
        println!(
            "| {class} | {n} | {ok} | {:.1} % | {:.1} ms | {:.1} ms |",
            100.0 * f64::from(ok) / f64::from(n),
            total.as_secs_f64() * 1000.0 / f64::from(n),
            max.as_secs_f64() * 1000.0
        );
    }
    println!(
        "| all | {all} | {all_ok} | {:.1} % | | |",
        100.0 * f64::from(all_ok) / f64::from(all)
    );
    println!(
        "slowest: {} ({:.1} ms)",
        slowest.1,
        slowest.0.as_secs_f64() * 1000.0
    );
    for f in failures {
        println!("failed: {f}");
    }
}

fn write(dir: &str) -> std::io::Result<()> {
    let dir = std::path::Path::new(dir);
    std::fs::create_dir_all(dir)?;
    let mut manifest = String::from("file\tclass\ttext\n");
    for (i, s) in corpus::generate().iter().enumerate() {
        let file = format!("{i:03}-{}.{}", s.name, s.ext);
        std::fs::write(dir.join(&file), &s.bytes)?;
        manifest.push_str(&format!("{file}\t{}\t{}\n", s.class, s.text));
    }
    std::fs::write(dir.join("manifest.tsv"), manifest)?;
    println!(
        "wrote {} images to {}",
        corpus::generate().len(),
        dir.display()
    );
    Ok(())
}

fn time() -> Result<(), Box<dyn std::error::Error>> {
    for (i, text) in corpus::CERTIFICATES.iter().enumerate() {
        let qr = QrCode::encode(text, EcLevel::Q)?;
        let png = qr.to_png(&RenderOptions::default())?;
        let n = 50;
        let start = Instant::now();
        for _ in 0..n {
            assert_eq!(read_image(&png).as_deref(), Ok(*text));
        }
        println!(
            "certificate {i} (version {}, {} px): {:.2} ms per read",
            qr.version(),
            (qr.size() + 8) * 4,
            start.elapsed().as_secs_f64() * 1000.0 / f64::from(n)
        );
    }
    Ok(())
}

/// Worst cases: images where every retry runs and fails, at the largest side that is still
/// enlarged (1,000 pixels) and beyond it.
fn worst() -> Result<(), Box<dyn std::error::Error>> {
    let mut state = 0x2545_F491u32;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        state
    };
    let qr = QrCode::encode(corpus::CERTIFICATES[1], EcLevel::Q)?;
    for side in [1000u32, 2000] {
        let noise = image::GrayImage::from_fn(side, side, |_, _| image::Luma([next() as u8]));
        // The code's finder patterns and timing, its data scribbled over: found, unreadable.
        let scale = side / (qr.size() as u32 + 8);
        let mut broken = corpus::crisp(&qr, scale, 4);
        for (x, y, p) in broken.enumerate_pixels_mut() {
            let (mx, my) = (x / scale, y / scale);
            if (14..(qr.size() as u32 - 4)).contains(&mx)
                && (14..(qr.size() as u32 - 4)).contains(&my)
                && next() % 3 == 0
            {
                p.0[0] = 255 - p.0[0];
            }
        }
        for (what, img) in [("noise", noise), ("broken code", broken)] {
            let mut png = Vec::new();
            img.write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)?;
            let start = Instant::now();
            let got = read_image(&png);
            println!(
                "{what}, {}x{} px: {:?} in {:.1} ms",
                img.width(),
                img.height(),
                got.map(|t| t.len()),
                start.elapsed().as_secs_f64() * 1000.0
            );
        }
    }
    Ok(())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        None | Some("eval") => eval(),
        Some("write") => write(args.get(1).map_or("qr-corpus", String::as_str))?,
        Some("time") => time()?,
        Some("worst") => worst()?,
        Some("read") => {
            for file in &args[1..] {
                let bytes = std::fs::read(file)?;
                let start = Instant::now();
                let got = read_image(&bytes);
                let took = start.elapsed().as_secs_f64() * 1000.0;
                match got {
                    Ok(text) => println!("{file}: {} characters ({took:.1} ms)", text.len()),
                    Err(e) => println!("{file}: {e} ({took:.1} ms)"),
                }
            }
        }
        Some(other) => {
            eprintln!("unknown mode {other}: eval, write DIR, time, worst or read FILE...")
        }
    }
    Ok(())
}
