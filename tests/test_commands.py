"""The command table (screens/commands.py) is the one description of every command: each has
its bindings, is offered by the palette where it applies, has its line in the help, and has words
in both languages; and every binding in screens/ comes from it."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from app.i18n.locale import Locale
from screens.commands import APP, COMMANDS, EVERYWHERE, HELP_PLACES, bindings_for, help_lines, key_words

SCREENS = Path(__file__).parent.parent / "screens"
LANGS = ("zh_CN", "en")


def test_ids_are_unique():
    ids = [c.id for c in COMMANDS]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c.id)
def test_every_command_has_a_binding_or_a_palette_entry(command):
    if not command.keys:            # palette only (colours, the keys panel)
        assert command.palette
        return
    for place in command.places:
        found = [b for b in bindings_for(place) if b.id == command.id]
        assert found, (command.id, place)
        assert {b.action for b in found} == {command.action}


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c.id)
def test_every_command_has_words_in_both_languages(command, lang):
    loc = Locale(lang)
    keys = [f"ui.key.{command.id}", f"ui.help.cmd.{command.id}"]
    if command.palette:
        keys += [f"ui.cmd.{command.id}", f"ui.cmd.{command.id}_help"]
    for key in keys:
        assert loc.has(key), key


@pytest.mark.parametrize("lang", LANGS)
def test_every_command_is_in_the_help(lang):
    loc = Locale(lang)
    text = "\n".join(line for _, lines in help_lines(loc) for line in lines)
    for command in COMMANDS:
        assert loc.t(f"ui.help.cmd.{command.id}") in text, command.id
        if command.keys:
            place = next(p for p in HELP_PLACES if p in command.places)
            assert key_words(command.keys_in(place)) in text, command.id


def test_the_help_no_longer_says_answers_are_lost_on_quit():
    for lang in LANGS:
        loc = Locale(lang)
        assert "not saved" not in loc.t("ui.cmd.quit_help") and "暂不保存" not in loc.t("ui.cmd.quit_help")


def _bindings_in_source() -> list[tuple[str, str]]:
    """(file, class) of every BINDINGS written in screens/ other than from the table."""
    out = []
    for path in SCREENS.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "BINDINGS" for t in node.targets):
                value = node.value
                from_table = (isinstance(value, ast.Call) and getattr(value.func, "id", "") == "bindings_for")
                if not from_table:
                    out.append((path.name, ast.unparse(value)[:60]))
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "Binding" and path.name != "commands.py":
                out.append((path.name, ast.unparse(node)[:60]))
    return out


def test_every_binding_in_screens_comes_from_the_table():
    assert _bindings_in_source() == []


def _places_of_classes():
    from screens import (app, clients, confirm, detail, export, help, home, number_check, problem,  # noqa: F401
                         prompt, question, questionnaire, results, review, whatif, widgets)
    from textual.dom import DOMNode

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)
    return {c: c.__dict__["PLACE"] for c in subclasses(DOMNode)
            if c.__module__.startswith("screens.") and "PLACE" in c.__dict__}


def test_every_place_has_a_class_with_its_bindings():
    classes = _places_of_classes()
    places = set(classes.values()) | {APP}
    for command in COMMANDS:
        for place in command.places:
            assert place in places, (command.id, place)
    for cls, place in classes.items():
        ids = [b.id for b in cls._merged_bindings.key_to_bindings and
               [b for bs in cls._merged_bindings.key_to_bindings.values() for b in bs]]
        for binding in bindings_for(place):
            assert binding.id in ids, (cls.__name__, binding.id)
    from screens.app import HuiqiApp
    assert [b.id for b in HuiqiApp.BINDINGS] == [b.id for b in bindings_for(APP)]


@pytest.mark.parametrize("lang", LANGS)
async def test_the_palette_offers_the_commands_of_the_screen_shown(lang):
    from tui_driver import SIZE, make_app, wait_ready
    loc = Locale(lang)
    app = make_app(lang)
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(pilot)
        for place, keys in (("home", ()), ("questionnaire", ("f3",)), ("review", ("f6",)),
                            ("results", ("f7",))):
            if keys:
                await pilot.press(*keys)
                await pilot.pause()
            assert getattr(app.screen, "PLACE", None) == place
            titles = [c.title for c in app.get_system_commands(app.screen)]
            for command in COMMANDS:
                if EVERYWHERE in command.palette and command.when in ("", "catalog"):
                    assert loc.t(f"ui.cmd.{command.id}") in titles, (place, command.id)
                elif place in command.palette:
                    assert loc.t(f"ui.cmd.{command.id}") in titles, (place, command.id)
            others = {c.id for c in COMMANDS if c.palette and EVERYWHERE not in c.palette
                      and place not in c.palette}
            for cid in others:       # a command of another screen is not offered here
                assert loc.t(f"ui.cmd.{cid}") not in titles or any(
                    loc.t(f"ui.cmd.{c.id}") == loc.t(f"ui.cmd.{cid}") for c in COMMANDS
                    if c.id != cid and (EVERYWHERE in c.palette or place in c.palette)), (place, cid)
