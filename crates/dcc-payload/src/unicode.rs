//! Unicode normalisation (NFC, NFD) behind one small interface.
//!
//! With the `unicode-tables` feature (on by default) the `unicode-normalization` crate does the
//! work. Without it, the `js-host` feature hands it to the JavaScript host's
//! `String.prototype.normalize`: every JavaScript engine ships the Unicode tables already, and
//! carrying a second copy would add about 115 KB to the WebAssembly module. When both are on,
//! the tables win (the result does not depend on the host).

#[cfg(not(any(feature = "unicode-tables", feature = "js-host")))]
compile_error!(
    "dcc-payload needs a Unicode normaliser: enable the `unicode-tables` feature (native) or \
     the `js-host` feature (WebAssembly in a JavaScript host)"
);

/// Whether every code point of `s` is below U+0300 (the first combining mark): such text is
/// unchanged by NFC, so it needs no normaliser.
fn below_combining_marks(s: &str) -> bool {
    s.chars().all(|c| c < '\u{0300}')
}

/// Whether `s` is already in NFC.
pub(crate) fn is_nfc(s: &str) -> bool {
    below_combining_marks(s) || imp::is_nfc(s)
}

/// `s` in NFC.
pub(crate) fn nfc(s: &str) -> String {
    if below_combining_marks(s) {
        return s.to_string();
    }
    imp::normalize(s, Form::Nfc)
}

/// The canonical decomposition (NFD) of one character.
pub(crate) fn nfd_char(c: char) -> String {
    if c.is_ascii() {
        return c.to_string();
    }
    let mut buf = [0u8; 4];
    imp::normalize(c.encode_utf8(&mut buf), Form::Nfd)
}

#[derive(Clone, Copy)]
enum Form {
    Nfc,
    Nfd,
}

#[cfg(feature = "unicode-tables")]
mod imp {
    use super::Form;
    use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

    pub(super) fn is_nfc(s: &str) -> bool {
        match is_nfc_quick(s.chars()) {
            IsNormalized::Yes => true,
            IsNormalized::No => false,
            IsNormalized::Maybe => s.nfc().eq(s.chars()),
        }
    }

    pub(super) fn normalize(s: &str, form: Form) -> String {
        match form {
            Form::Nfc => s.nfc().collect(),
            Form::Nfd => s.nfd().collect(),
        }
    }
}

#[cfg(all(feature = "js-host", not(feature = "unicode-tables")))]
mod imp {
    use super::Form;
    use js_sys::JsString;

    pub(super) fn is_nfc(s: &str) -> bool {
        normalize(s, Form::Nfc) == s
    }

    pub(super) fn normalize(s: &str, form: Form) -> String {
        let form = match form {
            Form::Nfc => "NFC",
            Form::Nfd => "NFD",
        };
        String::from(JsString::from(s).normalize(form))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nfc_composes_and_keeps_composed_text() {
        assert!(is_nfc("Gößinger"));
        assert!(is_nfc("Μενεξές"));
        let decomposed = "C\u{030C}ervenkova\u{0301}";
        assert!(!is_nfc(decomposed));
        assert_eq!(nfc(decomposed), "Červenková");
        assert_eq!(nfc("Červenková"), "Červenková");
    }

    #[test]
    fn fast_path_holds_below_u0300() {
        // The shortcut in `is_nfc` / `nfc`: no code point below U+0300 changes under NFC.
        for c in (0..0x300u32).filter_map(char::from_u32) {
            let s = c.to_string();
            assert!(imp::is_nfc(&s), "{c:?}");
            assert_eq!(imp::normalize(&s, Form::Nfc), s, "{c:?}");
        }
    }

    #[test]
    fn nfd_splits_one_character() {
        assert_eq!(nfd_char('Č'), "C\u{030C}");
        assert_eq!(nfd_char('ά'), "α\u{0301}");
        assert_eq!(nfd_char('A'), "A");
        assert_eq!(nfd_char('ß'), "ß");
    }
}
