#![doc = include_str!("../README.md")]
#![deny(rustdoc::broken_intra_doc_links)]

pub mod api;
mod codes;
mod decode;
pub mod demo;
mod error;
mod issue;
mod keygen;
#[cfg(feature = "ledger")]
pub mod ledger;
#[cfg(feature = "pdf")]
pub mod pdf;
#[cfg(feature = "pkcs11")]
pub mod pkcs11;
pub mod revocation;
pub mod rules;
pub mod trust_list;
mod verify;

pub use api::{
    CertificateView, CheckStatus, DecodedView, ErrorView, KeyOptions, OutcomeView,
    ValidationReport, VerificationView, certificate_type, generate_key, generate_uvci,
    parse_algorithm, revocation_hashes, transliterate, validate,
};
pub use codes::{CheckCode, ErrorKind};
pub use decode::{
    Claims, Decoded, MAX_HC1_LEN, MAX_IMAGE_BYTES, decode, decode_cose, decode_image, read_qr,
};
pub use error::{Error, Result};
pub use issue::{
    Certificate, DEFAULT_VALIDITY_SECS, IssueOptions, Issuer, PreparedCertificate, Validity,
    ValidityDefaults,
};
pub use keygen::{GeneratedKey, certificate_request, self_signed_certificate};
#[cfg(feature = "pdf")]
pub use pdf::{PDF_LANGUAGES, PdfOptions};
pub use revocation::{
    BloomFilter, HashType, RevocationBatch, RevocationHashes, RevocationHashesView, RevocationList,
    RevocationMatch,
};
pub use trust_list::{SkippedEntry, TrustList, TrustListFormat, TrustListOptions, TrustListView};
pub use verify::{
    CheckFailure, Checks, Outcome, SignerInfo, TrustSourceView, Verification, Verifier,
    algorithm_name, check_key_usage, check_validity, signature_failure,
};

pub use dcc_cose::{
    Algorithm, SignError, Signer, SigningKey,
    dsc::{Dsc, KeyUsage, TrustStore},
    ecdsa_der_to_raw,
};
pub use dcc_payload::{
    CertType, Dcc, Issue as ValidationIssue, IssueCode, Validator, ValueSets, uvci,
    validate::{Change, schema_check},
};
pub use dcc_qr::{EcLevel, QrCode, RenderOptions};

/// The layer crates, for callers who need a single stage.
pub mod layers {
    pub use dcc_cose as cose;
    pub use dcc_encoding as encoding;
    pub use dcc_payload as payload;
    pub use dcc_qr as qr;
}

/// The current time, seconds since the epoch.
pub fn now() -> i64 {
    dcc_cose::unix_now()
}

/// Formats seconds since the epoch as RFC 3339 (`2021-06-01T00:00:00Z`).
pub fn format_time(secs: i64) -> String {
    use time::format_description::well_known::Rfc3339;
    time::OffsetDateTime::from_unix_timestamp(secs)
        .ok()
        .and_then(|t| t.format(&Rfc3339).ok())
        .unwrap_or_else(|| format!("@{secs}"))
}

/// Parses an RFC 3339 / ISO 8601 instant to seconds since the epoch. A missing zone means UTC,
/// as in the EU test data; fractions are dropped.
pub fn parse_time(text: &str) -> Option<i64> {
    use time::format_description::well_known::Rfc3339;
    let t = text.trim();
    if let Ok(dt) = time::OffsetDateTime::parse(t, &Rfc3339) {
        return Some(dt.unix_timestamp());
    }
    // Normalise the variants seen in the wild: no zone, +hhmm, +hh, lowercase t/z, a space.
    let mut s = t.replace([' ', 't'], "T").replace('z', "Z");
    if s.len() == 10 {
        s.push_str("T00:00:00");
    }
    let zone_at = s[10.min(s.len())..].find(['Z', '+', '-']).map(|i| i + 10);
    match zone_at {
        None => s.push('Z'),
        Some(i) => {
            let zone = s[i..].to_string();
            let fixed = match zone.len() {
                3 if zone != "Z" => format!("{zone}:00"), // +hh
                5 if !zone.contains(':') => format!("{}:{}", &zone[..3], &zone[3..]), // +hhmm
                _ => zone.clone(),
            };
            s.replace_range(i.., &fixed);
        }
    }
    time::OffsetDateTime::parse(&s, &Rfc3339)
        .ok()
        .map(|d| d.unix_timestamp())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times() {
        assert_eq!(parse_time("2021-06-01T00:00:00Z"), Some(1_622_505_600));
        assert_eq!(parse_time("2021-06-01T00:00:00"), Some(1_622_505_600));
        assert_eq!(parse_time("2021-06-01T02:00:00+02:00"), Some(1_622_505_600));
        assert_eq!(parse_time("2021-06-01T02:00:00+0200"), Some(1_622_505_600));
        assert_eq!(parse_time("2021-06-01T02:00:00+02"), Some(1_622_505_600));
        assert_eq!(
            parse_time("2021-06-01T00:00:00.123456789Z"),
            Some(1_622_505_600)
        );
        assert_eq!(parse_time("2021-06-01"), Some(1_622_505_600));
        assert_eq!(parse_time("yesterday"), None);
        assert_eq!(format_time(1_622_505_600), "2021-06-01T00:00:00Z");
    }
}
