//! Loading signed trust lists: the German list (829 DSCs: one ECDSA check over 1.3 MB and 829
//! certificates parsed) and the Swiss key list (x5c chain of RSA-4096 and 131 bare keys).
//!
//! `cargo bench -p dcc-benches --bench trust_lists`
#![allow(clippy::expect_used, missing_docs)] // benchmark harness

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use dcc::{TrustList, TrustListOptions};

const DE: &[u8] = include_bytes!("../../tests/vectors/trustlists/de/dsc-list.txt");
const DE_KEY: &[u8] = include_bytes!("../../tests/vectors/trustlists/de/dsc-list-signing-key.pem");
const CH: &[u8] = include_bytes!("../../tests/vectors/trustlists/ch/CH-20210715at1944-updates.jwt");
const CH_ROOT: &[u8] = include_bytes!("../../tests/vectors/trustlists/ch/CH-root.crt");

fn trust_lists(c: &mut Criterion) {
    let mut g = c.benchmark_group("trust list");
    g.sample_size(20);
    g.bench_function("load German list (829 DSCs)", |b| {
        b.iter(|| {
            TrustList::load(
                black_box(DE),
                None,
                Some(DE_KEY),
                &TrustListOptions::default(),
            )
            .expect("German list")
        })
    });
    let at_2021 = TrustListOptions {
        at: dcc::parse_time("2021-07-16T00:00:00Z"),
        ..TrustListOptions::default()
    };
    g.bench_function("load Swiss key list (131 keys)", |b| {
        b.iter(|| {
            TrustList::load(black_box(CH), None, Some(CH_ROOT), &at_2021).expect("Swiss list")
        })
    });
    g.finish();
}

criterion_group!(benches, trust_lists);
criterion_main!(benches);
