//! Argument conversion between JavaScript values and facade types. No certificate logic here:
//! only reading options, turning bytes and dates around, and building plain result objects.

use dcc::{CheckFailure, Checks, Claims, ErrorKind, Outcome, SignerInfo};
use js_sys::{Array, ArrayBuffer, Date, Object, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};

use crate::error::{Failure, Result};

/// Sets `key` on a fresh plain object (cannot fail on an ordinary object).
pub(crate) fn set(target: &Object, key: &str, value: impl Into<JsValue>) {
    let _ = Reflect::set(target, &JsValue::from_str(key), &value.into());
}

fn opt_str(s: Option<&str>) -> JsValue {
    s.map(JsValue::from_str).unwrap_or(JsValue::NULL)
}

fn opt_secs(s: Option<i64>) -> JsValue {
    s.map(|v| JsValue::from_f64(v as f64))
        .unwrap_or(JsValue::NULL)
}

/// A `Date` for seconds since the epoch, or `null`.
pub(crate) fn opt_date(s: Option<i64>) -> JsValue {
    s.map(|v| JsValue::from(date(v))).unwrap_or(JsValue::NULL)
}

/// A `Date` for seconds since the epoch.
pub(crate) fn date(secs: i64) -> Date {
    Date::new(&JsValue::from_f64(secs as f64 * 1000.0))
}

/// JSON text to a JavaScript value (`JSON.parse`).
pub(crate) fn json_to_js(value: &serde_json::Value) -> JsValue {
    match serde_json::to_string(value) {
        Ok(text) => js_sys::JSON::parse(&text).unwrap_or(JsValue::NULL),
        Err(_) => JsValue::NULL,
    }
}

/// Seconds since the epoch of a `Date` option; `what` names the option in the error.
pub(crate) fn secs_of_date(value: &JsValue, what: &str, kind: ErrorKind) -> Result<i64> {
    let Some(d) = value.dyn_ref::<Date>() else {
        return Err(Failure::new(kind, format!("{what} must be a Date")));
    };
    let ms = d.get_time();
    if !ms.is_finite() {
        return Err(Failure::new(kind, format!("{what} is an invalid Date")));
    }
    Ok((ms / 1000.0).floor() as i64)
}

/// A whole number option (`Number.isSafeInteger`).
fn integer(value: &JsValue, what: &str, kind: ErrorKind) -> Result<i64> {
    match value.as_f64() {
        Some(n) if n.is_finite() && n.fract() == 0.0 && n.abs() <= 9_007_199_254_740_991.0 => {
            Ok(n as i64)
        }
        _ => Err(Failure::new(kind, format!("{what} must be a whole number"))),
    }
}

/// The own enumerable keys of an options object, checked against `allowed` so that a typo
/// (`validFor` for `validForDays`) is an error rather than a silently ignored default.
pub(crate) fn options_object(
    value: &JsValue,
    what: &str,
    allowed: &[&str],
    kind: ErrorKind,
) -> Result<Option<Object>> {
    if value.is_undefined() || value.is_null() {
        return Ok(None);
    }
    let Some(obj) = value.dyn_ref::<Object>().filter(|_| value.is_object()) else {
        return Err(Failure::new(kind, format!("{what} must be an object")));
    };
    for key in Object::keys(obj).iter() {
        let name = key.as_string().unwrap_or_default();
        if !allowed.contains(&name.as_str()) {
            return Err(Failure::new(
                kind,
                format!(
                    "unknown {what} field {name:?}; allowed: {}",
                    allowed.join(", ")
                ),
            ));
        }
    }
    Ok(Some(obj.clone()))
}

/// A field of an options object; `undefined` (absent) as `None`.
pub(crate) fn field(obj: &Object, key: &str) -> Option<JsValue> {
    Reflect::get(obj, &JsValue::from_str(key))
        .ok()
        .filter(|v| !v.is_undefined())
}

/// `IssueOptions` from `{ iss, issuedAt, validForDays, validForSeconds, expiresAt }`.
pub(crate) fn issue_options(value: &JsValue) -> Result<dcc::IssueOptions> {
    const KIND: ErrorKind = ErrorKind::InvalidOptions;
    let mut opts = dcc::IssueOptions::default();
    let Some(obj) = options_object(
        value,
        "issue option",
        &[
            "iss",
            "issuedAt",
            "validForDays",
            "validForSeconds",
            "expiresAt",
        ],
        KIND,
    )?
    else {
        return Ok(opts);
    };
    if let Some(v) = field(&obj, "iss") {
        opts.iss = Some(
            v.as_string()
                .ok_or_else(|| Failure::new(KIND, "iss must be a string"))?,
        );
    }
    if let Some(v) = field(&obj, "issuedAt") {
        opts.issued_at = Some(secs_of_date(&v, "issuedAt", KIND)?);
    }
    let days = field(&obj, "validForDays")
        .map(|v| integer(&v, "validForDays", KIND))
        .transpose()?;
    let secs = field(&obj, "validForSeconds")
        .map(|v| integer(&v, "validForSeconds", KIND))
        .transpose()?;
    opts.valid_for_secs = match (days, secs) {
        (Some(_), Some(_)) => {
            return Err(Failure::new(
                KIND,
                "give validForDays or validForSeconds, not both",
            ));
        }
        (Some(d), None) => Some(d.saturating_mul(86_400)),
        (None, s) => s,
    };
    if let Some(v) = field(&obj, "expiresAt") {
        if opts.valid_for_secs.is_some() {
            return Err(Failure::new(KIND, "give expiresAt or a validity, not both"));
        }
        opts.expires_at = Some(secs_of_date(&v, "expiresAt", KIND)?);
    }
    Ok(opts)
}

/// `{ deterministic?: boolean }` of `Issuer.fromPem`: whether RFC 6979 nonces are required.
pub(crate) fn from_pem_deterministic(value: &JsValue) -> Result<bool> {
    const KIND: ErrorKind = ErrorKind::InvalidOptions;
    match options_object(value, "fromPem option", &["deterministic"], KIND)? {
        Some(obj) => match field(&obj, "deterministic") {
            Some(v) => v
                .as_bool()
                .ok_or_else(|| Failure::new(KIND, "deterministic must be a boolean")),
            None => Ok(false),
        },
        None => Ok(false),
    }
}

/// The verification time from `{ at?: Date }`; default now.
pub(crate) fn verify_at(value: &JsValue) -> Result<i64> {
    const KIND: ErrorKind = ErrorKind::InvalidOptions;
    match options_object(value, "verify option", &["at"], KIND)? {
        Some(obj) => match field(&obj, "at") {
            Some(v) => secs_of_date(&v, "at", KIND),
            None => Ok(dcc::now()),
        },
        None => Ok(dcc::now()),
    }
}

/// Bytes from a `Uint8Array`, any other typed array or `DataView`, or an `ArrayBuffer`.
pub(crate) fn bytes_of(value: &JsValue) -> Option<Vec<u8>> {
    if let Some(a) = value.dyn_ref::<Uint8Array>() {
        return Some(a.to_vec());
    }
    if let Some(b) = value.dyn_ref::<ArrayBuffer>() {
        return Some(Uint8Array::new(b).to_vec());
    }
    if ArrayBuffer::is_view(value) {
        let buffer = Reflect::get(value, &JsValue::from_str("buffer")).ok()?;
        let offset = Reflect::get(value, &JsValue::from_str("byteOffset"))
            .ok()?
            .as_f64()?;
        let len = Reflect::get(value, &JsValue::from_str("byteLength"))
            .ok()?
            .as_f64()?;
        let buffer = buffer.dyn_ref::<ArrayBuffer>()?;
        return Some(
            Uint8Array::new_with_byte_offset_and_length(buffer, offset as u32, len as u32).to_vec(),
        );
    }
    None
}

/// What a `string | Uint8Array` input holds.
pub(crate) enum TextOrBytes {
    /// `HC1:` text.
    Text(String),
    /// Image bytes.
    Bytes(Vec<u8>),
}

/// Reads a `string | Uint8Array` argument.
pub(crate) fn text_or_bytes(value: &JsValue, what: &str) -> Result<TextOrBytes> {
    if let Some(s) = value.as_string() {
        return Ok(TextOrBytes::Text(s));
    }
    if let Some(b) = bytes_of(value) {
        return Ok(TextOrBytes::Bytes(b));
    }
    let kind = if value.is_undefined() || value.is_null() {
        ErrorKind::EmptyInput
    } else {
        ErrorKind::InvalidPrefix
    };
    Err(Failure::new(
        kind,
        format!("{what} must be HC1 text (a string) or image bytes (a Uint8Array)"),
    ))
}

/// The payload of `issue` as a JSON value: JSON text parsed, an object through
/// `JSON.stringify`.
pub(crate) fn payload_value(value: &JsValue) -> Result<serde_json::Value> {
    let json = payload_json(value)?;
    serde_json::from_str(&json).map_err(|e| {
        Failure::from(dcc::Error::from(dcc::layers::payload::PayloadError::Json(
            e.to_string(),
        )))
    })
}

/// JSON text as given, anything else through `JSON.stringify`.
fn payload_json(value: &JsValue) -> Result<String> {
    const KIND: ErrorKind = ErrorKind::InvalidPayload;
    if let Some(s) = value.as_string() {
        return Ok(s);
    }
    if value.is_undefined() || value.is_null() {
        return Err(Failure::new(
            KIND,
            "the payload is missing: pass an object or JSON text",
        ));
    }
    match js_sys::JSON::stringify(value) {
        Ok(s) => s
            .as_string()
            .ok_or_else(|| Failure::new(KIND, "the payload cannot be written as JSON")),
        Err(e) => Err(Failure::new(
            KIND,
            format!("the payload cannot be written as JSON: {}", describe(&e)),
        )),
    }
}

/// A short description of a thrown JavaScript value (its `message`, or its string form).
pub(crate) fn describe(value: &JsValue) -> String {
    if let Some(e) = value.dyn_ref::<js_sys::Error>() {
        return String::from(e.message());
    }
    value.as_string().unwrap_or_else(|| format!("{value:?}"))
}

/// `{ iss, iat, exp, issuedAt, expiresAt }`.
pub(crate) fn claims(c: &Claims) -> JsValue {
    let o = Object::new();
    set(&o, "iss", opt_str(c.iss.as_deref()));
    set(&o, "iat", opt_secs(c.iat));
    set(&o, "exp", opt_secs(c.exp));
    set(&o, "issuedAt", opt_date(c.iat));
    set(&o, "expiresAt", opt_date(c.exp));
    o.into()
}

/// `{ kid, subject, country, notBefore, notAfter, key }`.
pub(crate) fn signer_info(s: &SignerInfo) -> JsValue {
    let o = Object::new();
    set(&o, "kid", s.kid.as_str());
    set(&o, "subject", s.subject.as_str());
    set(&o, "country", opt_str(s.country.as_deref()));
    set(&o, "notBefore", opt_date(s.not_before));
    set(&o, "notAfter", opt_date(s.not_after));
    set(&o, "key", s.key.as_str());
    o.into()
}

fn failure(check: &str, f: &CheckFailure) -> Object {
    let o = Object::new();
    set(&o, "check", check);
    set(&o, "code", f.code);
    set(&o, "message", f.message.as_str());
    o
}

/// `{ status: 'passed' } | { status: 'failed', code, message } | { status: 'skipped', reason }`.
fn outcome(check: &str, o: &Outcome) -> JsValue {
    match o {
        Outcome::Passed => {
            let out = Object::new();
            set(&out, "status", "passed");
            out.into()
        }
        Outcome::Failed(f) => {
            let out = failure(check, f);
            set(&out, "status", "failed");
            out.into()
        }
        Outcome::Skipped { reason } => {
            let out = Object::new();
            set(&out, "status", "skipped");
            set(&out, "reason", reason.as_str());
            out.into()
        }
    }
}

/// The `Verification` object.
pub(crate) fn verification(v: &dcc::Verification) -> JsValue {
    // Destructured in full: a check added to the facade must be added here too.
    let Checks {
        signature,
        validity,
        key_usage,
        payload,
    } = &v.checks;
    let checks = Object::new();
    set(&checks, "signature", outcome("signature", signature));
    set(&checks, "validity", outcome("validity", validity));
    set(&checks, "keyUsage", outcome("keyUsage", key_usage));
    set(&checks, "payload", outcome("payload", payload));
    let failures = Array::new();
    for (name, o) in [
        ("signature", signature),
        ("validity", validity),
        ("keyUsage", key_usage),
    ] {
        if let Outcome::Failed(f) = o {
            failures.push(&failure(name, f));
        }
    }
    let findings = Array::new();
    for f in &v.findings {
        findings.push(&issue(f));
    }
    let out = decoded_object(&v.decoded);
    set(&out, "valid", v.is_valid());
    set(&out, "findings", findings);
    set(
        &out,
        "signer",
        v.signer.as_ref().map(signer_info).unwrap_or(JsValue::NULL),
    );
    set(&out, "checks", checks);
    set(&out, "failures", failures);
    set(&out, "at", date(v.at));
    out.into()
}

/// `{ path, code, message }`.
pub(crate) fn issue(i: &dcc::ValidationIssue) -> Object {
    let o = Object::new();
    set(&o, "path", i.path.as_str());
    set(&o, "code", i.code);
    set(&o, "message", i.message.as_str());
    o
}

/// The `Decoded` object: `{ hc1, payload, claims, kid, algorithm, cose }`.
pub(crate) fn decoded_object(d: &dcc::Decoded) -> Object {
    let o = Object::new();
    set(&o, "hc1", d.hc1.as_str());
    set(&o, "payload", json_to_js(&d.payload));
    set(&o, "claims", claims(&d.claims));
    set(&o, "kid", opt_str(d.kid().map(base64).as_deref()));
    set(&o, "algorithm", opt_str(dcc::algorithm_name(d).as_deref()));
    set(&o, "cose", Uint8Array::from(d.cose.as_slice()));
    o
}

/// Standard base64 with padding (as the facade prints kids).
pub(crate) fn base64(bytes: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// An array of `SignerInfo` objects.
pub(crate) fn signer_list<'a>(dscs: impl Iterator<Item = &'a dcc::Dsc>) -> JsValue {
    let out = Array::new();
    for d in dscs {
        out.push(&signer_info(&SignerInfo::from(d)));
    }
    out.into()
}
