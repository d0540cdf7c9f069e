"""The core never imports textual or rich (as harlequin's test does): each module in a fresh
interpreter, then sys.modules is inspected."""

import pkgutil
import subprocess
import sys

import pytest

import app.core

CORE_MODULES = sorted(f"app.core.{m.name}" for m in pkgutil.iter_modules(app.core.__path__))


def test_there_are_core_modules():
    assert {"app.core.catalog", "app.core.conditions", "app.core.amounts",
            "app.core.assess", "app.core.profile"} <= set(CORE_MODULES)


@pytest.mark.parametrize("module", CORE_MODULES + ["app.cli"])
def test_core_module_imports_no_ui(module):
    code = (f"import sys, {module}; bad = [m for m in sys.modules "
            "if m.split('.')[0] in ('textual', 'rich')]; print(','.join(bad))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"{module} pulls in {out.stdout.strip()}"
