"""One question as a widget, built from the catalog's data: text, help, unit and a way to answer.

Choice lists for yes/no, code and code-list facts (nobody has to type Chinese); an input for
numbers, dates and names, read by ``app.engine.numbers``. Every question can be answered
「不确定」 (unknown: the fact is removed). A bad entry shows a message under the field and keeps
what was typed; nothing else changes until an answer is valid.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Input, OptionList, Static

from app.engine.facts import BOOL, CODE, CODES, DATE, INT, MONEY, NUMBER, TEXT
from app.engine.numbers import doubt, parse_date, parse_number, read_number
from app.engine.profile import check_value
from app.engine.needed_facts import subset_choices

from .commands import bindings_for
from .text import clean, join, plain
from .widgets import Choice, ClickAction, FindList, TextField, both_languages

UNKNOWN = "__unknown__"
NEEDS_ONE = ("sectors",)          # a list fact that cannot be empty
TEXT_LIMIT = 200

# The sector list is long (37 codes and those the catalog adds), so the sectors most small
# businesses are in come first; the rest keep the catalog's order, 「其他」 last. This order is a
# judgement, not data. Source and reasoning: the general picture of China's published
# market-entity statistics, recalled rather than looked up for this table (most individual
# businesses and small firms are in wholesale and retail, accommodation and catering, resident
# services and transport), put in the order a help desk in Inner Mongolia would meet them: the
# restaurant, the shop, the trader, the barber, the hotel or homestay, the online shop, the lorry
# owner. No figure is claimed; change the order freely. Typing finds any sector.
COMMON_FIRST = {
    "sectors": (
        "catering", "retail", "wholesale", "resident_service", "hotel", "homestay", "ecommerce",
        "freight", "express", "housekeeping", "auto_trade", "agriculture", "education_training",
        "manufacturing", "property_service", "health", "elderly_care", "childcare", "culture",
        "sports", "tourism_agency", "scenic_area", "tech_service", "software", "hr_service",
        "recycling", "real_estate", "passenger_transport", "cold_chain", "energy_env_service",
    ),
}
LAST = ("other",)


def common_first(list_name: str | None, codes: list[str]) -> list[str]:
    """Codes in the order people most often need them (COMMON_FIRST), then the rest as given."""
    first = COMMON_FIRST.get(list_name or "")
    if not first:
        return codes
    place = {code: i for i, code in enumerate(first)}
    return sorted(codes, key=lambda c: (c in LAST, place.get(c, len(place))))


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


class ChoiceList(FindList):
    """A single choice: Enter, Space or a click answers; typing finds (FindList)."""

    PLACE = "choice_list"
    BINDINGS = bindings_for(PLACE)


class MultiChoice(FindList):
    """Several choices: Space (or a click) ticks, Enter confirms; typing finds (FindList), and
    what was ticked stays ticked whatever the search shows. Ticks are drawn as [x], so they show
    without colour (NO_COLOR, 16 colours); the order of ticking is kept (the first sector is the
    main one)."""

    PLACE = "multi_choice"
    BINDINGS = bindings_for(PLACE)

    class Confirmed(Message):
        pass

    class Changed(Message):
        pass

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.selected: list[str] = []

    def set_items(self, choices: list[Choice], chosen: list[str]) -> None:
        ids = {c.id for c in choices}
        self.selected = [c for c in chosen if c in ids]
        self.set_choices(choices)

    def prompt(self, choice: Choice):
        ticked = choice.id in self.selected
        return join(("[x] " if ticked else "[ ] ", "bold" if ticked else ""), choice.label)

    def action_select(self) -> None:
        index = self.highlighted
        choice = self.choice(self.highlighted_id)
        if index is None or choice is None:
            return
        if choice.id in self.selected:
            self.selected.remove(choice.id)
        else:
            self.selected.append(choice.id)
        self.replace_option_prompt_at_index(index, self.prompt(choice))
        self.post_message(self.Changed())

    def action_confirm(self) -> None:
        self.post_message(self.Confirmed())


@dataclass(frozen=True)
class Asking:
    """What a question widget shows a question with, handed down by its screen: the catalog,
    the language, the date of the assessment and the answers so far (for a subset's choices and
    a number's plausibility)."""
    catalog: Any
    loc: Any
    as_of: dt.date
    facts: dict[str, Any]

    @classmethod
    def of(cls, app) -> "Asking":
        """From the app's catalog, locale, date and session (a screen calls this)."""
        return cls(app.catalog, app.loc, app.as_of, app.session.facts)


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

    class Doubted(Message):
        """A number typed is far from what the other answers make likely: ask about it, then
        tell the view (``checked``)."""

        def __init__(self, view: "QuestionView", doubt):
            super().__init__()
            self.view, self.doubt = view, doubt

        @property
        def control(self) -> "QuestionView":
            return self.view

    def __init__(self, question, value: Any, asking: Asking, *, compact: bool = False, **kwargs):
        super().__init__(**kwargs)
        self.question = question
        self.value = value
        self.asking = asking
        self.compact = compact
        if compact:
            self.add_class("-compact")

    # ------------------------------------------------------------ building
    @property
    def fact(self):
        return self.asking.catalog.registry.get(self.question.fact)

    def compose(self) -> ComposeResult:
        loc = self.asking.loc
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

    def load(self, question, value: Any, asking: Asking | None = None) -> None:
        """Show this question (in the same widgets) and focus its answer."""
        self.question, self.value = question, value
        self.asking = asking or self.asking
        loc, cat = self.asking.loc, self.asking.catalog
        for widget in self.query(FindList):
            widget.loc = loc
        fact = self.fact
        kind = fact.type
        text, secondary = loc.question_lines(question, cat)
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
            choice.focus(scroll_visible=self.compact)   # the question above the list stays in sight
        elif kind == CODES:
            multi.set_items(self._choices(fact, loc, cat), list(value or []))
            self._show_selected()
            multi.focus(scroll_visible=self.compact)
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
        loc = self.asking.loc
        if kind == DATE:
            return loc.t("ui.q.placeholder_date")
        if kind == TEXT:
            return loc.t("ui.q.placeholder_text")
        if kind == MONEY:
            return loc.t("ui.q.placeholder_money")
        return loc.t("ui.q.placeholder_number")

    def _hint(self, kind: str) -> str:
        loc = self.asking.loc
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
        else:
            allowed = common_first(fact.codes, allowed)
        subset = subset_choices(self.question.fact, self.asking.facts)
        if subset:
            allowed = [c for c in allowed if c in subset]
        return allowed

    def _choices(self, fact, loc, cat) -> list[Choice]:
        """The entries of a choice list, each found by its label in both languages and its code."""
        if fact.type == BOOL:
            return [Choice(oid, loc.t(key), (oid, *both_languages(lambda lo, k=key: lo.t(k))))
                    for oid, key in (("true", "value.yes"), ("false", "value.no"))]
        return [Choice(code, loc.code_label(fact.codes, code, cat),
                       (code, *both_languages(lambda lo, c=code: lo.code_label(fact.codes, c, cat))))
                for code in self._codes(fact, cat)]

    def _fill_choices(self, widget: ChoiceList, fact, loc, cat) -> None:
        if fact.type == BOOL:
            current = None if self.value is None else ("true" if self.value else "false")
        else:
            current = self.value
        choices = self._choices(fact, loc, cat)
        ids = [c.id for c in choices]
        choices.append(Choice(UNKNOWN, loc.t("ui.q.unknown_option"),
                              both_languages(lambda lo: lo.t("ui.q.unknown_option")), pinned=True, style="italic"))
        widget.set_choices(choices, current if current in ids else (ids[0] if ids else None))

    def focus_answer(self) -> None:
        kind = self.fact.type
        target = ("#q-choice" if kind in (BOOL, CODE) else "#q-multi" if kind == CODES else "#q-input")
        self.query_one(target).focus(scroll_visible=self.compact)

    # ------------------------------------------------------------ answering
    def show_error(self, message: str) -> None:
        error = self.query_one(".q-error", Static)
        error.update(plain(message))
        error.set_class(bool(message), "-shown")

    def _answer(self, value: Any) -> None:
        if value is not None:
            try:
                value = check_value(self.fact, value, self.asking.catalog.registry)
            except ValueError as exc:
                key, params = exc.args
                self.show_error(self.asking.loc.t(key, **params))
                return
        self.show_error("")
        self.post_message(self.Answered(self, self.question.fact, value))

    def skip(self) -> None:
        self._answer(None)

    def confirm(self) -> None:
        """Answer with what is entered or highlighted now (the 确定 button, F-key or Enter)."""
        kind = self.fact.type
        if kind in (BOOL, CODE):
            self._choose(self.query_one("#q-choice", ChoiceList).highlighted_id)
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
            self.show_error(self.asking.loc.t("ui.input.pick_one"))
            return
        self._answer(chosen)

    @on(MultiChoice.Changed)
    def _on_ticked(self, event: MultiChoice.Changed) -> None:
        event.stop()
        self._show_selected()

    def _show_selected(self) -> None:
        loc, cat = self.asking.loc, self.asking.catalog
        fact = self.fact
        chosen = list(self.query_one("#q-multi", MultiChoice).selected)
        shown = self.query_one(".q-selected", Static)
        if not chosen:
            shown.update(plain(loc.t("ui.q.none_selected"), "dim"))
            return
        labels = [loc.code_label(fact.codes, c, cat) for c in chosen]
        if self.question.fact == "sectors":
            labels[0] = loc.t("ui.q.main_sector", sector=labels[0])
        shown.update(plain(loc.t("ui.q.selected", items=loc.join(labels))))

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
        loc, kind = self.asking.loc, self.fact.type
        text = ""
        try:
            if kind in (INT, MONEY, NUMBER) and event.value.strip():
                value = parse_number(event.value, kind, self.question.unit)
                text = "= " + loc.value(self.question.fact, value, self.asking.catalog)
            elif kind == DATE and event.value.strip():
                text = "= " + loc.date(parse_date(event.value, latest=self.asking.as_of))
        except ValueError:
            text = ""
        preview.first(Static).update(plain(text, "dim"))

    def _submit(self, text: str) -> None:
        loc = self.asking.loc
        fact = self.fact
        kind = fact.type
        try:
            if kind == TEXT:
                value = clean(normalize_text(text))[:TEXT_LIMIT]
                self._answer(value or None)
                return
            if kind == DATE:
                value = parse_date(text, latest=self.asking.as_of)
            elif kind in (INT, MONEY, NUMBER):
                reading = read_number(text, kind, self.question.unit)
                if self._doubted(reading):
                    return
                value = reading.value
            else:  # pragma: no cover - every type is handled above
                value = text
        except ValueError as exc:
            key, params = exc.args
            self.show_error(loc.t(key, **params))
            return
        self._answer(value)

    def _doubted(self, reading) -> bool:
        """A number far outside what the other answers make likely (app.engine.numbers.doubt) is
        asked about, its unit spelled out; the answer follows the user's choice (as typed,
        converted, or back to the field to edit). True when asked. A value already stored (kept
        once) is not asked about again."""
        if reading.value == self.value:
            return False
        found = doubt(self.fact.type, self.question.unit, reading, self.asking.facts)
        if found is None:
            return False
        self.post_message(self.Doubted(self, found))      # the app asks (screens/number_check.py)
        return True

    def checked(self, value: Any) -> None:
        """The answer to a doubted number: the number to store, or None to edit it again."""
        if value is None:
            self.focus_answer()
        else:
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

