"""A one-line text dialog (a client's name, a staff note). Enter keeps, Esc cancels."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Static

from .base import HuiqiModal
from .text import clean, plain
from .widgets import KeyBar, TextField


class PromptScreen(HuiqiModal["str | None"]):
    """Dismisses with the text typed (control characters removed), or None on Esc."""

    PLACE = "prompt"

    def __init__(self, message: str, value: str = "", placeholder: str = ""):
        super().__init__()
        self.message, self.value, self.placeholder = message, value, placeholder

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="prompt"):
            yield Static(plain(self.message), classes="dialog-text")
            yield TextField(self.value, placeholder=self.placeholder, id="prompt-input", compact=True)
            yield Static(plain(self.loc.t("ui.clients.prompt_hint"), "dim"), classes="dialog-text")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#prompt-input").focus()

    @on(Input.Submitted, "#prompt-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(" ".join(clean(event.value).split()))

    def action_cancel(self) -> None:
        self.dismiss(None)
