//! Reading a certificate without verifying it.

use dcc_cose::{claims::CwtClaims, sign1::DecodedSign1};
use dcc_payload::Dcc;
use serde::{Deserialize, Serialize};

use crate::{Error, Result};

/// Longest `HC1:` text accepted. A version-40 QR code holds at most 4,296 alphanumeric
/// characters; anything longer cannot have come from a QR code.
pub const MAX_HC1_LEN: usize = 8 * 1024;

/// Largest image accepted by the image readers, in bytes.
pub const MAX_IMAGE_BYTES: usize = 20 * 1024 * 1024;

/// The CWT claims without the payload.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claims {
    /// Issuer (claim 1), usually a country code.
    pub iss: Option<String>,
    /// Issued at, seconds since the epoch.
    pub iat: Option<i64>,
    /// Expires at, seconds since the epoch.
    pub exp: Option<i64>,
}

/// A decoded certificate: every layer read, no signature checked.
#[derive(Debug, Clone)]
pub struct Decoded {
    /// The `HC1:` text.
    pub hc1: String,
    /// The COSE_Sign1 bytes (after inflating).
    pub cose: Vec<u8>,
    /// The parsed COSE_Sign1.
    pub sign1: DecodedSign1,
    /// The claims.
    pub claims: Claims,
    /// The payload as JSON, exactly as signed (unknown fields and oddities kept).
    pub payload: serde_json::Value,
    /// The payload in the typed model, or why it does not fit.
    pub dcc: std::result::Result<Dcc, dcc_payload::PayloadError>,
    /// `iat`/`exp` written as CBOR floats (HCERT requires integers): accepted, truncated to
    /// whole seconds in [`Decoded::claims`], and reported by the verifier as the finding
    /// `float_numeric_date`.
    pub float_dates: Vec<dcc_cose::claims::FloatDate>,
}

impl Decoded {
    /// The printable certificate of a decoded (e.g. received or re-printed) certificate, as
    /// [`crate::Certificate::to_pdf`] draws it; the QR code holds [`Decoded::hc1`]. A payload
    /// that does not fit the model is refused (`invalid_payload`). Printing checks no signature.
    #[cfg(feature = "pdf")]
    pub fn to_pdf(&self, opts: &crate::PdfOptions) -> crate::Result<Vec<u8>> {
        let dcc = self
            .dcc
            .as_ref()
            .map_err(|e| crate::Error::Payload(e.clone()))?;
        crate::pdf::render(
            dcc,
            &crate::pdf::Printed {
                hc1: &self.hc1,
                claims: &self.claims,
                kid: self.kid_base64(),
                algorithm: self.sign1.algorithm().map(|a| match a {
                    dcc_cose::sign1::HeaderAlgorithm::Supported(a) => a.to_string(),
                    dcc_cose::sign1::HeaderAlgorithm::Other(name) => name,
                }),
            },
            opts,
        )
    }

    /// The three revocation hashes (UCI, COUNTRYCODEUCI, SIGNATURE).
    pub fn revocation_hashes(&self) -> crate::RevocationHashes {
        crate::RevocationHashes::of(self)
    }

    /// The `kid` (protected header first, else unprotected), if any.
    pub fn kid(&self) -> Option<&[u8]> {
        self.sign1.kid()
    }

    /// The `kid`, base64 (as in the EU gateway's trust lists): the one form every binding and
    /// command shows.
    pub fn kid_base64(&self) -> Option<String> {
        self.kid().map(crate::api::base64)
    }

    /// The algorithm named in the header (`ES256`, `PS256`, or the raw value), if any.
    pub fn algorithm(&self) -> Option<String> {
        crate::algorithm_name(self)
    }

    /// The certificate type, when the payload holds exactly one non-null group.
    pub fn certificate_type(&self) -> Option<dcc_payload::CertType> {
        crate::api::certificate_type(&self.payload)
    }
}

/// Decodes `HC1:` text through every layer without checking the signature.
pub fn decode(hc1: &str) -> Result<Decoded> {
    if hc1.is_empty() {
        return Err(Error::EmptyInput);
    }
    if hc1.len() > MAX_HC1_LEN {
        return Err(Error::InputTooLarge {
            len: hc1.len(),
            limit: MAX_HC1_LEN,
        });
    }
    let cose = dcc_encoding::decode_hc1(hc1)?;
    decode_cose(hc1.to_string(), cose)
}

/// Decodes COSE_Sign1 bytes (already inflated).
pub fn decode_cose(hc1: String, cose: Vec<u8>) -> Result<Decoded> {
    let sign1 = DecodedSign1::from_slice(&cose)?;
    let cwt = CwtClaims::from_slice(sign1.payload())?;
    let payload = dcc_payload::cbor_to_json(&cwt.hcert)?;
    let dcc = Dcc::from_value(payload.clone());
    Ok(Decoded {
        hc1,
        cose,
        sign1,
        claims: Claims {
            iss: cwt.iss,
            iat: cwt.iat,
            exp: cwt.exp,
        },
        payload,
        dcc,
        float_dates: cwt.float_dates,
    })
}

/// Reads the QR code in a PNG or JPEG image and returns its text (JPEG needs the `jpeg`
/// feature, on by default).
pub fn read_qr(image: &[u8]) -> Result<String> {
    if image.is_empty() {
        return Err(Error::EmptyInput);
    }
    if image.len() > MAX_IMAGE_BYTES {
        return Err(Error::InputTooLarge {
            len: image.len(),
            limit: MAX_IMAGE_BYTES,
        });
    }
    Ok(dcc_qr::read_image(image)?)
}

/// Reads the QR code in an image and decodes it.
pub fn decode_image(image: &[u8]) -> Result<Decoded> {
    decode(&read_qr(image)?)
}
