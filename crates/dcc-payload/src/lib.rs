#![doc = include_str!("../README.md")]
#![deny(rustdoc::broken_intra_doc_links)]

pub mod codes;
mod convert;
mod issue;
mod model;
pub mod transliterate;
mod unicode;
pub mod uvci;
pub mod validate;

pub use codes::IssueCode;
pub use convert::{cbor_to_json, json_to_cbor};
pub use issue::Issue;
pub use model::{CertType, Dcc, Entry, Name, Recovery, Test, Vaccination};
pub use validate::{Validator, ValueSets};

/// JSON object type used for unknown fields.
pub type Map = serde_json::Map<String, serde_json::Value>;

/// Errors from reading or converting a payload.
///
/// [`PayloadError::Json`], [`PayloadError::Cbor`] and [`PayloadError::CborEncoding`] hold the
/// parser's or encoder's error (shared in an [`Arc`](std::sync::Arc), so that the enum stays
/// `Clone`) as their [`std::error::Error::source`]; two of them compare equal when their
/// messages do.
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum PayloadError {
    /// The input is not valid JSON.
    #[error("invalid JSON: {0}")]
    Json(#[source] std::sync::Arc<serde_json::Error>),
    /// The input is not valid CBOR.
    #[error("invalid CBOR: {0}")]
    Cbor(#[source] std::sync::Arc<ciborium::de::Error<std::io::Error>>),
    /// The payload could not be encoded as CBOR (not expected when writing to memory).
    #[error("invalid CBOR: {0}")]
    CborEncoding(#[source] std::sync::Arc<ciborium::ser::Error<std::io::Error>>),
    /// A CBOR value that has no JSON equivalent.
    #[error("CBOR value at {path} cannot be represented in JSON: {what}")]
    Unrepresentable {
        /// Slash-separated path of the value (`t/0/sc`).
        path: String,
        /// What was found.
        what: String,
    },
    /// The payload does not match the DCC model (a missing field or a field of the wrong type).
    #[error("payload does not match the DCC model: {0}")]
    Model(String),
    /// None of `v`, `t`, `r` is present.
    #[error("the payload has no certificate group: exactly one of v, t or r is required")]
    NoGroup,
    /// More than one of `v`, `t`, `r` is present.
    #[error(
        "the payload has more than one certificate group ({0}): exactly one of v, t or r is allowed"
    )]
    MultipleGroups(String),
    /// The group array does not hold exactly one entry.
    #[error("the {group} array has {len} entries: exactly one is required")]
    EntryCount {
        /// `v`, `t` or `r`.
        group: &'static str,
        /// The number of entries found.
        len: usize,
    },
}

impl From<serde_json::Error> for PayloadError {
    fn from(e: serde_json::Error) -> Self {
        PayloadError::Json(e.into())
    }
}

impl PartialEq for PayloadError {
    fn eq(&self, other: &Self) -> bool {
        use PayloadError as P;
        match (self, other) {
            (P::Json(a), P::Json(b)) => a.to_string() == b.to_string(),
            (P::Cbor(a), P::Cbor(b)) => a.to_string() == b.to_string(),
            (P::CborEncoding(a), P::CborEncoding(b)) => a.to_string() == b.to_string(),
            (P::Unrepresentable { path, what }, P::Unrepresentable { path: p, what: w }) => {
                path == p && what == w
            }
            (P::Model(a), P::Model(b)) | (P::MultipleGroups(a), P::MultipleGroups(b)) => a == b,
            (P::NoGroup, P::NoGroup) => true,
            (P::EntryCount { group, len }, P::EntryCount { group: g, len: l }) => {
                group == g && len == l
            }
            _ => false,
        }
    }
}

impl Eq for PayloadError {}

/// `Result` with [`PayloadError`].
pub type Result<T, E = PayloadError> = std::result::Result<T, E>;
