"""The wheel on a Dask cluster (issue #17): ``dcc_kit.distributed`` (an issuer configuration
that pickles, ``issue_partition`` over ``Issuer.issue_batch``) and ``examples/dask_issue.py``,
on a LocalCluster of 2 worker processes: 20,000 payloads of the three types, the invalid ones
back as errors with their lines, every certificate verified with the demo trust."""

from __future__ import annotations

import json
import os
import pickle
import sys
import uuid
from collections import Counter
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Iterator

import pandas
import pytest
from distributed import Client, LocalCluster

import dcc_kit
from conftest import ROOT, TYPES, example, letters
from dcc_kit.distributed import IssuerConfig, issue_partition

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "examples"))
import dask_issue  # noqa: E402  (examples/dask_issue.py)

DEMO_KEY = ROOT / "crates" / "dcc" / "src" / "demo" / "key.pem"
DEMO_CERT = ROOT / "crates" / "dcc" / "src" / "demo" / "cert.pem"
ISSUED_AT = datetime.now(timezone.utc).replace(microsecond=0)
VERIFY_AT = ISSUED_AT + timedelta(minutes=1)
CONFIG = IssuerConfig.from_pem(DEMO_KEY, DEMO_CERT, iss="XX", issued_at=ISSUED_AT, validity=timedelta(days=30))
TOTAL = 20_000
FILES = 8


def payload(i: int) -> dict[str, Any]:
    """Payload ``i``: the type ``i % 3``, a name and a UCI of its own."""
    p = example(TYPES[i % 3])
    p["nam"]["gn"] = "Person" + letters(i)
    p["nam"]["gnt"] = "PERSON" + letters(i).upper()
    group = {"vaccination": "v", "test": "t", "recovery": "r"}[TYPES[i % 3]]
    p[group][0]["ci"] = dcc_kit.generate_uvci("XX", "DASKTEST")
    return p


def invalid(i: int) -> tuple[str, str, str]:
    """An invalid record (its JSON Lines text), the code it must fail with, and the path of its
    first issue ('' when the error has none)."""
    kind = i % 4
    if kind == 0:
        return "{not json", "invalid_payload", ""
    if kind == 1:
        return "[1, 2]", "invalid_payload", ""
    p = payload(i)
    if kind == 2:
        p["dob"] = "not-a-date"
        return json.dumps(p), "validation_failed", "dob"
    for group in ("v", "t", "r"):
        p.pop(group, None)
    return json.dumps(p), "validation_failed", ""


INVALID = {37 + 1_601 * k for k in range(12)}  # 12 of 20,000, spread over the files


@pytest.fixture(scope="module")
def client() -> Iterator[Client]:
    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
    with Client(cluster) as c:
        yield c
    cluster.close()


def test_config_pickles_hides_its_key_and_checks_options() -> None:
    inline = IssuerConfig.from_pem(DEMO_KEY.read_text(), DEMO_CERT.read_bytes(), deterministic=True)
    for config in (CONFIG, inline, IssuerConfig.demo(iss="XX")):
        copy_ = pickle.loads(pickle.dumps(config))
        assert copy_ == config and hash(copy_) == hash(config)
    assert "PRIVATE" not in repr(inline) and "bytes>" in repr(inline)
    assert str(DEMO_KEY) in repr(CONFIG)
    assert inline.issuer() is pickle.loads(pickle.dumps(inline)).issuer()  # one per process
    with pytest.raises(dcc_kit.InvalidOptionsError):
        IssuerConfig.from_pem(DEMO_KEY, DEMO_CERT, issued_at=datetime(2026, 1, 1))  # naive
    with pytest.raises(dcc_kit.InvalidArgumentError, match="pin-value"):
        IssuerConfig.from_pkcs11("pkcs11:token=t;object=k?pin-value=1234", DEMO_CERT)
    token = IssuerConfig.from_pkcs11("pkcs11:token=t;object=k", DEMO_CERT, module="/nonexistent/p11.so")
    assert pickle.loads(pickle.dumps(token)) == token
    with pytest.raises(dcc_kit.Pkcs11ModuleUnavailableError):
        token.issuer()
    with pytest.raises(dcc_kit.InvalidArgumentError):
        IssuerConfig("pem", key=b"only a key")
    with pytest.raises(dcc_kit.InvalidKeyError, match="cannot read the key file"):
        IssuerConfig.from_pem(Path("/nonexistent/key.pem"), DEMO_CERT).issuer()


def test_issue_partition_matches_issue_batch_with_lines() -> None:
    bad = invalid(2)[0]
    records: list[Any] = [payload(0), "", json.dumps(payload(1)), bad, "  \n", "{not json", payload(5)]
    result = issue_partition(records, CONFIG, first_line=10)
    assert [r.line for r in result.issued] == [10, 12, 16]
    assert [e.line for e in result.errors] == [13, 15]
    batch = CONFIG.issuer().issue_batch(
        [bad, "{not json"], iss="XX", issued_at=ISSUED_AT, validity=timedelta(days=30)
    )
    for error, expected in zip(result.errors, batch):
        assert isinstance(expected, dcc_kit.DccError)
        assert (error.code, error.message, error.issues) == (expected.code, expected.message, expected.issues)
    assert result.errors[0].issues and result.errors[0].issues[0].path == "dob"
    row = json.loads(result.errors[0].to_json())
    assert set(row) == {"line", "code", "message", "issues"} and set(row["issues"][0]) == {"path", "code", "message"}
    verifier = dcc_kit.Verifier.demo()
    for record in result.issued:
        v = verifier.verify(record.hc1, at=VERIFY_AT)
        assert v.valid, v.failures
        group = {"vaccination": "v", "test": "t", "recovery": "r"}[v.certificate_type]
        assert v.payload[group][0]["ci"] == record.uci
    pairs = issue_partition([(7, payload(3)), (3, "{x")], CONFIG)
    assert [r.line for r in pairs.issued] == [7] and [e.line for e in pairs.errors] == [3]
    with pytest.raises(dcc_kit.InvalidOptionsError):
        issue_partition([payload(0)], CONFIG, png_dir="unused", png_scale=0)


def test_20000_payloads_on_two_workers(client: Client, tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    expected_names: dict[tuple[str, int], str] = {}  # (file, line) -> given name
    expected_errors: dict[tuple[str, int], tuple[str, str]] = {}
    per_file = TOTAL // FILES
    files = []
    for f in range(FILES):
        path = inputs / f"payloads-{f}.jsonl"
        lines = []
        for n in range(per_file):
            i = f * per_file + n
            if i in INVALID:
                text, code, issue_path = invalid(i)
                expected_errors[(str(path), n + 1)] = (code, issue_path)
            else:
                text = json.dumps(payload(i))
                expected_names[(str(path), n + 1)] = "Person" + letters(i)
            lines.append(text + "\n")
        if f == 0:
            lines.append("\n")  # a trailing blank line: skipped, not an error
        path.write_text("".join(lines))
        files.append(path)

    out = tmp_path / "out"
    report = dask_issue.run(files, out, CONFIG, client)

    assert report.issued == TOTAL - len(INVALID) == len(expected_names)
    assert len(report.partitions) == FILES
    # Exactly the invalid records are in errors.jsonl, each with its file, line, code and issues.
    errors = [json.loads(line) for line in (out / "errors.jsonl").read_text().splitlines()]
    assert len(errors) == len(INVALID)
    for e in errors:
        code, issue_path = expected_errors[(e["source"], e["line"])]
        assert e["code"] == code, e
        if code == "validation_failed":
            assert e["issues"] and e["issues"][0]["path"] == issue_path, e
            assert all(set(i) == {"path", "code", "message"} for i in e["issues"])
    assert {(e["source"], e["line"]) for e in errors} == set(expected_errors)

    # Every certificate verifies with the demo trust, and its line is the payload's.
    verifier = dcc_kit.Verifier.demo()
    types: Counter[str] = Counter()
    seen = 0
    for partition in report.partitions:
        rows = [json.loads(line) for line in (out / "hc1" / f"{partition.name}.jsonl").read_text().splitlines()]
        assert len(rows) == partition.issued
        for row in rows:
            v = verifier.verify(row["hc1"], at=VERIFY_AT)
            assert v.valid, (partition.source, row["line"], v.failures)
            assert v.payload["nam"]["gn"] == expected_names[(partition.source, row["line"])]
            group = {"vaccination": "v", "test": "t", "recovery": "r"}[v.certificate_type]
            assert v.payload[group][0]["ci"] == row["uci"]
            types[v.certificate_type] += 1
            seen += 1
    assert seen == len(expected_names)
    assert set(types) == set(TYPES) and min(types.values()) > 6_000, types

    # Each worker process built its issuer once, for all the partitions it ran.
    def cached() -> int:
        from dcc_kit import distributed

        return len(distributed._ISSUERS)

    assert sorted(client.run(cached).values()) == [1, 1]


def test_example_command_with_parquet_and_pngs(client: Client, tmp_path: Path) -> None:
    """The example's command line on the running cluster (``--scheduler``): a JSON Lines file
    and a Parquet file, PNGs that read back to their HC1s, the key shipped as bytes."""
    jsonl = tmp_path / "a.jsonl"
    jsonl.write_text("".join(json.dumps(payload(i)) + "\n" for i in range(6)) + "{broken\n")
    rows = [{"line": 100 + i, "payload": json.dumps(payload(i))} for i in range(9)]
    rows[4]["payload"] = invalid(2)[0]
    parquet = tmp_path / "b.parquet"
    pandas.DataFrame(rows).to_parquet(parquet)
    out = tmp_path / "out"
    argv = [str(jsonl), str(parquet), "--out-dir", str(out), "--scheduler", client.scheduler.address,
            "--key", str(DEMO_KEY), "--cert", str(DEMO_CERT), "--send-key", "--png", "--png-scale", "2"]
    assert dask_issue.main(argv) == 1  # some records refused
    errors = {(e["partition"], e["line"], e["code"]) for e in map(json.loads, (out / "errors.jsonl").read_text().splitlines())}
    assert errors == {("part-00000", 7, "invalid_payload"), ("parquet-00000", 104, "validation_failed")}
    summary = json.loads((out / "summary.json").read_text())
    assert (summary["issued"], summary["errors"]) == (6 + 8, 2)
    verifier = dcc_kit.Verifier.demo()
    pngs = 0
    for name in ("part-00000", "parquet-00000"):
        for line in (out / "hc1" / f"{name}.jsonl").read_text().splitlines():
            row = json.loads(line)
            png = (out / "png" / name / f"{row['line']}.png").read_bytes()
            assert dcc_kit.read_qr(png) == row["hc1"]
            assert verifier.verify(row["hc1"]).valid
            pngs += 1
    assert pngs == 14


def test_a_key_missing_on_the_workers_fails_the_partition(client: Client) -> None:
    config = IssuerConfig.from_pem(Path("/nonexistent/dsc-key.pem"), DEMO_CERT)
    future = client.submit(issue_partition, [payload(0)], config)
    with pytest.raises(dcc_kit.InvalidKeyError, match="/nonexistent/dsc-key.pem"):
        future.result()


def test_the_readme_block_runs(client: Client, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text()
    section = readme.split("\n## Issuing on a Dask cluster\n", 1)[1].split("\n## ", 1)[0]
    code = section.split("```python\n", 1)[1].split("```", 1)[0]
    assert 'Client("tcp://scheduler:8786")' in code
    code = code.replace('"tcp://scheduler:8786"', repr(client.scheduler.address))
    (tmp_path / "dsc-key.pem").write_bytes(DEMO_KEY.read_bytes())
    (tmp_path / "dsc.pem").write_bytes(DEMO_CERT.read_bytes())
    (tmp_path / "day-1.jsonl").write_text(json.dumps(payload(0)) + "\n{oops\n")
    (tmp_path / "day-2.jsonl").write_text(json.dumps(payload(1)) + "\n" + json.dumps(payload(2)) + "\n")
    monkeypatch.chdir(tmp_path)
    scope: dict[str, Any] = {"__name__": "__readme__"}
    try:
        exec(compile(code, "README.md", "exec"), scope)
    finally:
        if "client" in scope:
            scope["client"].close()  # the block's own Client
    results = scope["results"]
    assert [[r.line for r in p.issued] for p in results] == [[1], [1, 2]]
    assert [[(e.line, e.code) for e in p.errors] for p in results] == [[(2, "invalid_payload")], []]
    for p in results:
        for r in p.issued:
            assert dcc_kit.Verifier.demo().verify(r.hc1).valid


def test_a_pkcs11_token_on_the_workers(client: Client, tmp_path: Path) -> None:
    """A key in a SoftHSM2 token (skipped without one, as in test_pkcs11.py): each worker opens
    the token itself, the PIN read from the URI's pin-source file on the worker."""
    names = ("DCC_TEST_PKCS11_MODULE", "DCC_TEST_PKCS11_TOKEN", "DCC_TEST_PKCS11_PIN", "SOFTHSM2_CONF")
    env = {k: os.environ.get(k, "") for k in names}
    if not all(env.values()):
        if os.environ.get("DCC_REQUIRE_PKCS11"):
            pytest.fail(f"DCC_REQUIRE_PKCS11 is set but no SoftHSM2 token is configured: {env}")
        pytest.skip('no SoftHSM2 token (eval "$(bash scripts/softhsm.sh init)")')
    module, label, pin = env["DCC_TEST_PKCS11_MODULE"], env["DCC_TEST_PKCS11_TOKEN"], env["DCC_TEST_PKCS11_PIN"]
    uri = f"pkcs11:token={label};object=py-dask-{uuid.uuid4().hex[:12]}"
    key = dcc_kit.generate_key_in_token(uri, "ES256", module=module, pin=pin)
    pin_file = tmp_path / "pin"
    pin_file.write_text(pin)
    config = IssuerConfig.from_pkcs11(f"{uri}?pin-source=file:{pin_file}", key.cert_pem, module=module)
    assert pin not in repr(config) and pin.encode() not in pickle.dumps(config)
    parts = [[payload(i) for i in range(k * 40, k * 40 + 40)] for k in range(6)]
    futures = [client.submit(issue_partition, part, config, pure=False) for part in parts]
    results = client.gather(futures)
    verifier = dcc_kit.Verifier.from_certs(key.cert_pem)
    assert [len(r.issued) for r in results] == [40] * 6 and not any(r.errors for r in results)
    for r in results:
        for record in r.issued:
            assert verifier.verify(record.hc1).valid

    def opened(cfg: IssuerConfig) -> bool:
        from dcc_kit import distributed

        return cfg in distributed._ISSUERS

    assert 1 <= sum(client.run(opened, config).values()) <= 2
