"""Signed trust lists: the shared golden cases (tests/golden/trust-list-views.json, produced by
Rust) replayed through TrustList.load, the German list (829 DSCs, a flipped byte, a malformed
list), a bare-key signer from a Swiss-format key list, and verifiers trusting a list."""

from __future__ import annotations

import dataclasses
import json
from datetime import datetime, timezone
from typing import Any, Optional

import pytest

import dcc_kit
from conftest import GOLDEN, ROOT, example

TESTS = ROOT / "tests"
DEMO_CERT = ROOT / "crates" / "dcc" / "src" / "demo" / "cert.pem"
GERMAN = TESTS / "vectors" / "trustlists" / "de" / "dsc-list.txt"
GERMAN_KEY = TESTS / "vectors" / "trustlists" / "de" / "dsc-list-signing-key.pem"
CASES: list[dict[str, Any]] = json.loads((GOLDEN / "trust-list-views.json").read_text())
AT_2026 = datetime(2026, 1, 1, tzinfo=timezone.utc)


def rfc3339(text: Optional[str]) -> Optional[datetime]:
    """An RFC 3339 time of the golden file (``...Z``) as an aware datetime (3.9 has no Z)."""
    return None if text is None else datetime.fromisoformat(text.replace("Z", "+00:00"))


def case_file(case: dict[str, Any], key: str) -> Optional[bytes]:
    return None if key not in case else (TESTS / case[key]).read_bytes()


def load_case(case: dict[str, Any]) -> dcc_kit.TrustList:
    content = case_file(case, "content")
    assert content is not None
    return dcc_kit.TrustList.load(
        content,
        case_file(case, "companion"),
        case_file(case, "anchor"),
        at=rfc3339(case.get("at")),
        allow_expired=case.get("allow_expired", False),
        name=case.get("name"),
    )


def test_the_golden_file_covers_every_format_and_error() -> None:
    formats = {c["expect"]["format"] for c in CASES if "format" in c["expect"]}
    assert formats == {"de", "at", "ch", "eu-gateway"}
    errors = {c["expect"]["error"] for c in CASES if "error" in c["expect"]}
    assert errors >= {"trust_list_signature_invalid", "trust_list_expired", "invalid_trust_list", "invalid_argument"}


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_golden_case(case: dict[str, Any]) -> None:
    expect = case["expect"]
    if "error" in expect:
        with pytest.raises(dcc_kit.DccError) as raised:
            load_case(case)
        assert raised.value.code == expect["error"]
        assert type(raised.value) is dcc_kit.ERROR_CLASSES[expect["error"]]
        return
    trust_list = load_case(case)
    view = trust_list.view()
    assert isinstance(view, dcc_kit.TrustListView)
    assert all(isinstance(s, dcc_kit.SkippedEntry) for s in view.skipped)
    assert dataclasses.asdict(view) == expect
    assert json.loads(trust_list.to_json()) == expect
    assert len(trust_list) == expect["entries"]


# ---------------------------------------------------------------------------------------------
# The German list


@pytest.fixture(scope="module")
def german() -> dcc_kit.TrustList:
    return dcc_kit.TrustList.load(GERMAN.read_bytes(), anchor=GERMAN_KEY.read_bytes(), name="de-dsc-list")


def test_the_german_list_loads_with_829_entries(german: dcc_kit.TrustList) -> None:
    view = german.view()
    assert (view.format, view.signature_verified, view.signed_by) == ("de", True, "P-256 public key")
    assert (view.entries, view.certificates, view.bare_keys, view.skipped) == (829, 829, 0, [])
    assert sum(view.countries.values()) == 829 and len(view.countries) == 77
    # str works as bytes do (the list is text), and the format may be named in any case.
    again = dcc_kit.TrustList.load(GERMAN.read_text(), anchor=GERMAN_KEY.read_text(), format="DE")
    assert again.view().entries == 829


def test_a_flipped_byte_in_the_german_json_is_a_signature_error() -> None:
    content = bytearray(GERMAN.read_bytes())
    content[content.index(b"\n") + 500] ^= 0x01
    with pytest.raises(dcc_kit.TrustListSignatureInvalidError) as raised:
        dcc_kit.TrustList.load(bytes(content), anchor=GERMAN_KEY.read_bytes())
    assert raised.value.code == "trust_list_signature_invalid"
    assert isinstance(raised.value, dcc_kit.DccError)


@pytest.mark.parametrize(
    "content, fmt",
    [(b"not a trust list at all", None), (b'{"certificates": 5', None), (b"[1, 2, 3]", "eu-gateway")],
)
def test_a_malformed_list_is_invalid_trust_list(content: bytes, fmt: Optional[dcc_kit.TrustListFormat]) -> None:
    with pytest.raises(dcc_kit.InvalidTrustListError) as raised:
        dcc_kit.TrustList.load(content, format=fmt)
    assert raised.value.code == "invalid_trust_list" and raised.value.message


def test_bad_arguments_raise_typed_errors() -> None:
    with pytest.raises(dcc_kit.InvalidArgumentError):  # signed format without its anchor
        dcc_kit.TrustList.load(GERMAN.read_bytes())
    with pytest.raises(dcc_kit.InvalidArgumentError):  # an unknown format
        dcc_kit.TrustList.load(GERMAN.read_bytes(), anchor=GERMAN_KEY.read_bytes(), format="x")  # type: ignore[arg-type]
    with pytest.raises(dcc_kit.InvalidOptionsError):  # a naive datetime
        dcc_kit.TrustList.load(GERMAN.read_bytes(), anchor=GERMAN_KEY.read_bytes(), at=datetime(2026, 1, 1))
    with pytest.raises(dcc_kit.EmptyInputError):
        dcc_kit.TrustList.load(b"  \n")
    with pytest.raises(TypeError):
        dcc_kit.TrustList.load(42)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        dcc_kit.Verifier.demo().with_trust_list("de")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        dcc_kit.TrustList()  # type: ignore[call-arg]


def test_a_verifier_trusts_the_list_and_names_it(german: dcc_kit.TrustList) -> None:
    verifier = dcc_kit.Verifier.demo().with_trust_list(german)
    assert len(verifier) == 830 and len(dcc_kit.Verifier.demo()) == 1  # a copy
    trusted = verifier.trusted
    direct = [s for s in trusted if s.source is None]
    assert len(direct) == 1 and direct[0].certificate
    listed = [s for s in trusted if s.source is not None]
    assert len(listed) == 829
    for s in listed:
        assert s.certificate and isinstance(s.source, dcc_kit.TrustSource)
        assert (s.source.format, s.source.list, s.source.list_expired) == ("de", "de-dsc-list", False)
    assert {s.source.country for s in listed if s.source} == set(german.view().countries)


# ---------------------------------------------------------------------------------------------
# Signers from lists


def verifier_of(name: str) -> dcc_kit.Verifier:
    """An empty verifier trusting only the golden case ``name``'s list."""
    case = next(c for c in CASES if c["name"] == name)
    return dcc_kit.Verifier.from_certs([]).with_trust_list(load_case(case))


def demo_certificate() -> dcc_kit.Certificate:
    return dcc_kit.Issuer.demo().issue(example("vaccination"), issued_at=AT_2026)


def test_a_bare_key_signer_verifies_with_validity_and_key_usage_not_checkable() -> None:
    verifier = verifier_of("demo-keys")  # golden/trustlists/demo-keys.jwt, the demo key bare
    assert len(verifier) == 1
    cert = demo_certificate()
    result = verifier.verify(cert.hc1, at=AT_2026)
    assert result.valid, result.failures
    assert result.checks.signature.status == "passed"
    for outcome in (result.checks.validity, result.checks.key_usage):
        assert outcome.status == "not_checkable" and not outcome.passed
        assert outcome.code is None and outcome.message
    assert result.failures == []
    signer = result.signer
    assert signer is not None and signer.certificate is False
    assert signer.source is not None and signer.source.format == "ch"
    assert (signer.source.list, signer.source.list_expired) == ("demo-keys", False)
    view = json.loads(result.to_json())
    assert view["checks"]["validity"]["status"] == "not_checkable"
    assert view["signer"]["certificate"] is False and view["signer"]["source"]["format"] == "ch"
    assert dataclasses.asdict(result)["signer"] == view["signer"]
    result.ensure_valid()
    # The claims are still checked: after the expiry the certificate is expired.
    late = verifier.verify(cert.hc1, at=datetime(2030, 1, 1, tzinfo=timezone.utc))
    assert not late.valid and late.checks.validity.code == "expired"


def test_a_certificate_signer_from_a_list_is_fully_checked() -> None:
    verifier = verifier_of("austrian")  # golden/trustlists/at-list.cbor: demo-signed certificates
    result = verifier.verify(demo_certificate().hc1, at=AT_2026)
    assert result.valid, result.failures
    assert result.checks.validity.status == "passed" and result.checks.key_usage.status == "passed"
    signer = result.signer
    assert signer is not None and signer.certificate is True
    assert signer.source == dcc_kit.TrustSource(format="at", list="austrian", country="XX", list_expired=False)


def test_a_signer_trusted_directly_has_no_source() -> None:
    result = dcc_kit.Verifier.demo().verify(demo_certificate().hc1, at=AT_2026)
    assert result.signer is not None and result.signer.certificate and result.signer.source is None
    assert dcc_kit.Issuer.demo().signer.source is None
