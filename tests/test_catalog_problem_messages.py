"""Catalog problems in the user's language: every problem the engine and the catalog storage make
has a message key (app/engine/problems.py) that both locales word; ``catalog check`` and the app's
problem screen say them in Chinese or English with PATH:LINE: kept, and the English is the text
``Problem.message`` always had."""

from __future__ import annotations

import re
import string
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from app.engine.catalog import Problem
from app.engine.problems import KEYS, MESSAGES, PREFIX, Msg
from app.i18n.locale import Locale
from app.storage.catalog_files import check_catalog

ROOT = Path(__file__).parent.parent
LOCALES = ROOT / "locales"
CJK = re.compile(r"[\u3400-\u9fff]")
ESC, CSI = "\x1b", "\x9b"

BAD = """[catalog]
version = "1"
date = 2026-12-01

[[code]]
list = "sectors"
value = 3
label = "x"

[[question]]
fact = "employees"
section = "basic"
text = "员工人数"

[[document]]
id = "doc1"
title = "某文件"
articles = ["一"]

[[policy]]
id = "svc-x"
title = "测试"
summary = "测试"
kind = "subsidy"
sources = [{ doc = "doc1", article = "一", quote = "原文" }]
lead = ["某局"]
steps = ["一", "二"]
conditions = [{ all = [{ fact = "employees", gte = 1 }, { fact = "foo\\u001b[2J", eq = 1 }] }]
amount = { kind = "fixed", value = -5 }
valid_from = "soon"
"""

# the English each problem said before problems had keys (line: message)
BAD_ENGLISH = [
    "5: code: needs text 'value' and 'label'",
    "30: policy svc-x: bad date in valid_from",
    "28: policy svc-x: conditions[0].all[1]: unknown fact 'foo[2J'",
    "29: policy svc-x: amount: 'value' must be a non-negative number of yuan (at most 1e+12)",
    "20: policy svc-x: needs at least one [[policy.example]]",
]


def _flat(d: dict, p: str = "") -> dict:
    out = {}
    for k, v in d.items():
        out.update(_flat(v, f"{p}{k}.") if isinstance(v, dict) else {p + k: v})
    return out


def _locale_file(lang: str) -> dict:
    return _flat(tomllib.loads((LOCALES / f"{lang}.catalog_problems.toml").read_text(encoding="utf-8")))


def _names(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def run(*args):
    return subprocess.run([sys.executable, "-m", "app", *args], capture_output=True, text=True,
                          encoding="utf-8", cwd=ROOT, timeout=60)


@pytest.fixture
def bad(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text(BAD, encoding="utf-8")
    return path


# ---------------------------------------------------------------- keys and locales

def _keys_in_source() -> set[str]:
    """Every Msg("…") key the engine, the storage and the screens use, found in their source."""
    found = set()
    for folder in ("app", "screens"):
        for path in (ROOT / folder).rglob("*.py"):
            found |= set(re.findall(r'\bMsg\(\s*"([a-z0-9_]+)"', path.read_text(encoding="utf-8")))
    return found


def test_every_key_in_the_source_is_registered_and_every_registered_key_is_used():
    used = _keys_in_source()
    assert used, "no Msg(...) found: the scan is broken"
    assert used - set(MESSAGES) == set()
    assert set(MESSAGES) - used == set()


def test_every_key_is_worded_in_both_languages_with_the_same_placeholders():
    zh, en = _locale_file("zh_CN"), _locale_file("en")
    for key in KEYS:
        english = MESSAGES[key[len(PREFIX):]]
        assert en.get(key) == english, key                 # the English is the engine's, exactly
        assert isinstance(zh.get(key), str) and CJK.search(zh[key]), key
        assert _names(zh[key]) == _names(english), key
    extra = {k for k in zh if k.startswith(PREFIX)} - set(KEYS)
    assert extra == set()
    for lang in ("zh_CN", "en"):
        loc = Locale(lang)
        assert all(loc.has(k) for k in KEYS), lang


def test_i18n_check_lists_nothing_missing():
    out = run("i18n", "check", "--lang", "en")
    assert out.returncode == 0 and out.stdout.strip().endswith("0 missing (en)"), out.stdout


def test_no_problem_is_made_without_a_key():
    """Problem(...) with a bare message is gone from the engine and the storage: every problem is
    made by Problem.of(path, line, Msg(...)) or is the store's own keyed StoreProblem."""
    for folder in ("app/engine", "app/storage"):
        for path in (ROOT / folder).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            assert not re.search(r"(?<![\w.])Problem\(", text.replace("class Problem", "")), path


# ---------------------------------------------------------------- the problems themselves

def test_a_bad_catalog_keeps_its_english_and_gains_keys(bad):
    problems = check_catalog(bad)
    assert [str(p) for p in problems] == [f"{bad}:{line}" for line in BAD_ENGLISH]
    assert all(p.key in KEYS and p.key for p in problems)
    en, zh = Locale("en"), Locale("zh_CN")
    for p in problems:
        assert en.problem(p) == str(p)                     # English: as before, byte for byte
        said = zh.problem(p)
        assert said.startswith(f"{bad}:{p.line}: ") and CJK.search(said) and ESC not in said
    unknown = next(p for p in problems if p.key == "catalog.problem.cond_unknown_fact")
    assert unknown.params == {"where": "policy svc-x: conditions[0].all[1]", "name": "foo\x1b[2J"}
    assert zh.problem(unknown) == (f"{bad}:28: 政策 svc-x：conditions[0].all[1]："
                                   "条件用了目录里没有的信息项 'foo[2J'")


def test_nested_places_are_joined_in_the_locale():
    msg = Msg("cond_unknown_fact", where="tiers[0].when", name="x").within("amount").within("policy p")
    assert msg == "policy p: amount: tiers[0].when: unknown fact 'x'"
    assert msg.params["where"] == "policy p: amount: tiers[0].when"
    p = Problem.of("c.toml", 4, msg)
    assert Locale("zh_CN").problem(p) == "c.toml:4: 政策 p：金额：tiers[0].when：条件用了目录里没有的信息项 'x'"
    assert Locale("en").problem(p) == str(p)


def test_reading_problems_have_keys(tmp_path):
    missing = check_catalog(tmp_path / "nowhere.toml")
    assert [p.key for p in missing] == ["catalog.problem.read_no_file"]
    assert missing[0].message == "file not found"
    assert Locale("zh_CN").problem_message(missing[0]) == "找不到文件"
    not_utf8 = tmp_path / "gbk.toml"
    not_utf8.write_bytes("[catalog]\ntitle = '政策'\n".encode("gbk"))
    assert [p.key for p in check_catalog(not_utf8)] == ["catalog.problem.not_utf8"]
    broken = tmp_path / "broken.toml"
    broken.write_text("[catalog\n", encoding="utf-8")
    (p,) = check_catalog(broken)
    assert p.key == "catalog.problem.not_toml" and p.message.startswith("not valid TOML: ")
    assert Locale("zh_CN").problem_message(p).startswith("文件格式有错")


def test_hostile_catalogs_problems_all_have_keys_and_the_same_english(tmp_path):
    from test_hostile_catalog import HOSTILE
    for name, text in HOSTILE.items():
        path = tmp_path / f"{name}.toml"
        path.write_text(text, encoding="utf-8")
        problems = check_catalog(path)
        assert problems, name
        for p in problems:
            assert p.key, (name, p)
            assert Locale("en").problem(p) == str(p), (name, p)
            assert CJK.search(Locale("zh_CN").problem_message(p)), (name, p)


# ---------------------------------------------------------------- the command line

def test_catalog_check_speaks_chinese_with_path_and_line(bad):
    out = run("catalog", "check", str(bad), "--lang", "zh_CN")
    assert out.returncode == 2 and ESC not in out.stdout and CSI not in out.stdout
    lines = out.stdout.splitlines()
    assert len(lines) == len(BAD_ENGLISH)
    for line, english in zip(lines, BAD_ENGLISH):
        number = english.split(":", 1)[0]
        assert line.startswith(f"{bad}:{number}: ") and CJK.search(line), line
        assert english.split(": ", 1)[1] not in line
    assert f"{bad}:28: 政策 svc-x：conditions[0].all[1]：条件用了目录里没有的信息项 'foo[2J'" in lines


def test_catalog_check_in_english_is_as_before(bad):
    out = run("catalog", "check", str(bad), "--lang", "en")
    assert out.returncode == 2
    assert out.stdout.splitlines() == [f"{bad}:{line}" for line in BAD_ENGLISH]


def test_catalog_install_refuses_in_chinese(bad):
    out = run("catalog", "install", str(bad), "--lang", "zh_CN")     # conftest: a test data folder
    assert out.returncode == 2
    assert f"{bad}:28: 政策 svc-x：conditions[0].all[1]：条件用了目录里没有的信息项 'foo[2J'" in out.stderr
    assert "unknown fact" not in out.stderr


# ---------------------------------------------------------------- the app's problem screen

@pytest.mark.parametrize("lang", ["zh_CN", "en"])
async def test_problem_screen_says_the_problems_in_the_apps_language(bad, lang):
    from textual.widgets import Static
    from tui_driver import SIZE, make_app, screen_name, text_of, wait_ready
    app = make_app(lang, catalog=bad)
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(pilot)
        await pilot.pause()
        assert screen_name(app) == "CatalogProblemScreen"
        lines = [text_of(w) for w in app.screen.query(Static) if w.has_class("problem-line")]
        assert len(lines) == len(BAD_ENGLISH)
        assert all(ESC not in line and CSI not in line for line in lines)
        if lang == "zh_CN":
            assert f"{bad}:28: 政策 svc-x：conditions[0].all[1]：条件用了目录里没有的信息项 'foo[2J'" in lines
            assert all(CJK.search(line.split(": ", 1)[1]) for line in lines)
        else:
            assert lines == [f"{bad}:{line}" for line in BAD_ENGLISH]
