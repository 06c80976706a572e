//! Document signer certificates (DSCs) and the trust store.
//!
//! A DSC is the X.509 certificate of the key that signs certificates. Its `kid` is the first 8
//! bytes of the SHA-256 of its DER encoding. Real DSCs are not always strict DER (explicitly
//! encoded DEFAULT values, empty extended-key-usage sequences), so parsing falls back to a
//! lenient profile and reads only what verification needs: the public key, the validity period
//! and the extended key usage.

use std::collections::{BTreeSet, HashMap};
use std::fmt;

use base64::Engine;
use der::{Decode, Encode, asn1::ObjectIdentifier};
use rsa::{pkcs1::DecodeRsaPublicKey, traits::PublicKeyParts};
use x509_cert::certificate::{CertificateInner, Profile, Raw, Rfc5280};

use crate::{CertificateError, Kid, kid_of};

const OID_EC_PUBLIC_KEY: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");
const OID_P256: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.3.1.7");
const OID_P384: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.132.0.34");
const OID_P521: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.132.0.35");
const OID_RSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");
const OID_RSA_PSS: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.10");
const OID_EKU: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.37");
const OID_COUNTRY: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.4.6");

/// A certificate type a DSC may be restricted to by its extended key usage (hcert spec 5.1.1).
///
/// The signed layer's own view of the three DCC types, so that it does not depend on the
/// payload model; the facade maps the payload's certificate type onto it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum UsageType {
    /// Test certificates (`t`): OID `1.3.6.1.4.1.1847.2021.1.1`.
    Test,
    /// Vaccination certificates (`v`): OID `1.3.6.1.4.1.1847.2021.1.2`.
    Vaccination,
    /// Recovery certificates (`r`): OID `1.3.6.1.4.1.1847.2021.1.3`.
    Recovery,
}

/// Extended key usage OIDs that restrict a DSC to certificate types (hcert spec 5.1.1),
/// in the current form and in the pre-May-2021 form with the extra `.0`.
pub const KEY_USAGE_OIDS: [(&str, UsageType); 6] = [
    ("1.3.6.1.4.1.1847.2021.1.1", UsageType::Test),
    ("1.3.6.1.4.1.1847.2021.1.2", UsageType::Vaccination),
    ("1.3.6.1.4.1.1847.2021.1.3", UsageType::Recovery),
    ("1.3.6.1.4.1.0.1847.2021.1.1", UsageType::Test),
    ("1.3.6.1.4.1.0.1847.2021.1.2", UsageType::Vaccination),
    ("1.3.6.1.4.1.0.1847.2021.1.3", UsageType::Recovery),
];

/// The public key of a DSC.
#[derive(Clone)]
pub enum PublicKey {
    /// An ECDSA P-256 key (ES256).
    P256(p256::ecdsa::VerifyingKey),
    /// An RSA key (PS256).
    Rsa(rsa::PublicKey),
    /// A key this library cannot verify with (e.g. P-384); signatures from it always fail.
    Unsupported(String),
}

impl PublicKey {
    /// A short description: `P-256`, `RSA-2048`, or the unsupported type.
    pub fn describe(&self) -> String {
        match self {
            PublicKey::P256(_) => "P-256".into(),
            PublicKey::Rsa(k) => format!("RSA-{}", k.n().bit_width()),
            PublicKey::Unsupported(s) => s.clone(),
        }
    }

    /// Reads a SubjectPublicKeyInfo (DER). A key this library cannot use becomes
    /// [`PublicKey::Unsupported`], never an error: trust lists carry such keys.
    pub fn from_spki(spki_der: &[u8]) -> PublicKey {
        use spki::DecodePublicKey;
        let Ok(spki) = spki::SubjectPublicKeyInfoRef::from_der(spki_der) else {
            return PublicKey::Unsupported("malformed public key".into());
        };
        let oid = spki.algorithm.oid;
        let bits = spki.subject_public_key.raw_bytes();
        if oid == OID_EC_PUBLIC_KEY {
            return match spki.algorithm.parameters_oid().ok() {
                Some(c) if c == OID_P256 => p256::ecdsa::VerifyingKey::from_sec1_bytes(bits)
                    .map(PublicKey::P256)
                    .unwrap_or_else(|_| PublicKey::Unsupported("invalid P-256 point".into())),
                Some(c) if c == OID_P384 => PublicKey::Unsupported("EC P-384".into()),
                Some(c) if c == OID_P521 => PublicKey::Unsupported("EC P-521".into()),
                Some(c) => PublicKey::Unsupported(format!("EC curve {c}")),
                None => PublicKey::Unsupported("EC key without a named curve".into()),
            };
        }
        if oid == OID_RSA || oid == OID_RSA_PSS {
            return rsa::PublicKey::from_public_key_der(spki_der)
                .or_else(|_| rsa::PublicKey::from_pkcs1_der(bits))
                .map(PublicKey::Rsa)
                .unwrap_or_else(|_| PublicKey::Unsupported("invalid RSA key".into()));
        }
        PublicKey::Unsupported(format!("key algorithm {oid}"))
    }
}

impl fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PublicKey({})", self.describe())
    }
}

/// What a DSC may sign, from its extended key usage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyUsage {
    /// No HCERT key-usage OID (no EKU extension, only unrelated OIDs, or an empty sequence,
    /// which RFC 5280 forbids but real DSCs carry and is read leniently as no restriction):
    /// any certificate type may be signed.
    Any,
    /// Only these types may be signed.
    Only(BTreeSet<UsageType>),
    /// The extended key usage extension is present but its value is not a DER
    /// `SEQUENCE OF OBJECT IDENTIFIER`. The restriction it meant to state is unknown, so
    /// nothing may be signed (fail closed).
    Undecodable,
}

impl KeyUsage {
    /// Whether a certificate of type `t` may be signed. [`KeyUsage::Undecodable`] allows
    /// nothing.
    pub fn allows(&self, t: UsageType) -> bool {
        match self {
            KeyUsage::Any => true,
            KeyUsage::Only(types) => types.contains(&t),
            KeyUsage::Undecodable => false,
        }
    }
}

/// A parsed document signer certificate.
#[derive(Clone)]
pub struct Dsc {
    der: Vec<u8>,
    kid: Kid,
    key: PublicKey,
    /// SubjectPublicKeyInfo DER; `None` when it could not be encoded (never empty).
    spki_der: Option<Vec<u8>>,
    not_before: Option<i64>,
    not_after: Option<i64>,
    key_usage: KeyUsage,
    eku_oids: Vec<String>,
    subject: String,
    issuer: String,
    country: Option<String>,
    serial: String,
    /// Where the verifier got this DSC from (a trust list), when it was loaded from one.
    source: Option<std::sync::Arc<TrustSource>>,
}

/// Where a trusted DSC or bare key came from: the trust list (its format and name) and the
/// country the list gives for the entry.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TrustSource {
    /// The list's format: `de`, `at`, `ch`, `eu-gateway` or `pem`.
    pub format: String,
    /// The caller's name for the list (e.g. the file name), if any.
    pub list: Option<String>,
    /// The entry's country as the list states it (not the certificate's own `C=`).
    pub country: Option<String>,
    /// True when the list was used after its expiry because the caller allowed it.
    pub list_expired: bool,
}

impl fmt::Debug for Dsc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Dsc")
            .field("kid", &self.kid_base64())
            .field("subject", &self.subject)
            .field("key", &self.key)
            .field("not_before", &self.not_before)
            .field("not_after", &self.not_after)
            .field("key_usage", &self.key_usage)
            .finish()
    }
}

impl Dsc {
    /// Loads a certificate from PEM, DER, or base64 DER (as in trust lists and test vectors).
    pub fn parse(input: impl AsRef<[u8]>) -> Result<Self, CertificateError> {
        let input = input.as_ref();
        if input.iter().all(u8::is_ascii_whitespace) {
            return Err(CertificateError::Empty);
        }
        if input.first() == Some(&0x30) {
            return Self::from_der(input);
        }
        let text = std::str::from_utf8(input)
            .map_err(|_| CertificateError::Malformed("neither DER nor text".into()))?;
        if text.contains("-----BEGIN") {
            return Self::from_pem(text);
        }
        let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        let der = base64::engine::general_purpose::STANDARD
            .decode(&compact)
            .map_err(|_| CertificateError::Malformed("not PEM, DER or base64".into()))?;
        Self::from_der(&der)
    }

    /// Loads the first `CERTIFICATE` block of a PEM text.
    pub fn from_pem(pem: impl AsRef<[u8]>) -> Result<Self, CertificateError> {
        let text = std::str::from_utf8(pem.as_ref())
            .map_err(|_| CertificateError::Malformed("PEM is not UTF-8".into()))?;
        if text.trim().is_empty() {
            return Err(CertificateError::Empty);
        }
        match crate::keys::pem_block(text, |l| l == "CERTIFICATE" || l == "X509 CERTIFICATE") {
            Ok((_, der)) => Self::from_der(&der),
            Err(Some(l)) if l.ends_with("PRIVATE KEY") => Err(CertificateError::IsPrivateKey),
            Err(Some(l)) => Err(CertificateError::Malformed(format!(
                "unexpected PEM block {l:?}"
            ))),
            Err(None) => Err(CertificateError::Malformed(
                "no PEM certificate block".into(),
            )),
        }
    }

    /// Loads all `CERTIFICATE` blocks of a PEM text (a trust bundle).
    pub fn all_from_pem(pem: &str) -> Result<Vec<Self>, CertificateError> {
        let mut out = Vec::new();
        let mut rest = pem;
        while let Some(start) = rest.find("-----BEGIN CERTIFICATE-----") {
            let tail = &rest[start..];
            let end = tail
                .find("-----END CERTIFICATE-----")
                .ok_or_else(|| CertificateError::Malformed("unterminated PEM block".into()))?;
            let block = &tail[..end + 25];
            out.push(Self::from_pem(block)?);
            rest = &tail[end + 25..];
        }
        if out.is_empty() {
            return Self::from_pem(pem).map(|d| vec![d]);
        }
        Ok(out)
    }

    /// Loads a certificate from DER.
    pub fn from_der(der: &[u8]) -> Result<Self, CertificateError> {
        if der.is_empty() {
            return Err(CertificateError::Empty);
        }
        match CertificateInner::<Rfc5280>::from_der(der) {
            Ok(cert) => Ok(Self::from_cert(der, &cert)),
            Err(strict) => match CertificateInner::<Raw>::from_der(der) {
                Ok(cert) => Ok(Self::from_cert(der, &cert)),
                Err(_) => {
                    if crate::keys::looks_like_private_key(der) {
                        Err(CertificateError::IsPrivateKey)
                    } else {
                        Err(CertificateError::Malformed(format!("X.509: {strict}")))
                    }
                }
            },
        }
    }

    fn from_cert<P: Profile>(der: &[u8], cert: &CertificateInner<P>) -> Self {
        let tbs = cert.tbs_certificate();
        let spki_der = nonempty_der(tbs.subject_public_key_info().to_der());
        let validity = tbs.validity();
        let secs = |t: x509_cert::time::Time| i64::try_from(t.to_unix_duration().as_secs()).ok();
        let mut eku_oids = Vec::new();
        let mut restricted = BTreeSet::new();
        let mut has_dcc_oid = false;
        let mut eku_undecodable = false;
        for ext in tbs.extensions().into_iter().flatten() {
            if ext.extn_id != OID_EKU {
                continue;
            }
            // An empty SEQUENCE (forbidden by RFC 5280) is read leniently as "no restriction";
            // a value that is not a SEQUENCE OF OID at all restricts to nothing (fail closed).
            let Ok(oids) = Vec::<ObjectIdentifier>::from_der(ext.extn_value.as_bytes()) else {
                eku_undecodable = true;
                continue;
            };
            for oid in oids {
                let s = oid.to_string();
                if let Some((_, t)) = KEY_USAGE_OIDS.iter().find(|(o, _)| *o == s) {
                    has_dcc_oid = true;
                    restricted.insert(*t);
                }
                eku_oids.push(s);
            }
        }
        let country = match tbs.subject().country() {
            Ok(Some(c)) => Some(c.as_str().to_string()),
            _ => tbs
                .subject()
                .iter()
                .find(|atv| atv.oid == OID_COUNTRY)
                .map(|atv| String::from_utf8_lossy(atv.value.value()).into_owned()),
        };
        Dsc {
            der: der.to_vec(),
            kid: kid_of(der),
            key: match &spki_der {
                Some(spki) => PublicKey::from_spki(spki),
                None => PublicKey::Unsupported("malformed public key".into()),
            },
            spki_der,
            not_before: secs(validity.not_before),
            not_after: secs(validity.not_after),
            key_usage: if eku_undecodable {
                KeyUsage::Undecodable
            } else if has_dcc_oid {
                KeyUsage::Only(restricted)
            } else {
                KeyUsage::Any
            },
            eku_oids,
            subject: crate::dn::format_name(tbs.subject()),
            issuer: crate::dn::format_name(tbs.issuer()),
            country,
            serial: hex_upper(tbs.serial_number().as_bytes()),
            source: None,
        }
    }

    /// A bare public key from a trust list that carries keys, not certificates (the Swiss and
    /// Dutch lists): it verifies signatures under `kid`, but has no validity window, no
    /// subject and no extended key usage of its own. `usage` is what the list says the key may
    /// sign ([`KeyUsage::Any`] when it says nothing).
    pub fn bare_key(kid: Kid, spki_der: &[u8], usage: KeyUsage, country: Option<String>) -> Self {
        Dsc {
            der: Vec::new(),
            kid,
            key: PublicKey::from_spki(spki_der),
            spki_der: (!spki_der.is_empty()).then(|| spki_der.to_vec()),
            not_before: None,
            not_after: None,
            key_usage: usage,
            eku_oids: Vec::new(),
            subject: String::new(),
            issuer: String::new(),
            country,
            serial: String::new(),
            source: None,
        }
    }

    /// True for a certificate, false for a [`Dsc::bare_key`].
    pub fn is_certificate(&self) -> bool {
        !self.der.is_empty()
    }

    /// Where this entry came from, when it was loaded from a trust list.
    pub fn source(&self) -> Option<&TrustSource> {
        self.source.as_deref()
    }

    /// This entry, marked as coming from `source`.
    pub fn with_source(mut self, source: std::sync::Arc<TrustSource>) -> Self {
        self.source = Some(source);
        self
    }

    /// Checks that this certificate's signature verifies with `issuer` (the key of the
    /// certificate that issued it): ECDSA P-256 with SHA-256, RSA PKCS#1 v1.5 or PSS with
    /// SHA-256. Used to check the certificate chains that sign trust lists.
    pub fn verify_issued_by(&self, issuer: &PublicKey) -> Result<(), crate::VerifyError> {
        let (tbs, alg_oid, sig) = crate::trust::split_certificate(&self.der)
            .ok_or(crate::VerifyError::InvalidSignature)?;
        let scheme = crate::trust::SignatureScheme::from_x509_oid(&alg_oid).ok_or_else(|| {
            crate::VerifyError::UnsupportedAlgorithm(format!("certificate signature {alg_oid}"))
        })?;
        issuer.verify(scheme, tbs, sig)
    }

    /// The DER encoding.
    pub fn der(&self) -> &[u8] {
        &self.der
    }
    /// The `kid`: first 8 bytes of SHA-256 over the DER.
    pub fn kid(&self) -> Kid {
        self.kid
    }
    /// The `kid` in trust-list form: base64 of the 8 bytes (`qroU+hDDovs=`).
    pub fn kid_base64(&self) -> String {
        base64::engine::general_purpose::STANDARD.encode(self.kid)
    }
    /// The public key.
    pub fn public_key(&self) -> &PublicKey {
        &self.key
    }
    /// The SubjectPublicKeyInfo DER, as found in the certificate. `None` when the certificate's
    /// SubjectPublicKeyInfo could not be encoded (its [`Self::public_key`] is then
    /// [`PublicKey::Unsupported`]); never an empty key.
    pub fn public_key_der(&self) -> Option<Vec<u8>> {
        self.spki_der.clone()
    }
    /// `notBefore` in seconds since the epoch.
    pub fn not_before(&self) -> Option<i64> {
        self.not_before
    }
    /// `notAfter` in seconds since the epoch.
    pub fn not_after(&self) -> Option<i64> {
        self.not_after
    }
    /// What this DSC may sign.
    pub fn key_usage(&self) -> &KeyUsage {
        &self.key_usage
    }
    /// Every extended key usage OID in the certificate.
    pub fn extended_key_usage_oids(&self) -> &[String] {
        &self.eku_oids
    }
    /// Subject distinguished name (RFC 4514).
    pub fn subject(&self) -> &str {
        &self.subject
    }
    /// Issuer distinguished name (RFC 4514).
    pub fn issuer(&self) -> &str {
        &self.issuer
    }
    /// Subject country (`C=`), when present.
    pub fn country(&self) -> Option<&str> {
        self.country.as_deref()
    }
    /// Serial number in upper-case hex.
    pub fn serial_hex(&self) -> &str {
        &self.serial
    }
    /// The certificate as PEM.
    pub fn to_pem(&self) -> String {
        pem("CERTIFICATE", &self.der)
    }
}

/// An encoding result as a non-empty byte string: an error or an empty encoding is `None`.
fn nonempty_der(encoded: der::Result<Vec<u8>>) -> Option<Vec<u8>> {
    encoded.ok().filter(|d| !d.is_empty())
}

fn hex_upper(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02X}")).collect()
}

/// Trusted DSCs keyed by `kid`. Several certificates may share a kid (it is truncated); all of
/// them are returned and tried.
#[derive(Debug, Clone, Default)]
pub struct TrustStore {
    by_kid: HashMap<Kid, Vec<Dsc>>,
    len: usize,
}

impl TrustStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a certificate (a duplicate of one already present is ignored).
    pub fn add(&mut self, dsc: Dsc) {
        let list = self.by_kid.entry(dsc.kid).or_default();
        if !list
            .iter()
            .any(|d| d.der == dsc.der && d.spki_der == dsc.spki_der)
        {
            list.push(dsc);
            self.len += 1;
        }
    }

    /// Every trusted DSC with this kid.
    pub fn get(&self, kid: &[u8]) -> &[Dsc] {
        <[u8; 8]>::try_from(kid)
            .ok()
            .and_then(|k| self.by_kid.get(&k))
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    /// Number of certificates.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether the store is empty.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Iterates over every certificate.
    pub fn iter(&self) -> impl Iterator<Item = &Dsc> {
        self.by_kid.values().flatten()
    }
}

impl FromIterator<Dsc> for TrustStore {
    fn from_iter<I: IntoIterator<Item = Dsc>>(iter: I) -> Self {
        let mut store = TrustStore::new();
        for d in iter {
            store.add(d);
        }
        store
    }
}

/// What goes into a generated certificate (see [`build_certificate`]).
#[derive(Debug, Clone)]
pub struct CertificateParams {
    /// Subject country (`C=`), ISO 3166-1 alpha-2.
    pub country: String,
    /// Subject common name (`CN=`).
    pub common_name: String,
    /// `notBefore`, seconds since the epoch.
    pub not_before: i64,
    /// `notAfter`, seconds since the epoch.
    pub not_after: i64,
    /// Certificate types to list in the extended key usage (empty: no EKU extension).
    pub key_usage: Vec<UsageType>,
    /// Serial number (positive, at most 20 bytes); random when `None`.
    pub serial: Option<Vec<u8>>,
    /// Subject organization (`O=`), as national CSCAs expect in a request; none by default.
    pub organization: Option<String>,
}

impl CertificateParams {
    /// A DSC for all three certificate types, valid from now for two years (the governance
    /// recommendation).
    pub fn dsc(country: &str, common_name: &str) -> Self {
        let now = crate::unix_now();
        CertificateParams {
            country: country.to_string(),
            common_name: common_name.to_string(),
            not_before: now - 3600,
            not_after: now + 2 * 365 * 86400,
            key_usage: vec![UsageType::Test, UsageType::Vaccination, UsageType::Recovery],
            serial: None,
            organization: None,
        }
    }
}

fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let len = content.len();
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes: Vec<u8> = len
            .to_be_bytes()
            .into_iter()
            .skip_while(|b| *b == 0)
            .collect();
        out.push(0x80 | bytes.len() as u8);
        out.extend_from_slice(&bytes);
    }
    out.extend_from_slice(content);
    out
}

/// A DER INTEGER from unsigned big-endian bytes (leading zeros dropped, a zero added when the
/// top bit is set).
fn der_uint(bytes: &[u8]) -> Vec<u8> {
    let trimmed: Vec<u8> = bytes.iter().copied().skip_while(|x| *x == 0).collect();
    let mut v = Vec::with_capacity(trimmed.len() + 1);
    if trimmed.first().is_none_or(|x| x & 0x80 != 0) {
        v.push(0);
    }
    v.extend(trimmed);
    tlv(0x02, &v)
}

/// The SubjectPublicKeyInfo (DER) of a P-256 public key given as an uncompressed SEC1 point
/// (`04 || x || y`, 65 bytes), as HSMs report it (CKA_EC_POINT, unwrapped).
pub fn spki_p256(point: &[u8]) -> Result<Vec<u8>, CertificateError> {
    if point.len() != 65 || point[0] != 0x04 {
        return Err(CertificateError::Malformed(
            "not an uncompressed P-256 point (65 bytes starting with 04)".into(),
        ));
    }
    let mut alg = encode_der(&ObjectIdentifier::new_unwrap("1.2.840.10045.2.1"))?;
    alg.extend(encode_der(&ObjectIdentifier::new_unwrap(
        "1.2.840.10045.3.1.7",
    ))?);
    let mut bits = vec![0u8];
    bits.extend_from_slice(point);
    let mut spki = tlv(0x30, &alg);
    spki.extend(tlv(0x03, &bits));
    Ok(tlv(0x30, &spki))
}

/// The SubjectPublicKeyInfo (DER) of an RSA public key given as its modulus and public exponent
/// (unsigned big-endian), as HSMs report them (CKA_MODULUS, CKA_PUBLIC_EXPONENT).
pub fn spki_rsa(modulus: &[u8], exponent: &[u8]) -> Result<Vec<u8>, CertificateError> {
    let mut alg = encode_der(&ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1"))?;
    alg.extend([0x05, 0x00]);
    let mut key = der_uint(modulus);
    key.extend(der_uint(exponent));
    let mut bits = vec![0u8];
    bits.extend(tlv(0x30, &key));
    let mut spki = tlv(0x30, &alg);
    spki.extend(tlv(0x03, &bits));
    Ok(tlv(0x30, &spki))
}

fn encode_der<T: Encode>(v: &T) -> Result<Vec<u8>, CertificateError> {
    v.to_der()
        .map_err(|e| CertificateError::Malformed(format!("encoding: {e}")))
}

fn encode_time(secs: i64) -> Result<Vec<u8>, CertificateError> {
    let d = std::time::Duration::from_secs(u64::try_from(secs).unwrap_or(0));
    // RFC 5280: UTCTime through 2049, GeneralizedTime from 2050.
    if secs < 2_524_608_000 {
        encode_der(
            &der::asn1::UtcTime::from_unix_duration(d)
                .map_err(|e| CertificateError::Malformed(e.to_string()))?,
        )
    } else {
        encode_der(
            &der::asn1::GeneralizedTime::from_unix_duration(d)
                .map_err(|e| CertificateError::Malformed(e.to_string()))?,
        )
    }
}

/// Builds an X.509 v3 certificate for the public key `subject_spki` (SubjectPublicKeyInfo DER),
/// signed by `issuer` (ECDSA P-256 / SHA-256 or RSASSA-PSS / SHA-256, by the signer's
/// algorithm: a key in memory, an HSM, any [`crate::Signer`]); self-signed when `issuer` holds
/// the subject's own key. The certificate carries keyUsage digitalSignature and, when
/// `params.key_usage` is non-empty, the HCERT extended key usage OIDs.
pub fn build_certificate(
    params: &CertificateParams,
    subject_spki: &[u8],
    issuer: &dyn crate::Signer,
) -> Result<Dsc, CertificateError> {
    let eku = eku_value(&params.key_usage)?;
    build_with_eku(params, subject_spki, issuer, eku.as_deref())
}

/// The extended key usage extension's value for `types` (`None` when empty).
fn eku_value(types: &[UsageType]) -> Result<Option<Vec<u8>>, CertificateError> {
    if types.is_empty() {
        return Ok(None);
    }
    let mut oids = Vec::new();
    for t in types {
        let oid = KEY_USAGE_OIDS
            .iter()
            .find(|(_, ty)| ty == t)
            .map(|(o, _)| *o)
            .unwrap_or_default();
        let oid =
            ObjectIdentifier::new(oid).map_err(|e| CertificateError::Malformed(e.to_string()))?;
        oids.extend(encode_der(&oid)?);
    }
    Ok(Some(tlv(0x30, &oids)))
}

/// The subject Name: `C`, then `O` when given, then `CN`, one attribute per RDN (the order a
/// parser of "CN=..,O=..,C=.." gives).
fn subject_name(params: &CertificateParams) -> Result<Vec<u8>, CertificateError> {
    if params.country.len() != 2 || !params.country.bytes().all(|b| b.is_ascii_uppercase()) {
        return Err(CertificateError::Malformed(format!(
            "country {:?} must be two upper-case letters",
            params.country
        )));
    }
    if params.common_name.trim().is_empty() {
        return Err(CertificateError::Malformed(
            "the common name is empty".into(),
        ));
    }
    let rdn = |oid: &str, tag: u8, value: &[u8]| -> Result<Vec<u8>, CertificateError> {
        let oid =
            ObjectIdentifier::new(oid).map_err(|e| CertificateError::Malformed(e.to_string()))?;
        let mut atv = encode_der(&oid)?;
        atv.extend(tlv(tag, value));
        Ok(tlv(0x31, &tlv(0x30, &atv)))
    };
    let mut name = rdn("2.5.4.6", 0x13, params.country.as_bytes())?;
    if let Some(o) = params
        .organization
        .as_deref()
        .filter(|o| !o.trim().is_empty())
    {
        name.extend(rdn("2.5.4.10", 0x0C, o.as_bytes())?);
    }
    name.extend(rdn("2.5.4.3", 0x0C, params.common_name.as_bytes())?);
    Ok(tlv(0x30, &name))
}

/// keyUsage (critical, digitalSignature) and, when given, the extended key usage: the
/// extensions of a DSC and of a request for one.
fn dsc_extensions(eku: Option<&[u8]>) -> Result<Vec<u8>, CertificateError> {
    let mut exts = Vec::new();
    // keyUsage (critical): digitalSignature. BIT STRING 03 02 07 80.
    let mut ku = encode_der(&ObjectIdentifier::new_unwrap("2.5.29.15"))?;
    ku.extend_from_slice(&[0x01, 0x01, 0xFF]);
    ku.extend(tlv(0x04, &[0x03, 0x02, 0x07, 0x80]));
    exts.extend(tlv(0x30, &ku));
    if let Some(value) = eku {
        let mut e = encode_der(&OID_EKU)?;
        e.extend(tlv(0x04, value));
        exts.extend(tlv(0x30, &e));
    }
    Ok(tlv(0x30, &exts))
}

/// The AlgorithmIdentifier of `alg`'s X.509 signatures: ecdsa-with-SHA256, or RSASSA-PSS with
/// SHA-256, MGF1-SHA-256 and a 32-byte salt (what PS256 signs).
fn x509_algorithm(alg: crate::Algorithm) -> Result<Vec<u8>, CertificateError> {
    Ok(match alg {
        crate::Algorithm::Es256 => tlv(
            0x30,
            &encode_der(&ObjectIdentifier::new_unwrap("1.2.840.10045.4.3.2"))?,
        ),
        crate::Algorithm::Ps256 => {
            let sha256 = tlv(
                0x30,
                &encode_der(&ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.1"))?,
            );
            let mut mgf1 = encode_der(&ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.8"))?;
            mgf1.extend(&sha256);
            let mut params = tlv(0xA0, &sha256);
            params.extend(tlv(0xA1, &tlv(0x30, &mgf1)));
            params.extend(tlv(0xA2, &[0x02, 0x01, 0x20]));
            let mut id = encode_der(&ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.10"))?;
            id.extend(tlv(0x30, &params));
            tlv(0x30, &id)
        }
    })
}

/// Signs `tbs` for an X.509 structure: the signature as the BIT STRING content (ECDSA as DER
/// `SEQUENCE { r, s }`, RSASSA-PSS as is).
fn x509_signature(signer: &dyn crate::Signer, tbs: &[u8]) -> Result<Vec<u8>, CertificateError> {
    let signing = |e: crate::SignError| CertificateError::Signing(e.to_string());
    let sig = signer.sign(tbs).map_err(signing)?;
    let mut bits = vec![0u8];
    match signer.algorithm() {
        crate::Algorithm::Es256 => {
            // Raw r || s, or DER as JCA, OpenSSL and cloud KMSs answer.
            let sig = if sig.len() == 64 {
                sig
            } else {
                crate::ecdsa_der_to_raw(&sig).map_err(signing)?.to_vec()
            };
            let mut seq = der_uint(&sig[..32]);
            seq.extend(der_uint(&sig[32..]));
            bits.extend(tlv(0x30, &seq));
        }
        crate::Algorithm::Ps256 => bits.extend(sig),
    }
    Ok(tlv(0x03, &bits))
}

/// A PKCS#10 certificate signing request, DER, for the key of `signer` (which must know its
/// public key: [`crate::Signer::public_key_spki`]), with the subject a CSCA expects (`C`,
/// optionally `O`, `CN` from `params`) and an extensionRequest for keyUsage digitalSignature
/// and the HCERT extended key usage OIDs of `params.key_usage`. Signed by the key itself,
/// wherever it lives (memory, HSM). `params`' validity and serial are not part of a request.
pub fn build_csr(
    params: &CertificateParams,
    signer: &dyn crate::Signer,
) -> Result<Vec<u8>, CertificateError> {
    let spki = signer.public_key_spki().ok_or_else(|| {
        CertificateError::Malformed("the signer does not know its public key".into())
    })?;
    let mut attr = encode_der(&ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.14"))?;
    attr.extend(tlv(
        0x31,
        &dsc_extensions(eku_value(&params.key_usage)?.as_deref())?,
    ));
    let mut info = vec![0x02, 0x01, 0x00]; // version 1
    info.extend(subject_name(params)?);
    info.extend(&spki);
    info.extend(tlv(0xA0, &tlv(0x30, &attr)));
    let info = tlv(0x30, &info);
    let mut csr = info.clone();
    csr.extend(x509_algorithm(signer.algorithm())?);
    csr.extend(x509_signature(signer, &info)?);
    Ok(tlv(0x30, &csr))
}

/// A request from [`build_csr`] as PEM (`CERTIFICATE REQUEST`).
pub fn csr_to_pem(der: &[u8]) -> String {
    pem("CERTIFICATE REQUEST", der)
}

/// `der` as PEM with `label`, 64 characters per line.
fn pem(label: &str, der: &[u8]) -> String {
    use base64::Engine;
    let b64 = base64::engine::general_purpose::STANDARD.encode(der);
    let mut out = format!("-----BEGIN {label}-----\n");
    for chunk in b64.as_bytes().chunks(64) {
        out.push_str(std::str::from_utf8(chunk).unwrap_or_default());
        out.push('\n');
    }
    out.push_str(&format!("-----END {label}-----\n"));
    out
}

/// [`build_certificate`] with the extended key usage extension's value given as raw bytes
/// (`None`: no extension), so that tests can build malformed ones.
fn build_with_eku(
    params: &CertificateParams,
    subject_spki: &[u8],
    issuer: &dyn crate::Signer,
    eku_value: Option<&[u8]>,
) -> Result<Dsc, CertificateError> {
    let name = subject_name(params)?;
    let serial = match &params.serial {
        Some(s) => s.clone(),
        None => {
            let mut s = [0u8; 16];
            getrandom::fill(&mut s).map_err(|e| CertificateError::Malformed(e.to_string()))?;
            s[0] &= 0x7F;
            s[0] |= 0x01;
            s.to_vec()
        }
    };
    let algorithm = x509_algorithm(issuer.algorithm())?;
    let mut validity = encode_time(params.not_before)?;
    validity.extend(encode_time(params.not_after)?);

    let mut tbs = Vec::new();
    tbs.extend(tlv(0xA0, &[0x02, 0x01, 0x02])); // version v3
    tbs.extend(tlv(0x02, &serial));
    tbs.extend(&algorithm);
    tbs.extend(&name); // issuer (self-signed DSCs and test CSCAs share the subject form)
    tbs.extend(tlv(0x30, &validity));
    tbs.extend(&name);
    tbs.extend(subject_spki);
    tbs.extend(tlv(0xA3, &dsc_extensions(eku_value)?));
    let tbs = tlv(0x30, &tbs);

    let mut cert = tbs.clone();
    cert.extend(&algorithm);
    cert.extend(x509_signature(issuer, &tbs)?);
    Dsc::from_der(&tlv(0x30, &cert))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::SigningKey;

    const ALL: [UsageType; 3] = [UsageType::Test, UsageType::Vaccination, UsageType::Recovery];

    fn with_eku(eku_value: Option<&[u8]>) -> Dsc {
        let key = SigningKey::generate_p256();
        let params = CertificateParams::dsc("XX", "eku test");
        build_with_eku(&params, &key.public_key_der(), &key, eku_value).unwrap()
    }

    #[test]
    fn key_usage_from_the_extension() {
        let key = SigningKey::generate_p256();
        let mut params = CertificateParams::dsc("XX", "eku test");
        params.key_usage = vec![UsageType::Vaccination, UsageType::Recovery];
        let dsc = build_certificate(&params, &key.public_key_der(), &key).unwrap();
        let expected = KeyUsage::Only([UsageType::Vaccination, UsageType::Recovery].into());
        assert_eq!(dsc.key_usage(), &expected);
        assert!(!dsc.key_usage().allows(UsageType::Test));
        assert!(dsc.key_usage().allows(UsageType::Vaccination));
        assert!(dsc.key_usage().allows(UsageType::Recovery));
        assert_eq!(
            dsc.extended_key_usage_oids(),
            ["1.3.6.1.4.1.1847.2021.1.2", "1.3.6.1.4.1.1847.2021.1.3"]
        );

        params.key_usage.clear();
        let dsc = build_certificate(&params, &key.public_key_der(), &key).unwrap();
        assert_eq!(dsc.key_usage(), &KeyUsage::Any);
    }

    /// An empty SEQUENCE (forbidden by RFC 5280, found in real DSCs) and a sequence of
    /// unrelated OIDs restrict nothing.
    #[test]
    fn empty_or_foreign_eku_allows_any_type() {
        let empty = with_eku(Some(&[0x30, 0x00]));
        assert_eq!(empty.key_usage(), &KeyUsage::Any);
        // id-kp-serverAuth 1.3.6.1.5.5.7.3.1
        let server_auth = [
            0x30, 0x0A, 0x06, 0x08, 0x2B, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x01,
        ];
        let foreign = with_eku(Some(&server_auth));
        assert_eq!(foreign.key_usage(), &KeyUsage::Any);
        assert_eq!(foreign.extended_key_usage_oids(), ["1.3.6.1.5.5.7.3.1"]);
        for t in ALL {
            assert!(empty.key_usage().allows(t));
            assert!(foreign.key_usage().allows(t));
        }
    }

    /// An EKU value that is not a SEQUENCE OF OID fails closed: nothing may be signed.
    #[test]
    fn undecodable_eku_allows_nothing() {
        // The vaccination OID 1.3.6.1.4.1.1847.2021.1.2 as content.
        let oid = [
            0x06, 0x0B, 0x2B, 0x06, 0x01, 0x04, 0x01, 0x8E, 0x37, 0x8F, 0x65, 0x01, 0x02,
        ];
        let mut set_of_oid = vec![0x31, oid.len() as u8]; // a SET, not a SEQUENCE
        set_of_oid.extend_from_slice(&oid);
        let mut seq_of_int = vec![0x30, oid.len() as u8]; // an INTEGER where an OID belongs
        seq_of_int.extend_from_slice(&oid);
        seq_of_int[2] = 0x02;
        let mut trailing = vec![0x30, oid.len() as u8]; // a valid sequence, then garbage
        trailing.extend_from_slice(&oid);
        trailing.push(0x00);
        let bad: [&[u8]; 6] = [
            &[],
            &[0xFF],
            &[0x30, 0x05, 0x06],
            &set_of_oid,
            &seq_of_int,
            &trailing,
        ];
        // The well-formed sequence decodes to the vaccination restriction.
        let mut good = vec![0x30, oid.len() as u8];
        good.extend_from_slice(&oid);
        assert_eq!(
            with_eku(Some(&good)).key_usage(),
            &KeyUsage::Only([UsageType::Vaccination].into())
        );
        for value in bad {
            let dsc = with_eku(Some(value));
            assert_eq!(dsc.key_usage(), &KeyUsage::Undecodable, "{value:02X?}");
            for t in ALL {
                assert!(!dsc.key_usage().allows(t), "{value:02X?} allows {t:?}");
            }
            // The certificate still loads from its DER the same way.
            let again = Dsc::from_der(dsc.der()).unwrap();
            assert_eq!(again.key_usage(), &KeyUsage::Undecodable);
        }
    }

    #[test]
    fn certificate_requests_carry_subject_key_and_requested_oids() {
        use der::Decode;
        let key = SigningKey::generate_p256();
        let mut params = CertificateParams::dsc("DE", "DSC 1");
        params.organization = Some("Example".into());
        params.key_usage = vec![UsageType::Vaccination];
        let der_bytes = build_csr(&params, &key).unwrap();
        let req = x509_cert::request::CertReq::from_der(&der_bytes).unwrap();
        assert_eq!(req.info.subject.to_string(), "CN=DSC 1,O=Example,C=DE");
        assert_eq!(
            der::Encode::to_der(&req.info.public_key).unwrap(),
            key.public_key_der()
        );
        assert_eq!(req.info.attributes.len(), 1);
        // The requested OID is in the request, the others are not.
        let hay = hex_upper(&der_bytes);
        let oid = |o: &str| hex_upper(&ObjectIdentifier::new_unwrap(o).to_der().unwrap());
        assert!(hay.contains(&oid("1.3.6.1.4.1.1847.2021.1.2")));
        assert!(!hay.contains(&oid("1.3.6.1.4.1.1847.2021.1.1")));
        assert!(csr_to_pem(&der_bytes).starts_with("-----BEGIN CERTIFICATE REQUEST-----\n"));
        // A bad subject is refused.
        params.country = "Germany".into();
        assert!(build_csr(&params, &key).is_err());
    }

    #[test]
    fn public_key_der_is_the_certificate_spki() {
        let key = SigningKey::generate_p256();
        let spki = key.public_key_der();
        assert!(!spki.is_empty());
        let dsc = build_certificate(&CertificateParams::dsc("XX", "spki"), &spki, &key).unwrap();
        assert_eq!(dsc.public_key_der(), Some(spki.clone()));
        let again = Dsc::from_der(dsc.der()).unwrap();
        assert_eq!(again.public_key_der(), Some(spki));
        assert_eq!(again.public_key().describe(), "P-256");
    }

    /// An SPKI that cannot be encoded, or encodes to nothing, is no key: `None`, never empty.
    #[test]
    fn unencodable_spki_is_none() {
        assert_eq!(nonempty_der(Err(der::ErrorKind::Failed.into())), None);
        assert_eq!(nonempty_der(Ok(Vec::new())), None);
        assert_eq!(nonempty_der(Ok(vec![0x30, 0x00])), Some(vec![0x30, 0x00]));
    }
}
