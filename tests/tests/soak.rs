//! Soak: many certificates issued on every core through one shared issuer, each verified by one
//! shared verifier; the process's resident memory is sampled at 10k, 100k and 1M certificates
//! and must stay flat (no growth beyond allocator noise). Ignored in the normal test run: run
//! `bash scripts/soak.sh` (release build; DCC_SOAK_COUNT sets the size, default 1,000,000).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use dcc::{IssueOptions, Issuer, Verifier};

/// (current RSS, peak RSS) in KiB, from /proc/self/status.
fn rss_kib() -> (u64, u64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap_or(0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

#[test]
#[ignore = "long: bash scripts/soak.sh"]
fn a_million_certificates_through_one_shared_issuer_keep_memory_flat() {
    let total: usize = std::env::var("DCC_SOAK_COUNT")
        .ok()
        .and_then(|v| v.replace('_', "").parse().ok())
        .unwrap_or(1_000_000);
    let checkpoints: Vec<usize> = [10_000, 100_000, 1_000_000, total]
        .into_iter()
        .filter(|&c| c <= total)
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
    let issuer = Arc::new(Issuer::demo());
    let verifier = Arc::new(Verifier::demo());
    let payloads: Vec<serde_json::Value> = dcc_conformance::golden::examples()
        .into_iter()
        .map(|(_, p)| p)
        .collect();
    let opts = IssueOptions {
        uvci_issuer: Some("SOAK".into()),
        ..Default::default()
    };
    let next = AtomicUsize::new(0);
    let start = Instant::now();
    println!(
        "| certificates | seconds | certificates/s (issue + verify) | RSS MiB | peak RSS MiB |"
    );
    println!("|---|---|---|---|---|");
    let mut samples = Vec::new();
    for &checkpoint in &checkpoints {
        std::thread::scope(|s| {
            for _ in 0..threads {
                s.spawn(|| {
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        if i >= checkpoint {
                            break;
                        }
                        let mut p = payloads[i % payloads.len()].clone();
                        // A fresh identifier each time (the examples carry one).
                        let group = ["v", "t", "r"]
                            .into_iter()
                            .find(|g| p.get(*g).is_some())
                            .unwrap();
                        p[group][0].as_object_mut().unwrap().remove("ci");
                        let cert = issuer.issue_value(&p, &opts).unwrap();
                        let v = verifier.verify(cert.hc1(), dcc::now()).unwrap();
                        assert!(v.is_valid(), "{i}: {:?}", v.failures());
                    }
                });
            }
        });
        next.store(checkpoint, Ordering::Relaxed);
        let done = checkpoint;
        let secs = start.elapsed().as_secs_f64();
        let (rss, peak) = rss_kib();
        println!(
            "| {done} | {secs:.1} | {:.0} | {:.1} | {:.1} |",
            done as f64 / secs,
            rss as f64 / 1024.0,
            peak as f64 / 1024.0
        );
        samples.push((done, rss, peak));
    }
    println!("{threads} threads, one shared Issuer and Verifier");
    // Flat: from the first checkpoint on, the peak grows by at most 16 MiB (allocator noise,
    // per-thread caches), however many more certificates follow.
    let (_, _, first_peak) = samples[0];
    let (n, _, last_peak) = *samples.last().unwrap();
    assert!(
        last_peak <= first_peak + 16 * 1024,
        "peak RSS grew from {first_peak} KiB to {last_peak} KiB over {n} certificates"
    );
}
