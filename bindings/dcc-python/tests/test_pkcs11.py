"""Signing in a real SoftHSM2 token through PKCS#11: keys generated in the token
(``generate_key_in_token``, ES256 and PS256), ``Issuer.from_pkcs11``, certificates checked by
dcc-kit's verifier AND by an independent one (``independent.py``: cbor2 + OpenSSL), certificate
signing requests read with ``cryptography``, one exception class per failure (a wrong PIN in a
fresh process: PKCS#11 keeps a token logged in while any session of the process is open), the
PIN in no message or ``repr``, and threads sharing one token issuer.

The test command initialises a throwaway token (``scripts/softhsm.sh``) and exports
``SOFTHSM2_CONF``, ``DCC_TEST_PKCS11_MODULE``, ``DCC_TEST_PKCS11_TOKEN`` and
``DCC_TEST_PKCS11_PIN``; without them these tests are skipped, unless ``DCC_REQUIRE_PKCS11`` is
set, when they fail."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import Encoding

import dcc_kit
from conftest import example
from independent import ECDSA_WITH_SHA256, HCERT_OIDS, RSASSA_PSS, check_csr, public_key, verify_cose

WRONG_PIN = "97531864"  # distinctive: searched for in every message and repr


@dataclass(frozen=True)
class Token:
    module: str
    label: str
    pin: str

    def uri(self, obj: str, *, with_module: bool = False) -> str:
        uri = f"pkcs11:token={self.label};object={obj}"
        return f"{uri}?module-path={self.module}" if with_module else uri

    def generate(self, algorithm: str = "ES256", **options: Any) -> tuple[str, dcc_kit.TokenKey]:
        """A new key under a unique label: (its URI, the TokenKey)."""
        uri = self.uri(unique(algorithm.lower()))
        return uri, dcc_kit.generate_key_in_token(uri, algorithm, module=self.module, pin=self.pin, **options)


def unique(name: str) -> str:
    """A label no other test (or earlier run on the same token) uses: keys persist."""
    return f"py-{name}-{uuid.uuid4().hex[:12]}"


@pytest.fixture(scope="module")
def token() -> Token:
    env = {
        k: os.environ.get(k, "")
        for k in ("DCC_TEST_PKCS11_MODULE", "DCC_TEST_PKCS11_TOKEN", "DCC_TEST_PKCS11_PIN", "SOFTHSM2_CONF")
    }
    if not all(env.values()):
        if os.environ.get("DCC_REQUIRE_PKCS11"):
            missing = [k for k, v in env.items() if not v]
            pytest.fail(f"DCC_REQUIRE_PKCS11 is set but no SoftHSM2 token is configured (missing: {missing})")
        pytest.skip('no SoftHSM2 token (eval "$(bash scripts/softhsm.sh init)"): PKCS#11 tests not run')
    return Token(env["DCC_TEST_PKCS11_MODULE"], env["DCC_TEST_PKCS11_TOKEN"], env["DCC_TEST_PKCS11_PIN"])


@pytest.fixture(scope="module")
def es256(token: Token) -> tuple[str, dcc_kit.TokenKey]:
    return token.generate("ES256")


def payload(i: int = 0) -> dict[str, Any]:
    p = example("vaccination")
    p["v"][0]["ci"] = dcc_kit.generate_uvci("XX", "PKCSELEVEN")
    p["nam"]["fn"] = p["nam"]["fn"] + "-" + "".join(chr(ord("a") + int(d)) for d in str(i))
    p["nam"].pop("fnt", None)
    return p


def assert_valid(cert: dcc_kit.Certificate, cert_pem: str) -> None:
    """Valid for dcc-kit's verifier and for the independent one."""
    result = dcc_kit.Verifier.from_certs(cert_pem).verify(cert.hc1)
    assert result.valid, result.failures
    claims = verify_cose(cert.hc1, cert_pem)
    assert claims[-260][1]["nam"]["fn"] == cert.payload["nam"]["fn"]


@pytest.mark.parametrize("algorithm", ["ES256", "PS256"])
def test_keys_generated_in_the_token_issue_certificates_that_verify(token: Token, algorithm: str) -> None:
    uri, key = token.generate(
        algorithm,
        country="DE",
        common_name="DSC HSM Test",
        organization="Example Health Ltd",
        certificate_types=["vaccination", "test"],
    )
    assert key.algorithm == algorithm and key.issuer.algorithm == algorithm
    dsc_key = public_key(key.cert_pem)
    if algorithm == "ES256":
        assert isinstance(dsc_key, ec.EllipticCurvePublicKey) and dsc_key.curve.name == "secp256r1"
    else:
        assert isinstance(dsc_key, rsa.RSAPublicKey) and dsc_key.key_size == 3072
    # The issuer generate_key_in_token returns, and the key opened again through its URI.
    reopened = dcc_kit.Issuer.from_pkcs11(uri, key.cert_pem, module=token.module, pin=token.pin)
    assert reopened.algorithm == algorithm
    assert reopened.signer.kid == key.issuer.signer.kid
    assert reopened.signer.subject == "CN=DSC HSM Test,O=Example Health Ltd,C=DE"
    for issuer in (key.issuer, reopened):
        cert = issuer.issue(payload())
        assert cert.algorithm == algorithm
        assert_valid(cert, key.cert_pem)
        # The independent verifier is a real check: a changed payload fails it.
        with pytest.raises(InvalidSignature):
            verify_cose(cert.hc1, key.cert_pem, tamper=True)
    # The self-signed DSC allows exactly the requested types; the request is for the same key.
    cert = x509.load_pem_x509_certificate(key.cert_pem.encode())
    eku = cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    assert [o.dotted_string for o in eku] == [HCERT_OIDS["test"], HCERT_OIDS["vaccination"]]
    csr = check_csr(
        key.csr_pem,
        country="DE",
        common_name="DSC HSM Test",
        organization="Example Health Ltd",
        types=["vaccination", "test"],
        key=dsc_key,
    )
    assert csr.signature_algorithm_oid.dotted_string == (ECDSA_WITH_SHA256 if algorithm == "ES256" else RSASSA_PSS)
    # A request for the token's key through the issuer (e.g. a renewal).
    renewal = reopened.certificate_request(country="DE", common_name="DSC HSM Test 2", certificate_types=["recovery"])
    check_csr(renewal, country="DE", common_name="DSC HSM Test 2", organization=None, types=["recovery"], key=dsc_key)
    assert renewal != key.csr_pem


def test_module_and_pin_from_the_uri_or_the_environment(
    token: Token, es256: tuple[str, dcc_kit.TokenKey], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    uri, key = es256
    label = uri.split("object=")[1]
    # module-path in the URI, the PIN from a file (pin-source).
    pin_file = tmp_path / "pin"
    pin_file.write_text(token.pin + "\n")
    issuer = dcc_kit.Issuer.from_pkcs11(
        f"{token.uri(label, with_module=True)}&pin-source=file:{pin_file}", key.cert_pem
    )
    assert_valid(issuer.issue(payload()), key.cert_pem)
    # The module and the PIN from the environment; the DSC as DER bytes; the module as a Path.
    monkeypatch.setenv("DCC_PKCS11_MODULE", token.module)
    monkeypatch.setenv("DCC_PKCS11_PIN", token.pin)
    der = x509.load_pem_x509_certificate(key.cert_pem.encode()).public_bytes(Encoding.DER)
    assert_valid(dcc_kit.Issuer.from_pkcs11(uri, der).issue(payload()), key.cert_pem)
    monkeypatch.delenv("DCC_PKCS11_MODULE")
    assert dcc_kit.Issuer.from_pkcs11(uri, key.cert_pem, module=Path(token.module)).algorithm == "ES256"


def test_each_failure_has_its_own_exception(
    token: Token, es256: tuple[str, dcc_kit.TokenKey], monkeypatch: pytest.MonkeyPatch
) -> None:
    uri, key = es256
    label = uri.split("object=")[1]
    not_a_module = dcc_kit._native.__file__  # a shared library, but no PKCS#11 module
    assert not_a_module and Path(not_a_module).is_file()
    cases: list[tuple[str, str, dict[str, Any], type[dcc_kit.DccError]]] = [
        ("missing token", f"pkcs11:token=no-such-token;object={label}", {}, dcc_kit.Pkcs11TokenNotFoundError),
        ("missing key", token.uri("no-such-key"), {}, dcc_kit.Pkcs11KeyNotFoundError),
        ("missing key, by id", f"pkcs11:token={token.label};id=%de%ad%be%ef", {}, dcc_kit.Pkcs11KeyNotFoundError),
        ("module path missing", uri, {"module": "/nonexistent/libnothing.so"}, dcc_kit.Pkcs11ModuleUnavailableError),
        ("not a PKCS#11 module", uri, {"module": not_a_module}, dcc_kit.Pkcs11ModuleUnavailableError),
        (
            "module-path missing",
            f"{uri}?module-path=/nonexistent/libnothing.so",
            {"module": None},
            dcc_kit.Pkcs11ModuleUnavailableError,
        ),
        ("bad scheme", "pkcs12:token=x;object=y", {}, dcc_kit.InvalidArgumentError),
        ("bad escape", f"pkcs11:token={token.label};object=%zz", {}, dcc_kit.InvalidArgumentError),
    ]
    for name, case_uri, overrides, cls in cases:
        kwargs: dict[str, Any] = {"module": token.module, "pin": token.pin, **overrides}
        with pytest.raises(cls) as raised:
            dcc_kit.Issuer.from_pkcs11(case_uri, key.cert_pem, **kwargs)
        err = raised.value
        assert type(err) is cls, f"{name}: {type(err).__name__}: {err}"
        assert err.code == cls.code and err.message, name
        assert not re.search(rf"\b{re.escape(token.pin)}\b", f"{err} {err!r}"), f"{name}: {err}"
    # No PIN anywhere (no option, no pin-value or pin-source, no DCC_PKCS11_PIN).
    monkeypatch.delenv("DCC_PKCS11_PIN", raising=False)
    with pytest.raises(dcc_kit.Pkcs11PinIncorrectError) as raised:
        dcc_kit.Issuer.from_pkcs11(uri, key.cert_pem, module=token.module)
    assert raised.value.code == "pkcs11_pin_incorrect"
    # No module anywhere.
    monkeypatch.delenv("DCC_PKCS11_MODULE", raising=False)
    with pytest.raises(dcc_kit.Pkcs11ModuleUnavailableError):
        dcc_kit.Issuer.from_pkcs11(uri, key.cert_pem, pin=token.pin)
    # A DSC that is not a certificate.
    with pytest.raises(dcc_kit.InvalidCertificateError):
        dcc_kit.Issuer.from_pkcs11(uri, "not a certificate", module=token.module, pin=token.pin)


def test_a_key_that_does_not_fit_the_dsc_is_invalid_key(token: Token, es256: tuple[str, dcc_kit.TokenKey]) -> None:
    _, ec_key = es256
    rsa_uri, rsa_key = token.generate("PS256")
    other_uri, _ = token.generate("ES256")
    for uri, dsc, why in [
        (rsa_uri, ec_key.cert_pem, "an RSA token key with an EC DSC"),
        (es256[0], rsa_key.cert_pem, "an EC token key with an RSA DSC"),
        (other_uri, ec_key.cert_pem, "another EC key with this EC DSC"),
    ]:
        with pytest.raises(dcc_kit.InvalidKeyError) as raised:
            dcc_kit.Issuer.from_pkcs11(uri, dsc, module=token.module, pin=token.pin)
        assert raised.value.code == "invalid_key", why


def test_generating_keys_refuses_what_it_cannot_do(token: Token, es256: tuple[str, dcc_kit.TokenKey]) -> None:
    uri, _ = es256
    # A key with that label exists already: the token is not changed.
    with pytest.raises(dcc_kit.Pkcs11DeviceError) as raised:
        dcc_kit.generate_key_in_token(uri, "ES256", module=token.module, pin=token.pin)
    assert "already exists" in str(raised.value)
    # The new key must be named.
    with pytest.raises(dcc_kit.InvalidArgumentError):
        dcc_kit.generate_key_in_token(f"pkcs11:token={token.label}", module=token.module, pin=token.pin)
    with pytest.raises(dcc_kit.InvalidArgumentError):
        dcc_kit.generate_key_in_token(token.uri(unique("es512")), "ES512", module=token.module, pin=token.pin)
    with pytest.raises(dcc_kit.Pkcs11TokenNotFoundError):
        dcc_kit.generate_key_in_token(
            f"pkcs11:token=no-such-token;object={unique('x')}", module=token.module, pin=token.pin
        )
    with pytest.raises(dcc_kit.InvalidOptionsError):
        dcc_kit.generate_key_in_token(
            token.uri(unique("bad-types")), module=token.module, pin=token.pin, certificate_types=["booster"]
        )


def test_arguments_are_checked_without_showing_the_pin(token: Token, es256: tuple[str, dcc_kit.TokenKey]) -> None:
    uri, key = es256
    with pytest.raises(TypeError) as raised:
        dcc_kit.Issuer.from_pkcs11(uri, key.cert_pem, pin=97531864)  # type: ignore[arg-type]
    assert WRONG_PIN not in str(raised.value)
    with pytest.raises(TypeError):
        dcc_kit.Issuer.from_pkcs11(uri, key.cert_pem, max_sessions="2")  # type: ignore[arg-type]
    with pytest.raises(dcc_kit.InvalidOptionsError):
        dcc_kit.Issuer.from_pkcs11(uri, key.cert_pem, module=token.module, pin=token.pin, max_sessions=-1)
    with pytest.raises(TypeError):
        dcc_kit.generate_key_in_token(b"pkcs11:token=x;object=y")  # type: ignore[arg-type]


def test_the_pin_appears_in_no_repr(token: Token) -> None:
    label = unique("repr")
    uri = f"{token.uri(label, with_module=True)}&pin-value={token.pin}"
    key = dcc_kit.generate_key_in_token(uri, "ES256")
    issuer = dcc_kit.Issuer.from_pkcs11(uri, key.cert_pem)
    texts = [repr(key), str(key), repr(key.issuer), repr(issuer), str(issuer), repr(issuer.signer)]
    # Errors for URIs that carry the PIN (past the login: the key, the DSC).
    for bad_uri, dsc, cls in [
        (uri.replace(label, "no-such-key"), key.cert_pem, dcc_kit.Pkcs11KeyNotFoundError),
        (uri, dcc_kit.generate_key().cert_pem, dcc_kit.InvalidKeyError),
        (uri.replace(token.module, "/nonexistent/lib.so"), key.cert_pem, dcc_kit.Pkcs11ModuleUnavailableError),
    ]:
        with pytest.raises(cls) as raised:
            dcc_kit.Issuer.from_pkcs11(bad_uri, dsc)
        texts += [str(raised.value), repr(raised.value)]
    assert repr(key).startswith("TokenKey(algorithm='ES256', kid=")
    for text in texts:
        assert not re.search(rf"\b{re.escape(token.pin)}\b", text), text
        assert "pin-value" not in text and "BEGIN" not in text, text


# The wrong-PIN cases, each refused by the token: run in a fresh process, where no session is
# open yet (a process with an open session is logged in, and PKCS#11 does not check again).
WRONG_PIN_SCRIPT = r"""
import json, os, sys
import dcc_kit
uri, cert, module, pin, wrong, pin_file = sys.argv[1:]
cases = [
    ("option", uri, {"module": module, "pin": wrong}),
    ("pin-value", f"{uri}?module-path={module}&pin-value={wrong}", {}),
    ("pin-source", f"{uri}?module-path={module}&pin-source=file:{pin_file}", {}),
    ("option wins over pin-value", f"{uri}?module-path={module}&pin-value={pin}", {"pin": wrong}),
    ("environment", uri, {"module": module, "env": wrong}),
    ("generate", uri + "-new", {"module": module, "pin": wrong, "generate": True}),
    ("right PIN", uri, {"module": module, "pin": pin}),
]
out = []
for name, case_uri, kw in cases:
    os.environ.pop("DCC_PKCS11_PIN", None)
    if "env" in kw:
        os.environ["DCC_PKCS11_PIN"] = kw.pop("env")
    try:
        if kw.pop("generate", False):
            made = dcc_kit.generate_key_in_token(case_uri, **kw)
        else:
            made = dcc_kit.Issuer.from_pkcs11(case_uri, cert, **kw)
        out.append([name, "ok", made.algorithm, repr(made)])
    except dcc_kit.DccError as e:
        out.append([name, type(e).__name__, e.code, f"{e} {e!r} {e.message}"])
print(json.dumps(out))
"""


def test_a_wrong_pin_is_refused(token: Token, es256: tuple[str, dcc_kit.TokenKey], tmp_path: Path) -> None:
    uri, key = es256
    pin_file = tmp_path / "pin"
    pin_file.write_text(WRONG_PIN + "\n")
    env = {k: v for k, v in os.environ.items() if k != "DCC_PKCS11_PIN"}
    run = subprocess.run(
        [sys.executable, "-c", WRONG_PIN_SCRIPT, uri, key.cert_pem, token.module, token.pin, WRONG_PIN, str(pin_file)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    results = {name: rest for name, *rest in json.loads(run.stdout)}
    assert list(results) == [
        "option",
        "pin-value",
        "pin-source",
        "option wins over pin-value",
        "environment",
        "generate",
        "right PIN",
    ]
    for name, (kind, code, text) in results.items():
        if name == "right PIN":
            assert (kind, code) == ("ok", "ES256"), text
        else:
            assert (kind, code) == ("Pkcs11PinIncorrectError", "pkcs11_pin_incorrect"), f"{name}: {kind} {text}"
        assert WRONG_PIN not in text, f"{name}: {text}"
        assert not re.search(rf"\b{re.escape(token.pin)}\b", text), f"{name}: {text}"
    assert WRONG_PIN not in run.stderr


def test_threads_share_one_token_issuer(token: Token, es256: tuple[str, dcc_kit.TokenKey]) -> None:
    uri, key = es256
    issuer = dcc_kit.Issuer.from_pkcs11(uri, key.cert_pem, module=token.module, pin=token.pin)
    verifier = dcc_kit.Verifier.from_certs(key.cert_pem)

    def work(worker: int) -> list[str]:
        hc1s = []
        for i in range(40):
            cert = issuer.issue(payload(worker * 1000 + i))
            assert verifier.verify(cert.hc1).valid
            hc1s.append(cert.hc1)
        return hc1s

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = [h for hs in pool.map(work, range(8)) for h in hs]
    assert len(results) == 320 and len(set(results)) == 320
    for hc1 in results[::16]:  # a sample through the independent verifier too
        verify_cose(hc1, key.cert_pem)
    # issue_batch signs on every core (several sessions at once), in order.
    batch = issuer.issue_batch([payload(i) for i in range(64)])
    for i, cert in enumerate(batch):
        assert isinstance(cert, dcc_kit.Certificate), cert
        assert cert.payload["nam"]["fn"] == payload(i)["nam"]["fn"]
        assert verifier.verify(cert.hc1).valid
    # At most one session: threads wait for it, and everything still verifies.
    one = dcc_kit.Issuer.from_pkcs11(uri, key.cert_pem, module=token.module, pin=token.pin, max_sessions=1)
    with ThreadPoolExecutor(max_workers=4) as pool:
        certs = list(pool.map(lambda i: one.issue(payload(i)), range(40)))
    for cert in certs:
        assert_valid(cert, key.cert_pem)
