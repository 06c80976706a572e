"""Issuing certificates on a Dask cluster: JSON Lines (or Parquet) partitions in, one JSON Lines
file of ``HC1:`` texts per partition (and optionally a PNG per certificate) out, with the list
of refused records.

Each partition is one task: ``dcc_kit.distributed.issue_partition`` issues it on the worker
with ``Issuer.issue_batch`` (every core of the worker, the GIL released), the task writes the
partition's files and returns only counts and errors to the client. The issuer travels as an
``IssuerConfig`` (PEM paths or bytes, a PKCS#11 URI; never a live key or a PIN); each worker
process builds its ``Issuer`` from it once and reuses it for every later partition.

Inputs:

- ``*.jsonl`` (or ``*.json``, ``*.txt``): one payload (DCC JSON) per line; each file is one
  partition, so a record's ``line`` is its line in the file (blank lines are skipped).
- ``*.parquet`` (needs ``pandas`` and ``pyarrow``, read with ``dask.dataframe``): a
  ``payload`` column holding each payload's JSON text and optionally a ``line`` column (else a
  record's line is its row's 1-based position in its partition).

Outputs under ``--out-dir`` (a filesystem every worker writes to, e.g. NFS on a real cluster):
``hc1/NAME.jsonl`` (``{"line", "uci", "hc1"}`` per certificate), ``errors/NAME.jsonl`` and the
combined ``errors.jsonl`` (``{"partition", "source", "line", "code", "message", "issues":
[{"path", "code", "message"}]}``), ``png/NAME/LINE.png`` with ``--png``, and ``summary.json``.
``NAME`` is ``part-00000`` for the first JSON Lines file, ``parquet-00000`` for the first Parquet
partition. Files are written whole (a temporary file renamed), so a rerun overwrites cleanly.

Run it::

    # a LocalCluster of 2 worker processes on this machine, the demo key (never for production)
    python examples/dask_issue.py payloads-*.jsonl --out-dir out --demo --workers 2
    # a real cluster (dask scheduler at ADDRESS), the key and DSC as files on every worker
    python examples/dask_issue.py /data/*.parquet --out-dir /shared/out --scheduler tcp://10.0.0.5:8786 \\
        --key /keys/dsc-key.pem --cert /keys/dsc.pem --iss DE --png
    # a PKCS#11 token on every worker; the PIN from $DCC_PKCS11_PIN (or pin-source) there
    python examples/dask_issue.py in.jsonl --out-dir out --scheduler tcp://10.0.0.5:8786 \\
        --pkcs11 "pkcs11:token=dcc;object=dsc-2026" --pkcs11-module /usr/lib/softhsm/libsofthsm2.so --cert dsc.pem

Exit status: 0 when every record was issued, 1 when some were refused (see ``errors.jsonl``),
2 for bad arguments. ``--key``/``--cert`` are read by the workers (paths, as given); pass
``--send-key`` to read them here and ship their contents with the tasks instead.
"""

# mypy: allow-untyped-calls
# (Dask's and distributed's functions are partly unannotated; everything else here is strict.)
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any, Optional, Sequence, Union

import dask.bag
from dask.delayed import Delayed, delayed
from distributed import Client, LocalCluster

from dcc_kit import DccError
from dcc_kit.distributed import IssuerConfig, Record, issue_partition

PARQUET_SUFFIXES = (".parquet", ".pq")


@dataclass(frozen=True)
class PartitionSummary:
    """What a partition's task returns to the client: counts and the refused records."""

    name: str
    source: str
    issued: int
    errors: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class JobReport:
    """The whole job: every partition's summary and the wall-clock time."""

    partitions: list[PartitionSummary]
    seconds: float

    @property
    def issued(self) -> int:
        return sum(p.issued for p in self.partitions)

    @property
    def errors(self) -> list[dict[str, Any]]:
        return [e for p in self.partitions for e in p.errors]


def _write(path: Path, lines: Sequence[str]) -> None:
    """Writes ``path`` whole: a temporary file, renamed (a rerun never leaves half a file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text("".join(line + "\n" for line in lines))
    os.replace(tmp, path)


def issue_and_write(
    records: Sequence[Record],
    name: str,
    source: str,
    config: IssuerConfig,
    out_dir: str,
    png: bool,
    png_scale: int,
) -> PartitionSummary:
    """One partition's task, on a worker: issue, write ``hc1/NAME.jsonl``,
    ``errors/NAME.jsonl`` (and the PNGs), return the summary."""
    out = Path(out_dir)
    result = issue_partition(records, config, png_dir=out / "png" / name if png else None, png_scale=png_scale)
    _write(out / "hc1" / f"{name}.jsonl", [r.to_json() for r in result.issued])
    errors = [{"partition": name, "source": source, **json.loads(e.to_json())} for e in result.errors]
    _write(out / "errors" / f"{name}.jsonl", [json.dumps(e) for e in errors])
    return PartitionSummary(name, source, len(result.issued), errors)


def parquet_records(frame: Any) -> list[Record]:
    """A Parquet partition (a pandas DataFrame) as records: ``(line, payload)`` pairs, the line
    from the ``line`` column or the row's 1-based position."""
    payloads = [str(p) for p in frame["payload"]]
    if "line" in frame.columns:
        lines = [int(n) for n in frame["line"]]
    else:
        lines = list(range(1, len(payloads) + 1))
    return list(zip(lines, payloads))


def partition_tasks(
    inputs: Sequence[Path], config: IssuerConfig, out_dir: Path, png: bool, png_scale: int
) -> list[Delayed]:
    """One task per partition: a JSON Lines file each (``dask.bag``), and the partitions of the
    Parquet files (``dask.dataframe``)."""
    jsonl = [p for p in inputs if p.suffix not in PARQUET_SUFFIXES]
    parquet = [p for p in inputs if p.suffix in PARQUET_SUFFIXES]
    task = delayed(issue_and_write, pure=False)
    tasks: list[Delayed] = []
    if jsonl:
        # blocksize=None: one partition per file, so that lines are counted per file.
        parts = dask.bag.read_text([str(p) for p in jsonl], blocksize=None).to_delayed()
        for i, (part, path) in enumerate(zip(parts, jsonl)):
            tasks.append(task(part, f"part-{i:05d}", str(path), config, str(out_dir), png, png_scale))
    if parquet:
        import dask.dataframe as dd  # needs pandas and pyarrow

        frame = dd.read_parquet([str(p) for p in parquet])
        records = delayed(parquet_records, pure=True)
        for i, part in enumerate(frame.to_delayed()):
            name = f"parquet-{i:05d}"
            tasks.append(task(records(part), name, name, config, str(out_dir), png, png_scale))
    return tasks


def run(
    inputs: Sequence[Union[str, Path]],
    out_dir: Union[str, Path],
    config: IssuerConfig,
    client: Client,
    *,
    png: bool = False,
    png_scale: int = 4,
) -> JobReport:
    """Issues every record of ``inputs`` on ``client``'s cluster and writes the outputs under
    ``out_dir`` (see the module's docstring). Raises what a whole partition raises (an issuer
    that cannot be built on a worker, an output that cannot be written)."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    tasks = partition_tasks([Path(p) for p in inputs], config, out, png, png_scale)
    futures = client.compute(tasks)
    summaries: list[PartitionSummary] = client.gather(futures)
    report = JobReport(summaries, time.perf_counter() - start)
    _write(out / "errors.jsonl", [json.dumps(e) for e in report.errors])
    summary = {
        "issued": report.issued,
        "errors": len(report.errors),
        "seconds": round(report.seconds, 3),
        "partitions": [{"name": p.name, "source": p.source, "issued": p.issued, "errors": len(p.errors)} for p in summaries],
    }
    (out / "summary.json").write_text(json.dumps(summary, indent=1) + "\n")
    return report


def config_from_args(args: argparse.Namespace) -> IssuerConfig:
    """The issuer configuration the command line asks for."""
    validity = None if args.validity_days is None else timedelta(days=args.validity_days)
    options: dict[str, Any] = {"iss": args.iss, "validity": validity}
    if args.demo:
        return IssuerConfig.demo(**options)
    if args.cert is None:
        raise SystemExit("dask_issue: --cert is required with --key or --pkcs11 (or use --demo)")
    cert: Union[bytes, Path] = Path(args.cert).read_bytes() if args.send_key else Path(args.cert)
    if args.pkcs11:
        return IssuerConfig.from_pkcs11(args.pkcs11, cert, module=args.pkcs11_module, **options)
    if args.key is None:
        raise SystemExit("dask_issue: give --key and --cert, --pkcs11 and --cert, or --demo")
    key: Union[bytes, Path] = Path(args.key).read_bytes() if args.send_key else Path(args.key)
    return IssuerConfig.from_pem(key, cert, deterministic=args.deterministic, **options)


def main(argv: Optional[Sequence[str]] = None) -> int:
    """The command line (see the module's docstring); returns the exit status."""
    parser = argparse.ArgumentParser(description="Issue DCCs from JSON Lines or Parquet partitions on a Dask cluster.")
    parser.add_argument("inputs", nargs="+", help="JSON Lines (one partition per file) or Parquet files")
    parser.add_argument("--out-dir", required=True, help="output directory (shared by every worker)")
    parser.add_argument("--scheduler", help="a running cluster's scheduler address (default: a LocalCluster)")
    parser.add_argument("--workers", type=int, default=2, help="LocalCluster worker processes (default 2)")
    parser.add_argument("--threads-per-worker", type=int, default=1)
    parser.add_argument("--key", help="the DSC's private key (PEM), a path on the workers")
    parser.add_argument("--cert", help="the DSC (PEM), a path on the workers")
    parser.add_argument("--send-key", action="store_true", help="read --key/--cert here and ship their contents")
    parser.add_argument("--deterministic", action="store_true", help="RFC 6979 ES256 (reproducible bytes)")
    parser.add_argument("--pkcs11", metavar="URI", help="the key in a PKCS#11 token (RFC 7512 URI)")
    parser.add_argument("--pkcs11-module", help="the PKCS#11 module's path on the workers")
    parser.add_argument("--demo", action="store_true", help="the public demo key (never for production)")
    parser.add_argument("--iss", help="issuing country (default: the DSC's)")
    parser.add_argument("--validity-days", type=int, help="validity (default: the certificate type's)")
    parser.add_argument("--png", action="store_true", help="also write png/NAME/LINE.png per certificate")
    parser.add_argument("--png-scale", type=int, default=4)
    args = parser.parse_args(argv)
    try:
        config = config_from_args(args)
    except (DccError, OSError) as e:
        print(f"dask_issue: {e}", file=sys.stderr)
        return 2
    if args.scheduler:
        client = Client(args.scheduler)
        cluster: Optional[LocalCluster] = None
    else:
        cluster = LocalCluster(n_workers=args.workers, threads_per_worker=args.threads_per_worker, processes=True)
        client = Client(cluster)
    try:
        report = run(args.inputs, args.out_dir, config, client, png=args.png, png_scale=args.png_scale)
    except DccError as e:
        print(f"dask_issue: {type(e).__name__} ({e.code}): {e}", file=sys.stderr)
        return 2
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    rate = report.issued / report.seconds if report.seconds else 0.0
    print(
        f"issued {report.issued}, refused {len(report.errors)} in {len(report.partitions)} partitions, "
        f"{report.seconds:.2f} s ({rate:.0f} records/s); outputs in {args.out_dir}"
    )
    return 1 if report.errors else 0


if __name__ == "__main__":
    sys.exit(main())
