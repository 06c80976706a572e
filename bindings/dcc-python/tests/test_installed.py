"""The suite runs against the installed wheel, and the wheel ships its types."""

from __future__ import annotations

import importlib.metadata
import inspect
import re
from pathlib import Path

import dcc_kit
import dcc_kit._native
from conftest import ROOT


def test_imported_from_the_installed_wheel_not_the_source_tree() -> None:
    package = Path(dcc_kit.__file__).resolve().parent
    assert "site-packages" in package.parts
    assert ROOT.resolve() not in package.parents
    assert Path(dcc_kit._native.__file__).name.endswith(".abi3.so")


def test_typing_files_are_shipped() -> None:
    package = Path(dcc_kit.__file__).resolve().parent
    assert (package / "py.typed").exists()
    assert (package / "_native.pyi").exists()


def test_version_matches_the_crate_and_the_distribution() -> None:
    cargo = (ROOT / "Cargo.toml").read_text()
    match = re.search(r'^\[workspace\.package\][^\[]*?^version = "([^"]+)"', cargo, re.M | re.S)
    assert match
    assert dcc_kit.__version__ == match.group(1)
    assert importlib.metadata.version("dcc-kit") == dcc_kit.__version__


def test_public_names_are_documented() -> None:
    for name in dcc_kit.__all__:
        obj = getattr(dcc_kit, name)
        if inspect.isclass(obj) or inspect.isroutine(obj):
            assert obj.__doc__, name
    for cls in (
        dcc_kit.Issuer,
        dcc_kit.Verifier,
        dcc_kit.Certificate,
        dcc_kit.PreparedCertificate,
        dcc_kit.Verification,
        dcc_kit.Decoded,
        dcc_kit.SignerInfo,
        dcc_kit.Claims,
    ):
        for attr, member in vars(cls).items():
            if not attr.startswith("_"):
                assert member.__doc__, f"{cls.__name__}.{attr}"
