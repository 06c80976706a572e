//! CertLogic: the 271 real business rules (tests/vectors/rules) against one payload
//! (examples/vaccination.json), as bare expressions (what certlogic-js's `evaluate` does; the
//! figure scripts/bench-certlogic.sh puts next to certlogic-js's) and as rules (version checks
//! and results included); and reading the rule file.
//!
//! `cargo bench -p dcc-benches --bench certlogic` (add `-- --quick` for a short run).
#![allow(clippy::expect_used, missing_docs)] // benchmark harness

use std::collections::BTreeMap;
use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use dcc_certlogic::{External, RuleSet, evaluate, evaluate_rules};
use serde_json::{Value, json};

const RULES: &str = include_str!("../../tests/vectors/rules/covpass-eu-rules.json");
const PAYLOAD: &str = include_str!("../../examples/vaccination.json");
const VALUE_SETS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../crates/dcc-payload/data/valuesets"
);
/// 2021-12-01T12:00:00Z, as in the script's certlogic-js run.
const CLOCK: i64 = 1_638_360_000;

/// The value sets the payload crate ships: id -> codes (what verifier apps pass).
fn value_sets() -> BTreeMap<String, Vec<String>> {
    let mut sets = BTreeMap::new();
    for entry in std::fs::read_dir(VALUE_SETS).expect("value sets") {
        let path = entry.expect("entry").path();
        if path.extension().is_none_or(|x| x != "json") {
            continue;
        }
        let v: Value = serde_json::from_slice(&std::fs::read(&path).expect("read")).expect("json");
        let codes = v["valueSetValues"]
            .as_object()
            .expect("values")
            .keys()
            .cloned()
            .collect();
        sets.insert(v["valueSetId"].as_str().expect("id").to_owned(), codes);
    }
    sets
}

fn certlogic(c: &mut Criterion) {
    let rules = RuleSet::from_json(RULES.as_bytes()).expect("rules");
    let payload: Value = serde_json::from_str(PAYLOAD).expect("payload");
    let external = External {
        value_sets: value_sets(),
        issuer_country_code: "AT".into(),
        ..External::new(CLOCK, "DE")
    };
    let data = json!({"payload": payload, "external": external.to_json()});
    let n = rules.len() as u64;

    let mut g = c.benchmark_group("certlogic");
    g.throughput(Throughput::Elements(n));
    g.bench_function("evaluate 271 rules", |b| {
        b.iter(|| {
            for rule in rules.rules() {
                let _ = black_box(evaluate(black_box(&rule.logic), black_box(&data)));
            }
        })
    });
    g.bench_function("evaluate_rules 271 rules", |b| {
        b.iter(|| evaluate_rules(rules.rules(), black_box(&payload), &external))
    });
    g.bench_function("read 271 rules", |b| {
        b.iter(|| RuleSet::from_json(black_box(RULES.as_bytes())).expect("rules"))
    });
    g.finish();
}

criterion_group!(benches, certlogic);
criterion_main!(benches);
