"""Which questions can still change a result, so the questionnaire asks only those.

Pure. A question is asked when
  - its ``ask_if`` is not false for the answers so far (unknown counts as "may apply"), and
  - its fact is already answered (so it can be reviewed), or is in ``ALWAYS_ASK``, or some policy
    that can still be had (status in ``DRIVING``: eligible, possible, near miss, not yet in force)
    could still change with it: the fact sits in a condition leaf whose answer would decide an
    undecided condition, or it is the base of the amount or in an undecided tier of it.

Expired and draft policies do not drive questions: whatever the answer, nothing becomes available
from them (an answer could only move one from "expired" to "not eligible"), and asking for them
would nearly double the questionnaire for a typical shop. Pass ``driving=DRIVING_ALL`` to count
every policy that is not already ineligible.

Three-valued logic is monotone: a condition that is already true or false stays so whatever the
unknown facts under it turn out to be. So only unknown leaves reached through unknown nodes
matter. Derived facts stand for the stated facts they come from (size class: main sector,
employees, revenue, assets; 小型微利企业: taxable income, employees, assets, entity type;
years in business: founding date), and a certification held counts first-time ones too.

Answers to questions whose ``ask_if`` has become false (the sector changed, say) are left out of
the assessment by ``active_facts`` but kept by the caller, so changing back restores them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Iterator

from app.engine.assessment import status_of
from app.engine.catalog import SECTIONS, Catalog, Policy, Question
from app.engine.derive import INPUTS
from app.engine.profile import effective_facts, not_applicable

ALWAYS_ASK = ("name",)          # not in any condition, but the handout needs it
DRIVING = ("eligible", "possible", "near_miss", "not_yet")
DRIVING_ALL = DRIVING + ("expired", "draft")


def order_key(question: Question) -> tuple[int, int]:
    """A question's place in questionnaire order: its section, then as listed in the catalog."""
    return (SECTIONS.index(question.section) if question.section in SECTIONS else 99, question.order)


def ordered_questions(catalog: Catalog) -> list[Question]:
    """All questions in questionnaire order: by section, then as listed in the catalog."""
    return sorted(catalog.questions.values(), key=order_key)


def applies(q: Question, facts: dict[str, Any], catalog: Catalog) -> bool:
    """Can this question still apply to the business (its ``ask_if`` is not false)?"""
    return q.ask_if is None or q.ask_if.evaluate(facts, catalog.registry).value is not False


def active_facts(catalog: Catalog, stated: dict[str, Any], as_of: dt.date) -> dict[str, Any]:
    """The stated facts without answers to questions that no longer apply (``ask_if`` false)."""
    active = dict(stated)
    while True:
        facts, _ = effective_facts(active, as_of)
        drop = [name for name, _settled in not_applicable(facts, catalog) if name in active]
        if not drop:
            return active
        for name in drop:
            del active[name]


def stated_inputs(name: str, facts: dict[str, Any], why: dict[str, dict]) -> set[str]:
    """The stated facts that could settle a (possibly derived) fact that is unknown now."""
    if name in ("size_class", "sme"):
        info = why.get("size_class", {})
        if "highest" not in info:           # no main sector yet: everything may matter
            return set(INPUTS["size_class"]) - {"entity_type"}
        if info["lowest"] == info["highest"]:
            return set()                    # settled even with inputs missing (8 staff: micro)
        return set(info.get("needs", []))
    if name == "small_low_profit":
        return {f for f in INPUTS[name] if facts.get(f) is None}
    if name == "years_in_business":
        return set(INPUTS[name])
    if name == "certifications":
        return {"certifications", "new_certifications"}
    return {name}


def amount_needed(policy: Policy, facts: dict[str, Any], catalog: Catalog) -> Iterator[str]:
    """Facts still needed for a figure: the base of a per-unit or percent amount, the facts of
    undecided tiers up to the first that holds."""
    spec = policy.amount
    if spec.get("kind") in ("per_unit", "percent"):
        if facts.get(spec.get("fact")) is None:
            yield spec["fact"]
    elif spec.get("kind") == "tiered":
        for when in policy.tier_rules:
            outcome = when.evaluate(facts, catalog.registry)
            if outcome.value is True:
                return
            yield from outcome.needed()


def needed(catalog: Catalog, stated: dict[str, Any], as_of: dt.date,
           driving: tuple[str, ...] = DRIVING) -> set[str]:
    """Unanswered facts that could still change the result of a policy in a ``driving`` status."""
    facts, why = effective_facts(stated, as_of)
    wanted: set[str] = set()
    for policy in catalog.policies:
        outcomes = [c.evaluate(facts, catalog.registry) for c in policy.rules]
        if status_of(policy, outcomes, as_of) not in driving:
            continue
        names = {f for o in outcomes for f in o.needed()}
        if policy.amount:
            names |= set(amount_needed(policy, facts, catalog))
        for name in names:
            wanted |= stated_inputs(name, facts, why)
    return {f for f in wanted if stated.get(f) is None}


def plan(catalog: Catalog, stated: dict[str, Any], as_of: dt.date,
         driving: tuple[str, ...] = DRIVING) -> list[Question]:
    """The questions to show now, in order (answered ones stay, so they can be changed)."""
    active = active_facts(catalog, stated, as_of)
    facts, _ = effective_facts(active, as_of)
    wanted = needed(catalog, active, as_of, driving)
    return [q for q in ordered_questions(catalog)
            if applies(q, facts, catalog)
            and (q.fact in active or q.fact in wanted or q.fact in ALWAYS_ASK)]


# A list fact that can only hold codes of another: the certifications first obtained this year
# are among those held (the question says 「其中哪些是今年第一次获得的」).
SUBSET_OF = {"new_certifications": "certifications"}


def implied_answers(fact: str, value: Any) -> dict[str, Any]:
    """Answers that follow from this one and need not be asked: holding no certification means
    none was first obtained this year."""
    out: dict[str, Any] = {}
    for part, whole in SUBSET_OF.items():
        if fact == whole and value == []:
            out[part] = []
    return out


def subset_choices(fact: str, stated: dict[str, Any]) -> list[str] | None:
    """The codes a subset question may offer (those of the whole, if stated), or None for all."""
    whole = SUBSET_OF.get(fact)
    if whole is None or not isinstance(stated.get(whole), list):
        return None
    return list(stated[whole]) + [c for c in stated.get(fact) or [] if c not in stated[whole]]
