"""Revocation: the three revocation hashes (the CWA vectors, and an independent computation with
hashlib + cbor2), the verifier's revocation check with gateway batches and with real EU Bloom
filters (built here in Python from the dgc-bloomfilter format and checked bit for bit against
its vectors), and typed errors for bad revocation data."""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import json
import math
import struct
from datetime import timedelta
from typing import Any, Optional

import cbor2
import pytest

import dcc_kit
from conftest import ROOT, example, utc

VECTORS = ROOT / "tests" / "vectors" / "revocation"
HASH_TYPES: tuple[dcc_kit.HashType, ...] = ("UCI", "COUNTRYCODEUCI", "SIGNATURE")
EXPIRES = "2031-01-01T00:00:00Z"


def vectors(name: str) -> Any:
    return json.loads((VECTORS / name).read_text())


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def payload(ci: str) -> dict[str, Any]:
    p = example("vaccination")
    p["v"][0]["ci"] = ci
    return p


def batch(kid: str, hash_type: str, hashes: list[str], country: str = "AT") -> dict[str, Any]:
    return {
        "country": country,
        "expires": EXPIRES,
        "kid": kid,
        "hashType": hash_type,
        "entries": [{"hash": h} for h in hashes],
    }


# ---------------------------------------------------------------------------------------------
# The EU revocation Bloom filter (dgc-bloomfilter), written here from its format: big-endian
# i16 version 1, u8 k, u8 hash function 0 (SHA-256), f32 p, i32 n, i32 count, i32 number of
# words, the 32-bit words. Bit i of an element: SHA-256(element || byte i) as a signed
# big-endian integer, modulo the number of bits; bit b is 0x80000000 >> (b % 32) of word b / 32.


class Bloom:
    def __init__(self, n: int, p: float) -> None:
        p32 = struct.unpack(">f", struct.pack(">f", p))[0]  # p is a Java float
        ln2 = math.log(2)
        bits = math.ceil((n * math.log(p32)) / math.log(1 / 2**ln2))
        nbytes = bits // 8 + 1
        self.words = [0] * (nbytes // 4 + nbytes % 4)
        self.k = min(max(math.floor(len(self.words) * 32 / n * ln2 + 0.5), 1), 127)
        self.n, self.p, self.count = n, p32, 0

    def _indexes(self, element: bytes) -> list[int]:
        m = len(self.words) * 32
        return [
            int.from_bytes(hashlib.sha256(element + bytes([i])).digest(), "big", signed=True) % m
            for i in range(self.k)
        ]

    def add(self, element: bytes) -> None:
        for b in self._indexes(element):
            self.words[b // 32] |= 0x8000_0000 >> (b % 32)
        self.count += 1

    def might_contain(self, element: bytes) -> bool:
        return all(self.words[b // 32] & (0x8000_0000 >> (b % 32)) for b in self._indexes(element))

    def signed_words(self) -> list[int]:
        return [w - 2**32 if w & 0x8000_0000 else w for w in self.words]

    def to_bytes(self) -> bytes:
        header = struct.pack(">hBBfiii", 1, self.k, 0, self.p, self.n, self.count, len(self.words))
        return header + b"".join(struct.pack(">I", w) for w in self.words)


def test_the_python_bloom_filter_is_bit_identical_to_the_reference() -> None:
    """The filter these tests feed the verifier is a real one: the dgc-bloomfilter vectors."""
    cases = vectors("bloomfilter-filter-test.json")
    assert len(cases) == 4
    for i, case in enumerate(cases):
        bloom = Bloom(len(case["data"]), case["p"])
        for d, written in zip(case["data"], case["written"]):
            if written:
                bloom.add(d.encode())
        reference = base64.b64decode(case["filter"]).decode().strip("[]").split(",")
        assert bloom.signed_words() == [int(w) for w in reference], f"case {i}"
        exists = [int(bloom.might_contain(d.encode())) for d in case["data"]]
        assert "[" + ", ".join(map(str, exists)) + "]" == case["exists"], f"case {i}"
    # The reference sizes (BloomFilterUnitTest): n = 10000, p = 1e-5 -> k = 17, 239680 bits.
    big = Bloom(10_000, 0.000_01)
    assert (big.k, len(big.words) * 32) == (17, 239_680)


# ---------------------------------------------------------------------------------------------
# Hashes


def test_cwa_vectors_give_their_expected_hashes() -> None:
    cases = vectors("cwa-revocation-hashes.json")
    assert len(cases) == 3
    for case in cases:
        hashes = dcc_kit.revocation_hashes(case["barcodeData"])
        assert isinstance(hashes, dcc_kit.RevocationHashes)
        name = case["description"]
        assert hashes.uci_hex == case["expUCI"], name
        assert hashes.country_code_uci_hex == case["expCOUNTRYCODEUCI"], name
        assert hashes.signature_hex == case["expSIGNATURE"], name
        for b64_hash, hex_hash in [
            (hashes.uci, hashes.uci_hex),
            (hashes.country_code_uci, hashes.country_code_uci_hex),
            (hashes.signature, hashes.signature_hex),
        ]:
            assert b64_hash is not None and hex_hash is not None
            assert len(b64_hash) == 24 and base64.b64decode(b64_hash).hex() == hex_hash
        assert hashes.get("uci") == hashes.uci and hashes.get("SIGNATURE") == hashes.signature  # type: ignore[arg-type]
        with pytest.raises(ValueError):
            hashes.get("MD5")  # type: ignore[arg-type]


def test_hashes_agree_with_an_independent_computation() -> None:
    issuer = dcc_kit.Issuer.demo()
    ci = dcc_kit.generate_uvci("AT", "PYHASH")
    cert = issuer.issue(payload(ci))
    hashes = cert.revocation_hashes()
    sign1 = cbor2.loads(cert.cose).value
    signature = sign1[3]
    assert cert.algorithm == "ES256" and len(signature) == 64
    iss = cert.claims.iss
    assert iss is not None
    assert hashes.uci_hex == hashlib.sha256(ci.encode()).digest()[:16].hex()
    assert hashes.country_code_uci_hex == hashlib.sha256((iss + ci).encode()).digest()[:16].hex()
    # ES256: only r, the first half of the signature (s is malleable).
    assert hashes.signature_hex == hashlib.sha256(signature[:32]).digest()[:16].hex()
    # The same from the certificate, its verification and its text.
    verification = dcc_kit.Verifier.demo().verify(cert.hc1)
    assert verification.revocation_hashes() == hashes == dcc_kit.revocation_hashes(cert.hc1)
    assert dataclasses.asdict(hashes) == {
        "uci": hashes.uci,
        "country_code_uci": hashes.country_code_uci,
        "signature": hashes.signature,
        "uci_hex": hashes.uci_hex,
        "country_code_uci_hex": hashes.country_code_uci_hex,
        "signature_hex": hashes.signature_hex,
    }


def test_ps256_hashes_the_whole_signature(rsa_key: str, ps256_dsc: str) -> None:
    issuer = dcc_kit.Issuer.from_pem(rsa_key, ps256_dsc)  # a DSC of 2021-2024
    cert = issuer.issue(payload("URN:UVCI:01:AT:PSSHASH#1"), issued_at=utc(1_622_505_600), validity=timedelta(days=1))
    signature = cbor2.loads(cert.cose).value[3]
    assert cert.algorithm == "PS256" and len(signature) == 256
    assert cert.revocation_hashes().signature_hex == hashlib.sha256(signature).digest()[:16].hex()


def test_hashes_of_text_that_does_not_decode() -> None:
    with pytest.raises(dcc_kit.InvalidPrefixError):
        dcc_kit.revocation_hashes("HX1:nothing")
    with pytest.raises(dcc_kit.EmptyInputError):
        dcc_kit.revocation_hashes("")


# ---------------------------------------------------------------------------------------------
# The verifier's revocation check


@pytest.fixture(scope="module")
def two_certificates() -> tuple[dcc_kit.Certificate, dcc_kit.Certificate]:
    issuer = dcc_kit.Issuer.demo()
    return (
        issuer.issue(payload("URN:UVCI:01:AT:REVOKED1#1")),
        issuer.issue(payload("URN:UVCI:01:AT:KEPT0001#2")),
    )


def test_without_revocation_data_the_check_is_skipped(two_certificates) -> None:
    revoked, _ = two_certificates
    v = dcc_kit.Verifier.demo().verify(revoked.hc1)
    assert v.valid and v.revoked_by is None
    assert v.checks.revocation == dcc_kit.Outcome("skipped", None, "not checked: no revocation data supplied")


@pytest.mark.parametrize("hash_type", HASH_TYPES)
def test_a_hash_in_a_batch_revokes_its_certificate_only(hash_type: dcc_kit.HashType, two_certificates) -> None:
    revoked, kept = two_certificates
    h = revoked.revocation_hashes().get(hash_type)
    assert h is not None
    text = json.dumps(batch(revoked.kid, hash_type, [h]))
    for data in (text, text.encode(), batch(revoked.kid, hash_type, [h]), [text]):
        verifier = dcc_kit.Verifier.demo().with_revocation(data)  # type: ignore[arg-type]
        v = verifier.verify(revoked.hc1)
        assert not v.valid
        assert v.checks.revocation.status == "failed" and v.checks.revocation.code == "revoked"
        assert hash_type in (v.checks.revocation.message or "")
        assert [f.code for f in v.failures] == ["revoked"]
        assert "revoked" in dcc_kit.check_codes()
        assert v.revoked_by == dcc_kit.RevocationMatch(
            hash_type=hash_type,
            hash=h,
            source=dcc_kit.RevocationSource(kind="batch", country="AT", kid=revoked.kid, name=None),
        )
        assert json.loads(v.to_json())["revoked_by"] == dataclasses.asdict(v.revoked_by)
        with pytest.raises(dcc_kit.VerificationFailedError) as raised:
            v.ensure_valid()
        assert [f.code for f in raised.value.failures] == ["revoked"]
        ok = verifier.verify(kept.hc1)
        assert ok.valid and ok.revoked_by is None and ok.checks.revocation.passed


def test_batches_apply_to_their_kid_and_hash_type(two_certificates) -> None:
    revoked, _ = two_certificates
    hashes = revoked.revocation_hashes()
    demo = dcc_kit.Verifier.demo()
    other_kid = demo.with_revocation(json.dumps(batch("AAAAAAAAAAA=", "SIGNATURE", [hashes.signature])))
    assert other_kid.verify(revoked.hc1).valid
    any_kid = demo.with_revocation(json.dumps(batch("UNKNOWN_KID", "SIGNATURE", [hashes.signature])))
    by = any_kid.verify(revoked.hc1).revoked_by
    assert by is not None and by.source.kid is None
    assert hashes.uci is not None
    wrong_type = demo.with_revocation(json.dumps(batch(revoked.kid, "SIGNATURE", [hashes.uci])))
    assert wrong_type.verify(revoked.hc1).valid
    # Several files: an array of batches, and a {"batches": [...]} document.
    many = demo.with_revocation(
        [
            json.dumps([batch(revoked.kid, "UCI", [b64(bytes(16))]), batch(revoked.kid, "UCI", [hashes.uci])]),
            json.dumps({"batches": [batch("UNKNOWN_KID", "SIGNATURE", [b64(bytes(range(16)))])]}),
        ]
    )
    assert not many.verify(revoked.hc1).valid
    # The original verifier is unchanged (with_revocation returns a copy).
    assert demo.verify(revoked.hc1).valid


def test_a_bloom_filter_revokes_what_it_holds() -> None:
    issuer = dcc_kit.Issuer.demo()
    certs = [issuer.issue(payload(f"URN:UVCI:01:AT:BLOOM{i:04}#X")) for i in range(40)]
    bloom = Bloom(10, 1e-12)
    for c in certs[:10]:
        bloom.add(base64.b64decode(c.revocation_hashes().signature))
    verifier = dcc_kit.Verifier.demo().with_revocation([bloom.to_bytes()])
    for i, c in enumerate(certs):
        v = verifier.verify(c.hc1)
        assert v.valid == (i >= 10), i
        if i < 10:
            assert v.revoked_by is not None
            assert v.revoked_by.hash_type == "SIGNATURE"
            assert v.revoked_by.hash == c.revocation_hashes().signature
            assert v.revoked_by.source.kind == "bloom_filter"
            assert v.checks.revocation.code == "revoked"
        else:
            assert v.checks.revocation.passed
    # A filter of UCI hashes revokes through the UCI hash (a filter applies to every type).
    uci_bloom = Bloom(1, 1e-9)
    uci = certs[20].revocation_hashes().uci
    assert uci is not None
    uci_bloom.add(base64.b64decode(uci))
    filter_file = bytearray(uci_bloom.to_bytes())  # any bytes-like object
    v = dcc_kit.Verifier.demo().with_revocation(filter_file).verify(certs[20].hc1)  # type: ignore[arg-type]
    assert v.revoked_by is not None and v.revoked_by.hash_type == "UCI"


GOOD_HASH = b64(bytes(16))


def _bad_batch(**changes: Any) -> str:
    b = batch("UNKNOWN_KID", "UCI", [GOOD_HASH])
    b.update(changes)
    return json.dumps({k: v for k, v in b.items() if v is not None})


def _corrupt_filters() -> dict[str, bytes]:
    bloom = Bloom(4, 0.01)
    bloom.add(b"x")
    good = bloom.to_bytes()
    assert dcc_kit.Verifier.demo().with_revocation(good)  # the unchanged filter loads
    return {
        "filter version 2": good[:1] + b"\x02" + good[2:],
        "filter k = 0": good[:2] + b"\x00" + good[3:],
        "filter hash function 1": good[:3] + b"\x01" + good[4:],
        "filter truncated": good[:-1],
        "filter trailing byte": good + b"\x00",
        "filter negative length": good[:16] + struct.pack(">i", -1) + good[20:],
        "filter huge length": good[:16] + struct.pack(">i", 2**31 - 1) + good[20:],
        "short filter": bytes([0, 1, 1, 0, 0]),
        "empty file": b"",
    }


BAD_DATA: dict[str, Any] = {
    "not json": "{not json",
    "missing entries": _bad_batch(entries=None),
    "empty entries": _bad_batch(entries=[]),
    "short hash": _bad_batch(entries=[{"hash": b64(bytes(15))}]),
    "long hash": _bad_batch(entries=[{"hash": b64(bytes(32))}]),
    "not base64": _bad_batch(entries=[{"hash": "!!!!"}]),
    "unknown hash type": _bad_batch(hashType="MD5"),
    "bad country": _bad_batch(country="Austria"),
    "bad expires": _bad_batch(expires="soon"),
    "bad kid": _bad_batch(kid="AAAA"),
    "too many entries": _bad_batch(entries=[{"hash": GOOD_HASH}] * 1001),
    "a bad dict": {"country": "AT"},
    "a dict without a JSON form": {"country": "AT", "entries": [{"hash": {1, 2}}]},
    "a list with a bad batch": [batch("UNKNOWN_KID", "UCI", [GOOD_HASH]), {"country": "AT"}],
    **_corrupt_filters(),
}


@pytest.mark.parametrize("name", list(BAD_DATA))
def test_bad_revocation_data_raises_the_typed_error(name: str) -> None:
    with pytest.raises(dcc_kit.InvalidRevocationDataError) as raised:
        dcc_kit.Verifier.demo().with_revocation([BAD_DATA[name]])
    err = raised.value
    assert isinstance(err, dcc_kit.DccError)
    assert err.code == "invalid_revocation_data" and err.message
    assert dcc_kit.ERROR_CLASSES["invalid_revocation_data"] is dcc_kit.InvalidRevocationDataError
    if name == "a dict without a JSON form":
        assert "entries/0/hash" in err.message and "set" in err.message


def test_one_bad_file_among_good_ones_fails_the_whole_call(two_certificates) -> None:
    revoked, _ = two_certificates
    good = json.dumps(batch(revoked.kid, "SIGNATURE", [revoked.revocation_hashes().signature]))
    with pytest.raises(dcc_kit.InvalidRevocationDataError):
        dcc_kit.Verifier.demo().with_revocation([good, "[" + good + ', {"country": "AT"}]'])


@pytest.mark.parametrize("bad", [None, 12, 1.5, object()])
def test_revocation_data_of_the_wrong_type(bad: Optional[object]) -> None:
    with pytest.raises(TypeError):
        dcc_kit.Verifier.demo().with_revocation([bad])  # type: ignore[list-item]
