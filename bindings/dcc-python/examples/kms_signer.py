"""Issuing with a key held by a cloud KMS (AWS KMS, Google Cloud KMS) through
``dcc_kit.Issuer.from_signer``.

A cloud KMS never hands out the private key: it signs a SHA-256 digest you send and returns
the signature, DER-encoded ECDSA for an ECC P-256 key, RSASSA-PSS for an RSA key (SHA-256,
MGF1-SHA-256, salt 32 bytes on both services: exactly COSE PS256). dcc-kit gives the signing
callable the COSE ``Sig_structure``; the adapters below hash it, send only the 32-byte digest,
and return the KMS's signature as it is (dcc-kit accepts DER ECDSA and turns it into COSE's
raw ``r || s``). An exception the KMS client raises becomes the ``__cause__`` of the
``dcc_kit.SigningError`` that issuing raises.

The real calls, for which the local stand-in ``LocalKms`` below answers in the same shapes:

- AWS (``boto3``): ``kms = boto3.client("kms")``, then ``aws_kms_signer(kms, key_id)``:
  ``kms.sign(KeyId=..., Message=digest, MessageType="DIGEST",
  SigningAlgorithm="ECDSA_SHA_256")["Signature"]`` (``RSASSA_PSS_SHA_256`` for PS256).
- Google Cloud (``google-cloud-kms``): ``client = kms.KeyManagementServiceClient()``, then
  ``gcp_kms_signer(client, key_version_name)``: ``client.asymmetric_sign(request={"name":
  ..., "digest": {"sha256": digest}}).signature`` (the key version's algorithm,
  ``EC_SIGN_P256_SHA256`` or ``RSA_SIGN_PSS_3072_SHA256``, decides).

The DSC comes from your national CSCA. ``LocalKms.test_dsc`` stands in for it here (it holds
the stand-in's keys, which a real KMS never would).

Each signature is one KMS round trip, made with the GIL held from the issuing thread (or a
batch worker of ``issue_batch``). For asynchronous clients, use ``issuer.prepare(payload)``,
sign ``prepared.tbs`` the same way (hash it, send the digest) and ``prepared.finish(sig)``.

Run it: ``python examples/kms_signer.py [payload.json]`` (default: the repository's
``examples/vaccination.json``). It issues an ES256 and a PS256 certificate through the AWS
adapter and an ES256 one through the Google Cloud adapter, verifies each, and prints them.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import sys
import uuid
from pathlib import Path
from typing import Any, Callable, Mapping, Protocol, Union

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import Prehashed

import dcc_kit

# COSE algorithm -> the AWS KMS SigningAlgorithm that produces it.
AWS_ALGORITHMS = {"ES256": "ECDSA_SHA_256", "PS256": "RSASSA_PSS_SHA_256"}


class AwsKms(Protocol):
    """What ``aws_kms_signer`` uses of a ``boto3.client("kms")``."""

    def sign(self, *, KeyId: str, Message: bytes, MessageType: str, SigningAlgorithm: str) -> Mapping[str, Any]: ...


class GcpKms(Protocol):
    """What ``gcp_kms_signer`` uses of a ``google.cloud.kms.KeyManagementServiceClient``."""

    def asymmetric_sign(self, request: Mapping[str, Any]) -> Any: ...


def aws_kms_signer(kms: AwsKms, key_id: str, algorithm: str = "ES256") -> Callable[[bytes], bytes]:
    """A signing callable for ``Issuer.from_signer(sign, dsc, algorithm)`` over an AWS KMS key
    (``key_id``: key id, ARN or ``alias/...``)."""
    signing_algorithm = AWS_ALGORITHMS[algorithm]

    def sign(tbs: bytes) -> bytes:
        digest = hashlib.sha256(tbs).digest()  # only the digest leaves the process
        response = kms.sign(KeyId=key_id, Message=digest, MessageType="DIGEST", SigningAlgorithm=signing_algorithm)
        return bytes(response["Signature"])  # DER ECDSA, or the PSS signature

    return sign


def gcp_kms_signer(client: GcpKms, key_version: str) -> Callable[[bytes], bytes]:
    """A signing callable over a Google Cloud KMS key version
    (``projects/.../locations/.../keyRings/.../cryptoKeys/.../cryptoKeyVersions/1``)."""

    def sign(tbs: bytes) -> bytes:
        digest = hashlib.sha256(tbs).digest()
        response = client.asymmetric_sign(request={"name": key_version, "digest": {"sha256": digest}})
        return bytes(response.signature)  # DER ECDSA, or the PSS signature

    return sign


PrivateKey = Union[ec.EllipticCurvePrivateKey, rsa.RSAPrivateKey]


class _Signed:
    """The shape of a Google Cloud ``AsymmetricSignResponse`` (its ``signature``)."""

    def __init__(self, signature: bytes) -> None:
        self.signature = signature


class LocalKms:
    """A local stand-in for a cloud KMS, answering the AWS (``create_key``, ``sign``,
    ``get_public_key``) and Google Cloud (``asymmetric_sign``) calls in their shapes, with
    keys made by ``cryptography``. It signs the digest it receives (``Prehashed``), never the
    message, and refuses anything but a 32-byte digest, as the services do. ``requests``
    records every digest it was sent."""

    def __init__(self) -> None:
        self._keys: dict[str, PrivateKey] = {}
        self.requests: list[bytes] = []

    def create_key(self, *, KeySpec: str, KeyUsage: str = "SIGN_VERIFY") -> dict[str, Any]:
        """AWS ``CreateKey`` for ``ECC_NIST_P256`` or ``RSA_3072`` signing keys."""
        if KeyUsage != "SIGN_VERIFY":
            raise ValueError(f"KeyUsage {KeyUsage} is not SIGN_VERIFY")
        key: PrivateKey
        if KeySpec == "ECC_NIST_P256":
            key = ec.generate_private_key(ec.SECP256R1())
        elif KeySpec == "RSA_3072":
            key = rsa.generate_private_key(public_exponent=65537, key_size=3072)
        else:
            raise ValueError(f"KeySpec {KeySpec} is not supported here")
        key_id = str(uuid.uuid4())
        self._keys[key_id] = key
        return {"KeyMetadata": {"KeyId": key_id, "KeySpec": KeySpec, "KeyUsage": KeyUsage}}

    def get_public_key(self, *, KeyId: str) -> dict[str, Any]:
        """AWS ``GetPublicKey``: the SubjectPublicKeyInfo, DER."""
        spki = (
            self._keys[KeyId]
            .public_key()
            .public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
        )
        return {"KeyId": KeyId, "PublicKey": spki}

    def sign(self, *, KeyId: str, Message: bytes, MessageType: str, SigningAlgorithm: str) -> dict[str, Any]:
        """AWS ``Sign`` with ``MessageType="DIGEST"``."""
        if MessageType != "DIGEST":
            raise ValueError("this stand-in signs digests only (MessageType='DIGEST')")
        return {
            "KeyId": KeyId,
            "Signature": self._sign(KeyId, Message, SigningAlgorithm),
            "SigningAlgorithm": SigningAlgorithm,
        }

    def asymmetric_sign(self, request: Mapping[str, Any]) -> _Signed:
        """Google Cloud ``AsymmetricSign`` (the key version's algorithm decides)."""
        key_id = str(request["name"])
        algorithm = (
            "ECDSA_SHA_256" if isinstance(self._keys[key_id], ec.EllipticCurvePrivateKey) else "RSASSA_PSS_SHA_256"
        )
        return _Signed(self._sign(key_id, bytes(request["digest"]["sha256"]), algorithm))

    def _sign(self, key_id: str, digest: bytes, algorithm: str) -> bytes:
        if len(digest) != 32:
            raise ValueError(f"a SHA-256 digest is 32 bytes, not {len(digest)}")
        self.requests.append(digest)
        key = self._keys[key_id]
        prehashed = Prehashed(hashes.SHA256())
        if algorithm == "ECDSA_SHA_256" and isinstance(key, ec.EllipticCurvePrivateKey):
            return key.sign(digest, ec.ECDSA(prehashed))  # DER, as the services return it
        if algorithm == "RSASSA_PSS_SHA_256" and isinstance(key, rsa.RSAPrivateKey):
            pss = padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=32)
            return key.sign(digest, pss, prehashed)
        raise ValueError(f"{algorithm} does not fit key {key_id}")

    def test_dsc(self, key_id: str, country: str = "XX", common_name: str = "dcc-kit KMS test DSC") -> str:
        """A self-signed DSC (PEM) for a stand-in key: the national CSCA's part, for this
        demonstration only (a real KMS key gets its DSC from the CSCA)."""
        key = self._keys[key_id]
        name = x509.Name(
            [
                x509.NameAttribute(x509.NameOID.COUNTRY_NAME, country),
                x509.NameAttribute(x509.NameOID.COMMON_NAME, common_name),
            ]
        )
        now = datetime.datetime.now(datetime.timezone.utc)
        builder = (
            x509.CertificateBuilder()
            .subject_name(name)
            .issuer_name(name)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(hours=1))
            .not_valid_after(now + datetime.timedelta(days=730))
        )
        if isinstance(key, ec.EllipticCurvePrivateKey):
            cert = builder.sign(key, hashes.SHA256())
        else:
            pss = padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=32)
            cert = builder.sign(key, hashes.SHA256(), rsa_padding=pss)
        return cert.public_bytes(serialization.Encoding.PEM).decode()


def main(argv: list[str]) -> int:
    default = Path(__file__).resolve().parents[3] / "examples" / "vaccination.json"
    payload = json.loads(Path(argv[1] if len(argv) > 1 else default).read_text())
    kms = LocalKms()  # in production: boto3.client("kms") / kms.KeyManagementServiceClient()
    ok = True
    for adapter, algorithm, spec in [
        ("aws", "ES256", "ECC_NIST_P256"),
        ("aws", "PS256", "RSA_3072"),
        ("gcp", "ES256", "ECC_NIST_P256"),
    ]:
        key_id = kms.create_key(KeySpec=spec)["KeyMetadata"]["KeyId"]
        dsc = kms.test_dsc(key_id, "DE", f"DSC KMS {algorithm}")  # in production: the CSCA's DSC
        sign = aws_kms_signer(kms, key_id, algorithm) if adapter == "aws" else gcp_kms_signer(kms, key_id)
        issuer = dcc_kit.Issuer.from_signer(sign, dsc, algorithm)
        cert = issuer.issue(payload)
        result = dcc_kit.Verifier.from_certs(dsc).verify(cert.hc1)
        ok = ok and result.valid
        print(f"{adapter} {algorithm} valid={result.valid} kid={cert.kid} {cert.hc1}")
    print(f"the KMS was sent {len(kms.requests)} SHA-256 digests, nothing else")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
