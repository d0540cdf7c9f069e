"""Where the bundled catalog and locales are, installed or in a source checkout."""

from __future__ import annotations

from pathlib import Path

_PKG = Path(__file__).resolve().parent.parent          # .../app
_DATA = _PKG / "data"                                   # wheel: policies.toml + locales/ here
_REPO = _PKG.parent                                     # source checkout: top level


def bundled_catalog() -> Path:
    for candidate in (_DATA / "policies.toml", _REPO / "policies.toml"):
        if candidate.is_file():
            return candidate
    return _REPO / "policies.toml"


def locales_dir() -> Path:
    for candidate in (_DATA / "locales", _REPO / "locales"):
        if candidate.is_dir():
            return candidate
    return _REPO / "locales"
