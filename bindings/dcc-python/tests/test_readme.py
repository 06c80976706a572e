"""The README's quick start runs as written."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from conftest import EXAMPLES

README = Path(__file__).resolve().parents[1] / "README.md"


def quick_start() -> str:
    text = README.read_text()
    section = text.split("## Quick start", 1)[1]
    match = re.search(r"```python\n(.*?)```", section, re.S)
    assert match, "the README has a python quick start"
    return match.group(1)


def test_quick_start_is_at_most_10_lines() -> None:
    lines = [line for line in quick_start().splitlines() if line.strip()]
    assert len(lines) <= 10, lines


def test_quick_start_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copy(EXAMPLES / "vaccination.json", tmp_path / "vaccination.json")
    monkeypatch.chdir(tmp_path)
    exec(compile(quick_start(), str(README), "exec"), {"__name__": "__readme__"})
    png = (tmp_path / "qr.png").read_bytes()
    assert png.startswith(b"\x89PNG")
