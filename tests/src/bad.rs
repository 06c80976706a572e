//! The bad-input table: malformed certificates, keys, certificates, images and payloads, each
//! with the error code (or failed check) it must produce. Written to `golden/bad-inputs.json` by
//! `regen-golden` so that every language binding runs the same table.

use base64::Engine;
use ciborium::Value as C;
use dcc::{
    Dcc, IssueOptions, Signer,
    layers::{cose::claims::CwtClaims, encoding},
};
use serde_json::{Value, json};

use crate::golden;

/// Verification time of the table: 2021-07-01T00:00:00Z.
pub const AT: i64 = 1_625_097_600;

fn b64(b: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(b)
}

fn int(i: i64) -> C {
    C::Integer(i.into())
}

fn cbor(v: &C) -> Vec<u8> {
    let mut out = Vec::new();
    ciborium::into_writer(v, &mut out).unwrap_or_else(|e| unreachable!("{e}"));
    out
}

fn hc1_of_cose(cose: &[u8]) -> String {
    encoding::encode_hc1(cose).unwrap_or_else(|e| unreachable!("{e}"))
}

fn vaccination() -> Value {
    golden::examples().remove(0).1
}

fn claims_bytes(payload: &Value, iat: i64, exp: i64) -> Vec<u8> {
    let dcc = Dcc::from_value(payload.clone()).unwrap_or_else(|e| unreachable!("{e}"));
    let hcert = dcc.to_cbor_value().unwrap_or_else(|e| unreachable!("{e}"));
    CwtClaims {
        iss: Some("XX".into()),
        iat: Some(iat),
        exp: Some(exp),
        hcert,
        float_dates: Vec::new(),
    }
    .to_vec()
    .unwrap_or_else(|e| unreachable!("{e}"))
}

/// How to build a COSE_Sign1 by hand.
struct Craft {
    protected: Vec<(C, C)>,
    unprotected: Vec<(C, C)>,
    payload: C,
    /// Signature override; `None` signs with the golden ES256 key.
    signature: Option<Vec<u8>>,
    tag: Option<u64>,
}

impl Craft {
    fn new(payload: Vec<u8>) -> Self {
        let kid = golden::es256_dsc().kid().to_vec();
        Craft {
            protected: vec![(int(1), int(-7)), (int(4), C::Bytes(kid))],
            unprotected: vec![],
            payload: C::Bytes(payload),
            signature: None,
            tag: Some(18),
        }
    }

    fn standard() -> Self {
        Self::new(claims_bytes(&vaccination(), golden::IAT, golden::EXP))
    }

    fn cose(&self) -> Vec<u8> {
        let protected = if self.protected.is_empty() {
            vec![]
        } else {
            cbor(&C::Map(self.protected.clone()))
        };
        let payload_bytes = match &self.payload {
            C::Bytes(b) => b.clone(),
            _ => vec![],
        };
        let tbs = cbor(&C::Array(vec![
            C::Text("Signature1".into()),
            C::Bytes(protected.clone()),
            C::Bytes(vec![]),
            C::Bytes(payload_bytes),
        ]));
        let signature = match &self.signature {
            Some(s) => s.clone(),
            None => golden::es256_key()
                .sign(&tbs)
                .unwrap_or_else(|e| unreachable!("{e}")),
        };
        let arr = C::Array(vec![
            C::Bytes(protected),
            C::Map(self.unprotected.clone()),
            self.payload.clone(),
            C::Bytes(signature),
        ]);
        cbor(&match self.tag {
            Some(t) => C::Tag(t, Box::new(arr)),
            None => arr,
        })
    }

    fn hc1(&self) -> String {
        hc1_of_cose(&self.cose())
    }
}

fn case(name: &str, kind: &str, input: Value, expect: Value) -> Value {
    json!({"name": name, "kind": kind, "input": input, "expect": expect})
}

fn err(code: &str) -> Value {
    json!({"error": code})
}

fn check(which: &str, code: &str) -> Value {
    json!({"check": which, "code": code})
}

fn blank_png() -> Vec<u8> {
    // A 64x64 white 8-bit grayscale PNG.
    let mut out = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut out, 64, 64);
        enc.set_color(png::ColorType::Grayscale);
        enc.set_depth(png::BitDepth::Eight);
        let mut w = enc.write_header().unwrap_or_else(|e| unreachable!("{e}"));
        w.write_image_data(&[255u8; 64 * 64])
            .unwrap_or_else(|e| unreachable!("{e}"));
    }
    out
}

/// Builds the table. Every case has `name`, `kind` (`hc1`, `hc1_repeat`, `image`, `key`,
/// `certificate`, `issue`), `input` and `expect` (`{"error": code}` or
/// `{"check": signature|validity|key_usage|payload, "code": code}`).
pub fn cases() -> Vec<Value> {
    let good = Craft::standard().hc1();
    let b45 = &good[4..];
    let mut v = Vec::new();
    let hc1 = |s: String| json!(s);

    // Prefix and Base45.
    v.push(case(
        "empty input",
        "hc1",
        hc1(String::new()),
        err("empty_input"),
    ));
    v.push(case(
        "missing prefix",
        "hc1",
        hc1(b45.to_string()),
        err("invalid_prefix"),
    ));
    v.push(case(
        "lowercase prefix",
        "hc1",
        hc1(format!("hc1:{b45}")),
        err("invalid_prefix"),
    ));
    v.push(case(
        "other prefix HL0:",
        "hc1",
        hc1(format!("HL0:{b45}")),
        err("invalid_prefix"),
    ));
    v.push(case(
        "future version HC2:",
        "hc1",
        hc1(format!("HC2:{b45}")),
        err("unsupported_version"),
    ));
    v.push(case(
        "leading space",
        "hc1",
        hc1(format!(" {good}")),
        err("invalid_prefix"),
    ));
    v.push(case(
        "invalid base45 character",
        "hc1",
        hc1(format!("HC1:{}a{}", &b45[..9], &b45[10..])),
        err("invalid_base45"),
    ));
    v.push(case(
        "trailing newline",
        "hc1",
        hc1(format!("{good}\n")),
        err("invalid_base45"),
    ));
    v.push(case(
        "base45 length 1 mod 3",
        "hc1",
        hc1(format!("HC1:{}", &b45[..(b45.len() - 3) / 3 * 3 + 1])),
        err("invalid_base45"),
    ));
    v.push(case(
        "base45 triple over 65535",
        "hc1",
        hc1("HC1:::::::".into()),
        err("invalid_base45"),
    ));
    v.push(case(
        "base45 final pair over 255",
        "hc1",
        hc1("HC1:BB8::".into()),
        err("invalid_base45"),
    ));
    v.push(case(
        "10 MB input",
        "hc1_repeat",
        json!({"prefix": "HC1:", "char": "A", "count": 10 * 1024 * 1024}),
        err("input_too_large"),
    ));

    // zlib.
    let mut corrupt = encoding::compress(&Craft::standard().cose()).unwrap_or_default();
    let mid = corrupt.len() / 2;
    corrupt[mid] ^= 0x55;
    corrupt[mid + 1] ^= 0xAA;
    v.push(case(
        "corrupt zlib",
        "hc1",
        hc1(format!("HC1:{}", encoding::base45::encode(&corrupt))),
        err("invalid_compression"),
    ));
    // zlib's dynamic Huffman code packs 1 MiB of zeros into about 1 KB (the issuing compressor
    // uses the fixed code, which would make this input too long to reach the inflater).
    let bomb = {
        use std::io::Write as _;
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
        z.write_all(&vec![0u8; 1024 * 1024])
            .and_then(|()| z.finish())
            .unwrap_or_default()
    };
    v.push(case(
        "zlib bomb (1 MiB of zeros)",
        "hc1",
        hc1(format!("HC1:{}", encoding::base45::encode(&bomb))),
        err("invalid_compression"),
    ));
    v.push(case(
        "uncompressed COSE",
        "hc1",
        hc1(format!(
            "HC1:{}",
            encoding::base45::encode(&Craft::standard().cose())
        )),
        err("invalid_compression"),
    ));
    let mut trailing = encoding::compress(&Craft::standard().cose()).unwrap_or_default();
    trailing.extend_from_slice(b"junk");
    v.push(case(
        "data after the zlib stream",
        "hc1",
        hc1(format!("HC1:{}", encoding::base45::encode(&trailing))),
        err("invalid_compression"),
    ));

    // CBOR / COSE structure.
    v.push(case(
        "not CBOR",
        "hc1",
        hc1(hc1_of_cose(&[0xff, 0xff, 0xff])),
        err("invalid_cbor"),
    ));
    v.push(case(
        "truncated CBOR",
        "hc1",
        hc1(hc1_of_cose(&Craft::standard().cose()[..40])),
        err("invalid_cbor"),
    ));
    v.push(case(
        "CBOR integer instead of COSE",
        "hc1",
        hc1(hc1_of_cose(&cbor(&int(42)))),
        err("invalid_cose"),
    ));
    v.push(case(
        "COSE array of three",
        "hc1",
        hc1(hc1_of_cose(&cbor(&C::Tag(
            18,
            Box::new(C::Array(vec![
                C::Bytes(vec![]),
                C::Map(vec![]),
                C::Bytes(vec![]),
            ])),
        )))),
        err("invalid_cose"),
    ));
    let mut sign = Craft::standard();
    sign.tag = Some(98);
    v.push(case(
        "COSE_Sign tag 98",
        "hc1",
        hc1(sign.hc1()),
        err("invalid_cose"),
    ));
    let mut detached = Craft::standard();
    detached.payload = C::Null;
    v.push(case(
        "detached payload",
        "hc1",
        hc1(detached.hc1()),
        err("invalid_cose"),
    ));

    // Claims and payload.
    let no_hcert = cbor(&C::Map(vec![
        (int(1), C::Text("XX".into())),
        (int(6), int(golden::IAT)),
        (int(4), int(golden::EXP)),
    ]));
    v.push(case(
        "missing hcert claim",
        "hc1",
        hc1(Craft::new(no_hcert).hc1()),
        err("invalid_claims"),
    ));
    let no_dcc = cbor(&C::Map(vec![(
        int(-260),
        C::Map(vec![(C::Text("1".into()), C::Map(vec![]))]),
    )]));
    v.push(case(
        "hcert with text key \"1\"",
        "hc1",
        hc1(Craft::new(no_dcc).hc1()),
        err("invalid_claims"),
    ));
    v.push(case(
        "claims not a map",
        "hc1",
        hc1(Craft::new(cbor(&C::Array(vec![]))).hc1()),
        err("invalid_claims"),
    ));
    let bytes_in_payload = cbor(&C::Map(vec![(
        int(-260),
        C::Map(vec![(
            int(1),
            C::Map(vec![(C::Text("ver".into()), C::Bytes(vec![1]))]),
        )]),
    )]));
    v.push(case(
        "byte string in the payload",
        "hc1",
        hc1(Craft::new(bytes_in_payload).hc1()),
        err("invalid_payload"),
    ));
    let mut two = vaccination();
    two["t"] = golden::examples()[1].1["t"].clone();
    let two_claims = {
        let hcert = dcc_payload::json_to_cbor(&two).unwrap_or(C::Null);
        CwtClaims {
            iss: Some("XX".into()),
            iat: Some(golden::IAT),
            exp: Some(golden::EXP),
            hcert,
            float_dates: Vec::new(),
        }
        .to_vec()
        .unwrap_or_default()
    };
    v.push(case(
        "two of v/t/r: payload finding",
        "hc1",
        hc1(Craft::new(two_claims.clone()).hc1()),
        json!({"check": "payload", "code": "payload_findings", "finding": "multiple_groups"}),
    ));
    // iat/exp as CBOR floats (HCERT requires integers; some real issuers send floats): valid,
    // read as whole seconds, reported as a finding.
    let float_claims = {
        let hcert = Dcc::from_value(vaccination())
            .and_then(|d| d.to_cbor_value())
            .unwrap_or(C::Null);
        cbor(&C::Map(vec![
            (int(1), C::Text("XX".into())),
            (int(4), C::Float(golden::EXP as f64 + 0.25)),
            (int(6), C::Float(golden::IAT as f64 + 0.5)),
            (int(-260), C::Map(vec![(int(1), hcert)])),
        ]))
    };
    v.push(case(
        "iat and exp as CBOR floats: valid, with a finding",
        "hc1",
        hc1(Craft::new(float_claims).hc1()),
        json!({"check": "payload", "code": "payload_findings", "finding": "float_numeric_date"}),
    ));
    let mut trailing = Craft::standard().cose();
    trailing.extend_from_slice(&[0xf6, 0x00]);
    v.push(case(
        "bytes after the COSE_Sign1 item",
        "hc1",
        hc1(hc1_of_cose(&trailing)),
        err("invalid_cose"),
    ));
    let mut two_doses = vaccination();
    let dose = two_doses["v"][0].clone();
    two_doses["v"] = json!([dose.clone(), dose]);
    v.push(case(
        "two entries in v (the HCERT guidance: reject)",
        "hc1",
        hc1(Craft::new(claims_bytes(&two_doses, golden::IAT, golden::EXP)).hc1()),
        check("structure", "multiple_entries"),
    ));
    let mut null_groups = vaccination();
    null_groups["t"] = Value::Null;
    null_groups["r"] = Value::Null;
    v.push(case(
        "null t and r beside v (sent by some issuers): valid",
        "hc1",
        hc1(Craft::new(claims_bytes(&null_groups, golden::IAT, golden::EXP)).hc1()),
        json!({"check": "key_usage", "code": "passed", "valid": true}),
    ));
    v.push(case(
        "two of v/t/r: key usage undecidable",
        "hc1",
        hc1(Craft::new(two_claims).hc1()),
        check("key_usage", "certificate_type_unknown"),
    ));

    // Signature.
    let mut alg = Craft::standard();
    alg.protected[0].1 = int(-8);
    v.push(case(
        "unknown alg (EdDSA -8)",
        "hc1",
        hc1(alg.hc1()),
        check("signature", "unsupported_algorithm"),
    ));
    let mut noalg = Craft::standard();
    noalg.protected.remove(0);
    v.push(case(
        "no alg",
        "hc1",
        hc1(noalg.hc1()),
        check("signature", "missing_algorithm"),
    ));
    let mut ps_on_ec = Craft::standard();
    ps_on_ec.protected[0].1 = int(-37);
    v.push(case(
        "PS256 header with an EC key",
        "hc1",
        hc1(ps_on_ec.hc1()),
        check("signature", "algorithm_key_mismatch"),
    ));
    let mut nokid = Craft::standard();
    nokid.protected.remove(1);
    v.push(case(
        "no kid",
        "hc1",
        hc1(nokid.hc1()),
        check("signature", "missing_kid"),
    ));
    let mut shortkid = Craft::standard();
    shortkid.protected[1].1 = C::Bytes(b"foo".to_vec());
    v.push(case(
        "kid of 3 bytes",
        "hc1",
        hc1(shortkid.hc1()),
        check("signature", "invalid_kid_length"),
    ));
    let mut unknownkid = Craft::standard();
    unknownkid.protected[1].1 = C::Bytes(vec![1, 2, 3, 4, 5, 6, 7, 8]);
    v.push(case(
        "unknown kid",
        "hc1",
        hc1(unknownkid.hc1()),
        check("signature", "unknown_kid"),
    ));
    let mut wrongprot = Craft::standard();
    wrongprot.unprotected = wrongprot.protected.clone();
    wrongprot.protected[1].1 = C::Bytes(vec![1, 2, 3, 4, 5, 6, 7, 8]);
    v.push(case(
        "wrong protected kid, right unprotected kid",
        "hc1",
        hc1(wrongprot.hc1()),
        check("signature", "unknown_kid"),
    ));
    let mut shortsig = Craft::standard();
    shortsig.signature = Some(vec![1, 2, 3]);
    v.push(case(
        "signature of 3 bytes",
        "hc1",
        hc1(shortsig.hc1()),
        check("signature", "invalid_signature_length"),
    ));
    let mut dersig = Craft::standard();
    dersig.signature = Some(vec![0x30; 72]);
    v.push(case(
        "oversized (DER-length) ES256 signature",
        "hc1",
        hc1(dersig.hc1()),
        check("signature", "invalid_signature_length"),
    ));
    let good_cose = Craft::standard().cose();
    let mut tampered = good_cose.clone();
    let at = tampered.len() - 64 - 60; // inside the payload, before the signature
    tampered[at] ^= 0x01;
    v.push(case(
        "tampered payload byte",
        "hc1",
        hc1(hc1_of_cose(&tampered)),
        check("signature", "invalid_signature"),
    ));
    let mut badsig = good_cose.clone();
    let last = badsig.len() - 1;
    badsig[last] ^= 0x01;
    v.push(case(
        "tampered signature",
        "hc1",
        hc1(hc1_of_cose(&badsig)),
        check("signature", "invalid_signature"),
    ));
    let mut zero = Craft::standard();
    zero.signature = Some(vec![0u8; 64]);
    v.push(case(
        "all-zero signature",
        "hc1",
        hc1(zero.hc1()),
        check("signature", "invalid_signature"),
    ));

    // Time.
    let mut future = Craft::new(claims_bytes(&vaccination(), AT + 86_400, golden::EXP));
    future.tag = None; // also exercises untagged COSE
    v.push(case(
        "issued after the verification time (untagged COSE)",
        "hc1",
        hc1(future.hc1()),
        check("validity", "not_yet_valid"),
    ));
    let expired = Craft::new(claims_bytes(&vaccination(), golden::IAT, AT - 1));
    v.push(case(
        "expired",
        "hc1",
        hc1(expired.hc1()),
        check("validity", "expired"),
    ));
    let beyond = Craft::new(claims_bytes(&vaccination(), golden::IAT, 1_900_000_000));
    v.push(case(
        "expiry after the DSC's notAfter",
        "hc1",
        hc1(beyond.hc1()),
        check("validity", "expires_after_signer_validity"),
    ));
    let before = Craft::new(claims_bytes(&vaccination(), 1_600_000_000, golden::EXP));
    v.push(case(
        "issued before the DSC's notBefore",
        "hc1",
        hc1(before.hc1()),
        check("validity", "issued_before_signer_validity"),
    ));

    // Images.
    v.push(case(
        "image with no QR code",
        "image",
        json!(b64(&blank_png())),
        err("no_qr_code"),
    ));
    v.push(case(
        "image that is not an image",
        "image",
        json!(b64(b"GIF89a not really")),
        err("invalid_image"),
    ));
    v.push(case(
        "truncated PNG",
        "image",
        json!(b64(&blank_png()[..40])),
        err("invalid_image"),
    ));
    v.push(case("empty image", "image", json!(""), err("empty_input")));

    // Keys and certificates.
    let cert_pem = golden::es256_dsc().to_pem();
    let key_pem = golden::es256_key().to_pkcs8_pem().unwrap_or_default();
    v.push(case(
        "key file that is a certificate",
        "key",
        json!(cert_pem),
        err("invalid_key"),
    ));
    v.push(case(
        "key that is garbage",
        "key",
        json!("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"),
        err("invalid_key"),
    ));
    v.push(case("empty key", "key", json!(""), err("invalid_key")));
    v.push(case(
        "key of another certificate",
        "key",
        json!(golden::ps256_key().to_pkcs8_pem().unwrap_or_default()),
        err("invalid_key"),
    ));
    v.push(case(
        "certificate that is a key",
        "certificate",
        json!(key_pem),
        err("invalid_certificate"),
    ));
    v.push(case(
        "certificate that is garbage",
        "certificate",
        json!("not a certificate"),
        err("invalid_certificate"),
    ));
    v.push(case(
        "truncated certificate",
        "certificate",
        json!(b64(&golden::es256_dsc().der()[..100])),
        err("invalid_certificate"),
    ));

    // Issuing.
    v.push(case(
        "issue: payload with two groups",
        "issue",
        json!({"payload": two, "issued_at": golden::IAT, "valid_days": 30}),
        err("validation_failed"),
    ));
    v.push(case(
        "issue: payload that is not an object",
        "issue",
        json!({"payload": [1, 2], "issued_at": golden::IAT, "valid_days": 30}),
        err("invalid_payload"),
    ));
    let mut missing = vaccination();
    missing["v"][0].as_object_mut().map(|o| o.remove("dt"));
    v.push(case(
        "issue: missing v/0/dt",
        "issue",
        json!({"payload": missing, "issued_at": golden::IAT, "valid_days": 30}),
        err("validation_failed"),
    ));
    v.push(case(
        "issue: expiry after the DSC's notAfter",
        "issue",
        json!({"payload": vaccination(), "issued_at": golden::IAT, "valid_days": 3650}),
        err("invalid_options"),
    ));
    let mut early_vaccination = vaccination();
    early_vaccination["v"][0]["dt"] = json!("2020-08-01");
    v.push(case(
        "issue: before the DSC's notBefore",
        "issue",
        json!({"payload": early_vaccination, "issued_at": 1_600_000_000, "valid_days": 30}),
        err("invalid_options"),
    ));
    let mut spaces = vaccination();
    spaces["v"][0]["mp"] = json!("EU/1/20/1528 ");
    spaces["v"][0]["dt"] = json!("2021-13-01");
    spaces["v"][0]["tg"] = json!("COVID");
    v.push(case(
        "issue: invalid date and unknown code (all problems listed)",
        "issue",
        json!({"payload": spaces, "issued_at": golden::IAT, "valid_days": 30}),
        json!({"error": "validation_failed", "issues": [["v/0/dt", "invalid_date"], ["v/0/tg", "unknown_code"]]}),
    ));
    let mut future = vaccination();
    future["v"][0]["dt"] = json!("2021-07-01");
    v.push(case(
        "issue: vaccination date after the issue time",
        "issue",
        json!({"payload": future, "issued_at": golden::IAT, "valid_days": 30}),
        json!({"error": "validation_failed", "issues": [["v/0/dt", "date_in_future"]]}),
    ));
    v.push(case(
        "issue: with an expired DSC (notAfter 2024-12-31)",
        "issue",
        json!({"payload": vaccination(), "issued_at": 1_748_736_000, "valid_days": 30}),
        err("invalid_options"),
    ));
    v.push(case(
        "issue: lowercase iss",
        "issue",
        json!({"payload": vaccination(), "issued_at": golden::IAT, "valid_days": 30, "iss": "de"}),
        err("invalid_options"),
    ));
    v
}

/// What running a case gave: an error code, or the verification.
pub enum Ran {
    /// The call failed with this code (and, for validation, these (path, code) issues).
    Error(String, Vec<(String, String)>),
    /// Verification ran.
    Verified(Box<dcc::Verification>),
    /// The call succeeded (key, certificate or issue cases).
    Ok,
}

/// Runs one case through the Rust facade.
pub fn run(case: &Value) -> Ran {
    let es_pem = golden::es256_dsc().to_pem();
    let verifier = dcc::Verifier::from_certs([es_pem.clone(), golden::ps256_dsc().to_pem()])
        .unwrap_or_else(|e| unreachable!("{e}"));
    let input = &case["input"];
    let text = input.as_str().unwrap_or_default();
    let result = match case["kind"].as_str().unwrap_or_default() {
        "hc1" => verifier
            .verify(text, AT)
            .map(|v| Ran::Verified(Box::new(v))),
        "hc1_repeat" => {
            let s = format!(
                "{}{}",
                input["prefix"].as_str().unwrap_or_default(),
                input["char"]
                    .as_str()
                    .unwrap_or_default()
                    .repeat(input["count"].as_u64().unwrap_or(0) as usize)
            );
            verifier.verify(&s, AT).map(|v| Ran::Verified(Box::new(v)))
        }
        "image" => {
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(text)
                .unwrap_or_default();
            verifier
                .verify_image(&bytes, AT)
                .map(|v| Ran::Verified(Box::new(v)))
        }
        "key" => dcc::Issuer::from_pem(text, &es_pem).map(|_| Ran::Ok),
        "certificate" => dcc::Verifier::from_certs([text]).map(|_| Ran::Ok),
        "issue" => {
            let issuer = dcc::Issuer::from_signer(
                std::sync::Arc::new(golden::es256_key()),
                golden::es256_dsc(),
            )
            .unwrap_or_else(|e| unreachable!("{e}"));
            let opts = IssueOptions {
                iss: input["iss"].as_str().map(str::to_string),
                issued_at: input["issued_at"].as_i64(),
                validity: input["valid_days"]
                    .as_i64()
                    .map_or(dcc::Validity::Default, |d| {
                        dcc::Validity::ForSeconds(d * 86_400)
                    }),
                ..Default::default()
            };
            issuer
                .issue_json(&input["payload"].to_string(), &opts)
                .map(|_| Ran::Ok)
        }
        other => unreachable!("unknown case kind {other}"),
    };
    result.unwrap_or_else(|e| {
        let issues = e
            .issues()
            .iter()
            .map(|i| (i.path.clone(), i.code.to_string()))
            .collect();
        Ran::Error(e.code().to_string(), issues)
    })
}
