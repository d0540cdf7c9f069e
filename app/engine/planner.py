"""The question planner: which question to ask next, by what its answer can change, and when to stop.

Pure. In the spirit of Publicodes' ranking of missing variables, but weighted by money:

- **What can still change.** Only policies that can reach the answer's first three sections
  drive questions: status eligible, possible or near miss, and concrete (something reaches the
  business itself). Channels, encouragements and ended or draft measures never cost the business
  a question (their questions stay available in the review as optional detail).
- **Weight of a fact** (``missing_weights``): each driving policy spreads its value over the
  facts still needed to settle it — the unknown leaves of its undecided conditions, or the base of
  its amount — and a derived fact stands for the stated facts it comes from (size class:
  employees, revenue…). A policy's value is its rank value (``ranking.rank_of``: the yearly
  equivalent of what it pays, on a log scale; a concrete benefit with no stated figure by what it
  is), so a question that can settle 300万 outweighs one that settles 5000元; each policy also
  counts a little on its own (0.05), so settling many supports counts too. The facts a policy
  still needs are those of its outcomes' needed-facts maps (``Outcome.needed``); the policy's
  worth is shared equally among the stated facts they come down to (the maps' own weights —
  how many unknown leaves name a fact — are not used: the ranking stays as it was).
- **A follow-up waits for its parent.** A question with an ``ask_if`` is asked only once that
  condition holds on the answers given (unknown is not enough); until then its weight goes to the
  facts of its ``ask_if`` — the parent is asked because of what the follow-up could settle.
- **Order.** The heaviest question first; ties by the catalog's section order. Related questions
  stay together: a question of the same section as the last one answered gets a small bonus.
- **Worth asking.** A question is asked when what it can settle — its share of the supports, or
  the worth of the best support it serves — weighs more than one support open to everybody with
  no stated amount (``WORTH_ASKING``): a stated amount, a support aimed at this business, or
  several supports. A lone unaimed support with no figure is left out: it stays in
  the confirm section with the fact named, and the question stays in the review as optional
  detail.
- **Stop.** When no question worth asking is left, the screens say so and offer the results
  (``answer_changes_nothing``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from app.engine.assessment import AVAILABLE, Result, assess
from app.engine.ranking import UNSTATED, rank_of
from app.engine.catalog import Catalog, Question
from app.engine.profile import effective_facts
from app.engine.needed_facts import (ALWAYS_ASK, SUBSET_OF, active_facts, amount_needed, ordered_questions,
                                     stated_inputs)

PER_POLICY = 0.05        # what settling one more support counts, beside its value
SAME_SECTION = 0.02      # keeps related questions together
# A support aimed at this kind of business (its sector, certifications or plans hold: the rank's
# fit) counts fully; one open to everybody at AIMED_BASE of its value.
AIMED_BASE = 0.5
# A question is worth asking when what it can settle weighs more than one support open to
# everybody with no stated amount (money or tax with no figure: 0.5 × AIMED_BASE + PER_POLICY):
# a stated amount, a support aimed at this business, or several supports together. Such a lone
# support is not worth a question: it stays in 「补充一两项信息即可确认」 with the fact named, and
# the question stays in the review as optional detail.
WORTH_ASKING = UNSTATED["money"] * AIMED_BASE + PER_POLICY + 0.005


@dataclass(frozen=True)
class Weighed:
    question: Question
    weight: float          # the sum over the policies it can settle
    policies: int          # how many driving policies it can settle


def _askable(q: Question, facts: dict[str, Any], catalog: Catalog) -> bool:
    whole = SUBSET_OF.get(q.fact)       # 「其中哪些是今年第一次获得的」 waits for the list it is part of
    if whole is not None and not isinstance(facts.get(whole), list):
        return False
    return q.ask_if is None or q.ask_if.evaluate(facts, catalog.registry).value is True


def _driving(results):
    """Policies of the first three sections: they alone are worth a question."""
    for r in results:
        if r.section in ("apply_now", "confirm", "pursue"):
            yield r.policy, r.outcomes, r.status


def missing_weights(catalog: Catalog, stated: dict[str, Any], as_of: dt.date,
                    _known: tuple | None = None, results=None) -> dict[str, tuple[float, int, float]]:
    """Stated fact -> (weight, policies, best): what answering it could settle in the first three
    sections (each policy's worth shared among the facts it still needs), how many policies, and
    the worth of the best one. Facts of follow-ups whose parent is not answered count toward the
    parent."""
    from app.engine.amounts import compute
    if _known is None:
        active = active_facts(catalog, stated, as_of)
        facts, why = effective_facts(active, as_of, catalog)
    else:
        active, facts, why = _known
    if results is None:
        results = assess(catalog, active, as_of).results
    out: dict[str, list] = {}
    for policy, outcomes, status in _driving(results):
        names = {f for o in outcomes for f in o.needed()}     # the facts of the needed-facts maps
        if policy.amount and status in AVAILABLE:
            names |= set(amount_needed(policy, facts, catalog))
        needed: set[str] = set()
        for name in names:
            needed |= stated_inputs(name, facts, why)
        needed = {f for f in needed if active.get(f) is None}
        needed = _to_parents(needed, catalog, facts, active)
        if not needed:
            continue
        amount = compute(policy.amount, facts, catalog.registry, policy.tier_rules) if policy.amount else None
        missing = sorted(needed)
        probe = Result(policy, "eligible", 0.0, amount, outcomes, missing)
        rank = rank_of(probe, as_of, catalog.registry)   # what it is worth once settled, and how aimed it is
        worth = rank.value * (AIMED_BASE + (1 - AIMED_BASE) * rank.fit) + PER_POLICY
        share = worth / len(needed)
        for f in needed:
            w = out.setdefault(f, [0.0, 0, 0.0])
            w[0] += share
            w[1] += 1
            w[2] = max(w[2], worth)
    return {f: (round(w[0], 6), w[1], round(w[2], 6)) for f, w in out.items()}


def _to_parents(names: set[str], catalog: Catalog, facts: dict[str, Any], stated: dict[str, Any]) -> set[str]:
    """A fact whose question waits for its parent stands for the parent's unanswered facts."""
    out: set[str] = set()
    todo = list(names)
    seen: set[str] = set()
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        q = catalog.questions.get(name)
        if q is None:
            continue                      # no question asks it (derived, or pseudo)
        if _askable(q, facts, catalog):
            out.add(name)
            continue
        whole = SUBSET_OF.get(name)
        if whole is not None and not isinstance(facts.get(whole), list):
            if stated.get(whole) is None:
                todo.append(whole)
            continue
        if q.ask_if is None:
            continue
        gate = q.ask_if.evaluate(facts, catalog.registry)
        if gate.value is None:
            todo += [f for f in gate.needed() if stated.get(f) is None]
    return out


def ranked_questions(catalog: Catalog, stated: dict[str, Any], seen: set[str] | frozenset,
                     as_of: dt.date, last_section: str | None = None, assessment=None) -> list[Weighed]:
    """Unanswered, askable questions that can change the first three sections, heaviest first.
    ``assessment``: the assessment of these answers, when the caller has it (the screens do)."""
    active = active_facts(catalog, stated, as_of)
    if assessment is not None:
        facts, why = assessment.facts, assessment.derived_from
    else:
        facts, why = effective_facts(active, as_of, catalog)
    weights = missing_weights(catalog, stated, as_of, (active, facts, why),
                              assessment.results if assessment is not None else None)
    out = []
    for q in ordered_questions(catalog):
        if q.fact in seen or stated.get(q.fact) is not None or not _askable(q, facts, catalog):
            continue
        if q.fact in ALWAYS_ASK:
            out.append(Weighed(q, float("inf"), 0))
            continue
        w, n, best = weights.get(q.fact, (0.0, 0, 0.0))
        if n == 0:
            continue
        if w < WORTH_ASKING and best < WORTH_ASKING:
            continue      # neither its share of the supports nor any one support it serves is worth it
        bonus = SAME_SECTION if last_section is not None and q.section == last_section else 0.0
        out.append(Weighed(q, w + bonus, n))
    order = {q.fact: i for i, q in enumerate(ordered_questions(catalog))}
    out.sort(key=lambda x: (-x.weight, order[x.question.fact]))
    return out


def next_question(catalog: Catalog, stated: dict[str, Any], seen: set[str] | frozenset,
                  as_of: dt.date, last_section: str | None = None) -> Question | None:
    ranked = ranked_questions(catalog, stated, seen, as_of, last_section)
    return ranked[0].question if ranked else None


def answer_changes_nothing(catalog: Catalog, stated: dict[str, Any], seen: set[str] | frozenset,
                           as_of: dt.date) -> bool:
    """No question worth asking is left (unanswered, askable, weighing at least WORTH_ASKING)."""
    return next_question(catalog, stated, seen, as_of) is None
