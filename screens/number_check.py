"""A number far outside what the other answers make likely, asked about with its unit spelled out.

The rules are app.engine.numbers.doubt; this dialog only says what was typed and offers the
choices: keep it as typed, convert it from yuan (a 万元 field only), or edit it. Nothing is
refused and nothing is taken silently.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from .base import HuiqiModal
from .text import plain
from .widgets import KeyBar


def people_words(loc, count: int | float) -> str:
    """300000 people as a person says it: 30万人 / 300,000 people."""
    if loc.zh and count >= 10_000:
        return loc.t("ui.numbers.people", count=loc.number(count / 10_000) + "万")
    return loc.t("ui.numbers.people", count=loc.number(count))


class NumberCheckScreen(HuiqiModal["float | int | None"]):
    """Dismisses with the number to store (as typed, or converted from yuan into 万元), or None
    to edit it again (also Esc)."""

    PLACE = "number_check"

    def __init__(self, doubt, fact: str):
        super().__init__()
        self.doubt, self.fact = doubt, fact

    def _texts(self) -> tuple[str, str, list[tuple[str, str]], str]:
        """Title, message, the choices (id, words) and the one highlighted first."""
        loc, cat, d = self.loc, self.huiqi.catalog, self.doubt
        label = loc.fact_label(self.fact, cat)
        edit = ("edit", loc.t("ui.numbers.edit"))
        if d.kind == "yuan":
            typed, converted = loc.wan(d.value), loc.wan(d.converted)
            return (loc.t("ui.numbers.yuan_title", fact=label),
                    loc.t("ui.numbers.yuan_text", typed=typed, number=loc.number(d.value), converted=converted),
                    [("keep", loc.t("ui.numbers.keep", typed=typed)),
                     ("convert", loc.t("ui.numbers.convert", converted=converted)), edit],
                    "convert")
        count = people_words(loc, d.value)
        return (loc.t("ui.numbers.people_title", count=count),
                loc.t("ui.numbers.people_text", fact=label, number=loc.number(d.value), count=count),
                [("keep", loc.t("ui.numbers.people_keep", count=count)), edit],
                "edit")

    def compose(self) -> ComposeResult:
        title, message, choices, first = self._texts()
        with Vertical(classes="dialog", id="number-check"):
            yield Static(plain(title, "bold"), classes="dialog-title")
            yield Static(plain(message), classes="dialog-text")
            menu = OptionList(*[Option(plain(words), id=oid) for oid, words in choices],
                              id="number-check-choices")
            menu.highlighted = [oid for oid, _ in choices].index(first)
            yield menu
            yield Static(plain(self.loc.t("ui.dialog.hint_pick"), "dim"))
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#number-check-choices").focus()

    @on(OptionList.OptionSelected, "#number-check-choices")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option_id == "keep":
            self.dismiss(self.doubt.value)
        elif event.option_id == "convert":
            self.dismiss(self.doubt.converted)
        else:
            self.dismiss(None)

    def action_edit(self) -> None:
        self.dismiss(None)
