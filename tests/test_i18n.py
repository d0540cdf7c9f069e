"""The core's own formatter (never the OS locale), and the locale files' shape."""

import tomllib
from pathlib import Path

import pytest

from app.engine.amounts import Amount
from app.i18n.locale import Locale

LOCALES = Path(__file__).parent.parent / "locales"


def amount(lo, hi, period="once"):
    return Amount(lo, hi, period, ("amount.fixed", {}))


@pytest.mark.parametrize("lo,hi,period,zh,en", [
    (0, 0, "once", "0元", "CNY 0"),
    (3_000_000, 3_000_000, "once", "300万元", "CNY 3,000,000"),
    (300_000, 300_000, "year", "30万元/年", "CNY 300,000 per year"),
    (1000, 3000, "month", "1000元至3000元/月", "CNY 1,000 to CNY 3,000 per month"),
    (0, 1_000_000, "year", "最高100万元/年", "up to CNY 1,000,000 per year"),
    (125_000, 125_000, "once", "12.5万元", "CNY 125,000"),
    (200_000_000, 200_000_000, "once", "2亿元", "CNY 200,000,000"),
])
def test_amounts_per_language(lo, hi, period, zh, en):
    assert Locale("zh_CN").amount(amount(lo, hi, period)) == zh
    assert Locale("en").amount(amount(lo, hi, period)) == en


def test_unknown_and_absent_amounts():
    assert Locale("zh_CN").amount(None) == "未注明金额"
    assert Locale("en").amount(None) == "No amount stated"
    assert Locale("en").amount(Amount(None, None, "once", ("amount.percent.unknown", {}))).startswith("More information")


def _flat(d, p=""):
    out = set()
    for k, v in d.items():
        out |= _flat(v, f"{p}{k}.") if isinstance(v, dict) else {p + k}
    return out


def test_both_interface_locales_have_the_same_keys():
    """zh_CN.toml and en.toml, and every zh_CN.<part>.toml and its en.<part>.toml."""
    parts = [p.name[len("zh_CN"):] for p in LOCALES.glob("zh_CN*.toml")]
    assert {".toml", ".clients.toml", ".batch.toml", ".catalog_store.toml"} <= set(parts)
    for part in parts:
        zh = _flat(tomllib.loads((LOCALES / f"zh_CN{part}").read_text(encoding="utf-8")))
        en = _flat(tomllib.loads((LOCALES / f"en{part}").read_text(encoding="utf-8")))
        assert zh - en == set() and en - zh == set(), part


def test_language_names_normalise():
    assert Locale("en_US").lang == "en" and Locale("zh").lang == "zh_CN" and Locale("xx").lang == "zh_CN"


CJK = __import__("re").compile(r"[\u3400-\u9fff]")


@pytest.mark.parametrize("facts", [
    {"league": "wuhai", "entity_type": "individual", "sectors": ["catering"], "employees": 8, "revenue": 150.0},
    {"league": "hohhot", "entity_type": "company", "sectors": ["elderly_care", "health"], "employees": 60,
     "certifications": ["zjtx_sme"], "beds": 100, "beds_mode": "new"},
    {},
])
def test_english_results_have_no_chinese_outside_quotes_and_names(bundled, facts):
    import datetime as dt

    from app.engine.assessment import assess
    from app.render.report import to_json
    data = to_json(assess(bundled, facts, dt.date(2026, 11, 22), include_ineligible=True), Locale("en"))
    found = []
    for r in data["results"]:
        texts = [r["title"], r["summary"], r["valid"]["text"], *r["steps"], *r["reasons"], *r["missing"],
                 *r["materials"], *r["agencies_text"]["lead"], *r["agencies_text"]["partners"]]
        if r["amount"]:
            texts.append(r["amount"]["basis"])
        if r["group"]:
            texts.append(r["group"]["title"])
        found += [(r["id"], t) for t in texts if CJK.search(t)]
    assert found == []
