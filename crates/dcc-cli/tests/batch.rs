//! `dcc issue-batch` end to end: generated payloads of all three types with 1% invalid ones,
//! JSON Lines and CSV input, every output format against the facade, interrupted and resumed
//! runs, exit codes and progress output.
//!
//! The size of the generated batches comes from `DCC_BATCH_N` (default 2,000);
//! `scripts/batch-bench.sh` runs them with 100,000.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use dcc::{IssueOptions, Issuer, Validity, Verifier};
use serde_json::{Value, json};

fn dcc_cmd(args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_dcc"));
    cmd.args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    cmd
}

fn dcc(args: &[&str]) -> Output {
    dcc_cmd(args).output().unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn repo_path(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(rel)
}

fn batch_n() -> usize {
    std::env::var("DCC_BATCH_N")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(2_000)
}

/// A key and a self-signed DSC from `dcc keygen`, the issue time, and the facade issuer
/// that must give the same bytes as the command (RFC 6979 nonces).
struct Setup {
    dir: tempfile::TempDir,
    key: String,
    cert: String,
    at: i64,
    issued_at: String,
    issuer: Issuer,
    verifier: Verifier,
}

impl Setup {
    fn new() -> Setup {
        let dir = tempfile::tempdir().unwrap();
        let keys = dir.path().join("keys");
        let out = dcc(&[
            "keygen",
            "--out-dir",
            keys.to_str().unwrap(),
            "--country",
            "DE",
        ]);
        assert!(out.status.success(), "{}", text(&out.stderr));
        let key = keys.join("key.pem");
        let cert = keys.join("cert.pem");
        let cert_bytes = std::fs::read(&cert).unwrap();
        let issuer =
            Issuer::from_pem_deterministic(std::fs::read(&key).unwrap(), &cert_bytes).unwrap();
        let verifier = Verifier::from_certs([cert_bytes]).unwrap();
        let at = dcc::now() / 60 * 60;
        Setup {
            key: key.to_string_lossy().into_owned(),
            cert: cert.to_string_lossy().into_owned(),
            issued_at: dcc::format_time(at),
            at,
            issuer,
            verifier,
            dir,
        }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// The key options of every run.
    fn key_args(&self) -> Vec<String> {
        [
            "--key",
            &self.key,
            "--cert",
            &self.cert,
            "--deterministic",
            "--issued-at",
            &self.issued_at,
        ]
        .iter()
        .map(|s| s.to_string())
        .collect()
    }

    /// `dcc issue-batch INPUT --out-dir OUT` with the key options and `extra`.
    fn batch_cmd(&self, input: &Path, out: &Path, extra: &[&str]) -> Command {
        let mut args = vec![
            "issue-batch".to_string(),
            input.to_string_lossy().into_owned(),
            "--out-dir".into(),
            out.to_string_lossy().into_owned(),
        ];
        args.extend(self.key_args());
        args.extend(extra.iter().map(|s| s.to_string()));
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        dcc_cmd(&refs)
    }

    fn batch(&self, input: &Path, out: &Path, extra: &[&str]) -> Output {
        self.batch_cmd(input, out, extra).output().unwrap()
    }

    fn options(&self) -> IssueOptions {
        IssueOptions {
            iss: None,
            issued_at: Some(self.at),
            validity: Validity::Default,
            uvci_issuer: Some("DCCKIT".into()),
        }
    }

    /// What the facade gives for one input line.
    fn expect(&self, line: &[u8]) -> Result<dcc::Certificate, dcc::Error> {
        match std::str::from_utf8(line) {
            Ok(s) => self.issuer.issue_json(s, &self.options()),
            Err(_) => Err(dcc::Error::Argument("not UTF-8".into())),
        }
    }

    /// Verifies an HC1 and returns its payload.
    fn verified_payload(&self, hc1: &str) -> Value {
        let v = self.verifier.verify(hc1, self.at + 3600).unwrap();
        assert!(v.is_valid(), "{hc1}: {:?}", v.checks);
        v.payload().clone()
    }
}

fn date(secs: i64) -> String {
    dcc::format_time(secs)[..10].to_string()
}

const NAMES: [(&str, &str); 6] = [
    ("Müller-Lüdenscheidt", "Jürgen"),
    ("Иванова", "Анна"),
    ("Παπαδόπουλος", "Ελένη"),
    ("Dupont", "Jean-Pierre"),
    ("O'Brien", "Siobhán"),
    ("Nowak", "Łukasz"),
];

/// Payload `i`: vaccination, test and recovery in turn, every name different.
fn payload(i: usize, at: i64) -> Value {
    let (fname, gname) = NAMES[i % NAMES.len()];
    let ci = format!("URN:UVCI:01:DE:BATCH/{i:08}#K");
    let dob = format!("{}-{:02}-{:02}", 1940 + i % 60, 1 + i % 12, 1 + i % 28);
    let mut p = json!({
        "ver": "1.3.0",
        "nam": {"fn": format!("{fname} {i}"), "gn": gname},
        "dob": dob,
    });
    let entry = match i % 3 {
        0 => json!({"v": [{
            "tg": "840539006", "vp": "1119349007", "mp": "EU/1/20/1528",
            "ma": "ORG-100030215", "dn": 1 + i % 2, "sd": 2,
            "dt": date(at - 86_400 * (10 + (i % 300) as i64)), "co": "DE",
            "is": "Robert Koch-Institut", "ci": ci,
        }]}),
        1 => json!({"t": [{
            "tg": "840539006", "tt": "LP6464-4", "nm": "Roche LightCycler qPCR",
            "sc": dcc::format_time(at - 3600 * (1 + (i % 40) as i64)), "tr": "260415000",
            "tc": "Testzentrum Berlin", "co": "DE", "is": "Robert Koch-Institut", "ci": ci,
        }]}),
        _ => json!({"r": [{
            "tg": "840539006", "fr": date(at - 86_400 * 30), "co": "DE",
            "is": "Robert Koch-Institut", "df": date(at - 86_400 * 29),
            "du": date(at + 86_400 * 150), "ci": ci,
        }]}),
    };
    for (k, v) in entry.as_object().unwrap() {
        p[k] = v.clone();
    }
    p
}

/// The kinds of invalid record, in turn.
fn invalid(i: usize, at: i64) -> Vec<u8> {
    let mut p = payload(i, at);
    match (i / 100) % 7 {
        0 => return br#"{"ver": "1.3.0", "nam": {"fn": "Cut"#.to_vec(),
        1 => p["v"] = json!([{"tg": "840539006", "dn": 0, "sd": 2}]),
        2 => {
            p = payload(0, at);
            p["v"][0]["vp"] = json!("NOT-A-VACCINE");
            p["dob"] = json!("2999-01-01");
        }
        3 => {
            let obj = p.as_object_mut().unwrap();
            obj.remove("v");
            obj.remove("t");
            obj.remove("r");
        }
        4 => return b"[1, 2, 3]".to_vec(),
        5 => return b"{\"ver\": \"1.3.0\", \"nam\": {\"fn\": \"\xff\xfe\"}}".to_vec(),
        _ => p["nam"] = json!({"gn": 42}),
    }
    serde_json::to_vec(&p).unwrap()
}

/// A generated JSON Lines input: `n` records, 1% invalid, a blank line every 250 records.
/// Returns the file's lines (blank ones included), numbered from 1.
fn generate(n: usize, at: i64) -> Vec<Vec<u8>> {
    let mut lines = Vec::with_capacity(n + n / 250);
    for i in 0..n {
        if i % 250 == 249 {
            lines.push(Vec::new());
        }
        lines.push(if i % 100 == 50 {
            invalid(i, at)
        } else {
            serde_json::to_vec(&payload(i, at)).unwrap()
        });
    }
    lines
}

fn write_lines(path: &Path, lines: &[Vec<u8>]) {
    let mut bytes = Vec::new();
    for l in lines {
        bytes.extend_from_slice(l);
        bytes.push(b'\n');
    }
    std::fs::write(path, bytes).unwrap();
}

fn read_jsonl(path: &Path) -> Vec<Value> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// Checks errors.jsonl against the facade: exactly the failing lines, in order, with the
/// facade's code and issue codes. Returns the expected certificates by line.
fn check_errors(s: &Setup, lines: &[Vec<u8>], errors: &Path) -> BTreeMap<u64, dcc::Certificate> {
    let mut expected_errors = Vec::new();
    let mut certs = BTreeMap::new();
    for (i, line) in lines.iter().enumerate() {
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let n = i as u64 + 1;
        match s.expect(line) {
            Ok(c) => {
                certs.insert(n, c);
            }
            Err(e) => {
                let code = if std::str::from_utf8(line).is_err() {
                    "invalid_payload".to_string()
                } else {
                    e.code().to_string()
                };
                let issues: Vec<String> = e.issues().iter().map(|i| i.code.to_string()).collect();
                expected_errors.push((n, code, issues));
            }
        }
    }
    let got = read_jsonl(errors);
    assert_eq!(got.len(), expected_errors.len(), "errors.jsonl: {got:?}");
    for (g, (n, code, issues)) in got.iter().zip(&expected_errors) {
        assert_eq!(g["line"], json!(n), "{g}");
        assert_eq!(g["code"], json!(code), "line {n}: {g}");
        let got_issues = g["issues"].as_array().unwrap();
        assert!(!got_issues.is_empty(), "{g}");
        if !issues.is_empty() {
            let codes: Vec<&str> = got_issues
                .iter()
                .map(|i| i["code"].as_str().unwrap())
                .collect();
            assert_eq!(codes, *issues, "line {n}");
            assert!(
                got_issues
                    .iter()
                    .all(|i| i["path"].is_string() && !i["message"].as_str().unwrap().is_empty())
            );
        }
    }
    certs
}

#[test]
fn generated_jsonl_batch_every_output_verifies_and_exactly_the_invalid_lines_fail() {
    let n = batch_n();
    let s = Setup::new();
    let lines = generate(n, s.at);
    let input = s.path("in.jsonl");
    write_lines(&input, &lines);
    let out = s.path("out");
    let started = Instant::now();
    let run = s.batch(&input, &out, &["--format", "jsonl"]);
    let secs = started.elapsed().as_secs_f64();
    assert_eq!(run.status.code(), Some(1), "{}", text(&run.stderr));
    eprintln!("{n} records in {secs:.1} s: {}", text(&run.stderr));

    let certs = check_errors(&s, &lines, &out.join("errors.jsonl"));
    let failed = n - certs.len();
    assert_eq!(
        failed,
        (0..n).filter(|i| i % 100 == 50).count(),
        "exactly the invalid ones"
    );
    let got = read_jsonl(&out.join("certificates.jsonl"));
    assert_eq!(got.len(), certs.len());
    for (g, (line, cert)) in got.iter().zip(&certs) {
        assert_eq!(g["line"], json!(line));
        let hc1 = g["hc1"].as_str().unwrap();
        assert_eq!(hc1, cert.hc1(), "line {line}: the facade's bytes");
        assert_eq!(g["uci"].as_str(), Some(cert.dcc().entry().unwrap().ci()));
        assert_eq!(
            s.verified_payload(hc1),
            cert.dcc().to_value(),
            "line {line}: the input, normalised"
        );
    }
    // The three types and the non-Latin names are all there.
    let types: BTreeSet<_> = certs
        .values()
        .map(|c| c.certificate_type().key().to_string())
        .collect();
    assert_eq!(types.len(), 3);
    let stderr = text(&run.stderr);
    assert!(
        stderr.contains(&format!(
            "issued {} certificate(s), {failed} failed",
            certs.len()
        )),
        "{stderr}"
    );
}

/// One CSV row per payload, with every column of the three types.
fn to_csv(payloads: &[Value]) -> String {
    let columns = [
        "ver", "nam.fn", "nam.gn", "dob", "v.tg", "v.vp", "v.mp", "v.ma", "v.dn", "v.sd", "v.dt",
        "v.co", "v.is", "v.ci", "t.tg", "t.tt", "t.nm", "t.sc", "t.tr", "t.tc", "t.co", "t.is",
        "t.ci", "r.tg", "r.fr", "r.co", "r.is", "r.df", "r.du", "r.ci",
    ];
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(columns).unwrap();
    for p in payloads {
        let row: Vec<String> = columns
            .iter()
            .map(|c| {
                let (a, b) = c.split_once('.').unwrap_or((c, ""));
                let v = match a {
                    "v" | "t" | "r" => &p[a][0][b],
                    _ if b.is_empty() => &p[a],
                    _ => &p[a][b],
                };
                match v {
                    Value::Null => String::new(),
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                }
            })
            .collect();
        w.write_record(&row).unwrap();
    }
    String::from_utf8(w.into_inner().unwrap()).unwrap()
}

#[test]
fn csv_input_maps_columns_to_the_same_certificates_as_json() {
    let s = Setup::new();
    let n = (batch_n() / 10).max(30);
    let payloads: Vec<Value> = (0..n).map(|i| payload(i, s.at)).collect();
    let mut csv_text = to_csv(&payloads);
    // A dose number that is not a number, and a row of the wrong width.
    csv_text.push_str("1.3.0,Bad,Dose,1980-01-01,840539006,1119349007,EU/1/20/1528,ORG-100030215,two,2,2021-05-01,DE,RKI,URN:UVCI:01:DE:BAD/1#K,,,,,,,,,,,,,,,,\n");
    csv_text.push_str("1.3.0,Short,Row\n");
    let input = s.path("in.csv");
    std::fs::write(&input, &csv_text).unwrap();
    let out = s.path("out");
    let run = s.batch(&input, &out, &["--format", "txt", "--name", "uci"]);
    assert_eq!(run.status.code(), Some(1), "{}", text(&run.stderr));
    for (i, p) in payloads.iter().enumerate() {
        let cert = s.issuer.issue_value(p, &s.options()).unwrap();
        let name = format!("URN_UVCI_01_DE_BATCH_{i:08}_K.txt");
        let hc1 = std::fs::read_to_string(out.join(&name)).unwrap();
        assert_eq!(hc1.trim_end(), cert.hc1(), "{name}");
        assert_eq!(s.verified_payload(hc1.trim_end()), cert.dcc().to_value());
    }
    let errors = read_jsonl(&out.join("errors.jsonl"));
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert_eq!(errors[0]["line"], json!(n + 2));
    assert_eq!(errors[0]["uci"], json!("URN:UVCI:01:DE:BAD/1#K"));
    assert_eq!(errors[0]["code"], json!("validation_failed"));
    assert_eq!(errors[0]["issues"][0]["path"], json!("v/0/dn"));
    assert_eq!(errors[0]["issues"][0]["code"], json!("wrong_type"));
    assert_eq!(errors[1]["line"], json!(n + 3));
    assert_eq!(errors[1]["code"], json!("invalid_payload"));
    let files = std::fs::read_dir(&out).unwrap().count();
    assert_eq!(files, n + 1, "one file per valid row, and errors.jsonl");

    // The examples issue cleanly, and CSV and JSON Lines give the same payloads.
    let mut payloads_by_input = Vec::new();
    for example in ["examples/batch.jsonl", "examples/batch.csv"] {
        let out = s.path(&format!("example-{}", example.replace('/', "-")));
        let run = s.batch(&repo_path(example), &out, &[]);
        assert_eq!(
            run.status.code(),
            Some(0),
            "{example}: {}",
            text(&run.stderr)
        );
        let got: Vec<Value> = read_jsonl(&out.join("certificates.jsonl"))
            .iter()
            .map(|r| s.verified_payload(r["hc1"].as_str().unwrap()))
            .collect();
        assert_eq!(got.len(), 4);
        payloads_by_input.push(got);
    }
    assert_eq!(payloads_by_input[0][..3], payloads_by_input[1][..3]);

    // A header that cannot be mapped is bad input.
    for header in ["ver,v,nam.fn", "ver,nam,nam.fn", "ver,,dob", "ver,v.ma.x"] {
        let bad = s.path("bad.csv");
        std::fs::write(&bad, format!("{header}\n1,2,3\n")).unwrap();
        let run = s.batch(&bad, &s.path("bad-out"), &[]);
        assert_eq!(run.status.code(), Some(2), "{header}");
        assert!(
            text(&run.stderr).contains("CSV header"),
            "{}",
            text(&run.stderr)
        );
        assert!(!s.path("bad-out").exists(), "nothing written for bad input");
    }
}

/// Every file of a folder, by name.
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

#[test]
fn every_format_writes_the_facades_bytes_per_record() {
    let s = Setup::new();
    let lines = generate(300, s.at);
    let input = s.path("in.jsonl");
    write_lines(&input, &lines);
    let expected = check_errors(&s, &lines, &{
        let out = s.path("txt");
        let run = s.batch(&input, &out, &["--format", "txt"]);
        assert_eq!(run.status.code(), Some(1), "{}", text(&run.stderr));
        out.join("errors.jsonl")
    });
    assert!(!expected.is_empty());
    let errors = std::fs::read(s.path("txt").join("errors.jsonl")).unwrap();
    for format in ["txt", "png", "svg", "pdf"] {
        let out = s.path(format);
        if format != "txt" {
            let run = s.batch(&input, &out, &["--format", format, "--threads", "2"]);
            assert_eq!(run.status.code(), Some(1), "{}", text(&run.stderr));
        }
        let mut got = files(&out);
        assert_eq!(got.remove("errors.jsonl").unwrap(), errors, "{format}");
        let names: Vec<String> = expected
            .keys()
            .map(|n| format!("line-{n}.{format}"))
            .collect();
        assert_eq!(
            got.keys().cloned().collect::<BTreeSet<_>>(),
            names.iter().cloned().collect(),
            "{format}"
        );
        for (line, cert) in &expected {
            let bytes = &got[&format!("line-{line}.{format}")];
            match format {
                "txt" => {
                    assert_eq!(*bytes, format!("{}\n", cert.hc1()).into_bytes());
                    s.verified_payload(cert.hc1());
                }
                "png" => assert_eq!(*bytes, cert.to_png(4).unwrap(), "line {line}"),
                "svg" => assert_eq!(*bytes, cert.to_svg().unwrap().into_bytes()),
                _ => {
                    // The same PDF as the facade's (the page has no date of its own).
                    assert!(bytes.starts_with(b"%PDF-"), "line {line}");
                    let pdf = cert.to_pdf(&dcc::PdfOptions::default()).unwrap();
                    assert!(*bytes == pdf, "line {line}: not the facade's PDF");
                }
            }
        }
        if format == "png" {
            // The images themselves read back to verifying certificates.
            for (line, cert) in expected.iter().step_by(7) {
                let png = &got[&format!("line-{line}.png")];
                let v = s.verifier.verify_image(png, s.at + 60).unwrap();
                assert!(v.is_valid());
                assert_eq!(*v.payload(), cert.dcc().to_value());
            }
        }
    }
}

#[test]
fn name_uci_names_files_by_identifier_and_refuses_duplicates() {
    let s = Setup::new();
    let mut lines: Vec<Vec<u8>> = (0..6)
        .map(|i| serde_json::to_vec(&payload(i, s.at)).unwrap())
        .collect();
    // A later record with the identifier of record 2, and one without an identifier.
    lines.push(serde_json::to_vec(&payload(1, s.at)).unwrap());
    let mut no_ci = payload(6, s.at);
    no_ci["v"][0].as_object_mut().unwrap().remove("ci");
    lines.push(serde_json::to_vec(&no_ci).unwrap());
    let input = s.path("in.jsonl");
    write_lines(&input, &lines);
    let out = s.path("out");
    let run = s.batch(&input, &out, &["--format", "svg", "--name", "uci"]);
    assert_eq!(run.status.code(), Some(1), "{}", text(&run.stderr));
    let mut got = files(&out);
    got.remove("errors.jsonl");
    let want: BTreeSet<String> = (0..6)
        .map(|i| format!("URN_UVCI_01_DE_BATCH_{i:08}_K.svg"))
        .collect();
    assert_eq!(got.keys().cloned().collect::<BTreeSet<_>>(), want);
    let errors = read_jsonl(&out.join("errors.jsonl"));
    assert_eq!(errors.len(), 2);
    assert_eq!(errors[0]["line"], json!(7));
    assert_eq!(errors[0]["code"], json!("duplicate_uci"));
    assert_eq!(errors[0]["uci"], json!("URN:UVCI:01:DE:BATCH/00000001#K"));
    assert_eq!(errors[0]["issues"][0]["path"], json!("t/0/ci"));
    assert!(
        errors[0]["issues"][0]["message"]
            .as_str()
            .unwrap()
            .contains("line 2")
    );
    assert_eq!(errors[1]["line"], json!(8));
    assert_eq!(errors[1]["uci"], Value::Null);
    assert_eq!(errors[1]["issues"][0]["code"], json!("ci_missing"));
    // duplicate_uci is a listed code.
    let codes = text(&dcc(&["codes"]).stdout);
    assert!(codes.contains("duplicate_uci"));
}

/// Starts a batch, waits until `ready` holds for the output folder, then interrupts it
/// (SIGINT or SIGKILL). Returns whether it was still running.
fn interrupt(mut child: Child, out: &Path, ready: impl Fn(&Path) -> bool, sigint: bool) -> bool {
    let deadline = Instant::now() + Duration::from_secs(120);
    while !ready(out) {
        if child.try_wait().unwrap().is_some() || Instant::now() > deadline {
            return false;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    let running = child.try_wait().unwrap().is_none();
    if sigint {
        let status = Command::new("kill")
            .args(["-INT", &child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
    } else {
        child.kill().unwrap();
    }
    let status = child.wait().unwrap();
    running && !status.success()
}

fn count_ext(dir: &Path, ext: &str) -> usize {
    std::fs::read_dir(dir)
        .map(|d| {
            d.filter(|e| {
                e.as_ref()
                    .is_ok_and(|e| e.file_name().to_string_lossy().ends_with(ext))
            })
            .count()
        })
        .unwrap_or(0)
}

#[test]
fn resume_after_an_interrupt_gives_the_uninterrupted_output_set() {
    let s = Setup::new();
    let n = batch_n();
    let lines = generate(n, s.at);
    let input = s.path("in.jsonl");
    write_lines(&input, &lines);
    for (format, sigint) in [
        ("png", true),
        ("txt", false),
        ("jsonl", false),
        ("jsonl", true),
    ] {
        let whole = s.path(&format!("whole-{format}-{sigint}"));
        let run = s.batch(&input, &whole, &["--format", format]);
        assert_eq!(run.status.code(), Some(1), "{}", text(&run.stderr));

        let out = s.path(&format!("resumed-{format}-{sigint}"));
        let child = s
            .batch_cmd(&input, &out, &["--format", format, "--threads", "1"])
            .spawn()
            .unwrap();
        let ext = format!(".{format}");
        let interrupted = interrupt(
            child,
            &out,
            |d| match format {
                "jsonl" => {
                    std::fs::metadata(d.join("certificates.jsonl")).is_ok_and(|m| m.len() > 4096)
                }
                _ => count_ext(d, &ext) >= 20,
            },
            sigint,
        );
        if interrupted {
            assert!(count_ext(&out, &ext) > 0);
        } else {
            eprintln!("{format}: the batch ended before it could be interrupted");
        }
        if format == "jsonl" && !sigint {
            // A run killed in the middle of a line: the partial line is dropped.
            let path = out.join("certificates.jsonl");
            let mut bytes = std::fs::read(&path).unwrap();
            let keep = bytes.len() - 10.min(bytes.len());
            bytes.truncate(keep);
            std::fs::write(&path, bytes).unwrap();
        }
        let again = s.batch(&input, &out, &["--format", format]);
        assert_eq!(
            again.status.code(),
            Some(2),
            "without --resume a used folder is refused"
        );
        assert!(text(&again.stderr).contains("--resume"));
        let run = s.batch(&input, &out, &["--format", format, "--resume"]);
        assert_eq!(run.status.code(), Some(1), "{}", text(&run.stderr));
        let stderr = text(&run.stderr);
        if interrupted {
            assert!(stderr.contains("skipped (already written)"), "{stderr}");
        }
        assert!(
            files(&whole) == files(&out),
            "{format}: the same files and bytes"
        );
    }
}

#[test]
fn exit_codes_quiet_and_progress() {
    let s = Setup::new();
    let good: Vec<Vec<u8>> = (0..30)
        .map(|i| serde_json::to_vec(&payload(i, s.at)).unwrap())
        .collect();
    let input = s.path("good.jsonl");
    write_lines(&input, &good);

    // All good: exit 0, periodic progress lines on a non-terminal stderr, a summary.
    let run = s.batch(
        &input,
        &s.path("good"),
        &["--progress-interval", "0.000001", "--format", "txt"],
    );
    assert_eq!(run.status.code(), Some(0), "{}", text(&run.stderr));
    let stderr = text(&run.stderr);
    assert!(
        stderr
            .lines()
            .any(|l| l.starts_with("processed 30/30 (0 failed, ") && l.contains("records/s, ETA")),
        "{stderr}"
    );
    assert!(stderr.contains("issued 30 certificate(s), 0 failed"));
    assert!(
        std::fs::read(s.path("good").join("errors.jsonl"))
            .unwrap()
            .is_empty()
    );

    // --quiet: nothing on stderr, with failures (exit 1) and with the demo key.
    let mut mixed = good.clone();
    mixed.push(b"{not json".to_vec());
    let mixed_input = s.path("mixed.jsonl");
    write_lines(&mixed_input, &mixed);
    let run = s.batch(&mixed_input, &s.path("quiet"), &["--quiet"]);
    assert_eq!(run.status.code(), Some(1));
    assert!(run.stderr.is_empty(), "{}", text(&run.stderr));
    assert!(run.stdout.is_empty());
    let run = dcc(&[
        "issue-batch",
        mixed_input.to_str().unwrap(),
        "--out-dir",
        s.path("demo-quiet").to_str().unwrap(),
        "--quiet",
    ]);
    assert_eq!(run.status.code(), Some(1));
    assert!(run.stderr.is_empty(), "{}", text(&run.stderr));
    let run = dcc(&[
        "issue-batch",
        mixed_input.to_str().unwrap(),
        "--out-dir",
        s.path("demo").to_str().unwrap(),
    ]);
    assert!(
        text(&run.stderr).contains("DEMO"),
        "the demo key is announced"
    );

    // Closed stdout and stderr: no panic, the same exit status.
    let mut child = s
        .batch_cmd(
            &mixed_input,
            &s.path("closed"),
            &["--progress-interval", "0.000001"],
        )
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    drop(child.stderr.take());
    assert_eq!(child.wait().unwrap().code(), Some(1));

    // Bad input and usage: exit 2.
    let file_as_dir = s.path("a-file");
    std::fs::write(&file_as_dir, "x").unwrap();
    let missing = s.path("missing.jsonl");
    let cases: Vec<(PathBuf, PathBuf, Vec<&str>)> = vec![
        (missing.clone(), s.path("o1"), vec![]),
        (input.clone(), file_as_dir.clone(), vec![]),
        (input.clone(), s.path("good"), vec![]),
        (input.clone(), s.path("o2"), vec!["--threads", "0"]),
        (input.clone(), s.path("o3"), vec!["--format", "gif"]),
        (input.clone(), s.path("o4"), vec!["--pdf-language", "xx"]),
        (input.clone(), s.path("o5"), vec!["--input-format", "csv"]),
    ];
    for (input, out, extra) in cases {
        let run = s.batch(&input, &out, &extra);
        assert_eq!(
            run.status.code(),
            Some(2),
            "{extra:?} {}: {}",
            out.display(),
            text(&run.stderr)
        );
    }
}

#[test]
fn ledger_records_every_issued_certificate() {
    let s = Setup::new();
    let lines = generate(120, s.at);
    let input = s.path("in.jsonl");
    write_lines(&input, &lines);
    let ledger = s.path("ledger.db");
    let run = s.batch(
        &input,
        &s.path("out"),
        &[
            "--ledger",
            ledger.to_str().unwrap(),
            "--operator",
            "batch-test",
        ],
    );
    assert_eq!(run.status.code(), Some(1), "{}", text(&run.stderr));
    let certs = read_jsonl(&s.path("out").join("certificates.jsonl"));
    let records = dcc::ledger::Ledger::open(ledger.to_str().unwrap())
        .unwrap()
        .records(&Default::default())
        .unwrap();
    let ucis: BTreeSet<&str> = records.iter().map(|r| r.uci.as_str()).collect();
    let issued: BTreeSet<&str> = certs.iter().map(|c| c["uci"].as_str().unwrap()).collect();
    assert_eq!(records.len(), certs.len());
    assert_eq!(ucis, issued);
}

/// `scripts/batch-bench.sh`, step 1: writes the generated input (`DCC_BATCH_N` records), the
/// key, the DSC and the issue time into `DCC_BATCH_DIR`.
#[test]
#[ignore = "run by scripts/batch-bench.sh"]
fn bench_write_input() {
    let dir = PathBuf::from(std::env::var("DCC_BATCH_DIR").expect("DCC_BATCH_DIR"));
    std::fs::create_dir_all(&dir).unwrap();
    let s = Setup::new();
    write_lines(&dir.join("in.jsonl"), &generate(batch_n(), s.at));
    std::fs::copy(&s.key, dir.join("key.pem")).unwrap();
    std::fs::copy(&s.cert, dir.join("cert.pem")).unwrap();
    std::fs::write(dir.join("issued-at"), &s.issued_at).unwrap();
}

/// `scripts/batch-bench.sh`, step 3: checks every `out-*` folder of `DCC_BATCH_DIR`:
/// errors.jsonl lists exactly the invalid lines (with the facade's codes), there is one file per
/// other line and nothing else, each txt is the facade's certificate and verifies with the
/// input's payload, each PNG is read back from the image and verifies with that payload, and each
/// PDF is byte for byte the facade's PDF of that certificate (whose rendering and QR read-back
/// `tests/tests/pdf.rs` checks). The files are checked on every core.
#[test]
#[ignore = "run by scripts/batch-bench.sh"]
fn bench_check_outputs() {
    let dir = PathBuf::from(std::env::var("DCC_BATCH_DIR").expect("DCC_BATCH_DIR"));
    let cert = std::fs::read(dir.join("cert.pem")).unwrap();
    let issued_at = std::fs::read_to_string(dir.join("issued-at")).unwrap();
    let at = dcc::parse_time(issued_at.trim()).unwrap();
    let s = Setup {
        dir: tempfile::tempdir().unwrap(),
        key: String::new(),
        cert: String::new(),
        at,
        issued_at,
        issuer: Issuer::from_pem_deterministic(std::fs::read(dir.join("key.pem")).unwrap(), &cert)
            .unwrap(),
        verifier: Verifier::from_certs([cert]).unwrap(),
    };
    let lines: Vec<Vec<u8>> = std::fs::read(dir.join("in.jsonl"))
        .unwrap()
        .split(|&b| b == b'\n')
        .map(<[u8]>::to_vec)
        .collect();
    let mut outs: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().unwrap().to_string_lossy().starts_with("out-"))
        .collect();
    outs.sort();
    assert!(!outs.is_empty());
    let certs: Vec<(u64, dcc::Certificate)> =
        check_errors(&s, &lines, &outs[0].join("errors.jsonl"))
            .into_iter()
            .collect();
    let errors = std::fs::read(outs[0].join("errors.jsonl")).unwrap();
    let threads = std::thread::available_parallelism().map_or(2, usize::from);
    let pdf_options = dcc::PdfOptions::default();
    for out in outs {
        let format = out.file_name().unwrap().to_string_lossy()["out-".len()..]
            .split('-')
            .next()
            .unwrap()
            .to_string();
        let got: BTreeSet<String> = std::fs::read_dir(&out)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        let want: BTreeSet<String> = certs
            .iter()
            .map(|(n, _)| format!("line-{n}.{format}"))
            .chain(["errors.jsonl".to_string()])
            .collect();
        assert!(got == want, "{out:?}: not one file per issued record");
        assert!(
            std::fs::read(out.join("errors.jsonl")).unwrap() == errors,
            "{out:?}: errors.jsonl differs"
        );
        std::thread::scope(|scope| {
            for t in 0..threads {
                let (s, certs, out, format, pdf_options) =
                    (&s, &certs, &out, &format, &pdf_options);
                scope.spawn(move || {
                    for (line, cert) in certs.iter().skip(t).step_by(threads) {
                        let bytes =
                            std::fs::read(out.join(format!("line-{line}.{format}"))).unwrap();
                        match format.as_str() {
                            "txt" => {
                                assert!(
                                    bytes == format!("{}\n", cert.hc1()).into_bytes(),
                                    "line {line}"
                                );
                                let payload = s.verified_payload(cert.hc1());
                                assert_eq!(payload, cert.dcc().to_value(), "line {line}");
                            }
                            "png" => {
                                let v = s.verifier.verify_image(&bytes, s.at + 60).unwrap();
                                assert!(v.is_valid(), "{out:?} line {line}");
                                assert_eq!(*v.payload(), cert.dcc().to_value(), "line {line}");
                            }
                            "pdf" => {
                                let pdf = cert.to_pdf(pdf_options).unwrap();
                                assert!(bytes == pdf, "{out:?} line {line}: not the facade's PDF");
                            }
                            other => panic!("unexpected format {other}"),
                        }
                    }
                });
            }
        });
        eprintln!("{}: {} files checked", out.display(), certs.len());
    }
}
