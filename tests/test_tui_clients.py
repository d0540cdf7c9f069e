"""The help-desk workspace in the interactive app: autosave after each answer, resume after an
interruption, the clients list (search, open, rename, copy, note, delete), damaged files and the
catalog-update flag."""

import datetime as dt

from textual.widgets import Input, OptionList

from app.storage.catalog_files import load_catalog
from app.storage.client_store import DONE, Workspace
from tui_driver import (AS_OF, RESTAURANT, RESTAURANT_FACTS, SIZE, TUI_CATALOG, answer, make_app, open_clients,
                        options_text, screen_name, wait_ready)

CATALOG = load_catalog(TUI_CATALOG)


def _save(facts, **kw):
    ws = Workspace(registry=CATALOG.registry)
    client = ws.new()
    ws.save(client, facts, catalog=CATALOG, as_of=AS_OF, **kw)
    return client


def _notices(app) -> str:
    return "\n".join(str(n.message) for n in app._notifications)


async def test_every_answer_is_on_disk_before_the_next_question():
    app = make_app("zh_CN")
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(pilot)
        await pilot.press("f3")
        await pilot.pause()
        for _ in range(4):
            fact = app.screen.current
            await answer(pilot, RESTAURANT.get(fact))
            await pilot.pause()
            (info,) = Workspace().list().clients
            assert info.facts == app.session.facts            # saved, nothing more, nothing less
            assert fact in info.seen and info.position == app.screen.current
            assert info.state == "in_progress"
        assert info.facts["name"] == "老王餐馆" and info.path.name == "老王餐馆.toml"


def _half_way():
    """A client left at its fourth question (sectors), three answered."""
    return _save({"name": "半路停下的店", "league": "wuhai", "entity_type": "individual"},
                 seen=["name", "league", "entity_type"], position="sectors")


async def test_an_interrupted_client_is_offered_at_the_next_start_and_resumes_in_place():
    _half_way()
    app = make_app("zh_CN")
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(pilot)
        await pilot.pause()
        assert screen_name(app) == "ConfirmScreen"
        assert "半路停下的店" in app.screen.message and "3" in app.screen.message
        await pilot.press("enter")
        await pilot.pause()
        assert screen_name(app) == "QuestionnaireScreen" and app.screen.current == "sectors"
        assert app.session.facts["league"] == "wuhai"
        await answer(pilot, ["catering"])
        await pilot.pause()
        (info,) = Workspace().list().clients
        assert info.facts["sectors"] == ["catering"] and info.name == "半路停下的店"


async def test_declining_the_offer_keeps_the_client_and_starts_clean():
    _save({"name": "半路停下的店"}, seen=["name"], position="league")
    app = make_app("zh_CN")
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(pilot)
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert screen_name(app) == "HomeScreen" and app.session.facts == {}
    assert [i.name for i in Workspace().list().clients] == ["半路停下的店"]


async def test_finished_clients_are_not_offered():
    _save(RESTAURANT_FACTS, state=DONE)
    app = make_app("zh_CN")
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(pilot)
        await pilot.pause()
        assert screen_name(app) == "HomeScreen"


async def test_clients_search_open_rename_note_copy_delete():
    _save(RESTAURANT_FACTS, state=DONE)
    _save({"name": "呼市托育中心", "league": "hohhot", "sectors": ["childcare"]}, state=DONE)
    app = make_app("zh_CN")
    async with app.run_test(size=SIZE) as pilot:
        listing = await open_clients(pilot)
        shown = options_text(listing)
        assert len(shown) == 2 and "呼市托育中心" in shown[0] and "老王餐馆" in shown[1]
        assert "乌海市" in shown[1] and "已出结果" in shown[1]
        await pilot.press(*"乌海")                       # typing filters at once
        await pilot.pause()
        assert [s.split()[0] for s in options_text(listing)] == ["老王餐馆"]
        await pilot.press("f4")                          # rename
        await pilot.pause()
        assert screen_name(app) == "PromptScreen"
        field = app.screen.query_one(Input)
        field.value = ""
        await pilot.press(*"王记餐馆", "enter")
        await pilot.pause()
        assert [i.name for i in Workspace().list().clients if "餐馆" in i.name] == ["王记餐馆"]
        await pilot.press("f6", *"周二再来", "enter")     # staff note
        await pilot.pause()
        assert next(i for i in Workspace().list().clients if i.name == "王记餐馆").note == "周二再来"
        search = app.screen.query_one("#clients-search", Input)
        search.value = "周二"                             # the note is searchable
        await pilot.pause()
        assert [s.split()[0] for s in options_text(listing)] == ["王记餐馆"]
        search.value = ""
        await pilot.pause()
        await pilot.press("down")                        # to the list
        await pilot.press("delete")                      # delete asks first
        await pilot.pause()
        assert screen_name(app) == "ConfirmScreen" and "无法恢复" in app.screen.message
        await pilot.press("escape")
        await pilot.pause()
        assert len(Workspace().list().clients) == 2
        await pilot.press("delete")
        await pilot.pause()
        await pilot.press("left", "enter")               # 「删除」, then Enter
        await pilot.pause()
        assert len(Workspace().list().clients) == 1 and len(options_text(listing)) == 1
        await pilot.press("f5", *"复制的店", "enter")      # copy: a new client like this one
        await pilot.pause()
        assert screen_name(app) == "ResultsScreen"           # finished like the one copied
        names = sorted(i.name for i in Workspace().list().clients)
        assert len(names) == 2 and "复制的店" in names
        assert app.session.facts["name"] == "复制的店"


async def test_opening_a_finished_client_shows_its_results():
    _save(RESTAURANT_FACTS, state=DONE)
    app = make_app("zh_CN")
    async with app.run_test(size=SIZE) as pilot:
        await open_clients(pilot)
        await pilot.press("enter")                       # Enter in the search box opens the first
        await pilot.pause()
        assert screen_name(app) == "ResultsScreen"
        assert app.session.facts == RESTAURANT_FACTS


async def test_a_damaged_file_is_reported_and_the_list_still_works():
    _save(RESTAURANT_FACTS, state=DONE)
    folder = Workspace().folder
    (folder / "坏档案.toml").write_text("[business]\nname = '没写完", encoding="utf-8")
    app = make_app("zh_CN")
    async with app.run_test(size=SIZE) as pilot:
        listing = await open_clients(pilot)
        assert [s.split()[0] for s in options_text(listing)] == ["老王餐馆"]
        notes = _notices(app)
        assert "坏档案.toml" in notes and "damaged" in notes
    assert (folder / "damaged").is_dir() and not (folder / "坏档案.toml").exists()


async def test_a_catalog_update_flags_changed_clients_until_opened(tmp_path):
    client = _save(RESTAURANT_FACTS, state=DONE)
    _save({"name": "别的行业", "league": "alxa", "sectors": ["agriculture"], "employees": 300},
          state=DONE)
    # The next edition of the catalog: every amount of the restaurant's first result doubled.
    from app.engine.assessment import assess
    first = next(r for r in assess(CATALOG, RESTAURANT_FACTS, AS_OF).shown
                 if r.amount and r.amount.known and r.amount.max)
    text = TUI_CATALOG.read_text(encoding="utf-8")
    block_start = text.index(f'id = "{first.policy.id}"')
    block_end = text.find("[[policy]]", block_start)
    block = text[block_start:block_end]
    figure = str(first.amount.max)
    assert figure in block
    new_text = text[:block_start] + block.replace(figure, str(first.amount.max * 2)) + text[block_end:]
    new_path = tmp_path / "new.toml"
    new_path.write_text(new_text, encoding="utf-8")
    from app.storage import catalog_store
    catalog_store.install(new_path)                      # the update brought on a USB stick
    app = make_app("zh_CN", catalog=None)
    async with app.run_test(size=SIZE) as pilot:
        listing = await open_clients(pilot)
        shown = options_text(listing)
        flagged = [s.split()[0] for s in shown if "政策更新：结果有变化" in s]
        assert flagged == ["老王餐馆"], shown
        await pilot.press("down")
        index = next(i for i, s in enumerate(shown) if "老王餐馆" in s)
        listing.highlighted = index
        await pilot.press("enter")
        await pilot.pause()
        assert screen_name(app) == "ResultsScreen"
        assert "政策目录已更新" in _notices(app)
        await pilot.press("f10")
        await pilot.pause()
        await pilot.press("f5")
        await pilot.pause()
        assert not any("政策更新" in s for s in options_text(app.screen.query_one("#clients-list", OptionList)))
    assert client.path.exists()


# ---------------------------------------------------------------- a broken catalog never stops the app

async def test_a_damaged_installed_catalog_falls_back_and_says_so():
    from app.storage import catalog_store
    from app.storage.paths import bundled_catalog
    catalog_store.install(TUI_CATALOG)
    installed = catalog_store.read_installed().current.path
    installed.write_text("[catalog]\nversion = ", encoding="utf-8")       # damaged on the disk
    app = make_app("zh_CN", catalog=None)
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(pilot)
        await pilot.pause()
        assert app.catalog is not None and app.catalog.sha == load_catalog(bundled_catalog()).sha
        notes = _notices(app)
        assert str(installed) in notes and "已改用" in notes
        home = "\n".join(str(w.render()) for w in app.screen.query("#home-catalog"))
        assert "上次可用的目录" in home
        await pilot.press("f3")                                           # and it works
        await pilot.pause()
        assert screen_name(app) == "QuestionnaireScreen"


async def test_a_broken_bundled_catalog_starts_with_the_last_good_copy(tmp_path, monkeypatch):
    from app.storage import catalog_store
    from app.storage import paths
    good = tmp_path / "bundled.toml"
    good.write_bytes(TUI_CATALOG.read_bytes())
    monkeypatch.setattr(paths, "bundled_catalog", lambda: good)
    first = catalog_store.active()                       # a normal start remembers it
    assert first.source == "bundled"
    good.write_text("[[policy]]\nid = ", encoding="utf-8")   # then the program files are damaged
    app = make_app("zh_CN", catalog=None)
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(pilot)
        await pilot.pause()
        assert app.catalog is not None and app.catalog.sha == first.catalog.sha
        assert app.catalog_source == "last_good"
        assert str(good) in _notices(app)


async def test_delete_is_the_delete_key_and_enter_in_its_dialog_cancels():
    """Issue item 13: the dialog focused 「删除」, so Enter deleted at once; F8 meant export on
    the results and delete here. Now Delete (in the list) asks, with 「取消」 focused."""
    _save(RESTAURANT_FACTS, state=DONE)
    app = make_app("zh_CN")
    async with app.run_test(size=SIZE) as pilot:
        await open_clients(pilot)
        await pilot.press("down")                        # to the list
        assert "Del 删除" in app.screen.query_one("KeyBar").content.plain
        await pilot.press("f8")                          # no longer delete
        await pilot.pause()
        assert screen_name(app) == "ClientsScreen"
        await pilot.press("delete")
        await pilot.pause()
        assert screen_name(app) == "ConfirmScreen"
        assert app.focused.id == "confirm-no" and str(app.focused.label) == "取消"
        await pilot.press("enter")                       # Enter alone: cancel
        await pilot.pause()
        assert screen_name(app) == "ClientsScreen" and len(Workspace().list().clients) == 1
        await pilot.press("delete")
        await pilot.pause()
        await pilot.press("left")
        assert app.focused.id == "confirm-yes"
        await pilot.press("enter")
        await pilot.pause()
        assert Workspace().list().clients == []


def test_each_key_has_one_meaning():
    """A key bound on several screens does the same thing on each (F8: export; Del: delete)."""
    import importlib
    import pkgutil

    import screens
    from textual.screen import Screen
    meanings: dict[str, set[str]] = {}
    for mod in pkgutil.iter_modules(screens.__path__):
        module = importlib.import_module(f"screens.{mod.name}")
        for cls in vars(module).values():
            if isinstance(cls, type) and issubclass(cls, Screen) and cls.__module__ == module.__name__:
                for b in cls.BINDINGS:
                    for key in b.key.split(","):
                        meanings.setdefault(key, set()).add(b.id or b.action)
    assert meanings["f8"] <= {"export", "save"}, meanings["f8"]      # save: of the export dialog
    assert meanings["delete"] == {"delete"}


async def test_a_copy_of_a_finished_client_is_finished_and_opens_on_its_results():
    source = _save(RESTAURANT_FACTS, seen=list(RESTAURANT_FACTS), position="revenue", state=DONE)
    app = make_app("zh_CN")
    async with app.run_test(size=SIZE) as pilot:
        await open_clients(pilot)
        await pilot.press("f5", *"复制的店", "enter")
        await pilot.pause()
        assert screen_name(app) == "ResultsScreen"
        assert app.session.facts == dict(RESTAURANT_FACTS, name="复制的店")
        copy = next(i for i in Workspace().list().clients if i.name == "复制的店")
        assert copy.id != source.id and copy.state == DONE and copy.position == "revenue"
        assert copy.results and copy.catalog_sha == CATALOG.sha       # its results digest
        await pilot.press("f10", "f5")
        await pilot.pause()
        shown = options_text(app.screen.query_one("#clients-list", OptionList))
        assert all("已出结果" in line for line in shown), shown


async def test_a_copy_of_an_unfinished_client_resumes_where_that_one_stood():
    _half_way()
    app = make_app("zh_CN")
    async with app.run_test(size=SIZE) as pilot:
        await open_clients(pilot, decline_offer=True)
        await pilot.press("f5", *"另一家店", "enter")
        await pilot.pause()
        assert screen_name(app) == "QuestionnaireScreen" and app.screen.current == "sectors"
        assert app.screen.query_one("#q-progress").done == 3         # not 0%


async def test_a_client_saved_without_a_place_resumes_after_its_answers_not_at_question_1():
    """A copy made by an earlier version: every answer there, no position, 未答完."""
    _save(RESTAURANT_FACTS, seen=list(CATALOG.questions))
    app = make_app("zh_CN")
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(pilot)
        await pilot.pause()
        assert screen_name(app) == "ConfirmScreen"       # offered to continue
        await pilot.press("enter")
        await pilot.pause()
        assert screen_name(app) == "QuestionnaireScreen"
        plan = [q.fact for q in app.plan()]
        assert app.screen.current == plan[-1] != plan[0]
        # at the end of its questions, not at question 1
        assert app.screen.query_one("#q-progress").done == len(app.screen.questions) - 1 > 0
