//! Trust lists for the tests: paths of the real German and Swiss lists, and builders for the
//! lists no public data covers (Austrian lists, Swiss-format key lists of our own keys, EU
//! gateway JSON), all signed with the embedded demo key so that every language can check them
//! against the demo certificate.

#![allow(clippy::expect_used)] // test fixtures: a missing vector file or a failing demo key is a broken checkout

use std::path::PathBuf;

use base64::Engine;
use dcc::{Dsc, Signer};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

const B64: base64::engine::GeneralPurpose = base64::engine::general_purpose::STANDARD;
const B64URL: base64::engine::GeneralPurpose = base64::engine::general_purpose::URL_SAFE_NO_PAD;

/// `vectors/trustlists`.
pub fn dir() -> PathBuf {
    crate::crate_dir().join("vectors/trustlists")
}

/// The German list and its signing key.
pub fn german() -> (Vec<u8>, Vec<u8>) {
    let d = dir().join("de");
    (
        std::fs::read(d.join("dsc-list.txt")).expect("German list"),
        std::fs::read(d.join("dsc-list-signing-key.pem")).expect("German key"),
    )
}

/// The Swiss key list, its active-key list and the Swiss root.
pub fn swiss() -> (Vec<u8>, Vec<u8>, Vec<u8>) {
    let d = dir().join("ch");
    (
        std::fs::read(d.join("CH-20210715at1944-updates.jwt")).expect("Swiss list"),
        std::fs::read(d.join("CH-20210715at1944-keylist.jwt")).expect("Swiss active keys"),
        std::fs::read(d.join("CH-root.crt")).expect("Swiss root"),
    )
}

/// A gateway entry for a certificate (kid, country, type DSC, rawData, thumbprint).
pub fn gateway_entry(dsc: &Dsc, country: &str) -> Value {
    json!({
        "kid": dsc.kid_base64(),
        "country": country,
        "certificateType": "DSC",
        "rawData": B64.encode(dsc.der()),
        "thumbprint": hex::encode(Sha256::digest(dsc.der())),
        "timestamp": "2021-06-01T00:00:00Z",
        "signature": "",
    })
}

/// The demo key with RFC 6979 nonces, so that the fixture files are reproducible.
fn demo_signer() -> dcc::SigningKey {
    dcc::SigningKey::from_pem(dcc::demo::DEMO_KEY_PEM)
        .expect("demo key")
        .deterministic()
}

/// An Austrian trust list of `certs`: CBOR content `{"c":[{"i": kid, "c": DER}]}` and its
/// COSE_Sign1 signature file (ES256 by the demo key, protected `{1: -7, 4: kid}`) over the
/// CWT `{2: SHA-256(content), 4: exp, 5: nbf}`.
pub fn austrian(certs: &[Dsc], nbf: i64, exp: i64) -> (Vec<u8>, Vec<u8>) {
    use ciborium::Value as C;
    let items = certs
        .iter()
        .map(|d| {
            C::Map(vec![
                (C::Text("i".into()), C::Bytes(d.kid().to_vec())),
                (C::Text("c".into()), C::Bytes(d.der().to_vec())),
            ])
        })
        .collect();
    let mut content = Vec::new();
    ciborium::into_writer(
        &C::Map(vec![(C::Text("c".into()), C::Array(items))]),
        &mut content,
    )
    .expect("CBOR");
    let cwt = C::Map(vec![
        (
            C::Integer(2.into()),
            C::Bytes(Sha256::digest(&content).to_vec()),
        ),
        (C::Integer(4.into()), C::Integer(exp.into())),
        (C::Integer(5.into()), C::Integer(nbf.into())),
    ]);
    let mut payload = Vec::new();
    ciborium::into_writer(&cwt, &mut payload).expect("CBOR");
    let signature =
        dcc::layers::cose::sign1::sign(&demo_signer(), &dcc::demo::dsc().kid(), &payload)
            .expect("sign");
    (content, signature)
}

/// A Swiss-format key list (JWS ES256 by the demo key, `x5c` = the demo certificate) holding
/// each key as a bare key: `(public key SPKI DER, kid, use)`.
pub fn swiss_format(keys: &[(Vec<u8>, [u8; 8], &str)], payload_key: &str) -> Vec<u8> {
    let certs: Vec<Value> = keys
        .iter()
        .map(|(spki, kid, usage)| {
            json!({
                "keyId": B64.encode(kid), "use": usage, "alg": "ES256",
                "subjectPublicKeyInfo": B64.encode(spki),
                "n": null, "e": null, "crv": null, "x": null, "y": null,
            })
        })
        .collect();
    let body = if payload_key == "activeKeyIds" {
        json!({"activeKeyIds": keys.iter().map(|(_, k, _)| B64.encode(k)).collect::<Vec<_>>(), "validDuration": 172800000})
    } else {
        json!({ "certs": certs })
    };
    let header = json!({"alg": "ES256", "x5c": [B64.encode(dcc::demo::dsc().der())]});
    let signing_input = format!(
        "{}.{}",
        B64URL.encode(header.to_string()),
        B64URL.encode(body.to_string())
    );
    let sig = demo_signer().sign(signing_input.as_bytes()).expect("sign");
    format!("{signing_input}.{}", B64URL.encode(sig)).into_bytes()
}

/// 2024-01-01T00:00:00Z and 2049-12-31T00:00:00Z: the fixture lists' window (the demo
/// certificate's).
const FIXTURE_NBF: i64 = 1_704_067_200;
const FIXTURE_EXP: i64 = 2_524_521_600;

/// The trust-list fixtures every language loads (`golden/trustlists/`), signed with the demo
/// key (anchor: the demo certificate):
///
/// - `at-list.cbor` + `at-list.sig`: an Austrian list of the demo DSC and the golden ES256 and
///   PS256 DSCs, valid 2024-01-01 to 2049-12-31;
/// - `demo-keys.jwt`: a Swiss-format key list holding the demo key as a bare key;
/// - `gateway.json`: EU gateway entries of the same three DSCs plus one whose thumbprint is
///   wrong (skipped and reported).
pub fn fixtures() -> Vec<(String, Vec<u8>)> {
    let certs = [
        dcc::demo::dsc(),
        crate::golden::es256_dsc(),
        crate::golden::ps256_dsc(),
    ];
    let (content, sig) = austrian(&certs, FIXTURE_NBF, FIXTURE_EXP);
    let demo = dcc::demo::dsc();
    let keys = swiss_format(
        &[(demo.public_key_der().expect("demo SPKI"), demo.kid(), "sig")],
        "certs",
    );
    let mut entries: Vec<Value> = certs
        .iter()
        .zip(["XX", "XX", "XX"])
        .map(|(d, c)| gateway_entry(d, c))
        .collect();
    let mut bad = gateway_entry(&demo, "XX");
    bad["thumbprint"] = json!("00".repeat(32));
    entries.push(bad);
    let gateway = serde_json::to_string_pretty(&entries).expect("JSON") + "\n";
    vec![
        ("at-list.cbor".into(), content),
        ("at-list.sig".into(), sig),
        ("demo-keys.jwt".into(), keys),
        ("gateway.json".into(), gateway.into_bytes()),
    ]
}

/// One trust-list case of `golden/trust-list-views.json`: files relative to `tests/`, the
/// options, and the view (or error code) every language must produce.
pub fn cases() -> Vec<Value> {
    let at_2021 = "2021-07-16T00:00:00Z";
    vec![
        json!({"name": "german", "content": "vectors/trustlists/de/dsc-list.txt", "anchor": "vectors/trustlists/de/dsc-list-signing-key.pem"}),
        json!({"name": "german-wrong-anchor", "content": "vectors/trustlists/de/dsc-list.txt", "anchor": "vectors/trustlists/ch/CH-root.crt"}),
        json!({"name": "swiss", "content": "vectors/trustlists/ch/CH-20210715at1944-updates.jwt", "companion": "vectors/trustlists/ch/CH-20210715at1944-keylist.jwt", "anchor": "vectors/trustlists/ch/CH-root.crt", "at": at_2021}),
        json!({"name": "swiss-expired", "content": "vectors/trustlists/ch/CH-20210715at1944-updates.jwt", "anchor": "vectors/trustlists/ch/CH-root.crt", "at": "2026-01-01T00:00:00Z"}),
        json!({"name": "swiss-expired-allowed", "content": "vectors/trustlists/ch/CH-20210715at1944-updates.jwt", "anchor": "vectors/trustlists/ch/CH-root.crt", "at": "2026-01-01T00:00:00Z", "allow_expired": true}),
        json!({"name": "austrian", "content": "golden/trustlists/at-list.cbor", "companion": "golden/trustlists/at-list.sig", "anchor": "../crates/dcc/src/demo/cert.pem", "at": "2026-01-01T00:00:00Z"}),
        json!({"name": "austrian-wrong-anchor", "content": "golden/trustlists/at-list.cbor", "companion": "golden/trustlists/at-list.sig", "anchor": "vectors/trustlists/de/dsc-list-signing-key.pem", "at": "2026-01-01T00:00:00Z"}),
        json!({"name": "austrian-not-yet-valid", "content": "golden/trustlists/at-list.cbor", "companion": "golden/trustlists/at-list.sig", "anchor": "../crates/dcc/src/demo/cert.pem", "at": "2023-01-01T00:00:00Z"}),
        json!({"name": "demo-keys", "content": "golden/trustlists/demo-keys.jwt", "anchor": "../crates/dcc/src/demo/cert.pem", "at": "2026-01-01T00:00:00Z"}),
        json!({"name": "gateway", "content": "golden/trustlists/gateway.json"}),
        json!({"name": "gateway-with-anchor", "content": "golden/trustlists/gateway.json", "anchor": "../crates/dcc/src/demo/cert.pem"}),
        json!({"name": "not-a-list", "content": "../README.md"}),
    ]
}

/// Runs one case: the view as JSON, or `{"error": code}`.
pub fn run_case(case: &Value) -> Value {
    let base = crate::crate_dir();
    let file = |key: &str| {
        case.get(key)
            .and_then(Value::as_str)
            .map(|p| std::fs::read(base.join(p)).expect("case file"))
    };
    let options = dcc::TrustListOptions {
        at: case
            .get("at")
            .and_then(Value::as_str)
            .and_then(dcc::parse_time),
        allow_expired: case
            .get("allow_expired")
            .and_then(Value::as_bool)
            .unwrap_or(false),
        name: case.get("name").and_then(Value::as_str).map(str::to_string),
        format: None,
    };
    let content = file("content").expect("content");
    match dcc::TrustList::load(
        &content,
        file("companion").as_deref(),
        file("anchor").as_deref(),
        &options,
    ) {
        Ok(list) => serde_json::to_value(list.view()).expect("view"),
        Err(e) => json!({"error": e.code()}),
    }
}

/// `golden/trust-list-views.json`: every case with its expected result.
pub fn views() -> String {
    let cases: Vec<Value> = cases()
        .into_iter()
        .map(|mut c| {
            c["expect"] = run_case(&c);
            c
        })
        .collect();
    serde_json::to_string_pretty(&cases).expect("JSON") + "\n"
}
