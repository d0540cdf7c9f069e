"""What changed between two assessments of the same catalog (the what-if view). Pure."""

from __future__ import annotations

from dataclasses import dataclass

from app.engine.amounts import Amount
from app.engine.assessment import Assessment
from app.engine.catalog import Policy


@dataclass
class Change:
    policy: Policy
    before: str                 # status before
    after: str                  # status after
    amount_before: Amount | None
    amount_after: Amount | None

    @property
    def status_changed(self) -> bool:
        return self.before != self.after


def _span(a: Amount | None) -> tuple | None:
    return None if a is None else (a.min, a.max, a.period)


def changes(before: Assessment, after: Assessment) -> list[Change]:
    """Policies whose status or amount differs, in the order of the new ranking."""
    old = {r.policy.id: r for r in before.results}
    out = []
    for r in after.results:
        prev = old.get(r.policy.id)
        if prev is None:
            continue
        if prev.status != r.status or _span(prev.amount) != _span(r.amount):
            out.append(Change(r.policy, prev.status, r.status, prev.amount, r.amount))
    return out
