"""Interop with independent implementations from PyPI: pycose (COSE, with cbor2, base45 and
zlib) and zxing-cpp (QR decoding). Our certificates verify there; theirs verify here."""

from __future__ import annotations

import zlib
from datetime import datetime, timedelta, timezone
from typing import Any

import base45
import cbor2
import pytest
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from pycose.algorithms import Es256, Ps256
from pycose.headers import KID, Algorithm
from pycose.keys import CoseKey, EC2Key, RSAKey
from pycose.keys.curves import P256
from pycose.messages import CoseMessage, Sign1Message

import dcc_kit
from conftest import TYPES, example, golden_text, utc

IAT = 1_622_505_600
EXP = IAT + 30 * 86_400


def plain(value: Any) -> Any:
    """cbor2 decodes tag 0 (t/0/sc) to a datetime; JSON has the RFC 3339 text."""
    if isinstance(value, datetime):
        return value.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value


def cose_public_key(cert_pem: str) -> CoseKey:
    public = x509.load_pem_x509_certificate(cert_pem.encode()).public_key()
    if isinstance(public, ec.EllipticCurvePublicKey):
        nums = public.public_numbers()
        return EC2Key(crv=P256, x=nums.x.to_bytes(32, "big"), y=nums.y.to_bytes(32, "big"))
    assert isinstance(public, rsa.RSAPublicKey)
    rnums = public.public_numbers()
    return RSAKey(
        n=rnums.n.to_bytes((rnums.n.bit_length() + 7) // 8, "big"),
        e=rnums.e.to_bytes((rnums.e.bit_length() + 7) // 8, "big"),
    )


def their_decode(hc1: str) -> Sign1Message:
    """HC1 text -> pycose Sign1Message, with nothing from dcc_kit."""
    assert hc1.startswith("HC1:")
    cose = zlib.decompress(base45.b45decode(hc1[4:]))
    msg = CoseMessage.decode(cose)
    assert isinstance(msg, Sign1Message)
    return msg


def their_issue(payload: dict[str, Any], key_pem: str, cert_pem: str, alg: Any) -> str:
    """payload -> CWT -> COSE_Sign1 (pycose) -> zlib -> base45 -> HC1, with nothing from dcc_kit."""
    cert = x509.load_pem_x509_certificate(cert_pem.encode())
    from cryptography.hazmat.primitives import hashes, serialization

    kid = cert.fingerprint(hashes.SHA256())[:8]
    claims = {1: "XX", 6: IAT, 4: EXP, -260: {1: payload}}
    msg = Sign1Message(phdr={Algorithm: alg, KID: kid}, payload=cbor2.dumps(claims))
    msg.key = CoseKey.from_pem_private_key(key_pem)
    assert serialization  # (imported for readers: the key stays in PEM here)
    return "HC1:" + base45.b45encode(zlib.compress(msg.encode(tag=True), 9)).decode()


@pytest.mark.parametrize("kind", TYPES)
@pytest.mark.parametrize("alg", ["ES256", "PS256"])
def test_ours_verify_in_pycose(kind: str, alg: str) -> None:
    key, dsc = ("es256-key.pem", "dsc-es256.pem") if alg == "ES256" else ("rsa-key.pem", "dsc-ps256.pem")
    issuer = dcc_kit.Issuer.from_pem(golden_text(key), golden_text(dsc))
    payload = example(kind)
    cert = issuer.issue(payload, iss="XX", issued_at=utc(IAT), validity=timedelta(days=30))
    msg = their_decode(cert.hc1)
    msg.key = cose_public_key(golden_text(dsc))
    assert msg.verify_signature()
    assert msg.get_attr(Algorithm) == (Es256 if alg == "ES256" else Ps256)
    claims = cbor2.loads(msg.payload)
    assert claims[1] == "XX" and claims[6] == IAT and claims[4] == EXP
    assert plain(claims[-260][1]) == cert.payload
    # A flipped bit in the payload fails there too.
    tampered = bytearray(msg.payload)
    tampered[-1] ^= 1
    msg.payload = bytes(tampered)
    assert not msg.verify_signature()


@pytest.mark.parametrize("kind", TYPES)
@pytest.mark.parametrize("alg", ["ES256", "PS256"])
def test_theirs_verify_in_ours(kind: str, alg: str, golden_verifier) -> None:
    key, dsc, cose_alg = (
        ("es256-key.pem", "dsc-es256.pem", Es256) if alg == "ES256" else ("rsa-key.pem", "dsc-ps256.pem", Ps256)
    )
    payload = example(kind)
    hc1 = their_issue(payload, golden_text(key), golden_text(dsc), cose_alg)
    result = golden_verifier.verify(hc1, at=utc(IAT + 60))
    assert result.valid, result.failures
    assert result.algorithm == alg
    assert result.payload == payload
    assert result.claims.iat == IAT and result.claims.exp == EXP
    assert dcc_kit.decode(hc1).payload == payload
    # And their certificate does not verify against the other DSC.
    other = "dsc-ps256.pem" if alg == "ES256" else "dsc-es256.pem"
    assert not dcc_kit.Verifier.from_certs([golden_text(other)]).verify(hc1, at=utc(IAT + 60)).valid


def test_their_deterministic_es256_equals_ours(golden_issuer) -> None:
    """pycose signs ES256 with python-ecdsa's RFC 6979: over the same bytes, the same signature."""
    cert = golden_issuer.issue(example("vaccination"), iss="XX", issued_at=utc(IAT), validity=timedelta(days=30))
    ours = their_decode(cert.hc1)
    theirs = Sign1Message(phdr=ours.phdr, uhdr=ours.uhdr, payload=ours.payload)
    theirs.key = CoseKey.from_pem_private_key(golden_text("es256-key.pem"))
    encoded = theirs.encode(tag=True)
    assert encoded == cert.cose  # same header encoding, same Sig_structure, same signature
    theirs_msg = CoseMessage.decode(encoded)
    theirs_msg.key = cose_public_key(golden_text("dsc-es256.pem"))
    assert theirs_msg.verify_signature()


def test_our_png_reads_in_zxing(golden_issuer) -> None:
    from io import BytesIO

    import zxingcpp
    from PIL import Image

    for kind in TYPES:
        cert = golden_issuer.issue(example(kind), iss="XX", issued_at=utc(IAT), validity=timedelta(days=30))
        image = Image.open(BytesIO(cert.to_png(scale=3)))
        found = zxingcpp.read_barcodes(image)
        assert [b.text for b in found] == [cert.hc1]
        assert found[0].format == zxingcpp.BarcodeFormat.QRCode
        assert "Q" in str(found[0].ec_level) or found[0].ec_level == "Q"


def test_findings_on_a_payload_we_would_refuse_to_issue(golden_issuer, golden_verifier) -> None:
    """A certificate signed elsewhere with a payload our issuer refuses still verifies (the
    decisive checks pass) but carries data-quality findings with the validator's codes."""
    payload = example("vaccination")
    payload["v"][0]["dn"] = 0
    with pytest.raises(dcc_kit.ValidationError) as refused:
        golden_issuer.issue(payload, issued_at=utc(IAT), validity=timedelta(days=30))
    refused_codes = {i.code for i in refused.value.issues}
    hc1 = their_issue(payload, golden_text("es256-key.pem"), golden_text("dsc-es256.pem"), Es256)
    result = golden_verifier.verify(hc1, at=utc(IAT + 60))
    assert result.valid, result.failures
    assert result.findings, "the verifier reports what the issuer refused"
    assert {f.code for f in result.findings} & refused_codes
    assert any(f.path == "v/0/dn" for f in result.findings)
    assert result.checks.payload.status == "failed"
    assert result.checks.payload.code == "payload_findings"
    assert result.checks.payload.message and f"[{result.findings[0].code}]" in result.checks.payload.message
