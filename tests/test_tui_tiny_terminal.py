"""A terminal shrunk to a few cells (a window dragged small, a split pane) must not stop the app
(issue 8: at 8x4 an option list was laid out at width 0 and Textual raised ``ValueError: range()
arg 3 must not be zero``, a traceback, and the answer being typed was lost).

Every screen is shown at tiny sizes and then at 80x24 again: the app still runs, and what was
typed is still there.
"""

from __future__ import annotations

from textual.widgets import Input

from tui_driver import SIZE, answer, make_app, screen_name, wait_ready

TINY = [(8, 4), (1, 1), (4, 2), (10, 3), (12, 5)]
# from a multiple-choice question, the keys to every other screen (and what they show)
STEPS = [
    (("f5",), "SectionPicker"),
    (("escape", "f6"), "ReviewScreen"),
    (("enter",), "ReviewScreen"),                # a question open in the review
    (("f7",), "ResultsScreen"),
    (("f8",), "ExportScreen"),
    (("escape", "f9"), "WhatIfScreen"),
    (("escape", "f1"), "HelpScreen"),
    (("escape", "down", "enter"), "DetailScreen"),
    (("f10", "f5"), "ClientsScreen"),
    (("down", "f4"), "PromptScreen"),
    (("escape", "delete"), "ConfirmScreen"),
]


async def survive(pilot, where: str) -> None:
    """Shrink the terminal to each tiny size, then back to 80x24; the app must keep running."""
    app = pilot.app
    screen = screen_name(app)
    for size in TINY:
        await pilot.resize_terminal(*size)
        await pilot.pause()
        assert app.is_running and app.return_code is None, (where, size)
    await pilot.resize_terminal(*SIZE)
    await pilot.pause()
    assert app.is_running and screen_name(app) == screen, (where, screen_name(app))


async def test_started_at_8x4_and_shrunk_mid_answer_keeps_the_typed_text():
    app = make_app("zh_CN")
    async with app.run_test(size=(8, 4)) as pilot:
        await wait_ready(pilot)
        await pilot.press("f3")                          # a new assessment, at 8x4
        await pilot.pause()
        assert screen_name(app) == "QuestionnaireScreen" and app.screen.current == "name"
        await pilot.press(*"老王")
        await pilot.resize_terminal(*SIZE)
        await pilot.pause()
        field = app.screen.query_one("#q-input", Input)
        assert field.value == "老王"
        await pilot.press(*"餐馆")
        await pilot.resize_terminal(8, 4)                # shrunk in the middle of the answer
        await pilot.pause()
        await pilot.press(*"ok")
        await pilot.resize_terminal(*SIZE)
        await pilot.pause()
        assert app.is_running
        assert app.screen.query_one("#q-input", Input).value == "老王餐馆ok"
        await pilot.press("enter")
        await pilot.pause()
        assert app.session.facts["name"] == "老王餐馆ok"


async def test_every_screen_survives_a_tiny_terminal(tmp_path):
    app = make_app("zh_CN")
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(pilot)
        await survive(pilot, "home")
        await pilot.press("f3")
        await pilot.pause()
        await pilot.press(*"abc")
        await survive(pilot, "a text question")
        assert app.screen.query_one("#q-input", Input).value == "abc"
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen.current == "sectors"         # the planner asks the sector first
        await survive(pilot, "a multiple choice")
        await answer(pilot, ["catering"])
        await pilot.pause()
        await survive(pilot, "a choice question")
        for keys, screen in STEPS:
            await pilot.press(*keys)
            await pilot.pause()
            assert screen_name(app) == screen, (keys, screen_name(app))
            await survive(pilot, f"{screen} after {keys}")


async def test_first_start_and_a_broken_catalog_survive_a_tiny_terminal(tmp_path):
    app = make_app(None)                                 # no language chosen yet
    async with app.run_test(size=(8, 4)) as pilot:
        await pilot.pause()
        assert screen_name(app) == "LanguageScreen"
        await survive(pilot, "language choice")
    bad = tmp_path / "bad.toml"
    bad.write_text('[catalog]\nversion = "x"\n', encoding="utf-8")
    app = make_app("zh_CN", catalog=bad)
    async with app.run_test(size=(8, 4)) as pilot:
        await wait_ready(pilot)
        await pilot.pause()
        assert screen_name(app) == "CatalogProblemScreen"
        await survive(pilot, "catalog problem")
