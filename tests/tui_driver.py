"""Drive the interactive app with the keyboard, as a user would (for the Pilot tests)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from screens.app import HuiqiApp

DATA = Path(__file__).parent / "data"
TUI_CATALOG = DATA / "tui.toml"
AS_OF = dt.date(2026, 11, 22)
SIZE = (80, 24)

# The small restaurant of issue 4: 餐饮 in Wuhai, individual business, 8 staff, revenue 150万.
# Typed answers are what a person types; choices are picked with the arrow keys.
RESTAURANT = {
    "name": "老王餐馆",
    "league": "wuhai",
    "entity_type": "individual",
    "sectors": ["catering"],
    "employees": "8",
    "revenue": "150万",
}
RESTAURANT_FACTS = {"name": "老王餐馆", "league": "wuhai", "entity_type": "individual",
                    "sectors": ["catering"], "employees": 8, "revenue": 150}


def make_app(lang: str = "zh_CN", catalog=TUI_CATALOG, theme: str | None = None) -> HuiqiApp:
    return HuiqiApp(lang=lang, as_of=AS_OF, catalog_path=catalog, theme=theme)


def screen_name(app) -> str:
    return type(app.screen).__name__


def text_of(widget) -> str:
    """The plain text a Static (or an option's prompt) shows."""
    content = getattr(widget, "content", None)
    if content is None:
        content = widget.render()
    return getattr(content, "plain", str(content))


def prompt_text(prompt) -> str:
    """Plain text of an option prompt: Content, rich Text, or a rich Table of them."""
    if hasattr(prompt, "plain"):
        return prompt.plain
    if hasattr(prompt, "renderable"):   # rich Align and the like
        return prompt_text(prompt.renderable)
    if hasattr(prompt, "columns"):      # rich Table: cells row by row
        cells = [list(col._cells) for col in prompt.columns]
        rows = zip(*cells)
        return "\n".join(" ".join(prompt_text(c) for c in row) for row in rows)
    return str(prompt)


def options_text(option_list) -> list[str]:
    return [prompt_text(o.prompt) for o in option_list.options]


def screen_text(app) -> str:
    """Everything the current screen shows as text (Statics and option lists)."""
    from textual.widgets import OptionList, Static
    parts = []
    for w in app.screen.query("*"):
        if isinstance(w, OptionList):
            parts += options_text(w)
        elif isinstance(w, Static):
            parts.append(text_of(w))
    return "\n".join(parts)


async def wait_ready(pilot) -> None:
    """Until the catalog has been read (it is read right after the first paint)."""
    app = pilot.app
    for _ in range(200):
        if app.catalog is not None or app.catalog_problems:
            break
        await pilot.pause(0.01)
    await pilot.pause()


async def start_new(pilot) -> None:
    """From home, once the catalog is read: F3, a new assessment (its first question shown)."""
    await wait_ready(pilot)
    await pilot.press("f3")
    await pilot.pause()


async def open_clients(pilot, decline_offer: bool = False):
    """From home: the clients list (F5), after saying no to continuing an unfinished client if
    asked; returns the list."""
    await wait_ready(pilot)
    await pilot.pause()
    if decline_offer:
        assert screen_name(pilot.app) == "ConfirmScreen"
        await pilot.press("escape")
    await pilot.press("f5")
    await pilot.pause()
    assert screen_name(pilot.app) == "ClientsScreen"
    from textual.widgets import OptionList
    return pilot.app.screen.query_one("#clients-list", OptionList)


async def pick(pilot, option_list, option_id: str) -> None:
    """Move the highlight to an option with the arrow keys."""
    ids = [o.id for o in option_list.options]
    assert option_id in ids, (option_id, ids)
    await pilot.press("home")
    for _ in range(len(ids)):
        highlighted = option_list.highlighted
        if highlighted is not None and ids[highlighted] == option_id:
            return
        await pilot.press("down")
    raise AssertionError(f"cannot reach {option_id}")


async def answer(pilot, value) -> None:
    """Answer the question on screen with the keyboard; None is 不确定/跳过 (F3)."""
    from screens.question import ChoiceList, MultiChoice, QuestionView
    app = pilot.app
    view = next(v for v in app.screen.query(QuestionView) if v.question.fact == app.screen.current)
    if value is None:
        await pilot.press("f3")
        return
    kind = view.fact.type
    if kind == "codes":
        widget = view.query_one(MultiChoice)
        for code in value:
            await pick(pilot, widget, code)
            await pilot.press("space")
        await pilot.press("enter")
    elif kind in ("bool", "code"):
        oid = ("true" if value else "false") if isinstance(value, bool) else value
        await pick(pilot, view.query_one(ChoiceList), oid)
        await pilot.press("enter")
    else:
        await pilot.press(*str(value), "enter")


async def answer_until(pilot, answers: dict, target: str, limit: int = 60) -> list[str]:
    """Answer what is asked (from ``answers``; others 不确定/跳过) until ``target`` is the
    question on screen; the order is the planner's. Returns the facts answered on the way."""
    app = pilot.app
    asked = []
    for _ in range(limit):
        if app.screen.current == target:
            return asked
        assert app.screen.current is not None, (target, asked)
        asked.append(app.screen.current)
        await answer(pilot, answers.get(app.screen.current))
        await pilot.pause()
    raise AssertionError(f"{target} was never asked: {asked}")


async def walk(pilot, answers: dict, start: bool = True) -> list[str]:
    """From home, answer every question asked (others with F3) until the results; returns the
    facts asked, in order."""
    app = pilot.app
    await wait_ready(pilot)
    if start:
        await pilot.press("f3")          # 开始新的测算
        await pilot.pause()
    asked: list[str] = []
    for _ in range(300):
        if screen_name(app) != "QuestionnaireScreen":
            break
        fact = app.screen.current
        if fact is None:                 # nothing left can change the answer: to the results
            await pilot.press("enter")
            await pilot.pause()
            continue
        asked.append(fact)
        await answer(pilot, answers.get(fact))
        await pilot.pause()
    await pilot.pause()
    return asked


# ---------------------------------------------------------------- what the terminal shows

def core_assessment(facts: dict = RESTAURANT_FACTS, catalog=TUI_CATALOG):
    """The core's own assessment of the same answers (what the results screen should list)."""
    from app.engine.assessment import assess
    from app.storage.catalog_files import load_catalog
    from app.engine.needed_facts import active_facts
    cat = load_catalog(catalog)
    return assess(cat, active_facts(cat, facts, AS_OF), AS_OF)


def drawn_lines(app) -> list:
    """The current screen as it would be written to the terminal: one Strip (segments with their
    final styles, after the app's colour filters such as NO_COLOR's) per terminal row."""
    return app.screen._compositor.render_strips()


def drawn_text(app, region=None) -> list[str]:
    """The text of each terminal row, or of the part of each row inside `region` (cells, so wide
    Chinese characters count twice)."""
    lines = drawn_lines(app)
    if region is None:
        return [line.text for line in lines]
    return [line.crop(region.x, region.right).text for line in lines[region.y:region.bottom]]
