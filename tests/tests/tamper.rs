//! Exhaustive tamper test: for one ES256 and one PS256 certificate, every single-bit flip of
//! the COSE_Sign1 bytes (every bit, not a sample) and every replacement of one character of the
//! `HC1:` text by another Base45 character never verifies as valid. Each case must be refused
//! by a typed decode error or by a failed check.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code

use std::sync::Arc;

use dcc::{Dsc, IssueOptions, Issuer, SigningKey, Verifier};
use dcc_conformance::golden;

const AT: i64 = golden::IAT + 86_400;

fn issue(key: SigningKey, dsc: &Dsc) -> dcc::Certificate {
    let issuer = Issuer::from_signer(Arc::new(key), dsc.clone()).unwrap();
    let opts = IssueOptions {
        issued_at: Some(golden::IAT),
        ..Default::default()
    };
    issuer.issue_value(&golden::examples()[0].1, &opts).unwrap()
}

#[derive(Default, Debug)]
struct Tally {
    cases: usize,
    decode_error: usize,
    check_failed: usize,
    valid: Vec<String>,
}

fn flip_every_bit(cert: &dcc::Certificate, verifier: &Verifier) -> Tally {
    let cose = cert.cose();
    let mut t = Tally::default();
    for bit in 0..cose.len() * 8 {
        let mut bytes = cose.to_vec();
        bytes[bit / 8] ^= 1 << (bit % 8);
        t.cases += 1;
        match dcc::decode_cose(String::new(), bytes) {
            Err(_) => t.decode_error += 1,
            Ok(decoded) => {
                if verifier.verify_decoded(decoded, AT).is_valid() {
                    t.valid.push(format!("byte {} bit {}", bit / 8, bit % 8));
                } else {
                    t.check_failed += 1;
                }
            }
        }
    }
    t
}

fn replace_every_character(cert: &dcc::Certificate, verifier: &Verifier) -> Tally {
    let text = cert.hc1().as_bytes();
    let mut t = Tally::default();
    for i in 0..text.len() {
        for &c in dcc_encoding::base45::ALPHABET {
            if c == text[i] {
                continue;
            }
            let mut bytes = text.to_vec();
            bytes[i] = c;
            let tampered = String::from_utf8(bytes).unwrap();
            t.cases += 1;
            match verifier.verify(&tampered, AT) {
                Err(_) => t.decode_error += 1,
                Ok(v) if v.is_valid() => t.valid.push(format!("position {i} -> {}", c as char)),
                Ok(_) => t.check_failed += 1,
            }
        }
    }
    t
}

fn exhaustive(name: &str, key: SigningKey, dsc: Dsc) {
    let cert = issue(key, &dsc);
    let verifier = Verifier::new([dsc]);
    assert!(
        verifier.verify(cert.hc1(), AT).unwrap().is_valid(),
        "{name}: untouched"
    );
    let bits = flip_every_bit(&cert, &verifier);
    assert_eq!(bits.cases, cert.cose().len() * 8);
    println!(
        "{name}: {} bit flips of {} COSE bytes: {} decode errors, {} failed checks, {} valid",
        bits.cases,
        cert.cose().len(),
        bits.decode_error,
        bits.check_failed,
        bits.valid.len()
    );
    assert!(
        bits.valid.is_empty(),
        "{name}: valid after {:?}",
        bits.valid
    );
    let chars = replace_every_character(&cert, &verifier);
    assert_eq!(chars.cases, cert.hc1().len() * 44);
    println!(
        "{name}: {} character replacements in {} HC1 characters: {} decode errors, {} failed checks, {} valid",
        chars.cases,
        cert.hc1().len(),
        chars.decode_error,
        chars.check_failed,
        chars.valid.len()
    );
    assert!(
        chars.valid.is_empty(),
        "{name}: valid after {:?}",
        chars.valid
    );
}

#[test]
fn every_bit_flip_and_character_replacement_of_an_es256_certificate_is_refused() {
    exhaustive("ES256", golden::es256_key(), golden::es256_dsc());
}

#[test]
fn every_bit_flip_and_character_replacement_of_a_ps256_certificate_is_refused() {
    exhaustive("PS256", golden::ps256_key(), golden::ps256_dsc());
}
