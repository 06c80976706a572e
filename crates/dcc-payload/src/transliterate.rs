//! Standardised names (`fnt`, `gnt`) after ICAO Doc 9303 Part 3: only `A-Z` and `<`.
//!
//! - Latin letters lose their diacritics (`Č` -> `C`), except the letters with a fixed
//!   multi-letter form: `Ä Æ` -> `AE`, `Å` -> `AA`, `Ö Ø Œ` -> `OE`, `Ü` -> `UE`, `ß ẞ` -> `SS`,
//!   `Þ` -> `TH`, `Ĳ` -> `IJ`.
//! - Cyrillic, Greek and Arabic follow the 9303 tables; Cyrillic has the language variants 9303
//!   allows ([`Cyrillic`]).
//! - Spaces, hyphens and commas between name parts become one `<`; apostrophes and other
//!   punctuation are dropped; there is never a leading or trailing `<`.

/// Cyrillic language variants allowed by ICAO 9303 Part 3.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Cyrillic {
    /// The 9303 default table (Russian and most languages).
    #[default]
    Default,
    /// Ukrainian: `Г` -> `H`, `И` -> `Y`.
    Ukrainian,
    /// Belarusian: `Г` -> `H`.
    Belarusian,
    /// Bulgarian: `Щ` -> `SHT`, `Ъ` -> `A`.
    Bulgarian,
    /// Serbian: `Х` -> `H`.
    Serbian,
    /// Macedonian: `Х` -> `H`.
    Macedonian,
}

/// A character that has no ICAO 9303 transliteration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the character {0:?} (U+{code:04X}) has no ICAO 9303 transliteration", code = *.0 as u32)]
pub struct Untransliterable(pub char);

/// Maximum length of `fnt` / `gnt` (schema 1.3.x).
pub const MAX_LEN: usize = 80;

/// Transliterates a name with the default tables.
///
/// ```
/// use dcc_payload::transliterate::to_icao;
/// assert_eq!(to_icao("Musterfrau-Gößinger").unwrap(), "MUSTERFRAU<GOESSINGER");
/// assert_eq!(to_icao("d'Červenková Panklová").unwrap(), "DCERVENKOVA<PANKLOVA");
/// assert_eq!(to_icao("Μενεξές").unwrap(), "MENEXES");
/// ```
pub fn to_icao(name: &str) -> Result<String, Untransliterable> {
    to_icao_with(name, Cyrillic::Default)
}

/// Transliterates a name with a Cyrillic language variant.
pub fn to_icao_with(name: &str, variant: Cyrillic) -> Result<String, Untransliterable> {
    let chars: Vec<char> = crate::unicode::nfc(name).chars().collect();
    let mut out = String::with_capacity(chars.len() + 8);
    for (i, &c) in chars.iter().enumerate() {
        if is_separator(c) {
            if !out.is_empty() && !out.ends_with('<') {
                out.push('<');
            }
            continue;
        }
        if let Some(s) = arabic(c, chars.get(i + 1).copied()) {
            if c == SHADDA {
                // Shadda doubles the consonant before it.
                if let Some(last) = last_arabic_output(&chars[..i]) {
                    out.push_str(last);
                }
            } else {
                out.push_str(s);
            }
            continue;
        }
        for u in c.to_uppercase() {
            map_upper(u, variant, &mut out)?;
        }
    }
    let mut s = out.trim_matches('<').to_string();
    if s.len() > MAX_LEN {
        s.truncate(MAX_LEN);
        s = s.trim_end_matches('<').to_string();
    }
    Ok(s)
}

/// Whether `s` is a well-formed standardised name: only `A-Z` and `<`, at most 80 characters.
pub fn is_valid_icao(s: &str) -> bool {
    s.len() <= MAX_LEN && s.bytes().all(|b| b.is_ascii_uppercase() || b == b'<')
}

fn is_separator(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '-' | ',' | '\u{2010}'..='\u{2015}' | '\u{2212}' | '_' | '<'
        )
}

fn map_upper(c: char, variant: Cyrillic, out: &mut String) -> Result<(), Untransliterable> {
    if c.is_ascii_uppercase() {
        out.push(c);
        return Ok(());
    }
    if let Some(s) = latin_special(c)
        .or_else(|| cyrillic(c, variant))
        .or_else(|| greek(c))
    {
        out.push_str(s);
        return Ok(());
    }
    // Apostrophes, dots, digits and other marks are dropped.
    if c.is_ascii() || is_dropped_mark(c) {
        return Ok(());
    }
    // Latin (and accented Greek) letters with diacritics: decompose and keep the base letter.
    let decomposed = crate::unicode::nfd_char(c);
    let mut base = decomposed.chars().filter(|d| !is_combining(*d));
    if let (Some(b), None) = (base.next(), base.next())
        && b != c
    {
        if b.is_ascii_uppercase() {
            out.push(b);
            return Ok(());
        }
        if let Some(s) = greek(b).or_else(|| cyrillic(b, variant)) {
            out.push_str(s);
            return Ok(());
        }
    }
    if is_combining(c) {
        return Ok(());
    }
    Err(Untransliterable(c))
}

fn is_combining(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036F}' | '\u{1AB0}'..='\u{1AFF}' | '\u{1DC0}'..='\u{1DFF}' | '\u{20D0}'..='\u{20FF}')
}

fn is_dropped_mark(c: char) -> bool {
    matches!(
        c,
        '\u{2018}'
            | '\u{2019}'
            | '\u{201A}'
            | '\u{201B}'
            | '\u{02BC}'
            | '\u{02B9}'
            | '\u{02BB}'
            | '\u{00B4}'
            | '\u{0060}'
            | '\u{00B7}'
            | '\u{2027}'
            | '\u{00A0}'
    )
}

/// Latin letters with a fixed form (9303 Part 3, transliteration of multinational characters).
fn latin_special(c: char) -> Option<&'static str> {
    Some(match c {
        'Ä' | 'Æ' => "AE",
        'Å' => "AA",
        'Ö' | 'Ø' | 'Œ' => "OE",
        'Ü' => "UE",
        'ẞ' => "SS",
        'Þ' => "TH",
        'Ĳ' => "IJ",
        'Ð' | 'Đ' => "D",
        'Ł' => "L",
        'Ħ' => "H",
        'İ' => "I",
        'Ŋ' => "N",
        'Ŧ' => "T",
        'Ŀ' => "L",
        'Ə' => "E",
        _ => return None,
    })
}

fn cyrillic(c: char, v: Cyrillic) -> Option<&'static str> {
    use Cyrillic::*;
    Some(match c {
        'А' => "A",
        'Б' => "B",
        'В' => "V",
        'Г' => match v {
            Ukrainian | Belarusian => "H",
            _ => "G",
        },
        'Ґ' => "G",
        'Ѓ' => "G",
        'Д' => "D",
        'Ђ' => "D",
        'Е' | 'Ё' | 'Э' => "E",
        'Є' => "IE",
        'Ж' => "ZH",
        'З' => "Z",
        'Ѕ' => "DZ",
        'И' => match v {
            Ukrainian => "Y",
            _ => "I",
        },
        'І' | 'Ї' | 'Й' => "I",
        'Ј' => "J",
        'К' | 'Ќ' => "K",
        'Л' => "L",
        'Љ' => "LJ",
        'М' => "M",
        'Н' => "N",
        'Њ' => "NJ",
        'О' => "O",
        'П' => "P",
        'Р' => "R",
        'С' => "S",
        'Т' => "T",
        'Ћ' => "C",
        'У' | 'Ў' => "U",
        'Ф' => "F",
        'Х' => match v {
            Serbian | Macedonian => "H",
            _ => "KH",
        },
        'Ц' => "TS",
        'Ч' => "CH",
        'Џ' => "DZ",
        'Ш' => "SH",
        'Щ' => match v {
            Bulgarian => "SHT",
            _ => "SHCH",
        },
        'Ъ' => match v {
            Bulgarian => "A",
            _ => "IE",
        },
        'Ы' => "Y",
        'Ь' => "",
        'Ю' => "IU",
        'Я' => "IA",
        _ => return None,
    })
}

fn greek(c: char) -> Option<&'static str> {
    Some(match c {
        'Α' => "A",
        'Β' => "V",
        'Γ' => "G",
        'Δ' => "D",
        'Ε' => "E",
        'Ζ' => "Z",
        'Η' => "I",
        'Θ' => "TH",
        'Ι' => "I",
        'Κ' => "K",
        'Λ' => "L",
        'Μ' => "M",
        'Ν' => "N",
        'Ξ' => "X",
        'Ο' => "O",
        'Π' => "P",
        'Ρ' => "R",
        'Σ' => "S",
        'Τ' => "T",
        'Υ' => "Y",
        'Φ' => "F",
        'Χ' => "CH",
        'Ψ' => "PS",
        'Ω' => "O",
        _ => return None,
    })
}

const SHADDA: char = '\u{0651}';

/// Arabic (9303 Part 3 table), including the Persian and Urdu letters it lists. `next` decides
/// teh marbuta: `XAH` at the end of a name component, `XTA` elsewhere.
fn arabic(c: char, next: Option<char>) -> Option<&'static str> {
    Some(match c {
        '\u{0621}' => "XE",
        '\u{0622}' => "XAA",
        '\u{0623}' => "XAE",
        '\u{0624}' => "U",
        '\u{0625}' => "I",
        '\u{0626}' => "XI",
        '\u{0627}' => "A",
        '\u{0628}' => "B",
        '\u{0629}' => {
            if next.is_none_or(|n| is_separator(n) || !is_arabic_letter(n)) {
                "XAH"
            } else {
                "XTA"
            }
        }
        '\u{062A}' => "T",
        '\u{062B}' => "XTH",
        '\u{062C}' => "J",
        '\u{062D}' => "XH",
        '\u{062E}' => "XKH",
        '\u{062F}' => "D",
        '\u{0630}' => "XDH",
        '\u{0631}' => "R",
        '\u{0632}' => "Z",
        '\u{0633}' => "S",
        '\u{0634}' => "XSH",
        '\u{0635}' => "XSS",
        '\u{0636}' => "XDZ",
        '\u{0637}' => "XTT",
        '\u{0638}' => "XZZ",
        '\u{0639}' => "E",
        '\u{063A}' => "G",
        '\u{0641}' => "F",
        '\u{0642}' => "Q",
        '\u{0643}' => "K",
        '\u{0644}' => "L",
        '\u{0645}' => "M",
        '\u{0646}' => "N",
        '\u{0647}' => "H",
        '\u{0648}' => "W",
        '\u{0649}' => "XAY",
        '\u{064A}' => "Y",
        '\u{0671}' => "XXA",
        '\u{0679}' => "XXT",
        '\u{067C}' => "XRT",
        '\u{067E}' => "P",
        '\u{0681}' => "XKE",
        '\u{0685}' => "XXH",
        '\u{0686}' => "XC",
        '\u{0688}' => "XXD",
        '\u{0689}' => "XDR",
        '\u{0691}' => "XXR",
        '\u{0693}' => "XRR",
        '\u{0696}' => "XRX",
        '\u{0698}' => "XJ",
        '\u{069A}' => "XXS",
        '\u{06A9}' => "XKK",
        '\u{06AB}' => "XXK",
        '\u{06AD}' => "XNG",
        '\u{06AF}' => "XGG",
        '\u{06BA}' => "XNN",
        '\u{06BC}' => "XXN",
        '\u{06BE}' => "XDO",
        '\u{06C0}' => "XYH",
        '\u{06C1}' => "XXG",
        '\u{06C2}' => "XGE",
        '\u{06C3}' => "XTG",
        '\u{06CC}' => "XYA",
        '\u{06CD}' => "XXY",
        '\u{06D0}' => "Y",
        '\u{06D2}' => "XYB",
        '\u{06D3}' => "XBE",
        // Tatweel and vowel marks are not encoded; shadda is handled by the caller.
        '\u{0640}' | '\u{064B}'..='\u{0652}' | '\u{0670}' => "",
        _ => return None,
    })
}

fn is_arabic_letter(c: char) -> bool {
    matches!(c, '\u{0621}'..='\u{064A}' | '\u{0671}'..='\u{06D3}')
}

/// The transliteration of the last Arabic consonant before a shadda.
fn last_arabic_output(before: &[char]) -> Option<&'static str> {
    before
        .iter()
        .rev()
        .find(|c| is_arabic_letter(**c))
        .and_then(|&c| arabic(c, Some('\u{0628}')))
}
