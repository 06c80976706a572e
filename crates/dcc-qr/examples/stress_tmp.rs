//! temporary stress test
use std::io::Cursor;
fn main() {
    let dir = std::path::Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/vectors/dgc-testdata"
    ));
    let mut files = Vec::new();
    fn walk(d: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for e in std::fs::read_dir(d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(&p, out)
            } else if p.extension().is_some_and(|e| e == "png") {
                out.push(p)
            }
        }
    }
    walk(dir, &mut files);
    files.sort();
    let mut state = 12345u64;
    let mut rnd = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let mut counts = std::collections::BTreeMap::new();
    let start = std::time::Instant::now();
    for (i, f) in files.iter().enumerate().step_by(2) {
        let bytes = std::fs::read(f).unwrap();
        let img = image::load_from_memory(&bytes).unwrap().to_luma8();
        for k in 0..6 {
            let mut m = img.clone();
            let (w, h) = m.dimensions();
            match k {
                0 => {
                    for _ in 0..(rnd() % 20) {
                        let x0 = (rnd() % w as u64) as u32;
                        let y0 = (rnd() % h as u64) as u32;
                        let s = 1 + (rnd() % 40) as u32;
                        let v = (rnd() & 255) as u8;
                        for y in y0..(y0 + s).min(h) {
                            for x in x0..(x0 + s).min(w) {
                                m.put_pixel(x, y, image::Luma([v]));
                            }
                        }
                    }
                }
                1 => {
                    for p in m.pixels_mut() {
                        if rnd() % 7 == 0 {
                            p.0[0] = (rnd() & 255) as u8;
                        }
                    }
                }
                2 => {
                    let cw = (w / 2 + (rnd() % (w as u64 / 2)) as u32).max(1);
                    let ch = (h / 2 + (rnd() % (h as u64 / 2)) as u32).max(1);
                    m = image::imageops::crop_imm(&m, 0, 0, cw, ch).to_image();
                }
                3 => {
                    let nw = (w as u64 * (30 + rnd() % 100) / 100) as u32;
                    m = image::imageops::resize(
                        &m,
                        nw.max(1),
                        nw.max(1),
                        image::imageops::FilterType::Triangle,
                    );
                }
                4 => {
                    for p in m.pixels_mut() {
                        p.0[0] = 255 - p.0[0];
                    }
                    for y in 0..h {
                        for x in 0..w {
                            if (x / 3 + y / 5) % 11 == 0 {
                                m.put_pixel(x, y, image::Luma([0]));
                            }
                        }
                    }
                }
                _ => {
                    let mut b = bytes.clone();
                    let n = b.len();
                    for _ in 0..3 {
                        let j = 33 + (rnd() as usize % (n - 33));
                        b[j] ^= 1 << (rnd() % 8);
                    }
                    let r = dcc_qr::read_image(&b);
                    *counts
                        .entry(format!(
                            "{k}:{:?}",
                            r.as_ref()
                                .map(|_| "ok")
                                .map_err(|e| std::mem::discriminant(e))
                        ))
                        .or_insert(0) += 1;
                    continue;
                }
            }
            let mut out = Vec::new();
            if rnd() % 2 == 0 {
                m.write_to(&mut Cursor::new(&mut out), image::ImageFormat::Png)
                    .unwrap();
            } else {
                image::codecs::jpeg::JpegEncoder::new_with_quality(
                    &mut out,
                    30 + (rnd() % 60) as u8,
                )
                .encode_image(&m)
                .unwrap();
            }
            let r = dcc_qr::read_image(&out);
            *counts
                .entry(format!(
                    "{k}:{}",
                    match &r {
                        Ok(_) => "ok".to_string(),
                        Err(e) => format!("{e:?}").chars().take(12).collect(),
                    }
                ))
                .or_insert(0) += 1;
        }
        if i % 100 == 0 {
            eprintln!("{i} {:?}", start.elapsed());
        }
    }
    println!("{counts:#?} {:?}", start.elapsed());
}
