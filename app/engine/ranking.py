"""Ranking: what a business stands to gain from each result, and so the order it is shown in.

Rank (``score`` in [0, 1], best first). Each section owns a band, so sections never interleave:
apply_now [0.8, 1), confirm [0.6, 0.8), pursue [0.4, 0.6), channels [0.25, 0.4),
ended [0.1, 0.25) (not yet, expired, lapsed, draft in that order), ineligible [0, 0.1). Within the
band (``score_of``):
  0.45 × value     expected value: the yearly equivalent of the most it pays (a monthly amount
                   × its months, at most 12; once or yearly as stated), times how sure the status
                   is (eligible 1, possible 0.5 per open fact down to 0.125, near miss 0.25), on
                   a log scale (log10(1 + yuan) / 7, at most 1). A concrete benefit whose source
                   states no figure (a tax deduction rate, a fee waiver) counts by what it
                   delivers (``UNSTATED``: money or tax 0.5 … a service 0.25) — below any stated
                   1万元 or more, above a few thousand yuan. A channel (an encouragement, or a
                   service open to all) counts half of what it leads to (``LEADS_TO``, by its
                   kind: a channel to credit before a channel to a talent programme);
+ 0.15 × currency  1 when a source in force states its period (or is open-ended); else by the
                   age of the newest source in force: 1 − years/10 (a 2022 text today ≈ 0.55, a
                   2016 one 0);
+ 0.30 × fit       conditions about this business that hold (sector, certification, plan;
                   region and entity type do not count), each by how much it says about the
                   business (``specificity``: a test naming k of a code list's N codes counts
                   log(N/k) / log(N) — its own sector fully, "any service business" little);
                   3 or more count fully;
+ 0.10 × certainty share of the condition leaves whose answer is known.
Ties keep a stable order: section, then policy id. The ended section is grouped by status
(not yet, expired, lapsed, draft).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from app.engine.amounts import Amount

if TYPE_CHECKING:
    from app.engine.assessment import Result

BANDS = {"apply_now": (0.8, 0.2), "confirm": (0.6, 0.2), "pursue": (0.4, 0.2),
         "channels": (0.25, 0.15), "ended": (0.1, 0.15), "ineligible": (0.0, 0.1)}
UNSTATED_VALUE = 0.45


@dataclass
class Rank:
    """The parts of a result's rank, each in [0, 1] (shown in the JSON)."""
    value: float
    currency: float
    fit: float
    certainty: float
    expected_yuan: int        # yearly equivalent × how sure, in yuan (0 when no figure)


def yearly_max(amount: Amount | None) -> int:
    if amount is None or amount.max is None:
        return 0
    if amount.period == "month":
        return amount.max * min(amount.basis[1].get("months") or 12, 12)
    return amount.max


# What an unstated amount is worth on the value scale, by what reaches the business: money or a
# tax break with no figure in the text counts about as much as a few 万元; a service less.
# What a channel leads to, by its kind (an encouragement to banks to lend leads to financing).
LEADS_TO = {"award": "money", "subsidy": "money", "tax_relief": "tax", "fee_relief": "fee",
            "loan": "financing", "guarantee": "financing", "rent_relief": "rent",
            "social_insurance": "social_insurance", "procurement": "procurement", "land": "land",
            "service": "service", "other": "service"}
CHANNEL_SHARE = 0.5


def specificity(leaf, registry) -> float:
    """How much a holding condition says about this business: a test naming k of a code list's
    N codes says log(N/k) / log(N) (its own sector 1, a set of all services little); any other
    condition (a plan, a threshold, a yes/no) says 1."""
    codes = getattr(leaf.cond, "codes", None)
    fact = registry.get(leaf.fact) if registry is not None and leaf.fact else None
    if codes and fact is not None and fact.codes:
        n = len(registry.codes.get(fact.codes, {}))
        if n > 1 and len(codes) < n:
            return max(0.0, math.log(n / len(codes)) / math.log(n))
        if n > 1:
            return 0.0
    return 1.0


UNSTATED = {"money": 0.5, "tax": 0.5, "fee": 0.45, "rent": 0.45, "social_insurance": 0.45,
            "financing": 0.4, "procurement": 0.35, "land": 0.3, "service": 0.25}


def rank_of(result: Result, as_of: dt.date, registry=None) -> Rank:
    """The parts of a result's rank. ``registry`` (the catalog's facts and code lists) weighs each
    holding condition by its specificity; without it every one counts 1."""
    p, status = result.policy, result.status
    leaves = [leaf for o in result.outcomes for leaf in o.leaves()]
    certainty = (sum(1 for leaf in leaves if leaf.value is not None) / len(leaves)) if leaves else 1.0
    sure = {"eligible": 1.0, "near_miss": 0.25}.get(status, 0.0)
    if status == "possible":
        sure = 0.5 ** min(max(len(result.missing), 1), 3)
    yearly = yearly_max(result.amount)
    if yearly > 0:
        expected = int(yearly * sure)
        value = min(1.0, math.log10(1 + expected) / 7)
    else:
        expected = 0
        if result.section == "channels":
            leads = p.delivers if p.concrete else LEADS_TO.get(p.kind, "service")
            base = CHANNEL_SHARE * UNSTATED.get(leads, UNSTATED_VALUE)
        else:
            base = UNSTATED.get(p.delivers, UNSTATED_VALUE) if p.concrete else 0.0
        value = base * (1 if status == "eligible" else sure ** 0.5)
    live = [per for per in p.periods() if per.state(as_of) == "in_force"]
    if any(per.until is not None or per.open_ended for per in live):
        currency = 1.0
    else:
        issued = [per.source.doc.start for per in live if per.source.doc.start]
        age = (as_of - max(issued)).days / 365.25 if issued else 10
        currency = max(0.0, min(1.0, 1 - age / 10))
    holding = sum(specificity(leaf, registry) for leaf in leaves
                  if leaf.value is True and not leaf.cond.implicit)
    fit = min(1.0, holding / 3)
    return Rank(round(value, 4), round(currency, 4), round(fit, 4), round(certainty, 4), expected)


ENDED_BANDS = {"not_yet": (0.2, 0.05), "expired": (0.15, 0.05), "lapsed": (0.125, 0.025),
               "draft": (0.1, 0.025)}


def score_of(section: str, rank: Rank, status: str = "") -> float:
    inner = 0.45 * rank.value + 0.15 * rank.currency + 0.3 * rank.fit + 0.1 * rank.certainty
    low, width = ENDED_BANDS[status] if section == "ended" else BANDS[section]
    return round(low + width * min(inner, 0.999), 4)
