"""The issuance ledger on a real SQLite file and a real PostgreSQL server: records per operator,
queries, the hash chain (tampered with through sqlite3 / psycopg and named by ``verify``),
exports of exactly one operator's hashes, revoking them end to end through
``Verifier.with_revocation``, threads sharing one ledger, and typed errors.

PostgreSQL: ``DCC_TEST_POSTGRES_URL`` names a server where databases may be created (the test
command starts a throwaway one); without it the PostgreSQL tests are skipped, unless
``DCC_REQUIRE_POSTGRES`` is set, when they fail."""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Callable

import pytest

import dcc_kit
from conftest import example, utc

T0 = 1_750_000_000  # 2025-06-15, inside the demo DSC's validity
AFTER = utc(T0 + 200_000)  # after every certificate fill() issues, before any expires
DEMO_KID = dcc_kit.Issuer.demo().signer.kid


def ledger_payload() -> dict[str, Any]:
    """The example vaccination with a fresh certificate identifier."""
    p = example("vaccination")
    p["v"][0]["ci"] = dcc_kit.generate_uvci("AT", "PYLEDGER")
    return p


def issuer_for(ledger: dcc_kit.Ledger, operator: str) -> dcc_kit.Issuer:
    return dcc_kit.Issuer.demo().with_ledger(ledger, operator)


Filled = tuple[list[dcc_kit.Certificate], list[dcc_kit.Certificate]]


def fill(ledger: dcc_kit.Ledger) -> Filled:
    """4 certificates as A and 4 as B (alternating, one hour apart), then 3 more as B in a batch
    that also holds an invalid payload (not recorded): the certificates per operator."""
    a, b = issuer_for(ledger, "A"), issuer_for(ledger, "B")
    certs_a, certs_b = [], []
    for i in range(4):
        certs_a.append(a.issue(ledger_payload(), issued_at=utc(T0 + i * 7200)))
        certs_b.append(b.issue(ledger_payload(), issued_at=utc(T0 + i * 7200 + 3600)))
    batch: list[dcc_kit.Payload] = [ledger_payload() for _ in range(3)]
    batch.insert(1, {"ver": "1.3.0"})
    results = b.issue_batch(batch, issued_at=utc(T0 + 100_000))
    assert isinstance(results[1], dcc_kit.ValidationError)
    for r in results[:1] + results[2:]:
        assert isinstance(r, dcc_kit.Certificate)
        certs_b.append(r)
    return certs_a, certs_b


def uci(cert: dcc_kit.Certificate) -> str:
    return str(cert.payload["v"][0]["ci"])


def ucis(records: list[dcc_kit.LedgerRecord]) -> list[str]:
    return [r.uci for r in records]


TAMPERING = [
    ("changed", "UPDATE dcc_ledger SET operator = 'C' WHERE seq = 3", 3, "changed"),
    ("expiry", "UPDATE dcc_ledger SET expires_at = expires_at + 1 WHERE seq = 6", 6, "changed"),
    ("deleted", "DELETE FROM dcc_ledger WHERE seq = 4", 5, "deleted"),
    (
        "swapped",
        "UPDATE dcc_ledger SET seq = -7 WHERE seq = 7; UPDATE dcc_ledger SET seq = 7 WHERE seq = 8; "
        "UPDATE dcc_ledger SET seq = 8 WHERE seq = -7",
        7,
        "reordered",
    ),
]


def exercise(target: str) -> None:
    """Records, queries, chain check, exact export of one operator and its revocation."""
    ledger = dcc_kit.Ledger.open(target)
    certs_a, certs_b = fill(ledger)
    records = ledger.records()
    assert len(records) == 11, "the invalid payload is not recorded"
    assert [r.seq for r in records] == list(range(1, 12))
    assert all(isinstance(r, dcc_kit.LedgerRecord) for r in records)

    # What a record holds.
    first, cert = records[0], certs_a[0]
    hashes = cert.revocation_hashes()
    assert (first.uci, first.operator, first.kid, first.country) == (uci(cert), "A", cert.kid, "XX")
    assert (first.issued_at, first.expires_at) == (cert.claims.iat, cert.claims.exp)
    assert first.issued_datetime == utc(T0) and first.expires_datetime == cert.claims.expires_at
    assert first.certificate_type == "vaccination"
    assert (first.hash_uci, first.hash_country_code_uci, first.hash_signature) == (
        hashes.uci,
        hashes.country_code_uci,
        hashes.signature,
    )
    import hashlib

    assert first.hc1_sha256 == hashlib.sha256(cert.hc1.encode()).hexdigest()
    assert first.prev_hash == "0" * 64
    assert all(r.prev_hash == p.record_hash for p, r in zip(records, records[1:]))
    # No personal data by default.
    assert all(r.personal_data is None for r in records)
    dump = json.dumps([r.__dict__ for r in records])
    assert "Gabriele" not in dump and "1998-02-26" not in dump

    report = ledger.verify()
    assert isinstance(report, dcc_kit.ChainReport)
    assert (report.valid, report.records, report.head, report.first_break) == (
        True,
        11,
        records[-1].record_hash,
        None,
    )

    # Queries: per operator exactly that operator's certificates, in order.
    assert ucis(ledger.records(operator="A")) == [uci(c) for c in certs_a]
    assert ucis(ledger.records(operator="B")) == [uci(c) for c in certs_b]
    assert ledger.records(operator="nobody") == []
    assert ucis(ledger.records(since=utc(T0 + 3600), until=utc(T0 + 7200 * 2))) == [
        uci(certs_b[0]),
        uci(certs_a[1]),
        uci(certs_b[1]),
    ]
    # An aware datetime in another zone is the same instant.
    cet = timezone(timedelta(hours=2))
    assert ledger.records(since=utc(T0 + 3600).astimezone(cet)) == records[1:]
    assert ucis(ledger.records(uci=uci(certs_a[2]))) == [uci(certs_a[2])]
    assert len(ledger.records(kid=DEMO_KID, certificate_type="vaccination")) == 11
    assert ledger.records(certificate_type="test") == []
    assert ledger.records(kid="AAAAAAAAAAA=") == []
    assert ucis(ledger.records(operator="B", since=utc(T0 + 50_000))) == [uci(c) for c in certs_b[4:]]

    # Export: exactly B's hashes, for each hash type.
    for hash_type in ("UCI", "COUNTRYCODEUCI", "SIGNATURE"):
        batches = ledger.export(hash_type, operator="B")
        assert len(batches) == 1, hash_type
        b = batches[0]
        assert (b["country"], b["kid"], b["hashType"]) == ("XX", DEMO_KID, hash_type)
        assert b["expires"] == datetime.fromtimestamp(
            max(c.claims.exp or 0 for c in certs_b), tz=timezone.utc
        ).strftime("%Y-%m-%dT%H:%M:%SZ")
        exported = {e["hash"] for e in b["entries"]}
        assert len(exported) == len(b["entries"]) == 7
        assert exported == {c.revocation_hashes().get(hash_type) for c in certs_b}
        assert not exported & {c.revocation_hashes().get(hash_type) for c in certs_a}
        # Revoked end to end: B's certificates, and only those.
        verifier = dcc_kit.Verifier.demo().with_revocation(batches)
        for c in certs_b:
            v = verifier.verify(c.hc1, at=AFTER)
            assert not v.valid and v.revoked_by is not None and v.revoked_by.hash_type == hash_type
            assert v.checks.revocation.code == "revoked"
        for c in certs_a:
            v = verifier.verify(c.hc1, at=AFTER)
            assert v.valid and v.revoked_by is None, v.failures
    assert ledger.export() == ledger.export("SIGNATURE")  # the default hash type
    assert ledger.export(operator="nobody") == []


def tamper(fresh: Callable[[str], str], execute: Callable[[str, str], None]) -> None:
    """Each kind of tampering on a fresh ledger (``fresh(name)`` gives its target, ``execute``
    runs SQL on a target), named by ``verify`` with its seq and kind."""
    for name, sql, seq, kind in TAMPERING:
        where = fresh(name)
        ledger = dcc_kit.Ledger.open(where)
        fill(ledger)
        assert ledger.verify().valid
        execute(where, sql)
        report = ledger.verify()
        assert not report.valid, name
        assert report.first_break is not None, name
        assert (report.first_break.seq, report.first_break.kind) == (seq, kind), report.first_break.message
        assert str(seq) in report.first_break.message


def concurrent_issuing(target: str) -> None:
    """8 threads issuing into one ledger, through one shared Ledger and through a second Ledger
    on the same database (a second connection, as another process would have)."""
    shared, second = dcc_kit.Ledger.open(target), dcc_kit.Ledger.open(target)

    def job(i: int) -> list[str]:
        ledger = shared if i % 2 else second
        issuer = issuer_for(ledger, f"T{i % 4}")
        out = []
        for n in range(12):
            if n % 4 == 3:
                batch = issuer.issue_batch([ledger_payload(), ledger_payload()])
                out += [uci(c) for c in batch if isinstance(c, dcc_kit.Certificate)]
            else:
                out.append(uci(issuer.issue(ledger_payload())))
        return out

    with ThreadPoolExecutor(max_workers=8) as pool:
        issued = [u for us in pool.map(job, range(8)) for u in us]
    assert len(issued) == 8 * 15 == len(set(issued))
    report = shared.verify()
    assert report.valid and report.records == len(issued), report.first_break
    records = second.records()
    assert [r.seq for r in records] == list(range(1, len(issued) + 1))
    assert sorted(ucis(records)) == sorted(issued)
    for k in range(4):
        assert len(shared.records(operator=f"T{k}")) == 30


# ---------------------------------------------------------------------------------------------
# SQLite


def sqlite_execute(path: str, sql: str) -> None:
    conn = sqlite3.connect(path)
    try:
        conn.executescript(sql)
        conn.commit()
    finally:
        conn.close()


def test_sqlite_ledger_records_queries_exports_and_revokes(tmp_path: Path) -> None:
    exercise(str(tmp_path / "main.db"))


def test_sqlite_ledger_names_the_tampered_record(tmp_path: Path) -> None:
    tamper(lambda name: str(tmp_path / f"{name}.db"), sqlite_execute)


def test_sqlite_ledger_from_8_threads(tmp_path: Path) -> None:
    concurrent_issuing(str(tmp_path / "threads.db"))


def test_export_to_dir_writes_batch_files_that_revoke(tmp_path: Path) -> None:
    ledger = dcc_kit.Ledger.open(tmp_path / "e2e.db")  # os.PathLike works too
    a, b = issuer_for(ledger, "pharmacy-A"), issuer_for(ledger, "pharmacy-B")
    certs: list[tuple[str, dcc_kit.Certificate]] = []
    for rnd in range(6):
        operator, issuer = ("B", b) if rnd % 3 == 1 else ("A", a)
        for c in issuer.issue_batch([ledger_payload() for _ in range(25)]):
            assert isinstance(c, dcc_kit.Certificate)
            certs.append((operator, c))
    assert len(ledger.records(operator="pharmacy-B")) == 50
    for hash_type in ("UCI", "COUNTRYCODEUCI", "SIGNATURE"):
        out = tmp_path / "batches" / hash_type
        files = ledger.export_to_dir(out, hash_type, operator="pharmacy-B")
        assert files == [out / "batch-0001-XX.json"]
        assert all(isinstance(f, Path) and f.is_file() for f in files)
        written = json.loads(files[0].read_text())
        assert written == ledger.export(hash_type, operator="pharmacy-B")[0]
        verifier = dcc_kit.Verifier.demo().with_revocation([f.read_bytes() for f in files])
        revoked = 0
        for operator, c in certs:
            v = verifier.verify(c.hc1)
            assert v.valid == (operator == "A"), (hash_type, operator, v.failures)
            if operator == "B":
                assert v.revoked_by is not None and v.revoked_by.hash_type == hash_type
                revoked += 1
        assert revoked == 50
    assert ledger.verify().valid


def test_prepare_and_finish_record_when_finished(tmp_path: Path) -> None:
    """An asynchronous signer's certificate is recorded by ``finish``, not by ``prepare``."""
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    generated = dcc_kit.generate_key(country="AT")
    key = serialization.load_pem_private_key(generated.key_pem.encode(), password=None)
    assert isinstance(key, ec.EllipticCurvePrivateKey)
    ledger = dcc_kit.Ledger.open(str(tmp_path / "prepared.db"))
    issuer = dcc_kit.Issuer.from_pem(generated.key_pem, generated.cert_pem).with_ledger(ledger, "async")
    prepared = issuer.prepare(ledger_payload())
    assert ledger.records() == []
    cert = prepared.finish(key.sign(prepared.tbs, ec.ECDSA(hashes.SHA256())))
    (record,) = ledger.records()
    assert (record.operator, record.uci, record.hash_signature) == (
        "async",
        uci(cert),
        cert.revocation_hashes().signature,
    )
    assert dcc_kit.Verifier.from_certs(generated.cert_pem).verify(cert.hc1).valid


def test_personal_data_only_when_asked(tmp_path: Path) -> None:
    ledger = dcc_kit.Ledger.open(str(tmp_path / "personal.db"))
    dcc_kit.Issuer.demo().with_ledger(ledger, "P", include_personal_data=True).issue(ledger_payload())
    dcc_kit.Issuer.demo().with_ledger(ledger, "Q").issue(ledger_payload())
    with_data, without = ledger.records()
    assert with_data.personal_data is not None and without.personal_data is None
    personal = json.loads(with_data.personal_data)
    assert personal["dob"] == "1998-02-26" and personal["nam"]["gn"] == "Gabriele"
    assert ledger.verify().valid


@pytest.mark.parametrize("operator", ["", "  "])
def test_an_operator_is_required(operator: str, tmp_path: Path) -> None:
    ledger = dcc_kit.Ledger.open(str(tmp_path / "op.db"))
    with pytest.raises(dcc_kit.InvalidOptionsError):
        dcc_kit.Issuer.demo().with_ledger(ledger, operator)
    with pytest.raises(TypeError):
        dcc_kit.Issuer.demo().with_ledger(ledger, None)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        dcc_kit.Issuer.demo().with_ledger(str(tmp_path / "op.db"), "A")  # type: ignore[arg-type]


def test_an_issuer_without_a_ledger_records_nothing(tmp_path: Path) -> None:
    ledger = dcc_kit.Ledger.open(str(tmp_path / "copy.db"))
    plain = dcc_kit.Issuer.demo()
    recording = plain.with_ledger(ledger, "A")
    plain.issue(ledger_payload())
    recording.issue(ledger_payload())
    assert len(ledger.records()) == 1, "with_ledger returns a copy"


def test_unusable_ledgers_raise_ledger_failed(tmp_path: Path) -> None:
    bogus = tmp_path / "bogus.db"
    bogus.write_bytes(b"x" * 4096)
    for target in [
        str(tmp_path),  # a directory
        str(tmp_path / "missing-dir" / "x" / "ledger.db"),
        "postgres://nobody:s3cret@127.0.0.1:1/none",
        "",
        str(bogus),
    ]:
        with pytest.raises(dcc_kit.LedgerFailedError) as raised:
            dcc_kit.Ledger.open(target)
        err = raised.value
        assert err.code == "ledger_failed" and err.message, target
        assert "s3cret" not in str(err) and "s3cret" not in repr(err)
    assert dcc_kit.ERROR_CLASSES["ledger_failed"] is dcc_kit.LedgerFailedError


def test_a_record_that_cannot_be_written_fails_the_issue(tmp_path: Path) -> None:
    path = str(tmp_path / "broken.db")
    ledger = dcc_kit.Ledger.open(path)
    issuer = issuer_for(ledger, "A")
    issuer.issue(ledger_payload())
    sqlite_execute(path, "DROP TABLE dcc_ledger")
    with pytest.raises(dcc_kit.LedgerFailedError):
        issuer.issue(ledger_payload())
    results = issuer.issue_batch([ledger_payload(), {"ver": "1.3.0"}])
    assert isinstance(results[0], dcc_kit.LedgerFailedError)
    assert isinstance(results[1], dcc_kit.ValidationError)
    with pytest.raises(dcc_kit.LedgerFailedError):
        ledger.records()
    with pytest.raises(dcc_kit.LedgerFailedError):
        ledger.verify()


def test_bad_queries(tmp_path: Path) -> None:
    ledger = dcc_kit.Ledger.open(str(tmp_path / "q.db"))
    for bad in ({"since": T0}, {"until": datetime(2025, 1, 1)}, {"since": "2025-01-01"}):
        with pytest.raises(dcc_kit.InvalidOptionsError):
            ledger.records(**bad)  # type: ignore[arg-type]
    with pytest.raises(dcc_kit.InvalidOptionsError):
        ledger.records(certificate_type="passport")  # type: ignore[arg-type]
    with pytest.raises(dcc_kit.InvalidOptionsError):
        ledger.records(operator=5)  # type: ignore[arg-type]
    with pytest.raises(dcc_kit.InvalidOptionsError):
        ledger.export(operator=object())  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        ledger.records("A")  # type: ignore[misc]
    with pytest.raises(dcc_kit.InvalidRevocationDataError):
        ledger.export("MD5")  # type: ignore[arg-type]
    with pytest.raises(dcc_kit.InvalidRevocationDataError):
        ledger.export_to_dir(tmp_path / "out", "MD5")  # type: ignore[arg-type]
    assert ledger.export("uci") == []  # type: ignore[arg-type]  # case-insensitive, as in the facade
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    issuer_for(ledger, "A").issue(ledger_payload())
    with pytest.raises(dcc_kit.LedgerFailedError):
        ledger.export_to_dir(blocker / "sub")
    assert repr(ledger) == f"Ledger(target={str(tmp_path / 'q.db')!r})"
    with pytest.raises(TypeError):
        dcc_kit.Ledger()  # type: ignore[call-arg]


# ---------------------------------------------------------------------------------------------
# PostgreSQL


@pytest.fixture(scope="module")
def postgres_url() -> str:
    url = os.environ.get("DCC_TEST_POSTGRES_URL")
    if not url:
        if os.environ.get("DCC_REQUIRE_POSTGRES"):
            pytest.fail("DCC_REQUIRE_POSTGRES is set but DCC_TEST_POSTGRES_URL is not")
        pytest.skip("no DCC_TEST_POSTGRES_URL: PostgreSQL ledger tests not run (the test command starts a server)")
    return url


@pytest.fixture
def fresh_database(postgres_url: str, request: pytest.FixtureRequest) -> Iterator[Callable[[str], str]]:
    """Creates databases on the test server (``py_<test>_<name>_<pid>``); gives their URLs."""
    import psycopg

    created: list[str] = []

    def create(name: str) -> str:
        db = f"py_{request.node.name}_{name}_{os.getpid()}".lower().replace("[", "_").replace("]", "")
        with psycopg.connect(postgres_url, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {db}")
            admin.execute(f"CREATE DATABASE {db}")
        created.append(db)
        return postgres_url[: postgres_url.rindex("/")] + "/" + db

    yield create
    with psycopg.connect(postgres_url, autocommit=True) as admin:
        for db in created:
            admin.execute(f"DROP DATABASE IF EXISTS {db} WITH (FORCE)")


def postgres_execute(url: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        for statement in sql.split(";"):
            conn.execute(statement)


def test_postgres_ledger_records_queries_exports_and_revokes(fresh_database) -> None:
    url = fresh_database("main")
    exercise(url)
    ledger = dcc_kit.Ledger.open(url)  # reopened: the records are in the database
    assert len(ledger.records()) == 11 and ledger.verify().valid
    assert ledger.target == url


def test_postgres_ledger_names_the_tampered_record(fresh_database) -> None:
    tamper(fresh_database, postgres_execute)


def test_postgres_ledger_from_8_threads(fresh_database) -> None:
    concurrent_issuing(fresh_database("threads"))


def test_postgres_password_is_never_shown(postgres_url: str) -> None:
    base = postgres_url.split("://", 1)[1].split("@", 1)[-1]
    host_port = base.split("/", 1)[0]
    with pytest.raises(dcc_kit.LedgerFailedError) as raised:
        dcc_kit.Ledger.open(f"postgres://nobody:s3cret@{host_port}/no_such_database")
    assert "s3cret" not in str(raised.value)
