import datetime as dt
import os
import tempfile
from pathlib import Path

import pytest

from app.storage.catalog_files import load_catalog

DATA = Path(__file__).parent / "data"
# The parse cache of catalogs goes to a folder of this test run, never the user's own.
os.environ.setdefault("HUIQI_CACHE_DIR", tempfile.mkdtemp(prefix="huiqi-test-cache-"))
ROOT = Path(__file__).parent.parent


@pytest.fixture(autouse=True)
def _private_config(tmp_path, monkeypatch):
    """Tests never read or write the real user's settings, clients or installed catalogs."""
    monkeypatch.setenv("HUIQI_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("HUIQI_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("HUIQI_LANG", raising=False)


@pytest.fixture(autouse=True)
def _full_colour_terminal(monkeypatch):
    """The app picks a 16-colour theme on a 16-colour terminal (TERM=xterm, or no TERM); tests
    see a full-colour one unless they set up another, so pictures do not depend on the TERM of
    whoever runs them. Textual reads TEXTUAL_COLOR_SYSTEM when imported, hence the constant."""
    import textual.constants
    monkeypatch.setattr(textual.constants, "COLOR_SYSTEM", "truecolor")
    monkeypatch.delenv("TEXTUAL_COLOR_SYSTEM", raising=False)
    monkeypatch.delenv("HUIQI_THEME", raising=False)


@pytest.fixture(scope="session")
def mini():
    return load_catalog(DATA / "mini.toml")


@pytest.fixture(scope="session")
def bundled():
    return load_catalog(ROOT / "policies.toml")


TODAY = dt.date(2026, 11, 22)
