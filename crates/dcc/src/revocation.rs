//! DCC revocation: the three revocation hashes of a certificate, gateway revocation batches,
//! the EU revocation Bloom filter format, and the revocation list a [`crate::Verifier`] checks.
//!
//! A revocation hash is the first 16 bytes of a SHA-256 (HCERT notes, section 12):
//!
//! - `UCI`: over the UTF-8 bytes of the certificate identifier (`ci`);
//! - `COUNTRYCODEUCI`: over the issuing country (CWT `iss`) directly followed by `ci`;
//! - `SIGNATURE`: over the COSE signature, only its first half (`r`) for ES256 (ECDSA
//!   signatures are malleable in `s`), the whole signature for PS256.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::{Decoded, Error, Result};

/// Length of a revocation hash: SHA-256 truncated to 16 bytes.
pub const HASH_LEN: usize = 16;

/// Most entries a gateway revocation batch may hold.
pub const MAX_BATCH_ENTRIES: usize = 1000;

/// The kid a gateway batch uses when the signer is not known: it applies to every kid.
pub const UNKNOWN_KID: &str = "UNKNOWN_KID";

/// What a revocation hash was computed over.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum HashType {
    /// SHA-256 of the certificate identifier.
    #[serde(rename = "UCI")]
    Uci,
    /// SHA-256 of the issuing country code followed by the certificate identifier.
    #[serde(rename = "COUNTRYCODEUCI")]
    CountryCodeUci,
    /// SHA-256 of the signature (`r` only for ES256).
    #[serde(rename = "SIGNATURE")]
    Signature,
}

impl HashType {
    /// The three hash types, in the gateway's order.
    pub const ALL: [HashType; 3] = [HashType::Uci, HashType::CountryCodeUci, HashType::Signature];

    /// The gateway's name: `UCI`, `COUNTRYCODEUCI` or `SIGNATURE`.
    pub fn name(self) -> &'static str {
        match self {
            HashType::Uci => "UCI",
            HashType::CountryCodeUci => "COUNTRYCODEUCI",
            HashType::Signature => "SIGNATURE",
        }
    }

    /// Parses a gateway name (case-insensitive), else [`crate::ErrorKind::InvalidRevocationData`].
    pub fn parse(name: &str) -> Result<Self> {
        HashType::ALL
            .into_iter()
            .find(|t| t.name().eq_ignore_ascii_case(name.trim()))
            .ok_or_else(|| {
                revocation_error(format!(
                    "unknown hash type {name:?} (expected UCI, COUNTRYCODEUCI or SIGNATURE)"
                ))
            })
    }
}

impl std::fmt::Display for HashType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

fn revocation_error(msg: impl Into<String>) -> Error {
    Error::Revocation(msg.into())
}

fn truncated_sha256(parts: &[&[u8]]) -> [u8; HASH_LEN] {
    let mut h = Sha256::new();
    for p in parts {
        h.update(p);
    }
    let full = h.finalize();
    let mut out = [0u8; HASH_LEN];
    out.copy_from_slice(&full[..HASH_LEN]);
    out
}

/// The three revocation hashes of one certificate. The UCI-based hashes are absent when the
/// payload holds no certificate identifier (or, for `COUNTRYCODEUCI`, no `iss` claim).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RevocationHashes {
    /// SHA-256(ci), 16 bytes.
    pub uci: Option<[u8; HASH_LEN]>,
    /// SHA-256(iss ‖ ci), 16 bytes.
    pub country_code_uci: Option<[u8; HASH_LEN]>,
    /// SHA-256(signature, `r` only for ES256), 16 bytes.
    pub signature: [u8; HASH_LEN],
}

impl RevocationHashes {
    /// Computes the hashes from the parts: `ci`, `iss`, the COSE signature and whether the
    /// algorithm is ES256 (then only `r`, the first half, is hashed).
    pub fn compute(ci: Option<&str>, iss: Option<&str>, signature: &[u8], es256: bool) -> Self {
        let signed = if es256 && signature.len() == 64 {
            &signature[..32]
        } else {
            signature
        };
        RevocationHashes {
            uci: ci.map(|ci| truncated_sha256(&[ci.as_bytes()])),
            country_code_uci: ci
                .zip(iss)
                .map(|(ci, iss)| truncated_sha256(&[iss.as_bytes(), ci.as_bytes()])),
            signature: truncated_sha256(&[signed]),
        }
    }

    /// The hashes of a decoded certificate.
    pub fn of(decoded: &Decoded) -> Self {
        let es256 = matches!(
            decoded.sign1.algorithm(),
            Some(dcc_cose::sign1::HeaderAlgorithm::Supported(
                dcc_cose::Algorithm::Es256
            ))
        );
        RevocationHashes::compute(
            certificate_identifier(&decoded.payload),
            decoded.claims.iss.as_deref(),
            decoded.sign1.signature(),
            es256,
        )
    }

    /// The hash of one type, if it could be computed.
    pub fn get(&self, t: HashType) -> Option<[u8; HASH_LEN]> {
        match t {
            HashType::Uci => self.uci,
            HashType::CountryCodeUci => self.country_code_uci,
            HashType::Signature => Some(self.signature),
        }
    }

    /// The view every binding reports: base64 (as in gateway batches) and hex.
    pub fn view(&self) -> RevocationHashesView {
        let b64 = |h: [u8; HASH_LEN]| crate::api::base64(&h);
        RevocationHashesView {
            uci: self.uci.map(b64),
            country_code_uci: self.country_code_uci.map(b64),
            signature: b64(self.signature),
            uci_hex: self.uci.map(hex::encode),
            country_code_uci_hex: self.country_code_uci.map(hex::encode),
            signature_hex: hex::encode(self.signature),
        }
    }
}

/// The revocation hashes as every binding reports them (`revocation_hashes()` / `revocationHashes()`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RevocationHashesView {
    /// `UCI` hash, base64 (24 characters); null without a certificate identifier.
    pub uci: Option<String>,
    /// `COUNTRYCODEUCI` hash, base64; null without a certificate identifier or `iss`.
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

/// The certificate identifier (`ci`) of the payload's one entry, if any.
pub(crate) fn certificate_identifier(payload: &serde_json::Value) -> Option<&str> {
    let types = dcc_payload::CertType::present_in(payload);
    let t = types.first()?;
    payload
        .get(t.key())?
        .get(0)?
        .get("ci")?
        .as_str()
        .filter(|s| !s.is_empty())
}

/// One entry of a gateway revocation batch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BatchEntry {
    /// base64 of a 16-byte revocation hash.
    pub hash: String,
}

/// A gateway revocation batch: `{country, expires, kid, hashType, entries: [{hash}]}`, 1 to
/// 1,000 entries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RevocationBatch {
    /// The issuing country (ISO 3166-1 alpha-2).
    pub country: String,
    /// RFC 3339 instant after which the entries may be purged.
    pub expires: String,
    /// base64 kid of the DSC that signed the revoked certificates, or `UNKNOWN_KID`.
    pub kid: String,
    /// What the hashes were computed over.
    pub hash_type: HashType,
    /// The revoked hashes.
    pub entries: Vec<BatchEntry>,
}

impl RevocationBatch {
    /// Parses and checks a batch: a two-letter country, an RFC 3339 `expires`, a base64 kid of
    /// 8 bytes (or `UNKNOWN_KID`), a known hash type, 1 to 1,000 entries of 16-byte base64 hashes.
    pub fn from_json(json: &str) -> Result<Self> {
        let raw: serde_json::Value = serde_json::from_str(json)
            .map_err(|e| revocation_error(format!("the batch is not JSON: {e}")))?;
        Self::from_value(raw)
    }

    fn from_value(raw: serde_json::Value) -> Result<Self> {
        if let Some(t) = raw.get("hashType").and_then(serde_json::Value::as_str) {
            HashType::parse(t)?;
        }
        let batch: RevocationBatch = serde_json::from_value(raw)
            .map_err(|e| revocation_error(format!("malformed revocation batch: {e}")))?;
        batch.check()?;
        Ok(batch)
    }

    fn check(&self) -> Result<()> {
        if self.country.len() != 2 || !self.country.bytes().all(|b| b.is_ascii_uppercase()) {
            return Err(revocation_error(format!(
                "batch country {:?} is not a two-letter code",
                self.country
            )));
        }
        if crate::parse_time(&self.expires).is_none() {
            return Err(revocation_error(format!(
                "batch expires {:?} is not an RFC 3339 instant",
                self.expires
            )));
        }
        if self.kid != UNKNOWN_KID {
            match crate::api::base64_decode(&self.kid) {
                Some(k) if k.len() == 8 => {}
                _ => {
                    return Err(revocation_error(format!(
                        "batch kid {:?} is not the base64 of 8 bytes (nor UNKNOWN_KID)",
                        self.kid
                    )));
                }
            }
        }
        if self.entries.is_empty() || self.entries.len() > MAX_BATCH_ENTRIES {
            return Err(revocation_error(format!(
                "a batch holds 1 to {MAX_BATCH_ENTRIES} entries, this one {}",
                self.entries.len()
            )));
        }
        for (i, e) in self.entries.iter().enumerate() {
            decode_hash(&e.hash).map_err(|m| revocation_error(format!("entry {i}: {m}")))?;
        }
        Ok(())
    }

    /// The batch as JSON, in the gateway's field order.
    pub fn to_json(&self) -> String {
        crate::api::to_json(self)
    }
}

fn decode_hash(text: &str) -> std::result::Result<[u8; HASH_LEN], String> {
    let bytes =
        crate::api::base64_decode(text).ok_or_else(|| format!("hash {text:?} is not base64"))?;
    <[u8; HASH_LEN]>::try_from(bytes.as_slice()).map_err(|_| {
        format!(
            "hash {text:?} is {} bytes; a revocation hash is {HASH_LEN}",
            bytes.len()
        )
    })
}

/// The EU DCC revocation Bloom filter (`dgc-bloomfilter`): big-endian `i16` version (1),
/// `u8` k, `u8` hash function (0 = SHA-256), `f32` p, `i32` n, `i32` count, `i32` number of
/// 32-bit words, then the words. Bit `i` of an element is SHA-256(element ‖ byte i) read as a
/// signed big-endian integer, modulo the number of bits; bit `b` is `0x8000_0000 >> (b % 32)`
/// of word `b / 32`.
#[derive(Clone, PartialEq)]
pub struct BloomFilter {
    k: u8,
    p: f32,
    n: i32,
    count: i32,
    words: Vec<u32>,
}

impl std::fmt::Debug for BloomFilter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BloomFilter")
            .field("k", &self.k)
            .field("p", &self.p)
            .field("n", &self.n)
            .field("count", &self.count)
            .field("bits", &self.bits())
            .finish()
    }
}

/// Largest filter accepted from a file: 64 MiB of words (the reference service's slices are
/// far smaller).
const MAX_BLOOM_WORDS: usize = 16 * 1024 * 1024;
const BLOOM_HEADER: usize = 20;

impl BloomFilter {
    /// An empty filter sized for `n` elements at false-positive rate `p`, with the reference
    /// implementation's arithmetic (so that filters built here and there are bit-identical).
    pub fn new(n: u32, p: f32) -> Result<Self> {
        if n == 0 || n > i32::MAX as u32 || !(p > 0.0 && p <= 1.0) {
            return Err(Error::Argument(format!(
                "a Bloom filter needs 0 < n and 0 < p <= 1 (got n = {n}, p = {p})"
            )));
        }
        let ln2 = std::f64::consts::LN_2;
        let bits = ((f64::from(n) * f64::from(p).ln()) / (1.0 / 2f64.powf(ln2)).ln()).ceil();
        if !bits.is_finite() || bits > (MAX_BLOOM_WORDS as f64) * 32.0 {
            return Err(Error::Argument(format!(
                "a Bloom filter for n = {n} at p = {p} would exceed {} words",
                MAX_BLOOM_WORDS
            )));
        }
        let bytes = bits as u64 / 8 + 1;
        let words = (bytes / 4 + bytes % 4) as usize;
        let m = (words as f64) * 32.0;
        let k = ((m / f64::from(n) * ln2) + 0.5).floor().clamp(1.0, 127.0) as u8;
        Ok(BloomFilter {
            k,
            p,
            n: n as i32,
            count: 0,
            words: vec![0; words],
        })
    }

    /// Reads the binary format; anything malformed is [`crate::ErrorKind::InvalidRevocationData`].
    pub fn from_bytes(bytes: &[u8]) -> Result<Self> {
        let err = |m: String| revocation_error(format!("corrupt Bloom filter: {m}"));
        if bytes.len() < BLOOM_HEADER {
            return Err(err(format!(
                "{} bytes, shorter than the {BLOOM_HEADER}-byte header",
                bytes.len()
            )));
        }
        let be32 = |at: usize| {
            u32::from_be_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]])
        };
        let version = i16::from_be_bytes([bytes[0], bytes[1]]);
        if version != 1 {
            return Err(err(format!("version {version}; only version 1 is known")));
        }
        let k = bytes[2];
        if k == 0 || k > 127 {
            return Err(err(format!("{k} hash functions")));
        }
        if bytes[3] != 0 {
            return Err(err(format!(
                "hash function {}; only 0 (SHA-256) is known",
                bytes[3]
            )));
        }
        let p = f32::from_bits(be32(4));
        let n = be32(8) as i32;
        let count = be32(12) as i32;
        let len = be32(16) as i32;
        if len <= 0 || len as usize > MAX_BLOOM_WORDS {
            return Err(err(format!("{len} words")));
        }
        let len = len as usize;
        let expected = BLOOM_HEADER + 4 * len;
        if bytes.len() != expected {
            return Err(err(format!(
                "{} bytes for {len} words; expected {expected}",
                bytes.len()
            )));
        }
        let words = (0..len).map(|i| be32(BLOOM_HEADER + 4 * i)).collect();
        Ok(BloomFilter {
            k,
            p,
            n,
            count,
            words,
        })
    }

    /// The binary format.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(BLOOM_HEADER + 4 * self.words.len());
        out.extend_from_slice(&1i16.to_be_bytes());
        out.push(self.k);
        out.push(0);
        out.extend_from_slice(&self.p.to_bits().to_be_bytes());
        out.extend_from_slice(&self.n.to_be_bytes());
        out.extend_from_slice(&self.count.to_be_bytes());
        out.extend_from_slice(&(self.words.len() as i32).to_be_bytes());
        for w in &self.words {
            out.extend_from_slice(&w.to_be_bytes());
        }
        out
    }

    /// Number of hash functions.
    pub fn k(&self) -> u8 {
        self.k
    }

    /// Number of bits.
    pub fn bits(&self) -> u64 {
        self.words.len() as u64 * 32
    }

    /// The filter's words, as the reference implementation holds them (signed 32-bit).
    pub fn words(&self) -> Vec<i32> {
        self.words.iter().map(|&w| w as i32).collect()
    }

    /// The bit index of hash function `i` for `element`.
    fn index(&self, element: &[u8], i: u8) -> u64 {
        let m = u128::from(self.bits());
        let digest = Sha256::new()
            .chain_update(element)
            .chain_update([i])
            .finalize();
        // The digest as an unsigned number modulo m, then corrected for Java's signed reading
        // (BigInteger(bytes) is negative when the top bit is set; mod is non-negative).
        let mut r: u128 = 0;
        for b in digest.iter() {
            r = (r * 256 + u128::from(*b)) % m;
        }
        if digest[0] & 0x80 != 0 {
            let mut two_256: u128 = 1;
            for _ in 0..32 {
                two_256 = (two_256 * 256) % m;
            }
            r = (r + m - two_256) % m;
        }
        r as u64
    }

    /// Adds an element.
    pub fn add(&mut self, element: &[u8]) {
        for i in 0..self.k {
            let idx = self.index(element, i);
            self.words[(idx / 32) as usize] |= 0x8000_0000u32 >> (idx % 32);
        }
        self.count = self.count.saturating_add(1);
    }

    /// Whether the element may be in the filter (false positives at rate about `p`).
    pub fn might_contain(&self, element: &[u8]) -> bool {
        (0..self.k).all(|i| {
            let idx = self.index(element, i);
            self.words[(idx / 32) as usize] & (0x8000_0000u32 >> (idx % 32)) != 0
        })
    }
}

/// Where a revocation entry came from, as reported when it matches.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RevocationSource {
    /// `batch` or `bloom_filter`.
    pub kind: String,
    /// The batch's country (batches only).
    pub country: Option<String>,
    /// The kid the entry applies to (base64); null for every kid.
    pub kid: Option<String>,
    /// The name the data was loaded under (a file name), if any.
    pub name: Option<String>,
}

/// A certificate found in the revocation data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RevocationMatch {
    /// Which of the certificate's hashes matched.
    pub hash_type: HashType,
    /// The matching hash, base64.
    pub hash: String,
    /// Where the entry came from.
    pub source: RevocationSource,
}

#[derive(Debug, Clone)]
struct Entry {
    kid: Option<Vec<u8>>,
    hash_type: HashType,
    source: usize,
}

#[derive(Debug, Clone)]
struct Filter {
    filter: BloomFilter,
    kid: Option<Vec<u8>>,
    hash_types: Vec<HashType>,
    source: usize,
}

/// Revocation data a verifier checks: gateway batches and Bloom filters. Cheap to share
/// (verifiers clone an `Arc` of it).
#[derive(Debug, Clone, Default)]
pub struct RevocationList {
    entries: HashMap<[u8; HASH_LEN], Vec<Entry>>,
    filters: Vec<Filter>,
    sources: Vec<RevocationSource>,
    batches: usize,
}

impl RevocationList {
    /// An empty list.
    pub fn new() -> Self {
        Self::default()
    }

    /// Loads a file's content, detecting the format: JSON (one gateway batch, an array of
    /// batches, or `{"batches": [...]}`) or a binary Bloom filter (which applies to every kid and
    /// every hash type). `name` is reported when an entry matches. Returns the number of hashes
    /// (batches) or filters added.
    pub fn load(&mut self, bytes: &[u8], name: Option<&str>) -> Result<usize> {
        let first = bytes.iter().find(|b| !b.is_ascii_whitespace());
        if matches!(first, Some(b'{') | Some(b'[')) {
            let text = std::str::from_utf8(bytes)
                .map_err(|_| revocation_error("the revocation file is not UTF-8 JSON"))?;
            self.add_batches_json(text, name)
        } else {
            self.add_bloom_filter(bytes, None, &[], name)?;
            Ok(1)
        }
    }

    /// Adds gateway batches from JSON: one batch, an array of them, or `{"batches": [...]}`.
    /// Returns the number of hashes added. Nothing is added when any batch is malformed.
    pub fn add_batches_json(&mut self, json: &str, name: Option<&str>) -> Result<usize> {
        let value: serde_json::Value = serde_json::from_str(json)
            .map_err(|e| revocation_error(format!("the revocation data is not JSON: {e}")))?;
        let items = match value {
            serde_json::Value::Array(items) => items,
            serde_json::Value::Object(mut o) if o.contains_key("batches") => {
                match o.remove("batches") {
                    Some(serde_json::Value::Array(items)) => items,
                    _ => return Err(revocation_error("\"batches\" is not an array")),
                }
            }
            other => vec![other],
        };
        let batches = items
            .into_iter()
            .enumerate()
            .map(|(i, v)| {
                RevocationBatch::from_value(v).map_err(|e| match e {
                    Error::Revocation(m) => revocation_error(format!("batch {i}: {m}")),
                    other => other,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(batches.iter().map(|b| self.add_batch(b, name)).sum())
    }

    /// Adds a checked batch; returns the number of hashes added.
    pub fn add_batch(&mut self, batch: &RevocationBatch, name: Option<&str>) -> usize {
        let kid = (batch.kid != UNKNOWN_KID)
            .then(|| crate::api::base64_decode(&batch.kid))
            .flatten();
        let source = self.sources.len();
        self.sources.push(RevocationSource {
            kind: "batch".into(),
            country: Some(batch.country.clone()),
            kid: kid.as_ref().map(|k| crate::api::base64(k)),
            name: name.map(str::to_string),
        });
        self.batches += 1;
        let mut added = 0;
        for e in &batch.entries {
            if let Ok(h) = decode_hash(&e.hash) {
                self.entries.entry(h).or_default().push(Entry {
                    kid: kid.clone(),
                    hash_type: batch.hash_type,
                    source,
                });
                added += 1;
            }
        }
        added
    }

    /// Adds a Bloom filter (binary format) holding 16-byte revocation hashes, for one kid or
    /// every kid (`None`) and for the given hash types (empty: all three).
    pub fn add_bloom_filter(
        &mut self,
        bytes: &[u8],
        kid: Option<&str>,
        hash_types: &[HashType],
        name: Option<&str>,
    ) -> Result<()> {
        let filter = BloomFilter::from_bytes(bytes)?;
        let kid = match kid {
            None => None,
            Some(k) => Some(
                crate::api::base64_decode(k)
                    .filter(|b| b.len() == 8)
                    .ok_or_else(|| {
                        revocation_error(format!("kid {k:?} is not the base64 of 8 bytes"))
                    })?,
            ),
        };
        let source = self.sources.len();
        self.sources.push(RevocationSource {
            kind: "bloom_filter".into(),
            country: None,
            kid: kid.as_ref().map(|k| crate::api::base64(k)),
            name: name.map(str::to_string),
        });
        self.filters.push(Filter {
            filter,
            kid,
            hash_types: if hash_types.is_empty() {
                HashType::ALL.to_vec()
            } else {
                hash_types.to_vec()
            },
            source,
        });
        Ok(())
    }

    /// Number of hashes from batches.
    pub fn hash_count(&self) -> usize {
        self.entries.values().map(Vec::len).sum()
    }

    /// Number of batches loaded.
    pub fn batch_count(&self) -> usize {
        self.batches
    }

    /// Number of Bloom filters loaded.
    pub fn filter_count(&self) -> usize {
        self.filters.len()
    }

    /// Whether nothing was loaded.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty() && self.filters.is_empty()
    }

    /// The first entry that revokes a certificate with these hashes and kid: a hash of a type
    /// the entry declares, for the certificate's kid (or an entry for every kid).
    pub fn check(&self, hashes: &RevocationHashes, kid: Option<&[u8]>) -> Option<RevocationMatch> {
        let kid_fits = |k: &Option<Vec<u8>>| match k {
            None => true,
            Some(k) => kid == Some(k.as_slice()),
        };
        for t in HashType::ALL {
            let Some(h) = hashes.get(t) else { continue };
            let found = self.entries.get(&h).and_then(|es| {
                es.iter()
                    .find(|e| e.hash_type == t && kid_fits(&e.kid))
                    .map(|e| e.source)
            });
            let found = found.or_else(|| {
                self.filters
                    .iter()
                    .find(|f| {
                        f.hash_types.contains(&t) && kid_fits(&f.kid) && f.filter.might_contain(&h)
                    })
                    .map(|f| f.source)
            });
            if let Some(source) = found {
                return Some(RevocationMatch {
                    hash_type: t,
                    hash: crate::api::base64(&h),
                    source: self.sources[source].clone(),
                });
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_types_parse() {
        assert_eq!(
            HashType::parse("countrycodeuci").ok(),
            Some(HashType::CountryCodeUci)
        );
        assert_eq!(
            HashType::parse("MD5").map_err(|e| e.kind()).err(),
            Some(crate::ErrorKind::InvalidRevocationData)
        );
    }

    #[test]
    fn bloom_index_matches_java_biginteger() {
        // BloomFilterUnitTest.testBigInteger: calcIndex({11}, 1, 100) == 75, ({1}, 1, 1) == 0.
        // 100 bits is not a whole number of words: the same arithmetic as `index`, by hand.
        let digest = Sha256::new()
            .chain_update([11u8])
            .chain_update([1u8])
            .finalize();
        let mut r: i128 = 0;
        for b in digest.iter() {
            r = (r * 256 + i128::from(*b)) % 100;
        }
        let signed = if digest[0] & 0x80 != 0 {
            let mut t: i128 = 1;
            for _ in 0..32 {
                t = (t * 256) % 100;
            }
            (r - t).rem_euclid(100)
        } else {
            r
        };
        assert_eq!(signed, 75);
    }

    #[test]
    fn bloom_round_trip_and_reference_sizes() {
        // BloomFilterUnitTest.testProbabilistcRate3: n = 10000, p = 1e-5 gives k = 17, m = 239680.
        let f = BloomFilter::new(10_000, 0.000_01).expect("filter");
        assert_eq!(f.k(), 17);
        assert_eq!(f.bits(), 239_680);
        // testByteOutputStream: BloomFilterImpl(1, 1) writes 24 bytes: one word.
        let mut g = BloomFilter::new(1, 0.125).expect("filter");
        assert_eq!(g.to_bytes().len(), 24);
        g.add(b"x");
        let back = BloomFilter::from_bytes(&g.to_bytes()).expect("parse");
        assert_eq!(back, g);
        assert!(back.might_contain(b"x"));
    }
}
