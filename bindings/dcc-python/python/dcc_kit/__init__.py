"""dcc-kit: issue and verify EU Digital COVID Certificates (``HC1:`` QR codes).

A typed package over the native module :mod:`dcc_kit._native` (Rust, PyO3), which is a thin
layer over the Rust facade ``dcc``::

    import dcc_kit
    issuer = dcc_kit.Issuer.from_pem(key_pem, cert_pem)
    cert = issuer.issue(payload, iss="DE", issued_at=now, validity=timedelta(days=365))
    png = cert.to_png(scale=4)
    result = dcc_kit.Verifier.from_certs([cert_pem]).verify(cert.hc1, at=now)
    assert result.valid

Trust lists and business rules: ``TrustList.load`` checks a national trust list (German,
Austrian, Swiss, EU gateway JSON, PEM) against a pinned anchor, ``Verifier.with_trust_list``
trusts its entries; ``load_rules`` reads CertLogic business rules and
``Verification.evaluate_rules`` evaluates those of an arrival country.

Revocation: ``Certificate.revocation_hashes()`` gives a certificate's three revocation hashes,
``Verifier.with_revocation(files)`` checks certificates against gateway batches or Bloom
filters. The issuance ledger (``Ledger.open``, ``Issuer.with_ledger``) records every issued
certificate, so that one operator's certificates can be listed and revoked.

Key custody: the signing key in a PEM file (``Issuer.from_pem``), in a hardware security
module through PKCS#11 (``Issuer.from_pkcs11``, ``generate_key_in_token``), or behind a callable
(``Issuer.from_signer``, e.g. a cloud KMS); ``Issuer.certificate_request`` and
``GeneratedKey.csr_pem`` give the PKCS#10 request the national CSCA turns into a DSC.

The names are those of the operation table ``api/operations.json``, the same in every
language. Records are frozen dataclasses with the fields of the facade's views (the canonical
JSON); ``to_json()`` gives that JSON. Every error is a :class:`DccError` with a stable
``code``, one subclass per kind (``ERROR_CLASSES`` maps each code to its class). Datetimes
must be timezone-aware (a naive datetime raises :class:`InvalidOptionsError`).
"""

from __future__ import annotations

import json
import math
import os
from dataclasses import dataclass
from datetime import datetime, timedelta
from json.encoder import encode_basestring_ascii
from pathlib import Path
from typing import Any, Callable, Iterable, Literal, Optional, Union

from . import _native
from ._errors import (
    ERROR_CLASSES,
    CertlogicFailedError,
    DccError,
    EmptyInputError,
    InputTooLargeError,
    InvalidArgumentError,
    InvalidBase45Error,
    InvalidCborError,
    InvalidCertificateError,
    InvalidClaimsError,
    InvalidCompressionError,
    InvalidCoseError,
    InvalidImageError,
    InvalidKeyError,
    InvalidOptionsError,
    InvalidPayloadError,
    InvalidPrefixError,
    InvalidRevocationDataError,
    InvalidRuleError,
    InvalidTrustListError,
    InvalidValueSetError,
    LedgerFailedError,
    NoQrCodeError,
    PdfFailedError,
    Pkcs11DeviceError,
    Pkcs11KeyNotFoundError,
    Pkcs11ModuleUnavailableError,
    Pkcs11PinIncorrectError,
    Pkcs11TokenNotFoundError,
    QrEncodeError,
    SigningError,
    TrustListExpiredError,
    TrustListSignatureInvalidError,
    UnsupportedVersionError,
    ValidationError,
    VerificationFailedError,
)
from ._types import (
    ChainBreak,
    ChainReport,
    Change,
    CheckFailure,
    Checks,
    Claims,
    Decoded,
    GeneratedKey,
    HashType,
    LedgerRecord,
    OpenReason,
    Outcome,
    RevocationHashes,
    RevocationMatch,
    RevocationSource,
    RuleDescription,
    RuleOutcome,
    RuleResult,
    RulesReport,
    SignerInfo,
    SkippedEntry,
    TrustListFormat,
    TrustListView,
    TrustSource,
    ValidationIssue,
    ValidationReport,
    Verification,
    _record,
    _signer,
)

__version__: str = _native.__version__

Payload = Union[dict[str, Any], str, bytes]
"""A DCC payload: a ``dict`` (schema 1.3.x) or its JSON text (``str`` or UTF-8 ``bytes``)."""

Validity = Union[timedelta, datetime, None]
"""How long a certificate is valid: ``None`` (the default of its type), a ``timedelta`` (from
issued-at) or an aware ``datetime`` (the expiry)."""

_MAX_DEPTH = 64
_ENCODER = json.JSONEncoder(allow_nan=False, check_circular=False, separators=(",", ":"))
_quote = encode_basestring_ascii  # json.dumps of a str, without its Python layers

# ---------------------------------------------------------------------------------------------
# Conversions (the only logic here: Python values -> the facade's arguments)


def _bytes(name: str, value: object) -> bytes:
    if isinstance(value, str):
        return value.encode()
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value)
    raise TypeError(f"{name} must be str or bytes, not {type(value).__name__}")


def _image(value: object) -> bytes:
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value)
    raise TypeError(f"the image must be bytes (PNG or JPEG), not {type(value).__name__}")


def _secs(name: str, value: object) -> int:
    """Seconds since the epoch of an aware datetime (fractions dropped)."""
    if not isinstance(value, datetime):
        raise InvalidOptionsError(f"{name} must be a datetime.datetime, not {type(value).__name__}")
    if value.utcoffset() is None:
        raise InvalidOptionsError(
            f"{name} is a naive datetime: give it a time zone, "
            "e.g. datetime(2025, 1, 1, tzinfo=timezone.utc)"
        )
    return math.floor(value.timestamp())


def _opt_secs(name: str, value: Optional[datetime]) -> Optional[int]:
    return None if value is None else _secs(name, value)


def _whole_seconds(name: str, value: object) -> int:
    if not isinstance(value, timedelta):
        raise InvalidOptionsError(f"{name} must be a datetime.timedelta, not {type(value).__name__}")
    return value.days * 86_400 + value.seconds


def _options(iss: Optional[str], issued_at: Optional[datetime], validity: Validity) -> str:
    """The facade's ``IssueOptions`` as JSON (written directly: this runs for every issue)."""
    if validity is None:
        v = '"default"'
    elif isinstance(validity, datetime):
        v = f'{{"until":{_secs("validity", validity)}}}'
    elif isinstance(validity, timedelta):
        v = f'{{"for_seconds":{_whole_seconds("validity", validity)}}}'
    else:
        raise InvalidOptionsError(
            f"validity must be None, a timedelta or a datetime, not {type(validity).__name__}"
        )
    at = "null" if issued_at is None else _secs("issued_at", issued_at)
    i = "null" if iss is None else _quote(iss) if type(iss) is str else json.dumps(iss)
    return f'{{"iss":{i},"issued_at":{at},"validity":{v}}}'


def _check_json(value: object, path: str, depth: int) -> None:
    """Raises InvalidPayloadError, naming the path, for a value without a JSON form."""

    def refuse(what: str) -> InvalidPayloadError:
        return InvalidPayloadError(f"{what} at {path}" if path else what)

    if depth > _MAX_DEPTH:
        raise refuse(f"nested deeper than {_MAX_DEPTH} levels")
    # Exact types (a bool is an int, a str subclass may serialise differently): the JSON
    # encoder then writes exactly these values.
    if value is None or type(value) is str or type(value) is bool:
        return
    if type(value) is dict:
        for k, v in value.items():
            if type(k) is not str:
                raise refuse(f"a mapping key of type {type(k).__name__} (keys must be str)")
            _check_json(v, f"{path}/{k}" if path else k, depth + 1)
    elif type(value) is list or type(value) is tuple:
        for i, v in enumerate(value):
            _check_json(v, f"{path}/{i}" if path else str(i), depth + 1)
    elif type(value) is int:
        if not -(2**63) <= value < 2**64:
            raise refuse("an integer outside the 64-bit range")
    elif type(value) is float:
        if not math.isfinite(value):
            raise refuse(f"the non-finite number {value}")
    else:
        raise refuse(f"a value of type {type(value).__name__} (use dict, list, str, int, float, bool or None)")


_INT_MIN, _INT_END = -(2**63), 2**64


def _has_json_form(value: object, depth: int) -> bool:
    """``_check_json``'s rules without building paths: the quick check of every payload (the
    paths cost more than the rest); ``_check_json`` runs only to name what fails."""
    t = type(value)
    if t is dict:
        if depth >= _MAX_DEPTH and value:
            return False
        for k, v in value.items():  # type: ignore[attr-defined]
            if type(k) is not str:
                return False
            tv = type(v)
            if not (tv is str or v is None or tv is bool or _has_json_form(v, depth + 1)):
                return False
        return True
    if t is list or t is tuple:
        if depth >= _MAX_DEPTH and value:
            return False
        for v in value:  # type: ignore[attr-defined]
            tv = type(v)
            if not (tv is str or v is None or tv is bool or _has_json_form(v, depth + 1)):
                return False
        return True
    if t is int:
        return _INT_MIN <= value < _INT_END  # type: ignore[operator]
    if t is float:
        return math.isfinite(value)  # type: ignore[arg-type]
    return value is None or t is str or t is bool


def _payload_arg(payload: object) -> Any:
    """A payload for ``issue`` and ``prepare``: JSON text, or the objects themselves once checked
    to have a JSON form (the native side reads them without JSON text in between)."""
    if isinstance(payload, (str, bytes, bytearray, memoryview)):
        return _payload(payload)
    if not _has_json_form(payload, 0):
        _check_json(payload, "", 0)  # raises, naming the path
    return payload


def _payload(payload: object) -> str:
    """A payload as JSON text."""
    if isinstance(payload, str):
        return payload
    if isinstance(payload, (bytes, bytearray, memoryview)):
        try:
            return bytes(payload).decode("utf-8")
        except UnicodeDecodeError:
            raise InvalidPayloadError("the JSON bytes are not valid UTF-8") from None
    if not _has_json_form(payload, 0):
        _check_json(payload, "", 0)  # raises, naming the path
    return _ENCODER.encode(payload)


def _value_sets(value_sets: Iterable[Union[str, bytes]]) -> list[str]:
    """Value-set files (JSON texts) as ``str``."""
    out: list[str] = []
    for v in value_sets:
        try:
            out.append(v if isinstance(v, str) else _bytes("value set", v).decode("utf-8"))
        except UnicodeDecodeError:
            raise InvalidValueSetError("a value-set file is not valid UTF-8") from None
    return out


# ---------------------------------------------------------------------------------------------
# Issuing


class Certificate:
    """An issued certificate: the fields of the facade's certificate view (``hc1``, ``kid``,
    ``algorithm``, ``certificate_type``, ``claims``, ``payload``, ``changes``), the COSE
    bytes, and its QR code."""

    __slots__ = ("_native", "_view")

    def __init__(self, native: _native.Certificate) -> None:
        self._native = native
        self._view: Optional[dict[str, Any]] = None

    def _field(self, name: str) -> Any:
        if self._view is None:
            view = self._native.view()
            view["claims"] = _record(Claims, view["claims"])
            view["changes"] = [_record(Change, c) for c in view["changes"]]
            self._view = view
        return self._view[name]

    @property
    def hc1(self) -> str:
        """The ``HC1:`` text (the QR code content)."""
        return self._native.hc1

    @property
    def kid(self) -> str:
        """The kid of the signer certificate, base64."""
        return str(self._field("kid"))

    @property
    def algorithm(self) -> str:
        """``ES256`` or ``PS256``."""
        return str(self._field("algorithm"))

    @property
    def certificate_type(self) -> Literal["vaccination", "test", "recovery"]:
        """``vaccination``, ``test`` or ``recovery``."""
        return self._field("certificate_type")  # type: ignore[no-any-return]

    @property
    def claims(self) -> Claims:
        """The claims that were signed."""
        return self._field("claims")  # type: ignore[no-any-return]

    @property
    def payload(self) -> dict[str, Any]:
        """The payload that was signed (after normalisation)."""
        return self._field("payload")  # type: ignore[no-any-return]

    @property
    def changes(self) -> list[Change]:
        """What normalisation changed before signing (trimmed strings, derived ``fnt``/``gnt``)."""
        return self._field("changes")  # type: ignore[no-any-return]

    @property
    def cose(self) -> bytes:
        """The signed COSE_Sign1 bytes (tagged, before compression)."""
        return self._native.cose

    def to_png(self, scale: int = 4) -> bytes:
        """A 1-bit PNG of the QR code (level Q, 4-module quiet zone), ``scale`` pixels per
        module. Raises ``QrEncodeError`` for a scale outside 1..=64."""
        return self._native.to_png(min(max(scale, 0), 2**32 - 1))

    def to_svg(self) -> str:
        """An SVG of the QR code (level Q)."""
        return self._native.to_svg()

    def to_pdf(self, language: str = "de") -> bytes:
        """The printable certificate as PDF bytes: an A4 page in the EU layout, folded into four
        A6 panels (QR code, holder, the fields of the certificate's type, the signature's
        details), the QR code as vector graphics, every label in English and ``language``
        (``"de"``, ``"fr"`` or ``"en"`` for English only)::

            Path("certificate.pdf").write_bytes(cert.to_pdf(language="fr"))

        Raises ``InvalidOptionsError`` for any other language, ``PdfFailedError`` if the PDF
        cannot be written."""
        if not isinstance(language, str):
            raise InvalidOptionsError(f"language must be a str, not {type(language).__name__}")
        return self._native.to_pdf(language)

    def to_json(self) -> str:
        """The certificate view as the facade's JSON (the CLI's ``issue --json``)."""
        return self._native.to_json()

    def revocation_hashes(self) -> RevocationHashes:
        """The three revocation hashes (``UCI``, ``COUNTRYCODEUCI``, ``SIGNATURE``) a gateway
        revocation batch would list for this certificate."""
        return _record(RevocationHashes, self._native.revocation_hashes())

    def __str__(self) -> str:
        return self.hc1

    def __repr__(self) -> str:
        return f"Certificate(hc1={self.hc1[:24] + '...'!r}, kid={self.kid!r}, exp={self.claims.exp!r})"


class PreparedCertificate:
    """A certificate waiting for its signature (see ``Issuer.prepare``). It can be finished
    more than once, e.g. to retry after a bad signature."""

    __slots__ = ("_native",)

    def __init__(self, native: _native.PreparedCertificate) -> None:
        self._native = native

    @property
    def tbs(self) -> bytes:
        """The bytes to sign: the COSE ``Sig_structure``."""
        return self._native.tbs

    @property
    def algorithm(self) -> str:
        """The algorithm the signature must use: ``ES256`` or ``PS256``."""
        return self._native.algorithm

    def finish(self, signature: bytes) -> Certificate:
        """Attaches the signature (ES256: raw ``r || s`` or DER; PS256: the PSS signature) and
        encodes the certificate. Raises ``SigningError`` for a malformed signature; the
        signature is not verified here."""
        return Certificate(self._native.finish(_image(signature)))

    def __repr__(self) -> str:
        return f"PreparedCertificate(algorithm={self.algorithm!r}, tbs_len={len(self.tbs)})"


class Issuer:
    """A signing key (in memory, in a PKCS#11 token, or behind a callable for a KMS) and its
    document signer certificate (DSC). Immutable and thread-safe. Build one with ``from_pem``,
    ``from_pem_deterministic``, ``from_pkcs11``, ``from_signer`` or ``demo``."""

    __slots__ = ("_native",)

    def __init__(self, native: _native.Issuer) -> None:
        self._native = native

    @staticmethod
    def from_pem(key: Union[str, bytes], cert: Union[str, bytes]) -> Issuer:
        """An issuer from a private key (PKCS#8 or SEC1 PEM, or DER: P-256 for ES256, RSA for
        PS256) and its DSC (PEM, DER or base64). ES256 signatures are hedged (fresh randomness
        in every nonce). Raises ``InvalidKeyError`` (also when the key does not match the
        certificate) or ``InvalidCertificateError``."""
        return Issuer(_native.Issuer.from_pem(_bytes("key", key), _bytes("cert", cert)))

    @staticmethod
    def from_pem_deterministic(key: Union[str, bytes], cert: Union[str, bytes]) -> Issuer:
        """As ``from_pem``, with RFC 6979 ES256 nonces: the same input always gives the same
        bytes (golden tests), at about half the speed."""
        return Issuer(_native.Issuer.from_pem_deterministic(_bytes("key", key), _bytes("cert", cert)))

    @staticmethod
    def from_signer(sign: Callable[[bytes], bytes], cert: Union[str, bytes], algorithm: str) -> Issuer:
        """An issuer whose signatures come from ``sign(tbs: bytes) -> bytes`` (an HSM, a KMS):
        it receives the COSE ``Sig_structure`` and returns the signature (ES256: raw ``r || s``
        or DER; PS256: RSASSA-PSS, SHA-256, salt 32). ``algorithm`` (``"ES256"`` or
        ``"PS256"``) must fit the DSC's key, else ``InvalidKeyError``; an unknown name is
        ``InvalidArgumentError``. If ``sign`` raises, issuing raises ``SigningError`` with that
        exception as ``__cause__``. The callable runs with the GIL held, from the issuing
        thread or a batch worker."""
        if not callable(sign):
            raise TypeError("sign must be a callable taking bytes and returning bytes")
        return Issuer(_native.Issuer.from_signer(sign, _bytes("cert", cert), algorithm))

    @staticmethod
    def from_pkcs11(
        uri: str,
        cert: Union[str, bytes],
        *,
        module: Union[str, os.PathLike[str], None] = None,
        pin: Optional[str] = None,
        max_sessions: int = 0,
    ) -> Issuer:
        """An issuer signing in a hardware security module through PKCS#11: the private key
        never leaves the token. ``uri`` names the key (RFC 7512:
        ``pkcs11:token=LABEL;object=LABEL``, optionally ``;id=%01``, ``?module-path=...``,
        ``&pin-source=file:...``); ``cert`` is its DSC (PEM, DER or base64). The module is
        ``module``, else the URI's ``module-path``, else ``$DCC_PKCS11_MODULE``; the PIN is
        ``pin``, else the URI's ``pin-value`` or ``pin-source`` file, else ``$DCC_PKCS11_PIN``
        (the PIN never appears in messages or ``repr``). The algorithm follows the key (P-256:
        ES256, RSA: PS256), and the token's public key must be the DSC's.

        Signing is thread-safe: the issuer keeps a pool of sessions that grows to the number
        of threads signing at once, at most ``max_sessions`` (0: no limit). Raises
        ``Pkcs11ModuleUnavailableError``, ``Pkcs11TokenNotFoundError``,
        ``Pkcs11PinIncorrectError`` (wrong or missing PIN), ``Pkcs11KeyNotFoundError``,
        ``Pkcs11DeviceError``, ``InvalidKeyError`` (a key that does not fit the DSC),
        ``InvalidArgumentError`` (a malformed URI) or ``InvalidCertificateError``; a token
        failing while signing makes issuing raise ``SigningError``."""
        module_path, pin, max_sessions = _pkcs11_args(uri, module, pin, max_sessions)
        native = _native.Issuer.from_pkcs11(uri, _bytes("cert", cert), module_path, pin, max_sessions)
        return Issuer(native)

    @staticmethod
    def demo() -> Issuer:
        """The issuer with the embedded demo key and DSC (``C=XX``). **Never for production**:
        the key is public."""
        return Issuer(_native.Issuer.demo())

    @property
    def signer(self) -> SignerInfo:
        """The issuer's document signer certificate."""
        return _signer(json.loads(self._native.signer()))

    @property
    def algorithm(self) -> str:
        """The signing algorithm: ``ES256`` or ``PS256``."""
        return self._native.algorithm

    def certificate_request(
        self,
        *,
        country: Optional[str] = None,
        common_name: Optional[str] = None,
        organization: Optional[str] = None,
        certificate_types: Optional[Iterable[CertificateType]] = None,
    ) -> str:
        """A PKCS#10 certificate signing request (PEM) for this issuer's key, signed by the key
        wherever it lives (in memory, in a PKCS#11 token): what the national CSCA turns into a
        DSC, e.g. to renew one. Subject ``C=country``, ``O=organization`` (when given),
        ``CN=common_name`` (left out: ``XX`` and ``dcc-kit test DSC``, the shared defaults);
        an extension request for keyUsage digitalSignature and the HCERT extended-key-usage
        OIDs of ``certificate_types`` (``"vaccination"``, ``"test"``, ``"recovery"``; left out
        or empty: all three). Raises ``InvalidOptionsError`` for a bad country, an empty
        common name or an unknown type, and for an issuer from ``from_signer`` (a callable
        does not tell its public key)."""
        options = _key_options(country, common_name, None, organization, certificate_types)
        return self._native.certificate_request(options)

    def with_value_sets(self, value_sets: Iterable[Union[str, bytes]]) -> Issuer:
        """A copy of this issuer that validates with these value-set files (JSON texts, as
        published in ``ehn-dcc-valuesets``) instead of the embedded copies of the same sets.
        Raises ``InvalidValueSetError``."""
        return Issuer(self._native.with_value_sets(_value_sets(value_sets)))

    def with_ledger(self, ledger: Ledger, operator: str, *, include_personal_data: bool = False) -> Issuer:
        """A copy of this issuer that records every certificate it issues (``issue``,
        ``issue_batch``: one transaction per batch, ``prepare`` + ``finish``) in ``ledger``,
        under ``operator`` (the issuing account, required: an empty one raises
        ``InvalidOptionsError``). Records hold no names or dates of birth unless
        ``include_personal_data``. A certificate whose record cannot be written is not
        returned: issuing raises ``LedgerFailedError``."""
        if not isinstance(ledger, Ledger):
            raise TypeError(f"ledger must be a dcc_kit.Ledger, not {type(ledger).__name__}")
        if not isinstance(operator, str):
            raise TypeError(f"operator must be str, not {type(operator).__name__}")
        return Issuer(self._native.with_ledger(ledger._native, operator, bool(include_personal_data)))

    def issue(
        self,
        payload: Payload,
        *,
        iss: Optional[str] = None,
        issued_at: Optional[datetime] = None,
        validity: Validity = None,
    ) -> Certificate:
        """Issues one certificate: payload -> CWT -> COSE_Sign1 -> zlib -> Base45 -> ``HC1:``.

        ``iss`` defaults to the DSC's country, ``issued_at`` (aware) to now; ``validity`` is
        ``None`` (the default of the certificate type), a ``timedelta`` from issued-at, or the
        expiry as an aware ``datetime``. The expiry may not pass the DSC's notAfter. Raises
        ``ValidationError`` (with ``issues``), ``InvalidPayloadError``, ``InvalidOptionsError``
        or ``SigningError``."""
        options = _options(iss, issued_at, validity)
        return Certificate(self._native.issue(_payload_arg(payload), options))

    def issue_batch(
        self,
        payloads: Iterable[Payload],
        *,
        iss: Optional[str] = None,
        issued_at: Optional[datetime] = None,
        validity: Validity = None,
    ) -> list[Union[Certificate, DccError]]:
        """Issues one certificate per payload with the same options, on every core with the
        GIL released. Returns one entry per payload, in order: a ``Certificate`` or the
        ``DccError`` for that payload (the batch never fails as a whole; bad options do)."""
        options = _options(iss, issued_at, validity)
        # A payload without a JSON form is that item's error, as the facade's errors are.
        slots: list[Optional[DccError]] = []
        texts: list[str] = []
        for payload in payloads:
            try:
                texts.append(_payload(payload))
                slots.append(None)
            except InvalidPayloadError as e:
                slots.append(e)
        issued = iter(self._native.issue_batch(texts, options))
        return [_certificate_or_error(next(issued)) if slot is None else slot for slot in slots]

    def prepare(
        self,
        payload: Payload,
        *,
        iss: Optional[str] = None,
        issued_at: Optional[datetime] = None,
        validity: Validity = None,
    ) -> PreparedCertificate:
        """Everything but the signature, for asynchronous signers: sign ``tbs`` (e.g. with an
        async KMS client), then call ``finish(signature)``. The same arguments, and the same
        errors, as ``issue``."""
        options = _options(iss, issued_at, validity)
        return PreparedCertificate(self._native.prepare(_payload_arg(payload), options))

    def __repr__(self) -> str:
        s = self.signer
        return f"Issuer(algorithm={self.algorithm!r}, kid={s.kid!r}, subject={s.subject!r})"


def _certificate_or_error(item: Union[_native.Certificate, DccError]) -> Union[Certificate, DccError]:
    return Certificate(item) if isinstance(item, _native.Certificate) else item


def _pkcs11_args(
    uri: object, module: Union[str, os.PathLike[str], None], pin: object, max_sessions: object
) -> tuple[Optional[str], Optional[str], int]:
    """The PKCS#11 arguments as the native module takes them (no message shows the PIN)."""
    if not isinstance(uri, str):
        raise TypeError(f"uri must be str (pkcs11:token=...;object=...), not {type(uri).__name__}")
    if pin is not None and not isinstance(pin, str):
        raise TypeError(f"pin must be str or None, not {type(pin).__name__}")
    if type(max_sessions) is not int:
        raise TypeError(f"max_sessions must be int, not {type(max_sessions).__name__}")
    if max_sessions < 0:
        raise InvalidOptionsError(f"max_sessions must be 0 (no limit) or more, not {max_sessions}")
    return (None if module is None else os.fspath(module)), pin, max_sessions


def _key_options(
    country: Optional[str],
    common_name: Optional[str],
    valid_days: Optional[int],
    organization: Optional[str],
    certificate_types: Optional[Iterable[CertificateType]],
) -> str:
    """The facade's ``KeyOptions`` as JSON; the facade's defaults for what is left out (a value
    of the wrong type is its ``InvalidOptionsError``)."""
    given: dict[str, object] = {
        "country": country,
        "common_name": common_name,
        "valid_days": valid_days,
        "organization": organization,
    }
    options = {k: v for k, v in given.items() if v is not None}
    if certificate_types is not None:
        # One type alone is that type, not its letters.
        one = isinstance(certificate_types, str)
        options["certificate_types"] = [certificate_types] if one else list(certificate_types)
    try:
        return json.dumps(options)
    except (TypeError, ValueError) as e:
        raise InvalidOptionsError(f"a key option has no JSON form: {e}") from None


@dataclass(frozen=True, repr=False)
class TokenKey:
    """A key pair generated inside a PKCS#11 token by ``generate_key_in_token``: the private
    key is sensitive and never leaves the token. ``repr`` shows no PEM and no PIN."""

    issuer: Issuer
    """An issuer signing with the new key and its self-signed DSC (tests and pilots). With the
    DSC the national CSCA returns for ``csr_pem``, open the key again with
    ``Issuer.from_pkcs11(uri, dsc)``."""
    cert_pem: str
    """A self-signed DSC for the key, PEM (tests and pilots)."""
    csr_pem: str
    """A PKCS#10 certificate signing request for the key, PEM, for the national CSCA."""

    @property
    def algorithm(self) -> str:
        """``ES256`` (a P-256 key) or ``PS256`` (RSA-3072)."""
        return self.issuer.algorithm

    def __repr__(self) -> str:
        return (
            f"TokenKey(algorithm={self.algorithm!r}, kid={self.issuer.signer.kid!r}, "
            "cert_pem=<PEM certificate>, csr_pem=<PEM request>)"
        )


def generate_key_in_token(
    uri: str,
    algorithm: str = "ES256",
    *,
    module: Union[str, os.PathLike[str], None] = None,
    pin: Optional[str] = None,
    max_sessions: int = 0,
    country: Optional[str] = None,
    common_name: Optional[str] = None,
    organization: Optional[str] = None,
    certificate_types: Optional[Iterable[CertificateType]] = None,
    valid_days: Optional[int] = None,
) -> TokenKey:
    """Generates a key pair inside the PKCS#11 token ``uri`` names, labelled by its ``object``
    (and with its ``id``, else one derived from the label): P-256 for ``"ES256"``, RSA-3072
    for ``"PS256"``; the private key is sensitive and not extractable. Returns it with an
    issuer, a self-signed DSC and a certificate signing request, built from ``country``,
    ``common_name``, ``organization``, ``certificate_types`` and ``valid_days`` as in
    ``generate_key``. ``module``, ``pin`` and ``max_sessions`` are those of
    ``Issuer.from_pkcs11``, with the same errors; a key with that label already on the token
    raises ``Pkcs11DeviceError``, a URI without ``object`` ``InvalidArgumentError``."""
    module_path, pin, max_sessions = _pkcs11_args(uri, module, pin, max_sessions)
    options = _key_options(country, common_name, valid_days, organization, certificate_types)
    issuer, cert_pem, csr_pem = _native.generate_key_in_token(uri, algorithm, module_path, pin, max_sessions, options)
    return TokenKey(Issuer(issuer), cert_pem, csr_pem)


# ---------------------------------------------------------------------------------------------
# Verifying


class Verifier:
    """A set of trusted document signer certificates (DSCs). Immutable and thread-safe. Build
    one with ``from_certs`` or ``demo``."""

    __slots__ = ("_native",)

    def __init__(self, native: _native.Verifier) -> None:
        self._native = native

    @staticmethod
    def from_certs(certs: Union[str, bytes, Iterable[Union[str, bytes]]]) -> Verifier:
        """A verifier trusting ``certs``: PEM, DER or base64 DER, each ``str`` or ``bytes``
        (a PEM bundle may hold several; a single ``str``/``bytes`` is one bundle). Raises
        ``InvalidCertificateError``."""
        if isinstance(certs, (str, bytes, bytearray, memoryview)):
            certs = [certs]  # type: ignore[list-item]
        return Verifier(_native.Verifier.from_certs([_bytes("certificate", c) for c in certs]))

    @staticmethod
    def demo() -> Verifier:
        """A verifier trusting only the embedded demo DSC (see ``Issuer.demo``)."""
        return Verifier(_native.Verifier.demo())

    def with_clock_skew(self, skew: timedelta) -> Verifier:
        """A copy of this verifier that tolerates clocks differing by up to ``skew`` when
        comparing the verification time with issued-at and expiry."""
        return Verifier(self._native.with_clock_skew(_whole_seconds("clock skew", skew)))

    def with_value_sets(self, value_sets: Iterable[Union[str, bytes]]) -> Verifier:
        """A copy of this verifier whose findings use these value-set files (JSON texts)
        instead of the embedded copies of the same sets. Raises ``InvalidValueSetError``."""
        return Verifier(self._native.with_value_sets(_value_sets(value_sets)))

    def with_revocation(self, data: Union[RevocationData, Iterable[RevocationData]]) -> Verifier:
        """A copy of this verifier that checks every certificate against revocation data: each
        item a gateway batch as JSON text (one batch, an array of batches, or
        ``{"batches": [...]}``; ``str`` or ``bytes``), a batch ``dict`` or a list of them (as
        ``Ledger.export`` gives), or a binary EU Bloom filter (``bytes``, applying to every kid
        and hash type); a single ``str``/``bytes``/``dict`` is one item. The ``revocation``
        check then decides validity: a certificate with a listed hash fails with code
        ``revoked`` and names the entry in ``revoked_by``. Raises
        ``InvalidRevocationDataError`` (nothing is loaded when any item is malformed)."""
        one = isinstance(data, (str, bytes, bytearray, memoryview, dict))
        items: Iterable[object] = [data] if one else data
        return Verifier(self._native.with_revocation([_revocation_item(d) for d in items]))

    def with_trust_list(self, trust_list: TrustList) -> Verifier:
        """A copy of this verifier that also trusts every entry of a loaded trust list
        (``TrustList.load``); a verification then names the list in ``signer.source``. A
        bare-key signer (the Swiss list) gives ``validity`` and ``key_usage`` checks that are
        ``not_checkable``, which does not make the certificate invalid."""
        if not isinstance(trust_list, TrustList):
            raise TypeError(f"trust_list must be a dcc_kit.TrustList, not {type(trust_list).__name__}")
        return Verifier(self._native.with_trust_list(trust_list._native))

    @property
    def trusted(self) -> list[SignerInfo]:
        """The trusted certificates."""
        return [_signer(s) for s in json.loads(self._native.trusted())]

    def verify(self, hc1: str, at: Optional[datetime] = None) -> Verification:
        """Verifies ``HC1:`` text at ``at`` (aware; default now). Input that cannot be decoded
        raises a ``DccError`` subclass; a decodable certificate always gives a
        ``Verification``, valid or not."""
        return Verification._from_native(self._native.verify(hc1, _opt_secs("at", at)))

    def verify_image(self, image: bytes, at: Optional[datetime] = None) -> Verification:
        """Reads the QR code in a PNG or JPEG image and verifies it, as ``verify``."""
        return Verification._from_native(self._native.verify_image(_image(image), _opt_secs("at", at)))

    def __len__(self) -> int:
        return len(self._native)

    def __repr__(self) -> str:
        return f"Verifier(trusted={len(self)})"


RevocationData = Union[str, bytes, dict[str, Any], list[dict[str, Any]]]
"""One revocation file: gateway batch JSON (``str`` or ``bytes``), a batch ``dict`` or a list of
them (``Ledger.export``), or a binary Bloom filter (``bytes``)."""


def _revocation_item(item: object) -> bytes:
    if isinstance(item, (dict, list, tuple)):
        if not _has_json_form(item, 0):
            try:
                _check_json(item, "", 0)  # raises, naming the path
            except InvalidPayloadError as e:
                raise InvalidRevocationDataError(f"revocation data without a JSON form: {e.message}") from None
        return _ENCODER.encode(item).encode()
    if isinstance(item, (str, bytes, bytearray, memoryview)):
        return _bytes("revocation data", item)
    raise TypeError(f"revocation data must be str, bytes, a dict or a list, not {type(item).__name__}")


def revocation_hashes(hc1: str) -> RevocationHashes:
    """The three revocation hashes of ``HC1:`` text, decoded **without verifying** (a
    ``Verification`` has ``revocation_hashes()`` too). Raises a ``DccError`` subclass for text
    that cannot be decoded."""
    return _record(RevocationHashes, _native.revocation_hashes(hc1))


def decode(hc1: str) -> Decoded:
    """Decodes ``HC1:`` text through every layer **without checking the signature** (use a
    ``Verifier`` to trust what it says). Raises a ``DccError`` subclass."""
    return Decoded._from_native(*_native.decode(hc1))


def decode_image(image: bytes) -> Decoded:
    """Reads the QR code in a PNG or JPEG image and decodes it, as ``decode``."""
    return Decoded._from_native(*_native.decode_image(_image(image)))


def read_qr(image: bytes) -> str:
    """The text of the QR code in a PNG or JPEG image. Raises ``InvalidImageError``,
    ``NoQrCodeError``, ``EmptyInputError`` or ``InputTooLargeError``."""
    return _native.read_qr(_image(image))


# ---------------------------------------------------------------------------------------------
# Trust lists and business rules


class TrustList:
    """A national trust list whose signature was checked against a pinned anchor: the German
    DSC list (``de``), the Austrian trust list (``at``), the Swiss key list (``ch``, bare
    keys), EU gateway JSON (``eu-gateway``) or PEM/DER certificates (``pem``). Immutable and
    thread-safe. Build one with ``load``; trust it with ``Verifier.with_trust_list``."""

    __slots__ = ("_native",)

    def __init__(self, native: _native.TrustList) -> None:
        self._native = native

    @staticmethod
    def load(
        content: Union[str, bytes],
        companion: Union[str, bytes, None] = None,
        anchor: Union[str, bytes, None] = None,
        *,
        at: Optional[datetime] = None,
        allow_expired: bool = False,
        name: Optional[str] = None,
        format: Optional[TrustListFormat] = None,
    ) -> TrustList:
        """Loads a trust list (``str`` or ``bytes``; the format detected from the content
        unless ``format`` is given) and checks it at ``at`` (aware; default now).
        ``companion`` is the Austrian list's signature file or the Swiss signed active-key
        list (entries not in it are skipped as ``inactive``); ``anchor`` the pinned public key
        or certificate (PEM or DER) that signs the list, for the Swiss list the root its
        ``x5c`` chain must end at: required for signed formats, refused for unsigned ones.
        ``allow_expired`` uses a list past its expiry (reported in ``view().expired`` and in
        every signer's source); ``name`` names the list in the view and in
        ``SignerInfo.source``. Entries that do not match their kid or thumbprint are skipped
        and reported, never trusted. Raises ``InvalidTrustListError``,
        ``TrustListSignatureInvalidError``, ``TrustListExpiredError``,
        ``InvalidArgumentError`` (a missing or needless anchor or companion, an unknown
        format) or ``EmptyInputError``."""
        native = _native.TrustList.load(
            _bytes("content", content),
            None if companion is None else _bytes("companion", companion),
            None if anchor is None else _bytes("anchor", anchor),
            _opt_secs("at", at),
            bool(allow_expired),
            name,
            format,
        )
        return TrustList(native)

    def view(self) -> TrustListView:
        """The list's summary: format, signature, entries per country, skipped entries,
        validity."""
        return TrustListView._from_view(self._native.view())

    def to_json(self) -> str:
        """The summary as the facade's JSON (``dcc trust-list --json``)."""
        return self._native.to_json()

    def __len__(self) -> int:
        return len(self._native)

    def __repr__(self) -> str:
        v = self.view()
        return f"TrustList(format={v.format!r}, name={v.name!r}, entries={v.entries})"


JsonInput = Union[str, bytes, dict[str, Any], list[Any]]
"""A JSON value: its JSON text (``str`` or UTF-8 ``bytes``), or a ``dict`` or ``list`` with a
JSON form."""


def _json_input(name: str, value: object, error: type[DccError]) -> bytes:
    """JSON text for the native module: text as it is, a dict or list encoded (``error``, naming
    the path, for one without a JSON form)."""
    if isinstance(value, (dict, list, tuple)):
        if not _has_json_form(value, 0):
            try:
                _check_json(value, "", 0)  # raises, naming the path
            except InvalidPayloadError as e:
                raise error(f"the {name} has no JSON form: {e.message}") from None
        return _ENCODER.encode(value).encode()
    if isinstance(value, (str, bytes, bytearray, memoryview)):
        return _bytes(name, value)
    raise TypeError(f"the {name} must be JSON text (str or bytes), a dict or a list, not {type(value).__name__}")


class RuleSet:
    """Business rules (CertLogic, the EU gateway's format) read by ``load_rules``; evaluate
    them with ``Verification.evaluate_rules``. Immutable and thread-safe."""

    __slots__ = ("_native",)

    def __init__(self, native: _native.RuleSet) -> None:
        self._native = native

    def __len__(self) -> int:
        return len(self._native)

    def __repr__(self) -> str:
        return f"RuleSet(rules={len(self)})"


def load_rules(json: JsonInput) -> RuleSet:
    """Reads business rules in the EU gateway format: one rule (a JSON object) or an array of
    rules, as JSON text (``str`` or ``bytes``) or the ``dict``/``list`` ``json.loads`` gives.
    Raises ``InvalidRuleError`` (naming the rule's index and field) for a malformed rule:
    nothing is skipped."""
    return RuleSet(_native.load_rules(_json_input("rules", json, InvalidRuleError)))


def evaluate_rule(rule_json: JsonInput, data_json: JsonInput) -> RuleResult:
    """Evaluates one rule (EU gateway format) against ``{"payload": DCC, "external": {...}}``
    (``external`` with the reference engines' keys: ``validationClock``, ``valueSets``,
    ``countryCode``, ...; a missing key is empty): ``passed``, ``fail`` or ``open`` with the
    reason. Each argument JSON text or a ``dict``. Raises ``InvalidRuleError`` for a malformed
    rule, ``InvalidArgumentError`` for data that is not JSON or has no ``payload``."""
    rule = _json_input("rule", rule_json, InvalidRuleError)
    data = _json_input("data", data_json, InvalidArgumentError)
    return RuleResult._from_view(_native.evaluate_rule(rule, data))


def evaluate_certlogic(expression_json: JsonInput, data_json: JsonInput) -> Any:
    """Evaluates a CertLogic expression on data (each JSON text or a ``dict``/``list``) with
    certlogic-js semantics; the result as ``json.loads`` would give it. Raises
    ``CertlogicFailedError`` when the evaluation fails (the message starts with the engine's
    code: ``unknown_operator``, ``type_mismatch``, ...), ``InvalidArgumentError`` for text
    that is not JSON."""
    expression = _json_input("expression", expression_json, InvalidArgumentError)
    data = _json_input("data", data_json, InvalidArgumentError)
    return _native.evaluate_certlogic(expression, data)


# ---------------------------------------------------------------------------------------------
# Issuance ledger

# (a Union of Literals, not one Literal: stubtest checks a type alias against a runtime Union)
CertificateType = Union[Literal["vaccination"], Literal["test"], Literal["recovery"]]
"""A certificate type: ``vaccination``, ``test`` or ``recovery``."""


def _ledger_query(
    operator: Optional[str],
    since: Optional[datetime],
    until: Optional[datetime],
    kid: Optional[str],
    certificate_type: Optional[CertificateType],
    uci: Optional[str],
) -> str:
    """The facade's ``LedgerQuery`` as JSON (a value of the wrong type is its
    ``InvalidOptionsError``)."""
    query = {
        "operator": operator,
        "since": _opt_secs("since", since),
        "until": _opt_secs("until", until),
        "kid": kid,
        "certificate_type": certificate_type,
        "uci": uci,
    }
    try:
        return json.dumps({k: v for k, v in query.items() if v is not None})
    except (TypeError, ValueError) as e:
        raise InvalidOptionsError(f"a ledger query value has no JSON form: {e}") from None


class Ledger:
    """An issuance ledger: one tamper-evident record per issued certificate (issued-at,
    expiry, kid, type, country, UCI, the three revocation hashes, the operator, a SHA-256 of
    the ``HC1:`` text; no personal data unless an issuer opts in), chained by hashes so that
    ``verify`` finds a changed, deleted or reordered record. In an SQLite file, or a PostgreSQL
    database shared by several processes or machines. Thread-safe: share one ``Ledger``
    between issuers and threads. Build one with ``open``.

    The query arguments of ``records``, ``export`` and ``export_to_dir`` are all optional and
    must all match: ``operator``, ``since`` (issued at or after; aware ``datetime``), ``until``
    (issued before; aware ``datetime``), ``kid`` (base64), ``certificate_type``
    (``"vaccination"``, ``"test"``, ``"recovery"``) and ``uci``."""

    __slots__ = ("_native",)

    def __init__(self, native: _native.Ledger) -> None:
        self._native = native

    @staticmethod
    def open(target: Union[str, os.PathLike[str]]) -> Ledger:
        """Opens a ledger, creating and migrating its table when needed: a PostgreSQL URL
        (``postgres://user@host:port/db``, or a ``host=... dbname=...`` string) or the path of
        an SQLite file (``str`` or ``os.PathLike``; an optional ``sqlite:`` prefix is removed).
        Raises ``LedgerFailedError`` (the message never shows a password)."""
        return Ledger(_native.Ledger.open(os.fspath(target)))

    @property
    def target(self) -> str:
        """Where the ledger is: the file path, or the URL without its password."""
        return self._native.target

    def records(
        self,
        *,
        operator: Optional[str] = None,
        since: Optional[datetime] = None,
        until: Optional[datetime] = None,
        kid: Optional[str] = None,
        certificate_type: Optional[CertificateType] = None,
        uci: Optional[str] = None,
    ) -> list[LedgerRecord]:
        """The records matching the query (see the class), in chain order. Raises
        ``InvalidOptionsError`` for a bad query value, ``LedgerFailedError``."""
        query = _ledger_query(operator, since, until, kid, certificate_type, uci)
        return [_record(LedgerRecord, r) for r in self._native.records(query)]

    def verify(self) -> ChainReport:
        """Checks the whole chain: every record's hash and its link to the previous one. The
        report names the first bad record (``first_break``: its ``seq`` and whether it was
        ``changed``, ``deleted`` or ``reordered``). Raises ``LedgerFailedError``."""
        return ChainReport._from_view(self._native.verify())

    def export(
        self,
        hash_type: HashType = "SIGNATURE",
        *,
        operator: Optional[str] = None,
        since: Optional[datetime] = None,
        until: Optional[datetime] = None,
        kid: Optional[str] = None,
        certificate_type: Optional[CertificateType] = None,
        uci: Optional[str] = None,
    ) -> list[dict[str, Any]]:
        """The selected records' hashes of ``hash_type`` as EU gateway revocation batches,
        each the gateway's JSON as a ``dict`` (``country``, ``expires``, ``kid``, ``hashType``,
        ``entries: [{"hash": ...}]``): one batch per country and kid, at most 1,000 distinct
        hashes each, ``expires`` the latest expiry among them. ``json.dumps`` of a batch is a
        batch file; ``Verifier.with_revocation`` takes them as they are. An unknown
        ``hash_type`` raises ``InvalidRevocationDataError``."""
        query = _ledger_query(operator, since, until, kid, certificate_type, uci)
        batches: list[dict[str, Any]] = self._native.export(query, hash_type)
        return batches

    def export_to_dir(
        self,
        out_dir: Union[str, os.PathLike[str]],
        hash_type: HashType = "SIGNATURE",
        *,
        operator: Optional[str] = None,
        since: Optional[datetime] = None,
        until: Optional[datetime] = None,
        kid: Optional[str] = None,
        certificate_type: Optional[CertificateType] = None,
        uci: Optional[str] = None,
    ) -> list[Path]:
        """Writes ``export``'s batches to ``out_dir`` (created when missing), one JSON file per
        batch (``batch-0001-DE.json``, ...); returns the paths. Raises ``LedgerFailedError``
        when a file cannot be written."""
        query = _ledger_query(operator, since, until, kid, certificate_type, uci)
        return [Path(p) for p in self._native.export_to_dir(query, hash_type, os.fspath(out_dir))]

    def __repr__(self) -> str:
        return f"Ledger(target={self.target!r})"


# ---------------------------------------------------------------------------------------------
# Helpers


def validate(
    payload: Payload, *, at: Optional[datetime] = None, value_sets: Iterable[Union[str, bytes]] = ()
) -> ValidationReport:
    """Validates a payload for issuing at ``at`` (aware; default now) without signing it, with
    the embedded value sets or replacements (JSON texts). Every problem is an issue in the
    report; only input that is not JSON raises (``InvalidPayloadError``)."""
    text = _native.validate(_payload(payload), _opt_secs("at", at), _value_sets(value_sets))
    return ValidationReport._from_json(text)


def transliterate(name: str) -> str:
    """The ICAO Doc 9303 standardised form of a name (``fnt``/``gnt``): ``Müller`` ->
    ``MUELLER``. Raises ``InvalidArgumentError`` for characters outside the 9303 tables."""
    return _native.transliterate(name)


def generate_uvci(country: str, issuer: str) -> str:
    """A new unique certificate identifier ``URN:UVCI:01:CC:ISSUER/UNIQUE#CHECK``. Raises
    ``InvalidArgumentError`` for a bad country or issuer part."""
    return _native.generate_uvci(country, issuer)


def generate_key(
    country: Optional[str] = None,
    common_name: Optional[str] = None,
    valid_days: Optional[int] = None,
    *,
    organization: Optional[str] = None,
    certificate_types: Optional[Iterable[CertificateType]] = None,
) -> GeneratedKey:
    """Generates a P-256 key, a self-signed DSC valid for ``valid_days`` from now (for tests
    and pilots; production DSCs come from the national CSCA) and a certificate signing request
    for the key (``csr_pem``, to send to that CSCA). Subject ``C=country``,
    ``O=organization`` (when given), ``CN=common_name``; the HCERT extended-key-usage OIDs of
    ``certificate_types`` (``"vaccination"``, ``"test"``, ``"recovery"``; left out or empty:
    all three) in both. Arguments left out take the defaults every language shares (``XX``,
    ``dcc-kit test DSC``, 730 days). Raises ``InvalidOptionsError``."""
    options = _key_options(country, common_name, valid_days, organization, certificate_types)
    return GeneratedKey(**json.loads(_native.generate_key(options)))


def error_codes() -> list[str]:
    """Every error code (one ``DccError`` subclass each; see ``ERROR_CLASSES``)."""
    return _native.error_codes()


def check_codes() -> list[str]:
    """Every check-failure code (``CheckFailure.code``, ``Outcome.code``)."""
    return _native.check_codes()


def issue_codes() -> list[str]:
    """Every validation issue and finding code (``ValidationIssue.code``)."""
    return _native.issue_codes()


def now() -> int:
    """The current time, seconds since the epoch."""
    return _native.now()


__all__ = [
    "ERROR_CLASSES",
    "Certificate",
    "CertificateType",
    "CertlogicFailedError",
    "ChainBreak",
    "ChainReport",
    "Change",
    "CheckFailure",
    "Checks",
    "Claims",
    "DccError",
    "Decoded",
    "EmptyInputError",
    "GeneratedKey",
    "HashType",
    "InputTooLargeError",
    "InvalidArgumentError",
    "InvalidBase45Error",
    "InvalidCborError",
    "InvalidCertificateError",
    "InvalidClaimsError",
    "InvalidCompressionError",
    "InvalidCoseError",
    "InvalidImageError",
    "InvalidKeyError",
    "InvalidOptionsError",
    "InvalidPayloadError",
    "InvalidPrefixError",
    "InvalidRevocationDataError",
    "InvalidRuleError",
    "InvalidTrustListError",
    "InvalidValueSetError",
    "Issuer",
    "JsonInput",
    "Ledger",
    "LedgerFailedError",
    "LedgerRecord",
    "NoQrCodeError",
    "PdfFailedError",
    "OpenReason",
    "Outcome",
    "Payload",
    "Pkcs11DeviceError",
    "Pkcs11KeyNotFoundError",
    "Pkcs11ModuleUnavailableError",
    "Pkcs11PinIncorrectError",
    "Pkcs11TokenNotFoundError",
    "PreparedCertificate",
    "QrEncodeError",
    "RevocationData",
    "RevocationHashes",
    "RevocationMatch",
    "RevocationSource",
    "RuleDescription",
    "RuleOutcome",
    "RuleResult",
    "RuleSet",
    "RulesReport",
    "SignerInfo",
    "SigningError",
    "SkippedEntry",
    "TokenKey",
    "TrustList",
    "TrustListExpiredError",
    "TrustListFormat",
    "TrustListSignatureInvalidError",
    "TrustListView",
    "TrustSource",
    "UnsupportedVersionError",
    "ValidationError",
    "ValidationIssue",
    "ValidationReport",
    "Validity",
    "Verification",
    "VerificationFailedError",
    "Verifier",
    "__version__",
    "check_codes",
    "decode",
    "decode_image",
    "error_codes",
    "evaluate_certlogic",
    "evaluate_rule",
    "generate_key",
    "generate_key_in_token",
    "generate_uvci",
    "issue_codes",
    "load_rules",
    "now",
    "read_qr",
    "revocation_hashes",
    "transliterate",
    "validate",
]
