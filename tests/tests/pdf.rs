//! Printable certificates checked with real PDF tools: poppler renders every page at 150 dpi,
//! the QR code on the rendered page reads back (our reader and zbar) to exactly the
//! certificate's `HC1:`; `pdffonts` shows every font embedded and subset; `pdftotext` finds the
//! holder's names in Latin, Cyrillic and Greek and the labels of the chosen language.
//!
//! The tools come from Debian's poppler-utils and zbar-tools (`scripts/bootstrap.sh` installs
//! them); a missing tool fails these tests rather than skipping them.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code

use std::path::{Path, PathBuf};
use std::process::Command;

use dcc::{Error, ErrorKind, IssueOptions, Issuer, PdfOptions};
use serde_json::Value;

fn repo_path(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(rel)
}

/// A fresh scratch folder under the target directory, kept after the run for inspection.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("pdf")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn run(tool: &str, args: &[&str]) -> String {
    let out = Command::new(tool).args(args).output().unwrap_or_else(|e| {
        panic!("{tool} could not run ({e}): install poppler-utils and zbar-tools (scripts/bootstrap.sh)")
    });
    assert!(
        out.status.success(),
        "{tool} {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("tool output is UTF-8")
}

/// An example payload with the holder's names replaced (standardised forms derived on issue).
fn payload(example: &str, family: &str, given: &str) -> String {
    let text = std::fs::read_to_string(repo_path(&format!("examples/{example}.json"))).unwrap();
    let mut v: Value = serde_json::from_str(&text).unwrap();
    v["nam"] = serde_json::json!({ "fn": family, "gn": given });
    v.to_string()
}

struct Printed {
    hc1: String,
    /// The standardised name as the certificate carries it (`FNT<<GNT`).
    standard: String,
    pdf: Vec<u8>,
    dir: PathBuf,
}

fn print(name: &str, example: &str, family: &str, given: &str, language: &str) -> Printed {
    let cert = Issuer::demo()
        .issue_json(&payload(example, family, given), &IssueOptions::default())
        .unwrap();
    let pdf = cert
        .to_pdf(&PdfOptions {
            language: language.into(),
        })
        .unwrap();
    let dir = scratch(name);
    std::fs::write(dir.join("cert.pdf"), &pdf).unwrap();
    let nam = &cert.dcc().nam;
    let standard = format!(
        "{}<<{}",
        nam.family_std.as_deref().unwrap_or_default(),
        nam.given_std.as_deref().unwrap_or_default()
    );
    Printed {
        hc1: cert.hc1().to_string(),
        standard,
        pdf,
        dir,
    }
}

/// Every check of the issue on one printed certificate; returns the extracted text.
fn check(p: &Printed) -> String {
    assert!(p.pdf.starts_with(b"%PDF-"), "not a PDF");
    let pdf = p.dir.join("cert.pdf");
    let pdf = pdf.to_str().unwrap();

    // One A4 page.
    let info = run("pdfinfo", &[pdf]);
    assert!(info.contains("Pages:           1"), "{info}");
    assert!(info.contains("595.276 x 841.89 pts (A4)"), "{info}");

    // Rendered at 150 dpi, the QR code reads back to exactly the HC1, with both readers.
    let prefix = p.dir.join("page");
    run(
        "pdftoppm",
        &[
            "-r",
            "150",
            "-png",
            "-singlefile",
            pdf,
            prefix.to_str().unwrap(),
        ],
    );
    let png_path = p.dir.join("page.png");
    let png = std::fs::read(&png_path).unwrap();
    assert_eq!(dcc::read_qr(&png).unwrap(), p.hc1, "our reader");
    let zbar = run("zbarimg", &["--raw", "-q", png_path.to_str().unwrap()]);
    assert_eq!(zbar.trim_end_matches('\n'), p.hc1, "zbar");

    // The QR code is vector graphics: the page has no image at all.
    let images = run("pdfimages", &["-list", pdf]);
    assert_eq!(images.lines().count(), 2, "images on the page:\n{images}");

    // Every font embedded, as a subset.
    let fonts = run("pdffonts", &[pdf]);
    let rows: Vec<&str> = fonts.lines().skip(2).collect();
    assert!(!rows.is_empty(), "no fonts: {fonts}");
    for row in rows {
        let cols: Vec<&str> = row.split_whitespace().collect();
        // name type [type] encoding emb sub uni object ID
        let n = cols.len();
        assert_eq!(cols[n - 5], "yes", "font not embedded: {row}");
        assert_eq!(cols[n - 4], "yes", "font not subset: {row}");
        assert_eq!(cols[n - 3], "yes", "font without a ToUnicode map: {row}");
    }

    let text = run("pdftotext", &["-enc", "UTF-8", pdf, "-"]);
    assert_contains(&text, &[&p.standard]);
    text
}

fn assert_contains(text: &str, needles: &[&str]) {
    for n in needles {
        assert!(
            text.contains(n),
            "{n:?} missing from the page text:\n{text}"
        );
    }
}

#[test]
fn vaccination_in_german_with_a_cyrillic_name() {
    let p = print("v-de", "vaccination", "Иванова", "Мария", "de");
    assert_eq!(p.standard, "IVANOVA<<MARIIA");
    let text = check(&p);
    assert_contains(
        &text,
        &[
            "Иванова",
            "Мария",
            "1998-02-26",
            "URN:UVCI:01:AT:10807843F94AEE0EE5093FBC254BD813#B",
            "EU Digital COVID Certificate",
            "Digitales COVID-Zertifikat der EU",
            "Vaccination certificate",
            "Impfzertifikat",
            // Value sets by their display names, with the code.
            "Comirnaty",
            "COVID-19",
        ],
    );
}

#[test]
fn vaccination_in_french_with_a_greek_name() {
    let p = print("v-fr", "vaccination", "Παπαδοπούλου", "Ελένη", "fr");
    let text = check(&p);
    assert_contains(
        &text,
        &[
            "Παπαδοπούλου",
            "Ελένη",
            "Certificat COVID numérique de l'UE",
            "Certificat de vaccination",
        ],
    );
}

#[test]
fn test_certificate_in_german_and_french() {
    for lang in ["de", "fr"] {
        let p = print(
            &format!("t-{lang}"),
            "test",
            "Παπαδόπουλος",
            "Γιώργος",
            lang,
        );
        let text = check(&p);
        assert_contains(&text, &["Παπαδόπουλος", "Γιώργος", "Test certificate"]);
        let local = if lang == "de" {
            "Testzertifikat"
        } else {
            "Certificat de test"
        };
        assert_contains(&text, &[local]);
    }
}

#[test]
fn recovery_certificate_in_german_and_french() {
    for lang in ["de", "fr"] {
        let p = print(
            &format!("r-{lang}"),
            "recovery",
            "Müller-Lüdenscheidt",
            "Zoë",
            lang,
        );
        assert_eq!(p.standard, "MUELLER<LUEDENSCHEIDT<<ZOE");
        let text = check(&p);
        assert_contains(
            &text,
            &["Müller-Lüdenscheidt", "Zoë", "Certificate of recovery"],
        );
        let local = if lang == "de" {
            "Genesenenzertifikat"
        } else {
            "Certificat de rétablissement"
        };
        assert_contains(&text, &[local]);
    }
}

#[test]
fn english_only_page_and_a_decoded_certificate_print_the_same_qr() {
    let p = print(
        "v-en",
        "vaccination",
        "Musterfrau-Gößinger",
        "Gabriele",
        "en",
    );
    check(&p);
    // A decoded certificate (a verifier reprinting) carries the same HC1 on its page.
    let decoded = dcc::decode(&p.hc1).unwrap();
    let pdf = decoded.to_pdf(&PdfOptions::default()).unwrap();
    let dir = scratch("decoded");
    std::fs::write(dir.join("cert.pdf"), &pdf).unwrap();
    let again = Printed {
        hc1: p.hc1.clone(),
        standard: p.standard.clone(),
        pdf,
        dir,
    };
    check(&again);
}

#[test]
fn unknown_language_is_an_options_error() {
    let cert = Issuer::demo()
        .issue_json(
            &std::fs::read_to_string(repo_path("examples/vaccination.json")).unwrap(),
            &IssueOptions::default(),
        )
        .unwrap();
    for bad in ["", "xx", "DE-de", "deu"] {
        let err: Error = cert
            .to_pdf(&PdfOptions {
                language: bad.into(),
            })
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidOptions, "{bad:?}: {err}");
    }
}
