//! `Verifier`, `decode`, `readQr`.

use dcc::ErrorKind;
use js_sys::Array;
use wasm_bindgen::prelude::*;

use crate::convert::{self, TextOrBytes};
use crate::error::{Failure, Result};
use crate::{VerifierOptionsArg, VerifyOptionsArg};

/// Checks certificates against a set of trusted document signer certificates (DSCs).
#[wasm_bindgen]
pub struct Verifier(dcc::Verifier);

/// The certificates of `new Verifier(...)`: an array of PEM text (a bundle may hold several) or
/// DER / base64 DER.
fn certificates(value: &JsValue) -> Result<Vec<Vec<u8>>> {
    const KIND: ErrorKind = ErrorKind::InvalidCertificate;
    let Some(list) = value.dyn_ref::<Array>() else {
        return Err(Failure::new(
            KIND,
            "the trusted certificates must be an array of PEM strings or DER Uint8Arrays",
        ));
    };
    let mut out = Vec::with_capacity(list.length() as usize);
    for (i, item) in list.iter().enumerate() {
        if let Some(s) = item.as_string() {
            out.push(s.into_bytes());
        } else if let Some(b) = convert::bytes_of(&item) {
            out.push(b);
        } else {
            return Err(Failure::new(
                KIND,
                format!("trusted certificate {i} is neither a string nor a Uint8Array"),
            ));
        }
    }
    Ok(out)
}

#[wasm_bindgen]
impl Verifier {
    /// A verifier trusting `certificates` (PEM text, DER bytes or base64 DER). Options:
    /// `clockSkewSeconds`, a tolerance when comparing the verification time with the
    /// certificate's issued-at and expiry (default 0). Throws `DccError` with code
    /// `invalid_certificate` for anything that is not a certificate.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "ReadonlyArray<string | Uint8Array>")]
        certificates: JsValue,
        options: Option<VerifierOptionsArg>,
    ) -> Result<Verifier> {
        let options = options.map(JsValue::from).unwrap_or(JsValue::UNDEFINED);
        let certs = self::certificates(&certificates)?;
        let mut verifier = dcc::Verifier::from_certs(certs)?;
        if let Some(obj) = convert::options_object(
            &options,
            "verifier option",
            &["clockSkewSeconds"],
            ErrorKind::InvalidOptions,
        )? && let Some(v) = convert::field(&obj, "clockSkewSeconds")
        {
            let secs = v
                .as_f64()
                .filter(|n| n.is_finite() && *n >= 0.0 && n.fract() == 0.0)
                .ok_or_else(|| {
                    Failure::new(
                        ErrorKind::InvalidOptions,
                        "clockSkewSeconds must be a whole number of seconds, 0 or more",
                    )
                })?;
            verifier = verifier.with_clock_skew(secs as i64);
        }
        Ok(Verifier(verifier))
    }

    /// A verifier trusting only the embedded demo DSC.
    pub fn demo() -> Verifier {
        Verifier(dcc::Verifier::demo())
    }

    /// The trusted DSCs.
    #[wasm_bindgen(getter, unchecked_return_type = "SignerInfo[]")]
    pub fn trusted(&self) -> JsValue {
        convert::signer_list(self.0.trust_store().iter())
    }

    /// Verifies `HC1:` text, or the QR code in PNG/JPEG bytes, at `options.at` (a Date;
    /// default now). Input that cannot be decoded throws `DccError`; a decodable certificate
    /// always gives a `Verification` (check `valid`, and `checks` for each check's outcome).
    #[wasm_bindgen(unchecked_return_type = "Verification")]
    pub fn verify(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string | Uint8Array")] input: JsValue,
        options: Option<VerifyOptionsArg>,
    ) -> Result<JsValue> {
        let options = options.map(JsValue::from).unwrap_or(JsValue::UNDEFINED);
        let at = convert::verify_at(&options)?;
        let verification = match convert::text_or_bytes(&input, "the input")? {
            TextOrBytes::Text(hc1) => self.0.verify(&hc1, at)?,
            TextOrBytes::Bytes(image) => self.0.verify_image(&image, at)?,
        };
        Ok(convert::verification(&verification))
    }

    /// A description: the number of trusted DSCs.
    #[wasm_bindgen(js_name = toString)]
    pub fn to_string_js(&self) -> String {
        format!("Verifier({} trusted DSCs)", self.0.trust_store().len())
    }
}

/// Decodes `HC1:` text, or the QR code in PNG/JPEG bytes, through every layer **without
/// checking the signature**: for display only, never for a decision.
#[wasm_bindgen(unchecked_return_type = "Decoded")]
pub fn decode(
    #[wasm_bindgen(unchecked_param_type = "string | Uint8Array")] input: JsValue,
) -> Result<JsValue> {
    let decoded = match convert::text_or_bytes(&input, "the input")? {
        TextOrBytes::Text(hc1) => dcc::decode(&hc1)?,
        TextOrBytes::Bytes(image) => dcc::decode_image(&image)?,
    };
    Ok(convert::decoded_object(&decoded).into())
}

/// Reads the QR code in PNG or JPEG bytes and returns its text.
#[wasm_bindgen(js_name = readQr)]
pub fn read_qr(
    #[wasm_bindgen(unchecked_param_type = "Uint8Array")] image: JsValue,
) -> Result<String> {
    let bytes = convert::bytes_of(&image).ok_or_else(|| {
        Failure::new(
            ErrorKind::InvalidImage,
            "the image must be a Uint8Array of PNG or JPEG bytes",
        )
    })?;
    Ok(dcc::read_qr(&bytes)?)
}
