"""What if: change one answer and see which supports change, then keep or undo the change."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, OptionList, Static
from textual.widgets.option_list import Option

from app.engine.compare import changes

from .base import HuiqiModal
from .question import Asking, QuestionView
from .results import STYLE
from .review import row_label
from .text import join, plain
from .widgets import KeyBar


class WhatIfScreen(HuiqiModal[bool]):
    """Dismisses with True when a change was kept."""

    PLACE = "whatif"

    def __init__(self):
        super().__init__()
        self.stage = "pick"
        self.fact: str | None = None
        self.new_value = None
        self.found: list = []

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog", id="whatif"):
            yield Static(plain(self.loc.t("ui.whatif.title"), "bold"), classes="dialog-title")
            yield from self._stage()
        yield KeyBar()

    def _stage(self):
        app, loc = self.huiqi, self.loc
        cat = app.catalog
        if self.stage == "pick":
            yield Static(plain(loc.t("ui.whatif.pick")), classes="dialog-text")
            options = []
            for q in app.plan():
                value = app.session.facts.get(q.fact)
                shown = loc.value(q.fact, value, cat) if value is not None else loc.t("value.unknown")
                options.append(Option(join(row_label(q, loc, cat), ("  " + shown, "dim")), id=q.fact))
            yield OptionList(*options, id="whatif-facts")
        elif self.stage == "ask":
            q = cat.questions[self.fact]
            yield QuestionView(q, app.session.facts.get(self.fact), Asking.of(app), id="whatif-question")
        else:
            yield from self._changes()

    def _changes(self):
        app, loc = self.huiqi, self.loc
        cat = app.catalog
        label = loc.fact_label(self.fact, cat)
        old = app.session.facts.get(self.fact)
        show = lambda v: loc.value(self.fact, v, cat) if v is not None else loc.t("value.unknown")  # noqa: E731
        yield Static(plain(loc.t("ui.whatif.changed", fact=label, before=show(old), after=show(self.new_value))),
                     classes="dialog-text")
        status_changes = [c for c in self.found if c.status_changed]
        amount_changes = [c for c in self.found if not c.status_changed and c.after != "ineligible"]
        if not self.found:
            yield Static(plain(loc.t("ui.whatif.nothing"), "bold"), classes="dialog-text")
        if status_changes:
            yield Static(plain(loc.t("ui.whatif.status_changes", count=len(status_changes)), "bold"),
                         classes="dialog-text")
            for c in status_changes:
                yield Static(join("- ", (policy_title_of(c.policy, loc), "bold"), "\n  ",
                                  (loc.status(c.before), STYLE.get(c.before, "")),
                                  loc.t("ui.whatif.arrow"),
                                  (loc.status(c.after), STYLE.get(c.after, ""))), classes="whatif-change")
        if amount_changes:
            yield Static(plain(loc.t("ui.whatif.amount_changes", count=len(amount_changes)), "bold"),
                         classes="dialog-text")
            for c in amount_changes:
                yield Static(join("- ", (policy_title_of(c.policy, loc), "bold"), "\n  ",
                                  loc.amount(c.amount_before), loc.t("ui.whatif.arrow"),
                                  loc.amount(c.amount_after)), classes="whatif-change")
        with Horizontal(classes="dialog-buttons"):
            yield Button(loc.t("ui.whatif.keep"), id="whatif-keep", variant="primary", compact=True)
            yield Button(loc.t("ui.whatif.undo"), id="whatif-undo", compact=True)

    def on_mount(self) -> None:
        self.query_one("#whatif-facts").focus()

    async def _goto(self, stage: str) -> None:
        self.stage = stage
        await self.recompose()
        if stage == "changes":
            self.query_one("#whatif-keep").focus()
        elif stage == "pick":
            self.query_one("#whatif-facts").focus()

    @on(OptionList.OptionSelected, "#whatif-facts")
    async def _picked(self, event: OptionList.OptionSelected) -> None:
        self.fact = event.option_id
        await self._goto("ask")

    async def on_question_view_answered(self, event: QuestionView.Answered) -> None:
        event.stop()
        app = self.huiqi
        before = app.assessment()
        after = app.session.trial(app.catalog, app.as_of, event.fact, event.value)
        self.new_value = event.value
        self.found = changes(before, after)
        await self._goto("changes")

    @on(Button.Pressed, "#whatif-keep")
    def _keep(self) -> None:
        self.huiqi.session.answer(self.fact, self.new_value)
        self.huiqi.autosave()
        n = sum(1 for c in self.found if c.status_changed)
        self.app.notify(self.loc.t("ui.whatif.kept", count=n), markup=False)
        self.dismiss(True)

    @on(Button.Pressed, "#whatif-undo")
    def _undo(self) -> None:
        self.dismiss(False)

    def action_skip(self) -> None:
        views = self.query(QuestionView)
        if views:
            views.first().skip()

    async def action_cancel(self) -> None:
        if self.stage == "ask":
            await self._goto("pick")
        else:
            self.dismiss(False)


def policy_title_of(policy, loc) -> str:
    return loc.policy_text(policy, "title")
