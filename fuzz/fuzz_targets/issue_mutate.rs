//! Structure-aware: an `arbitrary` vaccination (names in any script, dates, dose numbers,
//! codes) is validated, issued with the demo key and verified (valid, and decoding returns
//! what was signed); then the `HC1:` text is mutated at fuzzer-chosen places and decoded and
//! verified again, reaching the deep layers with well-formed outer ones.
#![no_main]
use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use serde_json::json;

#[derive(Arbitrary, Debug)]
struct Input {
    family: String,
    given: Option<String>,
    dob_year: u16,
    dob_month: u8,
    dob_day: u8,
    dose: u8,
    of: u8,
    days_ago: u16,
    product: u8,
    country: [u8; 2],
    edits: Vec<(u16, u8)>,
}

const PRODUCTS: [&str; 4] = [
    "EU/1/20/1528",
    "EU/1/20/1507",
    "EU/1/21/1529",
    "not-a-product",
];

fuzz_target!(|input: Input| {
    let iat = 1_750_000_000i64; // inside the demo DSC's validity
    let dt = iat - i64::from(input.days_ago) * 86_400;
    let date = |secs: i64| dcc::format_time(secs)[..10].to_string();
    let country: String = input
        .country
        .iter()
        .map(|b| char::from(b'A' + b % 26))
        .collect();
    let mut nam = json!({"fn": input.family});
    if let Some(g) = &input.given {
        nam["gn"] = json!(g);
    }
    let payload = json!({
        "ver": "1.3.0",
        "nam": nam,
        "dob": format!("{:04}-{:02}-{:02}", input.dob_year % 10_000, input.dob_month, input.dob_day),
        "v": [{
            "tg": "840539006", "vp": "1119349007",
            "mp": PRODUCTS[usize::from(input.product) % PRODUCTS.len()],
            "ma": "ORG-100030215",
            "dn": input.dose, "sd": input.of,
            "dt": date(dt), "co": country, "is": "Fuzz Issuer",
            "ci": ""
        }]
    });
    let opts = dcc::IssueOptions {
        issued_at: Some(iat),
        uvci_issuer: Some("FUZZ".into()),
        ..Default::default()
    };
    let Ok(cert) = dcc::Issuer::demo().issue_value(&payload, &opts) else {
        return; // refused with a typed error: fine
    };
    let verifier = dcc::Verifier::demo();
    let v = verifier
        .verify(cert.hc1(), iat + 60)
        .expect("own certificate decodes");
    assert!(v.is_valid(), "{:?}", v.failures());
    assert_eq!(
        v.payload(),
        &cert.dcc().to_value(),
        "decode returns what was signed"
    );

    let mut text = cert.hc1().as_bytes().to_vec();
    for &(at, byte) in &input.edits {
        let i = usize::from(at) % text.len();
        text[i] = byte;
    }
    if let Ok(mutated) = std::str::from_utf8(&text) {
        if let Ok(v) = verifier.verify(mutated, iat + 60) {
            let _ = v.to_json();
        }
    }
});
