"""The declarative condition language: validation and three-valued evaluation.

A condition is a plain dict read from TOML (see docs/catalog-format.md). Nothing is evaluated as
code. ``evaluate`` returns an ``Outcome`` tree: True / False / None (unknown) with the condition
itself and the value it was tested against, so any language can explain it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from app.engine.text import brief
from app.engine.facts import BOOL, CODE, CODES, DATE, NUMERIC, NUMBER_LIMIT, TEXT, FactRegistry, sane_number

COMPARE_OPS = ("gte", "gt", "lte", "lt")
MAX_DEPTH = 20            # all/any/not nested deeper than this is refused (and never recursed into)
LEAF_OPS = COMPARE_OPS + ("eq", "in", "has", "has_any", "has_all")
COMPOSITE_OPS = ("all", "any", "not")
META_KEYS = ("label", "changeable", "fact", "set")
# Keys the engine adds to implicit conditions (never written in a catalog): region, entities, maybe.


ENTITY_ACCEPTED = "entity_accepted"   # pseudo-fact: does the agency accept this type of business?


class AtLeast(frozenset):
    """A list fact known to contain these codes, and perhaps others (not complete)."""


class NotAny(frozenset):
    """A list fact not stated, but known not to contain these codes (certifications closed to the
    business's sector); whether it holds any other is unknown."""


class _NotApplicable:
    """A fact that does not apply to this business: its question's ask_if is false (a restaurant
    has no passenger-station type). Positive tests on it fail; it is not unknown."""

    def __repr__(self) -> str:
        return "NA"

    def __bool__(self) -> bool:
        return False


NA = _NotApplicable()


class OneOf(frozenset):
    """A single-valued fact known only to be one of these values (e.g. micro or small)."""


@dataclass
class Outcome:
    value: bool | None
    cond: dict
    actual: Any = None
    children: list["Outcome"] = field(default_factory=list)
    changeable: bool = False

    @property
    def fact(self) -> str | None:
        return self.cond.get("fact")

    def missing_facts(self) -> list[str]:
        """Facts whose absence makes this outcome unknown (only when it is unknown)."""
        if self.value is not None:
            return []
        if self.cond.get("maybe") and self.actual is not None:
            return [ENTITY_ACCEPTED]     # known type; only the agency can say whether it counts
        if self.fact is not None:
            return [self.fact]
        out: list[str] = []
        for child in self.children:
            for f in child.missing_facts():
                if f not in out:
                    out.append(f)
        return out

    def leaves(self):
        if not self.children:
            yield self
        for child in self.children:
            yield from child.leaves()


# ---------------------------------------------------------------- validation

def depth(value: Any, stop: int = MAX_DEPTH + 1) -> int:
    """How many tables deep ``value`` nests (lists add no level: ``all = [...]`` is one step),
    counted without recursion and no further than ``stop``: safe on any shape TOML can produce."""
    deepest, stack = 0, [(value, 0)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict):
            level += 1
            deepest = max(deepest, level)
            if deepest >= stop:
                return deepest
            stack.extend((child, level) for child in item.values())
        elif isinstance(item, list):
            stack.extend((child, level) for child in item)
    return deepest


def too_deep(cond: Any) -> bool:
    """Conditions nested more than MAX_DEPTH deep."""
    return depth(cond) > MAX_DEPTH


def validate(cond: Any, registry: FactRegistry, where: str = "condition") -> list[str]:
    """Every problem with one condition, as messages (no line numbers here)."""
    if too_deep(cond):
        return [f"{where}: conditions nested more than {MAX_DEPTH} deep"]
    return _validate(cond, registry, where)


def _validate(cond: Any, registry: FactRegistry, where: str) -> list[str]:
    problems: list[str] = []
    if not isinstance(cond, dict):
        return [f"{where}: a condition must be a table, got {type(cond).__name__}"]
    label = cond.get("label")
    if label is not None and not isinstance(label, str):
        problems.append(f"{where}: label must be text")
    if "changeable" in cond and not isinstance(cond["changeable"], bool):
        problems.append(f"{where}: changeable must be true or false")
    composite = [k for k in COMPOSITE_OPS if k in cond]
    if composite:
        if len(composite) > 1 or "fact" in cond:
            problems.append(f"{where}: use one of all/any/not, without fact")
            return problems
        op = composite[0]
        extra = set(cond) - {op, "label", "changeable"}
        if extra:
            problems.append(f"{where}: unknown key(s) {', '.join(sorted(extra))}")
        body = cond[op]
        if op == "not":
            problems += _validate(body, registry, f"{where}.not")
        elif not isinstance(body, list) or not body:
            problems.append(f"{where}: {op} needs a non-empty list of conditions")
        else:
            for i, child in enumerate(body):
                problems += _validate(child, registry, f"{where}.{op}[{i}]")
        return problems

    name = cond.get("fact")
    if not isinstance(name, str):
        return problems + [f"{where}: needs 'fact' or one of all/any/not"]
    fact = registry.get(name)
    if fact is None:
        return problems + [f"{where}: unknown fact '{name}'"]
    ops = [k for k in cond if k in LEAF_OPS]
    extra = set(cond) - set(LEAF_OPS) - set(META_KEYS)
    if extra:
        problems.append(f"{where}: unknown key(s) {', '.join(sorted(extra))}")
    if not ops:
        return problems + [f"{where}: fact '{name}' has no test (gte, gt, lte, lt, eq, in, has, has_any, has_all)"]
    compare = [k for k in ops if k in COMPARE_OPS]
    others = [k for k in ops if k not in COMPARE_OPS]
    if others and (compare or len(others) > 1):
        problems.append(f"{where}: combine only gte/gt/lte/lt in one condition")
    if "gte" in cond and "gt" in cond or "lte" in cond and "lt" in cond:
        problems.append(f"{where}: two lower or two upper bounds")
    for op in compare:
        bound = cond[op]
        if fact.type in NUMERIC:
            if not sane_number(bound):
                problems.append(f"{where}: {op} on number fact '{name}' needs a number "
                                f"(at most {NUMBER_LIMIT:.0e})")
        elif fact.type == DATE:
            if not isinstance(bound, dt.date) or isinstance(bound, dt.datetime):
                problems.append(f"{where}: {op} on date fact '{name}' needs a date (YYYY-MM-DD)")
        else:
            problems.append(f"{where}: {op} does not apply to {fact.type} fact '{name}'")
    for op in others:
        value = cond[op]
        if op == "eq":
            problems += _check_value(fact, value, registry, f"{where}: eq")
        elif op == "in":
            if fact.type != CODE:
                problems.append(f"{where}: 'in' applies to single-code facts; '{name}' is {fact.type}")
            elif not isinstance(value, list) or not value:
                problems.append(f"{where}: 'in' needs a non-empty list of codes")
            else:
                for v in value:
                    problems += _check_code(fact, v, registry, f"{where}: in")
        elif op == "has":
            if fact.type != CODES:
                problems.append(f"{where}: 'has' applies to list facts; '{name}' is {fact.type}")
            else:
                problems += _check_code(fact, value, registry, f"{where}: has")
        else:  # has_any / has_all
            if fact.type != CODES:
                problems.append(f"{where}: '{op}' applies to list facts; '{name}' is {fact.type}")
            elif not isinstance(value, list) or not value:
                problems.append(f"{where}: '{op}' needs a non-empty list of codes")
            else:
                for v in value:
                    problems += _check_code(fact, v, registry, f"{where}: {op}")
    return problems


def _check_code(fact, value, registry: FactRegistry, where: str) -> list[str]:
    if not isinstance(value, str):
        return [f"{where} needs code text, got {brief(value)}"]
    if fact.codes and value not in registry.codes.get(fact.codes, {}):
        return [f"{where}: unknown code '{value}' for fact '{fact.name}'"]
    return []


def _check_value(fact, value, registry: FactRegistry, where: str) -> list[str]:
    if fact.type == BOOL:
        return [] if isinstance(value, bool) else [f"{where} on '{fact.name}' needs true or false"]
    if fact.type == CODE:
        return _check_code(fact, value, registry, where)
    if fact.type in NUMERIC:
        return [] if sane_number(value) else [f"{where} on '{fact.name}' needs a number"]
    if fact.type == TEXT:
        return [] if isinstance(value, str) else [f"{where} on '{fact.name}' needs text"]
    return [f"{where} does not apply to {fact.type} fact '{fact.name}'"]


def facts_used(cond: dict) -> set[str]:
    if "fact" in cond:
        return {cond["fact"]}
    out: set[str] = set()
    for op in ("all", "any"):
        for child in cond.get(op, []) or []:
            if isinstance(child, dict):
                out |= facts_used(child)
    if isinstance(cond.get("not"), dict):
        out |= facts_used(cond["not"])
    return out


# ---------------------------------------------------------------- evaluation

def evaluate(cond: dict, facts: dict[str, Any], registry: FactRegistry) -> Outcome:
    if "all" in cond or "any" in cond:
        op = "all" if "all" in cond else "any"
        children = [evaluate(c, facts, registry) for c in cond[op]]
        values = [c.value for c in children]
        if op == "all":
            value = False if False in values else (None if None in values else True)
        else:
            value = True if True in values else (None if None in values else False)
        if "changeable" in cond:
            changeable = cond["changeable"]
        elif op == "all":
            failing = [c for c in children if c.value is False]
            changeable = bool(failing) and all(c.changeable for c in failing)
        else:
            changeable = any(c.changeable for c in children)
        return Outcome(value, cond, None, children, changeable)
    if "not" in cond:
        child = evaluate(cond["not"], facts, registry)
        value = None if child.value is None else not child.value
        return Outcome(value, cond, None, [child], cond.get("changeable", child.changeable))

    name = cond["fact"]
    fact = registry.get(name)
    changeable = cond.get("changeable", fact.changeable if fact else False)
    actual = facts.get(name)
    value = _test_leaf(cond, actual)
    if value is False and actual in (cond.get("maybe") or ()):
        value = None      # the wording neither names nor excludes this type: ask the agency
    return Outcome(value, cond, actual, [], changeable)


def _test_leaf(cond: dict, actual: Any) -> bool | None:
    if actual is None:
        return None
    if actual is NA:
        return False
    if isinstance(actual, OneOf):
        results = {_test_leaf(cond, option) for option in actual}
        return results.pop() if len(results) == 1 else None
    if "eq" in cond:
        return actual == cond["eq"]
    if "in" in cond:
        return actual in cond["in"]
    if isinstance(actual, NotAny) and ("has" in cond or "has_any" in cond or "has_all" in cond):
        wanted = [cond["has"]] if "has" in cond else list(cond.get("has_any") or cond.get("has_all"))
        if ("has_all" in cond and any(w in actual for w in wanted)) or all(w in actual for w in wanted):
            return False
        return None
    if "has" in cond or "has_any" in cond or "has_all" in cond:
        held = set(actual)
        complete = not isinstance(actual, AtLeast)
        if "has" in cond:
            wanted, need_all = [cond["has"]], True
        elif "has_any" in cond:
            wanted, need_all = cond["has_any"], False
        else:
            wanted, need_all = cond["has_all"], True
        hits = [w in held for w in wanted]
        result = all(hits) if need_all else any(hits)
        if result or complete:
            return result
        return None
    result = True
    for op in COMPARE_OPS:
        if op in cond:
            bound = cond[op]
            try:
                ok = {"gte": actual >= bound, "gt": actual > bound,
                      "lte": actual <= bound, "lt": actual < bound}[op]
            except TypeError:
                return None
            result = result and ok
    return result
