//! The reader's robustness corpus (issue #15): 415 images generated from five real
//! certificates (`tests/corpus/mod.rs`) in nine classes of what phones, screenshots and
//! scanners produce. At least 99 % of all images and 95 % of every class must read, and
//! every text read must be the certificate's exactly.

// clippy.toml only allows these inside `#[test]` functions, not in helpers.
#![allow(clippy::unwrap_used, clippy::panic)]

mod corpus;

use dcc_qr::{DecodeError, read_image};

#[test]
fn robustness_corpus_read_rates() {
    let samples = corpus::generate();
    // The corpus is what it claims: 415 images under distinct names, every class made from
    // all five certificates.
    assert_eq!(samples.len(), 415);
    let names: std::collections::BTreeSet<&str> = samples.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names.len(), samples.len(), "duplicate sample names");
    for class in corpus::CLASSES {
        let texts: std::collections::BTreeSet<&str> = samples
            .iter()
            .filter(|s| s.class == class)
            .map(|s| s.text)
            .collect();
        assert_eq!(texts.len(), corpus::CERTIFICATES.len(), "{class}");
    }
    let (mut total, mut total_read) = (0usize, 0usize);
    let mut report = String::new();
    let mut low = Vec::new();
    for class in corpus::CLASSES {
        let (mut n, mut read) = (0usize, 0usize);
        for s in samples.iter().filter(|s| s.class == class) {
            if s.ext == "jpg" && !cfg!(feature = "jpeg") {
                // The PNG-only build (WebAssembly) says so, and these images do not count.
                assert_eq!(read_image(&s.bytes), Err(DecodeError::JpegNotBuiltIn));
                continue;
            }
            n += 1;
            match read_image(&s.bytes) {
                Ok(text) => {
                    // A wrong text is never acceptable, whatever the rate.
                    assert_eq!(text, s.text, "{}: read a different text", s.name);
                    read += 1;
                }
                Err(DecodeError::NoQrCode | DecodeError::Unreadable) => {
                    report.push_str(&format!("  not read: {}\n", s.name));
                }
                Err(e) => panic!("{}: unexpected error {e}", s.name),
            }
        }
        if n == 0 && !cfg!(feature = "jpeg") {
            continue;
        }
        assert!(n > 0, "class {class} is empty");
        report.push_str(&format!(
            "{class:>14}: {read:>3} / {n:>3} ({:.1} %)\n",
            100.0 * read as f64 / n as f64
        ));
        if read * 100 < n * 95 {
            low.push(class);
        }
        total += n;
        total_read += read;
    }
    report.push_str(&format!(
        "{:>14}: {total_read:>3} / {total:>3} ({:.1} %)\n",
        "all",
        100.0 * total_read as f64 / total as f64
    ));
    println!("{report}");
    assert!(low.is_empty(), "classes below 95 %: {low:?}\n{report}");
    assert!(
        total_read * 100 >= total * 99,
        "below 99 % overall\n{report}"
    );
}
