"""The sample of official EU vectors (tests/golden/conformance-sample.json: every common/ vector
plus one per country) must get the same answers as the Rust verifier."""

from __future__ import annotations

from typing import Any

import pytest

import dcc_kit
from conftest import golden_json, utc

VECTORS: list[dict[str, Any]] = golden_json("conformance-sample.json")["vectors"]


def outcome_code(o: dcc_kit.Outcome) -> str:
    """The sample's notation: "passed", "skipped" or the failure code."""
    if o.status == "failed":
        assert o.code
        return o.code
    return o.status


def test_the_sample_covers_common_and_every_country() -> None:
    names = [v["name"] for v in VECTORS]
    assert len(names) == len(set(names)) >= 70
    assert sum(n.startswith("common/") for n in names) >= 30
    countries = {n.split("/")[0] for n in names if not n.startswith("common/")}
    assert len(countries) >= 30


@pytest.mark.parametrize("vector", VECTORS, ids=[v["name"] for v in VECTORS])
def test_vector(vector: dict[str, Any]) -> None:
    expect = vector["expect"]
    verifier = dcc_kit.Verifier.from_certs([vector["certificate"]])
    at = utc(vector["at"])
    if "error" in expect:
        with pytest.raises(dcc_kit.DccError) as raised:
            verifier.verify(vector["hc1"], at=at)
        assert raised.value.code == expect["error"]
        assert type(raised.value) is dcc_kit.ERROR_CLASSES[expect["error"]]
        return
    result = verifier.verify(vector["hc1"], at=at)
    got = {
        "valid": result.valid,
        "signature": outcome_code(result.checks.signature),
        "validity": outcome_code(result.checks.validity),
        "key_usage": outcome_code(result.checks.key_usage),
        "payload": result.payload,
    }
    want = {k: expect[k] for k in got}
    assert got == want
