"""The README's quick start, Printable certificates, Revocation, trust list, Issuance ledger and key custody blocks run
as written (the PKCS#11 one on the test token, its labels and module replaced by the test's)."""

from __future__ import annotations

import os
import re
import shutil
import uuid
from pathlib import Path

import pytest

from conftest import EXAMPLES, ROOT

README = Path(__file__).resolve().parents[1] / "README.md"


def blocks(title: str) -> list[str]:
    """The python blocks of the README section ``## title``."""
    text = README.read_text()
    assert f"\n## {title}\n" in text, f"the README has a {title} section"
    section = text.split(f"\n## {title}\n", 1)[1].split("\n## ", 1)[0]
    found = re.findall(r"```python\n(.*?)```", section, re.S)
    assert found, f"the README's {title} section has a python block"
    return found


def block(title: str) -> str:
    """The first python block of the README section ``## title``."""
    return blocks(title)[0]


def quick_start() -> str:
    return block("Quick start")


def run(code: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copy(EXAMPLES / "vaccination.json", tmp_path / "vaccination.json")
    monkeypatch.chdir(tmp_path)
    monkeypatch.syspath_prepend(str(README.parent / "examples"))  # kms_signer
    exec(compile(code, str(README), "exec"), {"__name__": "__readme__"})


def test_quick_start_is_at_most_10_lines() -> None:
    lines = [line for line in quick_start().splitlines() if line.strip()]
    assert len(lines) <= 10, lines


def test_quick_start_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    run(quick_start(), tmp_path, monkeypatch)
    png = (tmp_path / "qr.png").read_bytes()
    assert png.startswith(b"\x89PNG")


def test_printable_certificates_block_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    code = block("Printable certificates")
    assert 'to_pdf(language="fr")' in code
    run(code, tmp_path, monkeypatch)
    pdf = (tmp_path / "certificate.pdf").read_bytes()
    assert pdf.startswith(b"%PDF-") and b"/Lang(fr)" in pdf


def test_revocation_block_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    code = block("Revocation")
    assert "with_revocation" in code and "revocation_hashes()" in code
    run(code, tmp_path, monkeypatch)


def test_trust_list_block_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code = block("Trust lists and business rules")
    calls = ("TrustList.load(", ".view()", "with_trust_list(", "load_rules(", "evaluate_rules(", "evaluate_certlogic(")
    for call in calls:
        assert call in code, call
    vectors = ROOT / "tests" / "vectors"
    for path in (
        vectors / "trustlists" / "de" / "dsc-list.txt",
        vectors / "trustlists" / "de" / "dsc-list-signing-key.pem",
        vectors / "rules" / "covpass-eu-rules.json",
    ):
        shutil.copy(path, tmp_path / path.name)
    run(code, tmp_path, monkeypatch)
    first = capsys.readouterr().out.splitlines()[0].split()
    assert first[0] in ("passed", "fail", "open") and all(n.isdigit() for n in first[1:]), first


def test_ledger_block_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    code = block("Issuance ledger")
    for call in ("Ledger.open", "with_ledger", "records(", "verify()", "export_to_dir"):
        assert call in code, call
    run(code, tmp_path, monkeypatch)
    assert (tmp_path / "ledger.db").is_file()
    assert [p.name for p in (tmp_path / "revoked").iterdir()] == ["batch-0001-XX.json"]
    # Run again on the same ledger: the chain grows and stays valid.
    run(code, tmp_path, monkeypatch)
    import dcc_kit

    report = dcc_kit.Ledger.open(str(tmp_path / "ledger.db")).verify()
    assert report.valid and report.records == 2


def key_custody() -> dict[str, str]:
    """The three blocks of "Keeping the signing key safe", by their subsection."""
    text = README.read_text().split("\n## Keeping the signing key safe\n", 1)[1].split("\n## ", 1)[0]
    out = {}
    for part in text.split("\n### ")[1:]:
        title, body = part.split("\n", 1)
        match = re.search(r"```python\n(.*?)```", body, re.S)
        assert match, title
        out[title] = match.group(1)
    assert list(out) == ["A PEM file", "A hardware security module (PKCS#11)", "A cloud KMS (a signing callback)"]
    assert blocks("Keeping the signing key safe") == list(out.values())
    return out


def test_pem_file_block_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    code = key_custody()["A PEM file"]
    for call in ("generate_key(", "csr_pem", "Issuer.from_pem(", "certificate_request("):
        assert call in code, call
    run(code, tmp_path, monkeypatch)
    assert (tmp_path / "dsc-key.pem").stat().st_mode & 0o777 == 0o600
    from cryptography import x509

    csr = x509.load_pem_x509_csr((tmp_path / "request.csr").read_bytes())
    assert csr.is_signature_valid
    assert csr.subject.rfc4514_string() == "CN=DSC Pharmacy 17,O=Example Health Ltd,C=DE"


def test_pkcs11_block_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    code = key_custody()["A hardware security module (PKCS#11)"]
    for call in ("generate_key_in_token(", "Issuer.from_pkcs11(", "csr_pem"):
        assert call in code, call
    env = {
        k: os.environ.get(k, "")
        for k in ("DCC_TEST_PKCS11_MODULE", "DCC_TEST_PKCS11_TOKEN", "DCC_TEST_PKCS11_PIN", "SOFTHSM2_CONF")
    }
    if not all(env.values()):
        if os.environ.get("DCC_REQUIRE_PKCS11"):
            pytest.fail("DCC_REQUIRE_PKCS11 is set but no SoftHSM2 token is configured")
        pytest.skip("no SoftHSM2 token (scripts/softhsm.sh): the README's PKCS#11 block not run")
    # The test token's label and module, a label of its own (keys persist), the PIN from the
    # environment as the block says.
    for old in ('"pkcs11:token=dcc-test;object=dsc-2026"', '"/usr/lib/softhsm/libsofthsm2.so"'):
        assert old in code, old
    label = f"py-readme-{uuid.uuid4().hex[:12]}"
    code = code.replace(
        '"pkcs11:token=dcc-test;object=dsc-2026"', repr(f"pkcs11:token={env['DCC_TEST_PKCS11_TOKEN']};object={label}")
    )
    code = code.replace('"/usr/lib/softhsm/libsofthsm2.so"', repr(env["DCC_TEST_PKCS11_MODULE"]))
    monkeypatch.setenv("DCC_PKCS11_PIN", env["DCC_TEST_PKCS11_PIN"])
    run(code, tmp_path, monkeypatch)
    assert (tmp_path / "request.csr").read_text().startswith("-----BEGIN CERTIFICATE REQUEST-----")


def test_kms_block_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    code = key_custody()["A cloud KMS (a signing callback)"]
    for call in ("Issuer.from_signer(", 'MessageType="DIGEST"', "hashlib.sha256(tbs)"):
        assert call in code, call
    run(code, tmp_path, monkeypatch)
