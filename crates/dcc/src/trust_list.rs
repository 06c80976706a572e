//! Signed national trust lists: load a list, check its signature against a pinned anchor,
//! and trust its DSCs (or bare keys) in a [`crate::Verifier`].
//!
//! | format | [`TrustListFormat`] | content | signature |
//! |---|---|---|---|
//! | German DSC list | `de` | `base64(r‖s)` line, then JSON `{"certificates":[gateway entries]}` | ECDSA P-256/SHA-256 over the JSON, pinned public key |
//! | Austrian trust list | `at` | CBOR `{"c":[{"i": kid, "c": DER}]}` | separate COSE_Sign1 (ES256) over a CWT `{2: SHA-256(content), 4: exp, 5: nbf}` |
//! | Swiss key list | `ch` | JWS (RS256) `{"certs":[{keyId, use, alg, n, e, crv, x, y, subjectPublicKeyInfo}]}`: bare keys | `x5c` chain to a pinned root; optional companion: the signed active-key list |
//! | EU gateway JSON | `eu-gateway` | `[{kid, country, certificateType, rawData, thumbprint, ...}]` | none (entries only) |
//! | certificates | `pem` | PEM bundle or one DER certificate | none |
//!
//! A list whose signature does not verify with the anchor is refused
//! ([`crate::ErrorKind::TrustListSignatureInvalid`]); so is a list past its expiry (the
//! Austrian CWT's `exp`, the validity of the Swiss signing chain) unless
//! [`TrustListOptions::allow_expired`] is set, which is then reported in
//! [`TrustListView::expired`] and in every verification's signer source. An entry whose
//! thumbprint or kid does not match its certificate, or that cannot be read, is skipped and
//! reported in [`TrustList::skipped`], never silently dropped or trusted.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use base64::Engine;
use dcc_cose::dsc::{Dsc, KeyUsage, TrustSource, UsageType};
use dcc_cose::trust::{Anchor, SignatureScheme};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::{Error, Result};

const B64: base64::engine::GeneralPurpose = base64::engine::general_purpose::STANDARD;

/// The largest trust list accepted (the German list of 829 DSCs is about 1.3 MB).
pub const MAX_TRUST_LIST_BYTES: usize = 64 * 1024 * 1024;

/// The format of a trust list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum TrustListFormat {
    /// The German DSC list (signature line + JSON of gateway entries).
    #[serde(rename = "de")]
    German,
    /// The Austrian trust list (CBOR content + COSE_Sign1 signature file).
    #[serde(rename = "at")]
    Austrian,
    /// The Swiss key list (JWS with an `x5c` chain; bare keys).
    #[serde(rename = "ch")]
    Swiss,
    /// EU gateway JSON entries, unsigned.
    #[serde(rename = "eu-gateway")]
    EuGateway,
    /// PEM or DER certificates, unsigned.
    #[serde(rename = "pem")]
    Certificates,
}

impl TrustListFormat {
    /// Every format.
    pub const ALL: [TrustListFormat; 5] = [
        TrustListFormat::German,
        TrustListFormat::Austrian,
        TrustListFormat::Swiss,
        TrustListFormat::EuGateway,
        TrustListFormat::Certificates,
    ];

    /// The stable code: `de`, `at`, `ch`, `eu-gateway`, `pem`.
    pub fn code(self) -> &'static str {
        match self {
            TrustListFormat::German => "de",
            TrustListFormat::Austrian => "at",
            TrustListFormat::Swiss => "ch",
            TrustListFormat::EuGateway => "eu-gateway",
            TrustListFormat::Certificates => "pem",
        }
    }

    /// The format with this code.
    pub fn from_code(code: &str) -> Result<Self> {
        Self::ALL
            .into_iter()
            .find(|f| f.code().eq_ignore_ascii_case(code))
            .ok_or_else(|| {
                Error::Argument(format!(
                    "unknown trust list format {code:?}: expected one of de, at, ch, eu-gateway, pem"
                ))
            })
    }

    /// Whether lists of this format carry a signature (and so need an anchor).
    pub fn is_signed(self) -> bool {
        matches!(
            self,
            TrustListFormat::German | TrustListFormat::Austrian | TrustListFormat::Swiss
        )
    }

    /// Recognises the format from the content.
    pub fn detect(content: &[u8]) -> Result<Self> {
        let start = content
            .iter()
            .position(|b| !b.is_ascii_whitespace())
            .ok_or(Error::EmptyInput)?;
        let body = &content[start..];
        match body[0] {
            0x30 => return Ok(TrustListFormat::Certificates),
            0xa0..=0xbf | 0xd8 => return Ok(TrustListFormat::Austrian),
            b'[' | b'{' => return Ok(TrustListFormat::EuGateway),
            _ => {}
        }
        let text = std::str::from_utf8(body)
            .map_err(|_| malformed("not a known trust list format (neither text nor CBOR)"))?;
        if text.starts_with("-----BEGIN") {
            return Ok(TrustListFormat::Certificates);
        }
        let trimmed = text.trim_end();
        if trimmed.starts_with("eyJ")
            && trimmed.split('.').count() == 3
            && !trimmed.contains(char::is_whitespace)
        {
            return Ok(TrustListFormat::Swiss);
        }
        if let Some((line, rest)) = text.split_once('\n')
            && rest.trim_start().starts_with('{')
            && !line.trim().is_empty()
            && line
                .trim()
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"+/=".contains(&b))
        {
            return Ok(TrustListFormat::German);
        }
        Err(malformed(
            "not a known trust list format (German, Austrian, Swiss, EU gateway JSON, PEM or DER)",
        ))
    }
}

impl std::fmt::Display for TrustListFormat {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

/// How to load a trust list.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct TrustListOptions {
    /// The time the list's validity is checked at, seconds since the epoch (default: now).
    pub at: Option<i64>,
    /// Use a list past its expiry (offline verifiers keep the last good list). Reported in
    /// [`TrustListView::expired`] and in every verification's signer source.
    pub allow_expired: bool,
    /// A name for the list (e.g. its file name), reported as the signer's source.
    pub name: Option<String>,
    /// The format, when it should not be detected from the content.
    pub format: Option<TrustListFormat>,
}

/// An entry that was not trusted, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SkippedEntry {
    /// Position of the entry in the list (0-based).
    pub index: usize,
    /// The kid the list gives for the entry, base64.
    pub kid: Option<String>,
    /// The country the list gives for the entry.
    pub country: Option<String>,
    /// Stable code: `kid_mismatch`, `thumbprint_mismatch`, `invalid_certificate`,
    /// `invalid_key`, `deleted` (no certificate: a gateway deletion), `not_a_dsc` (another
    /// certificate type), `inactive` (not in the Swiss active-key list).
    pub code: String,
    /// Human-readable explanation.
    pub message: String,
}

/// A trust list whose signature (where its format has one) was checked against the anchor.
#[derive(Debug, Clone)]
pub struct TrustList {
    format: TrustListFormat,
    name: Option<String>,
    entries: Vec<Dsc>,
    skipped: Vec<SkippedEntry>,
    signed_by: Option<String>,
    not_before: Option<i64>,
    expires: Option<i64>,
    expired: bool,
}

/// A summary of a loaded trust list, as every binding and `dcc trust-list --json` report it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrustListView {
    /// `de`, `at`, `ch`, `eu-gateway` or `pem`.
    pub format: TrustListFormat,
    /// The caller's name for the list.
    pub name: Option<String>,
    /// Whether the list's signature was checked and verified (false for unsigned formats).
    pub signature_verified: bool,
    /// The anchor (or, for the Swiss list, the signing certificate) the signature verified
    /// with.
    pub signed_by: Option<String>,
    /// Trusted entries.
    pub entries: usize,
    /// Of those, certificates.
    pub certificates: usize,
    /// Of those, bare keys.
    pub bare_keys: usize,
    /// Trusted entries per country (the list's country for each entry; `??` when it gives
    /// none).
    pub countries: BTreeMap<String, usize>,
    /// Entries that were not trusted, each with a code.
    pub skipped: Vec<SkippedEntry>,
    /// The list's not-before time, where its format has one.
    pub not_before: Option<i64>,
    /// The list's expiry, where its format has one.
    pub expires: Option<i64>,
    /// True when the list had expired (or was not yet valid) and was loaded because
    /// `allow_expired` was set.
    pub expired: bool,
}

impl TrustList {
    /// Loads `content` and checks it.
    ///
    /// - `companion`: the Austrian list's signature file, or the Swiss signed active-key list
    ///   (optional there: entries not in it are skipped as `inactive`). `None` otherwise.
    /// - `anchor`: the pinned key (PEM/DER public key or certificate) that signs the list, or
    ///   for the Swiss list the root its `x5c` chain must end at. Required for signed formats;
    ///   refused for unsigned ones (an anchor that cannot be checked would be a false promise).
    pub fn load(
        content: &[u8],
        companion: Option<&[u8]>,
        anchor: Option<&[u8]>,
        options: &TrustListOptions,
    ) -> Result<Self> {
        if content.len() > MAX_TRUST_LIST_BYTES {
            return Err(Error::InputTooLarge {
                len: content.len(),
                limit: MAX_TRUST_LIST_BYTES,
            });
        }
        let format = match options.format {
            Some(f) => f,
            None => TrustListFormat::detect(content)?,
        };
        let anchor = match (format.is_signed(), anchor) {
            (true, Some(a)) => Some(
                Anchor::parse(a)
                    .map_err(|e| Error::Argument(format!("the trust list anchor: {e}")))?,
            ),
            (true, None) => {
                return Err(Error::Argument(format!(
                    "a {format} trust list is signed: give the anchor (public key or certificate) to check it with"
                )));
            }
            (false, Some(_)) => {
                return Err(Error::Argument(format!(
                    "the {format} format carries no list signature, so an anchor cannot be checked; load it without one"
                )));
            }
            (false, None) => None,
        };
        if companion.is_some()
            && !matches!(format, TrustListFormat::Austrian | TrustListFormat::Swiss)
        {
            return Err(Error::Argument(format!(
                "the {format} format has no companion file (only the Austrian signature and the Swiss active-key list)"
            )));
        }
        let at = options.at.unwrap_or_else(dcc_cose::unix_now);
        let mut loader = Loader {
            list: TrustList {
                format,
                name: options.name.clone(),
                entries: Vec::new(),
                skipped: Vec::new(),
                signed_by: None,
                not_before: None,
                expires: None,
                expired: false,
            },
            at,
            allow_expired: options.allow_expired,
        };
        match (format, anchor) {
            (TrustListFormat::German, Some(a)) => loader.german(content, &a)?,
            (TrustListFormat::Austrian, Some(a)) => {
                let sig = companion.ok_or_else(|| {
                    Error::Argument(
                        "an Austrian trust list is checked with its separate signature file: give it as the companion".into(),
                    )
                })?;
                loader.austrian(content, sig, &a)?
            }
            (TrustListFormat::Swiss, Some(a)) => loader.swiss(content, companion, &a)?,
            (TrustListFormat::EuGateway, _) => loader.gateway_json(content)?,
            _ => loader.certificates(content)?,
        }
        let mut list = loader.list;
        let source = |country: Option<String>| {
            Arc::new(TrustSource {
                format: format.code().to_string(),
                list: list.name.clone(),
                country,
                list_expired: list.expired,
            })
        };
        let sources: Vec<_> = list
            .entries
            .iter()
            .map(|d| source(d.source().and_then(|s| s.country.clone())))
            .collect();
        list.entries = std::mem::take(&mut list.entries)
            .into_iter()
            .zip(sources)
            .map(|(d, s)| d.with_source(s))
            .collect();
        Ok(list)
    }

    /// The format.
    pub fn format(&self) -> TrustListFormat {
        self.format
    }

    /// The trusted entries (certificates and bare keys), each marked with its source.
    pub fn entries(&self) -> &[Dsc] {
        &self.entries
    }

    /// The entries, consumed (what [`crate::Verifier::with_trust_list`] adds).
    pub fn into_entries(self) -> Vec<Dsc> {
        self.entries
    }

    /// The entries that were not trusted.
    pub fn skipped(&self) -> &[SkippedEntry] {
        &self.skipped
    }

    /// True when the list was past its validity and loaded because that was allowed.
    pub fn is_expired(&self) -> bool {
        self.expired
    }

    /// The summary every binding reports.
    pub fn view(&self) -> TrustListView {
        let mut countries = BTreeMap::new();
        for d in &self.entries {
            let c = d
                .source()
                .and_then(|s| s.country.clone())
                .unwrap_or_else(|| "??".into());
            *countries.entry(c).or_insert(0) += 1;
        }
        let certificates = self.entries.iter().filter(|d| d.is_certificate()).count();
        TrustListView {
            format: self.format,
            name: self.name.clone(),
            signature_verified: self.signed_by.is_some(),
            signed_by: self.signed_by.clone(),
            entries: self.entries.len(),
            certificates,
            bare_keys: self.entries.len() - certificates,
            countries,
            skipped: self.skipped.clone(),
            not_before: self.not_before,
            expires: self.expires,
            expired: self.expired,
        }
    }

    /// The summary as JSON.
    pub fn to_json(&self) -> String {
        crate::api::to_json(&self.view())
    }
}

fn malformed(msg: impl Into<String>) -> Error {
    Error::TrustListMalformed(msg.into())
}

fn bad_signature(msg: impl Into<String>) -> Error {
    Error::TrustListSignature(msg.into())
}

struct Loader {
    list: TrustList,
    at: i64,
    allow_expired: bool,
}

/// A gateway entry (`{kid, country, certificateType, rawData, thumbprint, ...}`).
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct GatewayEntry {
    kid: Option<String>,
    country: Option<String>,
    certificate_type: Option<String>,
    raw_data: Option<String>,
    thumbprint: Option<String>,
}

impl Loader {
    fn skip(
        &mut self,
        index: usize,
        kid: Option<String>,
        country: Option<String>,
        code: &str,
        message: String,
    ) {
        self.list.skipped.push(SkippedEntry {
            index,
            kid,
            country,
            code: code.into(),
            message,
        });
    }

    /// Checks a validity window; past it the list is refused unless expired lists are allowed.
    fn check_window(
        &mut self,
        not_before: Option<i64>,
        not_after: Option<i64>,
        what: &str,
    ) -> Result<()> {
        let fmt = crate::format_time;
        let problem = match (not_before, not_after) {
            (Some(nb), _) if self.at < nb => {
                Some(format!("{what} is not valid before {}", fmt(nb)))
            }
            (_, Some(na)) if self.at > na => Some(format!("{what} expired at {}", fmt(na))),
            _ => None,
        };
        match problem {
            None => Ok(()),
            Some(_) if self.allow_expired => {
                self.list.expired = true;
                Ok(())
            }
            Some(p) => Err(Error::TrustListExpired(format!(
                "{p} (checked at {}; allow expired lists explicitly to use it anyway)",
                fmt(self.at)
            ))),
        }
    }

    fn german(&mut self, content: &[u8], anchor: &Anchor) -> Result<()> {
        let text =
            std::str::from_utf8(content).map_err(|_| malformed("the German list is not UTF-8"))?;
        let (sig_line, json) = text
            .split_once('\n')
            .ok_or_else(|| malformed("the German list has no signature line"))?;
        let sig = B64
            .decode(sig_line.trim())
            .map_err(|_| malformed("the German list's signature line is not base64"))?;
        let json = json.trim();
        let scheme = if sig.len() == 64 {
            SignatureScheme::EcdsaP256Sha256Raw
        } else {
            SignatureScheme::EcdsaP256Sha256Der
        };
        anchor
            .key()
            .verify(scheme, json.as_bytes(), &sig)
            .map_err(|e| {
                bad_signature(format!(
                    "the German list's signature does not verify with the anchor: {e}"
                ))
            })?;
        self.list.signed_by = Some(anchor.describe());
        let value: Value = serde_json::from_str(json)
            .map_err(|e| malformed(format!("the German list's JSON: {e}")))?;
        let entries = value
            .get("certificates")
            .ok_or_else(|| malformed("the German list has no \"certificates\" array"))?;
        self.gateway_entries(entries)
    }

    fn gateway_json(&mut self, content: &[u8]) -> Result<()> {
        let value: Value = serde_json::from_slice(content)
            .map_err(|e| malformed(format!("the gateway JSON: {e}")))?;
        match &value {
            Value::Array(_) => self.gateway_entries(&value),
            Value::Object(o) if o.contains_key("certificates") => {
                self.gateway_entries(&value["certificates"])
            }
            Value::Object(o) if o.contains_key("payload") && o.contains_key("signature") => {
                Err(malformed(
                    "this looks like the Dutch signed list ({payload, signature} with CMS), which is not supported",
                ))
            }
            _ => Err(malformed(
                "gateway JSON must be an array of entries (or {\"certificates\": [...]})",
            )),
        }
    }

    fn gateway_entries(&mut self, entries: &Value) -> Result<()> {
        let entries = entries
            .as_array()
            .ok_or_else(|| malformed("the trust list's entries are not an array"))?;
        for (index, raw) in entries.iter().enumerate() {
            let entry: GatewayEntry = serde_json::from_value(raw.clone())
                .map_err(|e| malformed(format!("entry {index}: {e}")))?;
            let kid = entry.kid.clone();
            let country = entry.country.clone();
            if let Some(t) = &entry.certificate_type
                && !t.eq_ignore_ascii_case("DSC")
            {
                self.skip(
                    index,
                    kid,
                    country,
                    "not_a_dsc",
                    format!("certificate type {t}, not DSC"),
                );
                continue;
            }
            let Some(raw_data) = entry.raw_data.as_deref().filter(|r| !r.is_empty()) else {
                self.skip(
                    index,
                    kid,
                    country,
                    "deleted",
                    "no rawData (a deleted DSC)".into(),
                );
                continue;
            };
            let der = match B64.decode(raw_data.trim()) {
                Ok(d) => d,
                Err(_) => {
                    self.skip(
                        index,
                        kid,
                        country,
                        "invalid_certificate",
                        "rawData is not base64".into(),
                    );
                    continue;
                }
            };
            let dsc = match Dsc::from_der(&der) {
                Ok(d) => d,
                Err(e) => {
                    self.skip(index, kid, country, "invalid_certificate", e.to_string());
                    continue;
                }
            };
            if let Some(t) = &entry.thumbprint {
                let actual = hex::encode(Sha256::digest(&der));
                if !t.eq_ignore_ascii_case(&actual) {
                    self.skip(
                        index,
                        kid,
                        country,
                        "thumbprint_mismatch",
                        format!("thumbprint {t} but the certificate's SHA-256 is {actual}"),
                    );
                    continue;
                }
            }
            let actual = dsc.kid_base64();
            if let Some(k) = kid.as_deref().filter(|k| *k != actual) {
                let message = format!("kid {k} but the certificate's kid is {actual}");
                self.skip(index, kid, country, "kid_mismatch", message);
                continue;
            }
            self.push(dsc, country);
        }
        Ok(())
    }

    fn push(&mut self, dsc: Dsc, country: Option<String>) {
        // The list's country travels with the entry until `load` attaches the full source.
        let tagged = dsc.with_source(Arc::new(TrustSource {
            country,
            ..TrustSource::default()
        }));
        self.list.entries.push(tagged);
    }

    fn austrian(&mut self, content: &[u8], signature: &[u8], anchor: &Anchor) -> Result<()> {
        let sign1 = dcc_cose::sign1::DecodedSign1::from_slice(signature)
            .map_err(|e| malformed(format!("the Austrian signature file: {e}")))?;
        sign1.verify_with_key(anchor.key()).map_err(|e| {
            bad_signature(format!(
                "the Austrian list's signature does not verify with the anchor: {e}"
            ))
        })?;
        self.list.signed_by = Some(anchor.describe());
        let claims: ciborium::Value = ciborium::from_reader(sign1.payload())
            .map_err(|e| malformed(format!("the Austrian signature's CWT: {e}")))?;
        let claims = claims
            .as_map()
            .ok_or_else(|| malformed("the Austrian signature's CWT is not a map"))?;
        let claim = |key: i64| {
            claims
                .iter()
                .find(|(k, _)| k.as_integer().and_then(|i| i64::try_from(i).ok()) == Some(key))
                .map(|(_, v)| v)
        };
        let hash = claim(2)
            .and_then(ciborium::Value::as_bytes)
            .ok_or_else(|| {
                malformed("the Austrian signature's CWT has no content hash (claim 2)")
            })?;
        if hash.as_slice() != Sha256::digest(content).as_slice() {
            return Err(bad_signature(
                "the Austrian list's content does not match the hash its signature covers",
            ));
        }
        let int = |v: Option<&ciborium::Value>| {
            v.and_then(ciborium::Value::as_integer)
                .and_then(|i| i64::try_from(i).ok())
        };
        self.list.expires = int(claim(4));
        self.list.not_before = int(claim(5));
        if self.list.expires.is_none() {
            return Err(malformed(
                "the Austrian signature's CWT has no expiry (claim 4)",
            ));
        }
        self.check_window(
            self.list.not_before,
            self.list.expires,
            "the Austrian trust list",
        )?;
        let body: ciborium::Value = ciborium::from_reader(content)
            .map_err(|e| malformed(format!("the Austrian list's CBOR: {e}")))?;
        let items = body
            .as_map()
            .and_then(|m| m.iter().find(|(k, _)| k.as_text() == Some("c")))
            .and_then(|(_, v)| v.as_array())
            .ok_or_else(|| malformed("the Austrian list has no \"c\" array"))?;
        for (index, item) in items.iter().enumerate() {
            let field = |name: &str| {
                item.as_map()
                    .and_then(|m| m.iter().find(|(k, _)| k.as_text() == Some(name)))
                    .and_then(|(_, v)| v.as_bytes())
            };
            let kid = field("i").map(|k| B64.encode(k));
            let Some(der) = field("c") else {
                self.skip(
                    index,
                    kid,
                    None,
                    "invalid_certificate",
                    "no certificate (\"c\")".into(),
                );
                continue;
            };
            match Dsc::from_der(der) {
                Ok(dsc) if kid.as_deref().is_some_and(|k| k != dsc.kid_base64()) => {
                    let actual = dsc.kid_base64();
                    let country = dsc.country().map(str::to_string);
                    self.skip(
                        index,
                        kid.clone(),
                        country,
                        "kid_mismatch",
                        format!(
                            "kid {} but the certificate's kid is {actual}",
                            kid.unwrap_or_default()
                        ),
                    );
                }
                Ok(dsc) => {
                    let country = dsc.country().map(str::to_string);
                    self.push(dsc, country);
                }
                Err(e) => self.skip(index, kid, None, "invalid_certificate", e.to_string()),
            }
        }
        Ok(())
    }

    /// Checks a JWS's `x5c` chain against the anchor and its signature with the leaf; returns
    /// the payload JSON.
    fn jws(&mut self, jws: &[u8], anchor: &Anchor, what: &str) -> Result<Value> {
        let text = std::str::from_utf8(jws)
            .map_err(|_| malformed(format!("{what} is not text")))?
            .trim();
        let parts: Vec<&str> = text.split('.').collect();
        let [h, p, s] = parts.as_slice() else {
            return Err(malformed(format!(
                "{what} is not a compact JWS (three dot-separated parts)"
            )));
        };
        let b64url = |part: &str, name: &str| {
            base64::engine::general_purpose::URL_SAFE_NO_PAD
                .decode(part.trim_end_matches('='))
                .map_err(|_| malformed(format!("{what}: the {name} is not base64url")))
        };
        let header: Value = serde_json::from_slice(&b64url(h, "header")?)
            .map_err(|e| malformed(format!("{what}: the header: {e}")))?;
        let scheme = match header.get("alg").and_then(Value::as_str) {
            Some("RS256") => SignatureScheme::RsaPkcs1Sha256,
            Some("ES256") => SignatureScheme::EcdsaP256Sha256Raw,
            Some("PS256") => SignatureScheme::RsaPssSha256,
            other => {
                return Err(malformed(format!(
                    "{what}: unsupported JWS algorithm {other:?}"
                )));
            }
        };
        let chain = header
            .get("x5c")
            .and_then(Value::as_array)
            .filter(|c| !c.is_empty())
            .ok_or_else(|| malformed(format!("{what}: no x5c certificate chain in the header")))?;
        let mut certs = Vec::new();
        for (i, c) in chain.iter().enumerate() {
            let der = c
                .as_str()
                .and_then(|s| B64.decode(s).ok())
                .ok_or_else(|| malformed(format!("{what}: x5c[{i}] is not base64")))?;
            certs.push(
                Dsc::from_der(&der).map_err(|e| malformed(format!("{what}: x5c[{i}]: {e}")))?,
            );
        }
        // Each certificate is issued by the next; the last one by the anchor (or it is the
        // anchor itself).
        for (i, pair) in certs.windows(2).enumerate() {
            pair[0]
                .verify_issued_by(pair[1].public_key())
                .map_err(|e| {
                    bad_signature(format!(
                        "{what}: x5c[{i}] is not signed by x5c[{}]: {e}",
                        i + 1
                    ))
                })?;
        }
        let last = certs
            .last()
            .ok_or_else(|| malformed(format!("{what}: empty x5c")))?;
        let is_anchor = anchor.certificate().is_some_and(|a| a.der() == last.der());
        if !is_anchor {
            last.verify_issued_by(anchor.key()).map_err(|e| {
                bad_signature(format!(
                    "{what}: the x5c chain does not end at the anchor ({}): {e}",
                    anchor.describe()
                ))
            })?;
        }
        for c in &certs {
            self.check_window(
                c.not_before(),
                c.not_after(),
                &format!("{what}'s signing certificate {}", c.subject()),
            )?;
        }
        let leaf = &certs[0];
        leaf.public_key()
            .verify(
                scheme,
                format!("{h}.{p}").as_bytes(),
                &b64url(s, "signature")?,
            )
            .map_err(|e| {
                bad_signature(format!(
                    "{what}: the JWS signature does not verify with {}: {e}",
                    leaf.subject()
                ))
            })?;
        self.list.signed_by = Some(leaf.subject().to_string());
        serde_json::from_slice(&b64url(p, "payload")?)
            .map_err(|e| malformed(format!("{what}: the payload: {e}")))
    }

    fn swiss(&mut self, content: &[u8], companion: Option<&[u8]>, anchor: &Anchor) -> Result<()> {
        let body = self.jws(content, anchor, "the Swiss key list")?;
        let active: Option<BTreeSet<String>> = match companion {
            None => None,
            Some(c) => {
                let list = self.jws(c, anchor, "the Swiss active-key list")?;
                let ids = list
                    .get("activeKeyIds")
                    .and_then(Value::as_array)
                    .ok_or_else(|| malformed("the Swiss active-key list has no activeKeyIds"))?;
                Some(
                    ids.iter()
                        .filter_map(Value::as_str)
                        .map(str::to_string)
                        .collect(),
                )
            }
        };
        let Some(certs) = body.get("certs").and_then(Value::as_array) else {
            if body.get("activeKeyIds").is_some() {
                return Err(malformed(
                    "this is the Swiss active-key list: load the key list (updates) and give this one as its companion",
                ));
            }
            return Err(malformed("the Swiss key list has no \"certs\" array"));
        };
        for (index, entry) in certs.iter().enumerate() {
            let kid_text = entry
                .get("keyId")
                .and_then(Value::as_str)
                .map(str::to_string);
            let kid = kid_text
                .as_deref()
                .and_then(|k| B64.decode(k).ok())
                .and_then(|k| <[u8; 8]>::try_from(k.as_slice()).ok());
            let Some(kid) = kid else {
                self.skip(
                    index,
                    kid_text,
                    None,
                    "invalid_key",
                    "keyId is not 8 bytes of base64".into(),
                );
                continue;
            };
            if let Some(active) = &active
                && !kid_text.as_ref().is_some_and(|k| active.contains(k))
            {
                self.skip(
                    index,
                    kid_text,
                    None,
                    "inactive",
                    "not in the signed active-key list".into(),
                );
                continue;
            }
            let spki = match swiss_spki(entry) {
                Ok(s) => s,
                Err(why) => {
                    self.skip(index, kid_text, None, "invalid_key", why);
                    continue;
                }
            };
            let usage = swiss_usage(entry.get("use").and_then(Value::as_str));
            let dsc = Dsc::bare_key(kid, &spki, usage, None);
            if let dcc_cose::dsc::PublicKey::Unsupported(why) = dsc.public_key() {
                let why = why.clone();
                self.skip(index, kid_text, None, "invalid_key", why);
                continue;
            }
            self.push(dsc, None);
        }
        Ok(())
    }

    fn certificates(&mut self, content: &[u8]) -> Result<()> {
        let certs = match std::str::from_utf8(content) {
            Ok(text) if text.contains("-----BEGIN") => Dsc::all_from_pem(text)?,
            _ => vec![Dsc::parse(content)?],
        };
        for c in certs {
            let country = c.country().map(str::to_string);
            self.push(c, country);
        }
        Ok(())
    }
}

/// The SubjectPublicKeyInfo of a Swiss key entry: `subjectPublicKeyInfo` when given, else
/// from `n`/`e` (RSA) or `crv`/`x`/`y` (P-256).
fn swiss_spki(entry: &Value) -> std::result::Result<Vec<u8>, String> {
    let field = |name: &str| -> std::result::Result<Option<Vec<u8>>, String> {
        match entry.get(name).and_then(Value::as_str) {
            None => Ok(None),
            Some(s) => B64
                .decode(s)
                .or_else(|_| {
                    base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(s.trim_end_matches('='))
                })
                .map(Some)
                .map_err(|_| format!("{name} is not base64")),
        }
    };
    if let Some(spki) = field("subjectPublicKeyInfo")? {
        return Ok(spki);
    }
    if let (Some(n), Some(e)) = (field("n")?, field("e")?) {
        return dcc_cose::dsc::spki_rsa(&n, &e).map_err(|e| e.to_string());
    }
    match (
        entry.get("crv").and_then(Value::as_str),
        field("x")?,
        field("y")?,
    ) {
        (Some("P-256"), Some(x), Some(y)) if x.len() == 32 && y.len() == 32 => {
            let mut point = vec![4u8];
            point.extend_from_slice(&x);
            point.extend_from_slice(&y);
            dcc_cose::dsc::spki_p256(&point).map_err(|e| e.to_string())
        }
        (Some(crv), Some(_), Some(_)) if crv != "P-256" => Err(format!("unsupported curve {crv}")),
        _ => Err("no key material (subjectPublicKeyInfo, n/e or crv/x/y)".into()),
    }
}

/// The Swiss `use` field: letters `v`, `t`, `r` restrict the key to those types; `sig` (a
/// general signing key) allows any. Unknown letters (the Swiss-only `l` light certificate)
/// allow no DCC type.
fn swiss_usage(usage: Option<&str>) -> KeyUsage {
    match usage {
        None | Some("sig") | Some("") => KeyUsage::Any,
        Some(letters) => KeyUsage::Only(
            letters
                .chars()
                .filter_map(|c| match c {
                    'v' => Some(UsageType::Vaccination),
                    't' => Some(UsageType::Test),
                    'r' => Some(UsageType::Recovery),
                    _ => None,
                })
                .collect(),
        ),
    }
}
