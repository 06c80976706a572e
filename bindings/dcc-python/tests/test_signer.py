"""Callable signers (HSM / KMS) and prepare/finish for asynchronous signing."""

from __future__ import annotations

from datetime import timedelta
from hashlib import sha256
from typing import Any

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from ecdsa import NIST256p, SigningKey
from ecdsa.util import sigencode_string

import dcc_kit
from conftest import TYPES, example, golden_json, golden_text, utc

IAT = 1_622_505_600
AT = utc(IAT + 3600)


def load_ec(pem: str) -> ec.EllipticCurvePrivateKey:
    key = serialization.load_pem_private_key(pem.encode(), password=None)
    assert isinstance(key, ec.EllipticCurvePrivateKey)
    return key


def load_rsa(pem: str) -> rsa.RSAPrivateKey:
    key = serialization.load_pem_private_key(pem.encode(), password=None)
    assert isinstance(key, rsa.RSAPrivateKey)
    return key


def pss() -> padding.PSS:
    return padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=32)


@pytest.mark.parametrize("kind", TYPES)
def test_rfc6979_callable_reproduces_the_golden_certificate(kind: str, es256_key: str, es256_dsc: str) -> None:
    """An independent RFC 6979 implementation (python-ecdsa) behind the callable gives the
    golden bytes: the tbs we hand out is exactly the COSE Sig_structure."""
    secret = load_ec(es256_key).private_numbers().private_value
    signer = SigningKey.from_secret_exponent(secret, curve=NIST256p, hashfunc=sha256)
    seen: list[bytes] = []

    def sign(tbs: bytes) -> bytes:
        seen.append(tbs)
        return signer.sign_deterministic(tbs, hashfunc=sha256, sigencode=sigencode_string)

    issuer = dcc_kit.Issuer.from_signer(sign, es256_dsc, "ES256")
    assert issuer.algorithm == "ES256"
    gold = golden_json(f"issued-{kind}-es256.json")
    cert = issuer.issue(gold["payload"], iss="XX", issued_at=utc(gold["iat"]), validity=utc(gold["exp"]))
    assert cert.hc1 == gold["hc1"]
    assert len(seen) == 1 and isinstance(seen[0], bytes)
    assert seen[0][:1] == b"\x84"  # CBOR array of 4: ["Signature1", protected, aad, payload]


def test_openssl_der_signatures_are_accepted(es256_key: str, es256_dsc: str, golden_verifier) -> None:
    key = load_ec(es256_key)
    issuer = dcc_kit.Issuer.from_signer(lambda tbs: key.sign(tbs, ec.ECDSA(hashes.SHA256())), es256_dsc, "ES256")
    cert = issuer.issue(example("vaccination"), issued_at=utc(IAT), validity=timedelta(days=30))
    result = golden_verifier.verify(cert.hc1, at=AT)
    assert result.valid, result.failures


def test_raw_signatures_are_accepted(es256_key: str, es256_dsc: str, golden_verifier) -> None:
    key = load_ec(es256_key)

    def sign(tbs: bytes) -> bytes:
        r, s = decode_dss_signature(key.sign(tbs, ec.ECDSA(hashes.SHA256())))
        return r.to_bytes(32, "big") + s.to_bytes(32, "big")

    cert = dcc_kit.Issuer.from_signer(sign, es256_dsc, "ES256").issue(
        example("test"), issued_at=utc(IAT), validity=timedelta(days=1)
    )
    assert golden_verifier.verify(cert.hc1, at=AT).valid


def test_ps256_callable(rsa_key: str, ps256_dsc: str, golden_verifier) -> None:
    key = load_rsa(rsa_key)
    issuer = dcc_kit.Issuer.from_signer(lambda tbs: key.sign(tbs, pss(), hashes.SHA256()), ps256_dsc, "PS256")
    assert issuer.algorithm == "PS256"
    cert = issuer.issue(example("recovery"), issued_at=utc(IAT), validity=timedelta(days=30))
    result = golden_verifier.verify(cert.hc1, at=AT)
    assert result.valid, result.failures
    assert result.algorithm == "PS256"


def test_a_wrong_key_behind_the_callable_gives_invalid_certificates(es256_dsc: str, golden_verifier) -> None:
    other = ec.generate_private_key(ec.SECP256R1())
    issuer = dcc_kit.Issuer.from_signer(lambda tbs: other.sign(tbs, ec.ECDSA(hashes.SHA256())), es256_dsc, "ES256")
    cert = issuer.issue(example("test"), issued_at=utc(IAT), validity=timedelta(days=1))
    result = golden_verifier.verify(cert.hc1, at=AT)
    assert not result.valid and result.checks.signature.code == "invalid_signature"


def test_exceptions_in_the_callable_become_the_cause(es256_dsc: str) -> None:
    class HsmOffline(RuntimeError):
        pass

    def sign(tbs: bytes) -> bytes:
        raise HsmOffline("slot 3 is offline")

    issuer = dcc_kit.Issuer.from_signer(sign, es256_dsc, "ES256")
    with pytest.raises(dcc_kit.SigningError) as raised:
        issuer.issue(example("test"), issued_at=utc(IAT), validity=timedelta(days=1))
    err = raised.value
    assert err.code == "signing_failed"
    assert isinstance(err.__cause__, HsmOffline)
    assert "HsmOffline" in str(err) and "slot 3 is offline" in str(err)
    # The stash is per call: the next, unrelated error has no stale cause.
    with pytest.raises(dcc_kit.InvalidOptionsError) as second:
        issuer.issue(example("test"), iss="bad")
    assert second.value.__cause__ is None


def test_keyboard_interrupt_is_not_swallowed(es256_dsc: str) -> None:
    def sign(tbs: bytes) -> bytes:
        raise KeyboardInterrupt

    issuer = dcc_kit.Issuer.from_signer(sign, es256_dsc, "ES256")
    with pytest.raises(KeyboardInterrupt):
        issuer.issue(example("test"), issued_at=utc(IAT), validity=timedelta(days=1))


@pytest.mark.parametrize(
    "result", ["not bytes", None, b"", b"\x01" * 10, b"\x30" * 72], ids=["str", "None", "empty", "short", "bad-der"]
)
def test_malformed_signatures(result: Any, es256_dsc: str) -> None:
    issuer = dcc_kit.Issuer.from_signer(lambda tbs: result, es256_dsc, "ES256")
    with pytest.raises(dcc_kit.SigningError) as raised:
        issuer.issue(example("test"), issued_at=utc(IAT), validity=timedelta(days=1))
    assert raised.value.__cause__ is None


def test_from_signer_arguments(es256_dsc: str) -> None:
    with pytest.raises(TypeError):
        dcc_kit.Issuer.from_signer(b"not callable", es256_dsc, "ES256")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        dcc_kit.Issuer.from_signer(lambda t: t, es256_dsc)  # type: ignore[call-arg]
    with pytest.raises(dcc_kit.InvalidArgumentError):
        dcc_kit.Issuer.from_signer(lambda t: t, es256_dsc, "ES512")
    with pytest.raises(dcc_kit.InvalidCertificateError):
        dcc_kit.Issuer.from_signer(lambda t: t, "not a certificate", "ES256")
    assert dcc_kit.Issuer.from_signer(lambda t: t, es256_dsc, "es256").algorithm == "ES256"


@pytest.mark.parametrize("algorithm, dsc", [("PS256", "dsc-es256.pem"), ("ES256", "dsc-ps256.pem")])
def test_from_signer_refuses_an_algorithm_that_does_not_fit_the_key(algorithm: str, dsc: str) -> None:
    """dcc::Issuer::from_signer checks the algorithm against the DSC's key: no certificates
    that never verify."""
    with pytest.raises(dcc_kit.InvalidKeyError) as raised:
        dcc_kit.Issuer.from_signer(lambda t: t, golden_text(dsc), algorithm)
    assert raised.value.code == "invalid_key"
    assert algorithm in str(raised.value)


@pytest.mark.parametrize(
    "bad",
    ["{not json", "[1, 2]", "two groups", "bad dn", {"v": {1, 2}}],
    ids=["not-json", "not-object", "two-groups", "bad-dn", "no-json-form"],
)
def test_prepare_and_issue_give_the_same_error(bad: Any, golden_issuer) -> None:
    if bad == "two groups":
        bad = example("vaccination")
        bad["t"] = example("test")["t"]
    elif bad == "bad dn":
        bad = example("vaccination")
        bad["v"][0]["dn"] = 0
    errors = []
    for call in (golden_issuer.issue, golden_issuer.prepare):
        with pytest.raises(dcc_kit.DccError) as raised:
            call(bad, issued_at=utc(IAT), validity=timedelta(days=1))
        errors.append(raised.value)
    issued, prepared = errors
    assert type(issued) is type(prepared)
    assert (issued.code, issued.message, issued.issues) == (prepared.code, prepared.message, prepared.issues)


def test_prepare_and_finish(es256_key: str, es256_dsc: str, golden_issuer, golden_verifier) -> None:
    key = load_ec(es256_key)
    prepared = golden_issuer.prepare(example("vaccination"), issued_at=utc(IAT), validity=timedelta(days=30))
    assert prepared.algorithm == "ES256"
    assert repr(prepared).startswith("PreparedCertificate(algorithm='ES256'")
    signature = key.sign(prepared.tbs, ec.ECDSA(hashes.SHA256()))
    cert = prepared.finish(signature)
    assert golden_verifier.verify(cert.hc1, at=AT).valid
    # A malformed signature fails; the prepared certificate can still be finished.
    with pytest.raises(dcc_kit.SigningError):
        prepared.finish(b"\x00" * 3)
    again = prepared.finish(key.sign(prepared.tbs, ec.ECDSA(hashes.SHA256())))
    assert golden_verifier.verify(again.hc1, at=AT).valid
    # Signed deterministically (RFC 6979), the tbs gives exactly what issue() gives.
    secret = key.private_numbers().private_value
    rfc6979 = SigningKey.from_secret_exponent(secret, curve=NIST256p, hashfunc=sha256)
    raw = rfc6979.sign_deterministic(prepared.tbs, hashfunc=sha256, sigencode=sigencode_string)
    direct = golden_issuer.issue(example("vaccination"), issued_at=utc(IAT), validity=timedelta(days=30))
    assert prepared.finish(raw).hc1 == direct.hc1
    with pytest.raises(dcc_kit.ValidationError):
        bad = example("vaccination")
        bad["r"] = example("recovery")["r"]
        golden_issuer.prepare(bad, issued_at=utc(IAT))
