//! Integration tests: encoding, rendering and reading.

// clippy.toml only allows these inside `#[test]` functions, not in helpers.
#![allow(clippy::unwrap_used, clippy::panic)]

use std::io::Cursor;

use dcc_qr::{
    DecodeError, EcLevel, EncodeError, MAX_QUIET_ZONE, MAX_SCALE, QrCode, RenderOptions, read_image,
};

const ALPHANUMERIC: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";

/// A deterministic "HC1:" + base45-like string of exactly `len` characters.
fn hc1_like(len: usize) -> String {
    let mut s = String::from("HC1:");
    let mut state: u32 = 0x1234_5678;
    while s.len() < len {
        state = state.wrapping_mul(1_103_515_245).wrapping_add(12_345);
        let i = (state >> 16) as usize % ALPHANUMERIC.len();
        s.push(char::from(ALPHANUMERIC[i]));
    }
    s.truncate(len);
    s
}

/// Grayscale raster of a code: `scale` pixels per module, `quiet` modules of
/// border, `dark`/`light` pixel values.
fn raster(qr: &QrCode, scale: usize, quiet: usize, dark: u8, light: u8) -> image::GrayImage {
    let n = (qr.size() + 2 * quiet) * scale;
    image::GrayImage::from_fn(n as u32, n as u32, |x, y| {
        let mx = (x as usize / scale).wrapping_sub(quiet);
        let my = (y as usize / scale).wrapping_sub(quiet);
        image::Luma([if qr.is_dark(mx, my) { dark } else { light }])
    })
}

fn encode_png_gray(img: &image::GrayImage) -> Vec<u8> {
    let mut out = Vec::new();
    img.write_to(&mut Cursor::new(&mut out), image::ImageFormat::Png)
        .unwrap();
    out
}

#[test]
fn round_trip_png_every_level() {
    let text = hc1_like(560);
    assert!(text.starts_with("HC1:"));
    for ec in EcLevel::ALL {
        let qr = QrCode::encode(&text, ec).unwrap();
        assert_eq!(qr.ec_level(), ec);
        assert!((1..=40).contains(&qr.version()));
        assert_eq!(qr.size(), 17 + 4 * usize::from(qr.version()));
        let png = qr.to_png(&RenderOptions::default()).unwrap();
        assert_eq!(read_image(&png).unwrap(), text, "level {ec:?}");
    }
}

#[test]
fn round_trip_small_scales() {
    let text = hc1_like(300);
    let qr = QrCode::encode(&text, EcLevel::Q).unwrap();
    for scale in [2, 3, 7] {
        let png = qr
            .to_png(&RenderOptions {
                scale,
                quiet_zone: 4,
            })
            .unwrap();
        assert_eq!(read_image(&png).unwrap(), text, "scale {scale}");
    }
    // Without a quiet zone the reader adds a white border itself.
    let png = qr
        .to_png(&RenderOptions {
            scale: 4,
            quiet_zone: 0,
        })
        .unwrap();
    assert_eq!(read_image(&png).unwrap(), text);
}

#[test]
fn default_level_is_q() {
    assert_eq!(EcLevel::default(), EcLevel::Q);
    assert_eq!(
        RenderOptions::default(),
        RenderOptions {
            scale: 4,
            quiet_zone: 4
        }
    );
}

#[test]
fn alphanumeric_mode_capacity() {
    // Alphanumeric capacity at level Q: version 18 holds 574 characters,
    // version 19 holds 644. In byte mode 597 characters would need version 22.
    assert_eq!(
        QrCode::encode(&hc1_like(597), EcLevel::Q)
            .unwrap()
            .version(),
        19
    );
    assert_eq!(
        QrCode::encode(&hc1_like(574), EcLevel::Q)
            .unwrap()
            .version(),
        18
    );
    assert_eq!(
        QrCode::encode(&hc1_like(575), EcLevel::Q)
            .unwrap()
            .version(),
        19
    );
    assert_eq!(
        QrCode::encode(&hc1_like(644), EcLevel::Q)
            .unwrap()
            .version(),
        19
    );
    // Version 1 holds 25 alphanumeric characters at L (17 bytes in byte mode).
    assert_eq!(
        QrCode::encode(&hc1_like(25), EcLevel::L).unwrap().version(),
        1
    );
    assert_eq!(
        QrCode::encode(&hc1_like(26), EcLevel::L).unwrap().version(),
        2
    );
}

#[test]
fn maximum_lengths() {
    for ec in EcLevel::ALL {
        let max = ec.max_alphanumeric_len();
        let qr = QrCode::encode(&hc1_like(max), ec).unwrap();
        assert_eq!(qr.version(), 40);
        assert_eq!(qr.size(), 177);
        match QrCode::encode(&hc1_like(max + 1), ec) {
            Err(EncodeError::TooLong { len, max: m, ec: e }) => {
                assert_eq!((len, m, e), (max + 1, max, ec));
            }
            other => panic!("expected TooLong, got {other:?}"),
        }
    }
    assert!(matches!(
        QrCode::encode(&"A".repeat(100_000), EcLevel::L),
        Err(EncodeError::TooLong {
            len: 100_000,
            max: 4296,
            ..
        })
    ));
}

/// Decodes the module matrix directly (no image) with rqrr and checks the
/// text, version and error correction level.
fn check_matrix(qr: &QrCode, text: &str) {
    let grid = rqrr::Grid::new(rqrr::SimpleGrid::from_func(qr.size(), |x, y| {
        qr.is_dark(x, y)
    }));
    let (meta, decoded) = grid.decode().unwrap();
    assert_eq!(decoded, text);
    assert_eq!(meta.version.0, usize::from(qr.version()));
    // Format-information bits: M = 0, L = 1, H = 2, Q = 3.
    let ecc_bits = match qr.ec_level() {
        EcLevel::M => 0,
        EcLevel::L => 1,
        EcLevel::H => 2,
        EcLevel::Q => 3,
    };
    assert_eq!(meta.ecc_level, ecc_bits);
}

fn check_lengths(lengths: impl Fn(usize) -> Vec<usize>) {
    for ec in EcLevel::ALL {
        let mut prev = 0;
        for len in lengths(ec.max_alphanumeric_len()) {
            let text = hc1_like(len);
            let qr = QrCode::encode(&text, ec).unwrap();
            assert!(qr.version() >= prev, "version must not shrink with length");
            prev = qr.version();
            check_matrix(&qr, &text);
        }
    }
}

#[test]
fn sampled_lengths_decode() {
    check_lengths(|max| {
        (0..=12)
            .chain((13..max).step_by(173))
            .chain([max - 1, max])
            .collect()
    });
}

/// Every length at every level (slow in debug builds: run with --release).
#[test]
#[ignore]
fn all_lengths_decode() {
    check_lengths(|max| (0..=max).collect());
}

#[test]
fn empty_text_encodes() {
    let qr = QrCode::encode("", EcLevel::Q).unwrap();
    assert_eq!(qr.version(), 1);
}

#[test]
fn invalid_characters_rejected() {
    assert_eq!(
        QrCode::encode("hc1:ABC", EcLevel::Q),
        Err(EncodeError::InvalidCharacter { ch: 'h', index: 0 })
    );
    assert_eq!(
        QrCode::encode("HC1:ABc", EcLevel::Q),
        Err(EncodeError::InvalidCharacter { ch: 'c', index: 6 })
    );
    for bad in [
        "HC1:A?B",
        "HC1:A=B",
        "HC1:\u{e9}",
        "HC1:\n",
        "HC1:A_B",
        "HC1:\0",
    ] {
        assert!(
            matches!(
                QrCode::encode(bad, EcLevel::M),
                Err(EncodeError::InvalidCharacter { .. })
            ),
            "{bad:?}"
        );
    }
    // Every character of the set is accepted.
    let all = std::str::from_utf8(ALPHANUMERIC).unwrap();
    let qr = QrCode::encode(all, EcLevel::H).unwrap();
    let png = qr.to_png(&RenderOptions::default()).unwrap();
    assert_eq!(read_image(&png).unwrap(), all);
}

#[test]
fn invalid_render_options_rejected() {
    let qr = QrCode::encode("HC1:ABC", EcLevel::Q).unwrap();
    for scale in [0, MAX_SCALE + 1, u32::MAX] {
        assert_eq!(
            qr.to_png(&RenderOptions {
                scale,
                quiet_zone: 4
            }),
            Err(EncodeError::InvalidScale {
                scale,
                max: MAX_SCALE
            })
        );
    }
    assert_eq!(
        qr.to_png(&RenderOptions {
            scale: 1,
            quiet_zone: MAX_QUIET_ZONE + 1
        }),
        Err(EncodeError::InvalidQuietZone {
            quiet_zone: MAX_QUIET_ZONE + 1,
            max: MAX_QUIET_ZONE
        })
    );
    assert!(
        qr.to_png(&RenderOptions {
            scale: MAX_SCALE,
            quiet_zone: MAX_QUIET_ZONE
        })
        .is_ok()
    );
}

#[test]
fn png_header_and_pixels() {
    let qr = QrCode::encode(&hc1_like(120), EcLevel::M).unwrap();
    for (scale, quiet_zone) in [(1u32, 0u32), (3, 2), (4, 4), (5, 1)] {
        let png = qr.to_png(&RenderOptions { scale, quiet_zone }).unwrap();
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
        assert_eq!(&png[12..16], b"IHDR");
        let width = u32::from_be_bytes(png[16..20].try_into().unwrap());
        let height = u32::from_be_bytes(png[20..24].try_into().unwrap());
        let expected = (qr.size() as u32 + 2 * quiet_zone) * scale;
        assert_eq!((width, height), (expected, expected));
        assert_eq!(png[24], 1, "bit depth");
        assert_eq!(png[25], 0, "color type grayscale");

        // Every pixel matches its module.
        let img = image::load_from_memory(&png).unwrap().to_luma8();
        assert_eq!(img.dimensions(), (expected, expected));
        let (s, q) = (scale as usize, quiet_zone as usize);
        for (x, y, p) in img.enumerate_pixels() {
            let mx = (x as usize / s).wrapping_sub(q);
            let my = (y as usize / s).wrapping_sub(q);
            let want = if qr.is_dark(mx, my) { 0 } else { 255 };
            assert_eq!(
                p.0[0], want,
                "pixel ({x}, {y}) scale {scale} quiet {quiet_zone}"
            );
        }
    }
}

#[test]
fn svg_structure_and_modules() {
    let qr = QrCode::encode(&hc1_like(200), EcLevel::Q).unwrap();
    let opts = RenderOptions {
        scale: 6,
        quiet_zone: 4,
    };
    let svg = qr.to_svg(&opts);
    let n = qr.size() + 8;
    assert!(svg.contains(&format!("viewBox=\"0 0 {n} {n}\"")));
    assert!(svg.contains(&format!("width=\"{}\" height=\"{}\"", n * 6, n * 6)));
    assert!(svg.contains("shape-rendering=\"crispEdges\""));
    assert!(svg.contains("<rect"));
    assert_eq!(svg.matches("<path").count(), 1);

    // Replay the runs and compare with the module matrix.
    let start = svg.find(" d=\"").unwrap() + 4;
    let end = start + svg[start..].find('"').unwrap();
    let mut dark = vec![false; n * n];
    for run in svg[start..end].split('M').filter(|r| !r.is_empty()) {
        let (x, rest) = run.split_once(' ').unwrap();
        let (y, rest) = rest.split_once('h').unwrap();
        let (len, rest) = rest.split_once('v').unwrap();
        assert_eq!(rest, format!("1h-{len}z"));
        let (x, y, len): (usize, usize, usize) =
            (x.parse().unwrap(), y.parse().unwrap(), len.parse().unwrap());
        for i in x..x + len {
            assert!(!dark[y * n + i], "overlapping runs");
            dark[y * n + i] = true;
        }
    }
    for y in 0..n {
        for x in 0..n {
            let want = qr.is_dark(x.wrapping_sub(4), y.wrapping_sub(4));
            assert_eq!(dark[y * n + x], want, "module ({x}, {y})");
        }
    }
}

#[test]
fn is_dark_out_of_range_is_light() {
    let qr = QrCode::encode("HC1:ABC", EcLevel::Q).unwrap();
    assert!(qr.is_dark(0, 0), "finder pattern corner is dark");
    assert!(!qr.is_dark(qr.size(), 0));
    assert!(!qr.is_dark(0, qr.size()));
    assert!(!qr.is_dark(usize::MAX, usize::MAX));
}

#[test]
fn read_garbage_and_empty() {
    assert_eq!(read_image(&[]), Err(DecodeError::UnsupportedImageFormat));
    assert_eq!(
        read_image(b"HC1:NOT AN IMAGE"),
        Err(DecodeError::UnsupportedImageFormat)
    );
    assert_eq!(
        read_image(b"GIF89a\x01\x00\x01\x00"),
        Err(DecodeError::UnsupportedImageFormat)
    );
    assert!(matches!(
        read_image(b"\x89PNG\r\n\x1a\n"),
        Err(DecodeError::Image(_))
    ));
    assert!(matches!(
        read_image(b"\x89PNG\r\n\x1a\ngarbage"),
        Err(DecodeError::Image(_))
    ));
    let jpeg = read_image(&[0xFF, 0xD8, 0xFF, 0, 1, 2]);
    if cfg!(feature = "jpeg") {
        assert!(matches!(jpeg, Err(DecodeError::Image(_))), "{jpeg:?}");
    } else {
        assert_eq!(jpeg, Err(DecodeError::JpegNotBuiltIn));
    }
}

#[test]
fn read_truncated_png_is_image_error() {
    let qr = QrCode::encode(&hc1_like(300), EcLevel::Q).unwrap();
    let png = qr.to_png(&RenderOptions::default()).unwrap();
    let err = read_image(&png[..png.len() / 2]).unwrap_err();
    assert!(matches!(err, DecodeError::Image(_)), "{err:?}");
    // The PNG decoder's own error is the source; the message is built from it.
    let source = std::error::Error::source(&err).unwrap();
    assert_eq!(err.to_string(), format!("could not decode image: {source}"));
    assert_eq!(err.clone(), err);
}

#[test]
fn read_white_png_has_no_qr() {
    let (w, h) = (200u32, 150u32);
    let mut out = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut out, w, h);
        enc.set_color(png::ColorType::Grayscale);
        enc.set_depth(png::BitDepth::Eight);
        let mut writer = enc.write_header().unwrap();
        writer
            .write_image_data(&vec![255u8; (w * h) as usize])
            .unwrap();
        writer.finish().unwrap();
    }
    assert_eq!(read_image(&out), Err(DecodeError::NoQrCode));
    // A tiny image cannot hold a QR code either.
    let tiny = encode_png_gray(&image::GrayImage::from_pixel(5, 5, image::Luma([0])));
    assert_eq!(read_image(&tiny), Err(DecodeError::NoQrCode));
}

#[test]
fn read_noise_png_has_no_qr() {
    let mut state = 7u32;
    let img = image::GrayImage::from_fn(120, 120, |_, _| {
        state = state.wrapping_mul(1_103_515_245).wrapping_add(12_345);
        image::Luma([(state >> 24) as u8])
    });
    assert!(matches!(
        read_image(&encode_png_gray(&img)),
        Err(DecodeError::NoQrCode | DecodeError::Unreadable)
    ));
}

/// A PNG consisting of a signature, an IHDR chunk, an empty IDAT and IEND.
fn png_header_only(width: u32, height: u32) -> Vec<u8> {
    fn crc32(data: &[u8]) -> u32 {
        let mut crc = !0u32;
        for &b in data {
            crc ^= u32::from(b);
            for _ in 0..8 {
                crc = if crc & 1 != 0 {
                    (crc >> 1) ^ 0xEDB8_8320
                } else {
                    crc >> 1
                };
            }
        }
        !crc
    }
    fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        let start = out.len();
        out.extend_from_slice(kind);
        out.extend_from_slice(data);
        let crc = crc32(&out[start..]);
        out.extend_from_slice(&crc.to_be_bytes());
    }
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&width.to_be_bytes());
    ihdr.extend_from_slice(&height.to_be_bytes());
    ihdr.extend_from_slice(&[8, 0, 0, 0, 0]); // 8-bit grayscale
    chunk(&mut out, b"IHDR", &ihdr);
    chunk(&mut out, b"IDAT", &[]);
    chunk(&mut out, b"IEND", &[]);
    out
}

#[test]
fn read_huge_dimensions_rejected_before_decoding() {
    for (w, h) in [
        (100_000, 100_000),
        (8001, 10),
        (10, 8001),
        (8000, 8001),
        (8000, 8000),
    ] {
        let res = read_image(&png_header_only(w, h));
        if u64::from(w) * u64::from(h) > dcc_qr::MAX_IMAGE_PIXELS || w.max(h) > 8000 {
            assert!(
                matches!(res, Err(DecodeError::TooLarge { width, height, .. }) if (width, height) == (w, h)),
                "{w}x{h}: {res:?}"
            );
        } else {
            // Within limits: fails later because there is no pixel data.
            assert!(
                matches!(res, Err(DecodeError::Image(_))),
                "{w}x{h}: {res:?}"
            );
        }
    }
}

#[test]
fn read_decompression_bomb_rejected() {
    // 9000 x 9000 1-bit PNG (81 megapixels) that compresses to a few kB.
    let side = 9_000u32;
    let mut out = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut out, side, side);
        enc.set_color(png::ColorType::Grayscale);
        enc.set_depth(png::BitDepth::One);
        enc.set_compression(png::Compression::Fast);
        let mut writer = enc.write_header().unwrap();
        let row = vec![0xFFu8; (side as usize).div_ceil(8)];
        let mut stream = writer.stream_writer().unwrap();
        for _ in 0..side {
            std::io::Write::write_all(&mut stream, &row).unwrap();
        }
        stream.finish().unwrap();
    }
    assert!(out.len() < 10_000_000);
    assert!(matches!(
        read_image(&out),
        Err(DecodeError::TooLarge { .. })
    ));
}

#[test]
fn read_corrupted_code_is_unreadable() {
    // Version 1 has no alignment pattern: the bottom-right 12x12 block is data
    // only. Inverting it destroys far more codewords than ECC can correct
    // while leaving the finder and timing patterns intact.
    let qr = QrCode::encode("HC1:ABCDEFGHIJ", EcLevel::L).unwrap();
    assert_eq!(qr.version(), 1);
    let (scale, quiet) = (8usize, 4usize);
    let mut img = raster(&qr, scale, quiet, 0, 255);
    for (x, y, p) in img.enumerate_pixels_mut() {
        let mx = (x as usize / scale).wrapping_sub(quiet);
        let my = (y as usize / scale).wrapping_sub(quiet);
        if (9..21).contains(&mx) && (9..21).contains(&my) {
            p.0[0] = 255 - p.0[0];
        }
    }
    assert_eq!(
        read_image(&encode_png_gray(&img)),
        Err(DecodeError::Unreadable)
    );
}

#[test]
fn jpeg_round_trip() {
    let text = hc1_like(560);
    let qr = QrCode::encode(&text, EcLevel::Q).unwrap();
    let png = qr.to_png(&RenderOptions::default()).unwrap();
    let img = image::load_from_memory(&png).unwrap().to_luma8();
    let mut jpeg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 75)
        .encode_image(&img)
        .unwrap();
    assert_eq!(&jpeg[..3], &[0xFF, 0xD8, 0xFF]);
    if cfg!(feature = "jpeg") {
        assert_eq!(read_image(&jpeg).unwrap(), text);
    } else {
        // `cargo test -p dcc-qr --no-default-features`: the PNG-only build names the gap.
        let err = read_image(&jpeg).unwrap_err();
        assert_eq!(err, DecodeError::JpegNotBuiltIn);
        assert!(err.to_string().contains("PNG images only"), "{err}");
    }
}

#[test]
fn transparent_background_round_trip() {
    // Black modules on a fully transparent background.
    let text = hc1_like(400);
    let qr = QrCode::encode(&text, EcLevel::Q).unwrap();
    let gray = raster(&qr, 4, 4, 0, 255);
    let rgba = image::RgbaImage::from_fn(gray.width(), gray.height(), |x, y| {
        if gray.get_pixel(x, y).0[0] == 0 {
            image::Rgba([0, 0, 0, 255])
        } else {
            image::Rgba([0, 0, 0, 0])
        }
    });
    let mut out = Vec::new();
    rgba.write_to(&mut Cursor::new(&mut out), image::ImageFormat::Png)
        .unwrap();
    assert_eq!(read_image(&out).unwrap(), text);
}

#[test]
fn inverted_and_low_contrast_round_trip() {
    let text = hc1_like(300);
    let qr = QrCode::encode(&text, EcLevel::Q).unwrap();
    // Light modules on a dark background.
    let inverted = raster(&qr, 4, 4, 255, 0);
    assert_eq!(read_image(&encode_png_gray(&inverted)).unwrap(), text);
    // Gray on gray.
    let faded = raster(&qr, 4, 4, 100, 160);
    assert_eq!(read_image(&encode_png_gray(&faded)).unwrap(), text);
}

#[test]
fn large_image_round_trip() {
    // 40 pixels per module: a large image that the reader downscales.
    let text = hc1_like(560);
    let qr = QrCode::encode(&text, EcLevel::Q).unwrap();
    let png = qr
        .to_png(&RenderOptions {
            scale: 20,
            quiet_zone: 4,
        })
        .unwrap();
    assert_eq!(read_image(&png).unwrap(), text);
}

#[test]
fn mutated_inputs_do_not_panic() {
    let qr = QrCode::encode(&hc1_like(100), EcLevel::Q).unwrap();
    let png = qr
        .to_png(&RenderOptions {
            scale: 2,
            quiet_zone: 4,
        })
        .unwrap();
    let img = image::load_from_memory(&png).unwrap().to_luma8();
    let mut jpeg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 60)
        .encode_image(&img)
        .unwrap();
    let mut state = 99u32;
    let mut next = move || {
        state = state.wrapping_mul(1_103_515_245).wrapping_add(12_345);
        (state >> 8) as usize
    };
    for original in [&png, &jpeg] {
        for cut in (0..original.len()).step_by(original.len() / 16 + 1) {
            let _ = read_image(&original[..cut]);
        }
        for _ in 0..40 {
            let mut bytes = original.clone();
            for _ in 0..1 + next() % 4 {
                let i = 8 + next() % (bytes.len() - 8);
                bytes[i] = (next() & 0xFF) as u8;
            }
            let _ = read_image(&bytes);
        }
    }
}

#[test]
fn errors_display() {
    let e = QrCode::encode("hc1:", EcLevel::Q).unwrap_err();
    assert!(e.to_string().contains("'h'"), "{e}");
    let e = QrCode::encode(&hc1_like(3000), EcLevel::Q).unwrap_err();
    assert!(e.to_string().contains("2420"), "{e}");
    assert!(DecodeError::NoQrCode.to_string().contains("no QR code"));
}

/// rqrr's detector on binary noise (vendor/rqrr: the work budget): without the budget a
/// 1400 x 1400 image of noise cost about 2.5 units of repainting per pixel in the finder scan
/// and then a few hundred million spiral steps and region lookups while testing bogus groups;
/// with it the detector stops at the budget plus at most one image copy, and the reader
/// refuses the image with the ordinary "no QR code" error.
#[test]
fn the_detector_on_noise_stops_at_its_work_budget() {
    let (w, h) = (1400usize, 1400usize);
    let mut state = 0x2545_f491_4f6c_dd1du64;
    let noise: Vec<bool> = (0..w * h)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state & 1 == 1
        })
        .collect();
    let mut img = rqrr::PreparedImage::prepare_from_bitmap(w, h, |x, y| noise[y * w + x]);
    let budget = 16 * (w * h) as u64;
    img.set_work_budget(budget);
    assert_eq!(img.detect_grids().len(), 0);
    let done = img.work_done();
    assert!(
        done <= budget + 2 * (w * h) as u64,
        "work {done} for a budget of {budget}"
    );
    // The same image as a PNG through the reader: refused, typed.
    let mut png = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut png, w as u32, h as u32);
        enc.set_color(png::ColorType::Grayscale);
        enc.set_depth(png::BitDepth::Eight);
        let mut writer = enc.write_header().unwrap();
        let px: Vec<u8> = noise.iter().map(|&d| if d { 0 } else { 255 }).collect();
        writer.write_image_data(&px).unwrap();
    }
    assert!(matches!(
        dcc_qr::read_image(&png),
        Err(dcc_qr::DecodeError::NoQrCode | dcc_qr::DecodeError::Unreadable)
    ));
}
