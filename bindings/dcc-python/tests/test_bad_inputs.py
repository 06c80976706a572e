"""The shared bad-input table (tests/golden/bad-inputs.json): every malformed input gets the same
error code, or the same failed check, as in Rust (tests/src/bad.rs, `run`)."""

from __future__ import annotations

import base64
from datetime import timedelta
from typing import Any

import pytest

import dcc_kit
from conftest import golden_json, golden_text, utc

TABLE = golden_json("bad-inputs.json")
CASES: list[dict[str, Any]] = TABLE["cases"]
AT = utc(TABLE["verify_at"])


@pytest.fixture(scope="module")
def verifier() -> dcc_kit.Verifier:
    return dcc_kit.Verifier.from_certs([golden_text(name) for name in TABLE["trust"]])


def run(case: dict[str, Any], verifier: dcc_kit.Verifier) -> object:
    """Mirrors the Rust runner: returns a Verification, or None for a call that succeeds."""
    kind, data = case["kind"], case["input"]
    es_pem = golden_text("dsc-es256.pem")
    if kind == "hc1":
        return verifier.verify(data, at=AT)
    if kind == "hc1_repeat":
        return verifier.verify(data["prefix"] + data["char"] * data["count"], at=AT)
    if kind == "image":
        return verifier.verify_image(base64.b64decode(data), at=AT)
    if kind == "key":
        dcc_kit.Issuer.from_pem(data, es_pem)
        return None
    if kind == "certificate":
        dcc_kit.Verifier.from_certs([data])
        return None
    if kind == "issue":
        issuer = dcc_kit.Issuer.from_pem(golden_text("es256-key.pem"), es_pem)
        issuer.issue(
            data["payload"],
            iss=data.get("iss"),
            issued_at=utc(data["issued_at"]),
            validity=timedelta(days=data["valid_days"]),
        )
        return None
    raise AssertionError(f"unknown case kind {kind}")


def test_the_table_is_complete() -> None:
    assert len(CASES) >= 60
    kinds = {c["kind"] for c in CASES}
    assert kinds == {"hc1", "hc1_repeat", "image", "key", "certificate", "issue"}


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_bad_input(case: dict[str, Any], verifier: dcc_kit.Verifier) -> None:
    expect = case["expect"]
    if "error" in expect:
        code = expect["error"]
        with pytest.raises(dcc_kit.DccError) as raised:
            run(case, verifier)
        assert raised.value.code == code, str(raised.value)
        assert type(raised.value) is dcc_kit.ERROR_CLASSES[code]
        assert str(raised.value) == raised.value.message != ""
        return
    result = run(case, verifier)
    assert isinstance(result, dcc_kit.Verification)
    which = expect["check"]
    outcome = getattr(result.checks, which)
    if not expect.get("valid", which == "payload"):
        assert not result.valid
    if "finding" in expect:
        assert result.findings and result.findings[0].code == expect["finding"]
    if expect["code"] == "passed":
        assert outcome.status == "passed", outcome
        return
    assert outcome.status == "failed", outcome
    assert outcome.code == expect["code"]
    if which != "payload":
        assert expect["code"] in [f.code for f in result.failures]
