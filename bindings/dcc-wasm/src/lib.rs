//! WebAssembly binding of dcc-kit, published on npm as `dcc-kit`: issue and verify EU Digital
//! COVID Certificates (`HC1:` QR codes) in the browser and in Node, without a server.
//!
//! Thin by design: every operation is one call into the facade crate `dcc`, and every result
//! crosses to JavaScript as the JSON of the facade's view (`CertificateView`,
//! `VerificationView`, ...), every error as the JSON of `dcc::Error::view()`. The package's
//! glue (`js/api.js`) parses that JSON, turns snake_case keys into camelCase (never inside
//! `payload`), builds the public classes and the `DccError` family from [`error_codes`]. This
//! module's own exports are internal: use the package entry points.

use std::sync::Arc;

use js_sys::Uint8Array;
use wasm_bindgen::prelude::*;

/// A facade error on its way to JavaScript: thrown as the JSON of [`dcc::Error::view`]
/// (`{code, message, issues, failures}`), which the glue turns into the `DccError` of its code.
#[derive(Debug)]
pub struct Fail(dcc::Error);

impl From<dcc::Error> for Fail {
    fn from(e: dcc::Error) -> Self {
        Fail(e)
    }
}

impl From<Fail> for JsValue {
    fn from(f: Fail) -> JsValue {
        JsValue::from_str(&json(&f.0.view()))
    }
}

/// `Result` with a [`Fail`].
type Result<T> = std::result::Result<T, Fail>;

/// The JSON of a view (views hold strings, numbers and JSON values: writing cannot fail).
fn json<T: serde::Serialize>(view: &T) -> String {
    serde_json::to_string(view).unwrap_or_default()
}

/// Options (issuing, key generation) from the glue's snake_case JSON, read by the facade's own
/// serde rules (unknown fields and conflicting validities refused): else `invalid_options`.
fn options<T: serde::de::DeserializeOwned>(text: &str) -> Result<T> {
    serde_json::from_str(text).map_err(|e| Fail(dcc::Error::Options(e.to_string())))
}

/// Seconds since the epoch: the glue's value, else now.
fn at(secs: Option<f64>) -> i64 {
    secs.map_or_else(dcc::now, |s| s as i64)
}

/// Stands in for a JavaScript signing function: the glue calls the function itself (prepare,
/// sign, finish), so the facade never calls this signer. It exists so that the facade's
/// `Issuer::from_signer` checks the algorithm against the DSC key.
struct Callback(dcc::Algorithm);

impl dcc::Signer for Callback {
    fn algorithm(&self) -> dcc::Algorithm {
        self.0
    }

    fn sign(&self, _tbs: &[u8]) -> std::result::Result<Vec<u8>, dcc::SignError> {
        Err(dcc::SignError::Signer(
            "a JavaScript signing function is called by the glue: use prepare and finish".into(),
        ))
    }
}

/// `dcc::Issuer`.
#[wasm_bindgen]
pub struct Issuer(dcc::Issuer);

#[wasm_bindgen]
impl Issuer {
    /// `dcc::Issuer::from_pem`.
    #[wasm_bindgen(js_name = fromPem)]
    pub fn from_pem(key: &[u8], cert: &[u8]) -> Result<Issuer> {
        Ok(Issuer(dcc::Issuer::from_pem(key, cert)?))
    }

    /// `dcc::Issuer::from_pem_deterministic`.
    #[wasm_bindgen(js_name = fromPemDeterministic)]
    pub fn from_pem_deterministic(key: &[u8], cert: &[u8]) -> Result<Issuer> {
        Ok(Issuer(dcc::Issuer::from_pem_deterministic(key, cert)?))
    }

    /// `dcc::Issuer::from_signer` for a JavaScript signing function (see `Callback`).
    #[wasm_bindgen(js_name = fromSigner)]
    pub fn from_signer(algorithm: &str, cert: &[u8]) -> Result<Issuer> {
        let signer = Arc::new(Callback(dcc::parse_algorithm(algorithm)?));
        let dsc = dcc::Dsc::parse(cert).map_err(dcc::Error::from)?;
        Ok(Issuer(dcc::Issuer::from_signer(signer, dsc)?))
    }

    /// `dcc::Issuer::demo`.
    pub fn demo() -> Issuer {
        Issuer(dcc::Issuer::demo())
    }

    /// `dcc::Issuer::with_value_sets`.
    #[wasm_bindgen(js_name = withValueSets)]
    pub fn with_value_sets(&self, files: Vec<String>) -> Result<Issuer> {
        Ok(Issuer(self.0.clone().with_value_sets(&files)?))
    }

    /// The JSON of `dcc::Issuer::signer`.
    pub fn signer(&self) -> String {
        json(&self.0.signer())
    }

    /// `dcc::Issuer::algorithm`.
    pub fn algorithm(&self) -> String {
        self.0.algorithm().to_string()
    }

    /// `dcc::Issuer::issue_json`.
    pub fn issue(&self, payload: &str, opts: &str) -> Result<Certificate> {
        Ok(Certificate(self.0.issue_json(payload, &options(opts)?)?))
    }

    /// `dcc::Issuer::certificate_request` for `dcc::KeyOptions` as JSON: a PKCS#10 request
    /// (PEM) for this issuer's key. A JavaScript signing function does not give its public key
    /// (see `Callback`): `invalid_options`.
    #[wasm_bindgen(js_name = certificateRequest)]
    pub fn certificate_request(&self, opts: &str) -> Result<String> {
        Ok(self.0.certificate_request(&options(opts)?)?)
    }

    /// `dcc::Issuer::prepare_json`.
    pub fn prepare(&self, payload: &str, opts: &str) -> Result<PreparedCertificate> {
        Ok(PreparedCertificate(
            self.0.prepare_json(payload, &options(opts)?)?,
        ))
    }
}

/// `dcc::PreparedCertificate`.
#[wasm_bindgen]
pub struct PreparedCertificate(dcc::PreparedCertificate);

#[wasm_bindgen]
impl PreparedCertificate {
    /// `dcc::PreparedCertificate::tbs`.
    pub fn tbs(&self) -> Vec<u8> {
        self.0.tbs().to_vec()
    }

    /// `dcc::PreparedCertificate::finish`.
    pub fn finish(&self, signature: Vec<u8>) -> Result<Certificate> {
        Ok(Certificate(self.0.clone().finish(signature)?))
    }
}

/// `dcc::Certificate`.
#[wasm_bindgen]
pub struct Certificate(dcc::Certificate);

#[wasm_bindgen]
impl Certificate {
    /// `dcc::Certificate::to_json`: the JSON of its view.
    #[wasm_bindgen(js_name = toJson)]
    pub fn to_json(&self) -> String {
        self.0.to_json()
    }

    /// `dcc::Certificate::cose`.
    pub fn cose(&self) -> Vec<u8> {
        self.0.cose().to_vec()
    }

    /// `dcc::Certificate::to_png`.
    #[wasm_bindgen(js_name = toPng)]
    pub fn to_png(&self, scale: u32) -> Result<Vec<u8>> {
        Ok(self.0.to_png(scale)?)
    }

    /// `dcc::Certificate::to_svg`.
    #[wasm_bindgen(js_name = toSvg)]
    pub fn to_svg(&self) -> Result<String> {
        Ok(self.0.to_svg()?)
    }

    /// The module grid of `dcc::Certificate::qr` at level Q: `size * size` bytes, row by row,
    /// 1 = dark (the glue adds `size` and `version`).
    #[wasm_bindgen(js_name = toModules)]
    pub fn to_modules(&self) -> Result<Uint8Array> {
        let qr = self.0.qr(dcc::EcLevel::Q)?;
        let size = qr.size();
        let dark = (0..size * size).map(|i| u8::from(qr.is_dark(i % size, i / size)));
        Ok(Uint8Array::from(dark.collect::<Vec<u8>>().as_slice()))
    }

    /// The JSON of `dcc::Certificate::revocation_hashes().view()`.
    #[wasm_bindgen(js_name = revocationHashes)]
    pub fn revocation_hashes(&self) -> String {
        json(&self.0.revocation_hashes().view())
    }
}

/// `dcc::Verifier`.
#[wasm_bindgen]
pub struct Verifier(dcc::Verifier);

#[wasm_bindgen]
impl Verifier {
    /// `dcc::Verifier::from_certs`.
    #[wasm_bindgen(js_name = fromCerts)]
    pub fn from_certs(certs: Vec<Uint8Array>) -> Result<Verifier> {
        let certs = certs.iter().map(Uint8Array::to_vec);
        Ok(Verifier(dcc::Verifier::from_certs(certs)?))
    }

    /// `dcc::Verifier::demo`.
    pub fn demo() -> Verifier {
        Verifier(dcc::Verifier::demo())
    }

    /// `dcc::Verifier::with_clock_skew`.
    #[wasm_bindgen(js_name = withClockSkew)]
    pub fn with_clock_skew(&self, secs: f64) -> Verifier {
        Verifier(self.0.clone().with_clock_skew(secs as i64))
    }

    /// `dcc::Verifier::with_value_sets`.
    #[wasm_bindgen(js_name = withValueSets)]
    pub fn with_value_sets(&self, files: Vec<String>) -> Result<Verifier> {
        Ok(Verifier(self.0.clone().with_value_sets(&files)?))
    }

    /// `dcc::Verifier::with_revocation_data`: each item a gateway batch (JSON), an array of
    /// batches, or a binary Bloom filter.
    #[wasm_bindgen(js_name = withRevocation)]
    pub fn with_revocation(&self, data: Vec<Uint8Array>) -> Result<Verifier> {
        let files: Vec<Vec<u8>> = data.iter().map(Uint8Array::to_vec).collect();
        Ok(Verifier(self.0.clone().with_revocation_data(&files)?))
    }

    /// `dcc::Verifier::with_trust_list` (the list stays usable: it is cloned).
    #[wasm_bindgen(js_name = withTrustList)]
    pub fn with_trust_list(&self, list: &TrustList) -> Verifier {
        Verifier(self.0.clone().with_trust_list(list.0.clone()))
    }

    /// The JSON of `dcc::Verifier::trusted`.
    pub fn trusted(&self) -> String {
        json(&self.0.trusted())
    }

    /// `dcc::Verifier::verify` at `at` (seconds; default now).
    pub fn verify(&self, hc1: &str, at: Option<f64>) -> Result<Verification> {
        Ok(Verification(self.0.verify(hc1, self::at(at))?))
    }

    /// `dcc::Verifier::verify_image` at `at` (seconds; default now).
    #[wasm_bindgen(js_name = verifyImage)]
    pub fn verify_image(&self, image: &[u8], at: Option<f64>) -> Result<Verification> {
        Ok(Verification(self.0.verify_image(image, self::at(at))?))
    }
}

/// `dcc::Verification`.
#[wasm_bindgen]
pub struct Verification(dcc::Verification);

#[wasm_bindgen]
impl Verification {
    /// `dcc::Verification::to_json`: the JSON of its view.
    #[wasm_bindgen(js_name = toJson)]
    pub fn to_json(&self) -> String {
        self.0.to_json()
    }

    /// `dcc::Verification::ensure_valid`: throws `verification_failed` unless valid.
    #[wasm_bindgen(js_name = ensureValid)]
    pub fn ensure_valid(&self) -> Result<()> {
        self.0.clone().ensure_valid()?;
        Ok(())
    }

    /// The JSON of `dcc::Verification::revocation_hashes().view()`.
    #[wasm_bindgen(js_name = revocationHashes)]
    pub fn revocation_hashes(&self) -> String {
        json(&self.0.revocation_hashes().view())
    }

    /// The JSON of `dcc::Verification::evaluate_rules` (`at` in seconds; default: the
    /// verification time).
    #[wasm_bindgen(js_name = evaluateRules)]
    pub fn evaluate_rules(
        &self,
        rules: &RuleSet,
        country: String,
        region: Option<String>,
        at: Option<f64>,
    ) -> Result<String> {
        let options = dcc::rules::RuleOptions {
            country,
            region,
            at: at.map(|s| s as i64),
            value_sets: Vec::new(),
        };
        Ok(self.0.evaluate_rules(&rules.0, &options)?.to_json())
    }
}

/// `dcc::TrustList`.
#[wasm_bindgen]
pub struct TrustList(dcc::TrustList);

#[wasm_bindgen]
impl TrustList {
    /// `dcc::TrustList::load` with `dcc::TrustListOptions` from the glue's arguments: `at` in
    /// seconds (default now), `format` by `dcc::TrustListFormat::from_code` (default detected).
    pub fn load(
        content: &[u8],
        companion: Option<Vec<u8>>,
        anchor: Option<Vec<u8>>,
        at: Option<f64>,
        allow_expired: bool,
        name: Option<String>,
        format: Option<String>,
    ) -> Result<TrustList> {
        let options = dcc::TrustListOptions {
            at: at.map(|s| s as i64),
            allow_expired,
            name,
            format: format
                .as_deref()
                .map(dcc::TrustListFormat::from_code)
                .transpose()?,
        };
        let list =
            dcc::TrustList::load(content, companion.as_deref(), anchor.as_deref(), &options)?;
        Ok(TrustList(list))
    }

    /// `dcc::TrustList::to_json`: the JSON of its view.
    #[wasm_bindgen(js_name = toJson)]
    pub fn to_json(&self) -> String {
        self.0.to_json()
    }
}

/// `dcc::rules::RuleSet`.
#[wasm_bindgen]
pub struct RuleSet(dcc::rules::RuleSet);

#[wasm_bindgen]
impl RuleSet {
    /// `dcc::rules::RuleSet::len`.
    pub fn count(&self) -> usize {
        self.0.len()
    }
}

/// `dcc::rules::load_rules`: one rule or an array of rules (EU gateway JSON).
#[wasm_bindgen(js_name = loadRules)]
pub fn load_rules(json: &[u8]) -> Result<RuleSet> {
    Ok(RuleSet(dcc::rules::load_rules(json)?))
}

/// JSON text given as an argument (`what` names it): not JSON is `invalid_argument`.
fn json_arg(what: &str, text: &[u8]) -> Result<serde_json::Value> {
    serde_json::from_slice(text)
        .map_err(|e| Fail(dcc::Error::Argument(format!("the {what} is not JSON: {e}"))))
}

/// The JSON of `dcc::rules::evaluate_rule_on` for a rule (`dcc::rules::Rule::from_json`) and
/// `{payload, external}`.
#[wasm_bindgen(js_name = evaluateRule)]
pub fn evaluate_rule(rule: &[u8], data: &[u8]) -> Result<String> {
    let rule = dcc::rules::Rule::from_json(rule).map_err(dcc::Error::from)?;
    Ok(json(&dcc::rules::evaluate_rule_on(
        &rule,
        &json_arg("data", data)?,
    )?))
}

/// The JSON of `dcc::rules::evaluate_certlogic`.
#[wasm_bindgen(js_name = evaluateCertlogic)]
pub fn evaluate_certlogic(expression: &[u8], data: &[u8]) -> Result<String> {
    let value = dcc::rules::evaluate_certlogic(
        &json_arg("expression", expression)?,
        &json_arg("data", data)?,
    )?;
    Ok(json(&value))
}

/// The JSON of `dcc::decode(hc1).view()`.
#[wasm_bindgen]
pub fn decode(hc1: &str) -> Result<String> {
    Ok(dcc::decode(hc1)?.to_json())
}

/// The JSON of `dcc::decode_image(image).view()`.
#[wasm_bindgen(js_name = decodeImage)]
pub fn decode_image(image: &[u8]) -> Result<String> {
    Ok(dcc::decode_image(image)?.to_json())
}

/// The JSON of `dcc::revocation_hashes` (decoded without verifying).
#[wasm_bindgen(js_name = revocationHashes)]
pub fn revocation_hashes(hc1: &str) -> Result<String> {
    Ok(json(&dcc::revocation_hashes(hc1)?))
}

/// `dcc::read_qr`.
#[wasm_bindgen(js_name = readQr)]
pub fn read_qr(image: &[u8]) -> Result<String> {
    Ok(dcc::read_qr(image)?)
}

/// The JSON of `dcc::validate` (a `ValidationReport`) at `at` (seconds; default now).
#[wasm_bindgen]
pub fn validate(payload: &str, at: Option<f64>, value_sets: Vec<String>) -> Result<String> {
    Ok(json(&dcc::validate(payload, self::at(at), &value_sets)?))
}

/// `dcc::transliterate`.
#[wasm_bindgen]
pub fn transliterate(name: &str) -> Result<String> {
    Ok(dcc::transliterate(name)?)
}

/// `dcc::generate_uvci`.
#[wasm_bindgen(js_name = generateUvci)]
pub fn generate_uvci(country: &str, issuer_part: &str) -> Result<String> {
    Ok(dcc::generate_uvci(country, issuer_part)?)
}

/// The JSON of `dcc::generate_key` (`{key_pem, cert_pem, csr_pem}`) for `dcc::KeyOptions` as JSON.
#[wasm_bindgen(js_name = generateKey)]
pub fn generate_key(opts: &str) -> Result<String> {
    Ok(json(&dcc::generate_key(&options(opts)?)?))
}

/// Every code of `dcc::ErrorKind::ALL`.
#[wasm_bindgen(js_name = errorCodes)]
pub fn error_codes() -> Vec<String> {
    dcc::ErrorKind::ALL
        .iter()
        .map(|k| k.code().into())
        .collect()
}

/// Every code of `dcc::CheckCode::ALL`.
#[wasm_bindgen(js_name = checkCodes)]
pub fn check_codes() -> Vec<String> {
    dcc::CheckCode::ALL
        .iter()
        .map(|k| k.code().into())
        .collect()
}

/// Every code of `dcc::IssueCode::ALL`.
#[wasm_bindgen(js_name = issueCodes)]
pub fn issue_codes() -> Vec<String> {
    dcc::IssueCode::ALL
        .iter()
        .map(|k| k.code().into())
        .collect()
}

/// `dcc::now`.
#[wasm_bindgen]
pub fn now() -> f64 {
    dcc::now() as f64
}

/// The version of this package.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").into()
}

/// `dcc::demo::DEMO_CERT_PEM`: the demo DSC, to trust in tests and demos (its key is public).
#[wasm_bindgen(js_name = demoCertificatePem)]
pub fn demo_certificate_pem() -> String {
    dcc::demo::DEMO_CERT_PEM.into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_are_read_by_the_facade_rules() {
        let o: dcc::IssueOptions = options(r#"{"validity":{"for_seconds":60}}"#)
            .ok()
            .unwrap_or_default();
        assert_eq!(o.validity, dcc::Validity::ForSeconds(60));
        for bad in [
            r#"{"validity":{"for_seconds":60,"until":5}}"#,
            r#"{"valid_for":1}"#,
            r#""text""#,
        ] {
            let e = options::<dcc::IssueOptions>(bad).err().map(|f| f.0.kind());
            assert_eq!(e, Some(dcc::ErrorKind::InvalidOptions), "{bad}");
        }
    }

    #[test]
    fn a_signer_function_must_fit_the_dsc_key() {
        let cert = dcc::demo::DEMO_CERT_PEM.as_bytes();
        assert!(Issuer::from_signer("ES256", cert).is_ok());
        let e = Issuer::from_signer("PS256", cert).err().map(|f| f.0.kind());
        assert_eq!(e, Some(dcc::ErrorKind::InvalidKey));
        let e = Issuer::from_signer("ES512", cert).err().map(|f| f.0.kind());
        assert_eq!(e, Some(dcc::ErrorKind::InvalidArgument));
    }

    #[test]
    fn certificate_requests_for_keys_in_memory_and_not_for_signer_functions() {
        let opts = r#"{"country":"DE","common_name":"DSC 1","organization":"Praxis","certificate_types":["test"]}"#;
        let pem = Issuer::demo()
            .certificate_request(opts)
            .ok()
            .unwrap_or_default();
        assert!(
            pem.starts_with("-----BEGIN CERTIFICATE REQUEST-----\n"),
            "{pem}"
        );
        let e = Issuer::demo().certificate_request(r#"{"types":[]}"#).err();
        assert_eq!(e.map(|f| f.0.kind()), Some(dcc::ErrorKind::InvalidOptions));
        // A JavaScript signing function does not give its public key.
        let cert = dcc::demo::DEMO_CERT_PEM.as_bytes();
        let signer = Issuer::from_signer("ES256", cert).ok();
        let e = signer.and_then(|i| i.certificate_request("{}").err());
        assert_eq!(
            e.as_ref().map(|f| f.0.kind()),
            Some(dcc::ErrorKind::InvalidOptions)
        );
        let message = e.map(|f| f.0.to_string()).unwrap_or_default();
        assert!(message.contains("public key"), "{message}");
    }

    #[test]
    fn generated_keys_come_with_a_request() {
        let view: serde_json::Value = serde_json::from_str(
            &generate_key(r#"{"organization":"Praxis","certificate_types":["vaccination"]}"#)
                .ok()
                .unwrap_or_default(),
        )
        .unwrap_or_default();
        let csr = view["csr_pem"].as_str().unwrap_or_default();
        assert!(
            csr.starts_with("-----BEGIN CERTIFICATE REQUEST-----"),
            "{view}"
        );
        let e = generate_key(r#"{"certificate_types":["booster"]}"#).err();
        assert_eq!(e.map(|f| f.0.kind()), Some(dcc::ErrorKind::InvalidOptions));
    }

    #[test]
    fn revocation_hashes_cross_as_the_facade_view() {
        let hc1 = dcc::Issuer::demo()
            .issue_json(
                include_str!("../../../examples/vaccination.json"),
                &dcc::IssueOptions::default(),
            )
            .map(|c| c.hc1().to_string())
            .unwrap_or_default();
        let view: serde_json::Value =
            serde_json::from_str(&revocation_hashes(&hc1).ok().unwrap_or_default())
                .unwrap_or_default();
        let mut keys: Vec<&str> = view
            .as_object()
            .map(|o| o.keys().map(String::as_str).collect())
            .unwrap_or_default();
        keys.sort_unstable();
        assert_eq!(
            keys,
            [
                "country_code_uci",
                "country_code_uci_hex",
                "signature",
                "signature_hex",
                "uci",
                "uci_hex"
            ]
        );
        assert_eq!(view["signature_hex"].as_str().map(str::len), Some(32));
        let e = revocation_hashes("HC1:!").err().map(|f| f.0.kind());
        assert_eq!(e, Some(dcc::ErrorKind::InvalidBase45));
    }

    #[test]
    fn trust_lists_cross_with_the_facade_options() {
        let content = include_bytes!("../../../tests/golden/trustlists/demo-keys.jwt");
        let anchor = || Some(dcc::demo::DEMO_CERT_PEM.as_bytes().to_vec());
        let at = Some(1_767_225_600.0); // 2026-01-01
        let name = || Some("demo-keys".to_string());
        // The format by its code, in any case.
        let list = TrustList::load(
            content,
            None,
            anchor(),
            at,
            false,
            name(),
            Some("CH".into()),
        );
        let view: serde_json::Value =
            serde_json::from_str(&list.map(|l| l.to_json()).ok().unwrap_or_default())
                .unwrap_or_default();
        assert_eq!(view["format"], "ch", "{view}");
        assert_eq!(view["name"], "demo-keys");
        assert_eq!(view["bare_keys"], 1);
        let e = TrustList::load(content, None, anchor(), at, false, None, Some("xx".into()));
        assert_eq!(
            e.err().map(|f| f.0.kind()),
            Some(dcc::ErrorKind::InvalidArgument)
        );
        let e = TrustList::load(content, None, None, at, false, None, None);
        assert_eq!(
            e.err().map(|f| f.0.kind()),
            Some(dcc::ErrorKind::InvalidArgument)
        );
    }

    #[test]
    fn rules_and_certlogic_errors_keep_their_codes() {
        assert_eq!(
            evaluate_certlogic(br#"{"+":[1,2]}"#, b"{}").ok().as_deref(),
            Some("3")
        );
        let kind = |r: Result<String>| r.err().map(|f| f.0.kind());
        assert_eq!(
            kind(evaluate_certlogic(br#"{"nope":[1]}"#, b"{}")),
            Some(dcc::ErrorKind::CertlogicFailed)
        );
        assert_eq!(
            kind(evaluate_certlogic(b"{", b"{}")),
            Some(dcc::ErrorKind::InvalidArgument)
        );
        assert_eq!(
            kind(evaluate_rule(b"[", b"{}")),
            Some(dcc::ErrorKind::InvalidRule)
        );
        let rules = load_rules(include_bytes!("../../../tests/golden/rules-xx.json"));
        assert_eq!(rules.map(|r| r.count()).ok(), Some(12));
        let e = load_rules(br#"[{"Identifier": "GR-XX-0001"}]"#).err();
        assert_eq!(e.map(|f| f.0.kind()), Some(dcc::ErrorKind::InvalidRule));
    }
}
