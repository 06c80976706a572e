"""The operations added with the one-API layer: codes, kid in base64, the certificate view,
validate, transliterate, UVCI, key defaults and value-set replacement."""

from __future__ import annotations

import base64
import dataclasses
import json
import re
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

import dcc_kit
from conftest import ROOT, TYPES, example, key_kid, utc

IAT = 1_622_505_600
SNAKE = re.compile(r"[a-z][a-z0-9_]*")
NEW_VACCINE = "EU/9/99/9999"


def test_code_lists() -> None:
    for codes in (dcc_kit.error_codes(), dcc_kit.check_codes(), dcc_kit.issue_codes()):
        assert codes and len(set(codes)) == len(codes)
        assert all(SNAKE.fullmatch(c) for c in codes)
    assert "invalid_value_set" in dcc_kit.error_codes() and "invalid_argument" in dcc_kit.error_codes()
    assert "expired" in dcc_kit.check_codes() and "multiple_groups" in dcc_kit.issue_codes()


def test_codes_in_records_come_from_the_lists(golden_issuer, golden_verifier) -> None:
    cert = golden_issuer.issue(example("test"), issued_at=utc(IAT), validity=timedelta(hours=1))
    late = golden_verifier.verify(cert.hc1, at=utc(IAT + 7200))
    assert [f.code for f in late.failures] == ["expired"]
    assert set(f.code for f in late.failures) <= set(dcc_kit.check_codes())
    bad = example("vaccination")
    bad["v"][0]["dn"] = 0
    report = dcc_kit.validate(bad, at=utc(IAT))
    assert not report.valid and report.issues
    assert {i.code for i in report.issues} <= set(dcc_kit.issue_codes())


def test_kid_is_base64_everywhere(golden_issuer, golden_verifier, es256_dsc: str) -> None:
    cert = golden_issuer.issue(example("vaccination"), issued_at=utc(IAT), validity=timedelta(days=1))
    result = golden_verifier.verify(cert.hc1, at=utc(IAT + 60))
    decoded = dcc_kit.decode(cert.hc1)
    kid = key_kid(es256_dsc)
    assert result.signer is not None
    assert cert.kid == result.kid == decoded.kid == result.signer.kid == golden_issuer.signer.kid == kid
    assert len(base64.b64decode(kid, validate=True)) == 8
    assert kid in [s.kid for s in golden_verifier.trusted]


@pytest.mark.parametrize("kind", TYPES)
def test_certificate_fields_are_its_view(kind: str, golden_issuer) -> None:
    cert = golden_issuer.issue(example(kind), issued_at=utc(IAT), validity=timedelta(days=1))
    view = json.loads(cert.to_json())
    assert list(view) == ["hc1", "kid", "algorithm", "certificate_type", "claims", "payload", "changes"]
    native = {name: getattr(cert, name) for name in view}
    native["claims"] = dataclasses.asdict(native["claims"])
    native["changes"] = [dataclasses.asdict(c) for c in native["changes"]]
    assert native == view
    assert cert.certificate_type == kind
    assert cert.algorithm == "ES256"


def test_verification_and_decoded_fields_are_their_views(golden_issuer, golden_verifier) -> None:
    cert = golden_issuer.issue(example("recovery"), issued_at=utc(IAT), validity=timedelta(days=1))
    result = golden_verifier.verify(cert.hc1, at=utc(IAT + 60))
    assert dataclasses.asdict(result) == json.loads(result.to_json())
    assert [f.name for f in dataclasses.fields(result)] == list(json.loads(result.to_json()))
    assert result.certificate_type == "recovery"
    decoded = dcc_kit.decode(cert.hc1)
    as_dict = dataclasses.asdict(decoded)
    assert as_dict.pop("cose") == cert.cose
    assert as_dict == {k: v for k, v in json.loads(result.to_json()).items() if k in as_dict}


def test_validate_never_signs_and_reports_every_problem() -> None:
    payload = example("vaccination")
    payload["nam"]["gn"] = "  Gabriele "
    report = dcc_kit.validate(payload, at=utc(IAT))
    assert report.valid and report.issues == []
    assert report.payload["nam"]["gn"] == "Gabriele"
    assert any(c.path == "nam/gn" for c in report.changes)
    assert dcc_kit.validate(json.dumps(payload)).valid  # JSON text, default time now
    two = example("vaccination")
    two["t"] = example("test")["t"]
    assert "multiple_groups" in [i.code for i in dcc_kit.validate(two, at=utc(IAT)).issues]
    with pytest.raises(dcc_kit.InvalidPayloadError):
        dcc_kit.validate("{not json")
    with pytest.raises(dcc_kit.InvalidOptionsError):
        dcc_kit.validate(payload, at=datetime(2021, 6, 1))


def test_transliterate_and_uvci() -> None:
    assert dcc_kit.transliterate("Müller-Lüdenscheidt") == "MUELLER<LUEDENSCHEIDT"
    with pytest.raises(dcc_kit.InvalidArgumentError):
        dcc_kit.transliterate("😀")
    uvci = dcc_kit.generate_uvci("DE", "RKI")
    assert re.fullmatch(r"URN:UVCI:01:DE:RKI/[A-Z0-9]+#.", uvci), uvci
    assert dcc_kit.generate_uvci("DE", "RKI") != uvci
    for country, issuer in (("D1", "RKI"), ("DE", "R K I"), ("DE", "")):
        with pytest.raises(dcc_kit.InvalidArgumentError):
            dcc_kit.generate_uvci(country, issuer)


def test_generate_key_defaults_are_the_facade_s() -> None:
    key = dcc_kit.generate_key()
    signer = dcc_kit.Issuer.from_pem(key.key_pem, key.cert_pem).signer
    assert signer.country == "XX"
    assert "dcc-kit test DSC" in signer.subject
    assert signer.not_before is not None and signer.not_after is not None
    days = (signer.not_after - signer.not_before) / 86_400
    assert 730 <= days < 731, days
    assert signer.valid_until is not None and signer.valid_until.tzinfo is timezone.utc
    with pytest.raises(dcc_kit.InvalidOptionsError):
        dcc_kit.generate_key(country="germany")
    with pytest.raises(dcc_kit.InvalidOptionsError):
        dcc_kit.generate_key(valid_days=-1)


def new_vaccine_value_set() -> str:
    path = ROOT / "crates" / "dcc-payload" / "data" / "valuesets" / "vaccine-medicinal-product.json"
    data: dict[str, Any] = json.loads(path.read_text())
    data["valueSetValues"][NEW_VACCINE] = {"display": "New", "lang": "en", "active": True, "system": "", "version": ""}
    return json.dumps(data)


def test_value_sets_replace_the_embedded_copies(golden_issuer, golden_verifier, es256_key: str, es256_dsc: str) -> None:
    payload = example("vaccination")
    payload["v"][0]["mp"] = NEW_VACCINE
    sets = [new_vaccine_value_set()]
    assert not dcc_kit.validate(payload, at=utc(IAT)).valid
    assert dcc_kit.validate(payload, at=utc(IAT), value_sets=sets).valid
    with pytest.raises(dcc_kit.ValidationError):
        golden_issuer.issue(payload, issued_at=utc(IAT), validity=timedelta(days=1))
    newer = golden_issuer.with_value_sets(sets)
    cert = newer.issue(payload, issued_at=utc(IAT), validity=timedelta(days=1))
    assert golden_verifier.verify(cert.hc1, at=utc(IAT + 60)).findings
    assert golden_verifier.with_value_sets(sets).verify(cert.hc1, at=utc(IAT + 60)).findings == []
    for bad in (["{not json"], [b"\xff"], ['{"valueSetId": 5}']):
        with pytest.raises(dcc_kit.InvalidValueSetError):
            golden_issuer.with_value_sets(bad)
        with pytest.raises(dcc_kit.InvalidValueSetError):
            dcc_kit.validate(payload, value_sets=bad)


def test_now() -> None:
    assert abs(dcc_kit.now() - datetime.now(timezone.utc).timestamp()) < 5
