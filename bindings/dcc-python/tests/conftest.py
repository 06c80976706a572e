"""Shared fixtures: the repository's golden data (tests/golden) and example payloads.

The tests import the INSTALLED `dcc_kit` (test.sh installs the wheel into a fresh venv);
`test_installed.py` checks that the package does not come from the source tree.
"""

from __future__ import annotations

import json
import os
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest

import dcc_kit

ROOT = Path(os.environ["DCC_ROOT"]) if "DCC_ROOT" in os.environ else Path(__file__).resolve().parents[3]
GOLDEN = ROOT / "tests" / "golden"
EXAMPLES = ROOT / "examples"
TYPES = ("vaccination", "test", "recovery")


def utc(secs: int) -> datetime:
    """Seconds since the epoch as an aware UTC datetime."""
    return datetime.fromtimestamp(secs, tz=timezone.utc)


def letters(i: int) -> str:
    """A distinct name suffix for i (names may hold letters only): 12 -> "bc"."""
    return "".join(chr(ord("a") + int(d)) for d in str(i))


def key_kid(cert_pem: str) -> str:
    """The kid of a DSC computed independently: the first 8 bytes of the SHA-256 of its DER,
    base64 (as in the EU gateway's trust lists)."""
    import base64
    import hashlib

    from cryptography import x509
    from cryptography.hazmat.primitives.serialization import Encoding

    der = x509.load_pem_x509_certificate(cert_pem.encode()).public_bytes(Encoding.DER)
    return base64.b64encode(hashlib.sha256(der).digest()[:8]).decode()


def golden_text(name: str) -> str:
    return (GOLDEN / name).read_text()


def golden_json(name: str) -> Any:
    return json.loads((GOLDEN / name).read_text())


def example(kind: str) -> dict[str, Any]:
    return json.loads((EXAMPLES / f"{kind}.json").read_text())


@pytest.fixture(scope="session")
def es256_key() -> str:
    return golden_text("es256-key.pem")


@pytest.fixture(scope="session")
def es256_dsc() -> str:
    return golden_text("dsc-es256.pem")


@pytest.fixture(scope="session")
def ps256_dsc() -> str:
    return golden_text("dsc-ps256.pem")


@pytest.fixture(scope="session")
def rsa_key() -> str:
    return golden_text("rsa-key.pem")


@pytest.fixture(scope="session")
def golden_issuer(es256_key: str, es256_dsc: str) -> dcc_kit.Issuer:
    # RFC 6979: the golden files and several tests compare bytes.
    return dcc_kit.Issuer.from_pem_deterministic(es256_key, es256_dsc)


@pytest.fixture(scope="session")
def golden_verifier(es256_dsc: str, ps256_dsc: str) -> dcc_kit.Verifier:
    return dcc_kit.Verifier.from_certs([es256_dsc, ps256_dsc])
