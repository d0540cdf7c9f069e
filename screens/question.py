"""One question as a widget, built from the catalog's data: text, help, unit and a way to answer.

Choice lists for yes/no, code and code-list facts (nobody has to type Chinese); an input for
numbers, dates and names, read by ``app.core.numbers``. Every question can be answered
「不确定」 (unknown: the fact is removed). A bad entry shows a message under the field and keeps
what was typed; nothing else changes until an answer is valid.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from app.core.facts import BOOL, CODE, CODES, DATE, INT, MONEY, NUMBER, TEXT
from app.core.numbers import parse_date, parse_number
from app.core.profile import check_value
from app.core.relevance import subset_choices

from .text import clean, join, plain
from .widgets import ClickAction, TextField

UNKNOWN = "__unknown__"
NEEDS_ONE = ("sectors",)          # a list fact that cannot be empty
TEXT_LIMIT = 200


def question_text(question, loc, catalog) -> tuple[str, str]:
    """(main text, secondary text) in the user's language.

    English without a translation of the question shows the English name of the fact and the
    Chinese question under it.
    """
    if loc.zh:
        return question.text, question.help
    text = loc.messages.get(f"question.{question.fact}.text")
    if isinstance(text, str) and text:
        return text, loc.question_text(question, "help")
    label = loc.fact_label(question.fact, catalog)
    return (label if label != question.text else question.text,
            question.text if label != question.text else question.help)


def unit_of(question, fact, loc) -> str:
    unit = question.unit or ("万元" if fact.type == MONEY else "")
    if not unit or loc.zh:
        return unit
    translated = loc.messages.get(f"question.{question.fact}.unit")
    if translated:
        return translated
    return loc.t(f"ui.unit.{unit}") if loc.has(f"ui.unit.{unit}") else unit


def input_text(fact_type: str, value: Any) -> str:
    """A stored value as it would be typed."""
    if value is None:
        return ""
    if fact_type == DATE and isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


class ChoiceList(OptionList):
    """A single choice: Enter or a click answers."""


class MultiChoice(OptionList):
    """Several choices: Space (or a click) ticks, Enter confirms. Ticks are drawn as [x], so
    they show without colour (NO_COLOR, 16 colours); the order of ticking is kept (the first
    sector is the main one)."""

    BINDINGS = [
        Binding("enter", "confirm", "Confirm", show=False),
        Binding("space", "select", "Toggle", show=False),
    ]

    class Confirmed(Message):
        pass

    class Changed(Message):
        pass

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.items: list[tuple[str, str]] = []
        self.selected: list[str] = []

    def set_items(self, items: list[tuple[str, str]], chosen: list[str]) -> None:
        self.items = items
        self.selected = [c for c in chosen if c in dict(items)]
        self.clear_options()
        self.add_options([Option(self._prompt(code, label), id=code) for code, label in items])
        self.highlighted = 0 if items else None

    def _prompt(self, code: str, label: str):
        ticked = code in self.selected
        return join(("[x] " if ticked else "[ ] ", "bold" if ticked else ""), label)

    def action_select(self) -> None:
        index = self.highlighted
        if index is None:
            return
        code, label = self.items[index]
        if code in self.selected:
            self.selected.remove(code)
        else:
            self.selected.append(code)
        self.replace_option_prompt_at_index(index, self._prompt(code, label))
        self.post_message(self.Changed())

    def action_confirm(self) -> None:
        self.post_message(self.Confirmed())


class QuestionView(Vertical):
    """One question; posts ``Answered(fact, value)`` (value None means 「不确定」).

    Every part is built once; ``load`` shows another question in the same widgets (only the
    parts its kind needs are displayed), so moving on mounts nothing.
    """

    DEFAULT_CLASSES = "question"

    class Answered(Message):
        def __init__(self, view: "QuestionView", fact: str, value: Any):
            super().__init__()
            self.view, self.fact, self.value = view, fact, value

        @property
        def control(self) -> "QuestionView":
            return self.view

    def __init__(self, question, value: Any, *, compact: bool = False, **kwargs):
        super().__init__(**kwargs)
        self.question = question
        self.value = value
        self.compact = compact
        if compact:
            self.add_class("-compact")

    # ------------------------------------------------------------ building
    @property
    def fact(self):
        return self.app.catalog.registry.get(self.question.fact)

    def compose(self) -> ComposeResult:
        loc = self.app.loc
        yield Static(classes="q-text")
        yield Static(classes="q-help")
        yield ChoiceList(classes="q-choices", id="q-choice")
        yield MultiChoice(classes="q-choices", id="q-multi")
        yield Static(classes="q-selected")
        with Horizontal(classes="q-input-row"):
            yield TextField(id="q-input", compact=True, select_on_focus=False)
            yield Static(classes="q-unit")
            yield Static(classes="q-preview")
        yield Static(classes="q-error")
        with Horizontal(classes="q-buttons"):
            yield ClickAction(plain(loc.t("ui.q.confirm")), id="q-ok", classes="-primary")
            yield ClickAction(plain(loc.t("ui.q.unknown")), id="q-skip")
        yield Static(classes="q-hint")

    def on_mount(self) -> None:
        self.load(self.question, self.value)

    def load(self, question, value: Any) -> None:
        """Show this question (in the same widgets) and focus its answer."""
        self.question, self.value = question, value
        app = self.app
        loc, cat = app.loc, app.catalog
        fact = self.fact
        kind = fact.type
        text, secondary = question_text(question, loc, cat)
        self.query_one(".q-text", Static).update(plain(text))
        help_ = self.query_one(".q-help", Static)
        help_.update(plain(secondary))
        help_.display = bool(secondary) and not self.compact
        choice = self.query_one("#q-choice", ChoiceList)
        multi = self.query_one("#q-multi", MultiChoice)
        row = self.query_one(".q-input-row")
        choice.display = kind in (BOOL, CODE)
        multi.display = kind == CODES
        self.query_one(".q-selected").display = kind == CODES
        row.display = kind not in (BOOL, CODE, CODES)
        self.query_one(".q-buttons").display = kind not in (BOOL, CODE)
        hint = self.query_one(".q-hint", Static)
        hint.update(plain(self._hint(kind), "dim"))
        hint.display = not self.compact
        self.show_error("")
        if kind in (BOOL, CODE):
            self._fill_choices(choice, fact, loc, cat)
            choice.focus()
        elif kind == CODES:
            multi.set_items([(code, loc.code_label(fact.codes, code, cat)) for code in self._codes(fact, cat)],
                            list(value or []))
            self._show_selected()
            multi.focus()
        else:
            field = self.query_one("#q-input", Input)
            with field.prevent(Input.Changed):
                field.value = input_text(kind, value)
            field.placeholder = self._placeholder(kind)
            field.cursor_position = len(field.value)
            unit = unit_of(question, fact, loc)
            unit_label = self.query_one(".q-unit", Static)
            unit_label.update(plain(unit))
            unit_label.display = bool(unit)
            preview = self.query_one(".q-preview", Static)
            preview.update("")
            preview.display = kind in (INT, MONEY, NUMBER, DATE)
            field.focus()

    def _placeholder(self, kind: str) -> str:
        loc = self.app.loc
        if kind == DATE:
            return loc.t("ui.q.placeholder_date")
        if kind == TEXT:
            return loc.t("ui.q.placeholder_text")
        if kind == MONEY:
            return loc.t("ui.q.placeholder_money")
        return loc.t("ui.q.placeholder_number")

    def _hint(self, kind: str) -> str:
        loc = self.app.loc
        if kind in (BOOL, CODE):
            return loc.t("ui.q.hint_choice")
        if kind == CODES:
            return loc.t("ui.q.hint_multi")
        return loc.t("ui.q.hint_input")

    def _codes(self, fact, cat) -> list[str]:
        allowed = list(cat.registry.codes.get(fact.codes or "", {}))
        if self.question.choices:
            chosen = [c.get("value") for c in self.question.choices]
            allowed = [c for c in chosen if c in allowed] or allowed
        subset = subset_choices(self.question.fact, self.app.session.facts)
        if subset:
            allowed = [c for c in allowed if c in subset]
        return allowed

    def _fill_choices(self, widget: ChoiceList, fact, loc, cat) -> None:
        if fact.type == BOOL:
            items = [("true", loc.t("value.yes")), ("false", loc.t("value.no"))]
            current = None if self.value is None else ("true" if self.value else "false")
        else:
            items = [(code, loc.code_label(fact.codes, code, cat)) for code in self._codes(fact, cat)]
            current = self.value
        options = [Option(plain(label), id=oid) for oid, label in items]
        options.append(Option(plain(loc.t("ui.q.unknown_option"), "italic"), id=UNKNOWN))
        widget.clear_options()
        widget.add_options(options)
        ids = [oid for oid, _ in items]
        widget.highlighted = ids.index(current) if current in ids else 0

    def focus_answer(self) -> None:
        kind = self.fact.type
        target = ("#q-choice" if kind in (BOOL, CODE) else "#q-multi" if kind == CODES else "#q-input")
        self.query_one(target).focus()

    # ------------------------------------------------------------ answering
    def show_error(self, message: str) -> None:
        error = self.query_one(".q-error", Static)
        error.update(plain(message))
        error.set_class(bool(message), "-shown")

    def _answer(self, value: Any) -> None:
        if value is not None:
            try:
                value = check_value(self.fact, value, self.app.catalog.registry)
            except ValueError as exc:
                key, params = exc.args
                self.show_error(self.app.loc.t(key, **params))
                return
        self.show_error("")
        self.post_message(self.Answered(self, self.question.fact, value))

    def skip(self) -> None:
        self._answer(None)

    def confirm(self) -> None:
        """Answer with what is entered or highlighted now (the 确定 button, F-key or Enter)."""
        kind = self.fact.type
        if kind in (BOOL, CODE):
            choices = self.query_one("#q-choice", ChoiceList)
            if choices.highlighted is not None:
                self._choose(choices.get_option_at_index(choices.highlighted).id)
        elif kind == CODES:
            self._confirm_multi()
        else:
            self._submit(self.query_one("#q-input", Input).value)

    def _choose(self, oid: str | None) -> None:
        if oid is None:
            return
        if oid == UNKNOWN:
            self._answer(None)
        elif self.fact.type == BOOL:
            self._answer(oid == "true")
        else:
            self._answer(oid)

    @on(ChoiceList.OptionSelected)
    def _on_choice(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._choose(event.option_id)

    @on(MultiChoice.Confirmed)
    def _on_multi_confirm(self, event: MultiChoice.Confirmed) -> None:
        event.stop()
        self._confirm_multi()

    def _confirm_multi(self) -> None:
        chosen = list(self.query_one("#q-multi", MultiChoice).selected)
        if not chosen and self.question.fact in NEEDS_ONE:
            self.show_error(self.app.loc.t("ui.input.pick_one"))
            return
        self._answer(chosen)

    @on(MultiChoice.Changed)
    def _on_ticked(self, event: MultiChoice.Changed) -> None:
        event.stop()
        self._show_selected()

    def _show_selected(self) -> None:
        loc, cat = self.app.loc, self.app.catalog
        fact = self.fact
        chosen = list(self.query_one("#q-multi", MultiChoice).selected)
        shown = self.query_one(".q-selected", Static)
        if not chosen:
            shown.update(plain(loc.t("ui.q.none_selected"), "dim"))
            return
        labels = [loc.code_label(fact.codes, c, cat) for c in chosen]
        if self.question.fact == "sectors":
            labels[0] = loc.t("ui.q.main_sector", sector=labels[0])
        shown.update(plain(loc.t("ui.q.selected", items=loc._join(labels))))

    @on(Input.Submitted, "#q-input")
    def _on_submit(self, event: Input.Submitted) -> None:
        event.stop()
        self._submit(event.value)

    @on(Input.Changed, "#q-input")
    def _on_typing(self, event: Input.Changed) -> None:
        """Clear an old error; show how a number is read (150 -> 150万元) as it is typed."""
        event.stop()
        self.show_error("")
        preview = self.query(".q-preview")
        loc, kind = self.app.loc, self.fact.type
        text = ""
        try:
            if kind in (INT, MONEY, NUMBER) and event.value.strip():
                value = parse_number(event.value, kind, self.question.unit)
                text = "= " + loc.value(self.question.fact, value, self.app.catalog)
            elif kind == DATE and event.value.strip():
                text = "= " + loc.date(parse_date(event.value, latest=self.app.as_of))
        except ValueError:
            text = ""
        preview.first(Static).update(plain(text, "dim"))

    def _submit(self, text: str) -> None:
        loc = self.app.loc
        fact = self.fact
        kind = fact.type
        try:
            if kind == TEXT:
                value = clean(normalize_text(text))[:TEXT_LIMIT]
                self._answer(value or None)
                return
            if kind == DATE:
                value = parse_date(text, latest=self.app.as_of)
            elif kind in (INT, MONEY, NUMBER):
                value = parse_number(text, kind, self.question.unit)
            else:  # pragma: no cover - every type is handled above
                value = text
        except ValueError as exc:
            key, params = exc.args
            self.show_error(loc.t(key, **params))
            return
        self._answer(value)

    @on(ClickAction.Pressed, "#q-ok")
    def _on_ok(self, event: ClickAction.Pressed) -> None:
        event.stop()
        self.confirm()

    @on(ClickAction.Pressed, "#q-skip")
    def _on_skip(self, event: ClickAction.Pressed) -> None:
        event.stop()
        self.skip()


def normalize_text(text: str) -> str:
    """A name as typed: surrounding spaces and line breaks removed, inner spaces kept."""
    return " ".join((text or "").split())

