"""A whole assessment driven with the keyboard at 80x24, in Chinese and in English (issue 4).

The first two walk the bundled catalog and check what is shown against the core's own
assessment of the same answers (the catalog grows while these tests stay true); the others use
the frozen tests/data/tui.toml and check exact titles and amounts.
"""

from __future__ import annotations

import re

import pytest
from textual.widgets import OptionList

from app.engine.assessment import assess
from app.storage.catalog_files import load_catalog
from app.i18n.locale import Locale
from app.storage.paths import bundled_catalog
from app.engine.needed_facts import active_facts
from app.render.report import title as policy_title
from screens.results import total_text
from tui_driver import (AS_OF, RESTAURANT, RESTAURANT_FACTS, SIZE, TUI_CATALOG, answer, answer_until, make_app,
                        options_text, pick, screen_name, screen_text, text_of, wait_ready, walk)

FROZEN = dict(RESTAURANT, no_layoffs=True, smb_unemployment_premium_paid="2万", first_above_quota=True,
              procurement_bidding=False, certifications=[], new_certifications=[])


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
async def test_restaurant_in_wuhai_bundled_catalog(lang):
    app = make_app(lang, catalog=bundled_catalog())
    async with app.run_test(size=SIZE) as pilot:
        asked = await walk(pilot, RESTAURANT)
        assert screen_name(app) == "ResultsScreen"
        # every answer arrived as the right value; nothing else was stated; what the answer did
        # not need (the revenue of an 8-person restaurant: micro whatever it is) was not asked
        assert app.session.facts == {k: v for k, v in RESTAURANT_FACTS.items() if k in asked}
        assert asked[0] == "name" and asked[1] == "sectors" and {"league", "entity_type", "employees"} <= set(asked)
        # follow-ups of other industries were never asked
        assert not {"beds", "childcare_slots", "trucks", "passenger_station", "cloud_spend"} & set(asked)
        assert "assets" not in asked            # 8 staff in catering is micro whatever the assets
        catalog = load_catalog(bundled_catalog())
        expected = assess(catalog, active_facts(catalog, app.session.facts, AS_OF), AS_OF)
        loc = Locale(lang)
        shown = "\n".join(options_text(app.screen.query_one("#results-list", OptionList)))
        summary = text_of(app.screen.query_one("#results-summary"))
        assert loc.t("ui.results.total", amount=total_text(expected, loc)) in summary
        now = expected.by_section("apply_now")
        assert now, "a restaurant in Wuhai gets something"
        assert loc.t("ui.results.group", status=loc.t("section.apply_now"), count=len(now)) in shown
        for r in now + expected.by_section("confirm") + expected.by_section("pursue"):
            assert policy_title(r, loc).replace("“", "「").replace("”", "」") in shown
            assert loc.amount(r.amount, catalog) in shown
        if lang == "en":
            # issue 6: no Chinese outside quotes and names
            assert not re.search(r"[\u3400-\u9fff]", shown + summary), re.findall(r".*[\u3400-\u9fff].*", shown)
        for section in ("channels", "ended"):
            if expected.by_section(section):    # folded, at the end, with their counts
                head = loc.t("ui.results.group", status=loc.t(f"section.{section}"),
                             count=len(expected.by_section(section)))
                assert "[+] " + head in shown
                assert shown.index(head) > shown.index(loc.t("section.apply_now"))


async def test_restaurant_zh_frozen_catalog_titles_and_amounts(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    app = make_app("zh_CN")
    async with app.run_test(size=SIZE) as pilot:
        asked = await walk(pilot, FROZEN)
        # the planner's order: what can settle the most first; a follow-up right after its parent
        assert asked == ["name", "sectors", "first_above_quota", "certifications", "employees",
                         "procurement_bidding", "no_layoffs", "smb_unemployment_premium_paid"]
        assert app.session.facts["smb_unemployment_premium_paid"] == 2
        listing = app.screen.query_one("#results-list", OptionList)
        shown = options_text(listing)
        assert shown[0] == "现在就可以申请（2 项）"
        assert "首次达到限额以上奖励5万元" in shown[2] and "5万元，奖励，自治区商务厅" in shown[2]
        assert "服务业小微企业稳岗返还90%" in shown[1] and "1.8万元" in shown[1]
        assert "努力一下可以争取（2 项）" in shown
        # channels (the bank-credit encouragement; the league, not asked, leaves a Wuhai one
        # possible) are folded with their count
        assert "[+] 其他可了解的服务与渠道（2 项）  回车展开" in shown
        # the draft and the expired policy (not asked: only it needs its fact) are folded together
        assert "[+] 已结束、可能已停止、征求意见稿（2 项）  回车展开" in shown
        assert "现在就可以申请的项目合计：一次性6.8万元" in text_of(app.screen.query_one("#results-summary"))
        assert "老王餐馆" in screen_text(app)

        # detail of the best one: conditions with marks, steps, source and quote
        await pilot.press("enter")
        await pilot.pause()
        assert screen_name(app) == "DetailScreen"
        detail = screen_text(app)
        assert "服务业小微企业稳岗返还90%" in detail
        assert "✓ 是服务业企业" in detail and "✓ 不裁员、少裁员" in detail
        assert "按上年度实际缴纳" in detail or "90%" in detail
        assert "1.8万元" in detail
        assert "《内蒙古自治区支持小微企业发展政策》 五/23" in detail
        assert "「小微企业按照企业上年度实际缴纳当年度失业保险费的90%返还」" in detail
        assert "无需申请" in detail
        await pilot.press("escape")
        await pilot.pause()

        # the draft is never presented as available
        await pilot.press("end")
        await pilot.press("enter")        # unfold 已结束、可能已停止、征求意见稿
        await pilot.pause()
        await pilot.press("end", "enter")
        await pilot.pause()
        assert screen_name(app) == "DetailScreen"
        detail = screen_text(app)
        assert "征求意见稿" in detail and "不能据此申请" in detail
        await pilot.press("escape")
        await pilot.pause()

        # export the handout as HTML, into the exports folder of the data folder
        await pilot.press("f8")
        await pilot.pause()
        assert screen_name(app) == "ExportScreen"
        await pilot.press("enter")
        await pilot.pause()
        assert not list(tmp_path.glob("*.html"))             # not where the app was started
        files = list((tmp_path / "data" / "exports").glob("*.html"))
        assert len(files) == 1 and "老王餐馆" in files[0].name
        html = files[0].read_text(encoding="utf-8")
        assert "服务业小微企业稳岗返还90%" in html and "6.8万元" in html


async def test_restaurant_en_frozen_catalog():
    app = make_app("en")
    async with app.run_test(size=SIZE) as pilot:
        await walk(pilot, FROZEN)
        shown = options_text(app.screen.query_one("#results-list", OptionList))
        assert shown[0] == "Apply now (2)"
        assert "CNY 50,000, Award" in shown[2]
        assert "CNY 18,000" in shown[1]
        assert "Within reach with one step (2)" in shown
        assert "Total you can apply for now: CNY 68,000 once" in text_of(app.screen.query_one("#results-summary"))
        footer = screen_text(app)
        assert "Results" in footer


async def test_bad_number_shows_message_and_keeps_answers():
    app = make_app("zh_CN")
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(pilot)
        await pilot.press("f3")
        await pilot.pause()
        await pilot.press(*"老王", "enter")                  # name
        await pilot.pause()
        await answer_until(pilot, {"sectors": ["catering"]}, "employees")
        await pilot.press(*"八个", "enter")
        await pilot.pause()
        assert app.screen.current == "employees"
        error = app.screen.query_one(".q-error")
        assert "不是数字" in text_of(error) and error.has_class("-shown")
        assert app.session.facts == {"name": "老王", "sectors": ["catering"]}
        await pilot.press("ctrl+u", *"１，２００", "enter")     # full-width digits and comma
        await pilot.pause()
        assert app.session.facts["employees"] == 1200
        await answer_until(pilot, {}, "revenue")            # 1200 staff: the revenue decides the size
        await pilot.press(*"-5", "enter")
        await pilot.pause()
        assert "不能为负数" in text_of(app.screen.query_one(".q-error"))
        await pilot.press("ctrl+u", *"1.5亿", "enter")
        await pilot.pause()
        assert app.session.facts["revenue"] == 15000


async def test_language_switch_keeps_answers_and_place():
    app = make_app("zh_CN")
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(pilot)
        await pilot.press("f3")
        await pilot.pause()
        await answer(pilot, "老王")
        await pilot.pause()
        second = app.screen.current
        await answer(pilot, {"sectors": ["catering"], "league": "wuhai"}.get(second))
        await pilot.pause()
        before = dict(app.session.facts)
        place = app.screen.current
        await pilot.press("f2")
        await pilot.pause()
        assert app.loc.lang == "en"
        assert app.session.facts == before and app.screen.current == place
        assert "Question 3 of" in screen_text(app)
        await pilot.press("f2")
        await pilot.pause()
        assert app.loc.lang == "zh_CN" and "第 3 题" in screen_text(app)


async def test_back_and_jump_to_section():
    app = make_app("zh_CN")
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(pilot)
        await pilot.press("f3")
        await pilot.pause()
        await answer(pilot, None)
        await pilot.pause()
        assert app.screen.current not in (None, "name")
        await pilot.press("f4")
        await pilot.pause()
        assert app.screen.current == "name"
        await pilot.press("f5")
        await pilot.pause()
        assert screen_name(app) == "SectionPicker"
        listing = app.screen.query_one(OptionList)
        here = app.catalog.questions["name"].section
        target = next(o.id for o in listing.options if not o.disabled and o.id != here)
        await pick(pilot, listing, target)
        await pilot.press("enter")
        await pilot.pause()
        assert app.catalog.questions[app.screen.current].section == target


async def test_review_edits_in_place():
    app = make_app("zh_CN")
    async with app.run_test(size=SIZE) as pilot:
        await walk(pilot, FROZEN)
        await pilot.press("f6")
        await pilot.pause()
        assert screen_name(app) == "ReviewScreen"
        text = screen_text(app)
        assert "员工人数" in text and "8人" in text and "所属行业" in text and "餐饮" in text
        row = app.screen.query_one("#row-employees")
        row.focus()
        await pilot.press("enter")
        await pilot.pause()
        assert row.editing
        await pilot.press("ctrl+u", *"12", "enter")
        await pilot.pause()
        assert app.session.facts["employees"] == 12
        assert "12人" in screen_text(app)
        # clear an answer: back to unknown
        app.screen.query_one("#row-employees").focus()
        await pilot.press("f3")
        await pilot.pause()
        assert "employees" not in app.session.facts


async def test_what_if_lists_changed_policies():
    app = make_app("zh_CN")
    async with app.run_test(size=SIZE) as pilot:
        await walk(pilot, FROZEN)
        await pilot.press("f9")
        await pilot.pause()
        assert screen_name(app) == "WhatIfScreen"
        await pick(pilot, app.screen.query_one("#whatif-facts", OptionList), "first_above_quota")
        await pilot.press("enter")
        await pilot.pause()
        view_fact = app.screen.fact
        assert view_fact == "first_above_quota"
        from screens.question import ChoiceList
        await pick(pilot, app.screen.query_one(ChoiceList), "false")
        await pilot.press("enter")
        await pilot.pause()
        text = screen_text(app)
        assert "1 项政策的状态有变化" in text
        assert "首次达到限额以上奖励5万元" in text and "可申请 变为 差一点" in text
        assert app.session.facts["first_above_quota"] is True       # not kept yet
        await pilot.press("enter")                                    # 保留修改
        await pilot.pause()
        assert screen_name(app) == "ResultsScreen"
        assert app.session.facts["first_above_quota"] is False
        assert "现在就可以申请的项目合计：一次性1.8万元" in text_of(app.screen.query_one("#results-summary"))


async def test_broken_catalog_is_explained_not_a_traceback(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('[catalog]\nversion = "x"\ndate = 2026-01-01\n[[policy]]\nid = "Bad Id"\n', encoding="utf-8")
    app = make_app("zh_CN", catalog=bad)
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(pilot)
        await pilot.pause()
        assert screen_name(app) == "CatalogProblemScreen"
        text = screen_text(app)
        assert "政策目录无法使用" in text and "bad.toml" in text
        await pilot.press("escape", "f3")                 # no crash when asked to start
        await pilot.pause()
        assert screen_name(app) == "CatalogProblemScreen"


async def test_palette_and_system_commands_are_translated():
    app = make_app("zh_CN")
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(pilot)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "切换语言" in titles and "退出" in titles and "Quit" not in titles
        await pilot.press("ctrl+p")
        await pilot.pause()
        from textual.command import CommandInput, SearchIcon
        assert app.screen.query_one(CommandInput).placeholder == "输入命令名称搜索"
        assert app.screen.query_one(SearchIcon).icon == ">"          # no emoji
        await pilot.press(*"zzzz")
        await pilot.pause(0.8)
        assert "没有找到" in "\n".join(options_text(app.screen.query_one("CommandList")))


async def test_catalog_text_is_not_markup(tmp_path):
    text = TUI_CATALOG.read_text(encoding="utf-8").replace(
        'title = "服务业小微企业稳岗返还90%"', 'title = "[bold red]稳岗[/bold red]返还\\u001b[31m"')
    path = tmp_path / "c.toml"
    path.write_text(text, encoding="utf-8")
    app = make_app("zh_CN", catalog=path)
    async with app.run_test(size=SIZE) as pilot:
        await walk(pilot, FROZEN)
        shown = "\n".join(options_text(app.screen.query_one("#results-list", OptionList)))
        assert "[bold red]稳岗[/bold red]返还" in shown and "\x1b" not in shown


async def test_answers_are_saved_so_new_and_quit_lose_nothing():
    from app.storage.profile_files import load_profile
    from app.storage.client_store import Workspace
    app = make_app("zh_CN")
    async with app.run_test(size=SIZE) as pilot:
        await walk(pilot, FROZEN)
        (info,) = Workspace(registry=app.catalog.registry).list().clients
        assert info.facts == app.session.facts and info.state == "done"
        assert load_profile(info.path, app.catalog.registry).facts == app.session.facts
        await pilot.press("f10", "f3")            # new: the answers are on disk, so no question
        await pilot.pause()
        assert screen_name(app) == "QuestionnaireScreen" and app.session.facts == {}
        assert app.screen.current == "name"
        await pilot.press("ctrl+q")               # nothing unsaved: quits at once
        await pilot.pause()
        assert not app.is_running
    assert [i.facts for i in Workspace(registry=app.catalog.registry).list().clients] == [info.facts]


async def test_when_saving_fails_new_and_quit_ask_before_dropping_answers(tmp_path, monkeypatch):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    monkeypatch.setenv("HUIQI_DATA_DIR", str(blocker / "data"))    # cannot be created
    app = make_app("zh_CN")
    async with app.run_test(size=SIZE) as pilot:
        await walk(pilot, FROZEN)
        assert app.save_error and "无法保存" in "\n".join(str(n.message) for n in app._notifications)
        await pilot.press("f10")                  # home
        await pilot.pause()
        assert screen_name(app) == "HomeScreen"
        await pilot.press("f3")                   # new: asks first
        await pilot.pause()
        assert screen_name(app) == "ConfirmScreen"
        await pilot.press("escape")
        await pilot.pause()
        assert app.session.facts["sectors"] == ["catering"]
        await pilot.press("f4")                   # resume where we were
        await pilot.pause()
        assert screen_name(app) == "QuestionnaireScreen"
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert screen_name(app) == "ConfirmScreen" and app.is_running
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("f10", "f3")
        await pilot.pause()
        await pilot.press("enter")               # yes: clear and start again
        await pilot.pause()
        assert app.session.facts == {} and screen_name(app) == "QuestionnaireScreen"
        assert app.screen.current == "name"


async def test_language_switch_on_results_and_detail():
    app = make_app("zh_CN")
    async with app.run_test(size=SIZE) as pilot:
        await walk(pilot, FROZEN)
        await pilot.press("f5", *"稳岗")              # search
        await pilot.pause()
        shown = options_text(app.screen.query_one("#results-list", OptionList))
        assert len([s for s in shown if "稳岗" in s]) == 1 and len(shown) == 2
        await pilot.press("enter")                     # search done: back to the list
        await pilot.press("f2")
        await pilot.pause()
        shown = options_text(app.screen.query_one("#results-list", OptionList))
        assert shown[0] == "Apply now (1)" and "CNY 18,000" in shown[1]     # the search is kept
        await pilot.press("enter")
        await pilot.pause()
        assert screen_name(app) == "DetailScreen"
        await pilot.press("f2")
        await pilot.pause()
        assert "预计金额：1.8万元" in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert options_text(app.screen.query_one("#results-list", OptionList))[0] == "现在就可以申请（1 项）"


async def test_a_lapsed_measure_says_why_in_its_detail():
    """The epidemic-era disinfection subsidy, opened from the folded ended section: it says it
    has probably stopped, why, and the words of its source (bundled catalog)."""
    from app.storage.paths import bundled_catalog
    app = make_app("zh_CN", catalog=bundled_catalog())
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(pilot)
        app.load_catalog()
        from screens.detail import DetailScreen
        app.session.facts.update({"league": "wuhai", "entity_type": "company", "sectors": ["catering"]})
        app.push_screen(DetailScreen("svc-catering-retail-disinfection-subsidy"))
        await pilot.pause()
        text = screen_text(app)
        assert "可能已停止执行" in text and "防疫" in text
