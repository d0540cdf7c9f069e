"""Pasting into the text fields (issue item 12).

A paste holding an escape sequence (``ABC␛[31mRED``) was saved scrambled (「^[31mREDABC」) and named
the client file so; a line break in it pressed Enter; a multi-line paste kept its first line
without a word. Now a paste is text: escape sequences and control characters are removed, lines
are joined with a space, and it goes in at the cursor.

Two layers are tested: the fields (a Paste event posted to the focused field, as Textual delivers
it) and the terminal input parser (the bytes a terminal sends for a bracketed paste, split in any
way between reads).
"""

from __future__ import annotations

import random

from textual import events
from textual.widgets import Input

from app.engine.text import one_line
from app.storage.client_store import DONE, Workspace
from screens.paste import PASTE_END, PASTE_START, PasteSafeParser
from tui_driver import SIZE, make_app, open_clients, screen_name, start_new


async def paste(pilot, text: str) -> None:
    pilot.app.focused.post_message(events.Paste(text))
    await pilot.pause()


async def test_a_paste_with_an_escape_sequence_goes_in_clean_at_the_cursor():
    app = make_app("zh_CN")
    async with app.run_test(size=SIZE) as pilot:
        await start_new(pilot)
        field = app.screen.query_one("#q-input", Input)
        assert app.focused is field
        await pilot.press(*"XY", "left")
        await paste(pilot, "ABC\x1b[31mRED")
        assert field.value == "XABCREDY" and field.cursor_position == len("XABCRED")
        await pilot.press("enter")
        await pilot.pause()
        assert app.session.facts["name"] == "XABCREDY"
        (info,) = Workspace().list().clients
        assert info.path.name == "XABCREDY.toml"


async def test_a_multi_line_paste_is_joined_and_the_field_keeps_working():
    app = make_app("zh_CN")
    async with app.run_test(size=SIZE) as pilot:
        await start_new(pilot)
        field = app.screen.query_one("#q-input", Input)
        await paste(pilot, "老王\x1b[1m\r\n餐馆\x1b]0;title\x07\n\n")
        assert field.value == "老王 餐馆"
        assert screen_name(app) == "QuestionnaireScreen" and app.screen.current == "name"
        await pilot.press(*"ok")                          # not frozen: typing goes on
        assert field.value == "老王 餐馆ok"
        field.selection = (0, 2)                          # a selection is replaced
        await paste(pilot, "小李\n")
        assert field.value == "小李 餐馆ok"
        await pilot.press("enter")
        await pilot.pause()
        assert app.session.facts["name"] == "小李 餐馆ok" and app.screen.current != "name"


async def test_pastes_in_the_clients_search_and_the_rename_prompt():
    Workspace().save(Workspace().new(), {"name": "老王餐馆", "league": "wuhai"}, state=DONE)
    app = make_app("zh_CN")
    async with app.run_test(size=SIZE) as pilot:
        await open_clients(pilot)
        await paste(pilot, "乌海\x1b[0m\n餐馆")
        assert app.screen.query_one("#clients-search", Input).value == "乌海 餐馆"
        await pilot.press("f4")                           # rename: the name is selected
        await pilot.pause()
        assert screen_name(app) == "PromptScreen"
        field = app.screen.query_one(Input)
        field.value = ""
        await paste(pilot, "王记\x1b[31m\r\n餐馆")
        await pilot.press("enter")
        await pilot.pause()
        assert [i.name for i in Workspace().list().clients] == ["王记 餐馆"]


def events_of(parser, wire: str, sizes) -> list[tuple[str, str]]:
    """Feed the bytes in chunks of the given sizes; the events as (kind, text or key)."""
    out, i = [], 0
    for n in sizes:
        if wire[i:i + n]:                  # an empty feed means the end of input
            out += list(parser.feed(wire[i:i + n]))
        i += n
    return [(type(e).__name__, getattr(e, "text", None) or getattr(e, "key", "")) for e in out]


def test_a_bracketed_paste_with_escapes_arrives_whole_however_it_is_split():
    rng = random.Random(12)
    wire = ("a" + PASTE_START + "ABC\x1b[31mRED\rsecond line\x1b]0;t\x07!\x1bPq\x1b\\" + PASTE_END + "b"
            + PASTE_START + "x\x1b" + PASTE_END + "\x1b[A")
    expected = [("Key", "a"), ("Paste", "ABCRED\rsecond line!"), ("Key", "b"), ("Paste", "x"), ("Key", "up")]
    assert events_of(PasteSafeParser(), wire, [len(wire)]) == expected
    for _ in range(200):
        sizes = [rng.randint(1, 6) for _ in range(len(wire))]
        assert events_of(PasteSafeParser(), wire, sizes) == expected


def test_the_app_reads_the_terminal_with_the_paste_safe_parser():
    import textual.drivers.linux_driver as linux
    app = make_app("zh_CN")
    driver = app.get_driver_class()
    assert driver.__module__ != linux.__name__ or linux.XTermParser is PasteSafeParser


def test_one_line():
    assert one_line("ABC\x1b[31mRED") == "ABCRED"
    assert one_line(" a \r\n\tb \n") == "a b"
    assert one_line("  keeps  inner  spaces ") == "  keeps  inner  spaces "
    assert one_line("\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\") == "link"
    assert one_line("\x00\x07bell\u202e") == "bell"


async def test_a_paste_in_the_results_search_keeps_every_line():
    from tui_driver import walk
    app = make_app("zh_CN")
    async with app.run_test(size=SIZE) as pilot:
        await walk(pilot, {"name": "老王", "sectors": ["catering"]})
        assert screen_name(app) == "ResultsScreen"
        await pilot.press("f5")                           # to the search field
        await pilot.pause()
        await paste(pilot, "稳岗\x1b[31m\n返还")
        assert app.screen.query_one("#filter-search", Input).value == "稳岗 返还"
