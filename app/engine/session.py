"""One assessment in progress: the answers, the order they were asked, the plan and the assessment.

Pure (no textual, rich or file IO). ``facts`` holds stated facts only (fact name -> checked value);
an unknown answer is simply absent. Screens hand answers to the session (``answer``) and show
what it returns: the assessment of the answers (``assessment``), every question that applies
(``plan``), the questions still worth asking, heaviest first (``ranked`` / ``next_question``),
the questionnaire's list (``questionnaire``), where Back goes (``previous``), and which supports
changed since the assessment before (``changed``). The assessment and the ranking are
remembered for the same answers, so moving around the questionnaire costs nothing.

``to_profile`` gives the contract's profile tables, ready to be written to a file (by
app.storage.client_store, called from the screens).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from app.engine.facts import TABLES, FactRegistry

if TYPE_CHECKING:           # the engine proper loads with the catalog, after the first paint
    from app.engine.assessment import Assessment
    from app.engine.catalog import Catalog, Question


@dataclass
class Session:
    facts: dict[str, Any] = field(default_factory=dict)
    seen: set[str] = field(default_factory=set)       # questions answered or skipped
    position: str | None = None                       # fact of the question shown last
    history: list[str] = field(default_factory=list)  # facts in the order they were shown
    _assessed: tuple[Any, Any] = field(default=(None, None), repr=False, compare=False)
    _ranked: tuple[Any, Any] = field(default=(None, None), repr=False, compare=False)
    _before: Assessment | None = field(default=None, repr=False, compare=False)

    # ------------------------------------------------------------ answers
    @property
    def name(self) -> str:
        return self.facts.get("name") or ""

    @property
    def started(self) -> bool:
        return bool(self.facts or self.seen)

    def answer(self, fact: str, value: Any, implied: dict[str, Any] | None = None) -> set[str]:
        """State a fact; ``None`` means unknown (the fact is removed). ``implied``: answers that
        follow from this one (they fill in what was not answered yet). Returns the facts settled
        by implication."""
        if value is None:
            self.facts.pop(fact, None)
        else:
            self.facts[fact] = value
        self.seen.add(fact)
        for name, implied_value in (implied or {}).items():
            if name not in self.seen or self.facts.get(name) is None:
                self.answer(name, implied_value)
        return set(implied or {})

    def skip(self, fact: str) -> None:
        self.answer(fact, None)

    def shown(self, fact: str) -> None:
        """The question of ``fact`` is on screen now: it is the place to resume, and the latest
        in the order asked (history, for Back)."""
        self.position = fact
        if not self.history or self.history[-1] != fact:
            self.history = [f for f in self.history if f != fact] + [fact]

    def previous(self, fact: str | None) -> str | None:
        """The question asked before ``fact`` (the last one asked when ``fact`` is None)."""
        if fact is None:
            return self.history[-1] if self.history else None
        if fact in self.history and self.history.index(fact) > 0:
            return self.history[self.history.index(fact) - 1]
        return None

    def copy(self) -> "Session":
        return Session({k: (list(v) if isinstance(v, list) else v) for k, v in self.facts.items()},
                       set(self.seen), self.position, list(self.history))

    # ------------------------------------------------------------ what the engine says
    def active_facts(self, catalog: Catalog, as_of: dt.date) -> dict[str, Any]:
        """The answers without those to questions that no longer apply."""
        from app.engine import needed_facts
        return needed_facts.active_facts(catalog, self.facts, as_of)

    def assessment(self, catalog: Catalog, as_of: dt.date) -> Assessment:
        """The assessment of the answers (remembered for the same answers)."""
        active = self.active_facts(catalog, as_of)
        key = (repr(sorted(active.items())), id(catalog), as_of)
        if self._assessed[0] != key:
            if self._assessed[1] is not None:
                self._before = self._assessed[1]
            from app.engine.assessment import assess
            self._assessed = (key, assess(catalog, active, as_of))
        return self._assessed[1]

    def trial(self, catalog: Catalog, as_of: dt.date, fact: str, value: Any) -> Assessment:
        """The assessment if ``fact`` were answered ``value`` (the answers stay as they are)."""
        facts = dict(self.facts)
        if value is None:
            facts.pop(fact, None)
        else:
            facts[fact] = value
        from app.engine import needed_facts
        from app.engine.assessment import assess
        return assess(catalog, needed_facts.active_facts(catalog, facts, as_of), as_of)

    def changed(self) -> dict[str, tuple[str | None, str | None]]:
        """Supports whose section changed between the assessment before and the latest one:
        policy id -> (section before, section now); None where a policy was not there."""
        latest = self._assessed[1]
        if latest is None or self._before is None:
            return {}
        before = {r.policy.id: r.section for r in self._before.results}
        now = {r.policy.id: r.section for r in latest.results}
        return {pid: (before.get(pid), now.get(pid)) for pid in before.keys() | now.keys()
                if before.get(pid) != now.get(pid)}

    def plan(self, catalog: Catalog, as_of: dt.date) -> list[Question]:
        """Every question that applies (answered ones stay, to be changed), in section order."""
        from app.engine import needed_facts
        return needed_facts.plan(catalog, self.facts, as_of)

    def ranked(self, catalog: Catalog, as_of: dt.date, last_section: str | None = None) -> list:
        """The questions still worth asking, heaviest first (app.engine.planner.Weighed)."""
        key = (repr(sorted(self.facts.items())), frozenset(self.seen), last_section, id(catalog), as_of)
        if self._ranked[0] != key:
            from app.engine.planner import ranked_questions
            self._ranked = (key, ranked_questions(catalog, self.facts, self.seen, as_of, last_section,
                                                  self.assessment(catalog, as_of)))
        return self._ranked[1]

    def next_question(self, catalog: Catalog, as_of: dt.date, last_section: str | None = None,
                      skip: set[str] | frozenset = frozenset()) -> Question | None:
        """The question to ask next, or None when no answer left can change the result."""
        return next((w.question for w in self.ranked(catalog, as_of, last_section)
                     if w.question.fact not in skip), None)

    def questionnaire(self, catalog: Catalog, as_of: dt.date,
                      last_section: str | None = None) -> list[Question]:
        """The questions of the questionnaire: those asked so far that still apply, in the order
        asked, then the ones still worth asking, heaviest first."""
        from app.engine.needed_facts import applies, order_key
        questions = catalog.questions
        facts = self.assessment(catalog, as_of).facts
        still = {f for f in self.seen if f in questions and applies(questions[f], facts, catalog)}
        asked = [questions[f] for f in dict.fromkeys(self.history + sorted(
            still, key=lambda f: order_key(questions[f]))) if f in still]
        return asked + [w.question for w in self.ranked(catalog, as_of, last_section)
                        if w.question.fact not in self.seen]

    # ------------------------------------------------------------ files
    def to_profile(self, registry: FactRegistry) -> dict[str, dict[str, Any]]:
        """The contract's tables: {"business": {...}, "situation": {...}, "plans": {...}}."""
        out: dict[str, dict[str, Any]] = {t: {} for t in TABLES}
        for name, value in self.facts.items():
            fact = registry.get(name)
            if fact is None or fact.derived or fact.table not in out:
                continue
            out[fact.table][name] = value
        return {t: body for t, body in out.items() if body}

    @classmethod
    def from_facts(cls, facts: dict[str, Any]) -> "Session":
        return cls(dict(facts), set(facts))
