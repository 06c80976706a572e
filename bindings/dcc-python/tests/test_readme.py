"""The README's quick start, Revocation and Issuance ledger blocks run as written."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from conftest import EXAMPLES

README = Path(__file__).resolve().parents[1] / "README.md"


def block(title: str) -> str:
    """The first python block of the README section ``## title``."""
    text = README.read_text()
    assert f"\n## {title}\n" in text, f"the README has a {title} section"
    section = text.split(f"\n## {title}\n", 1)[1].split("\n## ", 1)[0]
    match = re.search(r"```python\n(.*?)```", section, re.S)
    assert match, f"the README's {title} section has a python block"
    return match.group(1)


def quick_start() -> str:
    return block("Quick start")


def run(code: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copy(EXAMPLES / "vaccination.json", tmp_path / "vaccination.json")
    monkeypatch.chdir(tmp_path)
    exec(compile(code, str(README), "exec"), {"__name__": "__readme__"})


def test_quick_start_is_at_most_10_lines() -> None:
    lines = [line for line in quick_start().splitlines() if line.strip()]
    assert len(lines) <= 10, lines


def test_quick_start_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    run(quick_start(), tmp_path, monkeypatch)
    png = (tmp_path / "qr.png").read_bytes()
    assert png.startswith(b"\x89PNG")


def test_revocation_block_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    code = block("Revocation")
    assert "with_revocation" in code and "revocation_hashes()" in code
    run(code, tmp_path, monkeypatch)


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
