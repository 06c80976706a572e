//! Revocation: the three revocation hashes of a certificate, the revocation entry that revoked
//! one (`Verification.revokedBy`), and gateway batches (what `Ledger.export` returns).

use serde::{Deserialize, Serialize};

use crate::{DccError, from_view};

/// What a revocation hash is computed over (the gateway's `hashType`).
#[derive(
    uniffi::Enum, Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize,
)]
pub enum HashType {
    /// `UCI`: SHA-256 of the certificate identifier (`ci`).
    #[default]
    #[serde(rename = "UCI")]
    Uci,
    /// `COUNTRYCODEUCI`: SHA-256 of the issuing country (`iss`) followed by `ci`.
    #[serde(rename = "COUNTRYCODEUCI")]
    CountryCodeUci,
    /// `SIGNATURE`: SHA-256 of the COSE signature (only its first half `r` for ES256).
    #[serde(rename = "SIGNATURE")]
    Signature,
}

impl From<HashType> for dcc::HashType {
    fn from(t: HashType) -> Self {
        match t {
            HashType::Uci => dcc::HashType::Uci,
            HashType::CountryCodeUci => dcc::HashType::CountryCodeUci,
            HashType::Signature => dcc::HashType::Signature,
        }
    }
}

/// The three revocation hashes of a certificate (SHA-256 truncated to 16 bytes), base64 as in
/// gateway batches and hex. The UCI-based ones are `null`/`nil` without a certificate
/// identifier (`COUNTRYCODEUCI` also without an `iss` claim).
#[derive(uniffi::Record, Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct RevocationHashes {
    /// `UCI` hash, base64 (24 characters).
    pub uci: Option<String>,
    /// `COUNTRYCODEUCI` hash, base64.
    pub country_code_uci: Option<String>,
    /// `SIGNATURE` hash, base64.
    pub signature: String,
    /// `UCI` hash, hex (32 characters).
    pub uci_hex: Option<String>,
    /// `COUNTRYCODEUCI` hash, hex.
    pub country_code_uci_hex: Option<String>,
    /// `SIGNATURE` hash, hex.
    pub signature_hex: String,
}

/// The revocation hashes of `HC1:` text, decoded without verifying the signature. Text that
/// cannot be decoded throws as `decode` does.
#[uniffi::export]
pub fn revocation_hashes(hc1: String) -> Result<RevocationHashes, DccError> {
    Ok(from_view(dcc::revocation_hashes(&hc1)?))
}

/// Where a matching revocation entry came from.
#[derive(uniffi::Record, Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct RevocationSource {
    /// `batch` or `bloom_filter`.
    pub kind: String,
    /// The batch's country (batches only).
    pub country: Option<String>,
    /// The kid the entry applies to (base64); `null`/`nil` for every kid.
    pub kid: Option<String>,
    /// The name the data was loaded under, if any.
    pub name: Option<String>,
}

/// The revocation entry that revoked a certificate (`Verification.revokedBy`).
#[derive(uniffi::Record, Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct RevocationMatch {
    /// Which of the certificate's hashes matched.
    pub hash_type: HashType,
    /// The matching hash, base64.
    pub hash: String,
    /// Where the entry came from.
    pub source: RevocationSource,
}

/// One entry of a gateway revocation batch.
#[derive(uniffi::Record, Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct BatchEntry {
    /// A revoked hash: base64 of 16 bytes.
    pub hash: String,
}

/// A gateway revocation batch (`{country, expires, kid, hashType, entries: [{hash}]}`, 1 to
/// 1,000 entries), as `Ledger.export` returns it. `toJson()` gives the file to upload or to
/// pass to `Verifier.withRevocation`.
#[derive(uniffi::Record, Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RevocationBatch {
    /// The issuing country (ISO 3166-1 alpha-2).
    pub country: String,
    /// RFC 3339 instant after which the entries may be purged (the latest expiry).
    pub expires: String,
    /// base64 kid of the DSC that signed the revoked certificates, or `UNKNOWN_KID`.
    pub kid: String,
    /// What the hashes were computed over.
    pub hash_type: HashType,
    /// The revoked hashes.
    pub entries: Vec<BatchEntry>,
}

#[uniffi::export]
impl RevocationBatch {
    /// The batch as gateway JSON, in the gateway's field order.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}
