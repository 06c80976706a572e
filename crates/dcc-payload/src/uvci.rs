//! Unique certificate identifiers (UVCI / UCI), eHN guidelines Annex 2.
//!
//! `URN:UVCI:01:<CC>:<issuer part>/<unique part>#<check>`, where the optional check character is
//! Luhn mod 38 over the alphabet `A-Z 0-9 / :`, computed over everything before `#` (including
//! `URN:UVCI:`). Parsing is lenient (lowercase prefix, no prefix, no checksum all occur in real
//! certificates) and the checksum never decides validity.

/// The Luhn mod N alphabet (N = 38). `#` is not part of it.
pub const ALPHABET: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/:";

/// The position of `c` in [`ALPHABET`].
fn code_point(c: char) -> Option<u32> {
    match c {
        'A'..='Z' => Some(c as u32 - 'A' as u32),
        '0'..='9' => Some(c as u32 - '0' as u32 + 26),
        '/' => Some(36),
        ':' => Some(37),
        _ => None,
    }
}

/// The Luhn mod 38 check character of `input`, or `None` if it holds a character outside the
/// alphabet.
///
/// ```
/// assert_eq!(dcc_payload::uvci::check_character("URN:UVCI:01:NL:187/37512422923"), Some('Z'));
/// ```
pub fn check_character(input: &str) -> Option<char> {
    let n = ALPHABET.len() as u32;
    let mut factor = 2;
    let mut sum = 0;
    for c in input.chars().rev() {
        let addend = factor * code_point(c)?;
        factor = if factor == 2 { 1 } else { 2 };
        sum += addend / n + addend % n;
    }
    let check = (n - sum % n) % n;
    ALPHABET
        .as_bytes()
        .get(check as usize)
        .map(|b| char::from(*b))
}

/// Whether `input` followed by `check` passes Luhn mod 38.
pub fn is_valid_check(input: &str, check: char) -> bool {
    check_character(input) == Some(check)
}

/// A parsed identifier.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Uvci {
    /// Whether the `URN:UVCI:` prefix was present (any case).
    pub has_prefix: bool,
    /// Version, normally `01`.
    pub version: String,
    /// Issuing country (ISO 3166-1 alpha-2, or a longer reserved code).
    pub country: String,
    /// The rest: issuer-specific components separated by `/`.
    pub components: Vec<String>,
    /// The check character after `#`, if any.
    pub check: Option<char>,
    /// Whether the check character is right (`None` when absent or not computable). Informative
    /// only: many issuers use other schemes.
    pub check_valid: Option<bool>,
}

/// Parses an identifier leniently. Returns `None` only when no version and country can be found.
pub fn parse(input: &str) -> Option<Uvci> {
    let trimmed = input.trim();
    let upper = trimmed.to_ascii_uppercase();
    let (body, check) = match upper.rsplit_once('#') {
        Some((b, c)) if c.chars().count() == 1 => (b.to_string(), c.chars().next()),
        Some((b, _)) => (b.to_string(), None),
        None => (upper.clone(), None),
    };
    let has_prefix = body.starts_with("URN:UVCI:");
    let rest = body.strip_prefix("URN:UVCI:").unwrap_or(&body);
    // "01:DE:...", "01DE/...", "01 IS/..." and "01/PT/..." all occur.
    let version: String = rest.chars().take_while(|c| c.is_ascii_digit()).collect();
    if version.is_empty() {
        return None;
    }
    let rest = rest[version.len()..].trim_start_matches([':', ' ', '/']);
    let country: String = rest
        .chars()
        .take_while(|c| c.is_ascii_uppercase())
        .collect();
    if country.len() < 2 {
        return None;
    }
    let rest = rest[country.len()..].trim_start_matches([':', '/']);
    let components = rest
        .split('/')
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect();
    let check_valid = check
        .map(|c| is_valid_check(&body, c))
        .filter(|_| check_character(&body).is_some());
    Some(Uvci {
        has_prefix,
        version,
        country,
        components,
        check,
        check_valid,
    })
}

/// Generates `URN:UVCI:01:<country>:<issuer_part>/<unique>#<check>` with 16 characters of
/// cryptographic randomness (~82 bits) in the unique part.
///
/// `issuer_part` may hold `A-Z`, `0-9` and `/` (for several components); lowercase is
/// upper-cased. Fails when the random source is unavailable or the inputs hold other
/// characters.
pub fn generate(country: &str, issuer_part: &str) -> Result<String, String> {
    let country = country.trim().to_ascii_uppercase();
    if country.len() < 2 || !country.bytes().all(|b| b.is_ascii_uppercase()) {
        return Err(format!(
            "country {country:?} must be an upper-case ISO 3166-1 alpha-2 code"
        ));
    }
    let issuer = issuer_part.trim().to_ascii_uppercase();
    if issuer.is_empty()
        || !issuer
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '/')
    {
        return Err(format!(
            "issuer part {issuer_part:?} may only hold A-Z, 0-9 and /"
        ));
    }
    const UNIQUE_ALPHABET: &[u8; 36] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    let mut random = [0u8; 16];
    getrandom::fill(&mut random).map_err(|e| format!("random source unavailable: {e}"))?;
    // 256 = 7 * 36 + 4: reject the top 4 values to avoid bias.
    let mut unique = String::with_capacity(16);
    let mut pool = random.to_vec();
    while unique.len() < 16 {
        if pool.is_empty() {
            let mut more = [0u8; 16];
            getrandom::fill(&mut more).map_err(|e| format!("random source unavailable: {e}"))?;
            pool.extend_from_slice(&more);
        }
        let b = pool.remove(0);
        if b < 252 {
            unique.push(char::from(UNIQUE_ALPHABET[(b % 36) as usize]));
        }
    }
    let body = format!("URN:UVCI:01:{country}:{issuer}/{unique}");
    let check = check_character(&body).ok_or("identifier outside the checksum alphabet")?;
    Ok(format!("{body}#{check}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_points_are_positions_in_the_alphabet() {
        for c in (0u32..0x250).filter_map(char::from_u32) {
            assert_eq!(code_point(c), ALPHABET.find(c).map(|i| i as u32), "{c:?}");
        }
    }

    #[test]
    fn spec_vector() {
        assert_eq!(check_character("URN:UVCI:01:NL:187/37512422923"), Some('Z'));
        assert!(is_valid_check("URN:UVCI:01:NL:187/37512422923", 'Z'));
        assert_eq!(
            check_character("URN:UVCI:01:DK:1D6DAB71F99A5C87A657D6D904558001"),
            Some('R')
        );
        assert_eq!(check_character("urn:x"), None);
    }

    #[test]
    fn lenient_parsing() {
        let u = parse("URN:UVCI:01:NL:187/37512422923#Z").unwrap();
        assert_eq!((u.version.as_str(), u.country.as_str()), ("01", "NL"));
        assert_eq!(u.components, vec!["187", "37512422923"]);
        assert_eq!((u.check, u.check_valid), (Some('Z'), Some(true)));
        let u = parse("urn:uvci:01:fr:abc#X").unwrap();
        assert_eq!(u.country, "FR");
        assert_eq!(u.check_valid, Some(false));
        let u = parse("01DE/IZ12345A/5CWLU12RNOB9RXSEOP6FG8#W").unwrap();
        assert_eq!((u.has_prefix, u.country.as_str()), (false, "DE"));
        let u = parse("01 IS/12345").unwrap();
        assert_eq!(u.country, "IS");
        assert_eq!(u.check, None);
        assert!(parse("dgci:V1:CY:xyz").is_none());
        assert!(parse("").is_none());
        assert!(parse("hello").is_none());
    }

    #[test]
    fn generated_identifiers_check_and_parse() {
        for _ in 0..200 {
            let id = generate("de", "DCCKIT/V1").unwrap();
            assert!(id.starts_with("URN:UVCI:01:DE:DCCKIT/V1/"));
            let u = parse(&id).unwrap();
            assert_eq!(u.check_valid, Some(true), "{id}");
            assert!(id.len() <= 80);
        }
        assert!(generate("D", "X").is_err());
        assert!(generate("DE", "bad part!").is_err());
    }
}
