//! The encoder against established encoders: the same version, mask and matrix as `qrcodegen`
//! (whose mask penalty follows ISO/IEC 18004), and the same matrix as `fast_qr` when `fast_qr`
//! is given the same mask; every code read back by our reader and by zbar.
//!
//! `DCC_QR_ENCODER_CASES` sets the number of random HC1 strings (default 10,000, the
//! acceptance figure of issue #15).
// clippy.toml only allows these inside `#[test]` functions, not in helpers.
#![allow(clippy::expect_used, clippy::panic)]

use std::process::Command;

use dcc_qr::{EcLevel, EncodeError, QrCode, RenderOptions, read_image};

const ALPHABET: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";

/// xorshift64: a seeded generator, enough for test data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// `len` characters: "HC1:" and random Base45 alphabet text (all of `len` random if < 4).
    fn hc1(&mut self, len: usize) -> String {
        let mut s = String::with_capacity(len);
        if len >= 4 {
            s.push_str("HC1:");
        }
        while s.len() < len {
            s.push(char::from(ALPHABET[self.below(ALPHABET.len())]));
        }
        s
    }
}

fn cases() -> usize {
    std::env::var("DCC_QR_ENCODER_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000)
}

fn qrcodegen_ecl(ec: EcLevel) -> qrcodegen::QrCodeEcc {
    match ec {
        EcLevel::L => qrcodegen::QrCodeEcc::Low,
        EcLevel::M => qrcodegen::QrCodeEcc::Medium,
        EcLevel::Q => qrcodegen::QrCodeEcc::Quartile,
        EcLevel::H => qrcodegen::QrCodeEcc::High,
    }
}

fn fast_qr_ecl(ec: EcLevel) -> fast_qr::ECL {
    match ec {
        EcLevel::L => fast_qr::ECL::L,
        EcLevel::M => fast_qr::ECL::M,
        EcLevel::Q => fast_qr::ECL::Q,
        EcLevel::H => fast_qr::ECL::H,
    }
}

fn fast_qr_mask(m: u8) -> fast_qr::Mask {
    use fast_qr::Mask as M;
    [
        M::Checkerboard,
        M::HorizontalLines,
        M::VerticalLines,
        M::DiagonalLines,
        M::LargeCheckerboard,
        M::Fields,
        M::Diamonds,
        M::Meadow,
    ][usize::from(m)]
}

/// Compares `text` at `ec` with qrcodegen and, with `with_fast_qr`, with fast_qr given our
/// mask; returns our code and whether fast_qr's own mask choice was the same as ours then
/// (reported, not required: see the README's Encoder section).
fn check(text: &str, ec: EcLevel, with_fast_qr: bool) -> (QrCode, bool) {
    let ours = QrCode::encode(text, ec).unwrap_or_else(|e| panic!("{text:?} {ec:?}: {e}"));
    let size = ours.size();

    // qrcodegen: version, mask and every module.
    let seg = qrcodegen::QrSegment::make_alphanumeric(text);
    let reference = qrcodegen::QrCode::encode_segments_advanced(
        &[seg],
        qrcodegen_ecl(ec),
        qrcodegen::Version::MIN,
        qrcodegen::Version::MAX,
        None,
        false,
    )
    .expect("qrcodegen");
    assert_eq!(
        ours.version(),
        reference.version().value(),
        "{text:?} {ec:?}: version"
    );
    assert_eq!(
        ours.mask(),
        reference.mask().value(),
        "{text:?} {ec:?}: mask"
    );
    assert_eq!(size, reference.size() as usize);
    for y in 0..size {
        for x in 0..size {
            assert_eq!(
                ours.is_dark(x, y),
                reference.get_module(x as i32, y as i32),
                "{text:?} {ec:?}: module ({x}, {y})"
            );
        }
    }

    if !with_fast_qr {
        return (ours, false);
    }
    // fast_qr with our mask: the same matrix.
    let fq = fast_qr::QRBuilder::new(text)
        .ecl(fast_qr_ecl(ec))
        .mode(fast_qr::Mode::Alphanumeric)
        .mask(fast_qr_mask(ours.mask()))
        .build()
        .expect("fast_qr");
    assert_eq!(fq.size, size, "{text:?} {ec:?}: fast_qr size");
    for y in 0..size {
        for x in 0..size {
            assert_eq!(
                ours.is_dark(x, y),
                fq.data[y * size + x].value(),
                "{text:?} {ec:?}: fast_qr module ({x}, {y})"
            );
        }
    }
    let auto = fast_qr::QRBuilder::new(text)
        .ecl(fast_qr_ecl(ec))
        .mode(fast_qr::Mode::Alphanumeric)
        .build()
        .expect("fast_qr");
    let same_mask = auto.mask.map(|m| m as u8) == Some(ours.mask());
    (ours, same_mask)
}

/// `qr` as a PNG of `scale` px per module with a quiet zone of 4 modules.
fn png_of(qr: &QrCode, scale: u32) -> Vec<u8> {
    qr.to_png(&RenderOptions {
        scale,
        quiet_zone: 4,
    })
    .unwrap_or_else(|e| panic!("png: {e}"))
}

/// Reads every PNG of `files` with zbar (one `zbarimg` process per chunk of files) and checks
/// that each gives its text.
fn zbar_reads_all(files: &[std::path::PathBuf], texts: &[String]) {
    for (chunk_files, chunk_texts) in files.chunks(500).zip(texts.chunks(500)) {
        let out = Command::new("zbarimg")
            .args(["--raw", "-q", "-Sdisable", "-Sqrcode.enable"])
            .args(chunk_files)
            .output()
            .expect("zbarimg is missing: install it with scripts/bootstrap.sh pdf");
        let stdout = String::from_utf8_lossy(&out.stdout);
        let read: Vec<&str> = stdout.lines().collect();
        // zbarimg prints one line per code read, in file order, and fails if one was unread.
        for (i, text) in chunk_texts.iter().enumerate() {
            assert_eq!(
                read.get(i).copied(),
                Some(text.as_str()),
                "zbar on {}",
                chunk_files[i].display()
            );
        }
        assert_eq!(read.len(), chunk_texts.len());
        assert!(out.status.success(), "zbarimg failed");
    }
}

#[test]
fn random_hc1_strings_match_reference_encoders() {
    let n = cases();
    let dir = std::env::temp_dir().join(format!("dcc-qr-encoder-all-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let mut rng = Rng(0x00C0_FFEE_D15E_A5E5);
    let mut fast_qr_same_mask = 0usize;
    let mut fast_qr_sampled = 0usize;
    let mut texts = Vec::new();
    let mut files = Vec::new();
    for i in 0..n {
        let len = 150 + rng.below(551);
        let text = rng.hc1(len);
        // fast_qr (a slower encoder) on every 10th string, at all four levels.
        let sampled = i % 10 == 0;
        let levels: &[EcLevel] = if sampled {
            &EcLevel::ALL
        } else {
            &[EcLevel::Q]
        };
        for &ec in levels {
            let (qr, same_mask) = check(&text, ec, sampled);
            fast_qr_same_mask += usize::from(same_mask);
            fast_qr_sampled += usize::from(sampled);
            // Every matrix is read back: by our reader here, by zbar below (2 px per module).
            let png = png_of(&qr, 2);
            assert_eq!(
                read_image(&png).expect("read back"),
                text,
                "our reader, {ec:?}"
            );
            let path = dir.join(format!("{:05}.png", files.len()));
            std::fs::write(&path, png).expect("write");
            files.push(path);
            texts.push(text.clone());
        }
    }
    zbar_reads_all(&files, &texts);
    eprintln!(
        "{} codes identical to qrcodegen and read back by our reader and by zbar; \
         {fast_qr_sampled} identical to fast_qr given the same mask, of which fast_qr chose the \
         same mask itself for {fast_qr_same_mask}",
        files.len()
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn short_texts_and_version_boundaries_match_reference_encoders() {
    let mut rng = Rng(0x5EED_0000_0000_0015);
    for len in 1..=30 {
        let text = rng.hc1(len);
        for ec in EcLevel::ALL {
            check(&text, ec, true);
        }
    }
    // For every level and version the longest text that still fits, and one more character.
    for ec in EcLevel::ALL {
        let max = ec.max_alphanumeric_len();
        let mut lo = 1;
        for v in 1..=40u8 {
            // The longest length whose version is <= v, by bisection on our encoder.
            let (mut a, mut b) = (lo, max);
            while a < b {
                let mid = (a + b).div_ceil(2);
                let ver = QrCode::encode(&"A".repeat(mid), ec)
                    .expect("fits")
                    .version();
                if ver <= v { a = mid } else { b = mid - 1 }
            }
            let text = rng.hc1(a);
            check(&text, ec, true);
            assert_eq!(QrCode::encode(&text, ec).expect("fits").version(), v);
            if a < max {
                let longer = rng.hc1(a + 1);
                check(&longer, ec, true);
                assert_eq!(QrCode::encode(&longer, ec).expect("fits").version(), v + 1);
            }
            lo = a;
        }
        assert_eq!(lo, max, "{ec:?}: version 40 holds {max} characters");
        assert!(matches!(
            QrCode::encode(&rng.hc1(max + 1), ec),
            Err(EncodeError::TooLong { .. })
        ));
    }
}

#[test]
fn zbar_reads_a_sample() {
    let dir = std::env::temp_dir().join(format!("dcc-qr-encoder-zbar-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let mut rng = Rng(0x2BA2_0000_0000_0015);
    let mut texts = Vec::new();
    let mut files = Vec::new();
    for i in 0..24usize {
        let ec = EcLevel::ALL[i % 4];
        // Realistic HC1 lengths, and a few long ones (up to version 40 at level L).
        let len = if i % 6 == 5 {
            1000 + rng.below(3000)
        } else {
            150 + rng.below(551)
        };
        let len = len.min(ec.max_alphanumeric_len());
        let text = rng.hc1(len);
        let png = png_of(&QrCode::encode(&text, ec).expect("encode"), 3);
        let path = dir.join(format!("{i:02}.png"));
        std::fs::write(&path, png).expect("write");
        texts.push(text);
        files.push(path);
    }
    zbar_reads_all(&files, &texts);
    let _ = std::fs::remove_dir_all(&dir);
}
