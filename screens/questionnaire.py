"""The questionnaire: one question at a time, the one whose answer can change the most first.

After every answer the engine (``app.engine.planner``) ranks the questions still worth asking by
what they can settle in the answer's first three sections; the screen shows the heaviest. It also
shows the answer so far (the apply-now count and total), and when no question left can change
the first three sections it says so and offers the results — the other questions stay available
in the review as optional detail. Back goes to the questions in the order they were asked.
"""

from __future__ import annotations

from time import perf_counter

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.events import Click
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from app.engine.catalog import SECTIONS
from app.engine.needed_facts import implied_answers, order_key

from .base import HuiqiModal, HuiqiScreen, title_bar
from .question import Asking, QuestionView
from .text import join, plain
from .widgets import KeyBar, ProgressLine


def record_answer(session, fact: str, value) -> set[str]:
    """Store an answer and what follows from it; returns the facts settled by implication."""
    return session.answer(fact, value, implied_answers(fact, value))


def resume_point(questions, seen) -> str | None:
    """Where to go on when the place is not known (a client saved without one): the first
    question not seen yet, else (every one answered) the last, never back to the first."""
    if not questions:
        return None
    return next((q for q in questions if q.fact not in seen), questions[-1]).fact


class SectionTab(Static):
    """A section's name and how many of its questions are done; a click jumps there."""

    def __init__(self, section: str, **kwargs):
        super().__init__(**kwargs)
        self.section = section

    def on_click(self, event: Click) -> None:
        event.stop()
        self.screen.jump_to_section(self.section)  # type: ignore[attr-defined]


class QuestionnaireScreen(HuiqiScreen):
    PLACE = "questionnaire"

    def __init__(self, start: str | None = None):
        super().__init__()
        self.current: str | None = start
        self.questions = []
        self.transitions: list[float] = []
        self._answered_at: float | None = None

    # ------------------------------------------------------------ layout
    def compose(self) -> ComposeResult:
        yield from title_bar()
        with Horizontal(id="sections"):
            for section in SECTIONS:
                yield SectionTab(section, id=f"tab-{section}", classes="section-tab")
        yield ProgressLine(id="q-progress")
        yield Static(id="q-live")
        yield VerticalScroll(id="q-area")
        yield KeyBar()

    def _facts(self) -> list[str]:
        return [q.fact for q in self.questions]

    def _refresh_plan(self) -> list:
        """The questions of this questionnaire: those asked so far (in the order asked) and the
        ones still worth asking, heaviest first."""
        app = self.huiqi
        cat, session = app.catalog, app.session
        here = cat.questions.get(self.current) if self.current else None
        section = here.section if here else None
        self.questions = session.questionnaire(cat, app.as_of, section)
        return [w.question for w in session.ranked(cat, app.as_of, section)]

    async def on_screen_resume(self) -> None:
        """Shown (first time, or back from review or results): answers may have changed."""
        ranked = self._refresh_plan()
        if self.current is None or self.current not in self._facts():
            first = ranked[0] if ranked else None
            self.current = first.fact if first is not None else (
                self.questions[-1].fact if self.questions else None)
        views = self.query(QuestionView)
        if views and views.first().question.fact == self.current and \
                views.first().value == self.huiqi.session.facts.get(self.current):
            # back from help or a dialog: keep what was being typed, just refresh the counts
            await self.show_question(self.current, reload=False)
            return
        await self.show_question(self.current)

    async def rebuilt(self) -> None:
        await self.show_question(self.current)

    async def show_question(self, fact: str | None, reload: bool = True) -> None:
        app, loc = self.huiqi, self.loc
        area = self.query_one("#q-area", VerticalScroll)
        if fact is None or app.catalog is None:
            await area.remove_children()
            await area.mount(Static(plain(loc.t("ui.q.none_left"))))
            return
        question = app.catalog.questions[fact]
        if fact not in self._facts():
            self._refresh_plan()
            if fact not in self._facts():
                self.questions.append(question)
        self.current = fact
        app.session.shown(fact)
        facts = self._facts()
        index = facts.index(fact) if fact in facts else 0
        self.query_one("#titlebar").show(
            loc.t(f"ui.section.{question.section}"),
            loc.t("ui.q.progress", n=index + 1, total=len(facts)))
        self._update_tabs(question.section)
        self.query_one("#q-progress", ProgressLine).show(index, len(facts))
        self._show_live()
        views = area.query(QuestionView)
        if views and not reload:
            views.first().focus_answer()
        elif views:
            views.first().load(question, app.session.facts.get(fact), Asking.of(app))
        else:
            await area.remove_children()
            await area.mount(QuestionView(question, app.session.facts.get(fact), Asking.of(app)))
        area.scroll_home(animate=False)
        # focusing the list scrolls it into view; the question itself must stay in sight (a long
        # English question and its help over a list would push it off an 80x24 screen)
        self.call_after_refresh(area.scroll_home, animate=False)
        if self._answered_at is not None:
            self.call_after_refresh(self._painted, self._answered_at)
            self._answered_at = None

    def _show_live(self, finished: bool = False) -> None:
        """The answer so far: how many supports can be applied for now, and their total."""
        from app.render.report import totals_text
        app, loc = self.huiqi, self.loc
        a = app.assessment()
        now = len(a.by_section("apply_now"))
        line = loc.t("ui.q.live", count=now, total=totals_text(a, loc)) if now else loc.t("ui.q.live_none")
        hint = loc.t("ui.q.live_done" if finished else "ui.q.live_results")
        self.query_one("#q-live", Static).update(join((line, "bold"), ("  " + hint, "dim")))

    def _painted(self, started: float) -> None:
        """Time from an answer to the next question painted (ms), for bench/bench_tui.py."""
        self.transitions.append((perf_counter() - started) * 1000)

    def _update_tabs(self, current_section: str) -> None:
        seen = self.huiqi.session.seen
        for section in SECTIONS:
            tab = self.query_one(f"#tab-{section}", SectionTab)
            in_section = [q for q in self.questions if q.section == section]
            done = sum(1 for q in in_section if q.fact in seen)
            tab.update(join(self.loc.t(f"ui.section.{section}"), (f" {done}/{len(in_section)}", "dim")))
            tab.set_class(section == current_section, "-current")
            tab.set_class(not in_section, "-empty")

    # ------------------------------------------------------------ answers
    async def on_question_view_answered(self, event: QuestionView.Answered) -> None:
        event.stop()
        if event.fact != self.current:      # a second key press on a question already left
            return
        self._answered_at = perf_counter()
        skip = record_answer(self.huiqi.session, event.fact, event.value)
        await self.go_next(skip)
        self.huiqi.autosave()      # after moving on, so a resume starts at the next question

    async def go_next(self, skip: set[str] = frozenset()) -> None:
        ranked = [q for q in self._refresh_plan() if q.fact not in skip]
        if ranked:
            await self.show_question(ranked[0].fact)
        else:
            await self.show_done()

    async def show_done(self) -> None:
        """No question left can change the first three sections: say so, offer the results."""
        loc = self.loc
        self.current = None
        area = self.query_one("#q-area", VerticalScroll)
        await area.remove_children()
        await area.mount(Static(plain(loc.t("ui.q.nothing_changes"), "bold"), id="q-done"))
        self.query_one("#q-progress", ProgressLine).show(1, 1)
        self.questions = [q for q in self.questions if q.fact in self.huiqi.session.seen]
        self._update_tabs("")
        self._show_live(finished=True)
        self.query_one("#titlebar").show(loc.t("ui.q.done_title"), "")

    async def action_back(self) -> None:
        app = self.huiqi
        previous = app.session.previous(self.current)
        if previous is not None:
            await self.show_question(previous)
            return
        here = app.catalog.questions.get(self.current) if self.current else None
        earlier = [q for q in self.questions if here is not None and order_key(q) < order_key(here)
                   and q.fact in app.session.seen]
        if earlier:
            await self.show_question(earlier[-1].fact)
        else:
            self.app.pop_screen()

    def action_skip(self) -> None:
        for view in self.query(QuestionView):
            if view.question.fact == self.current:
                view.skip()
                return

    def action_finish_if_done(self) -> None:
        if self.current is None:
            self.huiqi.action_results()

    # ------------------------------------------------------------ sections
    def action_sections(self) -> None:
        self.app.push_screen(SectionPicker(self.questions, self.huiqi.session.seen),
                             self._picked)

    def _picked(self, section: str | None) -> None:
        if section:
            self.jump_to_section(section)

    def jump_to_section(self, section: str) -> None:
        target = next((q for q in self.questions if q.section == section), None)
        if target is not None:
            self.run_worker(self.show_question(target.fact), exclusive=True, group="show")
        else:
            self.notify(self.loc.t("ui.q.section_empty"), markup=False)


class SectionPicker(HuiqiModal["str | None"]):
    """Jump to a section: its name and how many of its questions are answered."""

    PLACE = "sections_picker"

    def __init__(self, questions, seen):
        super().__init__()
        self.questions, self.seen = questions, seen

    def compose(self) -> ComposeResult:
        loc = self.loc
        options = []
        for section in SECTIONS:
            items = [q for q in self.questions if q.section == section]
            done = sum(1 for q in items if q.fact in self.seen)
            options.append(Option(join(loc.t(f"ui.section.{section}"),
                                       ("  " + loc.t("ui.q.section_count", done=done, total=len(items)), "dim")),
                                  id=section, disabled=not items))
        with VerticalScroll(classes="dialog"):
            yield Static(plain(loc.t("ui.q.sections_title"), "bold"), classes="dialog-title")
            yield OptionList(*options, id="section-list")
            yield Static(plain(loc.t("ui.dialog.hint_pick"), "dim"))
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#section-list").focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option_id)

    def action_close(self) -> None:
        self.dismiss(None)
