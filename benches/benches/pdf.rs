//! Printable certificates: one A4 PDF (EU layout, vector QR code, subset fonts) from an issued
//! certificate, for each certificate type, and the PDF's size. Beside it, in the same run, the
//! PNG of the same certificate's QR code (scale 4): the baseline a printing pipeline had before.
//!
//! `cargo bench -p dcc-benches --bench pdf`
#![allow(clippy::expect_used, missing_docs)] // benchmark harness

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use dcc::{EcLevel, IssueOptions, Issuer, PdfOptions, RenderOptions};

fn pdf(c: &mut Criterion) {
    let issuer = Issuer::demo();
    let mut g = c.benchmark_group("pdf");
    g.sample_size(30);
    for kind in ["vaccination", "test", "recovery"] {
        let path = format!("{}/../examples/{kind}.json", env!("CARGO_MANIFEST_DIR"));
        let json = std::fs::read_to_string(path).expect("example payload");
        let cert = issuer
            .issue_json(&json, &IssueOptions::default())
            .expect("issue");
        for lang in ["de", "fr"] {
            let opts = PdfOptions {
                language: lang.into(),
            };
            let bytes = cert.to_pdf(&opts).expect("pdf");
            eprintln!("pdf size {kind} {lang}: {} bytes", bytes.len());
            g.bench_function(format!("to_pdf {kind} {lang}"), |b| {
                b.iter(|| black_box(&cert).to_pdf(&opts).expect("pdf"))
            });
        }
        if kind == "vaccination" {
            let render = RenderOptions::default();
            g.bench_function("baseline: to_png vaccination (EC Q, scale 4)", |b| {
                b.iter(|| {
                    black_box(&cert)
                        .qr(EcLevel::Q)
                        .expect("qr")
                        .to_png(&render)
                        .expect("png")
                })
            });
        }
    }
    g.finish();
}

criterion_group!(benches, pdf);
criterion_main!(benches);
