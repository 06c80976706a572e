"""The package's public surface against the operation table (api/operations.json): every
operation under its Python name, and none of the 0.1 names the table replaced."""

from __future__ import annotations

import json
from typing import Any

import pytest

import dcc_kit
from conftest import ROOT

TABLE: list[dict[str, Any]] = json.loads((ROOT / "api" / "operations.json").read_text())["operations"]

# The 0.1 names, each replaced by one name of the table.
REMOVED = [
    ("Certificate", "png"),
    ("Certificate", "svg"),
    ("Issuer", "dsc"),
]


def python_names() -> list[str]:
    return sorted({op["python"] for op in TABLE if op["python"] not in ("", "-")})


def test_the_table_has_a_python_column() -> None:
    assert len(python_names()) >= 30
    assert all("python" in op for op in TABLE)


@pytest.mark.parametrize("name", python_names())
def test_operation_exists(name: str) -> None:
    if "." in name:
        type_name, member = name.split(".")
        cls = getattr(dcc_kit, type_name)
        assert isinstance(cls, type), name
        assert hasattr(cls, member), name
        assert type_name in dcc_kit.__all__
    else:
        assert hasattr(dcc_kit, name), name
        assert name in dcc_kit.__all__


@pytest.mark.parametrize("type_name, member", REMOVED)
def test_old_names_are_gone(type_name: str, member: str) -> None:
    assert not hasattr(getattr(dcc_kit, type_name), member)


def test_constructors_are_the_table_s() -> None:
    """Issuers and verifiers come only from the named constructors of the table."""
    for cls in (dcc_kit.Issuer, dcc_kit.Verifier):
        with pytest.raises(TypeError):
            cls()  # type: ignore[call-arg]
    import inspect

    assert "deterministic" not in inspect.signature(dcc_kit.Issuer.from_pem).parameters
    for method in (dcc_kit.Issuer.issue, dcc_kit.Issuer.prepare, dcc_kit.Issuer.issue_batch):
        params = inspect.signature(method).parameters
        assert "validity" in params and "valid_for" not in params and "expires_at" not in params
