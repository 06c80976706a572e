//! Signing in a real SoftHSM2 token through PKCS#11. The test command initialises a throwaway
//! token (`scripts/softhsm.sh`) and exports `SOFTHSM2_CONF`, `DCC_TEST_PKCS11_MODULE`,
//! `DCC_TEST_PKCS11_TOKEN`, `DCC_TEST_PKCS11_PIN` and `DCC_REQUIRE_PKCS11=1` (without a token
//! these tests then fail instead of skipping).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code

use std::process::Command;
use std::sync::Arc;

use dcc::pkcs11::{Pkcs11Options, Pkcs11Signer, generate_in_token};
use dcc::{Algorithm, ErrorKind, IssueOptions, Issuer, KeyOptions, Signer, Verifier};
use zeroize::Zeroizing;

struct Token {
    module: String,
    label: String,
    pin: String,
}

fn token() -> Option<Token> {
    let get = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
    match (
        get("DCC_TEST_PKCS11_MODULE"),
        get("DCC_TEST_PKCS11_TOKEN"),
        get("DCC_TEST_PKCS11_PIN"),
        get("SOFTHSM2_CONF"),
    ) {
        (Some(module), Some(label), Some(pin), Some(_)) => Some(Token { module, label, pin }),
        _ => {
            assert!(
                std::env::var_os("DCC_REQUIRE_PKCS11").is_none(),
                "DCC_REQUIRE_PKCS11 is set but no SoftHSM2 token is configured"
            );
            eprintln!("no SoftHSM2 token (scripts/softhsm.sh): PKCS#11 tests not run");
            None
        }
    }
}

impl Token {
    fn uri(&self, object: &str) -> String {
        format!(
            "pkcs11:token={};object={object}?module-path={}",
            self.label, self.module
        )
    }
    fn options(&self) -> Pkcs11Options {
        Pkcs11Options {
            pin: Some(Zeroizing::new(self.pin.clone())),
            ..Default::default()
        }
    }
}

fn payload() -> serde_json::Value {
    dcc_conformance::ledger_payload()
}

fn issue_opts() -> IssueOptions {
    IssueOptions {
        uvci_issuer: Some("HSM".into()),
        ..Default::default()
    }
}

fn unique(name: &str) -> String {
    format!(
        "{name}-{}-{:?}",
        std::process::id(),
        std::thread::current().id()
    )
    .replace(['(', ')'], "")
}

#[test]
fn es256_and_ps256_keys_generated_in_the_token_issue_certificates_that_verify() {
    let Some(t) = token() else { return };
    for alg in [Algorithm::Es256, Algorithm::Ps256] {
        let label = unique(&format!("dsc-{alg}"));
        let key =
            generate_in_token(&t.uri(&label), &t.options(), alg, &KeyOptions::default()).unwrap();
        assert_eq!(key.signer.algorithm(), alg);
        // A second key with the same label is refused.
        assert_eq!(
            generate_in_token(&t.uri(&label), &t.options(), alg, &KeyOptions::default())
                .unwrap_err()
                .kind(),
            ErrorKind::Pkcs11DeviceError
        );
        let issuer = Issuer::from_pkcs11(&t.uri(&label), &key.cert_pem, &t.options()).unwrap();
        assert_eq!(issuer.algorithm(), alg);
        let cert = issuer.issue_value(&payload(), &issue_opts()).unwrap();
        let verifier = Verifier::from_certs([key.cert_pem.as_bytes()]).unwrap();
        let v = verifier.verify(cert.hc1(), dcc::now()).unwrap();
        assert!(v.is_valid(), "{alg}: {:?}", v.failures());
        // The signer found through the URI is the same key as the one generated.
        assert_eq!(
            Pkcs11Signer::open(&t.uri(&label), &t.options())
                .unwrap()
                .public_key_der(),
            key.signer.public_key_der()
        );
    }
}

#[test]
fn each_failure_has_its_own_code_and_never_shows_the_pin() {
    let Some(t) = token() else { return };
    let label = unique("errors");
    let key = generate_in_token(
        &t.uri(&label),
        &t.options(),
        Algorithm::Es256,
        &KeyOptions::default(),
    )
    .unwrap();
    // A wrong PIN is tested by the CLI tests, in a fresh process: PKCS#11 keeps a token logged
    // in for the whole process while any session is open, so a later login in the same
    // process is not checked by the token (C_Login answers CKR_USER_ALREADY_LOGGED_IN).
    let cases: Vec<(&str, String, Pkcs11Options, ErrorKind)> = vec![
        (
            "missing token",
            format!(
                "pkcs11:token=no-such-token;object={label}?module-path={}",
                t.module
            ),
            t.options(),
            ErrorKind::Pkcs11TokenNotFound,
        ),
        (
            "missing key",
            t.uri("no-such-key"),
            t.options(),
            ErrorKind::Pkcs11KeyNotFound,
        ),
        (
            "module not loadable",
            format!(
                "pkcs11:token={};object={label}?module-path=/nonexistent/libnothing.so",
                t.label
            ),
            t.options(),
            ErrorKind::Pkcs11ModuleUnavailable,
        ),
        (
            "not a PKCS#11 module",
            format!(
                "pkcs11:token={};object={label}?module-path=/usr/lib/x86_64-linux-gnu/libz.so.1",
                t.label
            ),
            t.options(),
            ErrorKind::Pkcs11ModuleUnavailable,
        ),
        (
            "bad URI",
            "pkcs12:token=x".to_string(),
            t.options(),
            ErrorKind::InvalidArgument,
        ),
    ];
    for (name, uri, opts, kind) in cases {
        let err = Issuer::from_pkcs11(&uri, &key.cert_pem, &opts).unwrap_err();
        assert_eq!(err.kind(), kind, "{name}: {err}");
        assert!(!err.to_string().contains("99999999"), "{name}: {err}");
        assert!(!format!("{err:?}").contains("99999999"), "{name}");
    }
    // Without any PIN (no option, no pin-value or pin-source, no DCC_PKCS11_PIN).
    if std::env::var_os(dcc::pkcs11::PIN_ENV).is_none() {
        let err = Issuer::from_pkcs11(&t.uri(&label), &key.cert_pem, &Pkcs11Options::default())
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Pkcs11PinIncorrect, "{err}");
    }
    // A PIN from a file (pin-source).
    let dir = std::env::temp_dir().join(unique("pin"));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("pin"), format!("{}\n", t.pin)).unwrap();
    let uri = format!(
        "{}&pin-source=file:{}",
        t.uri(&label),
        dir.join("pin").display()
    );
    assert!(Issuer::from_pkcs11(&uri, &key.cert_pem, &Pkcs11Options::default()).is_ok());

    // An RSA key in the token with an EC DSC: invalid_key.
    let rsa = unique("rsa-for-ec");
    generate_in_token(
        &t.uri(&rsa),
        &t.options(),
        Algorithm::Ps256,
        &KeyOptions::default(),
    )
    .unwrap();
    let err = Issuer::from_pkcs11(&t.uri(&rsa), &key.cert_pem, &t.options()).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidKey, "{err}");
    // Another EC key with this EC DSC: invalid_key (the token's public key is checked).
    let other = unique("other-ec");
    generate_in_token(
        &t.uri(&other),
        &t.options(),
        Algorithm::Es256,
        &KeyOptions::default(),
    )
    .unwrap();
    let err = Issuer::from_pkcs11(&t.uri(&other), &key.cert_pem, &t.options()).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidKey, "{err}");
}

#[test]
fn eight_threads_issue_10000_certificates_through_the_token() {
    let Some(t) = token() else { return };
    let label = unique("threads");
    let key = generate_in_token(
        &t.uri(&label),
        &t.options(),
        Algorithm::Es256,
        &KeyOptions::default(),
    )
    .unwrap();
    let signer = Arc::new(Pkcs11Signer::open(&t.uri(&label), &t.options()).unwrap());
    let issuer = Issuer::from_signer(
        signer.clone(),
        dcc::Dsc::parse(key.cert_pem.as_bytes()).unwrap(),
    )
    .unwrap();
    let verifier = Verifier::from_certs([key.cert_pem.as_bytes()]).unwrap();
    let total = std::sync::atomic::AtomicUsize::new(0);
    std::thread::scope(|s| {
        for _ in 0..8 {
            s.spawn(|| {
                let p = payload();
                for _ in 0..1250 {
                    let c = issuer.issue_value(&p, &issue_opts()).unwrap();
                    assert!(verifier.verify(c.hc1(), dcc::now()).unwrap().is_valid());
                    total.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                }
            });
        }
    });
    assert_eq!(total.into_inner(), 10_000);
    assert!(
        signer.sessions() >= 2 && signer.sessions() <= 8,
        "{} sessions",
        signer.sessions()
    );
}

fn openssl_req(pem: &str, name: &str) -> String {
    let dir = std::env::temp_dir().join(unique("csr"));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("{name}.csr"));
    std::fs::write(&path, pem).unwrap();
    let out = Command::new("openssl")
        .args(["req", "-in"])
        .arg(&path)
        .args(["-verify", "-noout", "-text"])
        .output()
        .expect("openssl");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "{name}: {text}");
    assert!(
        text.contains("verify OK") || text.contains("Certificate request self-signature verify OK"),
        "{name}: {text}"
    );
    text
}

#[test]
fn certificate_requests_verify_with_openssl_and_carry_the_requested_oids() {
    let opts = KeyOptions {
        country: "DE".into(),
        common_name: "DSC Pharmacy 4711".into(),
        organization: Some("Example Health Ltd".into()),
        certificate_types: vec![dcc::CertType::Vaccination, dcc::CertType::Recovery],
        ..Default::default()
    };
    // A key in memory (keygen).
    let generated = dcc::generate_key(&opts).unwrap();
    let text = openssl_req(&generated.csr_pem, "memory");
    for want in [
        "C = DE",
        "O = Example Health Ltd",
        "CN = DSC Pharmacy 4711",
        "1.3.6.1.4.1.1847.2021.1.2",
        "1.3.6.1.4.1.1847.2021.1.3",
        "Digital Signature",
    ] {
        assert!(text.contains(want), "{want} missing: {text}");
    }
    assert!(
        !text.contains("1.3.6.1.4.1.1847.2021.1.1"),
        "test OID not requested: {text}"
    );
    // Keys in the token, both algorithms.
    let Some(t) = token() else { return };
    for alg in [Algorithm::Es256, Algorithm::Ps256] {
        let label = unique(&format!("csr-{alg}"));
        let key = generate_in_token(&t.uri(&label), &t.options(), alg, &opts).unwrap();
        let text = openssl_req(&key.csr_pem, &label);
        assert!(text.contains("1.3.6.1.4.1.1847.2021.1.2"), "{text}");
        assert!(
            text.contains(if alg == Algorithm::Es256 {
                "ecdsa-with-SHA256"
            } else {
                "rsassaPss"
            }),
            "{text}"
        );
        // The self-signed DSC allows exactly the requested types.
        let dsc = dcc::Dsc::parse(key.cert_pem.as_bytes()).unwrap();
        assert_eq!(
            dsc.extended_key_usage_oids(),
            ["1.3.6.1.4.1.1847.2021.1.2", "1.3.6.1.4.1.1847.2021.1.3"]
        );
    }
}

#[test]
fn bad_subject_options_create_nothing_in_the_token() {
    let Some(t) = token() else { return };
    let label = unique("bad-subject");
    let bad = KeyOptions {
        country: "Germany".into(),
        ..Default::default()
    };
    let err = generate_in_token(&t.uri(&label), &t.options(), Algorithm::Es256, &bad).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidOptions);
    // The label is still free.
    generate_in_token(
        &t.uri(&label),
        &t.options(),
        Algorithm::Es256,
        &KeyOptions::default(),
    )
    .unwrap();
}

/// SoftHSM2's file store fails key generation (CKR_GENERAL_ERROR) when another thread of the
/// process reads the token's objects at the same time; the library serialises the two.
#[test]
fn keys_generated_while_other_threads_open_keys_never_fail() {
    let Some(t) = token() else { return };
    let existing = unique("concurrent-existing");
    generate_in_token(
        &t.uri(&existing),
        &t.options(),
        Algorithm::Es256,
        &KeyOptions::default(),
    )
    .unwrap();
    let t = Arc::new(t);
    let existing = Arc::new(existing);
    let mut threads = Vec::new();
    for n in 0..3 {
        let t = Arc::clone(&t);
        threads.push(std::thread::spawn(move || {
            for k in 0..4 {
                let label = unique(&format!("concurrent-{n}-{k}"));
                generate_in_token(
                    &t.uri(&label),
                    &t.options(),
                    Algorithm::Es256,
                    &KeyOptions::default(),
                )
                .unwrap();
            }
        }));
    }
    for _ in 0..3 {
        let (t, existing) = (Arc::clone(&t), Arc::clone(&existing));
        threads.push(std::thread::spawn(move || {
            for _ in 0..20 {
                Pkcs11Signer::open(&t.uri(&existing), &t.options()).unwrap();
            }
        }));
    }
    for th in threads {
        th.join().unwrap();
    }
}
