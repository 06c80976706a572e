//! Base45 (RFC 9285), strict on decode.
//!
//! Written here rather than taken from the `base45` crate because that crate reports every
//! failure as one opaque error and accepts a final pair above 255 (it truncates it to a byte);
//! a verifier must reject that and say what was wrong. The crate is used in our tests as a
//! differential check.

use crate::DecodeError;

/// The 45-character alphabet, value order (RFC 9285 section 4.2).
pub const ALPHABET: &[u8; 45] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";

const INVALID: u8 = 0xFF;

const DECODE_TABLE: [u8; 256] = {
    let mut t = [INVALID; 256];
    let mut i = 0;
    while i < ALPHABET.len() {
        t[ALPHABET[i] as usize] = i as u8;
        i += 1;
    }
    t
};

/// Length of the Base45 text for `n` input bytes.
pub const fn encoded_len(n: usize) -> usize {
    n / 2 * 3 + (n % 2) * 2
}

/// Encodes bytes as Base45 text.
pub fn encode(input: &[u8]) -> String {
    let mut s = String::with_capacity(encoded_len(input.len()));
    encode_into(input, &mut s);
    s
}

/// Appends the Base45 encoding of `input` to `out`.
pub fn encode_into(input: &[u8], out: &mut String) {
    out.reserve(encoded_len(input.len()));
    let mut chunks = input.chunks_exact(2);
    for pair in &mut chunks {
        let n = u32::from(pair[0]) * 256 + u32::from(pair[1]);
        out.push(char::from(ALPHABET[(n % 45) as usize]));
        out.push(char::from(ALPHABET[(n / 45 % 45) as usize]));
        out.push(char::from(ALPHABET[(n / 2025) as usize]));
    }
    if let [b] = chunks.remainder() {
        let n = u32::from(*b);
        out.push(char::from(ALPHABET[(n % 45) as usize]));
        out.push(char::from(ALPHABET[(n / 45) as usize]));
    }
}

fn value(text: &str, position: usize) -> Result<u32, DecodeError> {
    let b = text.as_bytes()[position];
    match DECODE_TABLE[b as usize] {
        INVALID => Err(DecodeError::Base45Character {
            character: text[position..]
                .chars()
                .next()
                .unwrap_or(char::REPLACEMENT_CHARACTER),
            position,
        }),
        v => Ok(u32::from(v)),
    }
}

/// Decodes Base45 text, rejecting a length of 1 mod 3, characters outside the alphabet, triples
/// above 65535 and a final pair above 255. Spaces are data, never trimmed.
pub fn decode(text: &str) -> Result<Vec<u8>, DecodeError> {
    let len = text.len();
    // Report a bad character before a bad length: it is the more precise diagnosis.
    for i in 0..len {
        value(text, i)?;
    }
    if len % 3 == 1 {
        return Err(DecodeError::Base45Length(len));
    }
    let mut out = Vec::with_capacity(len / 3 * 2 + 1);
    let mut i = 0;
    while i + 3 <= len {
        let n = value(text, i)? + value(text, i + 1)? * 45 + value(text, i + 2)? * 2025;
        if n > 0xFFFF {
            return Err(DecodeError::Base45Overflow {
                position: i,
                value: n,
                max: 0xFFFF,
            });
        }
        out.push((n >> 8) as u8);
        out.push((n & 0xFF) as u8);
        i += 3;
    }
    if i + 2 == len {
        let n = value(text, i)? + value(text, i + 1)? * 45;
        if n > 0xFF {
            return Err(DecodeError::Base45Overflow {
                position: i,
                value: n,
                max: 0xFF,
            });
        }
        out.push(n as u8);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    // RFC 9285 section 4.3 examples.
    const RFC: &[(&[u8], &str)] = &[
        (b"AB", "BB8"),
        (b"Hello!!", "%69 VD92EX0"),
        (b"base-45", "UJCLQE7W581"),
        (b"ietf!", "QED8WEX0"),
        (b"", ""),
    ];

    #[test]
    fn rfc_examples() {
        for (i, (bytes, text)) in RFC.iter().enumerate() {
            assert_eq!(encode(bytes), *text, "case {i}");
            assert_eq!(decode(text).as_deref(), Ok(*bytes), "case {i}");
        }
    }

    #[test]
    fn strict_errors() {
        assert_eq!(decode("A"), Err(DecodeError::Base45Length(1)));
        assert_eq!(decode("BB8A"), Err(DecodeError::Base45Length(4)));
        assert_eq!(
            decode("BB8a"),
            Err(DecodeError::Base45Character {
                character: 'a',
                position: 3
            })
        );
        assert_eq!(
            decode("BB\u{e9}"),
            Err(DecodeError::Base45Character {
                character: '\u{e9}',
                position: 2
            })
        );
        // ":::" = 44 + 44*45 + 44*2025 = 91124 > 65535
        assert_eq!(
            decode(":::"),
            Err(DecodeError::Base45Overflow {
                position: 0,
                value: 91124,
                max: 65535
            })
        );
        // "GGW" = 16 + 16*45 + 32*2025 = 65536, one above the maximum.
        assert!(matches!(
            decode("GGW"),
            Err(DecodeError::Base45Overflow { value: 65536, .. })
        ));
        assert_eq!(decode("FGW"), Ok(vec![0xFF, 0xFF]));
        // Final pair "::" = 44 + 44*45 = 2024 > 255; "U5" = 30 + 5*45 = 255 is the maximum.
        assert!(matches!(
            decode("::"),
            Err(DecodeError::Base45Overflow { max: 255, .. })
        ));
        assert_eq!(decode("U5"), Ok(vec![0xFF]));
        // Spaces are data.
        assert_eq!(decode("%69 VD92EX0").as_deref(), Ok(&b"Hello!!"[..]));
    }

    #[test]
    fn matches_published_crate() {
        // Every byte pair, plus odd tails, against the base45 crate.
        let mut data = Vec::new();
        for a in 0..=255u8 {
            for b in (0..=255u8).step_by(7) {
                data.push(a);
                data.push(b);
            }
        }
        for cut in [0, 1, 2, 3, data.len() - 1, data.len()] {
            let slice = &data[..cut];
            let ours = encode(slice);
            assert_eq!(ours, ::base45::encode(slice));
            assert_eq!(decode(&ours).as_deref(), Ok(slice));
        }
    }
}
