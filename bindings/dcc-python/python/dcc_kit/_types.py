"""The records dcc-kit returns: frozen dataclasses with the fields of the facade's views
(the canonical JSON every language shares), built from that JSON or from the same values as
Python objects. Times are integer seconds
since the epoch, as in the views; the ``datetime`` properties are conveniences."""

from __future__ import annotations

import json
from dataclasses import dataclass, field, fields
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any, Literal, Optional, TypeVar, Union

_T = TypeVar("_T")
_new = object.__new__


def _record(cls: type[_T], view: dict[str, Any]) -> _T:
    """An instance of the frozen dataclass ``cls`` holding ``view`` (a view's object, whose keys
    are the field names), built without ``__init__`` and its ``object.__setattr__`` per field
    (a frozen dataclass's), which takes about twice as long."""
    obj = _new(cls)
    obj.__dict__.update(view)
    return obj


def _verification_fields(view: dict[str, Any]) -> dict[str, Any]:
    """The fields of a verification view (as ``json.loads`` gives it), its records built."""
    signer = view["signer"]
    view["claims"] = _record(Claims, view["claims"])
    view["signer"] = None if signer is None else _record(SignerInfo, signer)
    view["checks"] = _record(Checks, {k: _record(Outcome, o) for k, o in view["checks"].items()})
    view["failures"] = [_record(CheckFailure, f) for f in view["failures"]]
    view["findings"] = [_record(ValidationIssue, i) for i in view["findings"]]
    view["revoked_by"] = _revocation_match(view["revoked_by"])
    return view


def _revocation_match(view: Optional[dict[str, Any]]) -> Optional[RevocationMatch]:
    if view is None:
        return None
    view["source"] = _record(RevocationSource, view["source"])
    return _record(RevocationMatch, view)


def _missing(obj: object, name: str) -> AttributeError:
    return AttributeError(f"{type(obj).__name__!r} object has no attribute {name!r}")


def _utc(secs: Optional[int]) -> Optional[datetime]:
    """Seconds since the epoch as an aware UTC datetime; ``None`` when absent or outside the
    years 1 to 9999."""
    if secs is None:
        return None
    try:
        return datetime.fromtimestamp(secs, tz=timezone.utc)
    except (OverflowError, OSError, ValueError):
        return None


@dataclass(frozen=True)
class ValidationIssue:
    """One problem found in a payload (a validation issue or a verifier finding)."""

    path: str
    """Slash-separated JSON path of the field (``v/0/dn``); empty for the whole payload."""
    code: str
    """Stable snake_case code (one of ``issue_codes()``)."""
    message: str
    """Human-readable explanation."""


@dataclass(frozen=True)
class Change:
    """A change normalisation made to a payload before signing."""

    path: str
    """Slash-separated JSON path of the field (``nam/gn``)."""
    description: str
    """What was done, e.g. ``trimmed "Michael "``."""


@dataclass(frozen=True)
class CheckFailure:
    """Why a verification check failed."""

    code: str
    """Stable snake_case code (one of ``check_codes()``)."""
    message: str
    """Human-readable explanation."""


@dataclass(frozen=True)
class Claims:
    """The CWT claims: issuer, issued-at and expiry (seconds since the epoch, as signed)."""

    iss: Optional[str]
    """Issuer (claim 1), usually an ISO 3166-1 alpha-2 country code."""
    iat: Optional[int]
    """Issued-at (claim 6), seconds since the epoch."""
    exp: Optional[int]
    """Expiry (claim 4), seconds since the epoch."""

    @property
    def issued_at(self) -> Optional[datetime]:
        """Issued-at as a UTC datetime."""
        return _utc(self.iat)

    @property
    def expires_at(self) -> Optional[datetime]:
        """Expiry as a UTC datetime."""
        return _utc(self.exp)


@dataclass(frozen=True)
class SignerInfo:
    """A document signer certificate (DSC)."""

    kid: str
    """Key identifier (first 8 bytes of the certificate's SHA-256), base64."""
    subject: str
    """Subject distinguished name."""
    country: Optional[str]
    """Subject country, if any."""
    not_before: Optional[int]
    """Start of validity (notBefore), seconds since the epoch."""
    not_after: Optional[int]
    """End of validity (notAfter), seconds since the epoch."""
    key: str
    """Key type: ``P-256``, ``RSA-2048``, ..."""

    @property
    def valid_from(self) -> Optional[datetime]:
        """``not_before`` as a UTC datetime."""
        return _utc(self.not_before)

    @property
    def valid_until(self) -> Optional[datetime]:
        """``not_after`` as a UTC datetime."""
        return _utc(self.not_after)


@dataclass(frozen=True)
class Outcome:
    """The outcome of one check: ``status``; a failed check has ``code`` and ``message``, a
    skipped one its reason in ``message``."""

    status: Literal["passed", "failed", "skipped"]
    """``passed``, ``failed`` or ``skipped``."""
    code: Optional[str]
    """The failure code, when failed."""
    message: Optional[str]
    """The failure message, or why the check was skipped."""

    @property
    def passed(self) -> bool:
        """Whether the check passed."""
        return self.status == "passed"


# (a Union of Literals, not one Literal: stubtest checks a type alias against a runtime Union)
HashType = Union[Literal["UCI"], Literal["COUNTRYCODEUCI"], Literal["SIGNATURE"]]
"""What a revocation hash is computed over: the certificate identifier (``UCI``), the issuing
country followed by it (``COUNTRYCODEUCI``), or the signature (``SIGNATURE``; ``r`` only for
ES256)."""


@dataclass(frozen=True)
class RevocationHashes:
    """The three revocation hashes of a certificate (the first 16 bytes of a SHA-256), base64
    as in gateway revocation batches, and hex. The UCI-based ones are ``None`` when the
    payload has no certificate identifier."""

    uci: Optional[str]
    """``UCI``: SHA-256 of the certificate identifier (``ci``), base64 (24 characters)."""
    country_code_uci: Optional[str]
    """``COUNTRYCODEUCI``: SHA-256 of the issuing country (``iss``) followed by ``ci``, base64."""
    signature: str
    """``SIGNATURE``: SHA-256 of the signature (``r`` only for ES256), base64."""
    uci_hex: Optional[str]
    """``uci`` in hex (32 characters)."""
    country_code_uci_hex: Optional[str]
    """``country_code_uci`` in hex."""
    signature_hex: str
    """``signature`` in hex."""

    def get(self, hash_type: HashType) -> Optional[str]:
        """The hash of one type (``UCI``, ``COUNTRYCODEUCI`` or ``SIGNATURE``; any case), base64.
        Raises ``ValueError`` for another name."""
        name = hash_type.upper() if isinstance(hash_type, str) else hash_type
        if name == "UCI":
            return self.uci
        if name == "COUNTRYCODEUCI":
            return self.country_code_uci
        if name == "SIGNATURE":
            return self.signature
        raise ValueError(f"unknown hash type {hash_type!r} (expected UCI, COUNTRYCODEUCI or SIGNATURE)")


@dataclass(frozen=True)
class RevocationSource:
    """Where a matching revocation entry came from."""

    kind: Literal["batch", "bloom_filter"]
    """``batch`` (gateway batch JSON) or ``bloom_filter``."""
    country: Optional[str]
    """The batch's country (batches only)."""
    kid: Optional[str]
    """The kid the entry applies to (base64); ``None`` for every kid."""
    name: Optional[str]
    """The name the data was loaded under, if any."""


@dataclass(frozen=True)
class RevocationMatch:
    """The revocation entry that revoked a certificate (``Verification.revoked_by``)."""

    hash_type: HashType
    """Which of the certificate's hashes matched."""
    hash: str
    """The matching hash, base64."""
    source: RevocationSource
    """Where the entry came from."""


@dataclass(frozen=True)
class Checks:
    """Each check's outcome. ``signature``, ``validity``, ``key_usage``, ``structure`` and
    ``revocation`` (when the verifier has revocation data) decide validity; ``payload`` (data
    quality) is reported, never fatal."""

    signature: Outcome
    """The COSE signature against a trusted DSC with the certificate's kid."""
    validity: Outcome
    """``DSC notBefore <= iat <= at <= exp <= DSC notAfter``."""
    key_usage: Outcome
    """The DSC's extended key usage allows the certificate type."""
    structure: Outcome
    """The payload holds exactly one certificate: one non-null group with exactly one entry
    (the HCERT guidance: verifiers shall reject more)."""
    payload: Outcome
    """Data quality (schema, value sets, plausibility); see ``Verification.findings``."""
    revocation: Outcome
    """None of the certificate's revocation hashes is in the verifier's revocation data
    (``Verifier.with_revocation``): failed with code ``revoked`` when one is; skipped ("not
    checked: no revocation data supplied") without revocation data. Decisive when there is
    revocation data."""


@dataclass(frozen=True, repr=False)
class Verification:
    """The result of verifying one certificate: the facade's verification view."""

    valid: bool
    """True only when the signature, validity, key-usage and structure checks all pass and the
    certificate is not revoked."""
    hc1: str
    """The ``HC1:`` text that was verified."""
    kid: Optional[str]
    """The kid from the COSE headers, base64."""
    algorithm: Optional[str]
    """The algorithm named in the header (``ES256``, ``PS256``, or the raw value)."""
    certificate_type: Optional[Literal["vaccination", "test", "recovery"]]
    """The certificate type, when the payload holds exactly one non-null group."""
    claims: Claims
    """Issuer, issued-at and expiry."""
    payload: dict[str, Any]
    """The payload, exactly as signed."""
    signer: Optional[SignerInfo]
    """The trusted DSC whose key verified the signature."""
    checks: Checks
    """Each check's outcome."""
    failures: list[CheckFailure]
    """Every failure among the decisive checks (empty when valid)."""
    findings: list[ValidationIssue]
    """Every data-quality finding; findings never make a certificate invalid."""
    at: int
    """The verification time, seconds since the epoch."""
    revoked_by: Optional[RevocationMatch]
    """The revocation entry that revoked the certificate, or ``None``."""

    @property
    def verified_at(self) -> Optional[datetime]:
        """``at`` as a UTC datetime."""
        return _utc(self.at)

    def to_json(self) -> str:
        """The verification view as the facade's JSON (the CLI's ``verify --json``)."""
        return str(self.__dict__["_native"].to_json())

    def ensure_valid(self) -> Verification:
        """Returns this verification when valid; raises ``VerificationFailedError`` (with
        ``failures``) otherwise."""
        self.__dict__["_native"].ensure_valid()
        return self

    def revocation_hashes(self) -> RevocationHashes:
        """The verified certificate's three revocation hashes."""
        return _record(RevocationHashes, self.__dict__["_native"].revocation_hashes())

    def __repr__(self) -> str:
        return f"Verification(valid={self.valid}, failures={[f.code for f in self.failures]})"

    @staticmethod
    def _from_native(native: Any) -> Verification:
        # Only ``valid`` now; the other fields when one is first read (``__getattr__``): a quick
        # ``verify(...).valid`` does not pay for parsing the view. ``_native`` (for to_json and
        # ensure_valid) is an attribute, not a field, so dataclasses.asdict and == see only the
        # view.
        verification = _new(Verification)
        verification.__dict__.update(valid=native.valid, _native=native)
        return verification

    if not TYPE_CHECKING:  # (for type checkers, every field is always there)

        def __getattr__(self, name: str) -> Any:
            # Called only for an attribute not in __dict__: a field not loaded yet. Two threads
            # may both load; they store equal values.
            if name not in _VERIFICATION_FIELDS:
                raise _missing(self, name)
            view = _verification_fields(self.__dict__["_native"].view())
            self.__dict__.update(view)
            return view[name]


_VERIFICATION_FIELDS = frozenset(f.name for f in fields(Verification))


@dataclass(frozen=True)
class Decoded:
    """A certificate read through every layer, the signature NOT checked: the facade's
    decoded view, plus the COSE bytes."""

    hc1: str
    """The ``HC1:`` text."""
    kid: Optional[str]
    """The kid from the COSE headers, base64."""
    algorithm: Optional[str]
    """The algorithm named in the header."""
    certificate_type: Optional[Literal["vaccination", "test", "recovery"]]
    """The certificate type, when the payload holds exactly one non-null group."""
    claims: Claims
    """Issuer, issued-at and expiry."""
    payload: dict[str, Any]
    """The payload, exactly as signed."""
    cose: bytes = field(repr=False)
    """The COSE_Sign1 bytes (after inflating)."""

    @staticmethod
    def _from_native(view: dict[str, Any], cose: bytes) -> Decoded:
        view["claims"] = _record(Claims, view["claims"])
        view["cose"] = cose
        return _record(Decoded, view)


@dataclass(frozen=True)
class ValidationReport:
    """The result of validating a payload for issuing, without signing it."""

    valid: bool
    """True when the payload could be issued as it is (after normalisation)."""
    payload: dict[str, Any]
    """The normalised payload."""
    changes: list[Change]
    """What normalisation changed."""
    issues: list[ValidationIssue]
    """Every problem left after normalisation."""

    @staticmethod
    def _from_json(text: str) -> ValidationReport:
        view = json.loads(text)
        view["changes"] = [_record(Change, c) for c in view["changes"]]
        view["issues"] = [_record(ValidationIssue, i) for i in view["issues"]]
        return _record(ValidationReport, view)


@dataclass(frozen=True, repr=False)
class GeneratedKey:
    """A generated P-256 key, its self-signed DSC (for tests and pilots) and a certificate
    signing request for it (for the national CSCA); ``repr`` hides the key."""

    key_pem: str
    """The private key, PKCS#8 PEM. Keep it secret."""
    cert_pem: str
    """The self-signed DSC, PEM."""
    csr_pem: str
    """A PKCS#10 certificate signing request for the key, PEM: send it to the national CSCA,
    which returns the production DSC."""

    def __repr__(self) -> str:
        return "GeneratedKey(key_pem=<hidden>, cert_pem=<PEM certificate>, csr_pem=<PEM request>)"


@dataclass(frozen=True)
class LedgerRecord:
    """One issued certificate as an issuance ledger recorded it (``Ledger.records``). It holds
    no names or dates of birth unless the issuer opted in (``personal_data``)."""

    seq: int
    """Position in the chain, from 1."""
    issued_at: int
    """Issued-at, seconds since the epoch."""
    expires_at: int
    """Expiry, seconds since the epoch."""
    kid: str
    """kid of the DSC that signed it, base64."""
    certificate_type: Literal["vaccination", "test", "recovery"]
    """The certificate type."""
    country: str
    """The issuing country (CWT ``iss``)."""
    uci: str
    """The certificate identifier."""
    hash_uci: Optional[str]
    """``UCI`` revocation hash, base64."""
    hash_country_code_uci: Optional[str]
    """``COUNTRYCODEUCI`` revocation hash, base64."""
    hash_signature: str
    """``SIGNATURE`` revocation hash, base64."""
    operator: str
    """The operator (account) the issuer was given (``Issuer.with_ledger``)."""
    hc1_sha256: str
    """SHA-256 of the ``HC1:`` text, hex."""
    personal_data: Optional[str]
    """``{"nam": ..., "dob": ...}`` as JSON text, only when the issuer opted in."""
    prev_hash: str
    """``record_hash`` of the previous record (64 zeros for the first), hex."""
    record_hash: str
    """SHA-256 of ``prev_hash`` and this record's content, hex."""

    @property
    def issued_datetime(self) -> Optional[datetime]:
        """``issued_at`` as a UTC datetime."""
        return _utc(self.issued_at)

    @property
    def expires_datetime(self) -> Optional[datetime]:
        """``expires_at`` as a UTC datetime."""
        return _utc(self.expires_at)


@dataclass(frozen=True)
class ChainBreak:
    """The first place where a ledger's hash chain breaks."""

    seq: int
    """The ``seq`` of the first bad record."""
    kind: Literal["changed", "deleted", "reordered"]
    """``changed`` (its content no longer matches its hash), ``deleted`` (its predecessor is
    missing) or ``reordered`` (its predecessor is elsewhere in the order)."""
    message: str
    """A sentence for people."""


@dataclass(frozen=True)
class ChainReport:
    """The result of ``Ledger.verify``."""

    valid: bool
    """True when every record's hash and link verify."""
    records: int
    """Number of records."""
    head: Optional[str]
    """``record_hash`` of the last record: keep it elsewhere to detect removal of the newest
    records (which leaves a valid, shorter chain)."""
    first_break: Optional[ChainBreak]
    """The first break, when not valid."""

    @staticmethod
    def _from_view(view: dict[str, Any]) -> ChainReport:
        b = view["first_break"]
        view["first_break"] = None if b is None else _record(ChainBreak, b)
        return _record(ChainReport, view)
