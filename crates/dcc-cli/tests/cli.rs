//! The `dcc` binary end to end: exit codes, files, stdin and help.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code

use std::path::Path;
use std::process::{Command, Output, Stdio};

fn dcc(args: &[&str], stdin: Option<&str>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_dcc"));
    cmd.args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    if let Some(s) = stdin {
        use std::io::Write;
        child.stdin.take().unwrap().write_all(s.as_bytes()).unwrap();
    }
    drop(child.stdin.take());
    child.wait_with_output().unwrap()
}

/// A path below the repository root, as a string argument.
fn repo_path(rel: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(rel)
        .to_string_lossy()
        .into_owned()
}

fn example(name: &str) -> String {
    repo_path(&format!("examples/{name}"))
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[test]
fn demo_issue_png_then_verify_image() {
    let dir = tempfile::tempdir().unwrap();
    let png = dir.path().join("v.png");
    let out = dcc(
        &[
            "issue",
            &example("vaccination.json"),
            "--out",
            png.to_str().unwrap(),
        ],
        None,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("DEMO"),
        "the demo key is announced"
    );
    let out = dcc(&["verify", "--image", png.to_str().unwrap()], None);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    assert!(text(&out.stdout).starts_with("VALID"));
    assert!(text(&out.stderr).contains("DEMO"));
}

#[test]
fn issue_to_pdf_and_a_bad_pdf_language() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("v.pdf");
    let out = dcc(
        &[
            "issue",
            &example("vaccination.json"),
            "--out",
            pdf.to_str().unwrap(),
            "--pdf-language",
            "fr",
        ],
        None,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let bytes = std::fs::read(&pdf).unwrap();
    assert!(bytes.starts_with(b"%PDF-"));
    // The page's QR code (rendered and read in tests/tests/pdf.rs) is drawn as vector paths:
    // the file's object dictionaries (readable: the fonts are there) name no image.
    let has = |needle: &[u8]| bytes.windows(needle.len()).any(|w| w == needle);
    assert!(has(b"/Subtype/Type0"), "font dictionaries readable");
    assert!(!has(b"/Subtype/Image") && !has(b"/Subtype /Image"));

    let bad = dir.path().join("x.pdf");
    let out = dcc(
        &[
            "issue",
            &example("vaccination.json"),
            "--out",
            bad.to_str().unwrap(),
            "--pdf-language",
            "xx",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("invalid_options"),
        "{}",
        text(&out.stderr)
    );
    assert!(!bad.exists(), "nothing written on error");
}

#[test]
fn keygen_issue_verify_with_trust() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap();
    let out = dcc(
        &[
            "keygen",
            "--out-dir",
            d,
            "--country",
            "DE",
            "--common-name",
            "Test DSC",
        ],
        None,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let key = format!("{d}/key.pem");
    let cert = format!("{d}/cert.pem");
    // keygen refuses to overwrite.
    assert_eq!(
        dcc(&["keygen", "--out-dir", d], None).status.code(),
        Some(2)
    );

    let out = dcc(
        &[
            "issue",
            &example("test.json"),
            "--key",
            &key,
            "--cert",
            &cert,
            "--valid-days",
            "2",
        ],
        None,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let hc1 = text(&out.stdout);
    assert!(hc1.starts_with("HC1:"));

    let ok = dcc(&["verify", "-", "--trust", &cert, "--json"], Some(&hc1));
    assert_eq!(ok.status.code(), Some(0), "{}", text(&ok.stdout));
    let json: serde_json::Value = serde_json::from_slice(&ok.stdout).unwrap();
    assert_eq!(json["valid"], true);
    assert_eq!(json["claims"]["iss"], "DE");
    assert_eq!(json["payload"]["t"][0]["tt"], "LP217198-3");

    // Trusting only the demo DSC: signature fails, exit 1.
    let bad = dcc(&["verify", hc1.trim()], None);
    assert_eq!(bad.status.code(), Some(1));
    assert!(text(&bad.stdout).contains("unknown_kid"));

    // Later than the expiry: exit 1 with the reason.
    let late = dcc(
        &[
            "verify",
            "-",
            "--trust",
            &cert,
            "--at",
            "2099-01-01T00:00:00Z",
        ],
        Some(&hc1),
    );
    assert_eq!(late.status.code(), Some(1));
    assert!(text(&late.stdout).contains("expired"));

    // SVG and TXT outputs.
    for ext in ["svg", "txt"] {
        let f = format!("{d}/out.{ext}");
        let out = dcc(
            &[
                "issue",
                &example("recovery.json"),
                "--key",
                &key,
                "--cert",
                &cert,
                "--out",
                &f,
            ],
            None,
        );
        assert!(out.status.success(), "{}", text(&out.stderr));
        let content = std::fs::read_to_string(&f).unwrap();
        assert!(if ext == "svg" {
            content.contains("<svg")
        } else {
            content.starts_with("HC1:")
        });
    }
    // Mismatched key and certificate: exit 2.
    let other = tempfile::tempdir().unwrap();
    assert!(
        dcc(
            &["keygen", "--out-dir", other.path().to_str().unwrap()],
            None
        )
        .status
        .success()
    );
    let other_key = format!("{}/key.pem", other.path().display());
    let out = dcc(
        &[
            "issue",
            &example("test.json"),
            "--key",
            &other_key,
            "--cert",
            &cert,
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("invalid_key"));
}

#[test]
fn decode_prints_payload_and_claims() {
    let hc1 = text(&dcc(&["issue", &example("recovery.json")], None).stdout);
    let out = dcc(&["decode", "-"], Some(&hc1));
    assert!(out.status.success());
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["payload"]["r"][0]["fr"], "2021-02-20");
    assert_eq!(json["algorithm"], "ES256");
    assert!(json["claims"]["exp"].as_i64().unwrap() > json["claims"]["iat"].as_i64().unwrap());
}

#[test]
fn bad_input_and_usage_exit_2() {
    let cases: &[&[&str]] = &[
        &["verify", "HC1:lowercase"],
        &["verify", "NOPREFIX"],
        &["decode", "HC1:AB"],
        &["verify", "--image", "/nonexistent.png"],
        &["issue", "/nonexistent.json"],
        &["issue", "Cargo.toml"],
        &["verify", "HC1:ABC", "--at", "not a time"],
        &["frobnicate"],
        &["issue"],
    ];
    for args in cases {
        let out = dcc(args, None);
        assert_eq!(
            out.status.code(),
            Some(2),
            "{args:?}: {}",
            text(&out.stderr)
        );
        assert!(!text(&out.stderr).contains("panicked"), "{args:?}");
    }
    let out = dcc(
        &["issue", &example("vaccination.json"), "--out", "x.gif"],
        None,
    );
    assert_eq!(out.status.code(), Some(2));
    let out = dcc(&["verify", "-"], Some("   \n"));
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn help_on_every_command() {
    for cmd in [
        vec!["--help"],
        vec!["keygen", "--help"],
        vec!["issue", "--help"],
        vec!["verify", "--help"],
        vec!["decode", "--help"],
        vec!["revocation-hashes", "--help"],
        vec!["ledger", "--help"],
        vec!["ledger", "list", "--help"],
        vec!["ledger", "verify", "--help"],
        vec!["ledger", "export", "--help"],
    ] {
        let out = dcc(&cmd, None);
        assert!(out.status.success(), "{cmd:?}");
        assert!(text(&out.stdout).contains("Usage"), "{cmd:?}");
    }
}

#[test]
fn validate_lists_every_problem() {
    let ok = dcc(&["validate", &example("vaccination.json")], None);
    assert_eq!(ok.status.code(), Some(0), "{}", text(&ok.stdout));
    assert!(text(&ok.stdout).starts_with("VALID"));

    let bad = r#"{"ver":"1.3.0","nam":{"fn":"Müller ","fnt":"mueller"},"dob":"1850",
      "v":[{"tg":"840539006","vp":"1119349007","mp":"EU/1/20/1528","ma":"ORG-100030215",
      "dn":0,"sd":2,"dt":"2021-02-30","co":"AT","is":"X","ci":"URN:UVCI:01:AT:X/Y#1"}]}"#;
    let out = dcc(&["validate", "-"], Some(bad));
    assert_eq!(out.status.code(), Some(1));
    let stdout = text(&out.stdout);
    for want in [
        "nam/fnt: [pattern_mismatch]",
        "v/0/dn: [out_of_range]",
        "v/0/dt: [invalid_date]",
        "dob: [dob_out_of_range]",
    ] {
        assert!(stdout.contains(want), "{want} missing in {stdout}");
    }
    assert!(
        text(&out.stderr).contains("nam/fn: trimmed"),
        "{}",
        text(&out.stderr)
    );

    let json_out = dcc(&["validate", "-", "--json"], Some(bad));
    let v: serde_json::Value = serde_json::from_slice(&json_out.stdout).unwrap();
    assert_eq!(v["valid"], false);
    assert!(
        v["issues"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["path"] == "v/0/dn" && i["code"] == "out_of_range")
    );

    // issue refuses the same payload with the same list, exit 2.
    let refused = dcc(&["issue", "-"], Some(bad));
    assert_eq!(refused.status.code(), Some(2));
    assert!(text(&refused.stderr).contains("v/0/dn: [out_of_range]"));
    assert!(text(&refused.stderr).contains("validation_failed"));

    assert_eq!(
        dcc(&["validate", "-"], Some("{not json")).status.code(),
        Some(2)
    );
}

#[test]
fn issue_fills_in_a_missing_certificate_identifier() {
    let mut payload: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(example("test.json")).unwrap()).unwrap();
    payload["t"][0].as_object_mut().unwrap().remove("ci");
    let out = dcc(
        &["issue", "-", "--uvci-issuer", "PHARMACY42"],
        Some(&payload.to_string()),
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("URN:UVCI:01:AT:PHARMACY42/"));
    let decoded = dcc(&["decode", "-"], Some(&text(&out.stdout)));
    let v: serde_json::Value = serde_json::from_slice(&decoded.stdout).unwrap();
    let ci = v["payload"]["t"][0]["ci"].as_str().unwrap();
    assert!(ci.starts_with("URN:UVCI:01:AT:PHARMACY42/"), "{ci}");
    assert_eq!(dcc::uvci::parse(ci).unwrap().check_valid, Some(true));
}

/// `dcc verify --json` prints exactly the verification view of `tests/golden/conformance-views.json`
/// (the JSON Python, JavaScript and Kotlin must also produce), and `dcc decode` the decoded view.
#[test]
fn verify_json_is_the_shared_view() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let golden: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root.join("tests/golden/conformance-views.json")).unwrap(),
    )
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut compared = 0;
    for v in golden["vectors"].as_array().unwrap() {
        let trust = dir.path().join("dsc.b64");
        std::fs::write(&trust, v["certificate"].as_str().unwrap()).unwrap();
        let at = dcc::format_time(v["at"].as_i64().unwrap());
        let hc1 = v["hc1"].as_str().unwrap();
        let args = [
            "verify",
            "--json",
            "--at",
            &at,
            "--trust",
            trust.to_str().unwrap(),
            hc1,
        ];
        let out = dcc(&args, None);
        let name = v["name"].as_str().unwrap();
        if v["view"].is_null() {
            assert_eq!(out.status.code(), Some(2), "{name}");
            let code = v["error"]["code"].as_str().unwrap();
            assert!(
                text(&out.stderr).contains(&format!("error [{code}]")),
                "{name}"
            );
            continue;
        }
        let got: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(got, v["view"], "{name}");
        let valid = v["view"]["valid"].as_bool().unwrap();
        assert_eq!(out.status.code(), Some(if valid { 0 } else { 1 }), "{name}");
        let decoded: serde_json::Value =
            serde_json::from_slice(&dcc(&["decode", hc1], None).stdout).unwrap();
        for key in [
            "hc1",
            "kid",
            "algorithm",
            "certificate_type",
            "claims",
            "payload",
        ] {
            assert_eq!(decoded[key], v["view"][key], "{name}: decode {key}");
        }
        compared += 1;
    }
    assert!(compared > 50, "only {compared} views compared");
}

/// Every stable code is listed by `dcc codes --json` and documented in the README.
#[test]
fn every_code_is_documented() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let out = dcc(&["codes", "--json"], None);
    let codes: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut missing = Vec::new();
    let mut n = 0;
    for family in ["errors", "checks", "issues"] {
        for c in codes[family].as_array().unwrap() {
            let code = c["code"].as_str().unwrap();
            n += 1;
            if !readme.contains(&format!("`{code}`")) {
                missing.push(code.to_string());
            }
        }
    }
    let expected =
        dcc::ErrorKind::ALL.len() + 3 + dcc::CheckCode::ALL.len() + dcc::IssueCode::ALL.len();
    assert_eq!(n, expected);
    assert!(
        missing.is_empty(),
        "codes missing from README.md: {missing:?}"
    );
}

/// Issue into a ledger as two operators, list and check it, export one operator's
/// certificates as batches, and verify with them: exactly that operator's are revoked. Then
/// tamper with the file: `ledger verify` exits 1 and names the record.
#[test]
fn ledger_issue_list_export_revoke_and_tamper() {
    let dir = tempfile::tempdir().unwrap();
    let ledger = dir.path().join("ledger.db");
    let ledger = ledger.to_str().unwrap();
    let mut issued = Vec::new();
    for (i, operator) in ["A", "B", "A", "B", "B"].iter().enumerate() {
        // Without a ci, every certificate gets its own identifier.
        let mut payload: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(example("test.json")).unwrap()).unwrap();
        payload["t"][0].as_object_mut().unwrap().remove("ci");
        let out = dcc(
            &["issue", "-", "--ledger", ledger, "--operator", operator],
            Some(&payload.to_string()),
        );
        assert!(out.status.success(), "{i}: {}", text(&out.stderr));
        issued.push((*operator, text(&out.stdout).trim().to_string()));
    }
    // --operator without --ledger is a usage error.
    let out = dcc(&["issue", &example("test.json"), "--operator", "A"], None);
    assert_eq!(out.status.code(), Some(2));

    let out = dcc(
        &[
            "ledger",
            "list",
            "--ledger",
            ledger,
            "--operator",
            "B",
            "--json",
        ],
        None,
    );
    assert!(out.status.success());
    let records: Vec<serde_json::Value> = text(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(records.len(), 3);
    assert!(records.iter().all(|r| r["operator"] == "B"));
    let out = dcc(&["ledger", "verify", "--ledger", ledger], None);
    assert!(out.status.success());
    assert!(text(&out.stdout).starts_with("VALID: 5 record(s)"));

    let batches = dir.path().join("batches");
    let out = dcc(
        &[
            "ledger",
            "export",
            "--ledger",
            ledger,
            "--operator",
            "B",
            "--hash-type",
            "COUNTRYCODEUCI",
            "--out-dir",
            batches.to_str().unwrap(),
        ],
        None,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let files: Vec<String> = text(&out.stdout).lines().map(str::to_string).collect();
    assert_eq!(files.len(), 1);
    let batch: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&files[0]).unwrap()).unwrap();
    assert_eq!(batch["hashType"], "COUNTRYCODEUCI");
    assert_eq!(batch["entries"].as_array().unwrap().len(), 3);
    for (operator, hc1) in &issued {
        let out = dcc(&["verify", hc1, "--revocation", &files[0]], None);
        let expected = if *operator == "B" { 1 } else { 0 };
        assert_eq!(out.status.code(), Some(expected), "{operator}");
        if *operator == "B" {
            assert!(text(&out.stdout).contains("FAILED [revoked]"));
        }
        // The hashes printed by revocation-hashes are the ones the batch lists.
        let out = dcc(&["revocation-hashes", hc1, "--json"], None);
        let hashes: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let listed = batch["entries"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["hash"] == hashes["country_code_uci"]);
        assert_eq!(listed, *operator == "B");
    }

    // Tampering: a changed record is found and named.
    let conn = rusqlite::Connection::open(ledger).unwrap();
    conn.execute("UPDATE dcc_ledger SET operator = 'A' WHERE seq = 4", [])
        .unwrap();
    let out = dcc(&["ledger", "verify", "--ledger", ledger], None);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stdout).contains("BROKEN at record 4 (Changed)"),
        "{}",
        text(&out.stdout)
    );
    let out = dcc(&["ledger", "verify", "--ledger", ledger, "--json"], None);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["first_break"]["kind"], "changed");
}

#[test]
fn revocation_bad_input_exits_2_with_its_code() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, r#"{"country":"AT","expires":"2031-01-01T00:00:00Z","kid":"UNKNOWN_KID","hashType":"MD5","entries":[{"hash":"AAAAAAAAAAAAAAAAAAAAAA=="}]}"#).unwrap();
    let hc1 = text(&dcc(&["issue", &example("vaccination.json")], None).stdout);
    let out = dcc(
        &["verify", hc1.trim(), "--revocation", bad.to_str().unwrap()],
        None,
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("[invalid_revocation_data]"));
    let out = dcc(
        &["ledger", "verify", "--ledger", dir.path().to_str().unwrap()],
        None,
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("[ledger_failed]"),
        "{}",
        text(&out.stderr)
    );
    let out = dcc(&["revocation-hashes", "HC1:nope"], None);
    assert_eq!(out.status.code(), Some(2));
}

/// The SoftHSM2 token of `scripts/softhsm.sh`, when the test command set one up (required
/// when DCC_REQUIRE_PKCS11 is set).
fn softhsm() -> Option<(String, String, String)> {
    let get = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
    match (
        get("DCC_TEST_PKCS11_MODULE"),
        get("DCC_TEST_PKCS11_TOKEN"),
        get("DCC_TEST_PKCS11_PIN"),
        get("SOFTHSM2_CONF"),
    ) {
        (Some(m), Some(t), Some(p), Some(_)) => Some((m, t, p)),
        _ => {
            assert!(
                std::env::var_os("DCC_REQUIRE_PKCS11").is_none(),
                "DCC_REQUIRE_PKCS11 is set but no SoftHSM2 token is configured"
            );
            eprintln!("no SoftHSM2 token: PKCS#11 CLI tests not run");
            None
        }
    }
}

fn dcc_env(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_dcc"));
    cmd.args(args).env_remove("DCC_PKCS11_PIN");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().unwrap()
}

/// keygen --pkcs11 writes a request and a self-signed DSC; issue --pkcs11 signs in the token
/// (ES256 and PS256) and the result verifies; a wrong PIN (each run is a fresh process, so the
/// token checks it), a missing PIN, a missing key and a missing token exit 2 with their codes,
/// and the PIN never appears in the output.
#[test]
fn keygen_and_issue_in_a_pkcs11_token() {
    let Some((module, token, pin)) = softhsm() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    for alg in ["ES256", "PS256"] {
        let label = format!("cli-{alg}-{}", std::process::id());
        let uri = format!("pkcs11:token={token};object={label}?module-path={module}");
        let csr = dir.path().join(format!("{alg}.csr"));
        let cert = dir.path().join(format!("{alg}.pem"));
        let out = dcc_env(
            &[
                "keygen",
                "--pkcs11",
                &uri,
                "--algorithm",
                alg,
                "--csr",
                csr.to_str().unwrap(),
                "--self-signed",
                cert.to_str().unwrap(),
                "--country",
                "DE",
                "--type",
                "t",
            ],
            &[("DCC_PKCS11_PIN", &pin)],
        );
        assert!(out.status.success(), "{alg}: {}", text(&out.stderr));
        let req = Command::new("openssl")
            .args(["req", "-verify", "-noout", "-text", "-in"])
            .arg(&csr)
            .output()
            .unwrap();
        assert!(req.status.success(), "{}", text(&req.stderr));
        assert!(text(&req.stdout).contains("1.3.6.1.4.1.1847.2021.1.1"));
        let issued = dcc_env(
            &[
                "issue",
                &example("test.json"),
                "--pkcs11",
                &uri,
                "--cert",
                cert.to_str().unwrap(),
            ],
            &[("DCC_PKCS11_PIN", &pin)],
        );
        assert!(issued.status.success(), "{alg}: {}", text(&issued.stderr));
        let hc1 = text(&issued.stdout).trim().to_string();
        let v = dcc(
            &["verify", &hc1, "--trust", cert.to_str().unwrap(), "--json"],
            None,
        );
        assert!(v.status.success(), "{alg}: {}", text(&v.stdout));
        let view: serde_json::Value = serde_json::from_slice(&v.stdout).unwrap();
        assert_eq!(view["algorithm"], alg);

        let cert = cert.to_str().unwrap();
        let cases = [
            (uri.clone(), Some("99999999"), "pkcs11_pin_incorrect"),
            (uri.clone(), None, "pkcs11_pin_incorrect"),
            (
                format!("pkcs11:token={token};object=nothing-here?module-path={module}"),
                Some(pin.as_str()),
                "pkcs11_key_not_found",
            ),
            (
                format!("pkcs11:token=no-such-token;object={label}?module-path={module}"),
                Some(pin.as_str()),
                "pkcs11_token_not_found",
            ),
            (
                format!("pkcs11:token={token};object={label}?module-path=/nonexistent.so"),
                Some(pin.as_str()),
                "pkcs11_module_unavailable",
            ),
        ];
        for (uri, pin_env, code) in cases {
            let env: Vec<(&str, &str)> =
                pin_env.map(|p| ("DCC_PKCS11_PIN", p)).into_iter().collect();
            let out = dcc_env(
                &[
                    "issue",
                    &example("test.json"),
                    "--pkcs11",
                    &uri,
                    "--cert",
                    cert,
                ],
                &env,
            );
            assert_eq!(out.status.code(), Some(2), "{code}");
            let err = text(&out.stderr);
            assert!(err.contains(&format!("[{code}]")), "{code}: {err}");
            assert!(!err.contains("99999999"), "{err}");
        }
        // The PIN in the URI is never echoed either.
        let with_pin = format!("{uri}&pin-value=99999999");
        let out = dcc_env(
            &[
                "issue",
                &example("test.json"),
                "--pkcs11",
                &with_pin,
                "--cert",
                cert,
            ],
            &[],
        );
        assert_eq!(out.status.code(), Some(2));
        assert!(!text(&out.stderr).contains("99999999"));
    }
    // An RSA token key with an EC DSC is invalid_key.
    let ps_uri = format!(
        "pkcs11:token={token};object=cli-PS256-{}?module-path={module}",
        std::process::id()
    );
    let es_cert = dir.path().join("ES256.pem");
    let out = dcc_env(
        &[
            "issue",
            &example("test.json"),
            "--pkcs11",
            &ps_uri,
            "--cert",
            es_cert.to_str().unwrap(),
        ],
        &[("DCC_PKCS11_PIN", &pin)],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("[invalid_key]"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn keygen_writes_a_request_for_the_csca() {
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().join("k");
    let out = dcc(
        &[
            "keygen",
            "--out-dir",
            out_dir.to_str().unwrap(),
            "--csr",
            "--country",
            "AT",
            "--organization",
            "Apotheke Muster",
            "--type",
            "v",
        ],
        None,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let req = Command::new("openssl")
        .args(["req", "-verify", "-noout", "-text", "-in"])
        .arg(out_dir.join("request.csr"))
        .output()
        .unwrap();
    assert!(req.status.success(), "{}", text(&req.stderr));
    let t = text(&req.stdout);
    assert!(
        t.contains("O = Apotheke Muster") && t.contains("C = AT"),
        "{t}"
    );
    assert!(
        t.contains("1.3.6.1.4.1.1847.2021.1.2") && !t.contains("1.3.6.1.4.1.1847.2021.1.1"),
        "{t}"
    );
    // The same key's DSC allows only vaccinations.
    let cert = std::fs::read_to_string(out_dir.join("cert.pem")).unwrap();
    let dsc = dcc::Dsc::parse(cert.as_bytes()).unwrap();
    assert_eq!(dsc.extended_key_usage_oids(), ["1.3.6.1.4.1.1847.2021.1.2"]);
    // Without --csr, no request; --csr with a value is a usage error in --out-dir mode.
    let out = dcc(
        &[
            "keygen",
            "--out-dir",
            dir.path().join("k2").to_str().unwrap(),
        ],
        None,
    );
    assert!(out.status.success());
    assert!(!dir.path().join("k2/request.csr").exists());
    let out = dcc(
        &[
            "keygen",
            "--out-dir",
            dir.path().join("k3").to_str().unwrap(),
            "--csr",
            "x.csr",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(2));
}

fn tests_dir(rel: &str) -> String {
    repo_path(&format!("tests/{rel}"))
}

#[test]
fn trust_list_checks_and_summarises_each_format() {
    let de = tests_dir("vectors/trustlists/de/dsc-list.txt");
    let de_key = tests_dir("vectors/trustlists/de/dsc-list-signing-key.pem");
    let ch = tests_dir("vectors/trustlists/ch/CH-20210715at1944-updates.jwt");
    let ch_active = tests_dir("vectors/trustlists/ch/CH-20210715at1944-keylist.jwt");
    let ch_root = tests_dir("vectors/trustlists/ch/CH-root.crt");
    let out = dcc(&["trust-list", &de, "--anchor", &de_key], None);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).starts_with("VALID de list: 829 entries"));
    let out = dcc(&["trust-list", &de, "--anchor", &de_key, "--json"], None);
    let view: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (
            view["entries"].as_u64(),
            view["signature_verified"].as_bool()
        ),
        (Some(829), Some(true))
    );
    // Another anchor: exit 1.
    let out = dcc(&["trust-list", &de, "--anchor", &ch_root], None);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stdout).contains("trust_list_signature_invalid"));
    // The Swiss list: expired today (exit 1), valid on its day, loadable when allowed.
    let out = dcc(
        &[
            "trust-list",
            &ch,
            "--signature",
            &ch_active,
            "--anchor",
            &ch_root,
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stdout).contains("trust_list_expired"));
    let out = dcc(
        &[
            "trust-list",
            &ch,
            "--signature",
            &ch_active,
            "--anchor",
            &ch_root,
            "--at",
            "2021-07-16T00:00:00Z",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("131 bare keys"));
    let out = dcc(
        &["trust-list", &ch, "--anchor", &ch_root, "--allow-expired"],
        None,
    );
    assert_eq!(out.status.code(), Some(0));
    assert!(text(&out.stdout).contains("EXPIRED"));
    // Malformed input, a missing anchor: exit 2.
    let out = dcc(&["trust-list", &example("vaccination.json")], None);
    assert_eq!(out.status.code(), Some(2));
    let out = dcc(&["trust-list", &de], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("invalid_argument"));
}

#[test]
fn verify_with_trust_lists_names_the_source() {
    let dir = tempfile::tempdir().unwrap();
    let txt = dir.path().join("v.txt");
    let out = dcc(
        &[
            "issue",
            &example("vaccination.json"),
            "--out",
            txt.to_str().unwrap(),
        ],
        None,
    );
    assert!(out.status.success());
    let hc1 = std::fs::read_to_string(&txt).unwrap();
    let demo_cert = Path::new(env!("CARGO_MANIFEST_DIR")).join("../dcc/src/demo/cert.pem");
    let demo_cert = demo_cert.to_str().unwrap();
    // Austrian list with its signature file, anchored at the demo certificate.
    let out = dcc(
        &[
            "verify",
            hc1.trim(),
            "--trust-list",
            &tests_dir("golden/trustlists/at-list.cbor"),
            "--trust-list-signature",
            &tests_dir("golden/trustlists/at-list.sig"),
            "--trust-list-anchor",
            demo_cert,
        ],
        None,
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    assert!(text(&out.stdout).contains("trusted by the at trust list"));
    // A bare-key list: valid, with validity and key usage not checkable.
    let out = dcc(
        &[
            "verify",
            hc1.trim(),
            "--json",
            "--trust-list",
            &tests_dir("golden/trustlists/demo-keys.jwt"),
            "--trust-list-anchor",
            demo_cert,
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let view: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(view["checks"]["validity"]["status"], "not_checkable");
    assert_eq!(view["checks"]["key_usage"]["status"], "not_checkable");
    assert_eq!(view["signer"]["source"]["format"], "ch");
    assert_eq!(view["signer"]["certificate"], false);
    // Gateway JSON (no anchor) plus a mismatched signature count: usage error.
    let out = dcc(
        &[
            "verify",
            hc1.trim(),
            "--trust-list",
            &tests_dir("golden/trustlists/gateway.json"),
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let out = dcc(
        &[
            "verify",
            hc1.trim(),
            "--trust-list",
            &tests_dir("golden/trustlists/gateway.json"),
            "--trust-list",
            &tests_dir("golden/trustlists/gateway.json"),
            "--trust-list-signature",
            &tests_dir("golden/trustlists/at-list.sig"),
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(2));
    // A list that does not trust the signer: INVALID, exit 1.
    let out = dcc(
        &[
            "verify",
            hc1.trim(),
            "--trust-list",
            &tests_dir("vectors/trustlists/de/dsc-list.txt"),
            "--trust-list-anchor",
            &tests_dir("vectors/trustlists/de/dsc-list-signing-key.pem"),
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stdout).contains("unknown_kid"));
}

#[test]
fn verify_with_rules_and_rules_eval_exit_codes() {
    let golden: serde_json::Value = serde_json::from_slice(
        &std::fs::read(tests_dir("golden/issued-vaccination-es256.json")).unwrap(),
    )
    .unwrap();
    let hc1 = golden["hc1"].as_str().unwrap();
    let dsc = tests_dir("golden/dsc-es256.pem");
    let real = tests_dir("vectors/rules/covpass-eu-rules.json");
    let own = tests_dir("golden/rules-xx.json");
    let base = [
        "verify",
        hc1,
        "--trust",
        &dsc,
        "--at",
        "2021-06-02T00:00:00Z",
    ];
    // The real rules for Germany: exit 0, and the rules are printed.
    let mut args = base.to_vec();
    args.extend(["--rules", &real, "--country", "DE"]);
    let out = dcc(&args, None);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    // (At this clock no German rule is in force yet: none applies, which passes.)
    assert!(text(&out.stdout).contains("RULES PASSED for DE: 0 passed, 0 failed, 0 open"));
    // Our own rules for XX: one fails -> exit 1, the JSON carries the report.
    let mut args = base.to_vec();
    args.extend(["--rules", &own, "--country", "XX", "--json"]);
    let out = dcc(&args, None);
    assert_eq!(out.status.code(), Some(1));
    let view: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(view["valid"], true);
    assert_eq!(view["rules"]["outcome"], "fail");
    // Only open rules (no failure): exit 3. Rules of region BY for a vaccination: GR-XX-0007
    // fails, so use a file with only the open ones.
    let dir = tempfile::tempdir().unwrap();
    let rules: Vec<serde_json::Value> =
        serde_json::from_slice(&std::fs::read(&own).unwrap()).unwrap();
    let open_only: Vec<_> = rules
        .iter()
        .filter(|r| r["Identifier"] == "GR-XX-0003" || r["Identifier"] == "GR-XX-0001")
        .cloned()
        .collect();
    let open_file = dir.path().join("open.json");
    std::fs::write(&open_file, serde_json::to_vec(&open_only).unwrap()).unwrap();
    let mut args = base.to_vec();
    args.extend(["--rules", open_file.to_str().unwrap(), "--country", "XX"]);
    let out = dcc(&args, None);
    assert_eq!(out.status.code(), Some(3), "{}", text(&out.stdout));
    assert!(text(&out.stdout).contains("OPEN   GR-XX-0003"));
    // --rules without --country is a usage error; malformed rules are exit 2.
    let mut args = base.to_vec();
    args.extend(["--rules", &own]);
    assert_eq!(dcc(&args, None).status.code(), Some(2));
    let not_rules = example("vaccination.json");
    let mut args = base.to_vec();
    args.extend(["--rules", &not_rules, "--country", "XX"]);
    let out = dcc(&args, None);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("invalid_rule"));
    // rules eval: PASSED 0, FAIL 1, OPEN 3, malformed 2.
    let payload = &golden["payload"];
    let data = dir.path().join("data.json");
    std::fs::write(&data, serde_json::to_vec(&serde_json::json!({"payload": payload, "external": {"validationClock": "2021-06-10T00:00:00Z", "countryCode": "XX"}})).unwrap()).unwrap();
    let data = data.to_str().unwrap();
    for (id, version, code, word) in [
        ("GR-XX-0001", "1.0.0", 0, "PASSED"),
        ("GR-XX-0002", "1.0.0", 1, "FAIL"),
        ("GR-XX-0003", "1.0.0", 3, "OPEN"),
    ] {
        let rule = rules
            .iter()
            .find(|r| r["Identifier"] == id && r["Version"] == version)
            .unwrap();
        let file = dir.path().join(format!("{id}.json"));
        std::fs::write(&file, serde_json::to_vec(rule).unwrap()).unwrap();
        let out = dcc(&["rules", "eval", file.to_str().unwrap(), data], None);
        assert_eq!(out.status.code(), Some(code), "{id}: {}", text(&out.stdout));
        assert!(
            text(&out.stdout).starts_with(&format!("  {word}")),
            "{}",
            text(&out.stdout)
        );
        let out = dcc(
            &["rules", "eval", file.to_str().unwrap(), data, "--json"],
            None,
        );
        let result: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(result["identifier"], id);
    }
    let out = dcc(&["rules", "eval", &own, &own], None);
    assert_eq!(out.status.code(), Some(2));
}

/// An output file that cannot be written fails with `io` and leaves no file, whole or partial,
/// behind (the bytes go to a temporary file that is renamed into place).
#[test]
fn an_unwritable_output_leaves_nothing_behind() {
    let dir = tempfile::tempdir().unwrap();
    let blocker = dir.path().join("not-a-dir");
    std::fs::write(&blocker, b"x").unwrap();
    for ext in ["png", "pdf", "txt"] {
        let target = blocker.join(format!("cert.{ext}"));
        let out = dcc(
            &[
                "issue",
                &example("vaccination.json"),
                "--out",
                target.to_str().unwrap(),
            ],
            None,
        );
        assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
        assert!(
            text(&out.stderr).contains("error [io]"),
            "{}",
            text(&out.stderr)
        );
    }
    // An existing output survives a failed write whole; a good write replaces it, and no
    // temporary file is left in the folder.
    let path = dir.path().join("cert.txt");
    std::fs::write(&path, b"old").unwrap();
    let out = dcc(
        &[
            "issue",
            &example("vaccination.json"),
            "--out",
            path.to_str().unwrap(),
        ],
        None,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(std::fs::read_to_string(&path).unwrap().starts_with("HC1:"));
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
    // An unreadable input file is bad input, not a panic.
    let out = dcc(
        &["issue", dir.path().join("missing.json").to_str().unwrap()],
        None,
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("error [io]"),
        "{}",
        text(&out.stderr)
    );
}
