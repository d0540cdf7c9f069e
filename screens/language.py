"""First start: choose the language (both names shown in their own language)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from .base import HuiqiModal


class LanguageScreen(HuiqiModal["str | None"]):
    """Dismisses with "zh_CN" or "en"."""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="language-dialog"):
            yield Static("请选择语言 / Choose a language", classes="dialog-text")
            yield OptionList(Option("中文（简体）", id="zh_CN"), Option("English", id="en"),
                             id="language-options")

    def on_mount(self) -> None:
        self.query_one("#language-options", OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)
