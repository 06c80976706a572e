"""Certificate signing requests (PKCS#10) for keys in memory: ``generate_key(...).csr_pem`` and
``Issuer.certificate_request``, read back with ``cryptography`` (signature, subject, key usages,
public key); the DSCs carry the requested types too. Keys in a token: ``test_pkcs11.py``."""

from __future__ import annotations

from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization

import dcc_kit
from independent import ECDSA_WITH_SHA256, HCERT_OIDS, RSASSA_PSS, check_csr, public_key, spki

ALL = ["test", "vaccination", "recovery"]


def private_public(key_pem: str) -> Any:
    return serialization.load_pem_private_key(key_pem.encode(), password=None).public_key()


def dsc_types(cert_pem: str) -> list[str]:
    cert = x509.load_pem_x509_certificate(cert_pem.encode())
    eku = cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    return [o.dotted_string for o in eku]


def test_generate_key_gives_a_request_with_subject_and_types() -> None:
    key = dcc_kit.generate_key(
        country="DE",
        common_name="DSC Pharmacy 4711",
        organization="Example Health Ltd",
        certificate_types=["recovery", "vaccination"],
    )
    csr = check_csr(
        key.csr_pem,
        country="DE",
        common_name="DSC Pharmacy 4711",
        organization="Example Health Ltd",
        types=["vaccination", "recovery"],
        key=private_public(key.key_pem),
    )
    assert csr.signature_algorithm_oid.dotted_string == ECDSA_WITH_SHA256
    # The self-signed DSC: same key, same subject, exactly the requested types (in OID order).
    assert spki(public_key(key.cert_pem)) == spki(csr.public_key())
    assert dsc_types(key.cert_pem) == [HCERT_OIDS["vaccination"], HCERT_OIDS["recovery"]]
    cert = x509.load_pem_x509_certificate(key.cert_pem.encode())
    assert cert.subject == csr.subject
    assert "csr_pem=<PEM request>" in repr(key) and "PRIVATE" not in repr(key)


def test_defaults_request_all_three_types() -> None:
    key = dcc_kit.generate_key()
    check_csr(key.csr_pem, country="XX", common_name="dcc-kit test DSC", organization=None, types=ALL)
    assert sorted(dsc_types(key.cert_pem)) == sorted(HCERT_OIDS.values())
    # An empty list is the default too (all three), and one type may be given alone.
    empty = dcc_kit.generate_key(certificate_types=[])
    check_csr(empty.csr_pem, country="XX", common_name="dcc-kit test DSC", organization=None, types=ALL)
    one = dcc_kit.generate_key(certificate_types="test")
    check_csr(one.csr_pem, country="XX", common_name="dcc-kit test DSC", organization=None, types=["test"])
    assert dsc_types(one.cert_pem) == [HCERT_OIDS["test"]]
    # A blank organization is left out.
    blank = dcc_kit.generate_key(organization="  ")
    check_csr(blank.csr_pem, country="XX", common_name="dcc-kit test DSC", organization=None, types=ALL)


@pytest.mark.parametrize(
    "options",
    [
        {"country": "de"},
        {"common_name": " "},
        {"certificate_types": ["booster"]},
        {"certificate_types": [1]},
        {"organization": 5},
        {"certificate_types": [{1, 2}]},
    ],
    ids=["lower-country", "blank-cn", "unknown-type", "type-not-str", "org-not-str", "no-json-form"],
)
def test_bad_key_options(options: dict[str, Any], golden_issuer: dcc_kit.Issuer) -> None:
    with pytest.raises(dcc_kit.InvalidOptionsError):
        dcc_kit.generate_key(**options)
    with pytest.raises(dcc_kit.InvalidOptionsError):
        golden_issuer.certificate_request(**options)


def test_certificate_request_for_an_es256_issuer(es256_key: str, es256_dsc: str) -> None:
    for issuer in (
        dcc_kit.Issuer.from_pem(es256_key, es256_dsc),
        dcc_kit.Issuer.from_pem_deterministic(es256_key, es256_dsc),
    ):
        pem = issuer.certificate_request(
            country="AT", common_name="DSC Vienna 2", organization="Gesundheit", certificate_types=["test"]
        )
        assert pem.startswith("-----BEGIN CERTIFICATE REQUEST-----")
        check_csr(
            pem,
            country="AT",
            common_name="DSC Vienna 2",
            organization="Gesundheit",
            types=["test"],
            key=public_key(es256_dsc),
        )


def test_certificate_request_for_a_ps256_issuer(rsa_key: str, ps256_dsc: str) -> None:
    issuer = dcc_kit.Issuer.from_pem(rsa_key, ps256_dsc)
    pem = issuer.certificate_request(country="FR", common_name="DSC Paris")
    csr = check_csr(pem, country="FR", common_name="DSC Paris", organization=None, types=ALL, key=public_key(ps256_dsc))
    assert csr.signature_algorithm_oid.dotted_string == RSASSA_PSS


def test_certificate_request_for_the_demo_issuer() -> None:
    issuer = dcc_kit.Issuer.demo()
    pem = issuer.certificate_request()
    check_csr(pem, country="XX", common_name="dcc-kit test DSC", organization=None, types=ALL)


def test_a_callable_signer_cannot_make_a_request(es256_dsc: str) -> None:
    """A callable does not tell its public key: the facade refuses (invalid_options) instead of
    making a request that might be for another key."""
    calls: list[bytes] = []
    issuer = dcc_kit.Issuer.from_signer(lambda tbs: calls.append(tbs) or b"", es256_dsc, "ES256")
    with pytest.raises(dcc_kit.InvalidOptionsError) as raised:
        issuer.certificate_request(country="DE", common_name="x")
    assert "does not know its public key" in str(raised.value)
    assert calls == [], "nothing was signed"
