//! Signature primitives for trust lists: the schemes national lists are signed with, the
//! pinned anchors they are checked against, and the X.509 structure needed to check the
//! certificate chains that sign them.
//!
//! | list | signed with |
//! |---|---|
//! | German DSC list | ECDSA P-256 / SHA-256, raw `r‖s`, pinned public key |
//! | Austrian trust list | COSE_Sign1 (ES256) over a CWT that holds the content's SHA-256 |
//! | Swiss key list | JWS RS256 (RSA PKCS#1 v1.5 / SHA-256), `x5c` chain to a pinned root |

use crate::VerifyError;
use crate::dsc::{Dsc, PublicKey};

/// A signature scheme used by trust lists and certificate chains.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum SignatureScheme {
    /// ECDSA P-256 with SHA-256, signature as raw `r‖s` (64 bytes): COSE ES256, JWS ES256,
    /// the German list.
    EcdsaP256Sha256Raw,
    /// ECDSA P-256 with SHA-256, signature DER-encoded (X.509, CMS).
    EcdsaP256Sha256Der,
    /// RSA PKCS#1 v1.5 with SHA-256 (JWS RS256, `sha256WithRSAEncryption`).
    RsaPkcs1Sha256,
    /// RSA-PSS with SHA-256 and a 32-byte salt (COSE PS256).
    RsaPssSha256,
}

impl SignatureScheme {
    /// A readable name, e.g. `ECDSA P-256/SHA-256`.
    pub fn name(self) -> &'static str {
        match self {
            SignatureScheme::EcdsaP256Sha256Raw | SignatureScheme::EcdsaP256Sha256Der => {
                "ECDSA P-256/SHA-256"
            }
            SignatureScheme::RsaPkcs1Sha256 => "RSA PKCS#1 v1.5/SHA-256",
            SignatureScheme::RsaPssSha256 => "RSA-PSS/SHA-256",
        }
    }

    /// The scheme of an X.509 `signatureAlgorithm` OID, when supported.
    pub fn from_x509_oid(oid: &str) -> Option<Self> {
        match oid {
            "1.2.840.10045.4.3.2" => Some(SignatureScheme::EcdsaP256Sha256Der),
            "1.2.840.113549.1.1.11" => Some(SignatureScheme::RsaPkcs1Sha256),
            "1.2.840.113549.1.1.10" => Some(SignatureScheme::RsaPssSha256),
            _ => None,
        }
    }
}

impl PublicKey {
    /// Verifies `sig` over `msg` with this key under `scheme`. A scheme that does not fit the
    /// key is [`VerifyError::AlgorithmKeyMismatch`]; anything else that does not verify is
    /// [`VerifyError::InvalidSignature`].
    pub fn verify(
        &self,
        scheme: SignatureScheme,
        msg: &[u8],
        sig: &[u8],
    ) -> Result<(), VerifyError> {
        use signature::Verifier;
        match (scheme, self) {
            (SignatureScheme::EcdsaP256Sha256Raw, PublicKey::P256(_)) => {
                crate::sign1::verify_signature(crate::Algorithm::Es256, self, msg, sig)
            }
            (SignatureScheme::EcdsaP256Sha256Der, PublicKey::P256(k)) => {
                let sig = p256::ecdsa::Signature::from_der(sig)
                    .map_err(|_| VerifyError::InvalidSignature)?;
                k.verify(msg, &sig)
                    .map_err(|_| VerifyError::InvalidSignature)
            }
            (SignatureScheme::RsaPssSha256, PublicKey::Rsa(_)) => {
                crate::sign1::verify_signature(crate::Algorithm::Ps256, self, msg, sig)
            }
            (SignatureScheme::RsaPkcs1Sha256, PublicKey::Rsa(k)) => {
                let vk = rsa::pkcs1v15::VerifyingKey::<sha2::Sha256>::new(k.clone());
                let sig = rsa::pkcs1v15::Signature::try_from(sig)
                    .map_err(|_| VerifyError::InvalidSignature)?;
                vk.verify(msg, &sig)
                    .map_err(|_| VerifyError::InvalidSignature)
            }
            (scheme, key) => Err(VerifyError::AlgorithmKeyMismatch {
                alg: scheme.name().to_string(),
                key: key.describe(),
            }),
        }
    }
}

/// A pinned trust anchor: the public key a trust list's signature (or its signing chain) must
/// verify with.
#[derive(Debug, Clone)]
pub struct Anchor {
    key: PublicKey,
    certificate: Option<Dsc>,
}

impl Anchor {
    /// Reads an anchor from a PEM `PUBLIC KEY` or `CERTIFICATE` block, or DER of either.
    pub fn parse(input: &[u8]) -> Result<Self, crate::CertificateError> {
        use crate::CertificateError as E;
        if input.iter().all(u8::is_ascii_whitespace) {
            return Err(E::Empty);
        }
        let der = match std::str::from_utf8(input) {
            Ok(text) if text.contains("-----BEGIN") => {
                let (label, der) = crate::keys::pem_block(text, |l| {
                    matches!(l, "PUBLIC KEY" | "CERTIFICATE" | "X509 CERTIFICATE")
                })
                .map_err(|found| match found {
                    Some(l) if l.ends_with("PRIVATE KEY") => E::IsPrivateKey,
                    Some(l) => E::Malformed(format!("unexpected PEM block {l:?} for an anchor")),
                    None => E::Malformed("no PEM block".into()),
                })?;
                if label == "PUBLIC KEY" {
                    return Self::from_spki(&der);
                }
                der
            }
            _ => input.to_vec(),
        };
        match Dsc::from_der(&der) {
            Ok(cert) => Ok(Anchor {
                key: cert.public_key().clone(),
                certificate: Some(cert),
            }),
            Err(E::IsPrivateKey) => Err(E::IsPrivateKey),
            Err(cert_err) => Self::from_spki(&der).map_err(|_| cert_err),
        }
    }

    fn from_spki(der: &[u8]) -> Result<Self, crate::CertificateError> {
        match PublicKey::from_spki(der) {
            PublicKey::Unsupported(why) => Err(crate::CertificateError::Malformed(format!(
                "anchor public key: {why}"
            ))),
            key => Ok(Anchor {
                key,
                certificate: None,
            }),
        }
    }

    /// The anchor's public key.
    pub fn key(&self) -> &PublicKey {
        &self.key
    }

    /// The anchor certificate, when the anchor was given as one.
    pub fn certificate(&self) -> Option<&Dsc> {
        self.certificate.as_ref()
    }

    /// A short description: the certificate's subject, or the key type.
    pub fn describe(&self) -> String {
        match &self.certificate {
            Some(c) => c.subject().to_string(),
            None => format!("{} public key", self.key.describe()),
        }
    }
}

/// Splits a DER certificate into its to-be-signed bytes (exactly as encoded), its
/// signature algorithm OID and its signature bits. `None` when it is not a
/// `SEQUENCE { tbs, AlgorithmIdentifier, BIT STRING }`.
pub fn split_certificate(der: &[u8]) -> Option<(&[u8], String, &[u8])> {
    let (outer, _) = tlv(der, 0x30)?;
    let (_, after_tbs) = tlv(outer, 0x30)?;
    let tbs = &outer[..outer.len() - after_tbs.len()];
    let (alg, after_alg) = tlv(after_tbs, 0x30)?;
    let (oid, _) = tlv(alg, 0x06)?;
    let oid = der::asn1::ObjectIdentifier::from_bytes(oid)
        .ok()?
        .to_string();
    let (bits, _) = tlv(after_alg, 0x03)?;
    let (unused, sig) = bits.split_first()?;
    (*unused == 0).then_some((tbs, oid, sig))
}

/// One DER TLV with tag `tag` at the start of `input`: its content and what follows it.
fn tlv(input: &[u8], tag: u8) -> Option<(&[u8], &[u8])> {
    let (&t, rest) = input.split_first()?;
    if t != tag {
        return None;
    }
    let (&first, rest) = rest.split_first()?;
    let (len, rest) = if first < 0x80 {
        (usize::from(first), rest)
    } else {
        let n = usize::from(first & 0x7f);
        if n == 0 || n > 4 || rest.len() < n {
            return None;
        }
        let len = rest[..n]
            .iter()
            .fold(0usize, |acc, b| (acc << 8) | usize::from(*b));
        (len, &rest[n..])
    };
    (rest.len() >= len).then(|| rest.split_at(len))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tlv_refuses_truncated_and_wrong_tags() {
        assert!(tlv(&[], 0x30).is_none());
        assert!(tlv(&[0x30], 0x30).is_none());
        assert!(tlv(&[0x30, 0x05, 1, 2], 0x30).is_none());
        assert!(tlv(&[0x31, 0x00], 0x30).is_none());
        assert!(tlv(&[0x30, 0x80], 0x30).is_none());
        assert_eq!(
            tlv(&[0x30, 0x01, 7, 9], 0x30),
            Some((&[7u8][..], &[9u8][..]))
        );
        assert!(split_certificate(b"not a certificate").is_none());
    }
}
