//! QR symbol encoding (alphanumeric mode only).

use std::fmt;

use fast_qr::{ECL, Mode, QRBuilder};

use crate::EncodeError;

/// QR error correction level.
///
/// The default is [`EcLevel::Q`], the level recommended by the HCERT
/// specification for EU Digital COVID Certificates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum EcLevel {
    /// Low: about 7 % of the codewords can be restored.
    L,
    /// Medium: about 15 % of the codewords can be restored.
    M,
    /// Quartile: about 25 % of the codewords can be restored (HCERT recommendation).
    #[default]
    Q,
    /// High: about 30 % of the codewords can be restored.
    H,
}

impl EcLevel {
    /// All levels, from lowest to highest redundancy.
    pub const ALL: [EcLevel; 4] = [EcLevel::L, EcLevel::M, EcLevel::Q, EcLevel::H];

    /// Maximum number of alphanumeric characters a version 40 QR code holds at
    /// this level (ISO/IEC 18004 table 7).
    pub const fn max_alphanumeric_len(self) -> usize {
        match self {
            EcLevel::L => 4296,
            EcLevel::M => 3391,
            EcLevel::Q => 2420,
            EcLevel::H => 1852,
        }
    }

    const fn to_fast_qr(self) -> ECL {
        match self {
            EcLevel::L => ECL::L,
            EcLevel::M => ECL::M,
            EcLevel::Q => ECL::Q,
            EcLevel::H => ECL::H,
        }
    }
}

/// Returns `true` if `c` belongs to the QR alphanumeric character set
/// (`0-9`, `A-Z`, space and `$%*+-./:`).
pub const fn is_qr_alphanumeric(c: char) -> bool {
    matches!(c, '0'..='9' | 'A'..='Z' | ' ' | '$' | '%' | '*' | '+' | '-' | '.' | '/' | ':')
}

/// An encoded QR code: a square matrix of dark and light modules.
///
/// Create one with [`QrCode::encode`], then render it with
/// [`QrCode::to_png`] or [`QrCode::to_svg`], or inspect the modules with
/// [`QrCode::is_dark`].
#[derive(Clone, PartialEq, Eq)]
pub struct QrCode {
    version: u8,
    size: usize,
    ec: EcLevel,
    /// Row-major, `size * size` entries, `true` = dark.
    modules: Vec<bool>,
}

impl fmt::Debug for QrCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("QrCode")
            .field("version", &self.version)
            .field("size", &self.size)
            .field("ec", &self.ec)
            .finish_non_exhaustive()
    }
}

impl QrCode {
    /// Encodes `text` as a single alphanumeric-mode segment at error
    /// correction level `ec`, choosing the smallest version that fits.
    ///
    /// HCERT requires alphanumeric mode: the payload `"HC1:" + base45` only
    /// uses characters of the QR alphanumeric set.
    ///
    /// # Errors
    ///
    /// * [`EncodeError::InvalidCharacter`] if `text` contains a character
    ///   outside `0-9A-Z $%*+-./:` (lowercase letters included);
    /// * [`EncodeError::TooLong`] if `text` does not fit into a version 40
    ///   symbol at level `ec`.
    pub fn encode(text: &str, ec: EcLevel) -> Result<QrCode, EncodeError> {
        if let Some((index, ch)) = text.char_indices().find(|&(_, c)| !is_qr_alphanumeric(c)) {
            return Err(EncodeError::InvalidCharacter { ch, index });
        }
        // All characters are ASCII now, so bytes == chars.
        let len = text.len();
        let max = ec.max_alphanumeric_len();
        if len > max {
            return Err(EncodeError::TooLong { len, max, ec });
        }

        let qr = QRBuilder::new(text)
            .ecl(ec.to_fast_qr())
            .mode(Mode::Alphanumeric)
            .build()
            .map_err(|e| EncodeError::Encoder(e.into()))?;

        let size = qr.size;
        if !(21..=177).contains(&size) || (size - 17) % 4 != 0 {
            return Err(EncodeError::UnexpectedSymbolSize(size));
        }
        let version =
            u8::try_from((size - 17) / 4).map_err(|_| EncodeError::UnexpectedSymbolSize(size))?;
        let modules = qr
            .data
            .get(..size * size)
            .ok_or(EncodeError::UnexpectedSymbolSize(size))?
            .iter()
            .map(|m| m.value())
            .collect();

        Ok(QrCode {
            version,
            size,
            ec,
            modules,
        })
    }

    /// The QR version, `1..=40`.
    pub fn version(&self) -> u8 {
        self.version
    }

    /// Number of modules per side (`17 + 4 * version`), without quiet zone.
    pub fn size(&self) -> usize {
        self.size
    }

    /// The error correction level the code was encoded with.
    pub fn ec_level(&self) -> EcLevel {
        self.ec
    }

    /// Returns `true` if the module at column `x`, row `y` is dark.
    ///
    /// Coordinates outside the symbol (`x >= size()` or `y >= size()`) are
    /// reported as light, like the quiet zone.
    pub fn is_dark(&self, x: usize, y: usize) -> bool {
        x < self.size
            && y < self.size
            && self
                .modules
                .get(y * self.size + x)
                .copied()
                .unwrap_or(false)
    }

    /// One row of modules (`true` = dark); empty if `y` is out of range.
    pub(crate) fn row(&self, y: usize) -> &[bool] {
        if y >= self.size {
            return &[];
        }
        self.modules
            .get(y * self.size..(y + 1) * self.size)
            .unwrap_or(&[])
    }
}
