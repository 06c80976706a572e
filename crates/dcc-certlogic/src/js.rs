//! The few JavaScript behaviours that certlogic-js relies on without saying so: how numbers print,
//! how `parseInt` reads a path fragment, how a value turns into a string in a message, and
//! UTF-16 string indexing.

use serde_json::Value;

/// `Number.prototype.toString()` (radix 10): the shortest round-trip digits, exponent form below
/// 1e-6 and from 1e21 on.
pub(crate) fn number_to_string(n: f64) -> String {
    if n.is_nan() {
        return "NaN".into();
    }
    if n == 0.0 {
        return "0".into(); // -0 prints as 0
    }
    if n.is_infinite() {
        return if n > 0.0 { "Infinity" } else { "-Infinity" }.into();
    }
    let sign = if n < 0.0 { "-" } else { "" };
    // Rust's `{:e}` prints the shortest digits that round-trip, like JavaScript.
    let sci = format!("{:e}", n.abs());
    let (mantissa, exp) = sci.split_once('e').unwrap_or((sci.as_str(), "0"));
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let exp: i64 = exp.parse().unwrap_or(0);
    let k = digits.len() as i64;
    let point = exp + 1; // the decimal point sits after `point` digits
    let body = if k <= point && point <= 21 {
        format!("{digits}{}", "0".repeat((point - k) as usize))
    } else if 0 < point && point <= 21 {
        let (int, frac) = digits.split_at(point as usize);
        format!("{int}.{frac}")
    } else if -6 < point && point <= 0 {
        format!("0.{}{digits}", "0".repeat((-point) as usize))
    } else {
        let e = point - 1;
        let e = if e >= 0 {
            format!("+{e}")
        } else {
            e.to_string()
        };
        let (first, rest) = digits.split_at(1);
        if rest.is_empty() {
            format!("{first}e{e}")
        } else {
            format!("{first}.{rest}e{e}")
        }
    };
    format!("{sign}{body}")
}

fn is_js_whitespace(c: char) -> bool {
    (c.is_whitespace() && c != '\u{85}') || c == '\u{feff}'
}

/// `parseInt(s, 10)`: leading white space, an optional sign, then as many decimal digits as
/// there are (at least one, else `None` for NaN); anything after them is ignored.
pub(crate) fn parse_int(s: &str) -> Option<f64> {
    // Fast path for the usual property names.
    if s.as_bytes()
        .first()
        .is_some_and(|b| b.is_ascii_alphabetic() || *b == b'_')
    {
        return None;
    }
    let t = s.trim_start_matches(is_js_whitespace);
    let (negative, rest) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    let len = rest.bytes().take_while(u8::is_ascii_digit).count();
    if len == 0 {
        return None;
    }
    let value: f64 = rest[..len].parse().unwrap_or(f64::INFINITY);
    Some(if negative { -value } else { value })
}

/// The string JavaScript's template literals make of a JSON value (`${value}`).
pub(crate) fn value_to_string(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => number_to_string(n.as_f64().unwrap_or(f64::NAN)),
        Value::String(s) => s.clone(),
        Value::Array(items) => items
            .iter()
            .map(|item| match item {
                Value::Null => String::new(),
                other => value_to_string(other),
            })
            .collect::<Vec<_>>()
            .join(","),
        Value::Object(_) => "[object Object]".into(),
    }
}

/// `s.length`: the number of UTF-16 code units.
pub(crate) fn utf16_len(s: &str) -> usize {
    s.chars().map(char::len_utf16).sum()
}

/// `s[i]`: the UTF-16 code unit at `i` as a one-unit string. A lone half of a surrogate pair
/// cannot be a Rust string and becomes U+FFFD.
pub(crate) fn utf16_unit_at(s: &str, i: usize) -> Option<String> {
    let unit = s.encode_utf16().nth(i)?;
    Some(
        char::from_u32(u32::from(unit))
            .unwrap_or('\u{fffd}')
            .to_string(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_print_like_javascript() {
        for (n, s) in [
            (1.1, "1.1"),
            (1e21, "1e+21"),
            (1.5e21, "1.5e+21"),
            (1e20, "100000000000000000000"),
            (0.000001, "0.000001"),
            (0.0000001, "1e-7"),
            (-2.5e-8, "-2.5e-8"),
            (42.0, "42"),
            (-0.0, "0"),
            (123.456, "123.456"),
            (0.1, "0.1"),
        ] {
            assert_eq!(number_to_string(n), s, "{n}");
        }
    }

    #[test]
    fn parse_int_like_javascript() {
        assert_eq!(parse_int("12"), Some(12.0));
        assert_eq!(parse_int("  -3x"), Some(-3.0));
        assert_eq!(parse_int("1e3"), Some(1.0));
        assert_eq!(parse_int("0x10"), Some(0.0));
        assert_eq!(parse_int("x"), None);
        assert_eq!(parse_int(""), None);
        assert_eq!(parse_int("-"), None);
        assert_eq!(parse_int("\u{feff}7"), Some(7.0));
        assert_eq!(parse_int("\u{85}7"), None);
    }

    #[test]
    fn strings_index_by_utf16_unit() {
        assert_eq!(utf16_len("a😀"), 3);
        assert_eq!(utf16_unit_at("a😀", 0).as_deref(), Some("a"));
        assert_eq!(utf16_unit_at("a😀", 1).as_deref(), Some("\u{fffd}"));
        assert_eq!(utf16_unit_at("a😀", 3), None);
    }
}
