import datetime as dt
import os
import tempfile
from pathlib import Path

import pytest

from app.core.catalog import load_catalog

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


@pytest.fixture(scope="session")
def mini():
    return load_catalog(DATA / "mini.toml")


@pytest.fixture(scope="session")
def bundled():
    return load_catalog(ROOT / "policies.toml")


TODAY = dt.date(2026, 11, 22)
