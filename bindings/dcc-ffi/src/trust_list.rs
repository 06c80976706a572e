//! Signed national trust lists: `TrustList.load` (German, Austrian, Swiss, EU gateway JSON,
//! PEM), its summary `TrustListView`, and `Verifier.withTrustList`.

use std::collections::HashMap;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::{DccError, from_view};

/// The format of a trust list (`TrustListView.format`, `TrustListOptions.format`).
#[derive(
    uniffi::Enum, Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize,
)]
pub enum TrustListFormat {
    /// `de`: the German DSC list (signature line + JSON of gateway entries).
    #[default]
    #[serde(rename = "de")]
    German,
    /// `at`: the Austrian trust list (CBOR content + a separate COSE_Sign1 signature file).
    #[serde(rename = "at")]
    Austrian,
    /// `ch`: the Swiss key list (JWS with an `x5c` chain; bare public keys).
    #[serde(rename = "ch")]
    Swiss,
    /// `eu-gateway`: EU gateway JSON entries, unsigned.
    #[serde(rename = "eu-gateway")]
    EuGateway,
    /// `pem`: PEM or DER certificates, unsigned.
    #[serde(rename = "pem")]
    Certificates,
}

impl From<TrustListFormat> for dcc::TrustListFormat {
    fn from(f: TrustListFormat) -> Self {
        match f {
            TrustListFormat::German => dcc::TrustListFormat::German,
            TrustListFormat::Austrian => dcc::TrustListFormat::Austrian,
            TrustListFormat::Swiss => dcc::TrustListFormat::Swiss,
            TrustListFormat::EuGateway => dcc::TrustListFormat::EuGateway,
            TrustListFormat::Certificates => dcc::TrustListFormat::Certificates,
        }
    }
}

/// How to load a trust list. `TrustListOptions()` (or `null`/`nil`): checked now, an expired
/// list refused, no name, the format detected from the content.
#[derive(uniffi::Record, Debug, Clone, PartialEq, Eq, Default)]
pub struct TrustListOptions {
    /// The time the list's validity is checked at, seconds since the epoch (default: now).
    #[uniffi(default = None)]
    pub at: Option<i64>,
    /// Use a list past its expiry (offline verifiers keep the last good list); reported in
    /// `TrustListView.expired` and in every verification's `signer.source.listExpired`.
    #[uniffi(default = false)]
    pub allow_expired: bool,
    /// A name for the list (e.g. its file name), reported as the signer's source.
    #[uniffi(default = None)]
    pub name: Option<String>,
    /// The format, when it should not be detected from the content.
    #[uniffi(default = None)]
    pub format: Option<TrustListFormat>,
}

impl From<TrustListOptions> for dcc::TrustListOptions {
    fn from(o: TrustListOptions) -> Self {
        dcc::TrustListOptions {
            at: o.at,
            allow_expired: o.allow_expired,
            name: o.name,
            format: o.format.map(Into::into),
        }
    }
}

/// An entry of a trust list that was not trusted, and why.
#[derive(uniffi::Record, Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct SkippedEntry {
    /// Position of the entry in the list (0-based).
    pub index: u64,
    /// The kid the list gives for the entry, base64.
    pub kid: Option<String>,
    /// The country the list gives for the entry.
    pub country: Option<String>,
    /// Stable code: `kid_mismatch`, `thumbprint_mismatch`, `invalid_certificate`,
    /// `invalid_key`, `deleted`, `not_a_dsc`, `inactive`.
    pub code: String,
    /// Human-readable explanation.
    pub message: String,
}

/// The summary of a loaded trust list, as every binding and `dcc trust-list --json` report it.
#[derive(uniffi::Record, Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct TrustListView {
    /// The list's format.
    pub format: TrustListFormat,
    /// The caller's name for the list.
    pub name: Option<String>,
    /// Whether the list's signature was checked and verified (false for unsigned formats).
    pub signature_verified: bool,
    /// The anchor (or, for the Swiss list, the signing certificate) the signature verified with.
    pub signed_by: Option<String>,
    /// Trusted entries.
    pub entries: u64,
    /// Of those, certificates.
    pub certificates: u64,
    /// Of those, bare public keys.
    pub bare_keys: u64,
    /// Trusted entries per country (`??` when the list gives none).
    pub countries: HashMap<String, u64>,
    /// Entries that were not trusted, each with a code.
    pub skipped: Vec<SkippedEntry>,
    /// The list's not-before time, where its format has one.
    pub not_before: Option<i64>,
    /// The list's expiry, where its format has one.
    pub expires: Option<i64>,
    /// True when the list had expired (or was not yet valid) and was loaded because
    /// `allowExpired` was set.
    pub expired: bool,
}

/// A trust list whose signature (where its format has one) was checked against the pinned
/// anchor. Give it to `Verifier.withTrustList`. Safe to share between threads.
#[derive(uniffi::Object, Debug)]
pub struct TrustList(dcc::TrustList);

#[uniffi::export]
impl TrustList {
    /// Loads `content` (the format is detected unless `options.format` says it) and checks it.
    /// `companion`: the Austrian list's signature file, or the Swiss signed active-key list.
    /// `anchor`: the pinned public key or certificate (PEM or DER) that signs the list (for the
    /// Swiss list, the root of its `x5c` chain); required for the signed formats (`de`, `at`,
    /// `ch`), refused for the others (`invalid_argument`). Errors: `invalid_trust_list`,
    /// `trust_list_signature_invalid`, `trust_list_expired`.
    #[uniffi::constructor(default(companion = None, anchor = None, options = None))]
    pub fn load(
        content: Vec<u8>,
        companion: Option<Vec<u8>>,
        anchor: Option<Vec<u8>>,
        options: Option<TrustListOptions>,
    ) -> Result<Arc<Self>, DccError> {
        let options = options.unwrap_or_default().into();
        let list =
            dcc::TrustList::load(&content, companion.as_deref(), anchor.as_deref(), &options)?;
        Ok(Arc::new(TrustList(list)))
    }

    /// The list's summary: format, signature, entries per country, skipped entries, validity.
    pub fn view(&self) -> TrustListView {
        from_view(self.0.view())
    }

    /// The summary as JSON (snake_case keys), as `dcc trust-list --json`.
    pub fn to_json(&self) -> String {
        self.0.to_json()
    }
}

impl TrustList {
    /// The facade's list (what `Verifier.withTrustList` adds).
    pub(crate) fn inner(&self) -> dcc::TrustList {
        self.0.clone()
    }
}
