"""Batch issuing (dcc::Issuer::issue_batch): every core, the GIL released, results in order,
per-item errors."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta
from typing import Any

import pytest

import dcc_kit
from conftest import TYPES, example, letters, utc

IAT = 1_622_505_600
OPTS: dict[str, Any] = dict(iss="XX", issued_at=utc(IAT), validity=timedelta(days=30))


def payloads(n: int) -> list[dict[str, Any]]:
    out = []
    for i in range(n):
        p = example(TYPES[i % 3])
        p["nam"]["gn"] = "Person" + letters(i)
        p["nam"]["gnt"] = "PERSON" + letters(i).upper()
        out.append(p)
    return out


def test_batch_equals_one_by_one_in_order(golden_issuer) -> None:
    items = payloads(25)
    expected = [golden_issuer.issue(p, **OPTS).hc1 for p in items]  # ES256 is deterministic
    results = golden_issuer.issue_batch(items, **OPTS)
    assert len(results) == len(items)
    assert all(isinstance(r, dcc_kit.Certificate) for r in results)
    assert [r.hc1 for r in results if isinstance(r, dcc_kit.Certificate)] == expected


def test_per_item_errors_do_not_fail_the_batch(golden_issuer, golden_verifier) -> None:
    two_groups = example("vaccination")
    two_groups["t"] = example("test")["t"]
    items: list[Any] = [
        example("vaccination"),
        "{not json",
        two_groups,
        example("test"),
        [1, 2],
        {"bad": {1, 2}},
        example("recovery"),
    ]
    results = golden_issuer.issue_batch(items, **OPTS)
    kinds = [type(r).__name__ for r in results]
    assert kinds == [
        "Certificate",
        "InvalidPayloadError",
        "ValidationError",
        "Certificate",
        "InvalidPayloadError",
        "InvalidPayloadError",
        "Certificate",
    ]
    err = results[2]
    assert isinstance(err, dcc_kit.ValidationError)
    assert err.code == "validation_failed" and err.issues
    for r in results:
        if isinstance(r, dcc_kit.Certificate):
            assert golden_verifier.verify(r.hc1, at=utc(IAT + 60)).valid


def test_empty_batch_and_bad_arguments(golden_issuer) -> None:
    assert golden_issuer.issue_batch([]) == []
    assert golden_issuer.issue_batch(iter([])) == []
    with pytest.raises(TypeError):
        golden_issuer.issue_batch([example("test")], threads=2)  # type: ignore[call-arg]
    # Options are shared by the batch, so a bad option fails the call itself.
    with pytest.raises(dcc_kit.InvalidOptionsError):
        golden_issuer.issue_batch([example("test")], issued_at=datetime(2021, 6, 1))
    with pytest.raises(TypeError):
        golden_issuer.issue_batch(42)  # type: ignore[arg-type]


def test_generator_input(golden_issuer) -> None:
    results = golden_issuer.issue_batch((p for p in payloads(4)), **OPTS)
    assert len(results) == 4 and all(isinstance(r, dcc_kit.Certificate) for r in results)


def test_batch_with_a_callable_signer(es256_key: str, es256_dsc: str, golden_issuer, golden_verifier) -> None:
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    key = serialization.load_pem_private_key(es256_key.encode(), password=None)
    assert isinstance(key, ec.EllipticCurvePrivateKey)
    calls: list[int] = []
    lock = threading.Lock()

    def sign(tbs: bytes) -> bytes:
        with lock:
            calls.append(threading.get_ident())
        return key.sign(tbs, ec.ECDSA(hashes.SHA256()))

    issuer = dcc_kit.Issuer.from_signer(sign, es256_dsc, "ES256")
    results = issuer.issue_batch(payloads(12), **OPTS)
    assert len(calls) == 12
    assert len(set(calls)) > 1  # called from the worker threads
    for r in results:
        assert isinstance(r, dcc_kit.Certificate)
        assert golden_verifier.verify(r.hc1, at=utc(IAT + 60)).valid

    def failing(tbs: bytes) -> bytes:
        raise ValueError("KMS throttled")

    broken = dcc_kit.Issuer.from_signer(failing, es256_dsc, "ES256").issue_batch(payloads(3), **OPTS)
    assert all(isinstance(r, dcc_kit.SigningError) for r in broken)
    assert all(isinstance(r.__cause__, ValueError) for r in broken)


def test_the_gil_is_released_during_a_batch(golden_issuer) -> None:
    """Another Python thread keeps running while the batch signs: with the GIL held, it could
    not advance between the two reads below."""
    stop = threading.Event()
    count = [0]

    def spin() -> None:
        while not stop.is_set():
            count[0] += 1

    worker = threading.Thread(target=spin)
    worker.start()
    try:
        items = payloads(300)
        before = count[0]
        golden_issuer.issue_batch(items, **OPTS)
        after = count[0]
    finally:
        stop.set()
        worker.join()
    assert after - before > 1000, (before, after)
