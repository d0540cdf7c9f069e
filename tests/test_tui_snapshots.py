"""Screen snapshots (pytest-textual-snapshot) of the key screens at 80x24, in both languages,
and one in 16 colours (the ansi-dark theme). The frozen tests/data/tui.toml and a fixed date keep
them the same from run to run. Update with: pytest tests/test_tui_snapshots.py --snapshot-update
"""

from __future__ import annotations

import pytest
from textual.widgets import Input

from tui_driver import RESTAURANT, answer, make_app, walk

FROZEN = dict(RESTAURANT, no_layoffs=True, smb_unemployment_premium_paid="2万", first_above_quota=True,
              procurement_bidding=False, new_certifications=[])
LANGS = ["zh_CN", "en"]


def still(app) -> None:
    """No blinking cursor in a picture."""
    for field in app.screen.query(Input):
        field.cursor_blink = False


async def at_home(pilot):
    from tui_driver import wait_ready
    await wait_ready(pilot)


async def at_question(pilot):
    """The employees question (asked in the planner's order), 12 typed, not yet confirmed; the
    answer so far shown above it."""
    from tui_driver import wait_ready
    app = pilot.app
    await wait_ready(pilot)
    await pilot.press("f3")
    await pilot.pause()
    while app.screen.current != "employees":
        await answer(pilot, FROZEN.get(app.screen.current))
        await pilot.pause()
    await pilot.press(*"12")
    await pilot.pause()
    still(app)


async def at_results(pilot):
    await walk(pilot, FROZEN)
    still(pilot.app)


async def at_review(pilot):
    await walk(pilot, FROZEN)
    await pilot.press("f6")
    await pilot.pause()
    still(pilot.app)


async def at_detail(pilot):
    await walk(pilot, FROZEN)
    await pilot.press("enter")
    await pilot.pause()


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("screen", ["home", "question", "review", "results", "detail"])
def test_screen(snap_compare, screen, lang):
    run_before = {"home": at_home, "question": at_question, "review": at_review,
                  "results": at_results, "detail": at_detail}[screen]
    assert snap_compare(make_app(lang), run_before=run_before, terminal_size=(80, 24))


def test_results_in_16_colours(snap_compare):
    assert snap_compare(make_app("zh_CN", theme="ansi-dark"), run_before=at_results, terminal_size=(80, 24))
