//! Certificate identifiers: generation, checksum, lenient parsing, uniqueness.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code

use dcc_payload::uvci;

#[test]
fn spec_checksum_vector() {
    assert_eq!(
        uvci::check_character("URN:UVCI:01:NL:187/37512422923"),
        Some('Z')
    );
}

#[test]
fn real_identifiers_from_the_test_data_parse() {
    // (identifier, country, checksum valid?)
    let cases: &[(&str, &str, Option<bool>)] = &[
        (
            "URN:UVCI:01:DK:1D6DAB71F99A5C87A657D6D904558001#R",
            "DK",
            Some(true),
        ),
        ("URN:UVCI:01:SE:EHM/V12916227TFJJ#Q", "SE", None),
        ("urn:uvci:01:fi:dfi9ue4mxr4e2jvs8ch31nkqx#1", "FI", None),
        ("01ES49MS20A0C6F3404B30E3A0F4D21E4#1", "ES", None),
        (
            "URN:UVCI:01DE/IZ12345A/5CWLU12RNOB9RXSEOP6FG8#W",
            "DE",
            None,
        ),
        ("01 IS/123456789", "IS", None),
        (
            "URN:UVCI:01:AT:10807843F94AEE0EE5093FBC254BD813#B",
            "AT",
            None,
        ),
    ];
    for (id, country, valid) in cases {
        let u = uvci::parse(id).unwrap_or_else(|| panic!("{id}"));
        assert_eq!(u.country, *country, "{id}");
        if valid.is_some() {
            assert_eq!(u.check_valid, *valid, "{id}");
        }
    }
}

#[test]
fn ten_million_generated_identifiers_do_not_collide() {
    // 10^7 unique parts of 16 characters over 36 symbols (~82.7 bits): a collision would mean a
    // broken random source. Store only the unique parts, as fixed-size arrays.
    let mut seen = std::collections::HashSet::with_capacity(10_000_000);
    let first = uvci::generate("DE", "X").unwrap();
    let prefix_len = "URN:UVCI:01:DE:X/".len();
    assert_eq!(uvci::parse(&first).unwrap().check_valid, Some(true));
    for i in 0..10_000_000u32 {
        let id = uvci::generate("DE", "X").unwrap();
        let unique: [u8; 16] = id.as_bytes()[prefix_len..prefix_len + 16]
            .try_into()
            .unwrap();
        assert!(seen.insert(unique), "collision after {i} identifiers: {id}");
    }
}
