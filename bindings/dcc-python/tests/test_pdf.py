"""Printable certificates (``Certificate.to_pdf``) checked with real PDF tools: poppler renders
the page at 150 dpi, the QR code on the rendered page reads back to exactly the certificate's
``HC1:`` with our reader (``dcc_kit.read_qr``) and with zbar; ``pdftotext`` finds the labels of
the chosen language and the holder's names, Cyrillic included.

The tools come from Debian's poppler-utils and zbar-tools (``scripts/bootstrap.sh`` installs
them); a missing tool fails these tests rather than skipping them.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

import dcc_kit
from conftest import TYPES, example, utc

IAT = 1_622_505_600

TITLE = {
    "en": "EU Digital COVID Certificate",
    "de": "Digitales COVID-Zertifikat der EU",
    "fr": "Certificat COVID numérique de l'UE",
}

# The heading of each certificate type, in English and in the printed language.
HEADING = {
    "vaccination": {"en": "Vaccination certificate", "de": "Impfzertifikat", "fr": "Certificat de vaccination"},
    "test": {"en": "Test certificate", "de": "Testzertifikat", "fr": "Certificat de test"},
    "recovery": {"en": "Certificate of recovery", "de": "Genesenenzertifikat", "fr": "Certificat de rétablissement"},
}


def run(tool: str, *args: str) -> str:
    """Runs a PDF or QR tool; a missing tool is a failure, not a skip."""
    path = shutil.which(tool)
    assert path, f"{tool} is not installed: install poppler-utils and zbar-tools (scripts/bootstrap.sh)"
    out = subprocess.run([path, *args], capture_output=True, check=False)
    assert out.returncode == 0, f"{tool} {args} failed: {out.stderr.decode(errors='replace')}"
    return out.stdout.decode("utf-8")


def issue(issuer: dcc_kit.Issuer, kind: str, nam: dict[str, str] | None = None) -> dcc_kit.Certificate:
    payload: dict[str, Any] = example(kind)
    if nam is not None:
        payload["nam"] = nam  # the standardised forms are derived on issue
    return issuer.issue(payload, issued_at=utc(IAT))


def print_and_read(cert: dcc_kit.Certificate, tmp: Path, language: str) -> str:
    """Prints ``cert`` in ``language``, renders the page at 150 dpi and checks that both
    readers give back exactly its HC1; returns the page's text (``pdftotext``)."""
    pdf = cert.to_pdf(language=language)
    assert isinstance(pdf, bytes)
    assert pdf.startswith(b"%PDF-"), pdf[:16]
    pdf_path = tmp / "cert.pdf"
    pdf_path.write_bytes(pdf)
    run("pdftoppm", "-r", "150", "-png", "-singlefile", str(pdf_path), str(tmp / "page"))
    png = (tmp / "page.png").read_bytes()
    assert dcc_kit.read_qr(png) == cert.hc1, "our reader"
    zbar = run("zbarimg", "--raw", "-q", str(tmp / "page.png"))
    assert zbar.rstrip("\n") == cert.hc1, "zbar"
    return run("pdftotext", "-enc", "UTF-8", str(pdf_path), "-")


@pytest.mark.parametrize("language", ["de", "fr"])
@pytest.mark.parametrize("kind", TYPES)
def test_printed_qr_reads_back(golden_issuer: dcc_kit.Issuer, tmp_path: Path, kind: str, language: str) -> None:
    cert = issue(golden_issuer, kind)
    text = print_and_read(cert, tmp_path, language)
    for needle in (
        TITLE["en"],
        TITLE[language],
        HEADING[kind]["en"],
        HEADING[kind][language],
        "Musterfrau-Gößinger",
        "MUSTERFRAU<GOESSINGER<<GABRIELE",
        "1998-02-26",
    ):
        assert needle in text, f"{needle!r} missing from the page text:\n{text}"
    other = "fr" if language == "de" else "de"
    assert TITLE[other] not in text, f"{other} labels on a {language} page"


def test_cyrillic_name_is_printed(golden_issuer: dcc_kit.Issuer, tmp_path: Path) -> None:
    cert = issue(golden_issuer, "vaccination", {"fn": "Иванова", "gn": "Мария"})
    text = print_and_read(cert, tmp_path, "de")
    for needle in ("Иванова", "Мария", "IVANOVA<<MARIIA"):
        assert needle in text, f"{needle!r} missing from the page text:\n{text}"
    assert "Musterfrau" not in text


def test_default_language_is_german_and_en_is_english_only(golden_issuer: dcc_kit.Issuer, tmp_path: Path) -> None:
    cert = issue(golden_issuer, "recovery")
    (tmp_path / "default.pdf").write_bytes(cert.to_pdf())
    text = run("pdftotext", "-enc", "UTF-8", str(tmp_path / "default.pdf"), "-")
    assert TITLE["de"] in text and HEADING["recovery"]["de"] in text
    (tmp_path / "en.pdf").write_bytes(cert.to_pdf(language="en"))
    text = run("pdftotext", "-enc", "UTF-8", str(tmp_path / "en.pdf"), "-")
    assert TITLE["en"] in text
    assert TITLE["de"] not in text and TITLE["fr"] not in text


@pytest.mark.parametrize("language", ["es", "DE", "", "de-AT", "english"])
def test_bad_language_is_invalid_options(golden_issuer: dcc_kit.Issuer, language: str) -> None:
    cert = issue(golden_issuer, "vaccination")
    with pytest.raises(dcc_kit.InvalidOptionsError) as raised:
        cert.to_pdf(language=language)
    assert raised.value.code == "invalid_options"
    assert isinstance(raised.value, dcc_kit.DccError)
    assert raised.value.message


def test_language_of_the_wrong_type_is_invalid_options(golden_issuer: dcc_kit.Issuer) -> None:
    cert = issue(golden_issuer, "vaccination")
    with pytest.raises(dcc_kit.InvalidOptionsError) as raised:
        cert.to_pdf(language=None)  # type: ignore[arg-type]
    assert raised.value.code == "invalid_options"
