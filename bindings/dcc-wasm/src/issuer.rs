//! `Issuer` and `Certificate`.

use std::sync::Arc;

use dcc::layers::cose::{SignError, dsc::PublicKey};
use dcc::{Algorithm, ErrorKind, PreparedCertificate, Signer};
use js_sys::{Function, Promise, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use crate::IssueOptionsArg;
use crate::convert;
use crate::error::{Failure, Result};

/// Stands in for a JavaScript signing callback inside the facade's `Issuer`, which only needs
/// the algorithm to prepare a certificate. Issuing with it goes through
/// `prepare` + the callback + `finish`; its own `sign` is never called.
struct CallbackSigner(Algorithm);

impl Signer for CallbackSigner {
    fn algorithm(&self) -> Algorithm {
        self.0
    }

    fn sign(&self, _tbs: &[u8]) -> std::result::Result<Vec<u8>, SignError> {
        Err(SignError::Signer(
            "the JavaScript signer is called by the binding, not by the facade".into(),
        ))
    }
}

/// Signs certificates: a private key with its document signer certificate (DSC), or a
/// JavaScript signing function (WebCrypto, a remote signing service) with its DSC.
#[wasm_bindgen]
pub struct Issuer {
    inner: dcc::Issuer,
    algorithm: Algorithm,
    callback: Option<Function>,
}

/// The algorithm a key of this DSC signs with (the facade has checked that key and DSC match).
fn algorithm_of_dsc(dsc: &dcc::Dsc) -> Algorithm {
    match dsc.public_key() {
        PublicKey::Rsa(_) => Algorithm::Ps256,
        _ => Algorithm::Es256,
    }
}

fn read_bytes_or_text(value: &JsValue, what: &str, kind: ErrorKind) -> Result<Vec<u8>> {
    if let Some(s) = value.as_string() {
        return Ok(s.into_bytes());
    }
    convert::bytes_of(value).ok_or_else(|| {
        Failure::new(
            kind,
            format!("{what} must be PEM text (a string) or DER bytes (a Uint8Array)"),
        )
    })
}

fn algorithm_of(name: &str) -> Result<Algorithm> {
    match name {
        "ES256" => Ok(Algorithm::Es256),
        "PS256" => Ok(Algorithm::Ps256),
        other => Err(Failure::new(
            ErrorKind::InvalidOptions,
            format!("algorithm {other:?} is not supported: use \"ES256\" or \"PS256\""),
        )),
    }
}

/// The signature a callback returned, or why it is unusable.
fn signature_of(value: &JsValue) -> Result<Vec<u8>> {
    convert::bytes_of(value).ok_or_else(|| {
        Failure::new(
            ErrorKind::SigningFailed,
            "the signer must return the signature as a Uint8Array or ArrayBuffer",
        )
    })
}

fn signer_threw(e: &JsValue) -> Failure {
    Failure::new(
        ErrorKind::SigningFailed,
        format!("the signer failed: {}", convert::describe(e)),
    )
}

thread_local! {
    /// A rejection handler that does nothing, shared by every call that needs one.
    static IGNORE: Closure<dyn FnMut(JsValue)> = Closure::new(|_: JsValue| {});
}

fn is_thenable(value: &JsValue) -> bool {
    value.is_object()
        && js_sys::Reflect::get(value, &JsValue::from_str("then"))
            .map(|t| t.is_function())
            .unwrap_or(false)
}

#[wasm_bindgen]
impl Issuer {
    /// An issuer from a private key (PKCS#8 or SEC1 PEM, or DER bytes; P-256 for ES256, RSA
    /// for PS256) and its DSC (PEM, DER or base64 DER). Throws `DccError` with code
    /// `invalid_key` or `invalid_certificate`, also when the key does not belong to the
    /// certificate.
    ///
    /// In Node, an ES256 key signs through `node:crypto` (OpenSSL, hedged nonces: about three
    /// times faster); in browsers, which have no synchronous WebCrypto, P-256 runs inside the
    /// module with RFC 6979 nonces. `{ deterministic: true }` always uses the module's RFC 6979
    /// signatures: the same input gives the same bytes everywhere.
    #[wasm_bindgen(js_name = fromPem)]
    pub fn from_pem(
        #[wasm_bindgen(unchecked_param_type = "string | Uint8Array")] key: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string | Uint8Array")] certificate: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "FromPemOptions")] options: Option<
            js_sys::Object,
        >,
    ) -> Result<Issuer> {
        // Validated here so that every build rejects the same mistakes; the Node entry point
        // reads it to choose the signer.
        crate::convert::from_pem_deterministic(&options.map(JsValue::from).unwrap_or_default())?;
        let key = read_bytes_or_text(&key, "the key", ErrorKind::InvalidKey)?;
        let cert = read_bytes_or_text(
            &certificate,
            "the certificate",
            ErrorKind::InvalidCertificate,
        )?;
        let inner = dcc::Issuer::from_pem(key, cert)?;
        Ok(Issuer {
            algorithm: algorithm_of_dsc(inner.dsc()),
            inner,
            callback: None,
        })
    }

    /// An issuer whose signatures come from `sign`, a function that receives the bytes to sign
    /// (the COSE `Sig_structure`) and returns the signature, or a Promise of it: for ES256 the
    /// raw `r || s` (64 bytes, what WebCrypto's ECDSA returns) or DER, for PS256 the RSASSA-PSS
    /// signature (SHA-256, salt length 32). The key never enters this library.
    #[wasm_bindgen(js_name = fromSigner)]
    pub fn from_signer(
        #[wasm_bindgen(unchecked_param_type = "Algorithm")] algorithm: &str,
        #[wasm_bindgen(unchecked_param_type = "SignFunction")] sign: Function,
        #[wasm_bindgen(unchecked_param_type = "string | Uint8Array")] certificate: JsValue,
    ) -> Result<Issuer> {
        let algorithm = algorithm_of(algorithm)?;
        let cert = read_bytes_or_text(
            &certificate,
            "the certificate",
            ErrorKind::InvalidCertificate,
        )?;
        let dsc = dcc::Dsc::parse(cert).map_err(dcc::Error::from)?;
        // The facade cannot check a key it does not hold; catch the one mistake it would turn
        // into certificates that never verify.
        let fits = matches!(
            (algorithm, dsc.public_key()),
            (Algorithm::Es256, PublicKey::P256(_)) | (Algorithm::Ps256, PublicKey::Rsa(_))
        );
        if !fits {
            return Err(Failure::new(
                ErrorKind::InvalidKey,
                format!(
                    "{} cannot be used with the certificate's {} key",
                    algorithm.name(),
                    dsc.public_key().describe()
                ),
            ));
        }
        Ok(Issuer {
            inner: dcc::Issuer::new(Arc::new(CallbackSigner(algorithm)), dsc)?,
            algorithm,
            callback: Some(sign),
        })
    }

    /// The issuer with the embedded demo key. **The demo key is public: never for
    /// production.** Its DSC (`C=XX`) is valid 2024-01-01 to 2049-12-31.
    pub fn demo() -> Issuer {
        Issuer {
            inner: dcc::Issuer::demo(),
            algorithm: Algorithm::Es256,
            callback: None,
        }
    }

    /// `"ES256"` or `"PS256"`.
    #[wasm_bindgen(getter, unchecked_return_type = "Algorithm")]
    pub fn algorithm(&self) -> String {
        self.algorithm.name().to_string()
    }

    /// The signer certificate.
    #[wasm_bindgen(getter, unchecked_return_type = "SignerInfo")]
    pub fn signer(&self) -> JsValue {
        convert::signer_info(&dcc::SignerInfo::from(self.inner.dsc()))
    }

    fn prepare(&self, payload: &JsValue, options: &JsValue) -> Result<PreparedCertificate> {
        let value = convert::payload_value(payload)?;
        let opts = convert::issue_options(options)?;
        Ok(self.inner.prepare_value(&value, &opts)?)
    }

    /// Issues a certificate for a payload object or JSON text. The payload is normalised (see
    /// `changes`) and validated first: a refused payload throws `ValidationError` with every
    /// problem in `issues`. Options: `iss` (two upper-case letters; default the DSC's
    /// country), `issuedAt` (Date; default now), `validForDays`, `validForSeconds` or
    /// `expiresAt` (Date; default per type: vaccination 365 days, test 72 hours, recovery 180
    /// days and never past `du`). The expiry may not pass the DSC's notAfter
    /// (`invalid_options`). With a signer function this calls it synchronously; a signer that
    /// returns a Promise needs `issueAsync`.
    pub fn issue(
        &self,
        #[wasm_bindgen(unchecked_param_type = "DccPayload | string")] payload: JsValue,
        options: Option<IssueOptionsArg>,
    ) -> Result<Certificate> {
        let options = options.map(JsValue::from).unwrap_or(JsValue::UNDEFINED);
        self.issue_now(&payload, &options)
    }

    fn issue_now(&self, payload: &JsValue, options: &JsValue) -> Result<Certificate> {
        match &self.callback {
            None => {
                let value = convert::payload_value(payload)?;
                let opts = convert::issue_options(options)?;
                Ok(Certificate(self.inner.issue_value(&value, &opts)?))
            }
            Some(sign) => {
                let prepared = self.prepare(payload, options)?;
                let tbs = Uint8Array::from(prepared.tbs());
                let out = sign
                    .call1(&JsValue::NULL, &tbs)
                    .map_err(|e| signer_threw(&e))?;
                if is_thenable(&out) {
                    // Its outcome no longer matters, but a rejection nobody handles would be an
                    // unhandled rejection (fatal in Node): observe it.
                    IGNORE.with(|ignore| {
                        let _ = Promise::resolve(&out).catch(ignore);
                    });
                    return Err(Failure::new(
                        ErrorKind::SigningFailed,
                        "the signer returned a Promise: use issueAsync",
                    ));
                }
                Ok(Certificate(prepared.finish(signature_of(&out)?)?))
            }
        }
    }

    /// Like `issue`, for signers that answer asynchronously (WebCrypto, a remote service).
    /// Errors reject the Promise with a `DccError`.
    #[wasm_bindgen(js_name = issueAsync, unchecked_return_type = "Promise<Certificate>")]
    pub fn issue_async(
        &self,
        #[wasm_bindgen(unchecked_param_type = "DccPayload | string")] payload: JsValue,
        options: Option<IssueOptionsArg>,
    ) -> Promise {
        let options = options.map(JsValue::from).unwrap_or(JsValue::UNDEFINED);
        let Some(sign) = self.callback.clone() else {
            return match self.issue_now(&payload, &options) {
                Ok(cert) => Promise::resolve(&JsValue::from(cert)),
                Err(e) => Promise::reject(&JsValue::from(e)),
            };
        };
        let prepared = match self.prepare(&payload, &options) {
            Ok(p) => p,
            Err(e) => return Promise::reject(&JsValue::from(e)),
        };
        wasm_bindgen_futures::future_to_promise(async move {
            let tbs = Uint8Array::from(prepared.tbs());
            let out = sign
                .call1(&JsValue::NULL, &tbs)
                .map_err(|e| JsValue::from(signer_threw(&e)))?;
            // Promise.resolve accepts a plain value and any thenable alike.
            let out = JsFuture::from(Promise::resolve(&out))
                .await
                .map_err(|e| JsValue::from(signer_threw(&e)))?;
            let signature = signature_of(&out).map_err(JsValue::from)?;
            let cert = prepared
                .finish(signature)
                .map_err(|e| JsValue::from(Failure::from(e)))?;
            Ok(Certificate(cert).into())
        })
    }

    /// A description without key material.
    #[wasm_bindgen(js_name = toString)]
    pub fn to_string_js(&self) -> String {
        let dsc = self.inner.dsc();
        format!(
            "Issuer({} {}, kid {}{})",
            self.algorithm(),
            dsc.subject(),
            dsc.kid_base64(),
            if self.callback.is_some() {
                ", signer function"
            } else {
                ""
            }
        )
    }
}

/// An issued certificate: the `HC1:` text and its QR code.
#[wasm_bindgen]
pub struct Certificate(dcc::Certificate);

#[wasm_bindgen]
impl Certificate {
    /// The `HC1:` text, the content of the QR code.
    #[wasm_bindgen(getter)]
    pub fn hc1(&self) -> String {
        self.0.hc1().to_string()
    }

    /// The signed COSE_Sign1 bytes.
    #[wasm_bindgen(getter)]
    pub fn cose(&self) -> Vec<u8> {
        self.0.cose().to_vec()
    }

    /// The signed claims: `iss`, `iat`/`exp` (seconds) and `issuedAt`/`expiresAt` (Dates).
    #[wasm_bindgen(getter, unchecked_return_type = "Claims")]
    pub fn claims(&self) -> JsValue {
        convert::claims(self.0.claims())
    }

    /// The signed payload (after normalisation).
    #[wasm_bindgen(getter, unchecked_return_type = "DccPayload")]
    pub fn payload(&self) -> JsValue {
        convert::json_to_js(&self.0.dcc().to_value())
    }

    /// What normalisation changed in the payload before signing (trimmed spaces, upper-cased
    /// codes, ...): `{ path, description }` for each change.
    #[wasm_bindgen(getter, unchecked_return_type = "PayloadChange[]")]
    pub fn changes(&self) -> JsValue {
        let out = js_sys::Array::new();
        for c in self.0.changes() {
            let o = js_sys::Object::new();
            convert::set(&o, "path", c.path.as_str());
            convert::set(&o, "description", c.description.as_str());
            out.push(&o);
        }
        out.into()
    }

    /// The QR code as a 1-bit PNG: error correction Q, `scale` pixels per module (1 to 64,
    /// default 4), a 4-module quiet zone.
    #[wasm_bindgen(js_name = toPng)]
    pub fn to_png(&self, scale: Option<u32>) -> Result<Vec<u8>> {
        Ok(self.0.to_png(scale.unwrap_or(4))?)
    }

    /// The QR code as SVG text (error correction Q).
    #[wasm_bindgen(js_name = toSvg)]
    pub fn to_svg(&self) -> Result<String> {
        Ok(self.0.to_svg()?)
    }

    /// The QR code's module grid (error correction Q) for drawing it yourself (canvas, PDF):
    /// `version`, `size`, and `modules`, `size * size` bytes row by row, 1 = dark.
    #[wasm_bindgen(js_name = toModules, unchecked_return_type = "QrModules")]
    pub fn to_modules(&self) -> Result<JsValue> {
        let qr = self.0.qr(dcc::EcLevel::Q)?;
        let size = qr.size();
        let mut modules = Vec::with_capacity(size * size);
        for y in 0..size {
            for x in 0..size {
                modules.push(u8::from(qr.is_dark(x, y)));
            }
        }
        let o = js_sys::Object::new();
        convert::set(&o, "version", qr.version());
        convert::set(&o, "size", size as u32);
        convert::set(&o, "modules", Uint8Array::from(modules.as_slice()));
        Ok(o.into())
    }

    /// `{ hc1, claims, payload }`, for `JSON.stringify`.
    #[wasm_bindgen(js_name = toJSON, unchecked_return_type = "{ hc1: string; claims: Claims; payload: DccPayload }")]
    pub fn to_json(&self) -> JsValue {
        let o = js_sys::Object::new();
        convert::set(&o, "hc1", self.hc1());
        convert::set(&o, "claims", self.claims());
        convert::set(&o, "payload", self.payload());
        o.into()
    }

    /// The `HC1:` text.
    #[wasm_bindgen(js_name = toString)]
    pub fn to_string_js(&self) -> String {
        self.hc1()
    }
}
