#![doc = include_str!("../README.md")]
#![deny(rustdoc::broken_intra_doc_links)]

mod convert;
mod issue;
mod model;
pub mod transliterate;
mod unicode;
pub mod uvci;
pub mod validate;

pub use convert::{cbor_to_json, json_to_cbor};
pub use issue::Issue;
pub use model::{CertType, Dcc, Entry, Name, Recovery, Test, Vaccination};
pub use validate::{Validator, ValueSets};

/// JSON object type used for unknown fields.
pub type Map = serde_json::Map<String, serde_json::Value>;

/// Errors from reading or converting a payload.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PayloadError {
    /// The input is not valid JSON.
    #[error("invalid JSON: {0}")]
    Json(String),
    /// The input is not valid CBOR.
    #[error("invalid CBOR: {0}")]
    Cbor(String),
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

/// `Result` with [`PayloadError`].
pub type Result<T, E = PayloadError> = std::result::Result<T, E>;
