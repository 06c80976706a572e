//! Distinguished names as RFC 4514 strings, for a DSC's subject and issuer.
//!
//! Produces exactly what x509-cert's `Display` for `Name` produces for the attribute types in
//! [`SHORT_NAMES`], without linking const-oid's OID name database (about 18 KB of the
//! WebAssembly module), which that `Display` searches for every attribute: RDNs last to first
//! separated by `,`, the attributes of a multi-valued RDN in encoded order separated by `+`,
//! `NAME=value` with RFC 4514 escaping when the type has a short name here and the value is a
//! PrintableString, UTF8String, IA5String or TeletexString, and otherwise the dotted OID with
//! the value's DER in hex (`2.5.4.97=#0c0f...`, RFC 4514 section 2.4). The names are the
//! shortest name the database gives each type, upper-cased, as x509-cert prints them (a unit
//! test compares the table with the database, and the output with x509-cert's for every
//! certificate in the test data).

use std::fmt::Write as _;

use der::{
    Encode, Tag, Tagged,
    asn1::{Ia5StringRef, ObjectIdentifier, PrintableStringRef, TeletexStringRef, Utf8StringRef},
};
use x509_cert::{attr::AttributeTypeAndValue, name::Name};

const fn oid(dotted: &str) -> ObjectIdentifier {
    ObjectIdentifier::new_unwrap(dotted)
}

/// Attribute types printed by name: the X.520 / RFC 4519 types found in DSC and CSCA names,
/// and the PKCS #9 e-mail address. Any other type (organizationIdentifier 2.5.4.97 among
/// them: the database has no name for it either) is printed as its dotted OID.
pub(crate) const SHORT_NAMES: [(ObjectIdentifier, &str); 22] = [
    (oid("2.5.4.3"), "CN"),
    (oid("2.5.4.6"), "C"),
    (oid("2.5.4.10"), "O"),
    (oid("2.5.4.11"), "OU"),
    (oid("2.5.4.7"), "L"),
    (oid("2.5.4.8"), "ST"),
    (oid("2.5.4.5"), "SERIALNUMBER"),
    (oid("1.2.840.113549.1.9.1"), "EMAIL"),
    (oid("2.5.4.42"), "GN"),
    (oid("2.5.4.4"), "SN"),
    (oid("2.5.4.9"), "STREET"),
    (oid("2.5.4.12"), "TITLE"),
    (oid("2.5.4.17"), "POSTALCODE"),
    (oid("2.5.4.43"), "INITIALS"),
    (oid("2.5.4.44"), "GENERATIONQUALIFIER"),
    (oid("2.5.4.46"), "DNQUALIFIER"),
    (oid("2.5.4.65"), "PSEUDONYM"),
    (oid("2.5.4.15"), "BUSINESSCATEGORY"),
    (oid("2.5.4.13"), "DESCRIPTION"),
    (oid("2.5.4.41"), "NAME"),
    (oid("0.9.2342.19200300.100.1.25"), "DC"),
    (oid("0.9.2342.19200300.100.1.1"), "UID"),
];

/// The RFC 4514 string of a name.
pub(crate) fn format_name(name: &Name) -> String {
    let mut out = String::new();
    let rdns: Vec<_> = name.iter_rdn().collect();
    for (i, rdn) in rdns.iter().rev().enumerate() {
        if i > 0 {
            out.push(',');
        }
        for (j, atv) in rdn.iter().enumerate() {
            if j > 0 {
                out.push('+');
            }
            push_atv(&mut out, atv);
        }
    }
    out
}

fn push_atv(out: &mut String, atv: &AttributeTypeAndValue) {
    let value = &atv.value;
    let text = match value.tag() {
        Tag::PrintableString => PrintableStringRef::try_from(value).ok().map(|s| s.as_str()),
        Tag::Utf8String => Utf8StringRef::try_from(value).ok().map(|s| s.as_str()),
        Tag::Ia5String => Ia5StringRef::try_from(value).ok().map(|s| s.as_str()),
        Tag::TeletexString => TeletexStringRef::try_from(value).ok().map(|s| s.as_str()),
        _ => None,
    };
    let short = SHORT_NAMES
        .iter()
        .find(|(o, _)| *o == atv.oid)
        .map(|(_, n)| *n);
    if let (Some(short), Some(text)) = (short, text) {
        out.push_str(short);
        out.push('=');
        let mut chars = text.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            match c {
                '#' if i == 0 => out.push_str("\\#"),
                ' ' if i == 0 || chars.peek().is_none() => out.push_str("\\ "),
                '"' | '+' | ',' | ';' | '<' | '>' | '\\' => {
                    out.push('\\');
                    out.push(c);
                }
                '\x00'..='\x1f' | '\x7f' => {
                    let _ = write!(out, "\\{:02x}", c as u8);
                }
                _ => out.push(c),
            }
        }
    } else {
        let _ = write!(out, "{}=#", atv.oid);
        for b in value.to_der().unwrap_or_default() {
            let _ = write!(out, "{b:02x}");
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use std::path::Path;

    use base64::Engine;
    use der::{Decode, asn1::Any};
    use x509_cert::{
        attr::AttributeTypeAndValue,
        certificate::{CertificateInner, Raw},
        name::{Name, RdnSequence, RelativeDistinguishedName},
    };

    use super::*;

    /// Each name in the table is the one x509-cert prints: the shortest name the OID database
    /// has for the type (the first of equal length), upper-cased.
    #[test]
    fn short_names_are_the_databases() {
        for (oid, name) in SHORT_NAMES {
            let mut shortest: Option<&str> = None;
            for n in der::oid::db::DB.find_names_for_oid(oid) {
                if shortest.is_none_or(|s| n.len() < s.len()) {
                    shortest = Some(n);
                }
            }
            assert_eq!(
                shortest.map(str::to_ascii_uppercase).as_deref(),
                Some(name),
                "{oid}"
            );
        }
        let org_id = ObjectIdentifier::new_unwrap("2.5.4.97");
        assert_eq!(der::oid::db::DB.find_names_for_oid(org_id).next(), None);
    }

    fn certificates(dir: &Path, out: &mut Vec<(String, Vec<u8>)>) {
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        entries.sort();
        for path in entries {
            if path.is_dir() {
                certificates(&path, out);
            } else if path.extension().is_some_and(|e| e == "json") {
                let Ok(json) =
                    serde_json::from_slice::<serde_json::Value>(&std::fs::read(&path).unwrap())
                else {
                    continue;
                };
                if let Some(b64) = json["TESTCTX"]["CERTIFICATE"].as_str() {
                    let der = base64::engine::general_purpose::STANDARD
                        .decode(b64.split_whitespace().collect::<String>())
                        .expect("base64 certificate");
                    out.push((path.display().to_string(), der));
                }
            }
        }
    }

    /// The subject and issuer of every certificate in the dgc-testdata vectors format as
    /// x509-cert's `Display` formats them.
    #[test]
    fn same_as_x509_cert_for_the_test_data() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/vectors/dgc-testdata");
        let mut certs = Vec::new();
        certificates(&dir, &mut certs);
        assert!(certs.len() > 500, "{} certificates", certs.len());
        let mut names = std::collections::BTreeSet::new();
        for (path, der) in &certs {
            let cert = CertificateInner::<Raw>::from_der(der).expect(path);
            let tbs = cert.tbs_certificate();
            for name in [tbs.subject(), tbs.issuer()] {
                assert_eq!(format_name(name), name.to_string(), "{path}");
                names.insert(format_name(name));
            }
        }
        // The data has names with organizationIdentifier and e-mail addresses.
        assert!(names.iter().any(|n| n.contains("2.5.4.97=#")));
        assert!(names.iter().any(|n| n.contains("EMAIL=")));
    }

    fn atv(oid: &str, tag: Tag, value: &[u8]) -> AttributeTypeAndValue {
        AttributeTypeAndValue {
            oid: ObjectIdentifier::new_unwrap(oid),
            value: Any::new(tag, value).unwrap(),
        }
    }

    /// Escaping, multi-valued RDNs, unknown types and non-string values, against x509-cert.
    #[test]
    fn same_as_x509_cert_for_edge_cases() {
        let values: [&[u8]; 9] = [
            b"#hash # inside",
            b" leading and trailing ",
            b" ",
            b"a\"b+c,d;e<f>g\\h=i",
            b"tab\there\x7f\x01",
            "Zürich €".as_bytes(),
            b"",
            b"\xff\xfe",
            b"ok",
        ];
        let types = [
            Tag::Utf8String,
            Tag::PrintableString,
            Tag::Ia5String,
            Tag::TeletexString,
            Tag::BmpString,
            Tag::OctetString,
        ];
        for value in values {
            for tag in types {
                for oid in ["2.5.4.3", "2.5.4.97", "1.2.840.113549.1.9.1", "1.2.3.4"] {
                    let Ok(any) = Any::new(tag, value) else {
                        continue;
                    };
                    let single = AttributeTypeAndValue {
                        oid: ObjectIdentifier::new_unwrap(oid),
                        value: any,
                    };
                    let rdn = RelativeDistinguishedName::try_from(vec![
                        single.clone(),
                        atv("2.5.4.6", Tag::PrintableString, b"XX"),
                    ])
                    .unwrap();
                    let other =
                        RelativeDistinguishedName::try_from(vec![atv("2.5.4.10", tag, b"O,+")])
                            .unwrap();
                    let seq = RdnSequence::from(vec![rdn, other]);
                    let name = Name::hazmat_from_rdn_sequence(seq);
                    assert_eq!(
                        format_name(&name),
                        name.to_string(),
                        "{oid} {tag:?} {value:?}"
                    );
                }
            }
        }
        let empty = Name::hazmat_from_rdn_sequence(RdnSequence::default());
        assert_eq!(format_name(&empty), "");
    }
}
