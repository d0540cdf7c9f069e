"""Where the bundled catalog and locales are, installed or in a source checkout; and the user's
data folder (saved clients, installed catalogs) and settings folder."""

from __future__ import annotations

import os
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


def _user_dir(env: str, kind: str) -> Path:
    """A platformdirs folder of ours, unless the environment variable ``env`` moves it."""
    override = os.environ.get(env)
    if override:
        return Path(override)
    import platformdirs
    return Path(getattr(platformdirs, f"user_{kind}_dir")("huiqi", appauthor=False))


def data_dir() -> Path:
    """The user's data folder (platformdirs); HUIQI_DATA_DIR moves it (tests, a shared drive)."""
    return _user_dir("HUIQI_DATA_DIR", "data")


def config_dir() -> Path:
    """The user's settings folder (platformdirs); HUIQI_CONFIG_DIR moves it."""
    return _user_dir("HUIQI_CONFIG_DIR", "config")


def clients_dir() -> Path:
    return data_dir() / "clients"


def catalogs_dir() -> Path:
    return data_dir() / "catalogs"


def exports_dir(create: bool = False) -> Path:
    """Where the app exports handouts unless told otherwise: ``exports`` in the data folder, made
    readable by its owner only (0700) when ``create`` finds it missing. Handouts name a client,
    so they do not belong in whatever folder the app was started from."""
    folder = data_dir() / "exports"
    if create and not folder.is_dir():
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        try:
            os.chmod(folder, 0o700)          # whatever the umask
        except OSError:
            pass
    return folder
