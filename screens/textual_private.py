"""The two places where the app reaches into Textual's internals, kept here and nowhere else.

Textual 8 has no public way to (1) give a node's key bindings descriptions in another language
after the node is made (bindings are class data; each node holds a private copy of the map,
``DOMNode._bindings``), nor (2) change the words of the command palette's 「No matches found」
line (``CommandPalette._start_no_matches_countdown``). tests/test_textual_private.py fails when
Textual changes either, so a newer Textual is noticed at once; until then both fall back to
Textual's own (English) words rather than fail.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Callable

from rich.align import Align
from rich.text import Text
from textual.command import CommandList, CommandPalette
from textual.dom import DOMNode
from textual.widgets.option_list import Option


def describe_bindings(node: DOMNode, words: Callable[[str], str | None]) -> bool:
    """Give every binding of ``node`` that has an id the description ``words(id)`` (None: keep
    it). Only this node's copy of its bindings changes, never the class. False if Textual no
    longer keeps bindings where this looks."""
    table = getattr(getattr(node, "_bindings", None), "key_to_bindings", None)
    if not isinstance(table, dict):
        return False
    for key, bindings in list(table.items()):
        changed = []
        for b in bindings:
            text = words(b.id) if b.id else None
            changed.append(replace(b, description=text, tooltip="") if text is not None else b)
        table[key] = changed
    return True


class TranslatedNoMatches(CommandPalette):
    """A CommandPalette whose 「no matches」 line is in the user's language."""

    no_matches_words = "No matches found"

    def _start_no_matches_countdown(self, search_value: str) -> None:
        # Same as Textual's (textual/command.py), with the words translated. Falls back to
        # Textual's own if its internals ever change.
        try:
            self._stop_no_matches_countdown()
            words = self.no_matches_words

            def _show_no_matches() -> None:
                if search_value:
                    self.query_one(CommandList).add_option(Option(
                        Align.center(Text(words, style="not bold")), disabled=True, id=self._NO_MATCHES))
                    self._list_visible = True
                else:
                    self._list_visible = False

            self._no_matches_timer = self.set_timer(self._NO_MATCHES_COUNTDOWN, _show_no_matches)
        except AttributeError:  # pragma: no cover - a newer Textual
            super()._start_no_matches_countdown(search_value)
