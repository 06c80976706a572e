"""Exceptions: one base `DccError`, a subclass per error kind with the Rust codes, validation
issues, argument errors, and no key material in messages or reprs."""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta, timezone

import pytest

import dcc_kit
from conftest import example, utc

IAT = 1_622_505_600

# The kinds whose class name is not derived from the code ("invalid_base45" ->
# "InvalidBase45Error"): the 0.1 names, kept, and one code that already ends in "error".
NAMED = {
    "validation_failed": "ValidationError",
    "signing_failed": "SigningError",
    "qr_encode_failed": "QrEncodeError",
    "pkcs11_device_error": "Pkcs11DeviceError",
}


def class_name(code: str) -> str:
    return NAMED.get(code) or "".join(part.capitalize() for part in code.split("_")) + "Error"


def test_one_class_per_error_kind() -> None:
    """The classes are checked against dcc::ErrorKind::ALL (error_codes()), not a count."""
    codes = dcc_kit.error_codes()
    assert len(set(codes)) == len(codes) and codes
    assert set(dcc_kit.ERROR_CLASSES) == set(codes)
    classes = list(dcc_kit.ERROR_CLASSES.values())
    assert len(set(classes)) == len(classes)
    for code, cls in dcc_kit.ERROR_CLASSES.items():
        assert cls.__name__ == class_name(code)
        assert issubclass(cls, dcc_kit.DccError) and cls is not dcc_kit.DccError
        assert cls.code == code
        assert getattr(dcc_kit, cls.__name__) is cls
        assert cls.__name__ in dcc_kit.__all__
        assert cls.__module__ == "dcc_kit"
        assert cls.__doc__ and code in cls.__doc__
    assert issubclass(dcc_kit.DccError, Exception)
    # Raised by user code, the class code still holds.
    assert dcc_kit.InvalidKeyError("x").code == "invalid_key"
    assert dcc_kit.ValidationError("x").issues == []
    assert dcc_kit.VerificationFailedError("x").failures == []


def test_decoding_errors_carry_code_and_message(golden_verifier) -> None:
    with pytest.raises(dcc_kit.InvalidPrefixError) as raised:
        golden_verifier.verify("hc1:NCF")
    err = raised.value
    assert isinstance(err, dcc_kit.DccError)
    assert err.code == "invalid_prefix"
    assert err.message == str(err) and err.message
    with pytest.raises(dcc_kit.EmptyInputError):
        dcc_kit.decode("")
    with pytest.raises(dcc_kit.InvalidImageError):
        dcc_kit.read_qr(b"not an image")


def test_validation_error_lists_every_issue(golden_issuer) -> None:
    payload = example("vaccination")
    payload["t"] = example("test")["t"]
    with pytest.raises(dcc_kit.ValidationError) as raised:
        golden_issuer.issue(payload, issued_at=utc(IAT), validity=timedelta(days=1))
    err = raised.value
    assert err.code == "validation_failed"
    assert err.issues, "a refused payload names its problems"
    for issue in err.issues:
        assert isinstance(issue, dcc_kit.ValidationIssue)
        assert isinstance(issue.path, str) and isinstance(issue.message, str)
        assert re.fullmatch(r"[a-z0-9_]+", issue.code)
        assert issue.code in err.message
    assert "multiple_groups" in [i.code for i in err.issues]


def test_several_problems_are_all_reported(golden_issuer) -> None:
    payload = example("vaccination")
    payload["v"][0]["dn"] = 0
    payload["dob"] = "not a date"
    with pytest.raises(dcc_kit.ValidationError) as raised:
        golden_issuer.issue(payload, issued_at=utc(IAT), validity=timedelta(days=1))
    paths = {i.path for i in raised.value.issues}
    assert {"v/0/dn", "dob"} <= paths, raised.value.issues


@pytest.mark.parametrize(
    "bad",
    [
        datetime(2021, 6, 1),  # naive
        "2021-06-01T00:00:00Z",
        IAT,
    ],
    ids=["naive", "str", "int"],
)
def test_datetimes_must_be_aware(bad: object, golden_issuer, golden_verifier) -> None:
    with pytest.raises(dcc_kit.InvalidOptionsError) as raised:
        golden_issuer.issue(example("test"), issued_at=bad)  # type: ignore[arg-type]
    assert "issued_at" in str(raised.value)
    with pytest.raises(dcc_kit.InvalidOptionsError):
        golden_issuer.issue(example("test"), validity=bad)  # type: ignore[arg-type]
    with pytest.raises(dcc_kit.InvalidOptionsError) as raised:
        golden_verifier.verify("HC1:NCF", at=bad)  # type: ignore[arg-type]
    assert "at" in str(raised.value)


def test_option_errors(golden_issuer) -> None:
    at = utc(IAT)
    with pytest.raises(dcc_kit.InvalidOptionsError):
        golden_issuer.issue(example("test"), issued_at=at, validity=timedelta(seconds=-5))
    with pytest.raises(dcc_kit.InvalidOptionsError):
        golden_issuer.issue(example("test"), issued_at=at, validity=3600)  # type: ignore[arg-type]
    with pytest.raises(dcc_kit.InvalidOptionsError) as raised:
        golden_issuer.issue(example("test"), issued_at=at, validity=timedelta(days=5000))
    assert "notAfter" in str(raised.value)
    with pytest.raises(dcc_kit.InvalidOptionsError):
        golden_issuer.issue(example("test"), iss="de", issued_at=at)
    with pytest.raises(dcc_kit.InvalidOptionsError):
        dcc_kit.Verifier.from_certs([]).with_clock_skew(5)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        golden_issuer.issue(example("test"), "XX")  # type: ignore[misc]
    with pytest.raises(dcc_kit.InvalidOptionsError):
        golden_issuer.issue(example("test"), iss=5)  # type: ignore[arg-type]


def test_conflicting_validity_is_unrepresentable(golden_issuer) -> None:
    """One validity option (None, a timedelta or a datetime): a duration and an expiry
    cannot both be given, and the 0.1 keywords are gone."""
    at = utc(IAT)
    with pytest.raises(TypeError):
        golden_issuer.issue(  # type: ignore[call-arg]
            example("test"), issued_at=at, valid_for=timedelta(days=1), expires_at=utc(IAT + 3600)
        )
    with pytest.raises(dcc_kit.InvalidOptionsError):
        golden_issuer.issue(example("test"), issued_at=at, validity=(timedelta(days=1), utc(IAT + 3600)))  # type: ignore[arg-type]
    # The facade's serde form refuses both at once too (deny_unknown_fields, one variant).
    native = golden_issuer._native
    both = '{"issued_at": %d, "validity": {"for_seconds": 60, "until": %d}}' % (IAT, IAT + 60)
    with pytest.raises(dcc_kit.InvalidOptionsError):
        native.issue(json.dumps(example("test")), both)
    with pytest.raises(dcc_kit.InvalidOptionsError):
        native.issue(json.dumps(example("test")), '{"valid_for": 60}')
    one = golden_issuer.issue(example("test"), issued_at=at, validity=utc(IAT + 3600))
    assert (one.claims.iat, one.claims.exp) == (IAT, IAT + 3600)


def test_payloads_without_a_json_form(golden_issuer) -> None:
    at = utc(IAT)
    with pytest.raises(dcc_kit.InvalidPayloadError) as raised:
        golden_issuer.issue({"ver": "1.3.0", "v": [{"dn": {1, 2}}]}, issued_at=at)  # type: ignore[dict-item]
    assert "set" in str(raised.value) and "v/0/dn" in str(raised.value)
    loop: list[object] = []
    loop.append(loop)
    with pytest.raises(dcc_kit.InvalidPayloadError, match="nested deeper"):
        golden_issuer.issue({"v": loop}, issued_at=at)
    with pytest.raises(dcc_kit.InvalidPayloadError, match="keys must be str"):
        golden_issuer.issue({1: "x"}, issued_at=at)  # type: ignore[dict-item]
    with pytest.raises(dcc_kit.InvalidPayloadError):
        golden_issuer.issue({"ver": float("nan")}, issued_at=at)
    with pytest.raises(dcc_kit.InvalidPayloadError):
        golden_issuer.issue({"ver": 2**70}, issued_at=at)
    with pytest.raises(dcc_kit.InvalidPayloadError):
        golden_issuer.issue("{not json", issued_at=at)
    with pytest.raises(dcc_kit.InvalidPayloadError):
        golden_issuer.issue(b"\xff\xfe", issued_at=at)
    with pytest.raises(dcc_kit.InvalidPayloadError):
        golden_issuer.issue([1, 2], issued_at=at)  # type: ignore[arg-type]


def test_argument_types(golden_verifier) -> None:
    with pytest.raises(TypeError):
        golden_verifier.verify(12345)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        dcc_kit.Verifier.from_certs([12345])  # type: ignore[list-item]
    with pytest.raises(TypeError):
        golden_verifier.verify_image("HC1:not an image")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        dcc_kit.Issuer.from_pem(None, "x")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        dcc_kit.Issuer()  # type: ignore[call-arg]


@pytest.mark.parametrize("scale", [0, -1, 65, 10**12])
def test_png_scale_out_of_range(scale: int, golden_issuer) -> None:
    cert = golden_issuer.issue(example("test"), issued_at=utc(IAT), validity=timedelta(days=1))
    with pytest.raises(dcc_kit.QrEncodeError) as raised:
        cert.to_png(scale=scale)
    assert raised.value.code == "qr_encode_failed"


def pem_body_lines(pem: str) -> list[str]:
    return [line for line in pem.splitlines() if line and not line.startswith("-----")]


def test_keys_never_appear_in_messages_or_reprs(es256_key: str, es256_dsc: str, rsa_key: str) -> None:
    secrets = pem_body_lines(es256_key) + pem_body_lines(rsa_key)
    texts: list[str] = []
    for key in (rsa_key, es256_key[:-40], es256_key.replace("M", "A", 3)):
        with pytest.raises(dcc_kit.InvalidKeyError) as raised:
            dcc_kit.Issuer.from_pem(key, es256_dsc)
        texts += [str(raised.value), repr(raised.value)]
    issuer = dcc_kit.Issuer.from_pem(es256_key, es256_dsc)
    generated = dcc_kit.generate_key()
    secrets += pem_body_lines(generated.key_pem)
    texts += [repr(issuer), str(issuer), repr(issuer.signer), repr(generated)]
    assert "hidden" in repr(generated)
    for text in texts:
        for secret in secrets:
            assert secret not in text
    with pytest.raises(dcc_kit.InvalidCertificateError) as raised_cert:
        dcc_kit.Verifier.from_certs([es256_key])
    for secret in pem_body_lines(es256_key):
        assert secret not in str(raised_cert.value)


def test_errors_and_values_pickle(golden_issuer) -> None:
    """Exceptions cross process boundaries (multiprocessing, batch results) with their data."""
    import pickle

    payload = example("vaccination")
    payload["t"] = example("test")["t"]
    with pytest.raises(dcc_kit.ValidationError) as raised:
        golden_issuer.issue(payload, issued_at=utc(IAT))
    copy = pickle.loads(pickle.dumps(raised.value))
    assert type(copy) is dcc_kit.ValidationError
    assert copy.code == "validation_failed" and copy.message == raised.value.message
    assert copy.issues == raised.value.issues and copy.issues
    failure = dcc_kit.CheckFailure("expired", "too late")
    assert pickle.loads(pickle.dumps(failure)) == failure
    change = dcc_kit.Change("nam/gn", "trimmed")
    assert pickle.loads(pickle.dumps(change)) == change
    assert repr(dcc_kit.ValidationIssue("v/0/dn", "x", "it's")) == (
        "ValidationIssue(path='v/0/dn', code='x', message=\"it's\")"
    )
