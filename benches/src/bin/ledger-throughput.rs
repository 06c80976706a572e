//! Certificates per second with and without an issuance ledger, measured in one run:
//! `ledger-throughput [COUNT] [POSTGRES_URL]` (`scripts/bench-ledger.sh` starts a server).
//!
//! Modes: `issue` one call per certificate on one thread (each record its own transaction),
//! and `issue_batch` of 500 on every core (one transaction per batch). Each of {no ledger,
//! SQLite file, PostgreSQL} runs three times, interleaved; the median is printed.

use std::sync::Arc;
use std::time::Instant;

use dcc::ledger::{Ledger, LedgerOptions};
use dcc::{IssueOptions, Issuer};

fn run(issuer: &Issuer, count: usize, batched: bool) -> f64 {
    let opts = IssueOptions {
        uvci_issuer: Some("BENCH".into()),
        ..Default::default()
    };
    let p = dcc_benches::payload_without_ci();
    let start = Instant::now();
    if batched {
        let texts: Vec<String> = (0..500).map(|_| p.to_string()).collect();
        let mut done = 0;
        while done < count {
            let n = 500.min(count - done);
            for r in issuer.issue_batch(&texts[..n], &opts) {
                r.unwrap_or_else(|e| unreachable!("issue: {e}"));
            }
            done += n;
        }
    } else {
        for _ in 0..count {
            issuer
                .issue_value(&p, &opts)
                .unwrap_or_else(|e| unreachable!("issue: {e}"));
        }
    }
    count as f64 / start.elapsed().as_secs_f64()
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let count: usize = args.first().and_then(|c| c.parse().ok()).unwrap_or(5000);
    let pg = args.get(1).cloned();
    let dir = std::env::temp_dir().join(format!("dcc-ledger-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| unreachable!("{e}"));
    let opts = LedgerOptions {
        operator: "bench".into(),
        include_personal_data: false,
    };
    let mut targets: Vec<(&str, Option<Arc<Ledger>>)> = vec![("no ledger", None)];
    let sqlite = dir.join("ledger.db");
    targets.push((
        "SQLite",
        Some(Arc::new(
            Ledger::open(sqlite.to_str().unwrap_or_default())
                .unwrap_or_else(|e| unreachable!("{e}")),
        )),
    ));
    if let Some(url) = &pg {
        targets.push((
            "PostgreSQL",
            Some(Arc::new(
                Ledger::open(url).unwrap_or_else(|e| unreachable!("{e}")),
            )),
        ));
    }
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    println!("{count} certificates per run, 3 runs interleaved, median; {cores} cores");
    println!(
        "| ledger | issue (1 thread, 1 transaction each) | issue_batch of 500 (all cores, 1 transaction per batch) |"
    );
    println!("|---|---|---|");
    let mut results: Vec<(Vec<f64>, Vec<f64>)> = vec![(Vec::new(), Vec::new()); targets.len()];
    for _ in 0..3 {
        for (i, (_, ledger)) in targets.iter().enumerate() {
            let issuer = match ledger {
                None => Issuer::demo(),
                Some(l) => Issuer::demo()
                    .with_ledger(l.clone(), opts.clone())
                    .unwrap_or_else(|e| unreachable!("{e}")),
            };
            results[i].0.push(run(&issuer, count, false));
            results[i].1.push(run(&issuer, count, true));
        }
    }
    let median = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    for (i, (name, _)) in targets.iter().enumerate() {
        let (mut single, mut batch) = results[i].clone();
        println!(
            "| {name} | {:.0} certificates/s | {:.0} certificates/s |",
            median(&mut single),
            median(&mut batch)
        );
    }
    for (_, ledger) in &targets {
        if let Some(l) = ledger {
            let report = l.verify().unwrap_or_else(|e| unreachable!("{e}"));
            assert!(report.valid, "{} chain broken", l.target());
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}
