"""The assess command's JSON per CONTRACT section 2, and the other formats."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
DATA = Path(__file__).parent / "data"
STATUSES = {"eligible", "possible", "near_miss", "expired", "not_yet", "draft", "ineligible"}


def run(*args):
    return subprocess.run([sys.executable, "-m", "app", *args], capture_output=True, text=True,
                          cwd=ROOT, encoding="utf-8")


@pytest.fixture
def profile(tmp_path):
    p = tmp_path / "client.toml"
    p.write_text("""
[business]
name = "某某餐馆"
league = "wuhai"
entity_type = "individual"
sectors = ["elderly_care"]
employees = 8
revenue = 150.0
certifications = ["zjtx_sme"]
[plans]
beds = 20
cloud_spend = 100.0
""", encoding="utf-8")
    return p


def test_contract_json(profile):
    out = run("assess", str(profile), "--format", "json", "--as-of", "2022-06-01",
              "--catalog", str(DATA / "mini.toml"))
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["as_of"] == "2022-06-01"
    assert data["catalog"] == {"version": "test-1", "policies": 7, "date": "2026-01-01"}
    assert data["profile"]["derived"]["size_class"] == "micro"
    # an individual (个体工商户) pays no enterprise income tax: never a 小型微利企业, whatever its income
    assert data["profile"]["derived"]["small_low_profit"] is False
    results = {r["id"]: r for r in data["results"]}
    for r in data["results"]:
        assert set(r) >= {"id", "title", "status", "score", "amount", "sources", "agencies",
                          "steps", "valid", "reasons", "missing"}
        assert r["status"] in STATUSES - {"ineligible"}
        assert 0 <= r["score"] <= 1 and len(r["steps"]) >= 2
        assert set(r["agencies"]) == {"lead", "partners"}
        for s in r["sources"]:
            assert set(s) >= {"document", "article", "issued", "quote"}
    scores = [r["score"] for r in data["results"]]
    assert scores == sorted(scores, reverse=True)
    cloud = results["cloud"]
    assert cloud["status"] == "eligible"
    assert cloud["amount"]["min"] == cloud["amount"]["max"] == 200000
    assert cloud["amount"]["currency"] == "CNY" and "20%" in cloud["amount"]["basis"]
    assert cloud["valid"]["from"] == "2022-01-01" and cloud["valid"]["until"] == "2022-12-31"
    assert cloud["sources"][0]["document"] == "内蒙古自治区促进服务业发展政策"
    assert cloud["sources"][0]["issued"] == "2022-04-06"
    assert results["tiered-award"]["amount"]["max"] == 500000
    assert results["draft-thing"]["status"] == "draft" and results["draft-thing"]["amount"] is None


def test_all_includes_ineligible_and_default_as_of_is_today(profile):
    import datetime as dt
    out = run("assess", str(profile), "--format", "json", "--all", "--catalog", str(DATA / "mini.toml"))
    data = json.loads(out.stdout)
    assert data["as_of"] == dt.date.today().isoformat()
    assert len(data["results"]) == 7
    assert {r["id"]: r["status"] for r in data["results"]}["young-firms"] == "eligible"
    assert {r["id"]: r["status"] for r in data["results"]}["cloud"] == "expired"


@pytest.mark.parametrize("fmt,marker", [("text", "惠企政策自测报告"), ("md", "# 惠企政策自测报告"),
                                        ("html", "<!DOCTYPE html>")])
def test_other_formats(profile, fmt, marker):
    out = run("assess", str(profile), "--format", fmt, "--as-of", "2022-06-01",
              "--catalog", str(DATA / "mini.toml"))
    assert out.returncode == 0 and marker in out.stdout
    assert "上云补助" in out.stdout and "20万元" in out.stdout


def test_english_report(profile):
    out = run("assess", str(profile), "--format", "text", "--lang", "en", "--as-of", "2022-06-01",
              "--catalog", str(DATA / "mini.toml"))
    assert out.returncode == 0 and "CNY 200,000" in out.stdout and "Apply now" in out.stdout


def test_broken_catalog_exits_2_listing_problems(profile, tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('[catalog]\nversion = "x"\ndate = 2026-01-01\n[[policy]]\nid = "Bad Id"\n', encoding="utf-8")
    out = run("assess", str(profile), "--catalog", str(bad))
    assert out.returncode == 2 and f"{bad}:5:" in out.stderr and "Traceback" not in out.stderr


def test_catalog_commands_on_the_bundled_catalog():
    out = run("catalog", "check")
    assert out.returncode == 0 and out.stdout.strip().endswith("OK")
    out = run("catalog", "coverage")
    assert out.returncode == 0, out.stdout
    assert out.stdout.count("unaccounted: -") == 9     # nine documents, none with a gap
    assert "内蒙古自治区促进服务业发展政策" in out.stdout and "cited: 一/1" in out.stdout
    out = run("catalog", "examples")
    assert out.returncode == 0 and " 0 failed" in out.stdout


def test_catalog_check_exits_2_on_problems(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("[catalog]\nversion = 3\n", encoding="utf-8")
    out = run("catalog", "check", str(bad))
    assert out.returncode == 2 and f"{bad}:" in out.stdout
