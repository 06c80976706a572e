//! Criterion benchmarks of every stage of the pipeline, with the bare P-256 signatures (ring's,
//! which in-memory keys use by default, and p256's RFC 6979 one, which deterministic keys use)
//! and the bare verification measured in the same run as the floors.
//!
//! `cargo bench -p dcc-benches` (add `-- --quick` for a short run).
#![allow(clippy::expect_used, missing_docs)] // benchmark harness

use std::hint::black_box;
use std::sync::Arc;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use dcc::{
    Dcc, EcLevel, IssueOptions, Issuer, RenderOptions, Signer, SigningKey, Verifier,
    layers::{cose, encoding},
};
use p256::ecdsa::signature::{Signer as _, Verifier as _};

/// RFC 6979 A.2.5 P-256 private key.
const KEY: [u8; 32] = [
    0xC9, 0xAF, 0xA9, 0xD8, 0x45, 0xBA, 0x75, 0x16, 0x6B, 0x5C, 0x21, 0x57, 0x67, 0xB1, 0xD6, 0x93,
    0x4E, 0x50, 0xC3, 0xDB, 0x36, 0xE8, 0x9B, 0x12, 0x7B, 0x8A, 0x62, 0x2B, 0x12, 0x0F, 0x67, 0x21,
];

const PAYLOAD: &str = include_str!("../../examples/vaccination.json");
const IAT: i64 = 1_735_689_600; // 2025-01-01, inside the demo DSC's validity

struct Setup {
    raw: p256::ecdsa::SigningKey,
    issuer: Issuer,
    deterministic: Issuer,
    verifier: Verifier,
    dcc: Dcc,
    opts: IssueOptions,
}

fn setup() -> Setup {
    let raw = p256::ecdsa::SigningKey::from_bytes(&KEY.into()).expect("constant key");
    let key = SigningKey::from_p256(raw.clone());
    let mut params = cose::dsc::CertificateParams::dsc("XX", "bench");
    params.not_before = IAT - 86_400;
    params.not_after = IAT + 800 * 86_400;
    let dsc = cose::dsc::build_certificate(&params, &key.public_key_der(), &key).expect("dsc");
    let deterministic = Issuer::from_signer(
        Arc::new(SigningKey::from_p256(raw.clone()).deterministic()),
        dsc.clone(),
    )
    .expect("issuer");
    let issuer = Issuer::from_signer(Arc::new(key), dsc.clone()).expect("issuer");
    let verifier = Verifier::new([dsc]);
    let dcc = Dcc::from_json(PAYLOAD).expect("payload");
    let opts = IssueOptions {
        iss: Some("AT".into()),
        issued_at: Some(IAT),
        ..Default::default()
    };
    Setup {
        raw,
        issuer,
        deterministic,
        verifier,
        dcc,
        opts,
    }
}

fn pipeline(c: &mut Criterion) {
    let Setup {
        raw,
        issuer,
        deterministic,
        verifier,
        dcc,
        opts,
    } = setup();
    let ring_key = {
        let public = raw.verifying_key().to_sec1_point(false);
        ring::signature::EcdsaKeyPair::from_private_key_and_public_key(
            &ring::signature::ECDSA_P256_SHA256_FIXED_SIGNING,
            &raw.to_bytes(),
            public.as_bytes(),
            &ring::rand::SystemRandom::new(),
        )
        .expect("ring key")
    };
    let rng = ring::rand::SystemRandom::new();
    let cert = issuer.issue(&dcc, &opts).expect("issue");
    let prepared = issuer.prepare(&dcc, &opts).expect("prepare");
    let tbs = prepared.tbs().to_vec();
    let sig: p256::ecdsa::Signature = raw.sign(&tbs);
    let vk = *raw.verifying_key();
    let hc1 = cert.hc1().to_string();
    let png = cert.to_png(4).expect("png");
    let key = SigningKey::from_p256(raw.clone());

    let mut g = c.benchmark_group("floor");
    g.throughput(Throughput::Bytes(tbs.len() as u64));
    g.bench_function("ring_sign", |b| {
        b.iter(|| ring_key.sign(&rng, black_box(&tbs)).expect("sign"))
    });
    g.bench_function("p256_sign", |b| {
        b.iter(|| -> p256::ecdsa::Signature { raw.sign(black_box(&tbs)) })
    });
    let point = vk.to_sec1_point(false);
    let ring_public = ring::signature::UnparsedPublicKey::new(
        &ring::signature::ECDSA_P256_SHA256_FIXED,
        point.as_bytes().to_vec(),
    );
    let raw_sig = sig.to_bytes();
    g.bench_function("ring_verify", |b| {
        b.iter(|| {
            ring_public
                .verify(black_box(&tbs), black_box(&raw_sig))
                .is_ok()
        })
    });
    g.bench_function("p256_verify", |b| {
        b.iter(|| vk.verify(black_box(&tbs), black_box(&sig)).is_ok())
    });
    g.finish();

    let mut g = c.benchmark_group("stage");
    let validator = dcc::Validator::default();
    let payload_json = dcc.to_value();
    g.bench_function("validate_for_issuing", |b| {
        b.iter(|| validator.prepare_for_issuing(black_box(&payload_json), IAT))
    });
    g.bench_function("validate_findings", |b| {
        b.iter(|| validator.findings(black_box(&payload_json), IAT))
    });
    g.bench_function("schema_only", |b| {
        b.iter(|| {
            dcc::layers::payload::validate::schema::issues(black_box(&payload_json), "1.3.0", true)
        })
    });
    g.bench_function("payload_cbor", |b| {
        b.iter(|| black_box(&dcc).to_cbor_vec().expect("cbor"))
    });
    g.bench_function("prepare_cwt_cose", |b| {
        b.iter(|| issuer.prepare(black_box(&dcc), &opts).expect("prepare"))
    });
    g.bench_function("cose_sign_es256", |b| {
        b.iter(|| cose::sign1::sign(&key, &[0u8; 8], black_box(&tbs)).expect("sign"))
    });
    g.bench_function("zlib_base45_prefix", |b| {
        b.iter(|| encoding::encode_hc1(black_box(cert.cose())).expect("hc1"))
    });
    g.bench_function("qr_matrix_q", |b| {
        b.iter(|| dcc::QrCode::encode(black_box(&hc1), EcLevel::Q).expect("qr"))
    });
    // The encoder dcc-qr used before issue #15, in the same run.
    g.bench_function("qr_matrix_q_fast_qr_baseline", |b| {
        b.iter(|| baseline::matrix(black_box(&hc1)))
    });
    let qr = dcc::QrCode::encode(&hc1, EcLevel::Q).expect("qr");
    g.bench_function("qr_png_render", |b| {
        b.iter(|| qr.to_png(&RenderOptions::default()).expect("png"))
    });
    let old_matrix = baseline::matrix(&hc1);
    g.bench_function("qr_png_render_baseline", |b| {
        b.iter(|| baseline::png(black_box(&old_matrix)))
    });
    g.bench_function("decode_hc1", |b| {
        b.iter(|| dcc::decode(black_box(&hc1)).expect("decode"))
    });
    g.finish();

    let mut g = c.benchmark_group("end_to_end");
    g.bench_function("payload_to_hc1", |b| {
        b.iter(|| issuer.issue(black_box(&dcc), &opts).expect("issue"))
    });
    g.bench_function("payload_to_hc1_rfc6979", |b| {
        b.iter(|| deterministic.issue(black_box(&dcc), &opts).expect("issue"))
    });
    g.bench_function("json_to_hc1", |b| {
        b.iter(|| issuer.issue_json(black_box(PAYLOAD), &opts).expect("issue"))
    });
    g.bench_function("hc1_to_png", |b| b.iter(|| cert.to_png(4).expect("png")));
    g.bench_function("hc1_to_png_fast_qr_baseline", |b| {
        b.iter(|| baseline::png(&baseline::matrix(black_box(&hc1))))
    });
    // Issuing a printable certificate through the facade: payload JSON value -> signed
    // certificate -> PNG (scale 4, level Q); the baseline signs the same way and then takes
    // the QR path dcc-qr had before issue #15 (fast_qr and the old PNG writer).
    g.bench_function("payload_to_png", |b| {
        b.iter(|| {
            issuer
                .issue_value(black_box(&payload_json), &opts)
                .expect("issue")
                .to_png(4)
                .expect("png")
        })
    });
    g.bench_function("payload_to_png_fast_qr_baseline", |b| {
        b.iter(|| {
            let cert = issuer
                .issue_value(black_box(&payload_json), &opts)
                .expect("issue");
            baseline::png(&baseline::matrix(cert.hc1()))
        })
    });
    g.bench_function("hc1_to_verified_payload", |b| {
        b.iter(|| {
            let v = verifier.verify(black_box(&hc1), IAT + 60).expect("verify");
            assert!(v.is_valid());
            v
        })
    });
    g.sample_size(20);
    g.bench_function("png_to_verified_payload", |b| {
        b.iter(|| {
            verifier
                .verify_image(black_box(&png), IAT + 60)
                .expect("verify")
        })
    });
    g.finish();

    // Revocation: the hashes of a certificate, and verifying against 10,000 revoked hashes
    // (10 gateway batches) plus a Bloom filter of 100,000, next to verifying without.
    let mut g = c.benchmark_group("revocation");
    g.bench_function("revocation_hashes", |b| {
        b.iter(|| black_box(&cert).revocation_hashes())
    });
    let revoking = {
        let mut list = dcc::RevocationList::new();
        for batch in 0..10u32 {
            let entries: Vec<String> = (0..1000u32)
                .map(|i| {
                    let mut h = [0u8; 16];
                    h[..4].copy_from_slice(&(batch * 1000 + i).to_be_bytes());
                    format!("{{\"hash\":\"{}\"}}", b64(&h))
                })
                .collect();
            let json = format!(
                "{{\"country\":\"AT\",\"expires\":\"2031-01-01T00:00:00Z\",\"kid\":\"UNKNOWN_KID\",\"hashType\":\"SIGNATURE\",\"entries\":[{}]}}",
                entries.join(",")
            );
            list.add_batches_json(&json, None).expect("batch");
        }
        let mut filter = dcc::BloomFilter::new(100_000, 1e-12).expect("filter");
        for i in 0..100_000u32 {
            filter.add(&i.to_le_bytes());
        }
        list.add_bloom_filter(&filter.to_bytes(), None, &[], None)
            .expect("filter");
        verifier.clone().with_revocation(list)
    };
    g.bench_function("hc1_to_verified_payload_with_revocation", |b| {
        b.iter(|| {
            let v = revoking.verify(black_box(&hc1), IAT + 60).expect("verify");
            assert!(v.is_valid());
            v
        })
    });
    g.finish();

    // Size budget: the example must fit a QR version <= 25 at level Q (test data: 11 to 25).
    assert!(dcc::QrCode::encode(&hc1, EcLevel::Q).expect("qr").version() <= 25);
    let _ = key.algorithm();
}

/// The QR path of dcc-qr before issue #15 (fast_qr, then a module-by-module 1-bit PNG with
/// `Compression::Fast`: fdeflate and the adaptive filter), kept as the same-run baseline.
mod baseline {
    /// The symbol: side length and row-major modules (`true` = dark).
    pub fn matrix(text: &str) -> (usize, Vec<bool>) {
        let qr = fast_qr::QRBuilder::new(text)
            .ecl(fast_qr::ECL::Q)
            .mode(fast_qr::Mode::Alphanumeric)
            .build()
            .expect("fast_qr");
        let size = qr.size;
        (
            size,
            qr.data[..size * size].iter().map(|m| m.value()).collect(),
        )
    }

    /// Scale 4, quiet zone 4, as `to_png` with the default options.
    pub fn png((size, modules): &(usize, Vec<bool>)) -> Vec<u8> {
        let (scale, quiet) = (4, 4);
        let px = (size + 2 * quiet) * scale;
        let row_bytes = px.div_ceil(8);
        let white_row = vec![0xFFu8; row_bytes];
        let mut data = Vec::with_capacity(row_bytes * px);
        for _ in 0..quiet * scale {
            data.extend_from_slice(&white_row);
        }
        let mut row = vec![0u8; row_bytes];
        for line in modules.chunks(*size) {
            row.copy_from_slice(&white_row);
            for (x, _) in line.iter().enumerate().filter(|(_, dark)| **dark) {
                let start = (quiet + x) * scale;
                for p in start..start + scale {
                    row[p / 8] &= !(0x80u8 >> (p % 8));
                }
            }
            for _ in 0..scale {
                data.extend_from_slice(&row);
            }
        }
        for _ in 0..quiet * scale {
            data.extend_from_slice(&white_row);
        }
        let side = u32::try_from(px).expect("side");
        let mut out = Vec::with_capacity(data.len() / 8 + 128);
        let mut encoder = png::Encoder::new(&mut out, side, side);
        encoder.set_color(png::ColorType::Grayscale);
        encoder.set_depth(png::BitDepth::One);
        encoder.set_compression(png::Compression::Fast);
        let mut writer = encoder.write_header().expect("png");
        writer.write_image_data(&data).expect("png");
        writer.finish().expect("png");
        out
    }
}

fn b64(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

criterion_group!(benches, pipeline);
criterion_main!(benches);
