//! Golden vectors of our own: issued with fixed keys, times and payloads, so every byte is
//! reproducible (ES256 with RFC 6979 deterministic nonces). PS256 signatures are salted, so the
//! PS256 golden file is checked by verifying, not by comparing bytes.
//!
//! Regenerate with `cargo run -p dcc-conformance --bin regen-golden`; CI runs that and fails when
//! `git diff --exit-code tests/golden` shows a change.

use std::sync::Arc;

use dcc::{
    IssueOptions, Issuer, SigningKey,
    layers::cose::dsc::{CertificateParams, UsageType, build_certificate},
};
use serde_json::{Value, json};

/// The ES256 key: RFC 6979 appendix A.2.5 (P-256) private key `x`.
pub const ES256_KEY_HEX: &str = "C9AFA9D845BA75166B5C215767B1D6934E50C3DB36E89B127B8A622B120F6721";

/// Fixed issue time: 2021-06-01T00:00:00Z.
pub const IAT: i64 = 1_622_505_600;
/// Fixed expiry: 2022-06-01T00:00:00Z.
pub const EXP: i64 = 1_654_041_600;

/// The ES256 signing key.
pub fn es256_key() -> SigningKey {
    let bytes: [u8; 32] = hex::decode(ES256_KEY_HEX)
        .ok()
        .and_then(|b| b.try_into().ok())
        .unwrap_or_else(|| unreachable!("constant key"));
    let key = p256::ecdsa::SigningKey::from_bytes(&bytes.into())
        .unwrap_or_else(|_| unreachable!("constant key"));
    // Golden ES256 output is byte-exact: RFC 6979 nonces.
    SigningKey::from_p256(key).deterministic()
}

fn params(cn: &str) -> CertificateParams {
    CertificateParams {
        country: "XX".into(),
        common_name: cn.into(),
        not_before: 1_609_459_200, // 2021-01-01
        not_after: 1_735_689_599,  // 2024-12-31T23:59:59Z
        key_usage: vec![UsageType::Test, UsageType::Vaccination, UsageType::Recovery],
        serial: Some(vec![0x01, 0x23, 0x45, 0x67]),
        organization: None,
    }
}

/// The ES256 DSC (self-signed, deterministic).
pub fn es256_dsc() -> dcc::Dsc {
    let key = es256_key();
    build_certificate(&params("dcc-kit golden ES256"), &key.public_key_der(), &key)
        .unwrap_or_else(|e| unreachable!("golden certificate: {e}"))
}

/// The PS256 key (RSA-2048, `golden/rsa-key.pem`).
pub fn ps256_key() -> SigningKey {
    SigningKey::from_pem(include_str!("../golden/rsa-key.pem"))
        .unwrap_or_else(|e| unreachable!("golden RSA key: {e}"))
}

/// The PS256 DSC: the RSA key certified by the ES256 key (deterministic).
pub fn ps256_dsc() -> dcc::Dsc {
    build_certificate(
        &params("dcc-kit golden PS256"),
        &ps256_key().public_key_der(),
        &es256_key(),
    )
    .unwrap_or_else(|e| unreachable!("golden certificate: {e}"))
}

/// The example payloads, by certificate type.
pub fn examples() -> Vec<(&'static str, Value)> {
    let parse = |s: &str| serde_json::from_str(s).unwrap_or_else(|e| unreachable!("example: {e}"));
    vec![
        (
            "vaccination",
            parse(include_str!("../../examples/vaccination.json")),
        ),
        ("test", parse(include_str!("../../examples/test.json"))),
        (
            "recovery",
            parse(include_str!("../../examples/recovery.json")),
        ),
    ]
}

fn hexs(b: &[u8]) -> String {
    hex::encode(b)
}

/// Every golden file: (file name in `golden/`, contents).
pub fn generate() -> Result<Vec<(String, String)>, dcc::Error> {
    let mut files = Vec::new();
    let es_dsc = es256_dsc();
    let ps_dsc = ps256_dsc();
    files.push(("dsc-es256.pem".to_string(), es_dsc.to_pem()));
    files.push(("dsc-ps256.pem".to_string(), ps_dsc.to_pem()));
    let es = Issuer::from_signer(Arc::new(es256_key()), es_dsc)?;
    let ps = Issuer::from_signer(Arc::new(ps256_key()), ps_dsc)?;
    let opts = IssueOptions {
        iss: Some("XX".into()),
        issued_at: Some(IAT),
        validity: dcc::Validity::Until(EXP),
        ..Default::default()
    };
    for (name, payload) in examples() {
        let dcc = dcc::Dcc::from_value(payload.clone())?;
        for (alg, issuer) in [("es256", &es), ("ps256", &ps)] {
            let cert = issuer.issue(&dcc, &opts)?;
            let d = dcc::decode(cert.hc1())?;
            let compressed = dcc::layers::encoding::base45::decode(&cert.hc1()[4..])?;
            let doc = json!({
                "description": format!("{name} certificate, {}, fixed key and times", alg.to_uppercase()),
                "generated_by": "cargo run -p dcc-conformance --bin regen-golden",
                "deterministic": alg == "es256",
                "dsc": format!("dsc-{alg}.pem"),
                "iss": "XX",
                "iat": IAT,
                "exp": EXP,
                "payload": payload,
                "kid": hexs(&issuer.dsc().kid()),
                "claims_cbor": hexs(d.sign1.payload()),
                "cose": hexs(cert.cose()),
                "compressed": hexs(&compressed),
                "hc1": cert.hc1(),
            });
            let text = serde_json::to_string_pretty(&doc).unwrap_or_default() + "\n";
            files.push((format!("issued-{name}-{alg}.json"), text));
        }
    }
    let table = serde_json::to_string_pretty(&json!({
        "description": "Malformed inputs and the error code or failed check each must produce, in every language.",
        "generated_by": "cargo run -p dcc-conformance --bin regen-golden",
        "verify_at": crate::bad::AT,
        "trust": ["dsc-es256.pem", "dsc-ps256.pem"],
        "issuer": {"key": "ES256 golden key (src/golden.rs)", "dsc": "dsc-es256.pem"},
        "cases": crate::bad::cases(),
    }))
    .unwrap_or_default();
    files.push(("bad-inputs.json".to_string(), table + "\n"));
    files.push(("es256-key.pem".to_string(), es256_key().to_pkcs8_pem()?));
    let sample = conformance_sample()
        .map_err(|e| dcc::Error::Options(format!("conformance sample: {e}")))?;
    files.push((
        "conformance-sample.json".to_string(),
        serde_json::to_string_pretty(&sample).unwrap_or_default() + "\n",
    ));
    files.push((
        "conformance-views.json".to_string(),
        serde_json::to_string_pretty(&conformance_views(&sample)).unwrap_or_default() + "\n",
    ));
    Ok(files)
}

fn outcome_code(o: &dcc::Outcome) -> String {
    match o {
        dcc::Outcome::Passed => "passed".into(),
        dcc::Outcome::Failed(f) => f.code.to_string(),
        dcc::Outcome::Skipped { .. } => "skipped".into(),
        dcc::Outcome::NotCheckable { .. } => "not_checkable".into(),
    }
}

/// The full verification view (or error view) of every vector of the conformance sample: the
/// JSON that the CLI's `verify --json`, Python, JavaScript and Kotlin must all produce, field for
/// field.
pub fn conformance_views(sample: &Value) -> Value {
    let empty = Vec::new();
    let vectors: Vec<Value> = sample["vectors"]
        .as_array()
        .unwrap_or(&empty)
        .iter()
        .map(|v| {
            let hc1 = v["hc1"].as_str().unwrap_or_default();
            let cert = v["certificate"].as_str().unwrap_or_default();
            let at = v["at"].as_i64().unwrap_or_default();
            let result = dcc::Verifier::from_certs([cert]).and_then(|ver| ver.verify(hc1, at));
            let (view, error) = match result {
                Ok(r) => (serde_json::to_value(r.view()).unwrap_or_default(), Value::Null),
                Err(e) => (Value::Null, serde_json::to_value(e.view()).unwrap_or_default()),
            };
            json!({"name": v["name"], "hc1": hc1, "certificate": cert, "at": at, "view": view, "error": error})
        })
        .collect();
    json!({
        "description": "The verification view (or error view) of every vector of conformance-sample.json: the CLI (verify --json), Python, JavaScript and Kotlin must give exactly this JSON.",
        "generated_by": "cargo run -p dcc-conformance --bin regen-golden",
        "vectors": vectors,
    })
}

/// A sample of the official vectors (every `common/` vector with a QR text, plus the first of
/// each country folder) with the answers the Rust verifier gives, for the bindings to match:
/// each entry has the HC1 text, the DSC (base64 DER), the verification time and either
/// `{"error": code}` or the outcome code of each check.
pub fn conformance_sample() -> Result<Value, String> {
    let root = crate::dgc_testdata_dir();
    let vectors = crate::all_vectors(&root)?;
    let mut seen_dirs = std::collections::BTreeSet::new();
    let mut out = Vec::new();
    for v in &vectors {
        let Some(hc1) = v.str("PREFIX") else { continue };
        let Some(cert) = v.certificate() else {
            continue;
        };
        let dir = v
            .name
            .rsplit_once('/')
            .map(|(d, _)| d.to_string())
            .unwrap_or_default();
        let common = v.name.starts_with("common/");
        if !common && !seen_dirs.insert(dir) {
            continue;
        }
        let at = v.clock().unwrap_or(IAT);
        let verifier = match dcc::Verifier::from_certs([cert]) {
            Ok(ver) => ver,
            Err(_) => continue,
        };
        let expect = match verifier.verify(hc1, at) {
            Err(e) => json!({"error": e.code()}),
            Ok(r) => json!({
                "valid": r.is_valid(),
                "signature": outcome_code(&r.checks.signature),
                "validity": outcome_code(&r.checks.validity),
                "key_usage": outcome_code(&r.checks.key_usage),
                "payload": r.payload(),
            }),
        };
        out.push(
            json!({"name": v.name, "hc1": hc1, "certificate": cert, "at": at, "expect": expect}),
        );
    }
    Ok(json!({
        "description": "A sample of the official EU vectors with the answers of the Rust verifier; every binding must give the same.",
        "generated_by": "cargo run -p dcc-conformance --bin regen-golden",
        "vectors": out,
    }))
}
