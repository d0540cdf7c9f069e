import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent


def run(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "app", *args], capture_output=True, text=True,
                          cwd=cwd, encoding="utf-8")


BAD = [
    ('[business]\nemployees = "eight"\n', "business.employees"),
    ("[business]\nemployees = -3\n", "business.employees"),
    ("[business]\nrevenue = -1.0\n", "business.revenue"),
    ("[business]\nemployees = 2.5\n", "business.employees"),
    ('[business]\nleague = "atlantis"\n', "business.league"),
    ('[business]\nsectors = "catering"\n', "business.sectors"),
    ('[business]\nsectors = ["catering", "spaceflight"]\n', "business.sectors"),
    ('[business]\nfounded = "2021-03-15"\n', "business.founded"),
    ('[situation]\ndifficulty = "yes"\n', "situation.difficulty"),
    ('[plans]\nbeds_mode = "castle"\n', "plans.beds_mode"),
    ('business = 5\n', "business"),
]


@pytest.mark.parametrize("text,field", BAD)
def test_bad_profile_exits_2_with_one_line_naming_the_field(tmp_path, text, field):
    p = tmp_path / "client.toml"
    p.write_text(text, encoding="utf-8")
    out = run("assess", str(p), "--format", "json")
    assert out.returncode == 2
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1, out.stderr
    assert str(p) in lines[0] and field in lines[0]
    assert "Traceback" not in out.stderr and out.stdout == ""


@pytest.mark.parametrize("content,word", [
    (b"[business\nname = 1", "TOML"),
    (b"\xff\xfe\x00garbage", "UTF-8"),
])
def test_unreadable_profile_exits_2(tmp_path, content, word):
    p = tmp_path / "broken.toml"
    p.write_bytes(content)
    out = run("assess", str(p), "--lang", "en")
    assert out.returncode == 2 and len(out.stderr.strip().splitlines()) == 1
    assert word in out.stderr and "Traceback" not in out.stderr


def test_missing_file_exits_2(tmp_path):
    out = run("assess", str(tmp_path / "nope.toml"))
    assert out.returncode == 2 and "nope.toml" in out.stderr


def test_unknown_fields_are_warned_and_kept(tmp_path):
    from app.engine.facts import FactRegistry
    from app.storage.profile_files import load_profile
    p = tmp_path / "c.toml"
    p.write_text('[business]\nemployees = 5\nfavourite_colour = "red"\n[extra]\nx = 1\n', encoding="utf-8")
    prof = load_profile(p, FactRegistry())
    assert prof.facts == {"employees": 5}
    assert ("warn.unknown_field", {"field": "business.favourite_colour"}) in prof.warnings
    assert prof.raw["extra"] == {"x": 1}


def test_bad_as_of_exits_2(tmp_path):
    p = tmp_path / "c.toml"
    p.write_text("[business]\nemployees = 5\n", encoding="utf-8")
    out = run("assess", str(p), "--as-of", "2026-13-01")
    assert out.returncode == 2 and "2026-13-01" in out.stderr
