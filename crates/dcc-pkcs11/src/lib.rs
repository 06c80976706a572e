//! Signing in a hardware security module through PKCS#11 (the `cryptoki` crate).
//!
//! A key is selected by an RFC 7512 PKCS#11 URI: `pkcs11:token=LABEL;object=LABEL` (or
//! `id=%01%02`), with the module from the `module-path` query attribute, an option or the
//! `DCC_PKCS11_MODULE` environment variable, and the user PIN from an option, `pin-value`,
//! `pin-source` (a file) or the `DCC_PKCS11_PIN` environment variable, in that order. The PIN is
//! never logged, echoed, shown by `Debug` or put in an error message.
//!
//! ES256 signs with `CKM_ECDSA` over a SHA-256 digest computed here (SoftHSM 2.6 has no
//! `CKM_ECDSA_SHA256`), accepting raw `r || s` or DER signatures; PS256 with
//! `CKM_RSA_PKCS_PSS` (SHA-256, MGF1-SHA-256, salt 32) over the digest. A PKCS#11 session
//! cannot be shared across threads, so the signer keeps a pool: issuing from N threads uses up
//! to N sessions. The public key is read from the token, so an issuer checks it against the DSC
//! as it does for keys in memory.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use cryptoki::context::{CInitializeArgs, CInitializeFlags, Pkcs11};
use cryptoki::error::{Error as CkError, RvError};
use cryptoki::mechanism::rsa::{PkcsMgfType, PkcsPssParams};
use cryptoki::mechanism::{Mechanism, MechanismType};
use cryptoki::object::{Attribute, AttributeType, KeyType, ObjectClass, ObjectHandle};
use cryptoki::session::{Session, UserType};
use cryptoki::slot::Slot;
use cryptoki::types::AuthPin;
use dcc_cose::{Algorithm, SignError, Signer};
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

/// The environment variable read for the module path when neither the URI nor the options
/// name one.
pub const MODULE_ENV: &str = "DCC_PKCS11_MODULE";
/// The environment variable read for the user PIN when neither the options nor the URI give
/// one.
pub const PIN_ENV: &str = "DCC_PKCS11_PIN";

/// Why a PKCS#11 key cannot be used. Never carries the PIN.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Pkcs11Error {
    /// The URI is not an RFC 7512 PKCS#11 URI this signer understands.
    #[error("invalid PKCS#11 URI: {0}")]
    InvalidUri(String),
    /// The module cannot be loaded or initialised (wrong path, not a PKCS#11 library).
    #[error("PKCS#11 module unavailable: {0}")]
    ModuleUnavailable(String),
    /// No token with the URI's label (or slot) is present.
    #[error("PKCS#11 token not found: {0}")]
    TokenNotFound(String),
    /// No PIN was given (option, `pin-value`, `pin-source` or DCC_PKCS11_PIN).
    #[error(
        "no PIN for the PKCS#11 token (give it as an option, pin-value, pin-source or DCC_PKCS11_PIN)"
    )]
    PinRequired,
    /// The token refused the PIN (or the PIN is locked).
    #[error("the PKCS#11 token refused the PIN: {0}")]
    PinIncorrect(String),
    /// No private key with the URI's label or id (or its public half) on the token.
    #[error("PKCS#11 key not found: {0}")]
    KeyNotFound(String),
    /// The key is neither P-256 ECDSA nor RSA, or cannot be described.
    #[error("unsupported PKCS#11 key: {0}")]
    UnsupportedKey(String),
    /// The token failed during an operation (signing, key generation, a session).
    #[error("PKCS#11 device error: {0}")]
    Device(String),
}

impl Pkcs11Error {
    /// A stable code: `invalid_uri`, `module_unavailable`, `token_not_found`, `pin_required`,
    /// `pin_incorrect`, `key_not_found`, `unsupported_key` or `device_error`.
    pub fn code(&self) -> &'static str {
        match self {
            Pkcs11Error::InvalidUri(_) => "invalid_uri",
            Pkcs11Error::ModuleUnavailable(_) => "module_unavailable",
            Pkcs11Error::TokenNotFound(_) => "token_not_found",
            Pkcs11Error::PinRequired => "pin_required",
            Pkcs11Error::PinIncorrect(_) => "pin_incorrect",
            Pkcs11Error::KeyNotFound(_) => "key_not_found",
            Pkcs11Error::UnsupportedKey(_) => "unsupported_key",
            Pkcs11Error::Device(_) => "device_error",
        }
    }
}

fn device(what: &str, e: CkError) -> Pkcs11Error {
    Pkcs11Error::Device(format!("{what}: {e}"))
}

/// A parsed RFC 7512 URI: the attributes this signer uses. `Debug` never shows the PIN.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Pkcs11Uri {
    /// `token=`: the token label.
    pub token: Option<String>,
    /// `slot-id=`: the slot number (an alternative to the label).
    pub slot_id: Option<u64>,
    /// `object=`: the key label.
    pub object: Option<String>,
    /// `id=`: the key id (CKA_ID), percent-decoded bytes.
    pub id: Option<Vec<u8>>,
    /// `?module-path=`: the PKCS#11 library.
    pub module_path: Option<PathBuf>,
    /// `?pin-value=`.
    pin_value: Option<Zeroizing<String>>,
    /// `?pin-source=`: a file holding the PIN (`file:` URIs or plain paths).
    pub pin_source: Option<PathBuf>,
}

impl std::fmt::Debug for Pkcs11Uri {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pkcs11Uri")
            .field("token", &self.token)
            .field("slot_id", &self.slot_id)
            .field("object", &self.object)
            .field("id", &self.id)
            .field("module_path", &self.module_path)
            .field("pin_value", &self.pin_value.as_ref().map(|_| "<redacted>"))
            .field("pin_source", &self.pin_source)
            .finish()
    }
}

fn percent_decode(s: &str) -> Result<Vec<u8>, Pkcs11Error> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes
                .get(i + 1..i + 3)
                .and_then(|h| std::str::from_utf8(h).ok())
                .and_then(|h| u8::from_str_radix(h, 16).ok())
                .ok_or_else(|| {
                    Pkcs11Error::InvalidUri(format!("bad percent-encoding at byte {i}"))
                })?;
            out.push(hex);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    Ok(out)
}

fn text(value: &str, name: &str) -> Result<String, Pkcs11Error> {
    String::from_utf8(percent_decode(value)?)
        .map_err(|_| Pkcs11Error::InvalidUri(format!("{name} is not UTF-8")))
}

impl Pkcs11Uri {
    /// Parses `pkcs11:path-attributes[?query-attributes]`. Unknown attributes are refused
    /// (a typo must not select another key); `type`, `manufacturer`, `model`, `serial` and
    /// `library-*` are accepted and ignored.
    pub fn parse(uri: &str) -> Result<Self, Pkcs11Error> {
        let rest = uri
            .trim()
            .strip_prefix("pkcs11:")
            .ok_or_else(|| Pkcs11Error::InvalidUri("it must start with \"pkcs11:\"".into()))?;
        let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
        let mut out = Pkcs11Uri::default();
        let ignored = |k: &str| {
            matches!(
                k,
                "type"
                    | "manufacturer"
                    | "model"
                    | "serial"
                    | "slot-description"
                    | "slot-manufacturer"
                    | "library-description"
                    | "library-manufacturer"
                    | "library-version"
            )
        };
        for attr in path.split(';').filter(|a| !a.is_empty()) {
            let (k, v) = attr.split_once('=').ok_or_else(|| {
                Pkcs11Error::InvalidUri(format!("attribute {k:?} has no value", k = attr))
            })?;
            match k {
                "token" => out.token = Some(text(v, k)?),
                "object" => out.object = Some(text(v, k)?),
                "id" => out.id = Some(percent_decode(v)?),
                "slot-id" => {
                    out.slot_id = Some(v.parse().map_err(|_| {
                        Pkcs11Error::InvalidUri(format!("slot-id {v:?} is not a number"))
                    })?)
                }
                k if ignored(k) => {}
                other => {
                    return Err(Pkcs11Error::InvalidUri(format!(
                        "unknown path attribute {other:?}"
                    )));
                }
            }
        }
        for attr in query.split('&').filter(|a| !a.is_empty()) {
            let (k, v) = attr
                .split_once('=')
                .ok_or_else(|| Pkcs11Error::InvalidUri("a query attribute has no value".into()))?;
            match k {
                "module-path" => out.module_path = Some(PathBuf::from(text(v, k)?)),
                "pin-value" => out.pin_value = Some(Zeroizing::new(text(v, k)?)),
                "pin-source" => {
                    let p = text(v, k)?;
                    let p = p
                        .strip_prefix("file://")
                        .or_else(|| p.strip_prefix("file:"))
                        .unwrap_or(&p)
                        .to_string();
                    out.pin_source = Some(PathBuf::from(p));
                }
                "module-name" => {}
                other => {
                    return Err(Pkcs11Error::InvalidUri(format!(
                        "unknown query attribute {other:?}"
                    )));
                }
            }
        }
        if out.token.is_none() && out.slot_id.is_none() {
            return Err(Pkcs11Error::InvalidUri(
                "name the token (token=LABEL) or the slot (slot-id=N)".into(),
            ));
        }
        if out.object.is_none() && out.id.is_none() {
            return Err(Pkcs11Error::InvalidUri(
                "name the key (object=LABEL or id=...)".into(),
            ));
        }
        Ok(out)
    }

    /// Whether the URI carries a PIN (`pin-value`).
    pub fn has_pin_value(&self) -> bool {
        self.pin_value.is_some()
    }
}

/// Options that complete or override the URI. `Debug` never shows the PIN.
#[derive(Clone, Default)]
pub struct Pkcs11Options {
    /// The PKCS#11 library (overrides `module-path`).
    pub module_path: Option<PathBuf>,
    /// The user PIN (overrides `pin-value` and `pin-source`).
    pub pin: Option<Zeroizing<String>>,
    /// At most this many sessions (0: no limit; the pool grows to the number of threads
    /// signing at once).
    pub max_sessions: usize,
}

impl std::fmt::Debug for Pkcs11Options {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pkcs11Options")
            .field("module_path", &self.module_path)
            .field("pin", &self.pin.as_ref().map(|_| "<redacted>"))
            .field("max_sessions", &self.max_sessions)
            .finish()
    }
}

fn module_path(uri: &Pkcs11Uri, opts: &Pkcs11Options) -> Result<PathBuf, Pkcs11Error> {
    opts.module_path
        .clone()
        .or_else(|| uri.module_path.clone())
        .or_else(|| std::env::var_os(MODULE_ENV).map(PathBuf::from))
        .ok_or_else(|| {
            Pkcs11Error::ModuleUnavailable(format!(
                "no module: give module-path in the URI, the module option or {MODULE_ENV}"
            ))
        })
}

fn pin(uri: &Pkcs11Uri, opts: &Pkcs11Options) -> Result<AuthPin, Pkcs11Error> {
    if let Some(p) = &opts.pin {
        return Ok(AuthPin::from(p.as_str().to_string()));
    }
    if let Some(p) = &uri.pin_value {
        return Ok(AuthPin::from(p.as_str().to_string()));
    }
    if let Some(path) = &uri.pin_source {
        let text =
            Zeroizing::new(std::fs::read_to_string(path).map_err(|e| {
                Pkcs11Error::InvalidUri(format!("pin-source {}: {e}", path.display()))
            })?);
        return Ok(AuthPin::from(
            text.trim_end_matches(['\r', '\n']).to_string(),
        ));
    }
    if let Ok(p) = std::env::var(PIN_ENV) {
        return Ok(AuthPin::from(p));
    }
    Err(Pkcs11Error::PinRequired)
}

/// Serialises the creation of token objects against every look-up in this process: SoftHSM2's
/// file object store (the token most test and pilot set-ups use) is not safe when one thread
/// creates objects while another reads the token's object list; the generating thread then
/// gets CKR_GENERAL_ERROR (SoftHSMv2 issue #573; seen in our CI). Key generation is rare, so
/// making it exclusive costs nothing; look-ups share the lock, signing does not take it.
fn token_objects() -> &'static std::sync::RwLock<()> {
    static LOCK: OnceLock<std::sync::RwLock<()>> = OnceLock::new();
    LOCK.get_or_init(Default::default)
}

/// One initialised context per module path for the whole process (C_Initialize may run only
/// once per process).
fn context(path: &Path) -> Result<Pkcs11, Pkcs11Error> {
    static MODULES: OnceLock<Mutex<HashMap<PathBuf, Pkcs11>>> = OnceLock::new();
    let map = MODULES.get_or_init(Default::default);
    let mut map = map
        .lock()
        .map_err(|_| Pkcs11Error::ModuleUnavailable("module registry poisoned".into()))?;
    if let Some(ctx) = map.get(path) {
        return Ok(ctx.clone());
    }
    let shown = path.display();
    let ctx =
        Pkcs11::new(path).map_err(|e| Pkcs11Error::ModuleUnavailable(format!("{shown}: {e}")))?;
    match ctx.initialize(CInitializeArgs::new(CInitializeFlags::OS_LOCKING_OK)) {
        Ok(()) | Err(CkError::Pkcs11(RvError::CryptokiAlreadyInitialized, _)) => {}
        Err(e) => return Err(Pkcs11Error::ModuleUnavailable(format!("{shown}: {e}"))),
    }
    map.insert(path.to_path_buf(), ctx.clone());
    Ok(ctx)
}

fn find_slot(ctx: &Pkcs11, uri: &Pkcs11Uri) -> Result<Slot, Pkcs11Error> {
    let slots = ctx
        .get_slots_with_token()
        .map_err(|e| device("listing slots", e))?;
    for slot in slots {
        if let Some(id) = uri.slot_id
            && slot.id() != id
        {
            continue;
        }
        if let Some(label) = &uri.token {
            let info = ctx
                .get_token_info(slot)
                .map_err(|e| device("reading token info", e))?;
            if info.label().trim_end() != label {
                continue;
            }
        }
        return Ok(slot);
    }
    Err(Pkcs11Error::TokenNotFound(
        match (&uri.token, uri.slot_id) {
            (Some(l), _) => format!("no token labelled {l:?}"),
            (None, Some(id)) => format!("no token in slot {id}"),
            _ => "no token".into(),
        },
    ))
}

fn login(session: &Session, pin: &AuthPin) -> Result<(), Pkcs11Error> {
    match session.login(UserType::User, Some(pin)) {
        Ok(()) | Err(CkError::Pkcs11(RvError::UserAlreadyLoggedIn, _)) => Ok(()),
        Err(CkError::Pkcs11(
            rv @ (RvError::PinIncorrect
            | RvError::PinLocked
            | RvError::PinInvalid
            | RvError::PinLenRange
            | RvError::PinExpired),
            _,
        )) => Err(Pkcs11Error::PinIncorrect(format!("{rv:?}"))),
        Err(e) => Err(device("logging in", e)),
    }
}

fn key_template(uri: &Pkcs11Uri, class: ObjectClass) -> Vec<Attribute> {
    let mut t = vec![Attribute::Class(class)];
    if let Some(label) = &uri.object {
        t.push(Attribute::Label(label.as_bytes().to_vec()));
    }
    if let Some(id) = &uri.id {
        t.push(Attribute::Id(id.clone()));
    }
    t
}

fn describe_key(uri: &Pkcs11Uri) -> String {
    match (&uri.object, &uri.id) {
        (Some(l), _) => format!("no private key labelled {l:?}"),
        (None, Some(id)) => format!("no private key with id {}", hex(id)),
        _ => "no private key".into(),
    }
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

fn find_one(
    session: &Session,
    template: &[Attribute],
) -> Result<Option<ObjectHandle>, Pkcs11Error> {
    let found = session
        .find_objects(template)
        .map_err(|e| device("finding the key", e))?;
    Ok(found.into_iter().next())
}

/// `prime256v1` as DER (CKA_EC_PARAMS of a P-256 key).
const P256_PARAMS: [u8; 10] = [0x06, 0x08, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07];
/// The SubjectPublicKeyInfo (DER) and algorithm of the public key object `key`.
fn public_key(session: &Session, key: ObjectHandle) -> Result<(Vec<u8>, Algorithm), Pkcs11Error> {
    let attrs = session
        .get_attributes(
            key,
            &[
                AttributeType::KeyType,
                AttributeType::EcParams,
                AttributeType::EcPoint,
                AttributeType::Modulus,
                AttributeType::PublicExponent,
            ],
        )
        .map_err(|e| device("reading the public key", e))?;
    let mut key_type = None;
    let (mut params, mut point, mut n, mut e) = (None, None, None, None);
    for a in attrs {
        match a {
            Attribute::KeyType(t) => key_type = Some(t),
            Attribute::EcParams(p) => params = Some(p),
            Attribute::EcPoint(p) => point = Some(p),
            Attribute::Modulus(m) => n = Some(m),
            Attribute::PublicExponent(x) => e = Some(x),
            _ => {}
        }
    }
    match key_type {
        Some(KeyType::EC) => {
            if params.as_deref() != Some(&P256_PARAMS[..]) {
                return Err(Pkcs11Error::UnsupportedKey(
                    "an EC key on a curve other than P-256".into(),
                ));
            }
            let point = point.ok_or_else(|| Pkcs11Error::UnsupportedKey("no EC point".into()))?;
            // CKA_EC_POINT is a DER OCTET STRING around the uncompressed point (some modules
            // give the bare point).
            let raw = if point.len() == 67 && point[0] == 0x04 && point[1] == 65 {
                point[2..].to_vec()
            } else {
                point
            };
            let spki = dcc_cose::dsc::spki_p256(&raw)
                .map_err(|e| Pkcs11Error::UnsupportedKey(e.to_string()))?;
            Ok((spki, Algorithm::Es256))
        }
        Some(KeyType::RSA) => {
            let (n, e) = n
                .zip(e)
                .ok_or_else(|| Pkcs11Error::UnsupportedKey("no RSA modulus or exponent".into()))?;
            let spki = dcc_cose::dsc::spki_rsa(&n, &e)
                .map_err(|e| Pkcs11Error::UnsupportedKey(e.to_string()))?;
            Ok((spki, Algorithm::Ps256))
        }
        other => Err(Pkcs11Error::UnsupportedKey(format!(
            "key type {other:?}: only P-256 ECDSA (ES256) and RSA (PS256)"
        ))),
    }
}

/// A signer whose private key stays in a PKCS#11 token.
pub struct Pkcs11Signer {
    ctx: Pkcs11,
    slot: Slot,
    uri: Pkcs11Uri,
    pin: AuthPin,
    algorithm: Algorithm,
    spki: Vec<u8>,
    pool: Mutex<Vec<(Session, ObjectHandle)>>,
    opened: std::sync::atomic::AtomicUsize,
    max_sessions: usize,
    available: std::sync::Condvar,
}

impl std::fmt::Debug for Pkcs11Signer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pkcs11Signer")
            .field("token", &self.uri.token)
            .field("object", &self.uri.object)
            .field("algorithm", &self.algorithm)
            .field("sessions", &self.sessions())
            .finish_non_exhaustive()
    }
}

impl Pkcs11Signer {
    /// Opens the key the URI names: loads the module, finds the token by label (or slot),
    /// logs in, finds the private key (and its public half, by the same label or id) and
    /// reads the public key. Each failure is its own [`Pkcs11Error`].
    pub fn open(uri: &str, opts: &Pkcs11Options) -> Result<Self, Pkcs11Error> {
        let uri = Pkcs11Uri::parse(uri)?;
        let ctx = context(&module_path(&uri, opts)?)?;
        let slot = find_slot(&ctx, &uri)?;
        let pin = pin(&uri, opts)?;
        Self::open_parsed(ctx, slot, uri, pin, opts)
    }

    /// Generates a key pair inside the token the URI names (P-256 for ES256, RSA-3072 for
    /// PS256), labelled by the URI's `object` and with its `id` (else an id derived from the
    /// label); the private key is sensitive and not extractable. Fails if such a key exists.
    /// Returns the signer for the new key.
    pub fn generate(
        uri: &str,
        opts: &Pkcs11Options,
        algorithm: Algorithm,
    ) -> Result<Self, Pkcs11Error> {
        let parsed = Pkcs11Uri::parse(uri)?;
        let label = parsed
            .object
            .clone()
            .ok_or_else(|| Pkcs11Error::InvalidUri("name the new key: object=LABEL".into()))?;
        let id = parsed
            .id
            .clone()
            .unwrap_or_else(|| Sha256::digest(label.as_bytes())[..8].to_vec());
        let ctx = context(&module_path(&parsed, opts)?)?;
        let slot = find_slot(&ctx, &parsed)?;
        let pin = pin(&parsed, opts)?;
        // A poisoned lock only means another thread panicked while holding it; the token
        // itself is unaffected.
        let exclusive = token_objects()
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let session = ctx
            .open_rw_session(slot)
            .map_err(|e| device("opening a read-write session", e))?;
        login(&session, &pin)?;
        if find_one(&session, &key_template(&parsed, ObjectClass::PRIVATE_KEY))?.is_some() {
            return Err(Pkcs11Error::Device(format!(
                "a private key labelled {label:?} already exists on the token"
            )));
        }
        let common = |private: bool| {
            vec![
                Attribute::Token(true),
                Attribute::Label(label.as_bytes().to_vec()),
                Attribute::Id(id.clone()),
                Attribute::Private(private),
            ]
        };
        let mut public = common(false);
        public.push(Attribute::Verify(true));
        let mut private = common(true);
        private.extend([
            Attribute::Sign(true),
            Attribute::Sensitive(true),
            Attribute::Extractable(false),
        ]);
        let mechanism = match algorithm {
            Algorithm::Es256 => {
                public.push(Attribute::EcParams(P256_PARAMS.to_vec()));
                Mechanism::EccKeyPairGen
            }
            Algorithm::Ps256 => {
                public.push(Attribute::ModulusBits(3072.into()));
                public.push(Attribute::PublicExponent(vec![0x01, 0x00, 0x01]));
                Mechanism::RsaPkcsKeyPairGen
            }
        };
        session
            .generate_key_pair(&mechanism, &public, &private)
            .map_err(|e| device("generating the key pair", e))?;
        drop(session);
        drop(exclusive);
        let mut with_id = parsed;
        with_id.id = Some(id);
        Self::open_parsed(ctx, slot, with_id, pin, opts)
    }

    fn open_parsed(
        ctx: Pkcs11,
        slot: Slot,
        uri: Pkcs11Uri,
        pin: AuthPin,
        opts: &Pkcs11Options,
    ) -> Result<Self, Pkcs11Error> {
        let shared = token_objects()
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let session = ctx
            .open_ro_session(slot)
            .map_err(|e| device("opening a session", e))?;
        login(&session, &pin)?;
        let private = find_one(&session, &key_template(&uri, ObjectClass::PRIVATE_KEY))?
            .ok_or_else(|| Pkcs11Error::KeyNotFound(describe_key(&uri)))?;
        let public =
            find_one(&session, &key_template(&uri, ObjectClass::PUBLIC_KEY))?.ok_or_else(|| {
                Pkcs11Error::KeyNotFound(format!(
                    "{} has no public key object with the same label or id",
                    describe_key(&uri).replace("no private key", "the private key")
                ))
            })?;
        let (spki, algorithm) = public_key(&session, public)?;
        drop(shared);
        Ok(Pkcs11Signer {
            ctx,
            slot,
            uri,
            pin,
            algorithm,
            spki,
            pool: Mutex::new(vec![(session, private)]),
            opened: std::sync::atomic::AtomicUsize::new(1),
            max_sessions: opts.max_sessions,
            available: std::sync::Condvar::new(),
        })
    }

    /// The SubjectPublicKeyInfo (DER) of the key, read from the token.
    pub fn public_key_der(&self) -> &[u8] {
        &self.spki
    }

    /// How many sessions the signer has opened so far.
    pub fn sessions(&self) -> usize {
        self.opened.load(std::sync::atomic::Ordering::Relaxed)
    }

    fn open_session(&self) -> Result<(Session, ObjectHandle), Pkcs11Error> {
        let _shared = token_objects()
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let session = self
            .ctx
            .open_ro_session(self.slot)
            .map_err(|e| device("opening a session", e))?;
        login(&session, &self.pin)?;
        let key = find_one(&session, &key_template(&self.uri, ObjectClass::PRIVATE_KEY))?
            .ok_or_else(|| Pkcs11Error::KeyNotFound(describe_key(&self.uri)))?;
        Ok((session, key))
    }

    /// A session from the pool, a new one, or (at `max_sessions`) the next one returned.
    fn take(&self) -> Result<(Session, ObjectHandle), Pkcs11Error> {
        use std::sync::atomic::Ordering;
        let poisoned = || Pkcs11Error::Device("session pool poisoned".into());
        let mut pool = self.pool.lock().map_err(|_| poisoned())?;
        loop {
            if let Some(s) = pool.pop() {
                return Ok(s);
            }
            if self.max_sessions == 0 || self.opened.load(Ordering::Relaxed) < self.max_sessions {
                self.opened.fetch_add(1, Ordering::Relaxed);
                drop(pool);
                return self.open_session().inspect_err(|_| {
                    self.opened.fetch_sub(1, Ordering::Relaxed);
                });
            }
            pool = self.available.wait(pool).map_err(|_| poisoned())?;
        }
    }

    fn give_back(&self, s: (Session, ObjectHandle)) {
        if let Ok(mut pool) = self.pool.lock() {
            pool.push(s);
            self.available.notify_one();
        }
    }

    fn sign_digest(&self, digest: &[u8]) -> Result<Vec<u8>, Pkcs11Error> {
        let mechanism = match self.algorithm {
            Algorithm::Es256 => Mechanism::Ecdsa,
            Algorithm::Ps256 => Mechanism::RsaPkcsPss(PkcsPssParams {
                hash_alg: MechanismType::SHA256,
                mgf: PkcsMgfType::MGF1_SHA256,
                s_len: 32.into(),
            }),
        };
        let (session, key) = self.take()?;
        match session.sign(&mechanism, key, digest) {
            Ok(sig) => {
                self.give_back((session, key));
                Ok(sig)
            }
            Err(e) => {
                // A session that failed is closed, not reused.
                self.opened
                    .fetch_sub(1, std::sync::atomic::Ordering::Relaxed);
                self.available.notify_one();
                Err(device("signing", e))
            }
        }
    }
}

impl Signer for Pkcs11Signer {
    fn algorithm(&self) -> Algorithm {
        self.algorithm
    }

    fn sign(&self, tbs: &[u8]) -> Result<Vec<u8>, SignError> {
        let digest = Sha256::digest(tbs);
        let sig = self
            .sign_digest(&digest)
            .map_err(|e| SignError::Signer(e.to_string()))?;
        match self.algorithm {
            Algorithm::Es256 if sig.len() == 64 => Ok(sig),
            Algorithm::Es256 => Ok(dcc_cose::ecdsa_der_to_raw(&sig)?.to_vec()),
            Algorithm::Ps256 => Ok(sig),
        }
    }

    fn public_key_spki(&self) -> Option<Vec<u8>> {
        Some(self.spki.clone())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn uris() {
        let u = Pkcs11Uri::parse(
            "pkcs11:token=DCC%20Issuer;object=dsc-v;id=%01%02?module-path=/usr/lib/softhsm/libsofthsm2.so&pin-value=1234",
        )
        .unwrap();
        assert_eq!(u.token.as_deref(), Some("DCC Issuer"));
        assert_eq!(u.object.as_deref(), Some("dsc-v"));
        assert_eq!(u.id.as_deref(), Some(&[1u8, 2][..]));
        assert_eq!(
            u.module_path.as_deref(),
            Some(Path::new("/usr/lib/softhsm/libsofthsm2.so"))
        );
        assert!(u.has_pin_value());
        let shown = format!("{u:?}");
        assert!(!shown.contains("1234"), "{shown}");
        assert!(shown.contains("<redacted>"));
        let u = Pkcs11Uri::parse("pkcs11:slot-id=3;object=k?pin-source=file:/run/pin").unwrap();
        assert_eq!(u.slot_id, Some(3));
        assert_eq!(u.pin_source.as_deref(), Some(Path::new("/run/pin")));
        for bad in [
            "token=x;object=y",
            "pkcs11:object=y",
            "pkcs11:token=x",
            "pkcs11:token=x;objekt=y",
            "pkcs11:token=x;object=y?pin=1",
            "pkcs11:token=x;object=%zz",
            "pkcs11:token=x;object",
            "pkcs11:slot-id=a;object=y",
        ] {
            let e = Pkcs11Uri::parse(bad).unwrap_err();
            assert_eq!(e.code(), "invalid_uri", "{bad}");
        }
        let e = Pkcs11Uri::parse("pkcs11:token=x;object=y?pin-value=s3cret&bogus=1").unwrap_err();
        assert!(!e.to_string().contains("s3cret"));
    }

    #[test]
    fn options_never_show_the_pin() {
        let o = Pkcs11Options {
            pin: Some(Zeroizing::new("s3cret".into())),
            ..Default::default()
        };
        assert!(!format!("{o:?}").contains("s3cret"));
    }
}
