"""Type-to-find in the choice lists and the clients list, and the unit check of numbers, driven
with the keyboard at 80x24 (as a user would)."""

from __future__ import annotations

import pytest
from textual.widgets import Input

from app.storage.catalog_files import load_catalog
from app.storage.client_store import DONE, Workspace
from screens.question import ChoiceList, MultiChoice
from tui_driver import (AS_OF, RESTAURANT, SIZE, TUI_CATALOG, answer, drawn_text, make_app, open_clients,
                        options_text, screen_name, start_new)


async def reach(pilot, fact: str, answers=RESTAURANT) -> list[str]:
    """From home: a new assessment, answering as the restaurant until ``fact`` is asked; a fact
    the planner does not ask of it (the revenue of an 8-person restaurant changes nothing) is
    opened from the review (F6), which shows the same question. Returns the facts answered."""
    app = pilot.app
    await start_new(pilot)
    asked = []
    for _ in range(30):
        if app.screen.current == fact:
            return asked
        if app.screen.current is None:          # nothing left worth asking
            break
        asked.append(app.screen.current)
        await answer(pilot, answers.get(app.screen.current))
        await pilot.pause()
    await pilot.press("f6")
    await pilot.pause()
    app.screen.query_one(f"#row-{fact}").focus()
    await pilot.press("enter")
    await pilot.pause()
    assert editing(app) == fact, f"{fact} was not asked"
    return asked


def editing(app) -> str | None:
    """The fact whose question is open: in the questionnaire or in the review."""
    if screen_name(app) == "QuestionnaireScreen":
        return app.screen.current
    if screen_name(app) == "ReviewScreen":
        rows = [r for r in app.screen.query("ReviewRow") if r.editing]
        return rows[0].question.fact if rows else None
    return None


ASKING = ("QuestionnaireScreen", "ReviewScreen")


async def submit(pilot, text: str) -> None:
    """Type a number and Enter."""
    await pilot.press(*text, "enter")
    await pilot.pause()


def _list(app, kind=MultiChoice):
    return app.screen.query_one(kind)


# ---------------------------------------------------------------- choice lists

@pytest.mark.parametrize("lang", ["zh_CN", "en"])
async def test_cy_in_the_sector_list_picks_catering(lang):
    app = make_app(lang)
    async with app.run_test(size=SIZE) as pilot:
        await reach(pilot, "sectors")
        sectors = _list(app)
        await pilot.press("c", "y")
        await pilot.pause()
        assert sectors.highlighted_id == "catering"
        assert options_text(sectors)[0] == ("[ ] 餐饮" if lang == "zh_CN" else "[ ] Catering (restaurants)")
        assert "cy" in "\n".join(drawn_text(app))                  # the search shows in the border
        await pilot.press("space", "enter")
        await pilot.pause()
        assert app.session.facts["sectors"] == ["catering"]
        assert app.screen.current != "sectors"


async def test_ruanjian_reaches_software_and_ticks_are_kept_across_searches():
    app = make_app("zh_CN")
    async with app.run_test(size=SIZE) as pilot:
        await reach(pilot, "sectors")
        sectors = _list(app)
        assert options_text(sectors)[:3] == ["[ ] 餐饮", "[ ] 零售", "[ ] 批发"]   # most common first
        assert options_text(sectors)[-1] == "[ ] 其他"
        await pilot.press("space")                        # 餐饮 ticked before any search
        await pilot.press(*"ruanjian")
        await pilot.pause()
        assert options_text(sectors) == ["[ ] 软件和信息技术服务"]
        await pilot.press("space")
        await pilot.press("backspace")                     # ruanjia: still only software
        await pilot.pause()
        assert sectors.find_text == "ruanjia"
        await pilot.press("escape")                        # clears the search, not the question
        await pilot.pause()
        assert app.screen.current == "sectors" and sectors.find_text == ""
        assert sectors.highlighted_id == "software"         # where the user was
        assert "[x] 餐饮" in options_text(sectors) and "[x] 软件和信息技术服务" in options_text(sectors)
        await pilot.press(*"xyz")                          # nothing found: said, nothing chosen
        await pilot.pause()
        assert sectors.highlighted is None and "xyz" in options_text(sectors)[0]
        await pilot.press("enter")                         # Enter still confirms what is ticked
        await pilot.pause()
        assert app.session.facts["sectors"] == ["catering", "software"]


async def test_a_paste_goes_into_the_search():
    from textual.events import Paste
    app = make_app("zh_CN")
    async with app.run_test(size=SIZE) as pilot:
        await reach(pilot, "sectors")
        sectors = _list(app)
        sectors.post_message(Paste("ruan jian\n"))
        await pilot.pause()
        assert sectors.find_text == "ruanjian" and sectors.highlighted_id == "software"


async def test_escape_without_a_search_is_still_the_previous_question():
    app = make_app("zh_CN")
    async with app.run_test(size=SIZE) as pilot:
        before = await reach(pilot, "sectors")
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen.current == before[-1]


@pytest.mark.parametrize("typed", ["wh", "wuhai", "乌海", "Wuhai"])
async def test_single_choice_lists_find_too(typed):
    app = make_app("zh_CN")
    async with app.run_test(size=SIZE) as pilot:
        await reach(pilot, "league")
        leagues = _list(app, ChoiceList)
        await pilot.press(*typed)
        await pilot.pause()
        assert leagues.highlighted_id == "wuhai"
        await pilot.press("enter")
        await pilot.pause()
        assert app.session.facts["league"] == "wuhai"


async def test_space_chooses_in_a_single_choice_list():
    from app.storage.paths import bundled_catalog
    app = make_app("zh_CN", catalog=bundled_catalog())     # the frozen catalog never asks the entity type
    async with app.run_test(size=SIZE) as pilot:
        await reach(pilot, "entity_type")
        await pilot.press(*"gt", "space")                  # 个体工商户
        await pilot.pause()
        assert app.session.facts["entity_type"] == "individual"


# ---------------------------------------------------------------- clients list

CATALOG = load_catalog(TUI_CATALOG)


def _save(facts):
    ws = Workspace(registry=CATALOG.registry)
    ws.save(ws.new(), facts, catalog=CATALOG, as_of=AS_OF, state=DONE)


@pytest.mark.parametrize("typed,found", [
    ("laowang", ["老王餐馆"]), ("lwcg", ["老王餐馆"]),          # the name in pinyin, initials
    ("huhehaote", ["呼市托育中心"]), ("hhht", ["呼市托育中心"]),  # the 盟市 in pinyin
    ("Catering", ["老王餐馆"]), ("childcare", ["呼市托育中心"]),  # English labels, codes
    ("Wuhai", ["老王餐馆"]), ("cy wh", ["老王餐馆"]),           # several words: all must match
    ("餐饮", ["老王餐馆"]), ("zzz", []),
])
async def test_the_clients_list_finds_by_pinyin_and_english(typed, found):
    _save({"name": "老王餐馆", "league": "wuhai", "sectors": ["catering"]})
    _save({"name": "呼市托育中心", "league": "hohhot", "sectors": ["childcare"]})
    app = make_app("zh_CN")
    async with app.run_test(size=SIZE) as pilot:
        listing = await open_clients(pilot)
        assert len(options_text(listing)) == 2
        await pilot.press(*typed)
        await pilot.pause()
        assert app.screen.query_one("#clients-search", Input).value == typed
        assert [s.split()[0] for s in options_text(listing)] == found


# ---------------------------------------------------------------- numbers and their units

async def test_yuan_typed_as_revenue_of_an_8_person_shop_is_asked_and_converted():
    app = make_app("zh_CN")
    async with app.run_test(size=SIZE) as pilot:
        await reach(pilot, "revenue")
        assert app.session.facts["employees"] == 8
        await submit(pilot, "1500000")
        assert screen_name(app) == "NumberCheckScreen"
        shown = "\n".join(drawn_text(app))
        assert "您填的是 150亿元（1500000 万元）" in shown and "150万元" in shown
        assert "revenue" not in app.session.facts            # nothing stored yet
        menu = app.screen.query_one("#number-check-choices")
        assert [o.id for o in menu.options] == ["keep", "convert", "edit"]
        await pilot.press("home", "down", "enter")            # 按元换算
        await pilot.pause()
        assert screen_name(app) in ASKING
        assert app.session.facts["revenue"] == 150
        assert editing(app) != "revenue"


async def test_keep_stores_the_number_as_typed_and_edit_goes_back_to_the_field():
    app = make_app("zh_CN")
    async with app.run_test(size=SIZE) as pilot:
        await reach(pilot, "revenue")
        await submit(pilot, "1500000")
        await pilot.press("escape")                           # Esc: edit
        await pilot.pause()
        assert screen_name(app) in ASKING and editing(app) == "revenue"
        field = app.screen.query_one("#q-input", Input)
        assert app.focused is field and field.value == "1500000"
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("home", "enter")                    # 保留：150亿元
        await pilot.pause()
        assert app.session.facts["revenue"] == 1500000


async def test_a_plausible_revenue_is_not_asked_about():
    app = make_app("zh_CN")
    async with app.run_test(size=SIZE) as pilot:
        await reach(pilot, "revenue")
        await submit(pilot, "1500000元")              # said in yuan: 150万元
        assert screen_name(app) in ASKING and app.session.facts["revenue"] == 150


async def test_30_wan_people_is_asked_never_taken_silently():
    app = make_app("zh_CN")
    async with app.run_test(size=SIZE) as pilot:
        await reach(pilot, "employees")
        await submit(pilot, "30万")
        assert screen_name(app) == "NumberCheckScreen"
        shown = "\n".join(drawn_text(app))
        assert "30万人？" in shown and "300000 人" in shown
        assert "employees" not in app.session.facts
        await pilot.press("enter")                            # 重新填写 is highlighted first
        await pilot.pause()
        assert app.screen.current == "employees" and "employees" not in app.session.facts
        app.screen.query_one("#q-input", Input).value = ""
        await submit(pilot, "8")
        assert app.session.facts["employees"] == 8


async def test_many_people_can_be_kept():
    app = make_app("en")
    async with app.run_test(size=SIZE) as pilot:
        await reach(pilot, "employees")
        await submit(pilot, "2万")
        assert "20,000 people?" in "\n".join(drawn_text(app))
        await pilot.press("home", "enter")                    # Yes, 20,000 people
        await pilot.pause()
        assert app.session.facts["employees"] == 20000
