//! WebAssembly binding of dcc-kit, published on npm as `dcc-kit`: issue and verify EU Digital
//! COVID Certificates (`HC1:` QR codes) in the browser and in Node, without a server.
//!
//! A thin layer over the facade crate `dcc`: argument conversion (camelCase names, `Date`s,
//! `Uint8Array`s, plain result objects) and error mapping (`DccError` with the facade's stable
//! `code`, `ValidationError` with `issues`). The JavaScript entry points and the `DccError`
//! classes live in `js/`; `npm run build` assembles the package.
//!
//! ```js
//! import { Issuer, Verifier } from 'dcc-kit';
//! const issuer = Issuer.fromPem(keyPem, certPem);
//! const cert = issuer.issue(payload, { iss: 'DE', issuedAt: new Date(), validForDays: 365 });
//! const result = new Verifier([certPem]).verify(cert.hc1, { at: new Date() });
//! ```

mod convert;
mod error;
mod issuer;
mod verifier;

use wasm_bindgen::prelude::*;

pub use error::{Failure, error_codes, set_error_factory};
pub use issuer::{Certificate, Issuer};
pub use verifier::{Verifier, decode, read_qr};

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &'static str = r#"
/** A signature algorithm of the HCERT specification. */
export type Algorithm = "ES256" | "PS256";

/** Options of `Issuer.fromPem`. */
export interface FromPemOptions {
  /**
   * RFC 6979 ES256 nonces: the same input always gives the same bytes. Default false: in
   * Node an ES256 key then signs through node:crypto (OpenSSL, hedged nonces).
   */
  deterministic?: boolean;
}

/**
 * Signs the bytes to be signed (the COSE Sig_structure): for ES256 return the raw r || s
 * signature (64 bytes, as WebCrypto's ECDSA gives it) or DER, for PS256 the RSASSA-PSS
 * signature (SHA-256, MGF1-SHA-256, salt length 32). May return a Promise (use `issueAsync`).
 */
export type SignFunction = (
  tbs: Uint8Array,
) => Uint8Array | ArrayBuffer | PromiseLike<Uint8Array | ArrayBuffer>;

/** The holder's name: `fnt` (and `gnt`) in ICAO 9303 form, `A-Z` and `<` only. */
export interface Name {
  fn?: string;
  fnt: string;
  gn?: string;
  gnt?: string;
}

/** One vaccination (`v`). */
export interface VaccinationEntry {
  tg: string;
  vp: string;
  mp: string;
  ma: string;
  dn: number;
  sd: number;
  dt: string;
  co: string;
  is: string;
  ci: string;
}

/** One test (`t`). */
export interface TestEntry {
  tg: string;
  tt: string;
  nm?: string;
  ma?: string;
  sc: string;
  tr: string;
  tc?: string;
  co: string;
  is: string;
  ci: string;
}

/** One recovery (`r`). */
export interface RecoveryEntry {
  tg: string;
  fr: string;
  co: string;
  is: string;
  df: string;
  du: string;
  ci: string;
}

/**
 * The DCC payload (schema 1.3.x): exactly one of `v`, `t`, `r`, with one entry. Payloads read
 * from certificates are returned as signed and may deviate from this shape.
 */
export interface DccPayload {
  ver: string;
  nam: Name;
  dob: string;
  v?: VaccinationEntry[];
  t?: TestEntry[];
  r?: RecoveryEntry[];
}

/** The validity of a new certificate: one of these, or none for 365 days. */
export type Validity =
  | { validForDays?: number; validForSeconds?: never; expiresAt?: never }
  | { validForSeconds?: number; validForDays?: never; expiresAt?: never }
  | { expiresAt?: Date; validForDays?: never; validForSeconds?: never };

/**
 * Options of `Issuer.issue`: `iss` (two upper-case letters; default the DSC's country),
 * `issuedAt` (default now) and the validity. Unknown fields are rejected (`invalid_options`).
 */
export type IssueOptions = { iss?: string; issuedAt?: Date } & Validity;

/** Options of `Verifier.verify`: the verification time (default now). */
export interface VerifyOptions {
  at?: Date;
}

/** Options of `new Verifier`. */
export interface VerifierOptions {
  /** Tolerance in seconds when comparing the verification time with `iat` and `exp`. */
  clockSkewSeconds?: number;
}

/** The CWT claims: seconds since the epoch (`iat`, `exp`) and the same as Dates. */
export interface Claims {
  iss: string | null;
  iat: number | null;
  exp: number | null;
  issuedAt: Date | null;
  expiresAt: Date | null;
}

/** A document signer certificate (DSC). */
export interface SignerInfo {
  /** base64 of the first 8 bytes of the SHA-256 of the certificate. */
  kid: string;
  subject: string;
  country: string | null;
  notBefore: Date | null;
  notAfter: Date | null;
  /** Key type: `P-256`, `RSA-2048`, ... */
  key: string;
}

/** The checks of a verification. */
export type CheckName = "signature" | "validity" | "keyUsage" | "payload";

/** Why a check failed: a stable snake_case `code` and a message for people. */
export interface CheckFailure {
  check: CheckName;
  /**
   * signature: `missing_algorithm`, `unsupported_algorithm`, `missing_kid`,
   * `invalid_kid_length`, `unknown_kid`, `algorithm_key_mismatch`, `invalid_signature_length`,
   * `invalid_signature`; validity: `missing_iat`, `missing_exp`, `not_yet_valid`, `expired`,
   * `issued_before_signer_validity`, `expires_after_signer_validity`; keyUsage:
   * `key_usage_mismatch`, `certificate_type_unknown`; payload: the code of the first finding.
   */
  code: string;
  message: string;
}

/** The outcome of one check. */
export type Outcome =
  | { status: "passed" }
  | ({ status: "failed" } & CheckFailure)
  | { status: "skipped"; reason: string };

/** Each check's outcome. Only signature, validity and keyUsage decide `valid`. */
export interface Checks {
  signature: Outcome;
  validity: Outcome;
  keyUsage: Outcome;
  /** Data quality of the payload (see `findings`): reported, never fatal. */
  payload: Outcome;
}

/** A certificate decoded through every layer, signature not checked. */
export interface Decoded {
  hc1: string;
  payload: DccPayload;
  claims: Claims;
  /** base64 kid from the COSE headers. */
  kid: string | null;
  algorithm: string | null;
  /** The COSE_Sign1 bytes. */
  cose: Uint8Array;
}

/** The result of verifying a certificate. */
export interface Verification extends Decoded {
  /** True only when the signature, the validity window and the key usage all pass. */
  valid: boolean;
  /** The trusted DSC whose key verified the signature. */
  signer: SignerInfo | null;
  checks: Checks;
  /** The failures among the three decisive checks. */
  failures: CheckFailure[];
  /**
   * Every data-quality finding (schema of the payload's version, value sets, plausibility);
   * `checks.payload` fails with the first one. Never makes a certificate invalid.
   */
  findings: Finding[];
  /** The verification time used. */
  at: Date;
}

/** One normalisation applied to a payload before signing. */
export interface PayloadChange {
  /** Slash-separated path of the field, e.g. `nam/gn`. */
  path: string;
  description: string;
}

/** A data-quality finding about a verified payload (never makes it invalid). */
export interface Finding {
  path: string;
  code: string;
  message: string;
}

/** A QR code's module grid. */
export interface QrModules {
  version: number;
  size: number;
  /** `size * size` bytes, row by row, 1 = dark. */
  modules: Uint8Array;
}

/** A generated key and its self-signed DSC. */
export interface GeneratedKey {
  /** PKCS#8 PEM. Keep it secret. */
  keyPem: string;
  certPem: string;
}

/** Every stable error code. */
export type DccErrorCode =
  | "empty_input"
  | "input_too_large"
  | "invalid_prefix"
  | "unsupported_version"
  | "invalid_base45"
  | "invalid_compression"
  | "invalid_cbor"
  | "invalid_cose"
  | "invalid_claims"
  | "invalid_payload"
  | "validation_failed"
  | "invalid_key"
  | "invalid_certificate"
  | "signing_failed"
  | "qr_encode_failed"
  | "invalid_image"
  | "no_qr_code"
  | "invalid_options"
  | "verification_failed";
"#;

#[wasm_bindgen]
extern "C" {
    /// `IssueOptions` (optional argument).
    #[wasm_bindgen(typescript_type = "IssueOptions")]
    pub type IssueOptionsArg;
    /// `VerifyOptions` (optional argument).
    #[wasm_bindgen(typescript_type = "VerifyOptions")]
    pub type VerifyOptionsArg;
    /// `VerifierOptions` (optional argument).
    #[wasm_bindgen(typescript_type = "VerifierOptions")]
    pub type VerifierOptionsArg;
}

/// Generates a P-256 key and a self-signed DSC for `country` (two upper-case letters) with the
/// three HCERT key-usage OIDs, valid from now for `validDays` days (default 365). For tests
/// and pilots: production DSCs are issued by the national CSCA.
#[wasm_bindgen(js_name = generateKey, unchecked_return_type = "GeneratedKey")]
pub fn generate_key(
    country: &str,
    #[wasm_bindgen(js_name = commonName)] common_name: Option<String>,
    #[wasm_bindgen(js_name = validDays)] valid_days: Option<u32>,
) -> Result<JsValue, Failure> {
    let key = dcc::keygen::generate(
        country,
        common_name.as_deref().unwrap_or("dcc-kit DSC"),
        valid_days.unwrap_or(365),
    )?;
    let o = js_sys::Object::new();
    convert::set(&o, "keyPem", key.key_pem.as_str());
    convert::set(&o, "certPem", key.cert_pem.as_str());
    Ok(o.into())
}

/// The ICAO 9303 form of a name for `fnt` / `gnt` (`Musterfrau-Gößinger` ->
/// `MUSTERFRAU<GOESSINGER`): `A-Z` and `<` only. Throws `invalid_payload` for a character
/// without a transliteration.
#[wasm_bindgen]
pub fn transliterate(name: &str) -> Result<String, Failure> {
    dcc::transliterate::to_icao(name)
        .map_err(|e| Failure::new(dcc::ErrorKind::InvalidPayload, e.to_string()))
}

/// A new certificate identifier `URN:UVCI:01:<country>:<issuerPart>/<16 random>#<check>`.
/// `issuerPart` may hold `A-Z`, `0-9` and `/`. Throws `invalid_options` otherwise.
#[wasm_bindgen(js_name = generateUvci)]
pub fn generate_uvci(
    country: &str,
    #[wasm_bindgen(js_name = issuerPart)] issuer_part: &str,
) -> Result<String, Failure> {
    dcc::uvci::generate(country, issuer_part)
        .map_err(|e| Failure::new(dcc::ErrorKind::InvalidOptions, e))
}

/// The demo DSC (PEM), to trust in tests and demos. Its key is public: never trust it in
/// production.
#[wasm_bindgen(js_name = demoCertificatePem)]
pub fn demo_certificate_pem() -> String {
    dcc::demo::DEMO_CERT_PEM.to_string()
}

/// The version of this package.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}
