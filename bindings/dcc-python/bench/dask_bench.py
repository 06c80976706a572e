"""Throughput of issuing on a Dask LocalCluster with 1 and 2 worker processes, in one run
(issue #17): the job of ``examples/dask_issue.py`` (``run``: JSON Lines files in, one
partition per file, HC1 JSON Lines and the error list out) on N generated payloads of the three
types, PEM key and DSC read by each worker.

``issue_batch`` uses every core of the process it runs in, so one worker already uses both
cores of a 2-core machine. Each cluster size is therefore measured twice: workers free to use
every core, and each worker pinned to a core of its own (``os.sched_setaffinity``), where 2
workers have twice the cores of 1. Next to them, the same payloads in this process with
``Issuer.issue_batch`` and no Dask. Both clusters run at once and the jobs alternate
round by round (the machine's other load then hits each alike); each figure is the median of
``--rounds`` rounds, after a warm-up job each (which builds each worker's issuer).

Run it with ``bash bindings/dcc-python/bench/dask_run.sh [--records N] [--rounds R]`` (builds the
wheel and a venv with the test requirements). Not part of test.sh.
"""

# mypy: allow-untyped-calls
# (LocalCluster and Client are not annotated in distributed.)
from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any, Callable

from distributed import Client, LocalCluster

import dcc_kit
from dcc_kit.distributed import IssuerConfig

HERE = Path(__file__).resolve().parent
ROOT = Path(os.environ.get("DCC_ROOT", HERE.parents[2]))
sys.path.insert(0, str(HERE.parent / "examples"))
import dask_issue  # noqa: E402

TYPES = ("vaccination", "test", "recovery")
GROUPS = {"vaccination": "v", "test": "t", "recovery": "r"}


def payloads(n: int) -> list[str]:
    examples = {t: (ROOT / "examples" / f"{t}.json").read_text() for t in TYPES}
    out = []
    for i in range(n):
        kind = TYPES[i % 3]
        p: dict[str, Any] = json.loads(examples[kind])
        p["nam"]["gn"] = "Person" + "".join(chr(97 + int(d)) for d in str(i))
        p["nam"]["gnt"] = p["nam"]["gn"].upper()
        p[GROUPS[kind]][0]["ci"] = dcc_kit.generate_uvci("XX", "BENCH")
        out.append(json.dumps(p))
    return out


def timed(n: int, job: Callable[[], int], prepare: Callable[[], None]) -> float:
    """Records per second of one job (``prepare``, not timed, pins the processes)."""
    prepare()
    start = time.perf_counter()
    issued = job()
    rate = n / (time.perf_counter() - start)
    assert issued == n, (issued, n)
    return rate


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, default=20_000)
    parser.add_argument("--partitions", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    n, cores = args.records, sorted(os.sched_getaffinity(0))
    key = ROOT / "crates" / "dcc" / "src" / "demo" / "key.pem"
    cert = ROOT / "crates" / "dcc" / "src" / "demo" / "cert.pem"
    config = IssuerConfig.from_pem(key, cert, validity=timedelta(days=30))
    texts = payloads(n)
    work = Path(tempfile.mkdtemp(prefix="dcc-dask-bench-"))
    files = []
    per = -(-n // args.partitions)
    for i in range(args.partitions):
        part = texts[i * per : (i + 1) * per]
        if part:
            files.append(work / f"in-{i:03d}.jsonl")
            files[-1].write_text("".join(t + "\n" for t in part))
    print(f"dcc-kit {dcc_kit.__version__}, {n} records in {len(files)} JSON Lines partitions, "
          f"{len(cores)} cores ({platform.processor() or platform.machine()}), Python {platform.python_version()}, "
          f"median of {args.rounds} rounds; load average before: {os.getloadavg()[0]:.2f}")
    issuer = config.issuer()
    everything = set(cores)

    Job = tuple[Callable[[], None], Callable[[], int]]  # (pin the processes, run)

    def in_process(pinned: bool) -> Job:
        def prepare() -> None:
            os.sched_setaffinity(0, {cores[0]} if pinned else everything)

        return prepare, lambda: len(issuer.issue_batch(texts))

    def on_cluster(client: Client, workers: int, pinned: bool) -> Job:
        addresses = sorted(client.scheduler_info()["workers"])
        out = work / f"out-{workers}"

        def prepare() -> None:
            os.sched_setaffinity(0, everything)
            for k, address in enumerate(addresses):
                cpus = {cores[k % len(cores)]} if pinned else everything
                client.run(os.sched_setaffinity, 0, cpus, workers=[address])

        return prepare, lambda: dask_issue.run(files, out, config, client).issued

    def cluster(workers: int) -> tuple[LocalCluster, Client]:
        c = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None)
        return c, Client(c)

    (one, one_client), (two, two_client) = cluster(1), cluster(2)
    jobs: list[tuple[str, Job]] = [
        ("no Dask: issue_batch in this process, every core", in_process(False)),
        ("no Dask: issue_batch in this process, 1 core", in_process(True)),
        ("Dask, 1 worker, every core", on_cluster(one_client, 1, False)),
        ("Dask, 1 worker, 1 core", on_cluster(one_client, 1, True)),
        ("Dask, 2 workers, every core each", on_cluster(two_client, 2, False)),
        ("Dask, 2 workers, 1 core each", on_cluster(two_client, 2, True)),
    ]
    try:
        for _, (prepare, run) in jobs:
            timed(n, run, prepare)  # warm-up: each worker builds its issuer
        rates: dict[str, list[float]] = {name: [] for name, _ in jobs}
        for _ in range(args.rounds):  # the jobs alternate, so that other load hits them alike
            for name, (prepare, run) in jobs:
                rates[name].append(timed(n, run, prepare))
    finally:
        os.sched_setaffinity(0, everything)
        for client, c in ((one_client, one), (two_client, two)):
            client.close()
            c.close()
        shutil.rmtree(work, ignore_errors=True)
    results = [(name, statistics.median(r), r) for name, r in rates.items()]

    print("| job | records/s (median) | rounds |")
    print("|---|---|---|")
    for name, rate, samples in results:
        print(f"| {name} | {rate:,.0f} | {', '.join(f'{r:,.0f}' for r in samples)} |")
    print(f"load average after: {os.getloadavg()[0]:.2f} (other processes share these cores)")


if __name__ == "__main__":
    main()
