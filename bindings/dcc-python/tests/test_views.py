"""The records are the facade's views, field for field: for every vector of the shared golden
file tests/golden/conformance-views.json, the dict built from the native dataclasses equals
the golden view (and a decoding error has the golden error view). The same file is checked by
the CLI and every other binding."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import pytest

import dcc_kit
from conftest import GOLDEN, utc

FILE = GOLDEN / "conformance-views.json"
VECTORS: list[dict[str, Any]] = json.loads(FILE.read_text())["vectors"] if FILE.exists() else []


def view_of(result: dcc_kit.Verification) -> dict[str, Any]:
    """The canonical JSON built from the dataclass, not from to_json(): the field names are
    the view's (snake_case in Python too), so the mapping is dataclasses.asdict itself."""
    return dataclasses.asdict(result)


def error_view_of(error: dcc_kit.DccError) -> dict[str, Any]:
    return {
        "code": error.code,
        "message": error.message,
        "issues": [dataclasses.asdict(i) for i in error.issues],
        "failures": [dataclasses.asdict(f) for f in error.failures],
    }


def test_the_golden_file_exists() -> None:
    assert FILE.exists(), f"{FILE} is missing"
    assert len(VECTORS) >= 10
    assert any(v["view"] is not None for v in VECTORS)


@pytest.mark.parametrize("vector", VECTORS, ids=[v["name"] for v in VECTORS])
def test_view(vector: dict[str, Any]) -> None:
    verifier = dcc_kit.Verifier.from_certs([vector["certificate"]])
    at = utc(vector["at"])
    if vector.get("error") is not None:
        with pytest.raises(dcc_kit.DccError) as raised:
            verifier.verify(vector["hc1"], at=at)
        assert type(raised.value) is dcc_kit.ERROR_CLASSES[vector["error"]["code"]]
        got = error_view_of(raised.value)
        want = vector["error"]
        assert {k: got[k] for k in want} == want
        return
    result = verifier.verify(vector["hc1"], at=at)
    assert view_of(result) == vector["view"]
    assert json.loads(result.to_json()) == vector["view"]
