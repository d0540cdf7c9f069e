"""The command palette in the user's language (Textual's own words are English)."""

from __future__ import annotations

from textual.command import SearchIcon

from .textual_private import TranslatedNoMatches


class LocalPalette(TranslatedNoMatches):
    """CommandPalette with a translated placeholder and 「no matches」 line."""

    def __init__(self, *, placeholder: str, no_matches: str, **kwargs):
        super().__init__(placeholder=placeholder, **kwargs)
        self.no_matches_words = no_matches

    def on_mount(self) -> None:
        for icon in self.query(SearchIcon):     # no emoji in the interface
            icon.icon = ">"
