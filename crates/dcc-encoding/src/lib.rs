#![doc = include_str!("../README.md")]
#![deny(rustdoc::broken_intra_doc_links)]

pub mod base45;
pub mod prefix;
pub mod zlib;

pub use prefix::{PREFIX, add_prefix, strip_prefix};
pub use zlib::{MAX_INFLATED_SIZE, compress, decompress, decompress_with_limit};

/// Errors from decoding the transport layers, outermost first.
///
/// [`DecodeError::Inflate`] holds the inflater's error as its [`std::error::Error::source`];
/// two of them compare equal when their messages do.
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum DecodeError {
    /// The input was empty.
    #[error("input is empty")]
    Empty,
    /// The text does not start with the `HC1:` context identifier.
    #[error("missing or invalid context identifier: the text must start with exactly \"HC1:\"")]
    MissingPrefix,
    /// The text carries a context identifier of a later, unsupported HCERT version.
    #[error("unsupported context identifier {0:?}: only \"HC1:\" is supported")]
    UnsupportedVersion(String),
    /// Base45 text whose length is 1 modulo 3.
    #[error("invalid Base45 length {0}: a length of 1 modulo 3 is impossible")]
    Base45Length(usize),
    /// A character outside the Base45 alphabet.
    #[error("invalid Base45 character {character:?} at position {position}")]
    Base45Character {
        /// The offending character (may be a replacement for a non-ASCII byte).
        character: char,
        /// Byte offset in the Base45 text (after the prefix).
        position: usize,
    },
    /// A three-character group encoding a value above 65535, or a final pair above 255.
    #[error("Base45 group at position {position} encodes {value}, above the maximum {max}")]
    Base45Overflow {
        /// Byte offset of the group in the Base45 text.
        position: usize,
        /// The decoded value.
        value: u32,
        /// The largest value the group may encode.
        max: u32,
    },
    /// The data is not a valid zlib stream: empty, truncated, or followed by trailing bytes.
    #[error("invalid zlib data: {0}")]
    Zlib(String),
    /// The inflater rejected the data (includes uncompressed data and corrupt streams).
    #[error("invalid zlib data: {0}")]
    Inflate(#[source] flate2::DecompressError),
    /// Inflating would exceed the size cap.
    #[error("inflated data exceeds the limit of {limit} bytes")]
    TooLarge {
        /// The cap that was hit.
        limit: usize,
    },
}

impl PartialEq for DecodeError {
    fn eq(&self, other: &Self) -> bool {
        use DecodeError as D;
        match (self, other) {
            (D::Empty, D::Empty) | (D::MissingPrefix, D::MissingPrefix) => true,
            (D::UnsupportedVersion(a), D::UnsupportedVersion(b)) | (D::Zlib(a), D::Zlib(b)) => {
                a == b
            }
            (D::Base45Length(a), D::Base45Length(b)) => a == b,
            (
                D::Base45Character {
                    character,
                    position,
                },
                D::Base45Character {
                    character: c,
                    position: p,
                },
            ) => character == c && position == p,
            (
                D::Base45Overflow {
                    position,
                    value,
                    max,
                },
                D::Base45Overflow {
                    position: p,
                    value: v,
                    max: m,
                },
            ) => position == p && value == v && max == m,
            (D::Inflate(a), D::Inflate(b)) => a.to_string() == b.to_string(),
            (D::TooLarge { limit: a }, D::TooLarge { limit: b }) => a == b,
            _ => false,
        }
    }
}

impl Eq for DecodeError {}

/// Errors from encoding.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EncodeError {
    /// zlib compression failed (not expected with in-memory buffers).
    #[error("zlib compression failed: {0}")]
    Zlib(String),
}

/// Compresses COSE bytes, Base45-encodes them and adds the `HC1:` prefix.
pub fn encode_hc1(cose: &[u8]) -> Result<String, EncodeError> {
    let compressed = zlib::compress(cose)?;
    let mut out = String::with_capacity(PREFIX.len() + base45::encoded_len(compressed.len()));
    out.push_str(PREFIX);
    base45::encode_into(&compressed, &mut out);
    Ok(out)
}

/// Reverses [`encode_hc1`]: strips the prefix, Base45-decodes and inflates (capped at
/// [`MAX_INFLATED_SIZE`]), returning the COSE bytes.
pub fn decode_hc1(text: &str) -> Result<Vec<u8>, DecodeError> {
    let compressed = base45::decode(strip_prefix(text)?)?;
    zlib::decompress(&compressed)
}
