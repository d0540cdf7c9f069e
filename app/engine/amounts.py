"""Amounts: what a policy pays, computed for one profile, in integer yuan.

The result carries a ``basis``: a message key with parameters stating the formula as applied, so
the locale can render 「按实际费用的20%，最高300万元：100万元×20%=20万元」 or its English.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from app.engine.rules import Node, node_of, parse as parse_condition
from app.engine.problems import Msg
from app.engine.text import brief
from app.engine.facts import MONEY, NUMBER_LIMIT, NUMERIC, FactRegistry, sane_number

KINDS = ("fixed", "range", "per_unit", "percent", "tiered")
PERIODS = ("once", "year", "month")
WAN = 10_000  # one 万元 in yuan

_FIELDS = {
    "fixed": {"value"},
    "range": {"min", "max"},
    "per_unit": {"fact", "per_unit", "per_unit_min", "per_unit_max", "cap"},
    "percent": {"fact", "rate", "cap", "up_to"},
    "tiered": {"tiers"},
}
_COMMON = {"kind", "period", "months", "note"}


@dataclass
class Amount:
    min: int | None          # None: cannot be computed until a fact is known
    max: int | None
    period: str
    basis: tuple[str, dict]   # (message key, params)
    note: str | None = None
    needs: list[str] = field(default_factory=list)   # facts still needed for a figure

    @property
    def known(self) -> bool:
        return self.min is not None and self.max is not None


def _is_num(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _yuan_ok(v: Any) -> bool:
    """A sum of yuan a catalog may state: a finite number from 0 to NUMBER_LIMIT."""
    return sane_number(v) and v >= 0


def validate(spec: Any, registry: FactRegistry) -> list[Msg]:
    """Every problem with an amount, as messages."""
    return parse(spec, registry)[1]


def parse(spec: Any, registry: FactRegistry) -> tuple[tuple[Node, ...], list[Msg]]:
    """(the tiers' ``when`` conditions as nodes, problems) of an amount."""
    whens: list[Node] = []
    problems = _check(spec, registry, whens)
    return tuple(whens), problems


def _check(spec: Any, registry: FactRegistry, whens: list[Node]) -> list[Msg]:
    if not isinstance(spec, dict):
        return [Msg("amount_table", where="amount")]
    kind = spec.get("kind")
    if kind not in KINDS:
        return [Msg("amount_kind", where="amount", choices=", ".join(KINDS), value=brief(kind))]
    problems = []
    extra = set(spec) - _FIELDS[kind] - _COMMON
    if extra:
        problems.append(Msg("amount_keys", where="amount", keys=", ".join(sorted(extra)), kind=kind))
    period = spec.get("period", "once")
    if period not in PERIODS:
        problems.append(Msg("amount_period", where="amount", choices=", ".join(PERIODS)))
    months = spec.get("months")
    if "months" in spec and not (isinstance(months, int) and not isinstance(months, bool)
                                 and 0 < months <= 1200):
        problems.append(Msg("amount_months", where="amount"))
    if "note" in spec and not isinstance(spec["note"], str):
        problems.append(Msg("amount_note", where="amount"))

    def need_money(key, required=True):
        if key not in spec:
            if required:
                problems.append(Msg("amount_needs", where="amount", kind=kind, key=key))
            return
        if not _yuan_ok(spec[key]):
            problems.append(Msg("amount_yuan", where="amount", key=key, limit=f"{NUMBER_LIMIT:.0e}"))

    if kind == "fixed":
        need_money("value")
    elif kind == "range":
        need_money("min"); need_money("max")
        if _yuan_ok(spec.get("min")) and _yuan_ok(spec.get("max")) and spec["min"] > spec["max"]:
            problems.append(Msg("amount_min_max", where="amount"))
    elif kind in ("per_unit", "percent"):
        base = spec.get("fact")
        fact = registry.get(base) if isinstance(base, str) else None
        if base is None:
            problems.append(Msg("amount_base", where="amount", kind=kind))
        elif fact is None:
            problems.append(Msg("amount_unknown_fact", where="amount", name=base))
        elif fact.type not in NUMERIC:
            problems.append(Msg("amount_base_number", where="amount", name=base))
        need_money("cap", required=False)
        if kind == "per_unit":
            if "per_unit" in spec:
                need_money("per_unit")
            elif "per_unit_min" in spec or "per_unit_max" in spec:
                need_money("per_unit_min"); need_money("per_unit_max")
            else:
                problems.append(Msg("amount_per_unit", where="amount"))
        else:
            rate = spec.get("rate")
            if not sane_number(rate) or not 0 < rate <= 1:
                problems.append(Msg("amount_rate", where="amount"))
            if "up_to" in spec and not isinstance(spec["up_to"], bool):
                problems.append(Msg("amount_up_to", where="amount"))
    else:
        tiers = spec.get("tiers")
        if not isinstance(tiers, list) or not tiers:
            problems.append(Msg("amount_tiers", where="amount"))
        else:
            for i, tier in enumerate(tiers):
                if not isinstance(tier, dict) or "when" not in tier:
                    problems.append(Msg("amount_tier_when", where="amount", i=i))
                    continue
                when, msgs = parse_condition(tier["when"], registry, f"tiers[{i}].when")
                problems += [p.within("amount") for p in msgs]
                whens.append(when)
                has_value = _yuan_ok(tier.get("value"))
                has_range = _yuan_ok(tier.get("min")) and _yuan_ok(tier.get("max"))
                if not (has_value or has_range):
                    problems.append(Msg("amount_tier_value", where="amount", i=i, limit=f"{NUMBER_LIMIT:.0e}"))
    return problems


def facts_used(spec: dict, whens: tuple[Node, ...] | None = None) -> set[str]:
    out = {spec["fact"]} if isinstance(spec.get("fact"), str) else set()
    for when in tier_conditions(spec) if whens is None else whens:
        if when is not None:          # None: a tier with problems (reported by parse)
            out |= when.facts()
    return out


def tier_conditions(spec: dict) -> tuple[Node, ...]:
    """The tiers' ``when`` conditions of a checked amount, as nodes (none for other kinds)."""
    return tuple(node_of(t["when"]) for t in spec.get("tiers", []) or [])


def compute(spec: dict, facts: dict[str, Any], registry: FactRegistry,
            whens: tuple[Node, ...] | None = None) -> Amount:
    """The amount for these facts. ``whens``: the tiers' conditions as parsed with the catalog
    (``Policy.tier_rules``); parsed here when not given."""
    kind = spec["kind"]
    period = spec.get("period", "once")
    note = spec.get("note")
    params: dict[str, Any] = {"period": period, "months": spec.get("months")}

    def make(lo, hi, key, needs=()):
        return Amount(_yuan(lo), _yuan(hi), period, (key, params), note, list(needs))

    if kind == "fixed":
        params["value"] = spec["value"]
        return make(spec["value"], spec["value"], "amount.fixed")
    if kind == "range":
        params.update(min=spec["min"], max=spec["max"])
        return make(spec["min"], spec["max"], "amount.range")
    if kind in ("per_unit", "percent"):
        name = spec["fact"]
        fact = registry.get(name)
        raw = facts.get(name)
        cap = spec.get("cap")
        params.update(fact=name, cap=cap)
        if kind == "per_unit":
            lo_rate = spec.get("per_unit", spec.get("per_unit_min"))
            hi_rate = spec.get("per_unit", spec.get("per_unit_max"))
            params.update(rate_min=lo_rate, rate_max=hi_rate)
        else:
            lo_rate = 0 if spec.get("up_to") else spec["rate"]
            hi_rate = spec["rate"]
            params.update(rate=spec["rate"], up_to=bool(spec.get("up_to")))
        key = f"amount.{kind}"
        if raw is None or not _is_num(raw):
            # Without the base no figure can be given; the cap is the most it could be.
            params["base"] = None
            return Amount(None if cap is None else 0, None if cap is None else _yuan(cap),
                          period, (key + ".unknown", params), note, [name])
        base = raw * WAN if fact is not None and fact.type == MONEY else raw
        params["base"] = base
        lo, hi = base * lo_rate, base * hi_rate
        if cap is not None:
            params["capped"] = hi > cap
            lo, hi = min(lo, cap), min(hi, cap)
        return make(lo, hi, key)
    # tiered
    whens = tier_conditions(spec) if whens is None else whens
    lows, highs, needs, chosen = [], [], [], []
    for tier, when in zip(spec["tiers"], whens):
        outcome = when.evaluate(facts, registry)
        if outcome.value is False:
            continue
        lows.append(tier.get("value", tier.get("min")))
        highs.append(tier.get("value", tier.get("max")))
        chosen.append(tier)
        if outcome.value is True:
            break
        needs += [f for f in outcome.needed() if f not in needs]
    params["tiers"] = spec["tiers"]
    params["whens"] = whens
    params["chosen"] = chosen
    if not chosen:
        return Amount(None, None, period, ("amount.tiered.none", params), note, [])
    return make(min(lows), max(highs), "amount.tiered", needs)


def _yuan(value: float | int | None) -> int | None:
    if value is None:
        return None
    return int(value + 0.5) if value >= 0 else -int(-value + 0.5)
