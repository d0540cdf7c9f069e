"""No layer below the screens imports textual or rich (as harlequin's test does): each module in
a fresh interpreter, then sys.modules is inspected. The finer layer rules (the engine imports no
storage, rendering or i18n) are import-linter contracts in pyproject.toml, run by
tests/test_layers.py."""

import pkgutil
import subprocess
import sys

import pytest

import app.engine
import app.i18n
import app.render
import app.storage

PACKAGES = (app.engine, app.storage, app.render, app.i18n)
MODULES = sorted(f"{pkg.__name__}.{m.name}" for pkg in PACKAGES for m in pkgutil.iter_modules(pkg.__path__))


def test_there_are_engine_modules():
    assert {"app.engine.catalog", "app.engine.rules", "app.engine.amounts", "app.engine.assessment",
            "app.engine.ranking", "app.engine.planner", "app.engine.profile"} <= set(MODULES)


@pytest.mark.parametrize("module", MODULES + ["app.cli", "app.batch"])
def test_module_imports_no_ui(module):
    code = (f"import sys, {module}; bad = [m for m in sys.modules "
            "if m.split('.')[0] in ('textual', 'rich')]; print(','.join(bad))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"{module} pulls in {out.stdout.strip()}"


def test_the_first_screen_does_not_load_the_rule_engine():
    """Start-up: the App module and the home screen paint before the catalog is read, so they must
    not pull in the rule engine, the assessment or the planner (they load with the catalog)."""
    code = ("import sys, screens.app, screens.home; heavy = ('app.engine.rules', 'app.engine.catalog', "
            "'app.engine.assessment', 'app.engine.planner'); "
            "print(','.join(m for m in heavy if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"loaded at start-up: {out.stdout.strip()}"
