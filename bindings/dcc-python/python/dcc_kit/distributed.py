"""Issuing at scale on a cluster (Dask, Spark, ``multiprocessing``): an issuer configuration
that pickles, and one call that issues a partition of records with ``Issuer.issue_batch``.

A live ``Issuer`` holds a key (or PKCS#11 sessions) and cannot travel to other processes. An
:class:`IssuerConfig` says how to build one: PEM key and DSC (as bytes, or as paths each worker
reads), a PKCS#11 URI, or the demo key, plus the issue options. It pickles, compares and hashes
by value; ``config.issuer()`` builds the native issuer once per process and keeps it (a cache
keyed by the configuration), so a worker that runs a thousand partitions opens its key once::

    from pathlib import Path
    from dcc_kit.distributed import IssuerConfig, issue_partition

    config = IssuerConfig.from_pem(Path("/keys/dsc-key.pem"), Path("/keys/dsc.pem"), iss="DE")
    bag = dask.bag.read_text("payloads-*.jsonl", blocksize=None)  # one partition per file
    results = bag.map_partitions(lambda lines: [issue_partition(lines, config)]).compute()

``issue_partition`` returns the issued certificates (``line``, ``uci``, ``hc1``) and one error
per refused record (``line``, ``code``, ``message``, ``issues``), never failing for a bad
record. ``examples/dask_issue.py`` is a complete job (JSON Lines or Parquet in, JSON Lines and
PNGs out). Nothing here imports Dask.
"""

from __future__ import annotations

import json
import os
import threading
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Iterable, Literal, Optional, Union

from . import (
    Certificate,
    DccError,
    InvalidArgumentError,
    InvalidCertificateError,
    InvalidKeyError,
    InvalidOptionsError,
    Issuer,
    Payload,
    Validity,
    ValidationIssue,
    _options,
)

PemSource = Union[str, bytes, os.PathLike[str]]
"""A PEM (or DER) key or certificate: its content as ``str`` or ``bytes``, or an
``os.PathLike`` (``pathlib.Path``) naming a file that each worker reads (made absolute against
the client's working directory)."""

Record = Union[Payload, tuple[int, Payload]]
"""A record of a partition: a payload (``dict`` or JSON text; its line is counted from
``first_line``), or a ``(line, payload)`` pair that names its line itself."""

_TYPE_KEYS = {"vaccination": "v", "test": "t", "recovery": "r"}


def _content(value: object) -> Union[bytes, str, None]:
    """A PEM source as the configuration keeps it: ``bytes`` (the content) or ``str`` (a path)."""
    if value is None:
        return None
    if isinstance(value, os.PathLike):
        # Absolute: a worker's working directory is not the client's.
        return os.path.abspath(os.fsdecode(value))
    if isinstance(value, str):
        return value.encode()
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value)
    raise TypeError(f"a key or certificate must be str, bytes or a path, not {type(value).__name__}")


def _read(value: Union[bytes, str], what: str, error: type[DccError]) -> bytes:
    """The content of a configuration's key or certificate (a path is read now, on the worker)."""
    if isinstance(value, bytes):
        return value
    try:
        return Path(value).read_bytes()
    except OSError as e:
        raise error(f"cannot read the {what} file {value}: {e.strerror or e}") from None


@dataclass(frozen=True)
class IssuerConfig:
    """How to build an ``Issuer`` in another process, and the options to issue with. It pickles
    (no live key handle, no PIN), compares and hashes by value, and its ``repr`` never shows
    key material. Build one with ``from_pem``, ``from_pkcs11`` or ``demo``; validated when
    built (bad options raise ``InvalidOptionsError`` on the client, not on every worker).

    Key material given as ``bytes``/``str`` travels inside every pickled copy (to the scheduler
    and each worker): on a real cluster prefer paths on the workers' disks, or a PKCS#11 token,
    and encrypt the cluster's connections (Dask's TLS)."""

    kind: Literal["pem", "pkcs11", "demo"]
    """Where the key is: ``pem`` (key and DSC), ``pkcs11`` (a token), ``demo`` (the public
    demo key: never for production)."""
    key: Union[bytes, str, None] = field(default=None, repr=False)
    """``pem``: the key's content (``bytes``) or the path of its file (``str``)."""
    cert: Union[bytes, str, None] = field(default=None, repr=False)
    """``pem`` and ``pkcs11``: the DSC's content (``bytes``) or the path of its file (``str``)."""
    deterministic: bool = False
    """``pem``: RFC 6979 ES256 nonces (``Issuer.from_pem_deterministic``)."""
    pkcs11_uri: Optional[str] = None
    """``pkcs11``: the key's RFC 7512 URI (without ``pin-value``)."""
    pkcs11_module: Optional[str] = None
    """``pkcs11``: the module's path on the workers (else the URI's ``module-path``, else
    ``$DCC_PKCS11_MODULE``)."""
    max_sessions: int = 0
    """``pkcs11``: the most sessions per worker process (0: no limit)."""
    value_sets: tuple[str, ...] = field(default=(), repr=False)
    """Value-set files (JSON texts) replacing the embedded ones (``Issuer.with_value_sets``)."""
    iss: Optional[str] = None
    """The issuing country of every certificate (default: the DSC's country)."""
    issued_at: Optional[datetime] = None
    """Issued-at of every certificate (aware; default: now, when each partition is issued)."""
    validity: Validity = None
    """``None`` (the type's default), a ``timedelta`` from issued-at, or an aware expiry."""

    def __post_init__(self) -> None:
        if self.kind not in ("pem", "pkcs11", "demo"):
            raise InvalidArgumentError(f"unknown issuer kind {self.kind!r} (pem, pkcs11 or demo)")
        if self.kind == "pem" and (self.key is None or self.cert is None):
            raise InvalidArgumentError("a pem issuer configuration needs a key and a certificate")
        if self.kind == "pkcs11" and (self.pkcs11_uri is None or self.cert is None):
            raise InvalidArgumentError("a pkcs11 issuer configuration needs a URI and a certificate")
        if self.kind == "pkcs11" and self.pkcs11_uri is not None and "pin-value=" in self.pkcs11_uri:
            raise InvalidArgumentError(
                "the PKCS#11 URI holds a pin-value, which would travel with every copy of the "
                "configuration: use pin-source=file:... or $DCC_PKCS11_PIN on the workers"
            )
        if type(self.max_sessions) is not int or self.max_sessions < 0:
            raise InvalidOptionsError("max_sessions must be an int, 0 (no limit) or more")
        if not all(isinstance(v, str) for v in self.value_sets):
            raise TypeError("value_sets must be a tuple of JSON texts (str)")
        _options(self.iss, self.issued_at, self.validity)  # raises InvalidOptionsError

    @staticmethod
    def from_pem(
        key: PemSource,
        cert: PemSource,
        *,
        deterministic: bool = False,
        value_sets: Iterable[str] = (),
        iss: Optional[str] = None,
        issued_at: Optional[datetime] = None,
        validity: Validity = None,
    ) -> IssuerConfig:
        """A configuration for ``Issuer.from_pem`` (``from_pem_deterministic`` when
        ``deterministic``). ``key`` and ``cert`` are contents (``str``/``bytes``, as
        ``Issuer.from_pem`` takes them) or paths (``pathlib.Path``; a relative one is made
        absolute here, against the client's working directory), read by each worker when it
        builds its issuer: ``InvalidKeyError``/``InvalidCertificateError`` then name a file
        that cannot be read."""
        return IssuerConfig(
            "pem",
            key=_content(key),
            cert=_content(cert),
            deterministic=bool(deterministic),
            value_sets=tuple(value_sets),
            iss=iss,
            issued_at=issued_at,
            validity=validity,
        )

    @staticmethod
    def from_pkcs11(
        uri: str,
        cert: PemSource,
        *,
        module: Union[str, os.PathLike[str], None] = None,
        max_sessions: int = 0,
        value_sets: Iterable[str] = (),
        iss: Optional[str] = None,
        issued_at: Optional[datetime] = None,
        validity: Validity = None,
    ) -> IssuerConfig:
        """A configuration for ``Issuer.from_pkcs11``: each worker process opens the token
        itself. The PIN is never part of the configuration: each worker takes it from the
        URI's ``pin-source`` file or ``$DCC_PKCS11_PIN`` (a URI with ``pin-value`` raises
        ``InvalidArgumentError``)."""
        if not isinstance(uri, str):
            raise TypeError(f"uri must be str (pkcs11:token=...;object=...), not {type(uri).__name__}")
        return IssuerConfig(
            "pkcs11",
            cert=_content(cert),
            pkcs11_uri=uri,
            pkcs11_module=None if module is None else os.fspath(module),
            max_sessions=max_sessions,
            value_sets=tuple(value_sets),
            iss=iss,
            issued_at=issued_at,
            validity=validity,
        )

    @staticmethod
    def demo(
        *,
        value_sets: Iterable[str] = (),
        iss: Optional[str] = None,
        issued_at: Optional[datetime] = None,
        validity: Validity = None,
    ) -> IssuerConfig:
        """A configuration for ``Issuer.demo()``: the embedded demo key, whose private key is
        public. **Never for production**; for trying a cluster out."""
        return IssuerConfig(
            "demo", value_sets=tuple(value_sets), iss=iss, issued_at=issued_at, validity=validity
        )

    def issuer(self) -> Issuer:
        """This process's ``Issuer`` for the configuration: built (key files read, token
        opened) on the first call in a process, the same object on every later call with an
        equal configuration. Thread-safe. Raises what the ``Issuer`` constructor raises."""
        cached = _ISSUERS.get(self)
        if cached is not None:
            return cached
        with _LOCK:
            cached = _ISSUERS.get(self)
            if cached is None:
                cached = self._build()
                _ISSUERS[self] = cached
            return cached

    def _build(self) -> Issuer:
        if self.kind == "demo":
            issuer = Issuer.demo()
        else:
            assert self.cert is not None
            cert = _read(self.cert, "certificate", InvalidCertificateError)
            if self.kind == "pkcs11":
                assert self.pkcs11_uri is not None
                issuer = Issuer.from_pkcs11(
                    self.pkcs11_uri, cert, module=self.pkcs11_module, max_sessions=self.max_sessions
                )
            else:
                assert self.key is not None
                key = _read(self.key, "key", InvalidKeyError)
                build = Issuer.from_pem_deterministic if self.deterministic else Issuer.from_pem
                issuer = build(key, cert)
        return issuer.with_value_sets(self.value_sets) if self.value_sets else issuer

    def __repr__(self) -> str:
        if self.kind == "pem":
            where = f"key={_describe(self.key)}, cert={_describe(self.cert)}"
        elif self.kind == "pkcs11":
            where = f"uri={self.pkcs11_uri!r}, cert={_describe(self.cert)}"
        else:
            where = "demo key"
        return f"IssuerConfig({self.kind}: {where}, iss={self.iss!r}, validity={self.validity!r})"


def _describe(source: Union[bytes, str, None]) -> str:
    """A key or certificate source for ``repr``: a path as it is, content by its size only."""
    return f"<{len(source)} bytes>" if isinstance(source, bytes) else repr(source)


_ISSUERS: dict[IssuerConfig, Issuer] = {}
_LOCK = threading.Lock()
if hasattr(os, "register_at_fork"):
    # A forked child must open its own key (PKCS#11 sessions do not survive a fork).
    os.register_at_fork(after_in_child=_ISSUERS.clear)


@dataclass(frozen=True)
class IssuedRecord:
    """A record issued by ``issue_partition``."""

    line: int
    """The record's line (see ``issue_partition``)."""
    uci: str
    """The certificate's unique identifier (``ci``)."""
    hc1: str
    """The ``HC1:`` text."""

    def to_json(self) -> str:
        """``{"line": ..., "uci": ..., "hc1": ...}``, one JSON Lines line (without newline)."""
        return json.dumps({"line": self.line, "uci": self.uci, "hc1": self.hc1})


@dataclass(frozen=True)
class RecordError:
    """A record ``issue_partition`` refused: the ``DccError`` of ``issue_batch`` with its line."""

    line: int
    """The record's line (see ``issue_partition``)."""
    code: str
    """The error's code (one of ``error_codes()``: ``validation_failed``, ``invalid_payload``, ...)."""
    message: str
    """The error's message."""
    issues: list[ValidationIssue]
    """Every problem of a refused payload (``validation_failed``); else empty."""

    def to_json(self) -> str:
        """``{"line", "code", "message", "issues": [{"path", "code", "message"}]}``, one JSON
        Lines line (without newline)."""
        issues = [{"path": i.path, "code": i.code, "message": i.message} for i in self.issues]
        return json.dumps({"line": self.line, "code": self.code, "message": self.message, "issues": issues})


@dataclass(frozen=True)
class PartitionResult:
    """What ``issue_partition`` gives for a partition: the issued records and the refused
    ones, each in the partition's order."""

    issued: list[IssuedRecord]
    """The certificates issued."""
    errors: list[RecordError]
    """One entry per refused record."""


def _uci(cert: Certificate) -> str:
    """The certificate's UCI, from the signed payload (the native view as it comes: the
    records ``Certificate`` builds from it are not needed here)."""
    view = cert._native.view()
    group = view["payload"].get(_TYPE_KEYS[view["certificate_type"]]) or [{}]
    ci = group[0].get("ci", "")
    return ci if isinstance(ci, str) else ""


def issue_partition(
    records: Iterable[Record],
    config: IssuerConfig,
    *,
    first_line: int = 1,
    png_dir: Union[str, os.PathLike[str], None] = None,
    png_scale: int = 4,
) -> PartitionResult:
    """Issues a partition of records with ``config``'s issuer (built once per process, see
    ``IssuerConfig.issuer``) through ``Issuer.issue_batch``: on every core of the worker, the
    GIL released. A record is a payload (a ``dict``, or JSON text such as a JSON Lines line)
    or a ``(line, payload)`` pair; a bare payload's line is ``first_line`` plus its position in
    the partition (with one partition per JSON Lines file, its line in the file). Blank text
    records (an empty line) are skipped, their lines counted.

    A record that cannot be issued (not JSON, refused by validation, a signing failure) becomes
    a ``RecordError`` with its line and the error's code, message and issues; it never stops
    the partition. With ``png_dir``, each certificate's QR code is also written there as
    ``{line}.png`` (``png_scale`` pixels per module, 1 to 64; the directory is created).
    Raises for what concerns the whole partition: the issuer cannot be built (a key file
    missing on this worker, a token unavailable), ``InvalidOptionsError`` for a bad
    ``png_scale``, ``OSError`` when a PNG cannot be written."""
    if type(first_line) is not int:
        raise TypeError(f"first_line must be int, not {type(first_line).__name__}")
    if png_dir is not None and (type(png_scale) is not int or not 1 <= png_scale <= 64):
        raise InvalidOptionsError(f"png_scale must be an int from 1 to 64, not {png_scale!r}")
    lines: list[int] = []
    payloads: list[Payload] = []
    for index, record in enumerate(records):
        if isinstance(record, tuple):
            if len(record) != 2 or type(record[0]) is not int:
                raise TypeError("a record pair must be (line: int, payload)")
            line, payload = record
        else:
            line, payload = first_line + index, record
        if isinstance(payload, (str, bytes)) and not payload.strip():
            continue
        lines.append(line)
        payloads.append(payload)
    c = config
    results = c.issuer().issue_batch(payloads, iss=c.iss, issued_at=c.issued_at, validity=c.validity)
    directory = None if png_dir is None else Path(png_dir)
    if directory is not None:
        directory.mkdir(parents=True, exist_ok=True)
    issued: list[IssuedRecord] = []
    errors: list[RecordError] = []
    for line, result in zip(lines, results):
        if isinstance(result, Certificate):
            issued.append(IssuedRecord(line, _uci(result), result.hc1))
            if directory is not None:
                (directory / f"{line}.png").write_bytes(result.to_png(scale=png_scale))
        else:
            errors.append(RecordError(line, result.code, result.message, list(result.issues)))
    return PartitionResult(issued, errors)


__all__ = [
    "IssuedRecord",
    "IssuerConfig",
    "PartitionResult",
    "PemSource",
    "Record",
    "RecordError",
    "issue_partition",
]
