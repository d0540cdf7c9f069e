"""F1: how to use the app and every key, in the user's language, from the command table."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from .base import HuiqiModal
from .commands import help_lines
from .text import plain
from .widgets import KeyBar


class HelpScreen(HuiqiModal[None]):
    PLACE = "help"

    def compose(self) -> ComposeResult:
        loc = self.loc
        with VerticalScroll(classes="dialog", id="help"):
            yield Static(plain(loc.t("ui.help.title"), "bold"), classes="dialog-title")
            yield Static(plain(loc.t("ui.help.intro")), classes="dialog-text")
            yield Static(plain(loc.t("ui.help.keys_title"), "bold"), classes="dialog-text")
            for heading, lines in help_lines(loc):
                yield Static(plain(heading, "bold"), classes="help-key")
                for line in lines:
                    yield Static(plain("  " + line), classes="help-key")
            yield Static(plain(loc.t("ui.help.numbers"), "dim"), classes="dialog-text")
            yield Static(plain(loc.t("ui.help.close"), "dim"), classes="dialog-text")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#help").focus()

    def action_close(self) -> None:
        self.dismiss(None)
