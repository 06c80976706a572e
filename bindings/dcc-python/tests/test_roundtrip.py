"""Round trips through the installed wheel: issue, render, read back, verify, decode."""

from __future__ import annotations

import base64
import json
import struct
from datetime import datetime, timedelta, timezone

import pytest

import dcc_kit
from conftest import TYPES, example, golden_json, key_kid, utc

IAT = 1_622_505_600  # 2021-06-01T00:00:00Z, inside the golden DSCs' validity (2021-2024)
AT = utc(IAT + 86_400)


def png_size(png: bytes) -> tuple[int, int]:
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png[16:24])
    return width, height


@pytest.mark.parametrize("kind", TYPES)
def test_issue_and_verify_each_type(kind: str, golden_issuer, golden_verifier) -> None:
    payload = example(kind)
    cert = golden_issuer.issue(payload, iss="XX", issued_at=utc(IAT), validity=timedelta(days=30))
    assert cert.hc1.startswith("HC1:")
    assert str(cert) == cert.hc1
    assert cert.claims.iss == "XX"
    assert cert.claims.iat == IAT
    assert cert.claims.exp == IAT + 30 * 86_400
    assert cert.claims.issued_at == utc(IAT)
    assert cert.claims.expires_at == utc(IAT + 30 * 86_400)
    assert cert.claims.issued_at.tzinfo is not None

    result = golden_verifier.verify(cert.hc1, at=AT)
    assert result.valid, result.failures
    assert result.failures == []
    assert result.payload == cert.payload
    assert result.payload["nam"]["fnt"] == payload["nam"]["fnt"]
    assert kind[0] in result.payload
    assert result.claims == cert.claims
    assert result.at == IAT + 86_400 and result.verified_at == AT
    assert result.hc1 == cert.hc1
    assert result.algorithm == "ES256"
    assert result.checks.signature.passed and result.checks.signature.status == "passed"
    assert result.checks.validity.code is None
    assert result.checks.key_usage.passed
    assert result.signer is not None
    assert result.signer.kid == golden_issuer.signer.kid
    assert result.signer.key == "P-256"
    assert result.signer.valid_until == datetime(2024, 12, 31, 23, 59, 59, tzinfo=timezone.utc)
    assert result.signer.not_after == int(result.signer.valid_until.timestamp())
    assert result.ensure_valid() is result

    # The same certificate from its QR code image.
    png = cert.to_png(scale=3)
    from_image = golden_verifier.verify_image(png, at=AT)
    assert from_image.valid
    assert from_image.hc1 == cert.hc1
    assert dcc_kit.read_qr(png) == cert.hc1
    assert dcc_kit.read_qr(bytearray(png)) == cert.hc1


@pytest.mark.parametrize("kind", TYPES)
def test_golden_es256_is_byte_exact(kind: str, golden_issuer) -> None:
    gold = golden_json(f"issued-{kind}-es256.json")
    cert = golden_issuer.issue(
        gold["payload"], iss=gold["iss"], issued_at=utc(gold["iat"]), validity=utc(gold["exp"])
    )
    assert cert.cose.hex() == gold["cose"]
    assert cert.hc1 == gold["hc1"]
    # valid_for gives the same expiry, hence the same bytes (RFC 6979 signatures).
    again = golden_issuer.issue(
        gold["payload"],
        iss=gold["iss"],
        issued_at=utc(gold["iat"]),
        validity=timedelta(seconds=gold["exp"] - gold["iat"]),
    )
    assert again.hc1 == gold["hc1"]


def test_default_es256_is_hedged_and_deterministic_is_opt_in(
    es256_key: str, es256_dsc: str, golden_verifier
) -> None:
    gold = golden_json("issued-vaccination-es256.json")
    opts = dict(iss=gold["iss"], issued_at=utc(gold["iat"]), validity=utc(gold["exp"]))
    fast = dcc_kit.Issuer.from_pem(es256_key, es256_dsc)
    a, b = (fast.issue(gold["payload"], **opts) for _ in range(2))
    # Fresh randomness in every nonce: different signatures over the same bytes, both valid.
    assert a.hc1 != b.hc1 and a.hc1 != gold["hc1"]
    assert a.cose[:-64] == b.cose[:-64] == bytes.fromhex(gold["cose"])[:-64]
    for cert in (a, b):
        result = golden_verifier.verify(cert.hc1, at=utc(gold["iat"] + 60))
        assert result.valid, result.failures
    det = dcc_kit.Issuer.from_pem_deterministic(es256_key, es256_dsc)
    assert det.issue(gold["payload"], **opts).hc1 == gold["hc1"]


@pytest.mark.parametrize("kind", TYPES)
def test_golden_ps256_verifies(kind: str, golden_verifier) -> None:
    gold = golden_json(f"issued-{kind}-ps256.json")
    result = golden_verifier.verify(gold["hc1"], at=utc(gold["iat"] + 60))
    assert result.valid, result.failures
    assert result.algorithm == "PS256"
    assert result.signer is not None and result.signer.key.startswith("RSA-")
    assert result.payload == gold["payload"]
    assert result.kid == base64.b64encode(bytes.fromhex(gold["kid"])).decode()


def test_ps256_issuing_with_an_rsa_key(rsa_key: str, ps256_dsc: str, golden_verifier) -> None:
    issuer = dcc_kit.Issuer.from_pem(rsa_key.encode(), ps256_dsc.encode())
    assert issuer.algorithm == "PS256"
    a = issuer.issue(example("test"), issued_at=utc(IAT), validity=timedelta(days=3))
    b = issuer.issue(example("test"), issued_at=utc(IAT), validity=timedelta(days=3))
    assert a.hc1 != b.hc1  # PSS is salted
    for cert in (a, b):
        result = golden_verifier.verify(cert.hc1, at=AT)
        assert result.valid, result.failures
        assert result.algorithm == "PS256"


def test_payload_as_dict_json_str_and_bytes_give_the_same_certificate(golden_issuer) -> None:
    payload = example("vaccination")
    opts = dict(iss="XX", issued_at=utc(IAT), validity=timedelta(days=30))
    from_dict = golden_issuer.issue(payload, **opts)
    from_str = golden_issuer.issue(json.dumps(payload), **opts)
    from_bytes = golden_issuer.issue(json.dumps(payload).encode(), **opts)
    assert from_dict.hc1 == from_str.hc1 == from_bytes.hc1


def test_iss_defaults_to_the_dsc_country(golden_issuer) -> None:
    cert = golden_issuer.issue(example("test"), issued_at=utc(IAT), validity=timedelta(days=1))
    assert cert.claims.iss == golden_issuer.signer.country == "XX"


def test_demo_issuer_and_verifier_default_to_now() -> None:
    issuer = dcc_kit.Issuer.demo()
    assert issuer.algorithm == "ES256"
    assert "DEMO" in issuer.signer.subject
    before = datetime.now(timezone.utc).replace(microsecond=0)
    cert = issuer.issue(example("vaccination"), validity=timedelta(days=10))
    after = datetime.now(timezone.utc)
    assert cert.claims.issued_at is not None
    assert before <= cert.claims.issued_at <= after
    result = dcc_kit.Verifier.demo().verify(cert.hc1)
    assert result.valid, result.failures
    assert result.verified_at is not None and before <= result.verified_at <= datetime.now(timezone.utc)
    # The golden verifier does not trust the demo DSC.
    untrusted = dcc_kit.Verifier.from_certs(golden_text_pems()).verify(cert.hc1)
    assert not untrusted.valid
    assert untrusted.checks.signature.code == "unknown_kid"
    assert untrusted.checks.key_usage.status == "skipped"
    assert untrusted.checks.key_usage.message
    assert untrusted.signer is None


def golden_text_pems() -> list[str]:
    from conftest import golden_text

    return [golden_text("dsc-es256.pem"), golden_text("dsc-ps256.pem")]


def test_validity_window_and_clock_skew(golden_issuer, es256_dsc: str) -> None:
    cert = golden_issuer.issue(example("test"), issued_at=utc(IAT), validity=timedelta(hours=72))
    verifier = dcc_kit.Verifier.from_certs(es256_dsc)  # a single PEM str is one bundle
    assert len(verifier) == 1
    early = verifier.verify(cert.hc1, at=utc(IAT - 3600))
    assert not early.valid and early.checks.validity.code == "not_yet_valid"
    assert [f.code for f in early.failures] == ["not_yet_valid"]
    late = verifier.verify(cert.hc1, at=utc(IAT + 72 * 3600 + 1))
    assert late.checks.validity.code == "expired"
    with pytest.raises(dcc_kit.VerificationFailedError) as raised:
        late.ensure_valid()
    assert raised.value.code == "verification_failed"
    assert [f.code for f in raised.value.failures] == ["expired"]
    tolerant = dcc_kit.Verifier.from_certs([es256_dsc]).with_clock_skew(timedelta(hours=2))
    assert tolerant.verify(cert.hc1, at=utc(IAT - 3600)).valid


def test_an_aware_datetime_in_another_zone_is_the_same_instant(golden_issuer, golden_verifier) -> None:
    cest = timezone(timedelta(hours=2))
    local = datetime(2021, 6, 1, 2, 0, tzinfo=cest)  # == IAT
    cert = golden_issuer.issue(example("vaccination"), issued_at=local, validity=timedelta(days=1))
    assert cert.claims.iat == IAT
    result = golden_verifier.verify(cert.hc1, at=datetime(2021, 6, 1, 14, 0, tzinfo=cest))
    assert result.verified_at == utc(IAT + 12 * 3600)
    assert result.valid


def test_decode_reads_every_layer_without_checking_the_signature() -> None:
    key = dcc_kit.generate_key(country="DE", valid_days=30)
    issuer = dcc_kit.Issuer.from_pem(key.key_pem, key.cert_pem)
    cert = issuer.issue(example("recovery"), iss="DE", validity=timedelta(days=20))
    decoded = dcc_kit.decode(cert.hc1)
    assert decoded.payload == cert.payload
    assert decoded.claims == cert.claims
    assert decoded.hc1 == cert.hc1
    assert decoded.cose == cert.cose
    assert decoded.algorithm == "ES256"
    assert decoded.kid is not None and len(base64.b64decode(decoded.kid)) == 8
    assert decoded.kid == cert.kid == key_kid(key.cert_pem)
    assert dcc_kit.decode_image(cert.to_png()).payload == cert.payload
    # No signer is trusted, yet decoding works; verification says why it is not valid.
    result = dcc_kit.Verifier.from_certs([]).verify(cert.hc1)
    assert not result.valid and result.checks.signature.code == "unknown_kid"


def test_generated_key_round_trip() -> None:
    key = dcc_kit.generate_key(country="FR", common_name="pilot DSC", valid_days=10)
    assert "BEGIN PRIVATE KEY" in key.key_pem and "BEGIN CERTIFICATE" in key.cert_pem
    issuer = dcc_kit.Issuer.from_pem(key.key_pem, key.cert_pem)
    assert issuer.signer.country == "FR"
    assert "pilot DSC" in issuer.signer.subject
    cert = issuer.issue(example("test"), validity=timedelta(days=1))
    assert cert.claims.iss == "FR"
    trusted = dcc_kit.Verifier.from_certs([key.cert_pem.encode()])
    assert trusted.trusted[0].kid == issuer.signer.kid
    assert trusted.verify(cert.hc1).valid


def test_png_and_svg(golden_issuer) -> None:
    cert = golden_issuer.issue(example("vaccination"), issued_at=utc(IAT), validity=timedelta(days=30))
    w2, h2 = png_size(cert.to_png(scale=2))
    w4, h4 = png_size(cert.to_png())  # default scale 4
    assert w2 == h2 and w4 == h4 and w4 == 2 * w2
    modules = w2 // 2
    assert (modules - 8 - 21) % 4 == 0  # quiet zone 4 on each side, QR size 21 + 4k
    svg = cert.to_svg()
    assert "<svg" in svg and svg.rstrip().endswith("</svg>")


def test_normalisation_changes_are_reported(golden_issuer, golden_verifier) -> None:
    payload = example("vaccination")
    payload["nam"]["gn"] = "  Gabriele "
    cert = golden_issuer.issue(payload, issued_at=utc(IAT), validity=timedelta(days=30))
    assert any(c.path == "nam/gn" for c in cert.changes), cert.changes
    assert cert.payload["nam"]["gn"] == "Gabriele"
    assert golden_verifier.verify(cert.hc1, at=AT).payload["nam"]["gn"] == "Gabriele"
    clean = golden_issuer.issue(example("vaccination"), issued_at=utc(IAT), validity=timedelta(days=30))
    assert clean.changes == []


def test_reprs_are_informative(golden_issuer, golden_verifier) -> None:
    cert = golden_issuer.issue(example("vaccination"), issued_at=utc(IAT), validity=timedelta(days=30))
    result = golden_verifier.verify(cert.hc1, at=AT)
    assert repr(golden_issuer).startswith("Issuer(algorithm='ES256'")
    assert repr(cert).startswith("Certificate(hc1='HC1:")
    assert repr(result) == "Verification(valid=True, failures=[])"
    assert "signature=Outcome(status='passed'" in repr(result.checks)
    assert repr(cert.claims) == f"Claims(iss='XX', iat={IAT}, exp={IAT + 30 * 86_400})"
    assert repr(golden_verifier) == "Verifier(trusted=2)"
