"""The command palette in the user's language (Textual's own words are English)."""

from __future__ import annotations

from rich.align import Align
from rich.text import Text
from textual.command import CommandList, CommandPalette, SearchIcon
from textual.widgets.option_list import Option


class LocalPalette(CommandPalette):
    """CommandPalette with a translated placeholder and 「no matches」 line."""

    def __init__(self, *, placeholder: str, no_matches: str, **kwargs):
        super().__init__(placeholder=placeholder, **kwargs)
        self._no_matches_words = no_matches

    def on_mount(self) -> None:
        for icon in self.query(SearchIcon):     # no emoji in the interface
            icon.icon = ">"

    def _start_no_matches_countdown(self, search_value: str) -> None:
        # Same as Textual's (textual/command.py), with the words translated. Falls back to
        # Textual's own if its internals ever change.
        try:
            self._stop_no_matches_countdown()
            words = self._no_matches_words

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
