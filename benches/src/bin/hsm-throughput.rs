//! Certificates per second signed in a PKCS#11 token (SoftHSM2) with 1 and 2 sessions, next to
//! the same issuing with the key in memory, in one run: `hsm-throughput URI [COUNT]` with the PIN
//! in DCC_PKCS11_PIN (`scripts/bench-hsm.sh` sets up a throwaway token). Each configuration runs
//! three times, interleaved; the median is printed.

use std::sync::Arc;
use std::time::Instant;

use dcc::pkcs11::{Pkcs11Options, Pkcs11Signer, generate_in_token};
use dcc::{Algorithm, IssueOptions, Issuer, KeyOptions};

/// Certificates per second issuing `count` certificates from `threads` threads.
fn run(issuer: &Issuer, count: usize, threads: usize) -> f64 {
    let opts = IssueOptions {
        uvci_issuer: Some("BENCH".into()),
        ..Default::default()
    };
    let start = Instant::now();
    std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| {
                let p = dcc_benches::payload_without_ci();
                for _ in 0..count / threads {
                    issuer
                        .issue_value(&p, &opts)
                        .unwrap_or_else(|e| unreachable!("issue: {e}"));
                }
            });
        }
    });
    count as f64 / start.elapsed().as_secs_f64()
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(base) = args.first() else {
        eprintln!("usage: hsm-throughput 'pkcs11:token=LABEL?module-path=...' [COUNT]");
        std::process::exit(2);
    };
    let count: usize = args.get(1).and_then(|c| c.parse().ok()).unwrap_or(4000);
    let fail = |e: dcc::Error| -> ! {
        eprintln!("hsm-throughput: {e}");
        std::process::exit(1)
    };
    let mut rows: Vec<(String, Issuer, usize)> = Vec::new();
    for alg in [Algorithm::Es256, Algorithm::Ps256] {
        let (path, query) = base.split_once('?').unwrap_or((base, ""));
        let uri = format!("{path};object=bench-{alg}-{}?{query}", std::process::id());
        let key = generate_in_token(&uri, &Pkcs11Options::default(), alg, &KeyOptions::default())
            .unwrap_or_else(|e| fail(e));
        let dsc = dcc::Dsc::parse(key.cert_pem.as_bytes()).unwrap_or_else(|e| fail(e.into()));
        if alg == Algorithm::Es256 {
            let mem = dcc::generate_key(&KeyOptions::default()).unwrap_or_else(|e| fail(e));
            let issuer = Issuer::from_pem(&mem.key_pem, &mem.cert_pem).unwrap_or_else(|e| fail(e));
            rows.push(("ES256, key in memory (ring)".into(), issuer, 0));
        }
        for sessions in [1, 2] {
            let opts = Pkcs11Options {
                max_sessions: sessions,
                ..Default::default()
            };
            let signer = Pkcs11Signer::open(&uri, &opts).unwrap_or_else(|e| fail(e.into()));
            let issuer =
                Issuer::from_signer(Arc::new(signer), dsc.clone()).unwrap_or_else(|e| fail(e));
            rows.push((
                format!("{alg}, SoftHSM2, at most {sessions} session(s)"),
                issuer,
                sessions,
            ));
        }
    }
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    println!("{count} certificates per run, 3 runs interleaved, median; {cores} cores");
    println!("| signer | 1 thread | 2 threads |");
    println!("|---|---|---|");
    let mut results = vec![(Vec::new(), Vec::new()); rows.len()];
    for _ in 0..3 {
        for (i, (_, issuer, _)) in rows.iter().enumerate() {
            results[i].0.push(run(issuer, count, 1));
            results[i].1.push(run(issuer, count, 2));
        }
    }
    let median = |mut v: Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    for (i, (name, _, _)) in rows.iter().enumerate() {
        let (one, two) = results[i].clone();
        println!(
            "| {name} | {:.0} certificates/s | {:.0} certificates/s |",
            median(one),
            median(two)
        );
    }
}
