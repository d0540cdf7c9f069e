"""The layers hold: `lint-imports` checks the import-linter contracts in pyproject.toml (the
engine imports no storage, rendering, i18n, commands or UI; each layer only those below it).

Run as a test so CI's one test command covers it; a broken contract fails with lint-imports'
own report of the offending import chain."""

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_import_linter_contracts_hold():
    exe = shutil.which("lint-imports", path=str(Path(sys.executable).parent)) or shutil.which("lint-imports")
    assert exe, "import-linter is a test dependency (pyproject [project.optional-dependencies] test)"
    out = subprocess.run([exe, "--no-cache"], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0, out.stdout[-4000:] + out.stderr[-2000:]
    assert "3 kept, 0 broken" in out.stdout


def test_a_broken_contract_is_caught(tmp_path):
    """The check can fail: an engine module importing storage breaks the first contract."""
    probe = ROOT / "app" / "engine" / "_layer_probe.py"
    probe.write_text("from app.storage import paths  # noqa: F401\n")
    try:
        exe = shutil.which("lint-imports", path=str(Path(sys.executable).parent)) or shutil.which("lint-imports")
        out = subprocess.run([exe, "--no-cache"], cwd=ROOT, capture_output=True, text=True)
    finally:
        probe.unlink()
    assert out.returncode != 0
    assert "app.engine._layer_probe -> app.storage.paths" in out.stdout
