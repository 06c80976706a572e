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

fn demo_signer() -> dcc::SigningKey {
    dcc::SigningKey::from_pem(dcc::demo::DEMO_KEY_PEM).expect("demo key")
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
