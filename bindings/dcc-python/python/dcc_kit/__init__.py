"""dcc-kit: issue and verify EU Digital COVID Certificates (``HC1:`` QR codes).

A thin package over the native module :mod:`dcc_kit._native` (Rust, PyO3)::

    import dcc_kit
    issuer = dcc_kit.Issuer.from_pem(key_pem, cert_pem)
    cert = issuer.issue(payload, iss="DE", issued_at=now, valid_for=timedelta(days=365))
    png = cert.png(scale=4)
    result = dcc_kit.Verifier([cert_pem]).verify(cert.hc1, at=now)
    assert result.valid

Every error is a :class:`DccError` with a stable ``code``; there is one subclass per error
kind (``ERROR_CLASSES`` maps each code to its class). Datetimes must be timezone-aware
(a naive datetime raises :class:`InvalidOptionsError`); returned datetimes are in UTC.
"""

from ._native import (
    ERROR_CLASSES,
    Certificate,
    Change,
    CheckFailure,
    Checks,
    Claims,
    DccError,
    Decoded,
    EmptyInputError,
    GeneratedKey,
    InputTooLargeError,
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
    Issuer,
    NoQrCodeError,
    Outcome,
    PreparedCertificate,
    QrEncodeError,
    SignerInfo,
    SigningError,
    UnsupportedVersionError,
    ValidationError,
    ValidationIssue,
    Verification,
    VerificationFailedError,
    Verifier,
    __version__,
    decode,
    generate_key,
    read_qr,
)

__all__ = [
    "ERROR_CLASSES",
    "Certificate",
    "Change",
    "CheckFailure",
    "Checks",
    "Claims",
    "DccError",
    "Decoded",
    "EmptyInputError",
    "GeneratedKey",
    "InputTooLargeError",
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
    "Issuer",
    "NoQrCodeError",
    "Outcome",
    "PreparedCertificate",
    "QrEncodeError",
    "SignerInfo",
    "SigningError",
    "UnsupportedVersionError",
    "ValidationError",
    "ValidationIssue",
    "Verification",
    "VerificationFailedError",
    "Verifier",
    "__version__",
    "decode",
    "generate_key",
    "read_qr",
]
