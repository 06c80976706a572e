"""Checks that do not use dcc-kit: a COSE signature verifier built from ``base45``, ``zlib``,
``cbor2`` and ``cryptography`` (OpenSSL), and a PKCS#10 request reader. The PKCS#11, CSR and
KMS tests judge what dcc-kit produced with them."""

from __future__ import annotations

import hashlib
import zlib
from typing import Any, Optional

import base45
import cbor2
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

ES256, PS256 = -7, -37  # COSE algorithm identifiers
HCERT_OIDS = {
    "test": "1.3.6.1.4.1.1847.2021.1.1",
    "vaccination": "1.3.6.1.4.1.1847.2021.1.2",
    "recovery": "1.3.6.1.4.1.1847.2021.1.3",
}
ECDSA_WITH_SHA256 = "1.2.840.10045.4.3.2"
RSASSA_PSS = "1.2.840.113549.1.1.10"


def cose_sign1(hc1: str) -> tuple[bytes, dict[Any, Any], bytes, bytes]:
    """The protected header (bytes), unprotected header, payload and signature of ``HC1:`` text,
    decoded by hand: Base45 -> zlib -> CBOR tag 18."""
    assert hc1.startswith("HC1:")
    raw = cbor2.loads(zlib.decompress(base45.b45decode(hc1[4:])))
    if isinstance(raw, cbor2.CBORTag):
        assert raw.tag == 18
        raw = raw.value
    protected, unprotected, payload, signature = raw
    return protected, unprotected, payload, signature


def sig_structure(protected: bytes, payload: bytes) -> bytes:
    """The COSE ``Sig_structure`` of a COSE_Sign1 (RFC 9052 section 4.4), no external AAD."""
    return cbor2.dumps(["Signature1", protected, b"", payload])


def public_key(cert_pem: str) -> Any:
    return x509.load_pem_x509_certificate(cert_pem.encode()).public_key()


def spki(key: Any) -> bytes:
    return bytes(key.public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo))


def kid(cert_pem: str) -> bytes:
    der = x509.load_pem_x509_certificate(cert_pem.encode()).public_bytes(Encoding.DER)
    return hashlib.sha256(der).digest()[:8]


def verify_cose(hc1: str, cert_pem: str, tamper: bool = False) -> dict[Any, Any]:
    """Verifies the signature of ``hc1`` against the DSC's public key with OpenSSL: ES256 as
    ECDSA P-256 / SHA-256 over the Sig_structure (COSE's raw ``r || s`` turned into DER),
    PS256 as RSASSA-PSS / SHA-256 / MGF1-SHA-256 / salt 32. Checks the header (alg, kid).
    Raises ``cryptography.exceptions.InvalidSignature``; returns the CWT claims. ``tamper``
    flips a bit of the payload first (the check must then fail)."""
    protected, unprotected, payload, signature = cose_sign1(hc1)
    header = cbor2.loads(protected)
    alg = header[1]
    assert header.get(4, unprotected.get(4)) == kid(cert_pem)
    if tamper:
        payload = bytes([payload[0] ^ 1]) + payload[1:]
    tbs = sig_structure(protected, payload)
    key = public_key(cert_pem)
    if alg == ES256:
        assert isinstance(key, ec.EllipticCurvePublicKey) and key.curve.name == "secp256r1"
        assert len(signature) == 64, "COSE ES256 signatures are raw r || s"
        r, s = int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big")
        key.verify(encode_dss_signature(r, s), tbs, ec.ECDSA(hashes.SHA256()))
    elif alg == PS256:
        assert isinstance(key, rsa.RSAPublicKey)
        assert len(signature) == key.key_size // 8
        pss = padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=32)
        key.verify(signature, tbs, pss, hashes.SHA256())
    else:
        raise AssertionError(f"unexpected COSE alg {alg}")
    claims: dict[Any, Any] = cbor2.loads(payload)
    return claims


def check_csr(
    pem: str,
    *,
    country: str,
    common_name: str,
    organization: Optional[str],
    types: list[str],
    key: Any = None,
) -> x509.CertificateSigningRequest:
    """Reads a PKCS#10 request with ``cryptography`` and checks its self-signature, subject
    (C, O, CN, nothing else), keyUsage digitalSignature and exactly the HCERT extended key
    usages of ``types``; with ``key``, that it requests a certificate for that public key."""
    csr = x509.load_pem_x509_csr(pem.encode())
    assert csr.is_signature_valid
    subject = {a.oid: a.value for a in csr.subject}
    want = {x509.NameOID.COUNTRY_NAME: country, x509.NameOID.COMMON_NAME: common_name}
    if organization is not None:
        want[x509.NameOID.ORGANIZATION_NAME] = organization
    assert subject == want, csr.subject
    eku = csr.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    assert sorted(o.dotted_string for o in eku) == sorted(HCERT_OIDS[t] for t in types)
    usage = csr.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.digital_signature and not usage.key_cert_sign
    if key is not None:
        assert spki(csr.public_key()) == spki(key)
    return csr
