"""Exceptions: one base ``DccError`` and one subclass per error kind of the Rust facade
(``dcc::ErrorKind``; ``error_codes()`` lists them, and the tests check these classes against
that list). The native module raises them through ``_from_json`` with the facade's error
view: ``code``, ``message``, ``issues`` and ``failures``."""

from __future__ import annotations

import json
from typing import ClassVar, Iterable

from ._types import CheckFailure, ValidationIssue


class DccError(Exception):
    """Base of every dcc-kit error.

    ``code`` is the stable snake_case code of the error kind (the same in every language
    binding), ``message`` the human explanation (also ``str(error)``); ``issues`` lists every
    problem of a refused payload (``validation_failed``), ``failures`` every failed check
    (``verification_failed``).
    """

    code: ClassVar[str] = ""

    def __init__(
        self,
        message: str = "",
        *,
        issues: Iterable[ValidationIssue] = (),
        failures: Iterable[CheckFailure] = (),
    ) -> None:
        super().__init__(message)
        self.message: str = message
        self.issues: list[ValidationIssue] = list(issues)
        self.failures: list[CheckFailure] = list(failures)


class EmptyInputError(DccError):
    """The input is empty (code ``empty_input``)."""

    code = "empty_input"


class InputTooLargeError(DccError):
    """The input is larger than any certificate or image can be (code ``input_too_large``)."""

    code = "input_too_large"


class InvalidPrefixError(DccError):
    """The text does not start with ``HC1:`` (code ``invalid_prefix``)."""

    code = "invalid_prefix"


class UnsupportedVersionError(DccError):
    """A later HCERT version such as ``HC2:`` (code ``unsupported_version``)."""

    code = "unsupported_version"


class InvalidBase45Error(DccError):
    """The text after the prefix is not valid Base45 (code ``invalid_base45``)."""

    code = "invalid_base45"


class InvalidCompressionError(DccError):
    """Not zlib, corrupt, or inflating past the cap (code ``invalid_compression``)."""

    code = "invalid_compression"


class InvalidCborError(DccError):
    """The certificate is not valid CBOR (code ``invalid_cbor``)."""

    code = "invalid_cbor"


class InvalidCoseError(DccError):
    """The CBOR is not a COSE_Sign1, or has bytes after it (code ``invalid_cose``)."""

    code = "invalid_cose"


class InvalidClaimsError(DccError):
    """The CWT claims are malformed or lack the hcert claim (code ``invalid_claims``)."""

    code = "invalid_claims"


class InvalidPayloadError(DccError):
    """The payload is not JSON or does not fit the DCC model (code ``invalid_payload``)."""

    code = "invalid_payload"


class ValidationError(DccError):
    """The payload was refused (code ``validation_failed``); ``issues`` lists every problem,
    each a ``ValidationIssue`` with ``path``, ``code`` and ``message``."""

    code = "validation_failed"


class InvalidKeyError(DccError):
    """The private key cannot be read, does not match its certificate, or does not fit the
    algorithm (code ``invalid_key``). The message never contains key material."""

    code = "invalid_key"


class InvalidCertificateError(DccError):
    """A certificate (DSC) cannot be read (code ``invalid_certificate``)."""

    code = "invalid_certificate"


class SigningError(DccError):
    """The signer failed or returned a malformed signature (code ``signing_failed``). When a
    signing callable raised, its exception is this error's ``__cause__``."""

    code = "signing_failed"


class QrEncodeError(DccError):
    """The QR code cannot be drawn, e.g. a scale out of range (code ``qr_encode_failed``)."""

    code = "qr_encode_failed"


class InvalidImageError(DccError):
    """The image is not a readable PNG or JPEG (code ``invalid_image``)."""

    code = "invalid_image"


class NoQrCodeError(DccError):
    """The image holds no readable QR code (code ``no_qr_code``)."""

    code = "no_qr_code"


class InvalidOptionsError(DccError):
    """Options that cannot be honoured (code ``invalid_options``): an expiry after the DSC's
    notAfter, a bad ``iss``, a naive datetime, ..."""

    code = "invalid_options"


class InvalidValueSetError(DccError):
    """A value-set file that cannot be read (code ``invalid_value_set``)."""

    code = "invalid_value_set"


class InvalidArgumentError(DccError):
    """An argument that cannot be used: a name to transliterate, a UVCI part, an algorithm
    name (code ``invalid_argument``)."""

    code = "invalid_argument"


class InvalidRevocationDataError(DccError):
    """Revocation data that cannot be used (code ``invalid_revocation_data``): a malformed
    gateway batch, a hash that is not 16 bytes, an unknown hash type, a corrupt Bloom filter."""

    code = "invalid_revocation_data"


class InvalidTrustListError(DccError):
    """A trust list that cannot be read (code ``invalid_trust_list``): an unknown format,
    malformed JSON, CBOR or JWS, missing fields."""

    code = "invalid_trust_list"


class TrustListSignatureInvalidError(DccError):
    """A trust list whose signature, content hash or signing certificate chain does not verify
    with the pinned anchor (code ``trust_list_signature_invalid``): nothing of it is trusted."""

    code = "trust_list_signature_invalid"


class TrustListExpiredError(DccError):
    """A trust list past its expiry (or before its start) at the check time, loaded without
    ``allow_expired=True`` (code ``trust_list_expired``)."""

    code = "trust_list_expired"


class InvalidRuleError(DccError):
    """A business rule that cannot be read (code ``invalid_rule``): not JSON, a missing or
    malformed field; the message names the rule's index and field."""

    code = "invalid_rule"


class CertlogicFailedError(DccError):
    """A CertLogic expression whose evaluation failed (code ``certlogic_failed``); the message
    starts with the engine's code (``unknown_operator``, ``type_mismatch``, ...)."""

    code = "certlogic_failed"


class LedgerFailedError(DccError):
    """An issuance ledger that cannot be opened, read or written (code ``ledger_failed``); a
    certificate whose record cannot be written is not returned. Messages never show a
    database password."""

    code = "ledger_failed"


class Pkcs11ModuleUnavailableError(DccError):
    """The PKCS#11 module cannot be loaded or initialised: a wrong path, a library that is not
    a PKCS#11 module, or no module given at all (code ``pkcs11_module_unavailable``)."""

    code = "pkcs11_module_unavailable"


class Pkcs11TokenNotFoundError(DccError):
    """No PKCS#11 token with the URI's label (or slot) is present
    (code ``pkcs11_token_not_found``)."""

    code = "pkcs11_token_not_found"


class Pkcs11PinIncorrectError(DccError):
    """The token refused the PIN, or no PIN was given (code ``pkcs11_pin_incorrect``). The
    message never shows the PIN."""

    code = "pkcs11_pin_incorrect"


class Pkcs11KeyNotFoundError(DccError):
    """No key with the URI's ``object`` label (or ``id``), with its public half, is on the
    token (code ``pkcs11_key_not_found``)."""

    code = "pkcs11_key_not_found"


class Pkcs11DeviceError(DccError):
    """The token failed outside signing: opening sessions, generating a key (also when a key
    with that label exists) (code ``pkcs11_device_error``). A failure while signing is a
    ``SigningError``."""

    code = "pkcs11_device_error"


class PdfFailedError(DccError):
    """A printable certificate could not be written (code ``pdf_failed``); a language other
    than ``de``, ``fr`` or ``en`` is an ``InvalidOptionsError`` instead."""

    code = "pdf_failed"


class VerificationFailedError(DccError):
    """A certificate failed verification (code ``verification_failed``), raised by
    ``Verification.ensure_valid()``; ``failures`` lists every failed check."""

    code = "verification_failed"


ERROR_CLASSES: dict[str, type[DccError]] = {cls.code: cls for cls in DccError.__subclasses__()}
"""Each stable error code -> its exception class."""

for _cls in (DccError, *ERROR_CLASSES.values()):
    _cls.__module__ = "dcc_kit"


def _from_json(text: str) -> DccError:
    """The exception for the facade's error view (JSON); called by the native module."""
    view = json.loads(text)
    return ERROR_CLASSES.get(view["code"], DccError)(
        view["message"],
        issues=[ValidationIssue(**i) for i in view["issues"]],
        failures=[CheckFailure(**f) for f in view["failures"]],
    )
