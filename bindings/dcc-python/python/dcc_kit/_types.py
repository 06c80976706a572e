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
    view["signer"] = None if signer is None else _signer(signer)
    view["checks"] = _record(Checks, {k: _record(Outcome, o) for k, o in view["checks"].items()})
    view["failures"] = [_record(CheckFailure, f) for f in view["failures"]]
    view["findings"] = [_record(ValidationIssue, i) for i in view["findings"]]
    view["revoked_by"] = _revocation_match(view["revoked_by"])
    return view


def _signer(view: dict[str, Any]) -> SignerInfo:
    """A ``SignerInfo`` from its view (as ``json.loads`` gives it), its source built."""
    source = view["source"]
    view["source"] = None if source is None else _record(TrustSource, source)
    return _record(SignerInfo, view)


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
class TrustSource:
    """The trust list a signer came from (``SignerInfo.source``)."""

    format: str
    """The list's format: ``de``, ``at``, ``ch``, ``eu-gateway`` or ``pem``."""
    list: Optional[str]
    """The name the list was loaded under (``TrustList.load(..., name=...)``), if any."""
    country: Optional[str]
    """The entry's country as the list states it."""
    list_expired: bool
    """True when the list had expired and was used because ``allow_expired`` was set."""


@dataclass(frozen=True)
class SignerInfo:
    """A document signer certificate (DSC), or a bare public key from a key list."""

    kid: str
    """Key identifier (first 8 bytes of the certificate's SHA-256), base64."""
    subject: str
    """Subject distinguished name (empty for a bare key)."""
    country: Optional[str]
    """Subject country, if any."""
    not_before: Optional[int]
    """Start of validity (notBefore), seconds since the epoch."""
    not_after: Optional[int]
    """End of validity (notAfter), seconds since the epoch."""
    key: str
    """Key type: ``P-256``, ``RSA-2048``, ..."""
    certificate: bool
    """False for a bare public key from a key list (the Swiss list): no subject, no validity
    window, no extended key usage, so a verification reports ``validity`` and ``key_usage``
    as ``not_checkable``."""
    source: Optional[TrustSource]
    """The trust list the signer came from (``Verifier.with_trust_list``), or ``None`` when it
    was trusted directly (``Verifier.from_certs``)."""

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
    skipped or not checkable one its reason in ``message``."""

    status: Literal["passed", "failed", "skipped", "not_checkable"]
    """``passed``, ``failed``, ``skipped`` or ``not_checkable`` (``validity`` and ``key_usage``
    of a bare-key signer, which has neither a validity window nor a key usage: not a failure,
    never a pass)."""
    code: Optional[str]
    """The failure code, when failed."""
    message: Optional[str]
    """The failure message, or why the check was skipped or cannot be made."""

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
    """``DSC notBefore <= iat <= at <= exp <= DSC notAfter``; ``not_checkable`` when the claims
    fit the verification time but the signer is a bare key (no validity window)."""
    key_usage: Outcome
    """The DSC's extended key usage allows the certificate type; ``not_checkable`` for a
    bare-key signer."""
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
    """True only when the signature and structure checks pass, the validity and key-usage
    checks pass (or are ``not_checkable`` for a bare-key signer) and the certificate is not
    revoked."""
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

    def evaluate_rules(
        self, rules: RuleSet, country: str, region: Optional[str] = None, at: Optional[datetime] = None
    ) -> RulesReport:
        """Evaluates the business rules that apply to this certificate (``load_rules``): the
        acceptance rules of the arrival ``country`` (two letters, any case) and ``region``,
        the invalidation rules of the issuing country, for the certificate's type, each in
        its newest version in force at ``at`` (aware; default: the verification time). Run it
        after the technical checks: it says whether the certificate is accepted for entry,
        not whether it is genuine. Raises ``InvalidArgumentError`` for a country that is not
        two letters or a payload without a single certificate type."""
        from . import RuleSet, _opt_secs  # (the package imports this module)

        if not isinstance(rules, RuleSet):
            raise TypeError(f"rules must be a dcc_kit.RuleSet (load_rules), not {type(rules).__name__}")
        native = self.__dict__["_native"].evaluate_rules(rules._native, country, region, _opt_secs("at", at))
        return RulesReport._from_json(native)

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


@dataclass(frozen=True)
class SkippedEntry:
    """A trust-list entry that was not trusted, and why."""

    index: int
    """Position of the entry in the list (0-based)."""
    kid: Optional[str]
    """The kid the list gives for the entry, base64."""
    country: Optional[str]
    """The country the list gives for the entry."""
    code: str
    """``kid_mismatch``, ``thumbprint_mismatch``, ``invalid_certificate``, ``invalid_key``,
    ``deleted``, ``not_a_dsc`` or ``inactive``."""
    message: str
    """Human-readable explanation."""


# (a Union of Literals, not one Literal: stubtest checks a type alias against a runtime Union)
TrustListFormat = Union[Literal["de"], Literal["at"], Literal["ch"], Literal["eu-gateway"], Literal["pem"]]
"""A trust-list format: the German DSC list (``de``), the Austrian trust list (``at``), the
Swiss key list (``ch``), EU gateway JSON (``eu-gateway``) or PEM/DER certificates (``pem``)."""


@dataclass(frozen=True)
class TrustListView:
    """A summary of a loaded trust list (``TrustList.view()``, ``dcc trust-list --json``)."""

    format: TrustListFormat
    """``de``, ``at``, ``ch``, ``eu-gateway`` or ``pem``."""
    name: Optional[str]
    """The name the list was loaded under."""
    signature_verified: bool
    """Whether the list's signature was checked and verified (false for unsigned formats)."""
    signed_by: Optional[str]
    """The anchor (for the Swiss list, the signing certificate) the signature verified with."""
    entries: int
    """Trusted entries."""
    certificates: int
    """Of those, certificates."""
    bare_keys: int
    """Of those, bare public keys."""
    countries: dict[str, int]
    """Trusted entries per country (``??`` when the list gives none)."""
    skipped: list[SkippedEntry]
    """Entries that were not trusted, each with a code."""
    not_before: Optional[int]
    """The list's not-before time (seconds since the epoch), where its format has one."""
    expires: Optional[int]
    """The list's expiry (seconds since the epoch), where its format has one."""
    expired: bool
    """True when the list had expired (or was not yet valid) and was loaded because
    ``allow_expired`` was set."""

    @staticmethod
    def _from_view(view: dict[str, Any]) -> TrustListView:
        view["skipped"] = [_record(SkippedEntry, e) for e in view["skipped"]]
        return _record(TrustListView, view)


RuleOutcome = Union[Literal["passed"], Literal["fail"], Literal["open"]]
"""The outcome of a rule: ``passed``, ``fail`` or ``open`` (could not be evaluated)."""


@dataclass(frozen=True)
class OpenReason:
    """Why a rule is ``open``."""

    code: str
    """``engine_unsupported``, ``engine_version_too_new``, ``schema_version_mismatch``,
    ``non_boolean_result`` or the CertLogic engine's code of a failed evaluation
    (``unknown_operator``, ``type_mismatch``, ...)."""
    message: str
    """What happened, in words."""


@dataclass(frozen=True)
class RuleDescription:
    """A rule's description in one language."""

    lang: str
    """Language code, e.g. ``en``."""
    desc: str
    """The text."""


@dataclass(frozen=True)
class RuleResult:
    """The result of one business rule for one certificate."""

    identifier: str
    """The rule's ``Identifier``, e.g. ``VR-DE-0001``."""
    version: str
    """The rule's ``Version``."""
    rule_type: Literal["acceptance", "invalidation"]
    """``acceptance`` (of the arrival country) or ``invalidation`` (of the issuing country)."""
    country: str
    """The rule's ``Country``."""
    certificate_type: Literal["general", "test", "vaccination", "recovery"]
    """The rule's ``CertificateType``."""
    outcome: RuleOutcome
    """``passed``, ``fail`` or ``open``."""
    open_reason: Optional[OpenReason]
    """Why the rule is open (exactly when ``outcome`` is ``open``)."""
    descriptions: list[RuleDescription]
    """The rule's descriptions."""
    affected_fields: list[str]
    """The rule's ``AffectedFields``."""

    @staticmethod
    def _from_view(view: dict[str, Any]) -> RuleResult:
        reason = view["open_reason"]
        view["open_reason"] = None if reason is None else _record(OpenReason, reason)
        view["descriptions"] = [_record(RuleDescription, d) for d in view["descriptions"]]
        return _record(RuleResult, view)


@dataclass(frozen=True)
class RulesReport:
    """The business rules evaluated for one certificate (``Verification.evaluate_rules``)."""

    outcome: RuleOutcome
    """``fail`` when any rule failed, else ``open`` when any is open, else ``passed`` (also
    when no rule applies: ``results`` is then empty)."""
    country: str
    """The arrival country (upper case)."""
    region: Optional[str]
    """The region, if any."""
    validation_clock: int
    """The validation time, seconds since the epoch."""
    passed: int
    """Rules that passed."""
    failed: int
    """Rules that failed."""
    open: int
    """Rules that are open."""
    results: list[RuleResult]
    """Each selected rule's result: acceptance rules first, by identifier."""

    def to_json(self) -> str:
        """The report as the facade's JSON (``dcc verify --rules --json``)."""
        return str(self.__dict__["_json"])

    @staticmethod
    def _from_json(text: str) -> RulesReport:
        view = json.loads(text)
        view["results"] = [RuleResult._from_view(r) for r in view["results"]]
        report = _record(RulesReport, view)
        report.__dict__["_json"] = text  # an attribute, not a field: == and asdict see the view
        return report


if TYPE_CHECKING:
    from . import RuleSet
