//! Model and conversion tests.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code
use dcc_payload::{CertType, Dcc, PayloadError};
use serde_json::json;

fn vaccination() -> serde_json::Value {
    json!({"ver":"1.3.0","nam":{"fn":"Musterfrau","fnt":"MUSTERFRAU","gn":"Erika","gnt":"ERIKA"},
      "dob":"1964-08-12","v":[{"tg":"840539006","vp":"1119349007","mp":"EU/1/20/1528",
      "ma":"ORG-100030215","dn":2,"sd":2,"dt":"2021-05-29","co":"DE","is":"Robert Koch-Institut",
      "ci":"URN:UVCI:01DE/IZ12345A/5CWLU12RNOB9RXSEOP6FG8#W"}]})
}

#[test]
fn unknown_fields_survive_cbor() {
    let mut j = vaccination();
    j["meta"] = json!({"x": [1, 2]});
    j["nam"]["extra"] = json!("kept");
    j["v"][0]["zz"] = json!(true);
    let dcc = Dcc::from_value(j.clone()).unwrap();
    let back = Dcc::from_cbor_slice(&dcc.to_cbor_vec().unwrap()).unwrap();
    assert_eq!(back.to_value(), j);
}

#[test]
fn sample_time_is_tagged_and_read_either_way() {
    let j = json!({"ver":"1.3.0","nam":{"fnt":"X"},"dob":"1990","t":[{"tg":"840539006",
        "tt":"LP6464-4","sc":"2021-05-01T10:00:00Z","tr":"260415000","co":"DE","is":"X","ci":"Y"}]});
    let dcc = Dcc::from_value(j.clone()).unwrap();
    let cbor = dcc.to_cbor_vec().unwrap();
    // c0 = tag 0, 74 = text of 20 bytes.
    assert!(cbor.windows(2).any(|w| w == [0xc0, 0x74]));
    assert_eq!(Dcc::from_cbor_slice(&cbor).unwrap(), dcc);
    // Untagged is read the same way.
    let plain = dcc_payload::json_to_cbor(&j).unwrap();
    assert_eq!(Dcc::from_cbor_value(&plain).unwrap(), dcc);
    assert_eq!(dcc.cert_type().unwrap(), CertType::Test);
}

#[test]
fn structure_errors() {
    let mut two = vaccination();
    two["r"] = json!([]);
    let two = Dcc::from_value(two).unwrap();
    assert!(matches!(two.entry(), Err(PayloadError::MultipleGroups(_))));

    let mut none = vaccination();
    none.as_object_mut().unwrap().remove("v");
    assert_eq!(
        Dcc::from_value(none).unwrap().entry(),
        Err(PayloadError::NoGroup)
    );

    let mut twice = vaccination();
    let e = twice["v"][0].clone();
    twice["v"].as_array_mut().unwrap().push(e);
    assert_eq!(
        Dcc::from_value(twice).unwrap().entry(),
        Err(PayloadError::EntryCount { group: "v", len: 2 })
    );

    let mut null_group = vaccination();
    null_group["t"] = serde_json::Value::Null;
    assert!(Dcc::from_value(null_group).unwrap().entry().is_ok());

    let mut float_dose = vaccination();
    float_dose["v"][0]["dn"] = json!(1.0);
    assert_eq!(Dcc::from_value(float_dose).unwrap().v.unwrap()[0].dn, 1);
    let mut half_dose = vaccination();
    half_dose["v"][0]["dn"] = json!(1.5);
    assert!(matches!(
        Dcc::from_value(half_dose),
        Err(PayloadError::Model(_))
    ));

    assert!(matches!(Dcc::from_json("[1]"), Err(PayloadError::Model(_))));
    assert!(matches!(Dcc::from_json("{"), Err(PayloadError::Json(_))));
    assert!(matches!(
        Dcc::from_cbor_slice(&[0xff]),
        Err(PayloadError::Cbor(_))
    ));
}

#[test]
fn parser_errors_are_sources() {
    use std::error::Error as _;
    for (err, prefix) in [
        (Dcc::from_json("{").unwrap_err(), "invalid JSON: "),
        (Dcc::from_cbor_slice(&[0xff]).unwrap_err(), "invalid CBOR: "),
    ] {
        let source = err.source().unwrap();
        assert_eq!(err.to_string(), format!("{prefix}{source}"));
        assert_eq!(err.clone(), err);
    }
    let json_err = serde_json::from_str::<serde_json::Value>("{").unwrap_err();
    assert_eq!(
        PayloadError::from(json_err),
        Dcc::from_json("{").unwrap_err()
    );
}
