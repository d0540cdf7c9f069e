"""Review: every question that matters now and its answer on one page, edited in place.

The fast path for a clerk who knows the facts: move with the arrow keys, Enter opens the question
right under its row, F3 clears an answer (unknown).
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Static

from app.engine.catalog import SECTIONS

from .base import HuiqiScreen, title_bar
from .question import Asking, QuestionView
from .commands import bindings_for
from .text import plain
from .widgets import KeyBar


def row_label(question, loc, catalog) -> str:
    label = loc.fact_label(question.fact, catalog)
    return label


class ReviewRow(Vertical, can_focus=True):
    """One answer. Enter: edit it here."""

    PLACE = "review_row"
    BINDINGS = bindings_for(PLACE)

    class EditWanted(Message):
        """Enter or a click on a row: its screen opens the question under it."""

        def __init__(self, row: "ReviewRow"):
            super().__init__()
            self.row = row

    def __init__(self, question, value, asking: Asking, **kwargs):
        super().__init__(**kwargs)
        self.question, self.value, self.asking = question, value, asking

    def compose(self) -> ComposeResult:
        with Horizontal(classes="review-line"):
            yield Static(classes="review-label")
            yield Static(classes="review-value")

    def on_mount(self) -> None:
        self.show_value()

    def show_value(self) -> None:
        loc, cat, value = self.asking.loc, self.asking.catalog, self.value
        self.query_one(".review-label", Static).update(plain(row_label(self.question, loc, cat)))
        shown = loc.value(self.question.fact, value, cat) if value is not None else loc.t("value.unknown")
        self.query_one(".review-value", Static).update(
            plain(shown, "" if value is not None else "dim italic"))

    @property
    def editing(self) -> bool:
        return bool(self.query(QuestionView))

    def action_edit(self) -> None:
        if not self.editing:
            self.post_message(self.EditWanted(self))

    async def start_edit(self) -> None:
        """Open the question under the row (its screen closes any other first)."""
        if self.editing:
            return
        self.add_class("-editing")
        await self.mount(QuestionView(self.question, self.value, self.asking, compact=True))
        self.call_after_refresh(self.scroll_visible)

    async def stop_edit(self) -> None:
        self.remove_class("-editing")
        await self.query(QuestionView).remove()

    def on_click(self) -> None:
        self.action_edit()


class ReviewScreen(HuiqiScreen):
    PLACE = "review"

    def compose(self) -> ComposeResult:
        yield from title_bar(self.loc.t("ui.review.title"))
        yield Static(id="review-summary")
        rows = VerticalScroll(id="review-rows")
        rows.can_focus = False            # the rows take the focus, one by one
        yield rows
        yield KeyBar()

    async def on_screen_resume(self) -> None:
        if self._editing_row() is not None:
            return          # back from a dialog of the open question (a number to confirm): keep it open
        await self.rebuild()

    async def rebuilt(self) -> None:
        await self.rebuild()

    async def rebuild(self, focus_fact: str | None = None) -> None:
        app, loc = self.huiqi, self.loc
        questions = app.plan()
        asking = Asking.of(app)
        rows = self.query_one("#review-rows", VerticalScroll)
        focused = focus_fact or (self.focused.question.fact if isinstance(self.focused, ReviewRow) else None)
        await rows.remove_children()
        widgets = []
        for section in SECTIONS:
            items = [q for q in questions if q.section == section]
            if not items:
                continue
            widgets.append(Static(plain(loc.t(f"ui.section.{section}"), "bold"), classes="review-section"))
            widgets += [ReviewRow(q, app.session.facts.get(q.fact), asking, id=f"row-{q.fact}")
                        for q in items]
        await rows.mount_all(widgets)
        answered = sum(1 for q in questions if q.fact in app.session.facts)
        self.query_one("#review-summary", Static).update(
            plain(loc.t("ui.review.summary", answered=answered, total=len(questions))))
        target = None
        if focused:
            target = next((w for w in widgets if isinstance(w, ReviewRow) and w.question.fact == focused), None)
        if target is None:
            target = next((w for w in widgets if isinstance(w, ReviewRow)), None)
        if target is not None:
            target.focus(scroll_visible=False)
            self.call_after_refresh(target.scroll_visible, animate=False)

    async def on_review_row_edit_wanted(self, event: ReviewRow.EditWanted) -> None:
        event.stop()
        for other in self.query(ReviewRow):
            if other is not event.row and other.editing:
                await other.stop_edit()
        await event.row.start_edit()

    async def on_question_view_answered(self, event: QuestionView.Answered) -> None:
        event.stop()
        from .questionnaire import record_answer
        record_answer(self.huiqi.session, event.fact, event.value)
        self.huiqi.autosave()
        await self.rebuild(focus_fact=event.fact)

    def _editing_row(self) -> ReviewRow | None:
        return next((r for r in self.query(ReviewRow) if r.editing), None)

    def _row_of_focus(self) -> ReviewRow | None:
        node = self.focused
        while node is not None and not isinstance(node, ReviewRow):
            node = node.parent
        return node

    async def action_back(self) -> None:
        row = self._editing_row()
        if row is not None:
            await row.stop_edit()
            row.focus()
            return
        self.app.pop_screen()

    async def action_clear(self) -> None:
        row = self._row_of_focus()
        if row is None:
            return
        self.huiqi.session.answer(row.question.fact, None)
        self.huiqi.autosave()
        await self.rebuild(focus_fact=row.question.fact)
