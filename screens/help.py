"""F1: how to use the app and every key, in the user's language."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from .base import HuiqiModal
from .text import plain
from .widgets import KeyBar

KEYS = ("f1", "f2", "f3", "f4", "f5", "f6", "f7", "f8", "f9", "f10", "delete", "enter", "escape",
        "space", "arrows", "ctrl_p", "ctrl_q")


class HelpScreen(HuiqiModal):
    BINDINGS = [Binding("escape", "close", "Close", id="close")]

    def compose(self) -> ComposeResult:
        loc = self.loc
        with VerticalScroll(classes="dialog", id="help"):
            yield Static(plain(loc.t("ui.help.title"), "bold"), classes="dialog-title")
            yield Static(plain(loc.t("ui.help.intro")), classes="dialog-text")
            yield Static(plain(loc.t("ui.help.keys_title"), "bold"), classes="dialog-text")
            for key in KEYS:
                yield Static(plain(loc.t(f"ui.help.key.{key}")), classes="help-key")
            yield Static(plain(loc.t("ui.help.numbers"), "dim"), classes="dialog-text")
            yield Static(plain(loc.t("ui.help.close"), "dim"), classes="dialog-text")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#help").focus()

    def action_close(self) -> None:
        self.dismiss(None)
