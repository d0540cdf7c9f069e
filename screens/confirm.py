"""A yes/no question before something that loses answers (a new assessment, quitting)."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static

from .base import HuiqiModal
from .text import plain
from .widgets import KeyBar


class ConfirmScreen(HuiqiModal[bool]):
    """Dismisses with True (the first button) or False (Esc, the second button).

    Enter presses the focused button: the first, or with ``safe=True`` (something that cannot
    be undone, such as deleting a client) the second, 「取消」, so Enter alone never destroys."""

    PLACE = "confirm"

    def __init__(self, message: str, yes: str, *, safe: bool = False):
        super().__init__()
        self.message, self.yes_words, self.safe = message, yes, safe

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="confirm"):
            yield Static(plain(self.message), classes="dialog-text")
            with Horizontal(classes="dialog-buttons"):
                yield Button(self.yes_words, id="confirm-yes", variant="warning", compact=True)
                yield Button(self.loc.t("ui.confirm.cancel"), id="confirm-no", compact=True)
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#confirm-no" if self.safe else "#confirm-yes").focus()

    @on(Button.Pressed, "#confirm-yes")
    def action_yes(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#confirm-no")
    def action_cancel(self) -> None:
        self.dismiss(False)
