"""Catalogs from a USB stick that try to break things. Whatever ``catalog check`` accepts every
command can use; anything else is a ``PATH:LINE: message`` problem from check, install and load
alike, never a crash, a hang or a terminal escape."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

from app.engine.catalog import CatalogError
from app.storage.catalog_files import check_catalog, load_catalog

ROOT = Path(__file__).parent.parent
MINI = (Path(__file__).parent / "data" / "mini.toml").read_text(encoding="utf-8")
PROBLEM = re.compile(r"^.+:\d+: .+$")

EXTRA_POLICY = """
[[policy]]
id = "extra"
title = "t"
summary = "s"
kind = "award"
sources = [{{ doc = "doc", article = "一/1", quote = "q" }}]
lead = ["x"]
steps = ["a", "b"]
{body}
[[policy.example]]
as_of = 2022-06-01
facts = {{ employees = 3 }}
status = "eligible"
"""


def _deep_not(n: int) -> str:
    key = ".".join(["not"] * n)
    return f'[[policy.conditions]]\n{key}.fact = "employees"\n{key}.gte = 1\n'


def _inline_not(n: int) -> str:
    cond = '{ fact = "employees", gte = 1 }'
    for _ in range(n):
        cond = "{ not = " + cond + " }"
    return f"conditions = [{cond}]"


HOSTILE = {
    "nan": MINI.replace("value = 1000000", "value = nan", 1),
    "inf": MINI.replace("value = 1000000", "value = inf", 1),
    "huge_int": MINI.replace("value = 1000000", "value = " + "9" * 400, 1),
    "huge_bound": MINI + EXTRA_POLICY.format(
        body='conditions = [{ fact = "employees", gte = ' + "9" * 400 + " }]"),
    "chinese_fact": MINI + '\n[[question]]\nfact = "员工"\nsection = "plans"\ntype = "bool"\n'
                           'table = "plans"\ntext = "x？"\n',
    "duplicate_choice": MINI + '\n[[question]]\nfact = "color"\nsection = "plans"\ntype = "code"\n'
                               'table = "plans"\ntext = "x？"\nchoices = [{value = "red", label = "红"},'
                               ' {value = "red", label = "红2"}]\n',
    "not_970": MINI + EXTRA_POLICY.format(body=_deep_not(970)),
    "not_10000": MINI + EXTRA_POLICY.format(body=_deep_not(10_000)),
    "not_970_inline": MINI + EXTRA_POLICY.format(body=_inline_not(970)),
    "not_21": MINI + EXTRA_POLICY.format(body=_inline_not(21)),
    "not_60_dotted": MINI + EXTRA_POLICY.format(body=_deep_not(60)),
}


@pytest.fixture
def hostile(tmp_path):
    def make(name: str) -> Path:
        path = tmp_path / f"{name}.toml"
        path.write_text(HOSTILE[name], encoding="utf-8")
        return path
    return make


def run(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "app", *args], capture_output=True, text=True,
                          encoding="utf-8", cwd=cwd or ROOT, timeout=60)


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_check_refuses_with_path_line_message(hostile, name):
    path = hostile(name)
    problems = check_catalog(path)
    assert problems, name
    with pytest.raises(CatalogError):
        load_catalog(path, use_cache=False)
    out = run("catalog", "check", str(path))
    assert out.returncode == 2, out.stdout + out.stderr
    lines = out.stdout.splitlines()
    assert lines and all(PROBLEM.match(line) and line.startswith(str(path)) for line in lines), lines
    assert "internal error" not in out.stdout + out.stderr


@pytest.mark.parametrize("name", ["nan", "huge_int", "chinese_fact", "duplicate_choice",
                                  "not_970", "not_10000"])
def test_install_assess_and_batch_refuse_it(hostile, name, tmp_path):
    path = hostile(name)
    profile = tmp_path / "p.toml"
    profile.write_text('[business]\nemployees = 3\ncertifications = ["zjtx_sme"]\n', encoding="utf-8")
    for args in (("catalog", "install", str(path)),
                 ("assess", str(profile), "--catalog", str(path), "--as-of", "2022-06-01"),
                 ("batch", str(profile), "--out", str(tmp_path / "out"), "--catalog", str(path))):
        out = run(*args)
        assert out.returncode == 2, (args, out.stdout, out.stderr)
        assert "internal error" not in out.stderr
        assert any(PROBLEM.match(line) for line in out.stderr.splitlines()), out.stderr


def test_values_within_bounds_still_pass(tmp_path):
    text = MINI.replace("value = 1000000", "value = 1e12", 1) + EXTRA_POLICY.format(
        body=_inline_not(19))
    path = tmp_path / "ok.toml"
    path.write_text(text, encoding="utf-8")
    assert [str(p) for p in check_catalog(path)] == []
