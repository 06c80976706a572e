//! The issuance ledger on a real SQLite file and a real PostgreSQL server (started by
//! `scripts/postgres.sh`; the test command exports `DCC_TEST_POSTGRES_URL` and
//! `DCC_REQUIRE_POSTGRES=1`, so that a missing server fails instead of skipping).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code

use std::collections::BTreeSet;
use std::sync::Arc;

use dcc::ledger::{BreakKind, Ledger, LedgerOptions, LedgerQuery, LedgerRecord, batches_for};
use dcc::{CertType, HashType, IssueOptions, Issuer, RevocationList, Verifier};
use dcc_conformance::ledger_payload;

fn temp_path(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("dcc-ledger-tests-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    let _ = std::fs::remove_file(&path);
    path
}

fn opts(operator: &str) -> LedgerOptions {
    LedgerOptions {
        operator: operator.into(),
        include_personal_data: false,
    }
}

fn issuer_for(ledger: &Arc<Ledger>, operator: &str) -> Issuer {
    Issuer::demo()
        .with_ledger(ledger.clone(), opts(operator))
        .unwrap()
}

fn issue_opts(issued_at: i64) -> IssueOptions {
    IssueOptions {
        issued_at: Some(issued_at),
        uvci_issuer: Some("LEDGERTEST".into()),
        ..Default::default()
    }
}

const T0: i64 = 1_750_000_000; // 2025-06-15, inside the demo DSC's validity

/// Issues 4 certificates as A and 4 as B (alternating, one hour apart) and 3 more as B in a
/// batch; returns the UCIs per operator.
fn fill(ledger: &Arc<Ledger>) -> (Vec<String>, Vec<String>) {
    let a = issuer_for(ledger, "A");
    let b = issuer_for(ledger, "B");
    let (mut ucis_a, mut ucis_b) = (Vec::new(), Vec::new());
    let uci = |c: &dcc::Certificate| c.dcc().entry().unwrap().ci().to_string();
    for i in 0..4 {
        let c = a
            .issue_value(&ledger_payload(), &issue_opts(T0 + i * 7200))
            .unwrap();
        ucis_a.push(uci(&c));
        let c = b
            .issue_value(&ledger_payload(), &issue_opts(T0 + i * 7200 + 3600))
            .unwrap();
        ucis_b.push(uci(&c));
    }
    let payloads: Vec<String> = (0..3).map(|_| ledger_payload().to_string()).collect();
    let mut with_bad = payloads.clone();
    with_bad.insert(1, r#"{"ver":"1.3.0"}"#.to_string());
    let results = b.issue_batch(&with_bad, &issue_opts(T0 + 100_000));
    assert_eq!(results.iter().filter(|r| r.is_err()).count(), 1);
    for c in results.iter().flatten() {
        ucis_b.push(uci(c));
    }
    (ucis_a, ucis_b)
}

fn ucis(records: &[LedgerRecord]) -> Vec<String> {
    records.iter().map(|r| r.uci.clone()).collect()
}

/// Records, queries, exports and chain checks on a freshly filled ledger; then each kind of
/// tampering, on a fresh ledger each time (`fresh` gives a new target, `exec` runs SQL on it).
fn exercise(fresh: &dyn Fn(&str) -> String, exec: &dyn Fn(&str, &str)) {
    let target = fresh("main");
    let ledger = Arc::new(Ledger::open(&target).unwrap());
    let (ucis_a, ucis_b) = fill(&ledger);
    let all = ledger.records(&LedgerQuery::default()).unwrap();
    assert_eq!(all.len(), 11, "the invalid payload is not recorded");
    assert_eq!(
        all.iter().map(|r| r.seq).collect::<Vec<_>>(),
        (1..=11).collect::<Vec<_>>()
    );
    let report = ledger.verify().unwrap();
    assert!(report.valid, "{report:?}");
    assert_eq!(report.records, 11);
    assert_eq!(report.head.as_deref(), Some(all[10].record_hash.as_str()));

    // Queries.
    let by = |q: LedgerQuery| ucis(&ledger.records(&q).unwrap());
    assert_eq!(
        by(LedgerQuery {
            operator: Some("B".into()),
            ..Default::default()
        }),
        ucis_b
    );
    assert_eq!(
        by(LedgerQuery {
            operator: Some("A".into()),
            ..Default::default()
        }),
        ucis_a
    );
    assert_eq!(
        by(LedgerQuery {
            since: Some(T0 + 3600),
            until: Some(T0 + 7200 * 2),
            ..Default::default()
        }),
        vec![ucis_b[0].clone(), ucis_a[1].clone(), ucis_b[1].clone()]
    );
    assert_eq!(
        by(LedgerQuery {
            uci: Some(ucis_a[2].clone()),
            ..Default::default()
        }),
        vec![ucis_a[2].clone()]
    );
    let kid = Issuer::demo().signer().kid;
    assert_eq!(
        by(LedgerQuery {
            kid: Some(kid.clone()),
            certificate_type: Some(CertType::Vaccination),
            ..Default::default()
        })
        .len(),
        11
    );
    assert!(
        by(LedgerQuery {
            certificate_type: Some(CertType::Test),
            ..Default::default()
        })
        .is_empty()
    );
    // No personal data by default.
    assert!(all.iter().all(|r| r.personal_data.is_none()));
    let json = serde_json::to_string(&all).unwrap();
    assert!(!json.contains("Gabriele") && !json.contains("1998-02-26"));

    // Export: one operator's certificates, exactly.
    let batches = ledger
        .export(
            &LedgerQuery {
                operator: Some("B".into()),
                ..Default::default()
            },
            HashType::Uci,
        )
        .unwrap();
    assert_eq!(batches.len(), 1);
    assert_eq!(batches[0].kid, kid);
    let exported: BTreeSet<String> = batches[0].entries.iter().map(|e| e.hash.clone()).collect();
    let expected: BTreeSet<String> = all
        .iter()
        .filter(|r| r.operator == "B")
        .map(|r| r.hash_uci.clone().unwrap())
        .collect();
    assert_eq!(exported, expected);

    // Tampering: change, delete, swap.
    let cases: [(&str, &str, i64, BreakKind); 4] = [
        (
            "changed",
            "UPDATE dcc_ledger SET operator = 'C' WHERE seq = 3",
            3,
            BreakKind::Changed,
        ),
        (
            "expiry",
            "UPDATE dcc_ledger SET expires_at = expires_at + 1 WHERE seq = 6",
            6,
            BreakKind::Changed,
        ),
        (
            "deleted",
            "DELETE FROM dcc_ledger WHERE seq = 4",
            5,
            BreakKind::Deleted,
        ),
        (
            "swapped",
            "UPDATE dcc_ledger SET seq = -7 WHERE seq = 7; UPDATE dcc_ledger SET seq = 7 WHERE seq = 8; \
             UPDATE dcc_ledger SET seq = 8 WHERE seq = -7",
            7,
            BreakKind::Reordered,
        ),
    ];
    for (name, sql, seq, kind) in cases {
        let target = fresh(name);
        let ledger = Arc::new(Ledger::open(&target).unwrap());
        fill(&ledger);
        assert!(ledger.verify().unwrap().valid);
        exec(&target, sql);
        let report = ledger.verify().unwrap();
        assert!(!report.valid, "{name}");
        let b = report.first_break.unwrap();
        assert_eq!((b.seq, b.kind), (seq, kind), "{name}: {}", b.message);
    }
}

#[test]
fn sqlite_ledger_records_queries_exports_and_detects_tampering() {
    exercise(
        &|name| temp_path(&format!("{name}.db")).display().to_string(),
        &|target, sql| {
            rusqlite::Connection::open(target)
                .unwrap()
                .execute_batch(sql)
                .unwrap();
        },
    );
}

#[test]
fn personal_data_only_when_asked() {
    let ledger = Arc::new(Ledger::open(temp_path("personal.db").to_str().unwrap()).unwrap());
    let issuer = Issuer::demo()
        .with_ledger(
            ledger.clone(),
            LedgerOptions {
                operator: "P".into(),
                include_personal_data: true,
            },
        )
        .unwrap();
    issuer
        .issue_value(&ledger_payload(), &issue_opts(T0))
        .unwrap();
    let r = &ledger.records(&LedgerQuery::default()).unwrap()[0];
    let personal: serde_json::Value =
        serde_json::from_str(r.personal_data.as_ref().unwrap()).unwrap();
    assert_eq!(personal["dob"], "1998-02-26");
    assert_eq!(personal["nam"]["gn"], "Gabriele");
    assert!(ledger.verify().unwrap().valid);
    // An operator is required.
    let err = Issuer::demo().with_ledger(ledger, opts(" ")).unwrap_err();
    assert_eq!(err.kind(), dcc::ErrorKind::InvalidOptions);
}

#[test]
fn unusable_ledgers_give_ledger_failed() {
    let dir = temp_path("a-directory");
    std::fs::create_dir_all(&dir).unwrap();
    for target in [
        dir.display().to_string(),
        "/nonexistent-dir/x/ledger.db".to_string(),
        "postgres://nobody:s3cret@127.0.0.1:1/none".to_string(),
        String::new(),
    ] {
        let err = Ledger::open(&target).unwrap_err();
        assert_eq!(err.kind(), dcc::ErrorKind::LedgerFailed, "{target}: {err}");
        assert!(!err.to_string().contains("s3cret"), "{err}");
    }
    // A file that is not an SQLite database.
    let bogus = temp_path("bogus.db");
    std::fs::write(&bogus, vec![b'x'; 4096]).unwrap();
    let err = Ledger::open(bogus.to_str().unwrap()).unwrap_err();
    assert_eq!(err.kind(), dcc::ErrorKind::LedgerFailed, "{err}");
}

#[test]
fn batches_hold_at_most_1000_entries_and_the_latest_expiry() {
    let ledger = Arc::new(Ledger::open(temp_path("chunks.db").to_str().unwrap()).unwrap());
    let issuer = issuer_for(&ledger, "X");
    let payloads: Vec<String> = (0..2345).map(|_| ledger_payload().to_string()).collect();
    let mut o = issue_opts(T0);
    for (i, chunk) in payloads.chunks(500).enumerate() {
        o.validity = dcc::Validity::ForSeconds(86_400 * (10 + i as i64));
        assert!(issuer.issue_batch(chunk, &o).iter().all(Result::is_ok));
    }
    let records = ledger.records(&LedgerQuery::default()).unwrap();
    let batches = batches_for(&records, HashType::Signature);
    assert_eq!(
        batches.iter().map(|b| b.entries.len()).collect::<Vec<_>>(),
        vec![1000, 1000, 345]
    );
    let latest =
        |rs: &[LedgerRecord]| dcc::format_time(rs.iter().map(|r| r.expires_at).max().unwrap());
    assert_eq!(batches[0].expires, latest(&records[..1000]));
    assert_eq!(batches[2].expires, latest(&records[2000..]));
    assert_ne!(batches[0].expires, batches[2].expires);
    let dir = temp_path("chunk-batches");
    let files = dcc::ledger::write_batches(&batches, &dir).unwrap();
    assert_eq!(files.len(), 3);
    for f in files {
        dcc::RevocationBatch::from_json(&std::fs::read_to_string(f).unwrap()).unwrap();
    }
}

/// Issue 1,000 certificates as two operators, export operator B's as batches, verify all
/// 1,000 with those batches: exactly B's are revoked.
#[test]
fn end_to_end_revoke_exactly_one_operators_certificates() {
    let ledger = Arc::new(Ledger::open(temp_path("e2e.db").to_str().unwrap()).unwrap());
    let a = issuer_for(&ledger, "pharmacy-A");
    let b = issuer_for(&ledger, "pharmacy-B");
    let payloads: Vec<String> = (0..100).map(|_| ledger_payload().to_string()).collect();
    let mut certs = Vec::new();
    for round in 0..10 {
        let issuer = if round % 3 == 1 { &b } else { &a };
        let operator = if round % 3 == 1 { "B" } else { "A" };
        for c in issuer.issue_batch(&payloads, &issue_opts(dcc::now() - 60)) {
            certs.push((operator, c.unwrap()));
        }
    }
    assert_eq!(certs.len(), 1000);
    let dir = temp_path("e2e-batches");
    for t in HashType::ALL {
        let out = dir.join(t.name());
        let files = ledger
            .export_to_dir(
                &LedgerQuery {
                    operator: Some("pharmacy-B".into()),
                    ..Default::default()
                },
                t,
                &out,
            )
            .unwrap();
        let mut list = RevocationList::new();
        for f in &files {
            list.load(&std::fs::read(f).unwrap(), f.to_str()).unwrap();
        }
        let verifier = Verifier::demo().with_revocation(list);
        let now = dcc::now();
        let mut revoked = 0;
        for (operator, c) in &certs {
            let v = verifier.verify(c.hc1(), now).unwrap();
            assert_eq!(!v.is_valid(), *operator == "B", "{t}");
            if *operator == "B" {
                assert_eq!(v.revoked_by.as_ref().unwrap().hash_type, t);
                revoked += 1;
            }
        }
        assert_eq!(revoked, 300, "{t}");
    }
    assert!(ledger.verify().unwrap().valid);
}

fn postgres_url() -> Option<String> {
    match std::env::var("DCC_TEST_POSTGRES_URL") {
        Ok(url) if !url.is_empty() => Some(url),
        _ => {
            assert!(
                std::env::var_os("DCC_REQUIRE_POSTGRES").is_none(),
                "DCC_REQUIRE_POSTGRES is set but DCC_TEST_POSTGRES_URL is not"
            );
            eprintln!(
                "no DCC_TEST_POSTGRES_URL: PostgreSQL ledger tests not run (the test command starts a server)"
            );
            None
        }
    }
}

/// A fresh database on the test server, named `prefix_name`; returns its URL.
fn fresh_database(url: &str, prefix: &str, name: &str) -> String {
    let db = format!("{prefix}_{name}_{}", std::process::id());
    let mut admin = postgres::Client::connect(url, postgres::NoTls).unwrap();
    admin
        .batch_execute(&format!("DROP DATABASE IF EXISTS {db}"))
        .unwrap();
    admin
        .batch_execute(&format!("CREATE DATABASE {db}"))
        .unwrap();
    let base = &url[..url.rfind('/').unwrap()];
    format!("{base}/{db}")
}

#[test]
fn postgres_ledger_records_queries_exports_and_detects_tampering() {
    let Some(url) = postgres_url() else { return };
    exercise(&|name| fresh_database(&url, "t", name), &|target, sql| {
        postgres::Client::connect(target, postgres::NoTls)
            .unwrap()
            .batch_execute(sql)
            .unwrap();
    });
}

#[test]
fn two_processes_issuing_into_one_postgres_ledger_leave_one_valid_chain() {
    let Some(url) = postgres_url() else { return };
    let target = fresh_database(&url, "c", "concurrent");
    let per_process = 150;
    let spawn = |op: &str| {
        std::process::Command::new(env!("CARGO_BIN_EXE_ledger-writer"))
            .args([target.as_str(), op, &per_process.to_string()])
            .spawn()
            .unwrap()
    };
    let (mut one, mut two) = (spawn("P1"), spawn("P2"));
    assert!(one.wait().unwrap().success());
    assert!(two.wait().unwrap().success());
    let ledger = Ledger::open(&target).unwrap();
    let report = ledger.verify().unwrap();
    assert!(report.valid, "{report:?}");
    assert_eq!(report.records, 2 * per_process as u64);
    let records = ledger.records(&LedgerQuery::default()).unwrap();
    for op in ["P1", "P2"] {
        assert_eq!(
            records.iter().filter(|r| r.operator == op).count(),
            per_process
        );
    }
    // Interleaved, not one after the other (both ran at once).
    let switches = records
        .windows(2)
        .filter(|w| w[0].operator != w[1].operator)
        .count();
    eprintln!("operator switches along the chain: {switches}");
    let distinct: BTreeSet<&str> = records.iter().map(|r| r.uci.as_str()).collect();
    assert_eq!(distinct.len(), 2 * per_process);
}
