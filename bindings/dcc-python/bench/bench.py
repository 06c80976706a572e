"""Benchmarks of the dcc-kit wheel against Python baselines, in one process, with the same
payload and the same key (the golden ES256 key of tests/golden). Not a test: it prints medians.

    bash bindings/dcc-python/bench/run.sh          # builds the wheel, sets up a venv, runs this
    python bench.py [--quick]                      # inside a venv with the wheel + requirements.txt

Compared:
  issue   dcc_kit  vs  pure-Python pipeline from the popular packages (pycose + cbor2 + zlib +
          base45; pycose signs ES256 with python-ecdsa)  vs  a hand-written pipeline over
          `cryptography` (OpenSSL ECDSA + cbor2 + zlib + base45)
  verify  dcc_kit  vs  the same two pipelines backwards
  qr png  dcc_kit Certificate.to_png(scale=4)  vs  qrcode + Pillow (level Q, box 4, border 4)
  batch   Issuer.issue_batch on every core (and a loop of issue() calls)
"""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import sys
import time
import zlib
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Callable

import base45
import cbor2
import qrcode
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature, encode_dss_signature
from pycose.algorithms import Es256
from pycose.headers import KID, Algorithm
from pycose.keys import CoseKey, EC2Key
from pycose.keys.curves import P256
from pycose.messages import CoseMessage, Sign1Message

import dcc_kit

ROOT = Path(os.environ["DCC_ROOT"]) if "DCC_ROOT" in os.environ else Path(__file__).resolve().parents[3]
GOLDEN = ROOT / "tests" / "golden"
IAT = 1_622_505_600
EXP = IAT + 365 * 86_400
AT = datetime.fromtimestamp(IAT + 3600, tz=timezone.utc)


class Timing:
    """Median seconds per call: wall clock, and this thread's CPU time (which other processes
    on a shared machine cannot inflate by taking the core away)."""

    def __init__(self, wall: float, cpu: float) -> None:
        self.wall = wall
        self.cpu = cpu


def measure(fn: Callable[[], object], *, samples: int, sample_time: float) -> Timing:
    """Median per call over `samples` samples of about `sample_time` seconds each."""
    fn()  # warm up
    start = time.perf_counter()
    n = 0
    while time.perf_counter() - start < sample_time / 4:
        fn()
        n += 1
    per_call = (time.perf_counter() - start) / n
    loops = max(1, int(sample_time / per_call))
    walls, cpus = [], []
    for _ in range(samples):
        c0 = time.thread_time_ns()
        t0 = time.perf_counter_ns()
        for _ in range(loops):
            fn()
        walls.append((time.perf_counter_ns() - t0) / loops / 1e9)
        cpus.append((time.thread_time_ns() - c0) / loops / 1e9)
    return Timing(statistics.median(walls), statistics.median(cpus))


def fmt(secs: float) -> str:
    if secs < 1e-3:
        return f"{secs * 1e6:8.1f} µs"
    return f"{secs * 1e3:8.2f} ms"


class Pipelines:
    """The three issuing pipelines over the same payload and key, and their verifiers."""

    def __init__(self) -> None:
        self.key_pem = (GOLDEN / "es256-key.pem").read_text()
        self.cert_pem = (GOLDEN / "dsc-es256.pem").read_text()
        self.payload: dict[str, Any] = json.loads((GOLDEN / "issued-vaccination-es256.json").read_text())["payload"]
        cert = x509.load_pem_x509_certificate(self.cert_pem.encode())
        self.kid = cert.fingerprint(hashes.SHA256())[:8]
        key = serialization.load_pem_private_key(self.key_pem.encode(), password=None)
        assert isinstance(key, ec.EllipticCurvePrivateKey)
        self.ossl_key = key
        public = cert.public_key()
        assert isinstance(public, ec.EllipticCurvePublicKey)
        self.ossl_public = public
        nums = public.public_numbers()
        self.cose_public = EC2Key(crv=P256, x=nums.x.to_bytes(32, "big"), y=nums.y.to_bytes(32, "big"))
        self.cose_private = CoseKey.from_pem_private_key(self.key_pem)
        self.issuer = dcc_kit.Issuer.from_pem(self.key_pem, self.cert_pem)
        self.det_issuer = dcc_kit.Issuer.from_pem_deterministic(self.key_pem, self.cert_pem)
        self.verifier = dcc_kit.Verifier.from_certs([self.cert_pem])
        self.issued_at = datetime.fromtimestamp(IAT, tz=timezone.utc)
        self.expires_at = datetime.fromtimestamp(EXP, tz=timezone.utc)

    def claims(self) -> bytes:
        return cbor2.dumps({1: "XX", 6: IAT, 4: EXP, -260: {1: self.payload}})

    # -- issuing --------------------------------------------------------------------------
    def ours(self) -> str:
        return self.issuer.issue(self.payload, iss="XX", issued_at=self.issued_at, validity=self.expires_at).hc1

    def ours_deterministic(self) -> str:
        return self.det_issuer.issue(
            self.payload, iss="XX", issued_at=self.issued_at, validity=self.expires_at
        ).hc1

    def pycose(self) -> str:
        msg = Sign1Message(phdr={Algorithm: Es256, KID: self.kid}, payload=self.claims())
        msg.key = self.cose_private
        return "HC1:" + base45.b45encode(zlib.compress(msg.encode(tag=True), 9)).decode()

    def openssl(self) -> str:
        protected = cbor2.dumps({1: -7, 4: self.kid})
        payload = self.claims()
        tbs = cbor2.dumps(["Signature1", protected, b"", payload])
        r, s = decode_dss_signature(self.ossl_key.sign(tbs, ec.ECDSA(hashes.SHA256())))
        sig = r.to_bytes(32, "big") + s.to_bytes(32, "big")
        cose = cbor2.dumps(cbor2.CBORTag(18, [protected, {}, payload, sig]))
        return "HC1:" + base45.b45encode(zlib.compress(cose, 9)).decode()

    # -- verifying ------------------------------------------------------------------------
    def verify_ours(self, hc1: str) -> bool:
        return self.verifier.verify(hc1, at=AT).valid

    def verify_pycose(self, hc1: str) -> bool:
        msg = CoseMessage.decode(zlib.decompress(base45.b45decode(hc1[4:])))
        msg.key = self.cose_public
        claims = cbor2.loads(msg.payload)
        return bool(msg.verify_signature()) and claims[6] <= AT.timestamp() <= claims[4]

    def verify_openssl(self, hc1: str) -> bool:
        tag = cbor2.loads(zlib.decompress(base45.b45decode(hc1[4:])))
        protected, _, payload, sig = tag.value
        tbs = cbor2.dumps(["Signature1", protected, b"", payload])
        der = encode_dss_signature(int.from_bytes(sig[:32], "big"), int.from_bytes(sig[32:], "big"))
        try:
            self.ossl_public.verify(der, tbs, ec.ECDSA(hashes.SHA256()))
        except InvalidSignature:
            return False
        claims = cbor2.loads(payload)
        return claims[6] <= AT.timestamp() <= claims[4]


def qrcode_png(text: str) -> bytes:
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_Q, box_size=4, border=4)
    qr.add_data(text)
    qr.make(fit=True)
    out = io.BytesIO()
    qr.make_image().save(out)
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="fewer, shorter samples")
    args = parser.parse_args()
    samples, sample_time = (5, 0.05) if args.quick else (15, 0.2)

    p = Pipelines()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"dcc_kit {dcc_kit.__version__}, Python {sys.version.split()[0]}, {os.cpu_count()} cores, load {load:.2f}")
    print(f"payload: golden vaccination ({len(json.dumps(p.payload))} bytes of JSON), key: golden ES256\n")

    # Every pipeline's output verifies in every verifier before anything is timed.
    outputs = {
        "dcc_kit": p.ours(),
        "dcc_kit deterministic": p.ours_deterministic(),
        "pycose": p.pycose(),
        "cryptography": p.openssl(),
    }
    for name, hc1 in outputs.items():
        assert p.verify_ours(hc1) and p.verify_pycose(hc1) and p.verify_openssl(hc1), name
    gold = json.loads((GOLDEN / "issued-vaccination-es256.json").read_text())["hc1"]
    assert outputs["dcc_kit deterministic"] == gold  # RFC 6979: byte-exact

    print(f"{'':<50}{'wall':>11}{'CPU':>12}   CPU time relative to dcc_kit")

    def row(label: str, t: Timing, base: Timing | None = None) -> None:
        rel = f"   {t.cpu / base.cpu:6.1f}x" if base else ""
        print(f"  {label:<48}{fmt(t.wall)} {fmt(t.cpu)}{rel}")

    m = lambda fn: measure(fn, samples=samples, sample_time=sample_time)  # noqa: E731
    print("issue one certificate (median per certificate)")
    ours = m(p.ours)
    det = m(p.ours_deterministic)
    pure = m(p.pycose)
    ossl = m(p.openssl)
    row("dcc_kit Issuer.issue (default: hedged ES256)", ours)
    row("dcc_kit Issuer.issue (from_pem_deterministic)", det, ours)
    row("pycose + cbor2 + zlib + base45 (pure Python)", pure, ours)
    row("cryptography (OpenSSL) + cbor2 + zlib + base45", ossl, ours)
    print(
        f"  -> dcc_kit is {pure.cpu / ours.cpu:.1f}x faster than pure Python (wall {pure.wall / ours.wall:.1f}x) "
        f"and {ossl.cpu / ours.cpu:.2f}x as fast as cryptography (wall {ossl.wall / ours.wall:.2f}x);\n"
        f"     from_pem_deterministic: {pure.cpu / det.cpu:.1f}x pure Python, {ossl.cpu / det.cpu:.2f}x cryptography\n"
    )

    hc1 = outputs["dcc_kit"]
    print("verify one certificate (median)")
    v_ours = m(lambda: p.verify_ours(hc1))
    v_pure = m(lambda: p.verify_pycose(hc1))
    v_ossl = m(lambda: p.verify_openssl(hc1))
    row("dcc_kit Verifier.verify", v_ours)
    row("pycose + cbor2 + zlib + base45", v_pure, v_ours)
    row("cryptography (OpenSSL) + cbor2 + zlib + base45", v_ossl, v_ours)
    print()

    cert = p.issuer.issue(p.payload, iss="XX", issued_at=p.issued_at, validity=p.expires_at)
    assert dcc_kit.read_qr(cert.to_png(scale=4)) == cert.hc1
    assert dcc_kit.read_qr(qrcode_png(cert.hc1)) == cert.hc1
    print(f"QR PNG of the {len(cert.hc1)}-character HC1 (level Q, 4 px per module; median)")
    q_ours = m(lambda: cert.to_png(scale=4))
    q_base = m(lambda: qrcode_png(cert.hc1))
    row("dcc_kit Certificate.to_png(scale=4)", q_ours)
    row("qrcode + Pillow", q_base, q_ours)
    print(f"  -> {q_base.cpu / q_ours.cpu:.1f}x faster (wall {q_base.wall / q_ours.wall:.1f}x)\n")

    n = 400 if args.quick else 2000
    batch = []
    for i in range(n):
        item = dict(p.payload)
        item["nam"] = dict(p.payload["nam"], gn="Gabriele" + "".join(chr(97 + int(d)) for d in str(i)))
        batch.append(item)
    kw: dict[str, Any] = dict(iss="XX", issued_at=p.issued_at, validity=p.expires_at)
    first = p.issuer.issue_batch(batch[:50], **kw)
    assert all(isinstance(c, dcc_kit.Certificate) and p.verify_ours(c.hc1) for c in first)

    def timed(fn: Callable[[], object]) -> tuple[float, float]:
        """Median wall seconds of whole runs, and the cores used (process CPU / wall)."""
        runs = []
        for _ in range(3 if args.quick else 7):
            c0 = time.process_time()
            t0 = time.perf_counter()
            fn()
            wall = time.perf_counter() - t0
            runs.append((wall, (time.process_time() - c0) / wall))
        runs.sort()
        return runs[len(runs) // 2]

    print(f"batch of {n} certificates (median of whole batches)")
    loop = timed(lambda: [p.issuer.issue(b, **kw) for b in batch])
    every = timed(lambda: p.issuer.issue_batch(batch, **kw))
    for label, (t, cores) in (
        ("loop of Issuer.issue", loop),
        ("issue_batch (every core)", every),
    ):
        print(f"  {label:<48}{t * 1e3:8.1f} ms   {n / t:8.0f} certificates/s   {cores:4.2f} cores busy")
    print(f"  -> {loop[0] / every[0]:.2f}x the throughput of the loop")


if __name__ == "__main__":
    main()
