"""Assessment: every policy's status, section, amount and rank for one profile at one date.

Status (CONTRACT section 2), decided in this order:
  1. some condition false: ``near_miss`` when exactly one top-level condition is false, every
     other one holds, the policy is in force, and the failing condition is one this business
     could plausibly meet (``plausible_gap``); else ``ineligible``;
  2. time (``Policy.time_state``): a measure is in force while any of its non-draft sources holds
     it by that source's own period (its own dates, else the policy's, else its document's; never
     before the document's issue date). All sources drafts: ``draft``; none started:
     ``not_yet``; all ended: ``expired``;
  3. in force, no end date stated, but tied to something that has passed (``Policy.lapse``,
     from its ``since`` day): ``lapsed``;
  4. some condition unknown: ``possible``; else ``eligible``.

Sections (the same in the app, every report and the handout):
  1 apply_now  eligible and concrete (something reaches the business itself);
  2 confirm    possible and concrete: one or two facts settle it;
  3 pursue     near misses;
  4 channels   eligible or possible, but a channel or an encouragement addressed to others;
  5 ended      not_yet, expired, lapsed, draft (and ineligible with --all, last).

Rank: app/engine/ranking.py (what the business stands to gain; the order of the results).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from app.engine.amounts import Amount, compute
from app.engine.catalog import STATUSES, Catalog, Policy
from app.engine.rules import NA, Equals, Has, OneOfCodes, Outcome
from app.engine.facts import CODE, CODES
from app.engine.profile import effective_facts
from app.engine.ranking import Rank, rank_of, score_of

AVAILABLE = ("eligible", "possible")
ENDED = ("not_yet", "expired", "lapsed", "draft")
SECTIONS = ("apply_now", "confirm", "pursue", "channels", "ended", "ineligible")


@dataclass
class Result:
    policy: Policy
    status: str
    score: float
    amount: Amount | None
    outcomes: list[Outcome]
    missing: list[str]                 # facts still needed: answering them settles the status
    section: str = "ineligible"
    rank: Rank | None = None
    group_choice: bool | None = None   # in an exclusive group: is this the best choice?

    @property
    def failing(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.value is False]


@dataclass
class Assessment:
    as_of: dt.date
    results: list[Result]
    facts: dict[str, Any]                     # stated + derived, as tested
    derived: dict[str, Any]
    derived_from: dict[str, dict]
    catalog: Catalog
    shown: list[Result] = field(default_factory=list)   # all but ineligible unless --all

    def by_status(self, status: str) -> list[Result]:
        return [r for r in self.shown if r.status == status]

    def by_section(self, section: str) -> list[Result]:
        return [r for r in self.shown if r.section == section]

    def totals(self, section: str = "apply_now") -> "Totals":
        """Known amounts of a section summed per period — once, per year and per month are
        never added together —, one per exclusive group (its best choice)."""
        per: dict[str, list[int]] = {}
        unstated = 0
        for r in self.by_section(section):
            if r.group_choice is False:
                continue
            if r.amount is None or not r.amount.known or r.amount.max == 0:
                unstated += 1
                continue
            lo_hi = per.setdefault(r.amount.period, [0, 0])
            lo_hi[0] += r.amount.min
            lo_hi[1] += r.amount.max
        return Totals({p: (v[0], v[1]) for p, v in per.items()}, unstated)

    def total(self, statuses=("eligible",)) -> tuple[int, int]:
        """(min, max) over the apply-now section's one-off amounts and a year of the recurring
        ones (a monthly amount counts its months, at most 12): a yearly equivalent, for sorting
        and the batch summary; reports show ``totals()`` period by period."""
        t = self.totals("apply_now")
        lo = hi = 0
        for period, (a, b) in t.per_period.items():
            k = 12 if period == "month" else 1
            lo, hi = lo + a * k, hi + b * k
        return lo, hi


@dataclass
class Totals:
    per_period: dict[str, tuple[int, int]]    # period -> (min, max) yuan
    unstated: int                             # items with no figure

    @property
    def empty(self) -> bool:
        return not self.per_period


# ---------------------------------------------------------------- status

def plausible_gap(outcome: Outcome, facts: dict[str, Any], catalog: Catalog,
                  others: list[Outcome] = ()) -> bool:
    """Could this business make the failing condition hold? It must be changeable (a plan, a
    certification, a threshold it can grow to); a certification must be open to its sector; a
    choice between alternatives it has already made (new / expanded / leased beds) is not a gap;
    and the measure must be aimed at a business like this one — some other condition about the
    business holds (its sector, size, a plan), or the certification is named as open to its
    sector — so an award for a cloud provider or a drivers' home is no near miss for a shop."""
    if not outcome.changeable:
        return False
    if not (_aimed(list(others)) or _cert_named_for(outcome, facts, catalog)
            or _gated_for(outcome, facts, catalog)):
        return False
    for leaf in outcome.leaves():
        if leaf.value is not False or leaf.fact is None:
            continue
        fact = catalog.registry.get(leaf.fact)
        if leaf.actual is NA:
            return False
        if fact is not None and fact.type == CODE and isinstance(leaf.cond, (Equals, OneOfCodes)) \
                and leaf.actual is not None:
            return False          # it chose another alternative of the same measure
        if fact is not None and fact.type == CODES and fact.codes == "certifications":
            if not any(certification_open(c, facts, catalog) for c in _wanted(leaf)):
                return False
    return True


NOT_AIMING = ("entity_type", "league", "county", "area")   # who and where, not what kind of business


def aims_at(fact: str, facts: dict[str, Any], catalog: Catalog) -> bool:
    """The question of ``fact`` is asked only of some kinds of business (its ask_if holds through
    a condition on the sector, certifications, size or a plan — not just the entity type or the
    place) and this is one of them: the catalog aims that plan at businesses like this one."""
    q = catalog.questions.get(fact)
    if q is None or q.ask_if is None:
        return False
    gate = q.ask_if.evaluate(facts, catalog.registry)
    return gate.value is True and any(leaf.value is True and leaf.fact not in NOT_AIMING
                                      for leaf in gate.leaves())


def _gated_for(outcome: Outcome, facts: dict[str, Any], catalog: Catalog) -> bool:
    """The failing fact's question is one the catalog aims at businesses like this one."""
    return any(leaf.value is False and leaf.fact and aims_at(leaf.fact, facts, catalog)
               for leaf in outcome.leaves())


def _wanted(leaf: Outcome) -> tuple[str, ...]:
    """The codes a failing list test asks for (has / has_any / has_all)."""
    return leaf.cond.codes if isinstance(leaf.cond, Has) else ()


def _cert_named_for(outcome: Outcome, facts: dict[str, Any], catalog: Catalog) -> bool:
    """The failing condition asks for a certification open to this sector: its cert_<code> set
    names the sector, or there is no such set (open to all)."""
    sectors = facts.get("sectors")
    if not sectors or sectors is NA:
        sectors = ["?"]        # sector not known: only a certification open to all counts
    for leaf in outcome.leaves():
        if leaf.value is False and leaf.fact in ("certifications", "new_certifications"):
            for code in _wanted(leaf):
                named = catalog.sets.get(f"cert_{code}")
                if named is None or set(sectors) & set(named.values):
                    return True      # open to every sector, or named for this one
    return False


def certification_open(code: str, facts: dict[str, Any], catalog: Catalog) -> bool:
    """A certification is open to a business whose sectors meet the set named for it in the
    catalog (``[[set]]`` with id ``cert_<code>``); without such a set, open to all."""
    named = catalog.sets.get(f"cert_{code}")
    if named is None:
        return True
    sectors = facts.get("sectors")
    if not sectors or sectors is NA:
        return True           # not known yet: it might be
    return bool(set(sectors) & set(named.values))


def status_of(policy: Policy, outcomes: list[Outcome], as_of: dt.date,
              facts: dict[str, Any] | None = None, catalog: Catalog | None = None) -> str:
    failing = [o for o in outcomes if o.value is False]
    time = policy.time_state(as_of)
    if failing:
        others_hold = all(o.value is True for o in outcomes if o is not failing[0])
        if (len(failing) == 1 and others_hold and time == "in_force" and policy.lapse_state(as_of) is None
                and (catalog is None or plausible_gap(failing[0], facts or {}, catalog,
                                                      [o for o in outcomes if o is not failing[0]]))):
            return "near_miss"
        return "ineligible"
    if time != "in_force":
        return time
    if policy.lapse_state(as_of) is not None:
        return "lapsed"
    if any(o.value is None for o in outcomes):
        return "possible"
    return "eligible"


def section_of(policy: Policy, status: str, outcomes: list[Outcome] | None = None,
               facts: dict[str, Any] | None = None, catalog: Catalog | None = None) -> str:
    if status in AVAILABLE:
        if not policy.concrete or (policy.delivers == "service" and not _aimed(outcomes or [])):
            return "channels"    # a channel, or a service open to every business alike
        if status == "possible" and catalog is not None and _plan_only(outcomes or [], facts or {}, catalog):
            return "channels"    # "if you plan X, there is Y": worth knowing, not worth a question
        return "apply_now" if status == "eligible" else "confirm"
    if status == "near_miss":
        return "pursue"
    if status in ENDED:
        return "ended"
    return "ineligible"


def _plan_only(outcomes: list[Outcome], facts: dict[str, Any], catalog: Catalog) -> bool:
    """Possible only for want of plans (facts of the plans table) that nothing marks as this
    business's kind of plan: no condition about the business holds, and no unknown plan question
    is one the catalog asks only of some businesses (its ask_if) that include this one."""
    unknown = [leaf for o in outcomes for leaf in o.leaves() if leaf.value is None and leaf.fact]
    if not unknown or _aimed(outcomes):
        return False
    for leaf in unknown:
        fact = catalog.registry.get(leaf.fact)
        if fact is None or fact.table != "plans":
            return False
        if aims_at(leaf.fact, facts, catalog):
            return False
    return True


def _aimed(outcomes: list[Outcome]) -> bool:
    """Does some condition about the business itself (sector, certification, plan, size) hold?
    Region and entity type alone do not make a measure aimed at it."""
    return any(leaf.value is True and not leaf.cond.implicit for o in outcomes for leaf in o.leaves())


# ---------------------------------------------------------------- assessment

def needed(outcomes: list[Outcome]) -> list[str]:
    """The facts still needed to settle these outcomes, in the order the conditions name them."""
    out: dict[str, None] = {}
    for o in outcomes:
        out.update(dict.fromkeys(o.needed()))
    return list(out)


def assess_policy(policy: Policy, facts: dict[str, Any], catalog: Catalog, as_of: dt.date) -> Result:
    outcomes = [c.evaluate(facts, catalog.registry) for c in policy.rules]
    status = status_of(policy, outcomes, as_of, facts, catalog)
    amount = compute(policy.amount, facts, catalog.registry, policy.tier_rules) if policy.amount else None
    result = Result(policy, status, 0.0, amount, outcomes, needed(outcomes))
    result.section = section_of(policy, status, outcomes, facts, catalog)
    result.rank = rank_of(result, as_of, catalog.registry)
    result.score = score_of(result.section, result.rank, status)
    return result


def assess(catalog: Catalog, stated: dict[str, Any], as_of: dt.date,
           include_ineligible: bool = False) -> Assessment:
    facts, why = effective_facts(stated, as_of, catalog)
    results = [assess_policy(p, facts, catalog, as_of) for p in catalog.policies]
    # ended ones are grouped by why (not yet, expired, lapsed, draft), best first within each
    results.sort(key=lambda r: (SECTIONS.index(r.section),
                                STATUSES.index(r.status) if r.section == "ended" else 0,
                                -r.score, r.policy.id))
    _mark_groups(results)
    derived = {k: facts.get(k) for k in why}
    shown = results if include_ineligible else [r for r in results if r.status != "ineligible"]
    return Assessment(as_of, results, facts, derived, why, catalog, shown)


def _mark_groups(results: list[Result]) -> None:
    """In each exclusive group, the available result with the highest amount is the choice."""
    groups: dict[str, list[Result]] = {}
    for r in results:
        if r.policy.group and r.status in AVAILABLE + ("near_miss",):
            groups.setdefault(r.policy.group, []).append(r)
    for members in groups.values():
        available = [r for r in members if r.status in AVAILABLE] or members
        best = max(available, key=lambda r: ((r.amount.max or 0) if r.amount else 0, r.score))
        for r in members:
            r.group_choice = r is best
