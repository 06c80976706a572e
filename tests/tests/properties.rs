//! Property tests (proptest) over generated input: valid payloads of all three types issue and
//! verify, and decoding returns the normalised payload; the model's JSON -> CBOR -> JSON is the
//! identity; Base45 and zlib round trips; transliteration always yields the ICAO pattern.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code

use dcc::{IssueOptions, Validator, Verifier};
use proptest::prelude::*;
use serde_json::{Value, json};

/// Issued at 2025-06-15 (inside the demo DSC's validity).
const IAT: i64 = 1_749_945_600;
const DAY: i64 = 86_400;

fn date(secs: i64) -> String {
    dcc::format_time(secs)[..10].to_string()
}

/// Names in the scripts real holders have: Latin with diacritics, Cyrillic, Greek; one to
/// three parts joined by space or hyphen.
fn name() -> impl Strategy<Value = String> {
    let part = prop_oneof![
        "[A-Z][a-zäöüßéèçñøåłšžő]{1,10}",
        "[А-Я][а-яё]{1,10}",
        "[ΑΒΓΔΕΖΗΘΙΚΛΜΝΞΟΠΡΣΤΥΦΧΨΩ][α-ω]{1,10}",
    ];
    (
        proptest::collection::vec(part, 1..=3),
        prop_oneof![Just(" "), Just("-")],
    )
        .prop_map(|(parts, sep)| parts.join(sep))
}

fn nam() -> impl Strategy<Value = Value> {
    (name(), proptest::option::of(name())).prop_map(|(f, g)| {
        let mut n = json!({"fn": f, "fnt": dcc::transliterate(&f).unwrap()});
        if let Some(g) = g {
            n["gnt"] = json!(dcc::transliterate(&g).unwrap());
            n["gn"] = json!(g);
        }
        n
    })
}

/// A date of birth (1920-2015, as a date, or year-month, or year only) and the time since it.
fn dob() -> impl Strategy<Value = (String, i64)> {
    (-1_577_000_000i64..1_420_000_000, 0u8..3).prop_map(|(t, form)| {
        let d = date(t);
        let shown = match form {
            0 => d,
            1 => d[..7].to_string(),
            _ => d[..4].to_string(),
        };
        (shown, t)
    })
}

fn vaccination() -> impl Strategy<Value = Value> {
    (
        nam(),
        dob(),
        1u32..4,
        0u32..3,
        1i64..700,
        prop::sample::select(vec![
            ("EU/1/20/1528", "ORG-100030215"),
            ("EU/1/20/1507", "ORG-100031184"),
            ("EU/1/21/1529", "ORG-100001699"),
            ("EU/1/20/1525", "ORG-100001417"),
        ]),
        prop::sample::select(vec!["DE", "AT", "FR", "GR", "BG", "IT"]),
    )
        .prop_map(|(nam, (dob, _), dn, extra, days, (mp, ma), co)| {
            json!({"ver": "1.3.0", "nam": nam, "dob": dob, "v": [{
                "tg": "840539006", "vp": "J07BX03", "mp": mp, "ma": ma,
                "dn": dn, "sd": dn + extra, "dt": date(IAT - days * DAY),
                "co": co, "is": "Robert Koch-Institut",
                "ci": "URN:UVCI:01:DE:PROP/ABC123#J"
            }]})
        })
}

fn test_cert() -> impl Strategy<Value = Value> {
    (nam(), dob(), 1i64..72, any::<bool>(), any::<bool>()).prop_map(
        |(nam, (dob, _), hours, rat, positive)| {
            let mut t = json!({
                "tg": "840539006",
                "tt": if rat { "LP217198-3" } else { "LP6464-4" },
                "sc": dcc::format_time(IAT - hours * 3600),
                "tr": if positive { "260373001" } else { "260415000" },
                "tc": "Testzentrum Köln Hbf", "co": "DE", "is": "Robert Koch-Institut",
                "ci": "URN:UVCI:01:DE:PROP/TST123#8"
            });
            if rat {
                t["ma"] = json!("1232");
            }
            json!({"ver": "1.3.0", "nam": nam, "dob": dob, "t": [t]})
        },
    )
}

fn recovery() -> impl Strategy<Value = Value> {
    (nam(), dob(), 11i64..400, 0i64..10, 30i64..180).prop_map(
        |(nam, (dob, _), ago, df_after, valid)| {
            let fr = IAT - ago * DAY;
            let df = fr + (10 + df_after) * DAY;
            let df = df.min(IAT);
            json!({"ver": "1.3.0", "nam": nam, "dob": dob, "r": [{
                "tg": "840539006", "fr": date(fr), "df": date(df),
                "du": date(fr + valid * DAY), "co": "DE",
                "is": "Robert Koch-Institut", "ci": "URN:UVCI:01:DE:PROP/REC123#4"
            }]})
        },
    )
}

fn payload() -> impl Strategy<Value = Value> {
    prop_oneof![vaccination(), test_cert(), recovery()]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn generated_payloads_issue_verify_and_decode_to_the_normalised_payload(p in payload()) {
        let prepared = Validator::default().prepare_for_issuing(&p, IAT);
        prop_assert!(prepared.issues.is_empty(), "{:?}\n{p:#}", prepared.issues);
        let opts = IssueOptions { issued_at: Some(IAT), ..Default::default() };
        let cert = dcc::Issuer::demo().issue_value(&p, &opts).unwrap();
        let v = Verifier::demo().verify(cert.hc1(), IAT + 3600).unwrap();
        prop_assert!(v.is_valid(), "{:?}", v.failures());
        prop_assert!(v.findings.is_empty(), "{:?}", v.findings);
        prop_assert_eq!(v.payload(), &prepared.payload);
        prop_assert_eq!(v.payload(), &cert.dcc().to_value());
        prop_assert_eq!(v.claims().iat, Some(IAT));
    }

    #[test]
    fn the_models_json_cbor_json_is_the_identity(p in payload()) {
        let dcc = dcc::Dcc::from_value(p).unwrap();
        let json = dcc.to_value();
        let cbor = dcc.to_cbor_value().unwrap();
        prop_assert_eq!(&dcc_payload::cbor_to_json(&cbor).unwrap(), &json);
        let again = dcc::Dcc::from_value(json.clone()).unwrap();
        prop_assert_eq!(again.to_value(), json);
        // The model writes `sc` with the date-time tag 0; the generic converter does not tag.
        prop_assert_eq!(again.to_cbor_value().unwrap(), cbor);
    }

    #[test]
    fn base45_round_trips(bytes in proptest::collection::vec(any::<u8>(), 0..2000)) {
        let text = dcc_encoding::base45::encode(&bytes);
        prop_assert!(text.bytes().all(|c| dcc_encoding::base45::ALPHABET.contains(&c)));
        prop_assert_eq!(text.len(), bytes.len() / 2 * 3 + bytes.len() % 2 * 2);
        prop_assert_eq!(dcc_encoding::base45::decode(&text).unwrap(), bytes);
    }

    #[test]
    fn zlib_round_trips(bytes in proptest::collection::vec(any::<u8>(), 0..5000)) {
        let packed = dcc_encoding::compress(&bytes).unwrap();
        prop_assert_eq!(dcc_encoding::decompress(&packed).unwrap(), bytes);
    }

    #[test]
    fn transliteration_always_matches_the_icao_pattern(n in name()) {
        let t = dcc::transliterate(&n).unwrap();
        prop_assert!(!t.is_empty());
        prop_assert!(t.bytes().all(|c| c.is_ascii_uppercase() || c == b'<'), "{n} -> {t}");
        prop_assert!(!t.starts_with('<') && !t.ends_with('<') && !t.contains("<<"), "{n} -> {t}");
    }
}
