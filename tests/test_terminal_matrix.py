"""The whole restaurant assessment on the terminals Huiqi meets: 80x24 and 120x40, each in full
colour, in 16 colours (TEXTUAL_COLOR_SYSTEM=standard, which picks the ansi-dark theme) and with
NO_COLOR=1 (Textual then turns every colour to grey, or drops colours under an ANSI theme).

At every size and mode: the results screen is reached without an exception, it lists what the
core's own assessment of the same answers says (bundled catalog), and nothing important is cut
off: every widget lies inside the terminal, the key bar is the last row and shows all its keys,
the total and the first result's whole title are drawn. The colours actually drawn are checked
too: only the 16 ANSI colours in 16-colour mode, only greys under NO_COLOR, and no text drawn
in its own background colour.
"""

from __future__ import annotations

import re

import pytest
import textual.constants
from rich.color import ColorSystem, ColorType
from textual.widgets import OptionList

from app.i18n.locale import Locale
from app.storage.paths import bundled_catalog
from app.render.report import title as policy_title
from screens.results import total_text
from screens.widgets import KeyBar
from tui_driver import (RESTAURANT, RESTAURANT_FACTS, core_assessment, drawn_lines, drawn_text, make_app,
                        screen_name, text_of, wait_ready, walk)

SIZES = [(80, 24), (120, 40)]
MODES = ["truecolor", "16-colour", "NO_COLOR"]
SYSTEM = {"truecolor": ColorSystem.TRUECOLOR, "16-colour": ColorSystem.STANDARD,
          "NO_COLOR": ColorSystem.TRUECOLOR}


@pytest.fixture(scope="module")
def expected():
    return core_assessment(RESTAURANT_FACTS, bundled_catalog())


def set_terminal(monkeypatch, mode: str) -> None:
    """The environment of such a terminal, set before the app is created (Textual reads
    TEXTUAL_COLOR_SYSTEM when it is imported, so the constant is set as well)."""
    for name in ("NO_COLOR", "HUIQI_THEME", "TEXTUAL_COLOR_SYSTEM"):
        monkeypatch.delenv(name, raising=False)
    system = "standard" if mode == "16-colour" else "truecolor"
    monkeypatch.setattr(textual.constants, "COLOR_SYSTEM", system)
    if mode == "16-colour":
        monkeypatch.setenv("TEXTUAL_COLOR_SYSTEM", "standard")
    if mode == "NO_COLOR":
        monkeypatch.setenv("NO_COLOR", "1")


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def check_colours(app, mode: str) -> None:
    """Only the colours the terminal has, and no text in its own background colour."""
    system = SYSTEM[mode]
    for y, line in enumerate(drawn_lines(app)):
        for seg in line:
            style = seg.style
            if style is None:
                continue
            colours = [c for c in (style.color, style.bgcolor) if c is not None]
            for c in colours:
                if mode == "16-colour":
                    assert c.type in (ColorType.DEFAULT, ColorType.STANDARD), (y, seg)
                elif mode == "NO_COLOR" and c.type != ColorType.DEFAULT:
                    r, g, b = c.get_truecolor()
                    assert r == g == b, ("colour under NO_COLOR", y, seg)
            if seg.text.strip() and len(colours) == 2 and ColorType.DEFAULT not in (c.type for c in colours):
                fg, bg = style.color.downgrade(system), style.bgcolor.downgrade(system)
                assert fg != bg, ("text drawn in its background colour", y, seg)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_restaurant_assessment(size, mode, monkeypatch, expected):
    set_terminal(monkeypatch, mode)
    width, height = size
    app = make_app("zh_CN", catalog=bundled_catalog())
    loc = Locale("zh_CN")
    async with app.run_test(size=size) as pilot:
        await walk(pilot, RESTAURANT)
        assert app.is_running, "the app stopped during the walk"
        assert screen_name(app) == "ResultsScreen"
        # the answers given are the restaurant's; what could not change the answer was not asked
        assert app.session.facts == {k: v for k, v in RESTAURANT_FACTS.items() if k in app.session.facts}
        assert expected.as_of and set(app.session.facts) >= {"name", "sectors", "league", "employees"}
        expected = core_assessment(app.session.facts, bundled_catalog())

        # the terminal as set up
        if mode == "16-colour":
            assert app.theme == "ansi-dark" and app.console.color_system == "standard"
        else:
            assert app.theme == "textual-dark"
        assert app.no_color == (mode == "NO_COLOR")
        check_colours(app, mode)

        # what is listed is what the core says, in its order
        listing = app.screen.query_one("#results-list", OptionList)
        listed = [o.id.split(":", 1)[1] for o in listing.options if o.id and o.id.startswith("policy:")]
        unfolded = [r.policy.id for s in ("apply_now", "confirm", "pursue") for r in expected.by_section(s)]
        assert expected.by_section("apply_now"), "a restaurant in Wuhai gets something"
        assert listed == unfolded          # the first three sections, in the core's order; the rest folded

        # nothing important cut off
        screen = app.screen.region
        assert screen == (0, 0, width, height)
        for widget in app.screen.query("*"):
            if widget.display and widget.region.area:
                assert screen.contains_region(widget.region), (widget, widget.region, screen)
        parts = [app.screen.query_one(q) for q in
                 ("#titlebar", "#results-summary", "#results-filters", "#results-list", "KeyBar")]
        for i, a in enumerate(parts):
            assert a.region.area, a
            for b in parts[i + 1:]:
                assert not a.region.overlaps(b.region), (a, a.region, b, b.region)
        assert listing.region.height >= 6, listing.region

        rows = drawn_text(app)
        assert len(rows) == height
        bar = app.screen.query_one(KeyBar)
        assert bar.region == (0, height - 1, width, 1)
        keys = text_of(bar).strip()
        assert keys and keys in rows[-1], (keys, rows[-1])            # every key it shows, whole
        for key, words in (("Esc", "ui.key.back"), ("F1", "ui.key.help"), ("F5", "ui.key.search")):
            assert f"{key} {loc.t(words)}" in rows[-1], (key, rows[-1])

        summary = app.screen.query_one("#results-summary")
        total = loc.t("ui.results.total", amount=total_text(expected, loc))
        assert total in "".join(drawn_text(app, summary.content_region)), total

        inside = "".join(drawn_text(app, listing.scrollable_content_region))
        now = expected.by_section("apply_now")
        head = loc.t("ui.results.group", status=loc.t("section.apply_now"), count=len(now))
        first = policy_title(now[0], loc).replace("“", "「").replace("”", "」")
        assert head in inside
        assert squash(first) in squash(inside), (first, inside)    # whole, even when wrapped


@pytest.mark.parametrize("term, colorterm, theme", [
    ("xterm", "", "ansi-dark"),                 # 16 colours: the bright white on cyan
    ("linux", "", "ansi-dark"),                 # the Linux console
    ("dumb", "", "ansi-dark"),                  # no colours at all
    ("xterm-256color", "", "textual-dark"),
    ("xterm", "truecolor", "textual-dark"),
])
async def test_the_theme_follows_the_colours_the_terminal_has(term, colorterm, theme, monkeypatch):
    """Nothing set but TERM (and COLORTERM): a terminal of 16 colours or fewer, as rich detects
    it, gets the ansi-dark theme (the terminal's own colours), with no truecolour drawn."""
    for name in ("NO_COLOR", "HUIQI_THEME", "TEXTUAL_COLOR_SYSTEM", "COLORTERM"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(textual.constants, "COLOR_SYSTEM", "auto")
    monkeypatch.setenv("TERM", term)
    if colorterm:
        monkeypatch.setenv("COLORTERM", colorterm)
    app = make_app("zh_CN")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_ready(pilot)
        assert app.theme == theme, (term, app.console.color_system)
        drawn = {c.type for line in drawn_lines(app) for seg in line if seg.style
                 for c in (seg.style.color, seg.style.bgcolor) if c is not None}
        if theme == "ansi-dark":
            assert drawn <= {ColorType.DEFAULT, ColorType.STANDARD}, drawn
        else:
            assert ColorType.TRUECOLOR in drawn


async def test_huiqi_theme_overrides_the_terminal(monkeypatch):
    monkeypatch.setattr(textual.constants, "COLOR_SYSTEM", "auto")
    monkeypatch.setenv("TERM", "xterm")
    monkeypatch.delenv("COLORTERM", raising=False)
    monkeypatch.setenv("HUIQI_THEME", "textual-light")
    app = make_app("zh_CN")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_ready(pilot)
        assert app.theme == "textual-light"
