"""A catalog that cannot be used: say so plainly, list the problems, never a traceback."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from .base import HuiqiModal
from .text import plain
from .widgets import KeyBar

SHOWN = 40


class CatalogProblemScreen(HuiqiModal[None]):
    PLACE = "problem"

    def compose(self) -> ComposeResult:
        loc, app = self.loc, self.huiqi
        from app.storage.paths import bundled_catalog
        target = str(app.catalog_path or bundled_catalog())
        problems = app.catalog_problems
        with VerticalScroll(classes="dialog", id="problem"):
            yield Static(plain(loc.t("ui.problem.title"), "bold $error"), classes="dialog-title")
            yield Static(plain(loc.t("error.catalog", file=target)), classes="dialog-text")
            for problem in problems[:SHOWN]:      # PATH:LINE: message, in the user's language
                yield Static(plain(loc.problem(problem)), classes="problem-line")
            if len(problems) > SHOWN:
                yield Static(plain(loc.t("ui.problem.more", count=len(problems) - SHOWN)), classes="dialog-text")
            yield Static(plain(loc.t("ui.problem.what_to_do")), classes="dialog-text")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#problem").focus()

    def action_close(self) -> None:
        self.dismiss(None)
