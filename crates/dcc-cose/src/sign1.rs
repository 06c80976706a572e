//! COSE_Sign1 (RFC 9052 section 4.2) as HCERT uses it.
//!
//! ```text
//! COSE_Sign1_Tagged = #6.18(COSE_Sign1)     ; issued form; CWT tag 61 around it is accepted
//! COSE_Sign1 = [
//!     protected   : bstr .cbor { 1: alg, 4: kid },   ; kid = SHA-256(DSC DER)[0..8]
//!     unprotected : { * label => values },           ; kid / alg may sit here instead
//!     payload     : bstr .cbor CWT claims,
//!     signature   : bstr                             ; ES256: raw r || s, 64 bytes
//! ]
//! Sig_structure = ["Signature1", protected (as received), h'', payload]
//! ```

use ciborium::Value;
use coset::{
    AsCborValue, CoseSign1, CoseSign1Builder, HeaderBuilder, RegisteredLabelWithPrivate,
    TaggedCborSerializable, iana,
};

use crate::{
    Algorithm, DecodeError, SignError, Signer, VerifyError,
    dsc::{Dsc, PublicKey, TrustStore},
};

/// CBOR tag of COSE_Sign1.
pub const TAG_COSE_SIGN1: u64 = 18;
/// CBOR tag of a CWT.
pub const TAG_CWT: u64 = 61;

/// A decoded, not yet verified COSE_Sign1.
#[derive(Debug, Clone)]
pub struct DecodedSign1 {
    inner: CoseSign1,
    payload: Vec<u8>,
    tags: Vec<u64>,
}

/// The algorithm found in the headers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HeaderAlgorithm {
    /// ES256 or PS256.
    Supported(Algorithm),
    /// Anything else, described.
    Other(String),
}

impl DecodedSign1 {
    /// Decodes COSE_Sign1 bytes: untagged, tag 18, or tag 61 around tag 18. The structure must
    /// span all of `bytes`: anything after it is [`DecodeError::TrailingBytes`].
    pub fn from_slice(bytes: &[u8]) -> Result<Self, DecodeError> {
        let mut rest = bytes;
        let value: Value =
            ciborium::from_reader(&mut rest).map_err(|e| DecodeError::Cbor(e.into()))?;
        if !rest.is_empty() {
            return Err(DecodeError::TrailingBytes { count: rest.len() });
        }
        let mut tags = Vec::new();
        let mut value = value;
        while let Value::Tag(tag, inner) = value {
            tags.push(tag);
            value = *inner;
        }
        match tags.as_slice() {
            [] | [TAG_COSE_SIGN1] | [TAG_CWT, TAG_COSE_SIGN1] | [TAG_CWT] => {}
            [.., other] => return Err(DecodeError::UnexpectedTag(*other)),
        }
        let inner =
            CoseSign1::from_cbor_value(value).map_err(|e| DecodeError::NotSign1(e.into()))?;
        let payload = inner.payload.clone().ok_or(DecodeError::DetachedPayload)?;
        Ok(DecodedSign1 {
            inner,
            payload,
            tags,
        })
    }

    /// The CBOR tags found around the structure, outermost first.
    pub fn tags(&self) -> &[u64] {
        &self.tags
    }

    /// The payload bytes (CBOR CWT claims).
    pub fn payload(&self) -> &[u8] {
        &self.payload
    }

    /// The signature bytes.
    pub fn signature(&self) -> &[u8] {
        &self.inner.signature
    }

    /// The protected header bytes exactly as received.
    pub fn protected_bytes(&self) -> &[u8] {
        self.inner.protected.original_data.as_deref().unwrap_or(&[])
    }

    /// The `kid`: from the protected header, else from the unprotected one.
    pub fn kid(&self) -> Option<&[u8]> {
        let p = &self.inner.protected.header.key_id;
        let u = &self.inner.unprotected.key_id;
        if !p.is_empty() {
            Some(p)
        } else if !u.is_empty() {
            Some(u)
        } else {
            None
        }
    }

    /// The algorithm: from the protected header, else from the unprotected one.
    pub fn algorithm(&self) -> Option<HeaderAlgorithm> {
        let alg = self.inner.protected.header.alg.as_ref().or(self
            .inner
            .unprotected
            .alg
            .as_ref())?;
        Some(match alg {
            RegisteredLabelWithPrivate::Assigned(iana::Algorithm::ES256) => {
                HeaderAlgorithm::Supported(Algorithm::Es256)
            }
            RegisteredLabelWithPrivate::Assigned(iana::Algorithm::PS256) => {
                HeaderAlgorithm::Supported(Algorithm::Ps256)
            }
            RegisteredLabelWithPrivate::Assigned(a) => {
                HeaderAlgorithm::Other(format!("{a:?} ({})", *a as i64))
            }
            RegisteredLabelWithPrivate::PrivateUse(i) => HeaderAlgorithm::Other(i.to_string()),
            RegisteredLabelWithPrivate::Text(t) => HeaderAlgorithm::Other(format!("{t:?}")),
        })
    }

    /// The `Sig_structure` bytes that were signed (built from the protected bytes as received).
    pub fn tbs(&self) -> Vec<u8> {
        self.inner.tbs_data(b"")
    }

    fn supported_algorithm(&self) -> Result<Algorithm, VerifyError> {
        match self.algorithm() {
            None => Err(VerifyError::MissingAlgorithm),
            Some(HeaderAlgorithm::Other(s)) => Err(VerifyError::UnsupportedAlgorithm(s)),
            Some(HeaderAlgorithm::Supported(a)) => Ok(a),
        }
    }

    /// Verifies the signature with one DSC (the kid is not compared; see [`Self::verify_with`]).
    pub fn verify(&self, dsc: &Dsc) -> Result<(), VerifyError> {
        let alg = self.supported_algorithm()?;
        verify_signature(alg, dsc.public_key(), &self.tbs(), self.signature())
    }

    /// Verifies the signature with a bare public key (a trust-list anchor); the kid is not
    /// compared.
    pub fn verify_with_key(&self, key: &PublicKey) -> Result<(), VerifyError> {
        let alg = self.supported_algorithm()?;
        verify_signature(alg, key, &self.tbs(), self.signature())
    }

    /// Finds the DSCs for this kid in `trust` and returns the first one whose key verifies the
    /// signature. Fails with the most specific reason when none does.
    pub fn verify_with<'a>(&self, trust: &'a TrustStore) -> Result<&'a Dsc, VerifyError> {
        let alg = self.supported_algorithm()?;
        let kid = self.kid().ok_or(VerifyError::MissingKid)?;
        if kid.len() != 8 {
            return Err(VerifyError::KidLength(kid.len()));
        }
        let candidates = trust.get(kid);
        if candidates.is_empty() {
            use base64::Engine;
            return Err(VerifyError::UnknownKid(
                base64::engine::general_purpose::STANDARD.encode(kid),
            ));
        }
        let tbs = self.tbs();
        let mut last = VerifyError::InvalidSignature;
        for dsc in candidates {
            match verify_signature(alg, dsc.public_key(), &tbs, self.signature()) {
                Ok(()) => return Ok(dsc),
                Err(e) => last = e,
            }
        }
        Err(last)
    }
}

/// ES256 with the `ring` feature: ring's assembly P-256 (about 5x faster than the portable code).
#[cfg(feature = "ring")]
fn verify_es256(
    key: &p256::ecdsa::VerifyingKey,
    tbs: &[u8],
    sig: &[u8],
) -> Result<(), VerifyError> {
    let point = key.to_sec1_point(false);
    ring::signature::UnparsedPublicKey::new(
        &ring::signature::ECDSA_P256_SHA256_FIXED,
        point.as_bytes(),
    )
    .verify(tbs, sig)
    .map_err(|_| VerifyError::InvalidSignature)
}

/// ES256 without the `ring` feature: the p256 crate.
#[cfg(not(feature = "ring"))]
fn verify_es256(
    key: &p256::ecdsa::VerifyingKey,
    tbs: &[u8],
    sig: &[u8],
) -> Result<(), VerifyError> {
    use signature::Verifier;
    let sig = p256::ecdsa::Signature::from_slice(sig).map_err(|_| VerifyError::InvalidSignature)?;
    key.verify(tbs, &sig)
        .map_err(|_| VerifyError::InvalidSignature)
}

/// Verifies a signature over `tbs` with `key`, enforcing that the algorithm fits the key.
pub fn verify_signature(
    alg: Algorithm,
    key: &PublicKey,
    tbs: &[u8],
    sig: &[u8],
) -> Result<(), VerifyError> {
    use signature::Verifier;
    match (alg, key) {
        (Algorithm::Es256, PublicKey::P256(k)) => {
            if sig.len() != 64 {
                return Err(VerifyError::SignatureLength {
                    expected: 64,
                    actual: sig.len(),
                });
            }
            verify_es256(k, tbs, sig)
        }
        (Algorithm::Ps256, PublicKey::Rsa(k)) => {
            use rsa::traits::PublicKeyParts;
            let expected = k.size();
            if sig.len() != expected {
                return Err(VerifyError::SignatureLength {
                    expected,
                    actual: sig.len(),
                });
            }
            let vk = rsa::pss::VerifyingKey::<sha2::Sha256>::new_with_salt_len(k.clone(), 32);
            let sig =
                rsa::pss::Signature::try_from(sig).map_err(|_| VerifyError::InvalidSignature)?;
            vk.verify(tbs, &sig)
                .map_err(|_| VerifyError::InvalidSignature)
        }
        (alg, key) => Err(VerifyError::AlgorithmKeyMismatch {
            alg: alg.name().to_string(),
            key: key.describe(),
        }),
    }
}

/// A COSE_Sign1 ready to be signed: the protected header and payload are fixed, and
/// [`Unsigned::tbs`] gives the bytes to hand to any signer (synchronous or not).
#[derive(Debug, Clone)]
pub struct Unsigned {
    alg: Algorithm,
    builder: CoseSign1,
    tbs: Vec<u8>,
}

impl Unsigned {
    /// Prepares `payload` (CBOR CWT claims) for signing with `alg` under `kid`: protected header
    /// `{1: alg, 4: kid}`, empty unprotected header.
    pub fn new(alg: Algorithm, kid: &[u8], payload: Vec<u8>) -> Result<Self, SignError> {
        let cose_alg = match alg {
            Algorithm::Es256 => iana::Algorithm::ES256,
            Algorithm::Ps256 => iana::Algorithm::PS256,
        };
        let protected = HeaderBuilder::new()
            .algorithm(cose_alg)
            .key_id(kid.to_vec())
            .build();
        let mut sign1 = CoseSign1Builder::new()
            .protected(protected)
            .payload(payload)
            .build();
        // Fix the protected bytes once, so that the signed bytes and the emitted bytes agree.
        let bytes = sign1
            .protected
            .clone()
            .cbor_bstr()
            .map_err(|e| SignError::Encoding(std::sync::Arc::new(e)))?;
        sign1.protected.original_data = bytes.into_bytes().ok();
        let tbs = sign1.tbs_data(b"");
        Ok(Unsigned {
            alg,
            builder: sign1,
            tbs,
        })
    }

    /// The algorithm the signature must use.
    pub fn algorithm(&self) -> Algorithm {
        self.alg
    }

    /// The `Sig_structure` bytes to sign.
    pub fn tbs(&self) -> &[u8] {
        &self.tbs
    }

    /// Attaches the signature and encodes the tagged COSE_Sign1 (tag 18). An ES256 signature
    /// must be raw `r || s` (64 bytes); a DER signature is converted.
    pub fn finish(self, signature: Vec<u8>) -> Result<Vec<u8>, SignError> {
        let signature = match self.alg {
            Algorithm::Es256 if signature.len() == 64 => signature,
            Algorithm::Es256 if signature.first() == Some(&0x30) => {
                crate::ecdsa_der_to_raw(&signature)?.to_vec()
            }
            Algorithm::Es256 => {
                return Err(SignError::BadSignature(format!(
                    "ES256 signature of {} bytes; expected 64 (raw r || s)",
                    signature.len()
                )));
            }
            Algorithm::Ps256 if (256..=512).contains(&signature.len()) => signature,
            Algorithm::Ps256 => {
                return Err(SignError::BadSignature(format!(
                    "PS256 signature of {} bytes; expected 256-512",
                    signature.len()
                )));
            }
        };
        let mut sign1 = self.builder;
        sign1.signature = signature;
        sign1
            .to_tagged_vec()
            .map_err(|e| SignError::Encoding(std::sync::Arc::new(e)))
    }
}

/// Signs CWT claim bytes with `signer` under `kid`, returning tagged COSE_Sign1 bytes.
pub fn sign(signer: &dyn Signer, kid: &[u8], payload: &[u8]) -> Result<Vec<u8>, SignError> {
    let unsigned = Unsigned::new(signer.algorithm(), kid, payload.to_vec())?;
    let sig = signer.sign(unsigned.tbs())?;
    unsigned.finish(sig)
}

#[cfg(test)]
mod decode_tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn signed() -> Vec<u8> {
        let key = crate::SigningKey::generate_p256();
        sign(&key, &[1, 2, 3, 4, 5, 6, 7, 8], &[0xA0]).unwrap()
    }

    #[test]
    fn whole_input_decodes() {
        let cose = signed();
        let decoded = DecodedSign1::from_slice(&cose).unwrap();
        assert_eq!(decoded.tags(), [TAG_COSE_SIGN1]);
        assert_eq!(decoded.payload(), [0xA0]);
    }

    #[test]
    fn trailing_bytes_are_an_error() {
        let cose = signed();
        for extra in [&[0x00][..], &[0xA0], &[0xFF, 0xFF, 0xFF], &cose] {
            let mut bytes = cose.clone();
            bytes.extend_from_slice(extra);
            let err = DecodedSign1::from_slice(&bytes).unwrap_err();
            assert_eq!(err, DecodeError::TrailingBytes { count: extra.len() });
            assert_eq!(
                err.to_string(),
                format!(
                    "{} bytes follow the COSE_Sign1 structure; it must end the input",
                    extra.len()
                )
            );
        }
    }
}

#[cfg(all(test, feature = "ring"))]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use p256::ecdsa::signature::{Signer as _, Verifier as _};

    /// ring (the `ring` feature) and p256 (without it) must accept and reject exactly the same
    /// signatures.
    #[test]
    fn ring_and_p256_verification_agree() {
        for i in 0..64u32 {
            let key = p256::ecdsa::SigningKey::from_slice(&[i as u8 + 1; 32]).unwrap();
            let vk = *key.verifying_key();
            let msg = format!("message {i}");
            let sig: p256::ecdsa::Signature = key.sign(msg.as_bytes());
            let (r, s) = sig.split_scalars();
            let high_s = p256::ecdsa::Signature::from_scalars(r, -*s).unwrap();
            let mut flipped = sig.to_bytes();
            flipped[(i as usize) % 64] ^= 1 << (i % 8);
            let candidates: [(&[u8], &[u8]); 4] = [
                (msg.as_bytes(), &sig.to_bytes()),
                (msg.as_bytes(), &high_s.to_bytes()),
                (msg.as_bytes(), &flipped),
                (b"another message", &sig.to_bytes()),
            ];
            for (m, raw) in candidates {
                let portable =
                    p256::ecdsa::Signature::from_slice(raw).is_ok_and(|s| vk.verify(m, &s).is_ok());
                assert_eq!(verify_es256(&vk, m, raw).is_ok(), portable, "case {i}");
            }
        }
    }
}
