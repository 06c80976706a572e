"""One issuer and one verifier shared by 8 threads."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import dcc_kit
from conftest import TYPES, example, letters, utc

IAT = 1_622_505_600


def test_same_issuer_and_verifier_from_8_threads(golden_issuer, golden_verifier) -> None:
    def job(i: int) -> tuple[int, str, bool]:
        p = example(TYPES[i % 3])
        p["nam"]["gn"] = "Thread" + letters(i)
        p["nam"]["gnt"] = "THREAD" + letters(i).upper()
        cert = golden_issuer.issue(p, iss="XX", issued_at=utc(IAT), validity=timedelta(days=30))
        result = golden_verifier.verify(cert.hc1, at=utc(IAT + 60))
        return i, cert.hc1, result.valid and result.payload["nam"]["gn"] == "Thread" + letters(i)

    n = 8 * 25
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(job, range(n)))
    assert all(ok for _, _, ok in results)
    # Deterministic ES256: the threaded output equals the sequential output.
    sequential = {i: hc1 for i, hc1, _ in map(job, range(0, n, 7))}
    assert all(results[i][1] == hc1 for i, hc1 in sequential.items())
    assert len({hc1 for _, hc1, _ in results}) == n


def test_png_rendering_from_8_threads(golden_issuer) -> None:
    cert = golden_issuer.issue(example("test"), issued_at=utc(IAT), validity=timedelta(days=1))
    expected = cert.to_png(scale=2)
    with ThreadPoolExecutor(max_workers=8) as pool:
        pngs = list(pool.map(lambda _: cert.to_png(scale=2), range(32)))
    assert all(p == expected for p in pngs)
    assert dcc_kit.read_qr(expected) == cert.hc1
