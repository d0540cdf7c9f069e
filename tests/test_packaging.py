"""Packaging (issue item 15). The wheel installs the top-level packages ``app`` and ``screens``
(the contract needs ``python -m app assess``); ``python -m`` looks in the current folder first,
so in a folder with its own ``app/`` another program runs. The README leads with the ``huiqi``
console script, ``--version`` says which app answers, and a folder with its own ``screens/`` is
named in a clear message instead of an import error."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).parent.parent


def run(args, cwd, **env):
    environ = dict(os.environ, PYTHONPATH=str(ROOT), **env)
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, cwd=cwd,
                          encoding="utf-8", env=environ, timeout=120)


def test_version_says_which_app_this_is_and_where_it_lives():
    out = run(["-m", "app", "--version"], ROOT)
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("huiqi 0.1.0 (惠企自测 Huiqi) ")
    assert Path(out.stdout.split(") ", 1)[1].strip()).resolve() == (ROOT / "app").resolve()


def test_a_folder_with_its_own_screens_is_named_clearly(tmp_path):
    (tmp_path / "screens").mkdir()
    (tmp_path / "screens" / "__init__.py").write_text("", encoding="utf-8")
    for lang, words in (("en", "not this program's"), ("zh_CN", "不是本程序的")):
        out = run(["-m", "app"], tmp_path, HUIQI_LANG=lang, HUIQI_CONFIG_DIR=str(tmp_path / "cfg"))
        assert out.returncode == 2
        assert words in out.stderr and str(tmp_path / "screens") in out.stderr, out.stderr
        assert "huiqi" in out.stderr and "Traceback" not in out.stderr


def test_a_folder_with_its_own_app_runs_that_one_and_the_ways_round_it(tmp_path):
    """The pitfall the README describes, and the two ways round it it gives."""
    other = tmp_path / "app"
    other.mkdir()
    (other / "__init__.py").write_text("", encoding="utf-8")
    (other / "__main__.py").write_text("print('another app')\n", encoding="utf-8")
    assert run(["-m", "app", "--version"], tmp_path).stdout.strip() == "another app"
    assert run(["-P", "-m", "app", "--version"], tmp_path).stdout.startswith("huiqi ")
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]
    assert scripts == {"huiqi": "app.cli:main"}
    huiqi = Path(sys.executable).with_name("huiqi.exe" if os.name == "nt" else "huiqi")
    if huiqi.exists():                # installed: a console script never looks in the folder
        out = subprocess.run([str(huiqi), "--version"], capture_output=True, text=True, cwd=tmp_path,
                             encoding="utf-8", env=dict(os.environ, PYTHONPATH=str(ROOT)), timeout=120)
        assert out.stdout.startswith("huiqi "), out.stderr


def test_the_readme_set_up_leads_with_huiqi_and_ci_runs_its_test_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    setup = readme.split("## Set-up", 1)[1].split("\n## ", 1)[0]
    install_and_run, install_and_test = re.findall(r"```sh\n(.*?)\n```", setup, re.S)
    assert install_and_run == "python -m pip install . && huiqi"
    assert install_and_test == ('python -m pip install ".[test]" && lint-imports && '
                                'python -m pytest -q -p no:cacheprovider')
    assert install_and_test in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert "python -P -m app" in readme                                 # the pitfall, documented
