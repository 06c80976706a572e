"""Typed stubs of the native module ``dcc_kit._native`` (checked by ``mypy.stubtest``)."""

from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from typing import Any, Literal, Union, final

from typing_extensions import Self, TypeAlias

__all__ = [
    "DccError",
    "EmptyInputError",
    "InputTooLargeError",
    "InvalidPrefixError",
    "UnsupportedVersionError",
    "InvalidBase45Error",
    "InvalidCompressionError",
    "InvalidCborError",
    "InvalidCoseError",
    "InvalidClaimsError",
    "InvalidPayloadError",
    "ValidationError",
    "InvalidKeyError",
    "InvalidCertificateError",
    "SigningError",
    "QrEncodeError",
    "InvalidImageError",
    "NoQrCodeError",
    "InvalidOptionsError",
    "VerificationFailedError",
    "ERROR_CLASSES",
    "Issuer",
    "Certificate",
    "PreparedCertificate",
    "Verifier",
    "Verification",
    "Decoded",
    "Claims",
    "SignerInfo",
    "Checks",
    "Outcome",
    "CheckFailure",
    "ValidationIssue",
    "Change",
    "GeneratedKey",
    "decode",
    "read_qr",
    "generate_key",
    "__version__",
]

__version__: str

_Payload: TypeAlias = Union[dict[str, Any], str, bytes]
"""A DCC payload: a ``dict`` (schema 1.3.x) or its JSON text."""

# ---------------------------------------------------------------------------------------------
# Errors

class DccError(Exception):
    """Base of every dcc-kit error.

    ``code`` is the stable snake_case code of the error kind (the same in every language
    binding); ``message`` is the human explanation (also ``str(error)``). The binding raises the
    base class itself only for an internal failure (code ``internal_error``).
    """

    code: str
    message: str

class EmptyInputError(DccError):
    """The input is empty (code ``empty_input``)."""

class InputTooLargeError(DccError):
    """The input is larger than any certificate can be (code ``input_too_large``)."""

class InvalidPrefixError(DccError):
    """The text does not start with ``HC1:`` (code ``invalid_prefix``)."""

class UnsupportedVersionError(DccError):
    """A later HCERT version such as ``HC2:`` (code ``unsupported_version``)."""

class InvalidBase45Error(DccError):
    """The text after the prefix is not valid Base45 (code ``invalid_base45``)."""

class InvalidCompressionError(DccError):
    """Not zlib, corrupt, or inflating past the cap (code ``invalid_compression``)."""

class InvalidCborError(DccError):
    """The certificate is not valid CBOR (code ``invalid_cbor``)."""

class InvalidCoseError(DccError):
    """The CBOR is not a COSE_Sign1 (code ``invalid_cose``)."""

class InvalidClaimsError(DccError):
    """The CWT claims are malformed or lack the hcert claim (code ``invalid_claims``)."""

class InvalidPayloadError(DccError):
    """The DCC payload does not fit the model (code ``invalid_payload``)."""

class ValidationError(DccError):
    """The payload was refused (code ``validation_failed``); ``issues`` lists every problem."""

    issues: list[ValidationIssue]

class InvalidKeyError(DccError):
    """The private key cannot be used (code ``invalid_key``); never shows key material."""

class InvalidCertificateError(DccError):
    """The certificate cannot be parsed (code ``invalid_certificate``)."""

class SigningError(DccError):
    """The signer failed or returned a malformed signature (code ``signing_failed``).

    When a signing callable raised, its exception is this error's ``__cause__``.
    """

class QrEncodeError(DccError):
    """The QR code cannot be rendered (code ``qr_encode_failed``)."""

class InvalidImageError(DccError):
    """The image is not a readable PNG or JPEG (code ``invalid_image``)."""

class NoQrCodeError(DccError):
    """The image holds no readable QR code (code ``no_qr_code``)."""

class InvalidOptionsError(DccError):
    """Options that cannot be honoured (code ``invalid_options``), e.g. a naive datetime."""

class VerificationFailedError(DccError):
    """Raised by ``Verification.ensure_valid()`` (code ``verification_failed``)."""

    failures: list[CheckFailure]

ERROR_CLASSES: dict[str, type[DccError]]
"""Each stable error code -> its exception class."""

# ---------------------------------------------------------------------------------------------
# Values

@final
class ValidationIssue:
    """One problem found in a payload."""

    def __new__(cls, path: str, code: str, message: str) -> Self: ...
    def __getnewargs__(self) -> tuple[str, str, str]: ...
    @property
    def path(self) -> str:
        """Slash-separated JSON path (``v/0/dn``); empty for the whole payload."""
    @property
    def code(self) -> str:
        """Stable snake_case code."""
    @property
    def message(self) -> str:
        """Human-readable explanation."""

@final
class Change:
    """A change normalisation made to a payload before signing."""

    def __new__(cls, path: str, description: str) -> Self: ...
    def __getnewargs__(self) -> tuple[str, str]: ...
    @property
    def path(self) -> str:
        """Slash-separated JSON path of the field (``nam/gn``)."""
    @property
    def description(self) -> str:
        """What was done, e.g. ``trimmed "Michael "``."""

@final
class CheckFailure:
    """Why a verification check failed."""

    def __new__(cls, code: str, message: str) -> Self: ...
    def __getnewargs__(self) -> tuple[str, str]: ...
    @property
    def code(self) -> str:
        """Stable snake_case code (``invalid_signature``, ``expired``, ...)."""
    @property
    def message(self) -> str:
        """Human-readable explanation."""

@final
class Claims:
    """The CWT claims: issuer, issued-at and expiry."""

    @property
    def iss(self) -> str | None:
        """Issuer (claim 1), usually a country code."""
    @property
    def iat(self) -> int | None:
        """Issued-at, seconds since the epoch, as signed."""
    @property
    def exp(self) -> int | None:
        """Expiry, seconds since the epoch, as signed."""
    @property
    def issued_at(self) -> datetime | None:
        """Issued-at as a UTC datetime (``None`` when absent or out of range)."""
    @property
    def expires_at(self) -> datetime | None:
        """Expiry as a UTC datetime (``None`` when absent or out of range)."""

@final
class SignerInfo:
    """A document signer certificate (DSC)."""

    @property
    def kid(self) -> str:
        """Key identifier, base64."""
    @property
    def subject(self) -> str:
        """Subject distinguished name."""
    @property
    def country(self) -> str | None:
        """Subject country."""
    @property
    def key(self) -> str:
        """Key type: ``P-256``, ``RSA-2048``, ..."""
    @property
    def not_before(self) -> datetime | None:
        """Start of validity, UTC."""
    @property
    def not_after(self) -> datetime | None:
        """End of validity, UTC."""

@final
class Outcome:
    """The outcome of one verification check."""

    @property
    def status(self) -> Literal["passed", "failed", "skipped"]:
        """``"passed"``, ``"failed"`` or ``"skipped"``."""
    @property
    def passed(self) -> bool:
        """Whether the check passed."""
    @property
    def code(self) -> str | None:
        """The failure code, for a failed check."""
    @property
    def message(self) -> str | None:
        """The failure message, or why the check was skipped."""

@final
class Checks:
    """The outcome of each check; the first three decide validity."""

    @property
    def signature(self) -> Outcome:
        """The COSE signature against a trusted DSC."""
    @property
    def validity(self) -> Outcome:
        """``DSC notBefore <= iat <= at <= exp <= DSC notAfter``."""
    @property
    def key_usage(self) -> Outcome:
        """The DSC's extended key usage allows the certificate type."""
    @property
    def payload(self) -> Outcome:
        """Data quality (schema, value sets, plausibility); never fatal."""

@final
class GeneratedKey:
    """A generated P-256 key and self-signed DSC (``repr`` hides the key)."""

    @property
    def key_pem(self) -> str:
        """The private key, PKCS#8 PEM."""
    @property
    def cert_pem(self) -> str:
        """The self-signed DSC, PEM."""

# ---------------------------------------------------------------------------------------------
# Issuing

@final
class Certificate:
    """An issued certificate."""

    @property
    def hc1(self) -> str:
        """The ``HC1:`` text (the QR code content)."""
    @property
    def cose(self) -> bytes:
        """The signed COSE_Sign1 bytes."""
    @property
    def claims(self) -> Claims:
        """The claims that were signed."""
    @property
    def changes(self) -> list[Change]:
        """What normalisation changed in the payload before signing."""
    @property
    def payload(self) -> dict[str, Any]:
        """The payload that was signed (after normalisation)."""
    def png(self, scale: int = 4) -> bytes:
        """A 1-bit PNG of the QR code (level Q, quiet zone 4), ``scale`` pixels per module."""
    def svg(self) -> str:
        """An SVG of the QR code (level Q)."""

@final
class PreparedCertificate:
    """A certificate waiting for its signature (see ``Issuer.prepare``)."""

    @property
    def tbs(self) -> bytes:
        """The bytes to sign: the COSE ``Sig_structure``."""
    @property
    def algorithm(self) -> Literal["ES256", "PS256"]:
        """The algorithm the signature must use."""
    def finish(self, signature: bytes) -> Certificate:
        """Attaches the signature and encodes the certificate."""

@final
class Issuer:
    """A signing key (in memory or behind a callable) and its DSC. Thread-safe."""

    @staticmethod
    def from_pem(key: str | bytes, cert: str | bytes, *, deterministic: bool = False) -> Issuer:
        """An issuer from a private key and its DSC (PEM, DER or base64); ``deterministic``
        selects RFC 6979 ES256 nonces (same input, same bytes) over the faster hedged ones."""
    @staticmethod
    def from_signer(
        sign: Callable[[bytes], bytes],
        cert: str | bytes,
        algorithm: Literal["ES256", "PS256"] | None = None,
    ) -> Issuer:
        """An issuer whose signatures come from ``sign(tbs) -> signature`` (HSM, KMS)."""
    @staticmethod
    def demo() -> Issuer:
        """The issuer with the public demo key. Never for production."""
    @property
    def algorithm(self) -> Literal["ES256", "PS256"]:
        """The signing algorithm."""
    @property
    def dsc(self) -> SignerInfo:
        """The issuer's document signer certificate."""
    def issue(
        self,
        payload: _Payload,
        *,
        iss: str | None = None,
        issued_at: datetime | None = None,
        valid_for: timedelta | None = None,
        expires_at: datetime | None = None,
    ) -> Certificate:
        """Issues one certificate."""
    def issue_batch(
        self,
        payloads: Iterable[_Payload],
        *,
        iss: str | None = None,
        issued_at: datetime | None = None,
        valid_for: timedelta | None = None,
        expires_at: datetime | None = None,
        threads: int | None = None,
    ) -> list[Certificate | DccError]:
        """Issues many certificates on every core; per-item errors, in order."""
    def prepare(
        self,
        payload: _Payload,
        *,
        iss: str | None = None,
        issued_at: datetime | None = None,
        valid_for: timedelta | None = None,
        expires_at: datetime | None = None,
    ) -> PreparedCertificate:
        """Everything but the signature, for asynchronous signers."""

# ---------------------------------------------------------------------------------------------
# Verifying

@final
class Verification:
    """The result of verifying one certificate."""

    @property
    def valid(self) -> bool:
        """True only when signature, validity window and key usage all pass."""
    @property
    def payload(self) -> dict[str, Any]:
        """The payload as signed."""
    @property
    def claims(self) -> Claims:
        """Issuer, issued-at and expiry."""
    @property
    def signer(self) -> SignerInfo | None:
        """The trusted DSC that verified the signature."""
    @property
    def checks(self) -> Checks:
        """Each check's outcome."""
    @property
    def findings(self) -> list[ValidationIssue]:
        """Every data-quality finding; never makes a certificate invalid."""
    @property
    def failures(self) -> list[CheckFailure]:
        """Every failure among the three decisive checks."""
    @property
    def at(self) -> datetime | None:
        """The verification time used (UTC)."""
    @property
    def hc1(self) -> str:
        """The ``HC1:`` text that was verified."""
    @property
    def kid(self) -> bytes | None:
        """The key identifier from the COSE headers."""
    @property
    def algorithm(self) -> str | None:
        """The algorithm named in the COSE header."""
    def ensure_valid(self) -> Self:
        """Returns self when valid; raises ``VerificationFailedError`` otherwise."""

@final
class Decoded:
    """A decoded certificate; the signature is NOT checked."""

    @property
    def payload(self) -> dict[str, Any]:
        """The payload as signed."""
    @property
    def claims(self) -> Claims:
        """Issuer, issued-at and expiry."""
    @property
    def hc1(self) -> str:
        """The ``HC1:`` text."""
    @property
    def cose(self) -> bytes:
        """The COSE_Sign1 bytes."""
    @property
    def kid(self) -> bytes | None:
        """The key identifier from the COSE headers."""
    @property
    def algorithm(self) -> str | None:
        """The algorithm named in the COSE header."""

@final
class Verifier:
    """A set of trusted document signer certificates. Thread-safe."""

    def __new__(
        cls,
        certificates: str | bytes | Iterable[str | bytes],
        *,
        clock_skew: timedelta | None = None,
    ) -> Self:
        """Trusts ``certificates`` (PEM, DER or base64; a PEM bundle may hold several)."""
    @staticmethod
    def demo() -> Verifier:
        """A verifier trusting only the demo DSC."""
    @property
    def trusted(self) -> list[SignerInfo]:
        """The trusted certificates."""
    def verify(self, data: str | bytes, at: datetime | None = None) -> Verification:
        """Verifies ``HC1:`` text or a PNG/JPEG image at ``at`` (default now)."""
    def __len__(self) -> int: ...

def decode(data: str | bytes) -> Decoded:
    """Decodes ``HC1:`` text or an image without checking the signature."""

def read_qr(image: bytes) -> str:
    """Reads the QR code text from a PNG or JPEG image."""

def generate_key(
    country: str = "XX", common_name: str = "dcc-kit test DSC", valid_days: int = 365
) -> GeneratedKey:
    """Generates a P-256 key and a self-signed DSC, for tests and pilots."""
