//! The `HC1:` context identifier (HCERT section 6).

use crate::DecodeError;

/// The context identifier of HCERT version 1.
pub const PREFIX: &str = "HC1:";

/// Prepends `HC1:` to Base45 text.
pub fn add_prefix(base45: &str) -> String {
    let mut s = String::with_capacity(PREFIX.len() + base45.len());
    s.push_str(PREFIX);
    s.push_str(base45);
    s
}

/// Strips the exact, case-sensitive `HC1:` prefix.
///
/// `HC2:` to `HC9:` and `HCA:` to `HCZ:` are reserved for future versions and are reported as
/// [`DecodeError::UnsupportedVersion`]; anything else (including `hc1:`) is
/// [`DecodeError::MissingPrefix`].
pub fn strip_prefix(text: &str) -> Result<&str, DecodeError> {
    if text.is_empty() {
        return Err(DecodeError::Empty);
    }
    if let Some(rest) = text.strip_prefix(PREFIX) {
        return Ok(rest);
    }
    let b = text.as_bytes();
    if b.len() >= 4
        && &b[..2] == b"HC"
        && b[3] == b':'
        && (b[2].is_ascii_digit() || b[2].is_ascii_uppercase())
    {
        return Err(DecodeError::UnsupportedVersion(text[..4].to_string()));
    }
    Err(DecodeError::MissingPrefix)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes() {
        assert_eq!(strip_prefix("HC1:ABC"), Ok("ABC"));
        assert_eq!(strip_prefix("HC1:"), Ok(""));
        assert_eq!(strip_prefix(""), Err(DecodeError::Empty));
        assert_eq!(strip_prefix("hc1:ABC"), Err(DecodeError::MissingPrefix));
        assert_eq!(strip_prefix("HL0:ABC"), Err(DecodeError::MissingPrefix));
        assert_eq!(strip_prefix("ABC"), Err(DecodeError::MissingPrefix));
        assert_eq!(strip_prefix(" HC1:ABC"), Err(DecodeError::MissingPrefix));
        assert_eq!(
            strip_prefix("HC2:ABC"),
            Err(DecodeError::UnsupportedVersion("HC2:".into()))
        );
        assert_eq!(
            strip_prefix("HCZ:ABC"),
            Err(DecodeError::UnsupportedVersion("HCZ:".into()))
        );
        assert_eq!(add_prefix("X"), "HC1:X");
    }
}
