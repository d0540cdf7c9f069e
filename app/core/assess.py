"""Assessment: every policy's status, amount and explanation for one profile at one date.

Status (CONTRACT section 2), decided in this order:
  1. some condition false: ``near_miss`` if exactly one top-level condition is false, it is one
     the business could change, and the policy is in force and not a draft; else ``ineligible``;
  2. the source is a draft: ``draft``;
  3. ``valid_until`` before the as-of date: ``expired``; ``valid_from`` after it: ``not_yet``;
  4. some condition unknown: ``possible``; else ``eligible``.

Score (in [0, 1], best first). Each status owns a band so that the order of statuses always
holds: eligible [0.8, 1), possible [0.6, 0.8), near_miss [0.4, 0.6), not_yet [0.3, 0.4),
expired [0.2, 0.3), draft [0.1, 0.2), ineligible [0, 0.1). Within the band the position is
  0.45 × amount  (log10 of 1 + the yearly maximum in yuan, over 7, at most 1)
+ 0.25 × certainty (share of the conditions whose answer is known)
+ 0.15 × specificity (conditions that hold for this business, 3 or more count fully: a support
         aimed at the business's sector ranks above one open to everybody)
+ 0.15 × urgency (1 − days left / 365 when the policy ends within a year, else 0).
Ties keep a stable order: status, then id.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Any

from .amounts import Amount, compute
from .catalog import Catalog, Policy
from .conditions import Outcome, evaluate
from .profile import effective_facts

STATUS_ORDER = ("eligible", "possible", "near_miss", "not_yet", "expired", "draft", "ineligible")
BANDS = {"eligible": (0.8, 0.2), "possible": (0.6, 0.2), "near_miss": (0.4, 0.2),
         "not_yet": (0.3, 0.1), "expired": (0.2, 0.1), "draft": (0.1, 0.1), "ineligible": (0.0, 0.1)}
AVAILABLE = ("eligible", "possible")


@dataclass
class Result:
    policy: Policy
    status: str
    score: float
    amount: Amount | None
    outcomes: list[Outcome]
    missing: list[str]                 # facts whose answer would settle the status
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

    def total(self, statuses=("eligible",)) -> tuple[int, int]:
        """Sum of (min, max) of known amounts of results in these statuses, one per exclusive
        group (its best choice), yearly and monthly amounts counted once per period."""
        lo = hi = 0
        for r in self.shown:
            if r.status in statuses and r.amount and r.amount.known and r.group_choice is not False:
                lo += r.amount.min
                hi += r.amount.max
        return lo, hi


def status_of(policy: Policy, outcomes: list[Outcome], as_of: dt.date) -> str:
    failing = [o for o in outcomes if o.value is False]
    ended = policy.valid_until is not None and as_of > policy.valid_until
    early = policy.valid_from is not None and as_of < policy.valid_from
    if failing:
        if len(failing) == 1 and failing[0].changeable and not (policy.draft or ended or early):
            return "near_miss"
        return "ineligible"
    if policy.draft:
        return "draft"
    if ended:
        return "expired"
    if early:
        return "not_yet"
    if any(o.value is None for o in outcomes):
        return "possible"
    return "eligible"


def score_of(status: str, amount: Amount | None, outcomes: list[Outcome],
             policy: Policy, as_of: dt.date) -> float:
    yearly = 0
    if amount is not None and amount.max is not None:
        yearly = amount.max * (12 if amount.period == "month" else 1)
    amount_part = min(1.0, math.log10(1 + yearly) / 7)
    leaves = [leaf for o in outcomes for leaf in o.leaves()]
    certainty = (sum(1 for leaf in leaves if leaf.value is not None) / len(leaves)) if leaves else 1.0
    urgency = 0.0
    if policy.valid_until is not None and policy.valid_until >= as_of:
        days = (policy.valid_until - as_of).days
        if days < 365:
            urgency = 1 - days / 365
    holding = sum(1 for leaf in leaves if leaf.value is True and not leaf.cond.get("region"))
    specificity = min(1.0, holding / 3)
    inner = 0.45 * amount_part + 0.25 * certainty + 0.15 * specificity + 0.15 * urgency
    low, width = BANDS[status]
    return round(low + width * min(inner, 0.999), 4)


def assess_policy(policy: Policy, facts: dict[str, Any], catalog: Catalog, as_of: dt.date) -> Result:
    outcomes = [evaluate(c, facts, catalog.registry) for c in policy.all_conditions()]
    status = status_of(policy, outcomes, as_of)
    amount = compute(policy.amount, facts, catalog.registry) if policy.amount else None
    missing: list[str] = []
    for o in outcomes:
        for f in o.missing_facts():
            if f not in missing:
                missing.append(f)
    score = score_of(status, amount, outcomes, policy, as_of)
    return Result(policy, status, score, amount, outcomes, missing)


def assess(catalog: Catalog, stated: dict[str, Any], as_of: dt.date,
           include_ineligible: bool = False) -> Assessment:
    facts, why = effective_facts(stated, as_of, catalog)
    results = [assess_policy(p, facts, catalog, as_of) for p in catalog.policies]
    results.sort(key=lambda r: (-r.score, STATUS_ORDER.index(r.status), r.policy.id))
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
