"""The KMS callback example (``examples/kms_signer.py``): it runs as documented, and its AWS and
Google Cloud adapters over the local KMS stand-in issue certificates that dcc-kit's verifier
and the independent one (``independent.py``) accept, sending the KMS only the SHA-256 of the
COSE Sig_structure."""

from __future__ import annotations

import hashlib
import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any, Mapping

import pytest

import dcc_kit
from conftest import EXAMPLES, example
from independent import cose_sign1, sig_structure, verify_cose

SCRIPT = Path(__file__).resolve().parents[1] / "examples" / "kms_signer.py"


@pytest.fixture(scope="module")
def kms_example() -> ModuleType:
    spec = importlib.util.spec_from_file_location("kms_signer", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_example_runs(tmp_path: Path) -> None:
    run = subprocess.run(
        [sys.executable, str(SCRIPT), str(EXAMPLES / "vaccination.json")],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    assert [line.split(" ")[:3] for line in lines[:3]] == [
        ["aws", "ES256", "valid=True"],
        ["aws", "PS256", "valid=True"],
        ["gcp", "ES256", "valid=True"],
    ]
    assert lines[3] == "the KMS was sent 3 SHA-256 digests, nothing else"
    for line in lines[:3]:
        hc1 = "HC1:" + line.split(" HC1:", 1)[1]  # Base45 has spaces
        decoded = dcc_kit.decode(hc1)
        assert decoded.payload["nam"] == example("vaccination")["nam"]


def sent_digest_is_the_sig_structure_s(hc1: str, digest: bytes) -> None:
    protected, _, payload, _ = cose_sign1(hc1)
    assert digest == hashlib.sha256(sig_structure(protected, payload)).digest()


@pytest.mark.parametrize(
    "adapter, algorithm, spec",
    [
        ("aws", "ES256", "ECC_NIST_P256"),
        ("aws", "PS256", "RSA_3072"),
        ("gcp", "ES256", "ECC_NIST_P256"),
        ("gcp", "PS256", "RSA_3072"),
    ],
)
def test_adapters_issue_certificates_that_verify_independently(
    kms_example: Any, adapter: str, algorithm: str, spec: str
) -> None:
    kms = kms_example.LocalKms()
    key_id = kms.create_key(KeySpec=spec)["KeyMetadata"]["KeyId"]
    dsc = kms.test_dsc(key_id, "DE", "DSC KMS")
    if adapter == "aws":
        sign = kms_example.aws_kms_signer(kms, key_id, algorithm)
    else:
        sign = kms_example.gcp_kms_signer(kms, key_id)
    issuer = dcc_kit.Issuer.from_signer(sign, dsc, algorithm)
    cert = issuer.issue(example("test"))
    assert cert.algorithm == algorithm
    assert dcc_kit.Verifier.from_certs(dsc).verify(cert.hc1).valid
    verify_cose(cert.hc1, dsc)
    assert len(kms.requests) == 1
    sent_digest_is_the_sig_structure_s(cert.hc1, kms.requests[0])
    # prepare + finish, the way an asynchronous KMS client signs.
    prepared = issuer.prepare(example("recovery"))
    finished = prepared.finish(sign(prepared.tbs))
    verify_cose(finished.hc1, dsc)
    assert kms.requests[-1] == hashlib.sha256(prepared.tbs).digest()
    # The public key the KMS reports is the DSC's.
    from cryptography import x509
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    dsc_spki = (
        x509.load_pem_x509_certificate(dsc.encode())
        .public_key()
        .public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)
    )
    assert kms.get_public_key(KeyId=key_id)["PublicKey"] == dsc_spki


def test_batches_sign_through_the_kms_from_worker_threads(kms_example: Any) -> None:
    kms = kms_example.LocalKms()
    key_id = kms.create_key(KeySpec="ECC_NIST_P256")["KeyMetadata"]["KeyId"]
    dsc = kms.test_dsc(key_id)
    issuer = dcc_kit.Issuer.from_signer(kms_example.aws_kms_signer(kms, key_id), dsc, "ES256")
    results = issuer.issue_batch([example("vaccination")] * 24)
    assert len(kms.requests) == 24
    verifier = dcc_kit.Verifier.from_certs(dsc)
    for cert in results:
        assert isinstance(cert, dcc_kit.Certificate), cert
        assert verifier.verify(cert.hc1).valid
        verify_cose(cert.hc1, dsc)


class ClientError(Exception):
    """Stands in for botocore's ClientError."""


class Throttled:
    def sign(self, *, KeyId: str, Message: bytes, MessageType: str, SigningAlgorithm: str) -> Mapping[str, Any]:
        raise ClientError("An error occurred (ThrottlingException) when calling the Sign operation")


def test_a_kms_error_is_the_cause_of_the_signing_error(kms_example: Any) -> None:
    kms = kms_example.LocalKms()
    key_id = kms.create_key(KeySpec="ECC_NIST_P256")["KeyMetadata"]["KeyId"]
    issuer = dcc_kit.Issuer.from_signer(kms_example.aws_kms_signer(Throttled(), key_id), kms.test_dsc(key_id), "ES256")
    with pytest.raises(dcc_kit.SigningError) as raised:
        issuer.issue(example("test"))
    assert isinstance(raised.value.__cause__, ClientError)
    assert "ThrottlingException" in str(raised.value)


def test_the_stand_in_behaves_like_the_services(kms_example: Any) -> None:
    """It signs digests only, 32 bytes, with the algorithm that fits the key: a test that passed
    only because the stand-in is lenient would not carry over to the real services."""
    kms = kms_example.LocalKms()
    key_id = kms.create_key(KeySpec="ECC_NIST_P256")["KeyMetadata"]["KeyId"]
    with pytest.raises(ValueError):
        kms.sign(KeyId=key_id, Message=b"x" * 32, MessageType="RAW", SigningAlgorithm="ECDSA_SHA_256")
    with pytest.raises(ValueError):
        kms.sign(KeyId=key_id, Message=b"x" * 31, MessageType="DIGEST", SigningAlgorithm="ECDSA_SHA_256")
    with pytest.raises(ValueError):
        kms.sign(KeyId=key_id, Message=b"x" * 32, MessageType="DIGEST", SigningAlgorithm="RSASSA_PSS_SHA_256")
    # Signed by the KMS over a digest = signed over the message by cryptography itself.
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.serialization import load_der_public_key

    message = b"Sig_structure stand-in"
    der = kms.sign(
        KeyId=key_id, Message=hashlib.sha256(message).digest(), MessageType="DIGEST", SigningAlgorithm="ECDSA_SHA_256"
    )["Signature"]
    public = load_der_public_key(kms.get_public_key(KeyId=key_id)["PublicKey"])
    assert isinstance(public, ec.EllipticCurvePublicKey)
    public.verify(der, message, ec.ECDSA(hashes.SHA256()))
