"""Untrusted text (client names, catalog text) is escaped in every format."""

import datetime as dt

from app.engine.assessment import assess
from app.i18n.locale import Locale
from app.render.report import render_html, render_md, render_text

NASTY = '<script>alert(1)</script>[bold]x[/bold]\x1b[31m**y**'


def test_escaping_everywhere(mini):
    a = assess(mini, {"certifications": ["zjtx_sme"]}, dt.date(2022, 6, 1))
    a.catalog.policy("tiered-award").title = NASTY
    try:
        loc = Locale("zh_CN")
        html = render_html(a, loc, NASTY)
        assert "<script>" not in html and "&lt;script&gt;" in html
        md = render_md(a, loc, NASTY)
        assert "<script>" not in md and "\\*\\*y\\*\\*" in md
        for text in (html, md, render_text(a, loc, NASTY)):
            assert "\x1b" not in text
    finally:
        a.catalog.policy("tiered-award").title = "认定奖励"


def test_money_and_dates_per_language():
    zh, en = Locale("zh_CN"), Locale("en")
    assert zh.money(300000) == "30万元" and en.money(300000) == "CNY 300,000"
    assert zh.money(0) == "0元" and en.money(0) == "CNY 0"
    assert zh.money(5000) == "5000元" and zh.money(3_000_000) == "300万元"
    assert zh.money(125000) == "12.5万元" and zh.money(200_000_000) == "2亿元"
    assert zh.date(dt.date(2022, 4, 6)) == "2022年4月6日" and en.date(dt.date(2022, 4, 6)) == "6 Apr 2022"


def test_handout_stays_short(bundled):
    """The HTML handout details the apply-now items (at most DETAILED), lists at most SHORT confirm
    and SHORT pursue items as table rows, and only counts the rest (channels, ended) — however many
    results there are (checked to print on one A4 page in Chinese for most personas, via headless
    Chromium in bench/bench_relevance.py)."""
    from app.render.report import DETAILED, SHORT
    facts = {"league": "wuhai", "entity_type": "individual", "sectors": ["catering"], "employees": 8,
             "revenue": 150.0, "certifications": []}
    a = assess(bundled, facts, dt.date(2026, 11, 22))
    assert a.by_section("channels") and a.by_section("ended")
    page = render_html(a, Locale("zh_CN"), "老王家常菜馆")
    assert page.count('<div class="policy">') == min(DETAILED, len(a.by_section("apply_now")))
    rows = page.count("<tr><td>")
    assert rows <= 3 + 2 * SHORT                         # meta table rows + two short tables
    assert "<h2>已结束" not in page and "已结束、可能已停止、征求意见稿 " in page   # only counted