//! Signing keys and the [`Signer`] trait.

use std::fmt;

use der::{Decode, asn1::ObjectIdentifier};
use p256::ecdsa::{self, signature::Signer as _};
use rsa::{pkcs1::DecodeRsaPrivateKey, pkcs8::DecodePrivateKey, traits::PublicKeyParts};
use sha2::Sha256;
use signature::RandomizedSigner as _;

use crate::{KeyError, SignError};

/// The two HCERT signature algorithms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Algorithm {
    /// ECDSA with P-256 and SHA-256 (COSE -7), the primary algorithm.
    Es256,
    /// RSASSA-PSS with SHA-256, MGF1-SHA-256, salt length 32 (COSE -37), the fallback.
    Ps256,
}

impl Algorithm {
    /// The COSE algorithm identifier.
    pub fn cose_id(self) -> i64 {
        match self {
            Algorithm::Es256 => -7,
            Algorithm::Ps256 => -37,
        }
    }

    /// The algorithm for a COSE identifier, if supported.
    pub fn from_cose_id(id: i64) -> Option<Self> {
        match id {
            -7 => Some(Algorithm::Es256),
            -37 => Some(Algorithm::Ps256),
            _ => None,
        }
    }

    /// The JOSE/COSE name: `ES256` or `PS256`.
    pub fn name(self) -> &'static str {
        match self {
            Algorithm::Es256 => "ES256",
            Algorithm::Ps256 => "PS256",
        }
    }
}

impl fmt::Display for Algorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Anything that can sign the COSE `Sig_structure`: a key in memory, an HSM, a remote KMS.
///
/// `sign` receives the full to-be-signed bytes (the CBOR `Sig_structure`) and hashes them itself.
/// For ES256 it returns the raw `r || s` signature (64 bytes); an HSM that returns ASN.1 DER can
/// convert with [`ecdsa_der_to_raw`]. For PS256 it returns the RSASSA-PSS signature (salt 32).
pub trait Signer: Send + Sync {
    /// The algorithm this signer uses.
    fn algorithm(&self) -> Algorithm;
    /// Signs the to-be-signed bytes.
    fn sign(&self, tbs: &[u8]) -> Result<Vec<u8>, SignError>;
    /// The SubjectPublicKeyInfo (DER) of the signing key, when the signer knows it; used to
    /// check that the key matches its certificate.
    fn public_key_spki(&self) -> Option<Vec<u8>> {
        None
    }
}

enum KeyInner {
    Es256 {
        key: ecdsa::SigningKey,
        /// Hedged signing through ring, set up on the first signature; `None` when signing
        /// deterministically (always without the `ring` feature).
        hedged: Option<Hedged>,
    },
    Ps256(rsa::pss::SigningKey<Sha256>),
}

/// The key in ring's form, made on first use: a key that is only exported (keygen) or switched
/// to RFC 6979 never gets a second copy of its scalar.
#[cfg(feature = "ring")]
#[derive(Default)]
struct Hedged(std::sync::OnceLock<Option<ring::signature::EcdsaKeyPair>>);

#[cfg(not(feature = "ring"))]
enum Hedged {}

impl Hedged {
    #[cfg(feature = "ring")]
    fn new() -> Option<Self> {
        Some(Hedged::default())
    }

    #[cfg(not(feature = "ring"))]
    fn new() -> Option<Self> {
        None
    }

    #[cfg(feature = "ring")]
    fn sign(&self, key: &ecdsa::SigningKey, tbs: &[u8]) -> Result<Vec<u8>, SignError> {
        let pair = self.0.get_or_init(|| {
            use zeroize::Zeroize as _;
            let mut secret = key.to_bytes();
            let public = key.verifying_key().to_sec1_point(false);
            let pair = ring::signature::EcdsaKeyPair::from_private_key_and_public_key(
                &ring::signature::ECDSA_P256_SHA256_FIXED_SIGNING,
                secret.as_slice(),
                public.as_bytes(),
                &ring::rand::SystemRandom::new(),
            );
            secret.as_mut_slice().zeroize();
            pair.ok()
        });
        // No silent switch to another nonce scheme: a key ring refuses (or a system without
        // randomness) is an error.
        let pair = pair.as_ref().ok_or_else(|| {
            SignError::Signer("the P-256 key could not be prepared for hedged ES256 signing".into())
        })?;
        pair.sign(&ring::rand::SystemRandom::new(), tbs)
            .map(|sig| sig.as_ref().to_vec())
            .map_err(|_| SignError::Signer("ECDSA signing failed".into()))
    }

    #[cfg(not(feature = "ring"))]
    fn sign(&self, _key: &ecdsa::SigningKey, _tbs: &[u8]) -> Result<Vec<u8>, SignError> {
        match *self {}
    }
}

/// A private key held in memory: P-256 for ES256 or RSA for PS256. `Debug` shows the algorithm
/// only, never key material.
///
/// With the `ring` feature (on by default) ES256 signatures are hedged: ring's assembly P-256
/// with a nonce from the key, the message and fresh randomness (about 5x faster than the
/// portable code). [`SigningKey::deterministic`] switches to RFC 6979 nonces, so the same input
/// always gives the same bytes (for golden tests); without the `ring` feature (the WebAssembly
/// build) ES256 is always RFC 6979.
///
/// The p256 key zeroizes its scalar on drop; ring's copy (made on the first hedged signature)
/// does not. Keep signing keys in long-lived objects (an `Issuer`), or use an HSM through
/// [`Signer`] where that matters.
pub struct SigningKey {
    inner: KeyInner,
}

impl fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SigningKey")
            .field("algorithm", &self.algorithm())
            .field("deterministic", &self.is_deterministic())
            .finish_non_exhaustive()
    }
}

const OID_EC_PUBLIC_KEY: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");
const OID_P256: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.3.1.7");
const OID_RSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");
const OID_RSA_PSS: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.10");

/// RSA modulus sizes the HCERT governance allows for PS256 (2048 to 3072 bits; 4096 tolerated).
const RSA_BITS: std::ops::RangeInclusive<usize> = 2048..=4096;

impl SigningKey {
    /// Wraps a P-256 key for ES256.
    pub fn from_p256(key: ecdsa::SigningKey) -> Self {
        SigningKey {
            inner: KeyInner::Es256 {
                key,
                hedged: Hedged::new(),
            },
        }
    }

    /// The same key signing ES256 with deterministic RFC 6979 nonces: equal inputs give equal
    /// signatures. Slower than the default with the `ring` feature; PS256 keys are unchanged (PSS
    /// salts are always random).
    #[must_use]
    pub fn deterministic(self) -> Self {
        match self.inner {
            KeyInner::Es256 { key, .. } => SigningKey {
                inner: KeyInner::Es256 { key, hedged: None },
            },
            other => SigningKey { inner: other },
        }
    }

    /// True when equal inputs give equal signatures (ES256 with RFC 6979 nonces).
    pub fn is_deterministic(&self) -> bool {
        matches!(self.inner, KeyInner::Es256 { hedged: None, .. })
    }

    /// Generates a fresh P-256 key from the operating system's random source.
    pub fn generate_p256() -> Self {
        use rsa::Generate;
        Self::from_p256(ecdsa::SigningKey::generate_from_rng(
            &mut rand_core::UnwrapErr(getrandom::SysRng),
        ))
    }

    /// Wraps an RSA key for PS256 (salt length 32).
    pub fn from_rsa(key: rsa::PrivateKey) -> Result<Self, KeyError> {
        let bits = key.n().bit_width() as usize;
        if !RSA_BITS.contains(&bits) {
            return Err(KeyError::Unsupported(format!(
                "RSA key of {bits} bits (2048-4096 allowed)"
            )));
        }
        Ok(SigningKey {
            inner: KeyInner::Ps256(rsa::pss::SigningKey::new_with_salt_len(key, 32)),
        })
    }

    /// Loads a private key from PEM (`PRIVATE KEY` = PKCS#8, `EC PRIVATE KEY` = SEC1,
    /// `RSA PRIVATE KEY` = PKCS#1) or from DER (PKCS#8, SEC1 or PKCS#1).
    pub fn from_pem(input: impl AsRef<[u8]>) -> Result<Self, KeyError> {
        let input = input.as_ref();
        if input.iter().all(u8::is_ascii_whitespace) {
            return Err(KeyError::Empty);
        }
        let text = std::str::from_utf8(input)
            .ok()
            .filter(|t| t.contains("-----BEGIN"));
        let Some(text) = text else {
            return Self::from_der(input);
        };
        let (label, der) = pem_block(text, |l| l.ends_with("PRIVATE KEY")).map_err(|found| {
            match found.as_deref() {
                Some("CERTIFICATE") | Some("X509 CERTIFICATE") | Some("TRUSTED CERTIFICATE") => {
                    KeyError::IsCertificate
                }
                Some("PUBLIC KEY") | Some("RSA PUBLIC KEY") | Some("EC PUBLIC KEY") => {
                    KeyError::IsPublicKey
                }
                Some(other) => KeyError::Malformed(format!("unexpected PEM block {other:?}")),
                None => KeyError::Malformed("no PEM block found".into()),
            }
        })?;
        match label.as_str() {
            "PRIVATE KEY" => Self::from_pkcs8_der(&der),
            "EC PRIVATE KEY" => Self::from_sec1_der(&der),
            "RSA PRIVATE KEY" => Self::from_pkcs1_der(&der),
            "ENCRYPTED PRIVATE KEY" => Err(KeyError::Unsupported(
                "encrypted private keys; decrypt it first".into(),
            )),
            other => Err(KeyError::Unsupported(format!("PEM block {other:?}"))),
        }
    }

    /// Loads a private key from DER, trying PKCS#8, then SEC1, then PKCS#1.
    pub fn from_der(der: &[u8]) -> Result<Self, KeyError> {
        if der.is_empty() {
            return Err(KeyError::Empty);
        }
        if looks_like_certificate(der) {
            return Err(KeyError::IsCertificate);
        }
        match Self::from_pkcs8_der(der) {
            Err(KeyError::Malformed(e)) => Self::from_sec1_der(der)
                .or_else(|_| Self::from_pkcs1_der(der))
                .map_err(|_| KeyError::Malformed(e)),
            other => other,
        }
    }

    fn from_pkcs8_der(der: &[u8]) -> Result<Self, KeyError> {
        let info = pkcs8::PrivateKeyInfoRef::from_der(der)
            .map_err(|e| KeyError::Malformed(format!("PKCS#8: {e}")))?;
        let oid = info.algorithm.oid;
        if oid == OID_EC_PUBLIC_KEY {
            let curve = info.algorithm.parameters_oid().ok();
            if curve != Some(OID_P256) {
                return Err(KeyError::Unsupported(format!(
                    "EC key on curve {}; ES256 needs P-256",
                    curve
                        .map(|c| c.to_string())
                        .unwrap_or_else(|| "(none)".into())
                )));
            }
            ecdsa::SigningKey::from_pkcs8_der(der)
                .map(Self::from_p256)
                .map_err(|e| KeyError::Malformed(format!("P-256 key: {e}")))
        } else if oid == OID_RSA || oid == OID_RSA_PSS {
            let key = rsa::PrivateKey::from_pkcs1_der(info.private_key.as_bytes())
                .map_err(|e| KeyError::Malformed(format!("RSA key: {e}")))?;
            Self::from_rsa(key)
        } else {
            Err(KeyError::Unsupported(format!("key algorithm {oid}")))
        }
    }

    fn from_sec1_der(der: &[u8]) -> Result<Self, KeyError> {
        let key = p256::SecretKey::from_sec1_der(der)
            .map_err(|e| KeyError::Malformed(format!("SEC1 EC key (P-256 expected): {e}")))?;
        Ok(Self::from_p256(key.into()))
    }

    fn from_pkcs1_der(der: &[u8]) -> Result<Self, KeyError> {
        let key = rsa::PrivateKey::from_pkcs1_der(der)
            .map_err(|e| KeyError::Malformed(format!("PKCS#1 RSA key: {e}")))?;
        Self::from_rsa(key)
    }

    /// The key as PKCS#8 PEM. Handle the result as a secret.
    pub fn to_pkcs8_pem(&self) -> Result<String, KeyError> {
        use pkcs8::{EncodePrivateKey, LineEnding};
        let doc = match &self.inner {
            KeyInner::Es256 { key: k, .. } => k.to_pkcs8_pem(LineEnding::LF),
            KeyInner::Ps256(k) => k.to_pkcs8_pem(LineEnding::LF),
        };
        doc.map(|z| z.to_string())
            .map_err(|e| KeyError::Malformed(e.to_string()))
    }

    /// The public key as SubjectPublicKeyInfo DER.
    pub fn public_key_der(&self) -> Vec<u8> {
        use spki::EncodePublicKey;
        let doc = match &self.inner {
            KeyInner::Es256 { key: k, .. } => k.verifying_key().to_public_key_der(),
            KeyInner::Ps256(k) => rsa::PublicKey::from(k.as_ref()).to_public_key_der(),
        };
        doc.map(|d| d.into_vec()).unwrap_or_default()
    }

    /// The P-256 key, for ES256 keys.
    pub fn as_p256(&self) -> Option<&ecdsa::SigningKey> {
        match &self.inner {
            KeyInner::Es256 { key, .. } => Some(key),
            KeyInner::Ps256(_) => None,
        }
    }
}

impl Signer for SigningKey {
    fn algorithm(&self) -> Algorithm {
        match self.inner {
            KeyInner::Es256 { .. } => Algorithm::Es256,
            KeyInner::Ps256(_) => Algorithm::Ps256,
        }
    }

    fn sign(&self, tbs: &[u8]) -> Result<Vec<u8>, SignError> {
        match &self.inner {
            KeyInner::Es256 {
                key,
                hedged: Some(hedged),
            } => hedged.sign(key, tbs),
            KeyInner::Es256 { key, hedged: None } => {
                let sig: ecdsa::Signature = key
                    .try_sign(tbs)
                    .map_err(|_| SignError::Signer("ECDSA signing failed".into()))?;
                Ok(sig.to_bytes().to_vec())
            }
            KeyInner::Ps256(k) => {
                let sig = k
                    .try_sign_with_rng(&mut getrandom::SysRng, tbs)
                    .map_err(|_| SignError::Signer("RSA-PSS signing failed".into()))?;
                Ok(Box::<[u8]>::from(sig).into_vec())
            }
        }
    }

    fn public_key_spki(&self) -> Option<Vec<u8>> {
        Some(self.public_key_der())
    }
}

/// Converts an ASN.1 DER ECDSA P-256 signature (as JCA, OpenSSL and most HSMs return) to the raw
/// 64-byte `r || s` form COSE requires.
pub fn ecdsa_der_to_raw(der: &[u8]) -> Result<[u8; 64], SignError> {
    let sig = ecdsa::Signature::from_der(der)
        .map_err(|_| SignError::BadSignature("not a DER ECDSA P-256 signature".into()))?;
    let mut out = [0u8; 64];
    out.copy_from_slice(&sig.to_bytes());
    Ok(out)
}

/// Finds the first PEM block whose label satisfies `want`. On failure returns the label of the
/// first block found, if any.
pub(crate) fn pem_block(
    text: &str,
    want: impl Fn(&str) -> bool,
) -> Result<(String, Vec<u8>), Option<String>> {
    let mut first = None;
    let mut rest = text;
    while let Some(start) = rest.find("-----BEGIN ") {
        let after = &rest[start + 11..];
        let Some(end_label) = after.find("-----") else {
            break;
        };
        let label = after[..end_label].to_string();
        let end_marker = format!("-----END {label}-----");
        let Some(end) = rest[start..].find(&end_marker) else {
            break;
        };
        let block = &rest[start..start + end + end_marker.len()];
        if want(&label) {
            return match der::pem::decode_vec(block.as_bytes()) {
                Ok((_, der)) => Ok((label, der)),
                Err(_) => decode_pem_loose(block, &label)
                    .map(|d| (label.clone(), d))
                    .ok_or(Some(label)),
            };
        }
        first.get_or_insert(label);
        rest = &rest[start + end + end_marker.len()..];
    }
    Err(first)
}

/// Base64 body of a PEM block, tolerating headers, CRLF and odd line lengths.
fn decode_pem_loose(block: &str, label: &str) -> Option<Vec<u8>> {
    use base64::Engine;
    let body: String = block
        .lines()
        .filter(|l| !l.starts_with("-----") && !l.contains(':'))
        .flat_map(|l| l.chars().filter(|c| !c.is_whitespace()))
        .collect();
    let _ = label;
    base64::engine::general_purpose::STANDARD.decode(body).ok()
}

/// A DER certificate starts SEQUENCE { SEQUENCE (tbs) { [0] version ... } }.
pub(crate) fn looks_like_certificate(der: &[u8]) -> bool {
    x509_cert::Certificate::from_der(der).is_ok()
}

/// Whether DER bytes parse as a PKCS#8, SEC1 or PKCS#1 private key.
pub(crate) fn looks_like_private_key(der: &[u8]) -> bool {
    pkcs8::PrivateKeyInfoRef::from_der(der).is_ok()
        || p256::SecretKey::from_sec1_der(der).is_ok()
        || rsa::PrivateKey::from_pkcs1_der(der).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn es256_default_is_hedged_and_verifies() {
        use p256::ecdsa::signature::Verifier as _;
        let key = SigningKey::generate_p256();
        let vk = *key.as_p256().unwrap().verifying_key();
        let a = key.sign(b"hello").unwrap();
        let b = key.sign(b"hello").unwrap();
        for sig in [&a, &b] {
            let sig = ecdsa::Signature::from_slice(sig).unwrap();
            vk.verify(b"hello", &sig).unwrap();
        }
        #[cfg(feature = "ring")]
        {
            assert!(!key.is_deterministic());
            assert_ne!(a, b, "fresh randomness in every nonce");
        }
        let det = key.deterministic();
        assert!(det.is_deterministic());
        let c = det.sign(b"hello").unwrap();
        vk.verify(b"hello", &ecdsa::Signature::from_slice(&c).unwrap())
            .unwrap();
        assert_eq!(
            format!("{det:?}"),
            "SigningKey { algorithm: Es256, deterministic: true, .. }"
        );
    }

    #[test]
    fn es256_is_deterministic_and_raw() {
        let key = SigningKey::generate_p256().deterministic();
        let a = key.sign(b"hello").unwrap();
        assert_eq!(a.len(), 64);
        assert_eq!(a, key.sign(b"hello").unwrap());
        let pem = key.to_pkcs8_pem().unwrap();
        let again = SigningKey::from_pem(&pem).unwrap().deterministic();
        assert_eq!(again.sign(b"hello").unwrap(), a);
        assert!(!format!("{key:?}").contains(&pem[30..60]));
        assert_eq!(
            format!("{key:?}"),
            "SigningKey { algorithm: Es256, deterministic: true, .. }"
        );
    }

    #[test]
    fn der_conversion() {
        let key = SigningKey::generate_p256();
        let raw = key.sign(b"x").unwrap();
        let sig = ecdsa::Signature::from_slice(&raw).unwrap();
        let der = sig.to_der();
        assert_eq!(ecdsa_der_to_raw(der.as_bytes()).unwrap().to_vec(), raw);
        assert!(ecdsa_der_to_raw(&raw).is_err());
    }

    #[test]
    fn key_errors() {
        assert_eq!(SigningKey::from_pem("").unwrap_err(), KeyError::Empty);
        assert!(matches!(
            SigningKey::from_pem("garbage").unwrap_err(),
            KeyError::Malformed(_)
        ));
        assert!(matches!(
            SigningKey::from_pem("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"),
            Err(KeyError::IsCertificate)
        ));
        assert!(matches!(
            SigningKey::from_pem("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n"),
            Err(KeyError::IsPublicKey)
        ));
        assert!(matches!(
            SigningKey::from_pem("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"),
            Err(KeyError::Malformed(_))
        ));
    }
}
