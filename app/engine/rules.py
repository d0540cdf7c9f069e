"""The condition language, parsed once into a graph of typed nodes (after publicodes).

A condition in the catalog is a TOML table (see docs/catalog-format.md). ``parse`` turns it into a
frozen node — ``All``, ``Any``, ``Not`` and the leaves ``Compare`` (gte/gt/lte/lt), ``Equals``,
``OneOfCodes`` (in), ``Has``, ``HasAny``, ``HasAll``, plus ``InRegion`` and ``EntityTypes`` for the
conditions a policy's region and wording add — and reports every problem with the table, as
messages with the path where it is (``conditions[0].any[1]: …``). Nothing is evaluated as code.

Every node kind knows how to
- ``evaluate(facts, registry)`` itself three-valued (True / False / None = unknown) into an
  ``Outcome`` tree that keeps the node and the value it was tested against;
- list the ``facts()`` it reads;
- ``explain()`` itself as message keys and parameters (``Explanation``); the locale words them;
- say which missing facts matter and how much: ``Outcome.needed()`` is a map fact -> weight
  (one per unknown leaf that could decide the outcome, summed over the tree; a fact that
  cannot change the outcome any more is not in it).
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field
import typing

from app.engine.problems import Msg
from app.engine.text import brief
from app.engine.facts import BOOL, CODE, CODES, DATE, NUMERIC, NUMBER_LIMIT, TEXT, FactRegistry, sane_number

COMPARE_OPS = ("gte", "gt", "lte", "lt")
MAX_DEPTH = 20            # all/any/not nested deeper than this is refused (and never recursed into)
LEAF_OPS = COMPARE_OPS + ("eq", "in", "has", "has_any", "has_all")
COMPOSITE_OPS = ("all", "any", "not")
META_KEYS = ("label", "changeable", "fact", "set")


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


# ---------------------------------------------------------------- explanations

@dataclass(frozen=True, slots=True)
class Codes:
    """Codes to be named and joined with ``word`` ("or" / "and"): of the code list ``codes``, or
    of the list of fact ``fact`` when ``codes`` is None."""
    values: tuple
    word: str = "or"
    fact: str | None = None
    codes: str | None = None


@dataclass(frozen=True, slots=True)
class FactValue:
    """A value of a fact, worded as that fact's values are (a date, a sum in 万元, a code)."""
    fact: str
    value: typing.Any


@dataclass(frozen=True, slots=True)
class Fact:
    """The name of a fact, worded by its label."""
    name: str


@dataclass(frozen=True, slots=True)
class Parts:
    """Conditions worded each in turn and joined; ``step`` names them in a translation path
    (``all`` -> ``.all0``, ``.all1``; ``not`` -> ``.not``)."""
    nodes: tuple
    step: str


@dataclass(frozen=True, slots=True)
class Explanation:
    """What a node says: messages (key, params), joined with ``cond.sep_and`` when several (a
    range), or ``key`` None for a yes/no fact said by its label alone."""
    messages: tuple


def _say(key: str | None, **params) -> Explanation:
    return Explanation(((key, params),))


# ---------------------------------------------------------------- outcomes

@dataclass
class Outcome:
    value: bool | None
    cond: "Node"
    actual: typing.Any = None
    children: list["Outcome"] = field(default_factory=list)
    changeable: bool = False

    @property
    def fact(self) -> str | None:
        return getattr(self.cond, "fact", None)     # a leaf's; None for all/any/not

    def needed(self) -> dict[str, float]:
        """Facts still needed to decide this outcome, with how much each matters (empty unless
        unknown)."""
        if self.value is not None:
            return {}
        return self.cond.needed(self)

    def leaves(self):
        if not self.children:
            yield self
        for child in self.children:
            yield from child.leaves()


def _add(into: dict[str, float], more: dict[str, float]) -> dict[str, float]:
    for f, w in more.items():
        into[f] = into.get(f, 0.0) + w
    return into


# ---------------------------------------------------------------- nodes

@dataclass(frozen=True, slots=True)
class Node:
    label: str | None = field(default=None, kw_only=True)
    changeable: bool | None = field(default=None, kw_only=True)   # as written; None = the default
    implicit = False      # added by the catalog (region, entity types), not written in a policy

    def evaluate(self, facts: dict[str, typing.Any], registry: FactRegistry) -> Outcome:
        raise NotImplementedError

    def facts(self) -> set[str]:
        raise NotImplementedError

    def explain(self) -> Explanation:
        raise NotImplementedError

    def needed(self, outcome: Outcome) -> dict[str, float]:
        """The needed-facts map of an unknown outcome of this node."""
        raise NotImplementedError

    def walk(self):
        """This node and every node under it, parents first."""
        yield self
        for child in self.children():
            yield from child.walk()

    def children(self) -> tuple["Node", ...]:
        return ()


@dataclass(frozen=True, slots=True)
class All(Node):
    parts: tuple[Node, ...]

    def evaluate(self, facts, registry):
        children = [c.evaluate(facts, registry) for c in self.parts]
        values = [c.value for c in children]
        value = False if False in values else (None if None in values else True)
        if self.changeable is not None:
            changeable = self.changeable
        else:
            failing = [c for c in children if c.value is False]
            changeable = bool(failing) and all(c.changeable for c in failing)
        return Outcome(value, self, None, children, changeable)

    def facts(self):
        return set().union(*(c.facts() for c in self.parts))

    def explain(self):
        return _say("cond.all", parts=Parts(self.parts, "all"))

    def children(self):
        return self.parts

    def needed(self, outcome):
        out: dict[str, float] = {}
        for child in outcome.children:
            _add(out, child.needed())
        return out



@dataclass(frozen=True, slots=True)
class Any(All):
    def evaluate(self, facts, registry):
        children = [c.evaluate(facts, registry) for c in self.parts]
        values = [c.value for c in children]
        value = True if True in values else (None if None in values else False)
        changeable = self.changeable if self.changeable is not None else any(c.changeable for c in children)
        return Outcome(value, self, None, children, changeable)

    def explain(self):
        return _say("cond.any", parts=Parts(self.parts, "any"))



@dataclass(frozen=True, slots=True)
class Not(Node):
    part: Node

    def evaluate(self, facts, registry):
        child = self.part.evaluate(facts, registry)
        value = None if child.value is None else not child.value
        changeable = self.changeable if self.changeable is not None else child.changeable
        return Outcome(value, self, None, [child], changeable)

    def facts(self):
        return self.part.facts()

    def explain(self):
        return _say("cond.not", part=Parts((self.part,), "not"))

    def children(self):
        return (self.part,)

    def needed(self, outcome):
        return outcome.children[0].needed()



@dataclass(frozen=True, slots=True)
class Leaf(Node):
    """A test of one fact. Three-valued: an unknown fact is unknown; a fact that does not apply
    (NA) fails; a fact known to be one of several values holds if it holds for each of them,
    fails if it fails for each, else is unknown."""
    fact: str

    def evaluate(self, facts, registry):
        name = self.fact
        if self.changeable is not None:
            changeable = self.changeable
        else:
            fact = registry.get(name)
            changeable = fact.changeable if fact else False
        actual = facts.get(name)
        return Outcome(self._value(actual), self, actual, [], changeable)

    def _value(self, actual: typing.Any) -> bool | None:
        if actual is None:
            return None
        if actual is NA:
            return False
        if isinstance(actual, OneOf):
            results = {self._value(option) for option in actual}
            return results.pop() if len(results) == 1 else None
        return self.test(actual)

    def test(self, actual: typing.Any) -> bool | None:
        """The test on a known value."""
        raise NotImplementedError

    def facts(self):
        return {self.fact}

    def needed(self, outcome):
        return {self.fact: 1.0}


@dataclass(frozen=True, slots=True)
class Compare(Leaf):
    """Bounds on a number or a date (gte/gt/lte/lt, combined). Parsing accepts a bound only of
    the fact's kind (a number for a number fact, a date for a date fact) and profiles are checked
    the same way, so the comparison is always defined: a TypeError here is a bug to see, never
    an "unknown" to hide (nothing catches it)."""
    bounds: tuple[tuple[str, typing.Any], ...]

    def test(self, actual):
        for op, bound in self.bounds:
            ok = (actual >= bound if op == "gte" else actual > bound if op == "gt"
                  else actual <= bound if op == "lte" else actual < bound)
            if not ok:
                return False
        return True

    def explain(self):
        return Explanation(tuple((f"cond.{op}", {"fact": Fact(self.fact), "value": FactValue(self.fact, bound)})
                                 for op, bound in self.bounds))



@dataclass(frozen=True, slots=True)
class Equals(Leaf):
    value: typing.Any

    def test(self, actual):
        return actual == self.value

    def explain(self):
        if isinstance(self.value, bool):
            return _say(None if self.value else "cond.is_not", fact=Fact(self.fact))
        return _say("cond.eq", fact=Fact(self.fact), value=FactValue(self.fact, self.value))



@dataclass(frozen=True, slots=True)
class OneOfCodes(Leaf):
    """A single code among these (``in``)."""
    codes: tuple[str, ...]
    set: str | None = None      # the named set it was written as ("@service"), if any

    def test(self, actual):
        return actual in self.codes

    def explain(self):
        return _say("cond.in", fact=Fact(self.fact), values=Codes(self.codes, "or", self.fact))



@dataclass(frozen=True, kw_only=True, slots=True)
class InRegion(OneOfCodes):
    """The places a policy is for (its own region, else its first document's): ``league``."""
    fact: str = "league"
    implicit = True

    def explain(self):
        return _say("cond.region", places=Codes(self.codes, "or", codes="league"))



@dataclass(frozen=True, kw_only=True, slots=True)
class EntityTypes(OneOfCodes):
    """The types of business a policy's wording covers: ``entity_type``. A type in ``maybe`` is
    neither named nor excluded by the wording: whether it counts is the agency's to say, so it
    is unknown — and what is needed is the agency's word, not an answer (ENTITY_ACCEPTED)."""
    fact: str = "entity_type"
    maybe: tuple[str, ...] = ()
    implicit = True

    def test(self, actual):
        if actual in self.codes:
            return True
        return None if actual in self.maybe else False

    def explain(self):
        return _say("cond.entities", types=Codes(self.codes, "or", codes="entity_type"))

    def needed(self, outcome):
        return {ENTITY_ACCEPTED: 1.0} if outcome.actual is not None else {self.fact: 1.0}



@dataclass(frozen=True, slots=True)
class Has(Leaf):
    """A list fact holds a code. ``NotAny`` (certifications closed to the sector) settles a test
    only on the codes it names; ``AtLeast`` (known to hold these, perhaps more) settles only a
    test that holds."""
    codes: tuple[str, ...]
    set: str | None = None
    op = "has"
    need_all = True

    def test(self, actual):
        wanted = self.codes
        if isinstance(actual, NotAny):
            if (self.op == "has_all" and any(w in actual for w in wanted)) or all(w in actual for w in wanted):
                return False
            return None
        held = set(actual)
        hits = [w in held for w in wanted]
        result = all(hits) if self.need_all else any(hits)
        if result or not isinstance(actual, AtLeast):
            return result
        return None

    def explain(self):
        if self.op == "has":
            return _say("cond.has", fact=Fact(self.fact), value=Codes(self.codes, "and", self.fact))
        return _say(f"cond.{self.op}", fact=Fact(self.fact),
                    values=Codes(self.codes, "and" if self.need_all else "or", self.fact))



@dataclass(frozen=True, slots=True)
class HasAny(Has):
    op = "has_any"
    need_all = False


@dataclass(frozen=True, slots=True)
class HasAll(Has):
    op = "has_all"




def in_region(leagues) -> InRegion:
    """The region condition for these leagues (nodes are immutable: one per region is shared)."""
    return _in_region(tuple(leagues))


def entity_types(types, maybe=()) -> EntityTypes:
    """The entity-type condition for these types (shared like ``in_region``)."""
    return _entity_types(tuple(types), tuple(maybe))


@functools.lru_cache(maxsize=256)
def _in_region(leagues: tuple[str, ...]) -> InRegion:
    return InRegion(codes=leagues)


@functools.lru_cache(maxsize=256)
def _entity_types(types: tuple[str, ...], maybe: tuple[str, ...]) -> EntityTypes:
    return EntityTypes(codes=types, maybe=maybe)


# ---------------------------------------------------------------- parsing

def depth(value: typing.Any, stop: int = MAX_DEPTH + 1) -> int:
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


def too_deep(cond: typing.Any) -> bool:
    """Conditions nested more than MAX_DEPTH deep."""
    return depth(cond) > MAX_DEPTH


def parse(cond: typing.Any, registry: FactRegistry | None, where: str = "condition") -> tuple[Node | None, list[Msg]]:
    """(node, problems) for one condition table. With problems the node is None. ``registry``
    None: data that validated before (the cache), built without checks."""
    if too_deep(cond):
        return None, [Msg("cond_too_deep", where=where, depth=MAX_DEPTH)]
    problems: list[Msg] = []
    node = _parse(cond, registry, where, problems)
    return (None if problems else node), problems


def node_of(cond: "dict | Node") -> Node:
    """A node for a condition that was checked before (by ``parse`` with a registry: the
    catalog's cache, a test's literal); a node is returned as it is."""
    if isinstance(cond, Node):
        return cond
    problems: list[Msg] = []
    node = _parse(cond, None, "condition", problems)
    if node is None:
        raise ValueError("; ".join(problems) or f"not a condition: {brief(cond)}")
    return node


def validate(cond: typing.Any, registry: FactRegistry, where: str = "condition") -> list[Msg]:
    """Every problem with one condition, as messages (no line numbers here)."""
    return parse(cond, registry, where)[1]


_LISTS = {"has": Has, "has_any": HasAny, "has_all": HasAll}


def _parse(cond: typing.Any, registry: FactRegistry | None, where: str, problems: list[Msg]) -> Node | None:
    if not isinstance(cond, dict):
        problems.append(Msg("cond_not_table", where=where, type=type(cond).__name__))
        return None
    label = cond.get("label")
    if label is not None and not isinstance(label, str):
        problems.append(Msg("cond_label", where=where))
    if "changeable" in cond and not isinstance(cond["changeable"], bool):
        problems.append(Msg("cond_changeable", where=where))
    meta = {"label": label, "changeable": cond.get("changeable")}
    composite = [k for k in COMPOSITE_OPS if k in cond]
    if composite:
        if len(composite) > 1 or "fact" in cond:
            problems.append(Msg("cond_composite", where=where))
            return None
        op = composite[0]
        extra = set(cond) - {op, "label", "changeable"}
        if extra:
            problems.append(Msg("cond_unknown_keys", where=where, keys=", ".join(sorted(extra))))
        body = cond[op]
        if op == "not":
            part = _parse(body, registry, f"{where}.not", problems)
            return None if part is None else Not(part, **meta)
        if not isinstance(body, list) or not body:
            problems.append(Msg("cond_empty", where=where, op=op))
            return None
        parts = [_parse(child, registry, f"{where}.{op}[{i}]", problems) for i, child in enumerate(body)]
        if any(p is None for p in parts):
            return None
        return (All if op == "all" else Any)(tuple(parts), **meta)

    name = cond.get("fact")
    if not isinstance(name, str):
        problems.append(Msg("cond_no_fact", where=where))
        return None
    before = len(problems)
    if registry is not None:
        _check_leaf(cond, name, registry, where, problems)
    if len(problems) > before:
        return None
    ops = [k for k in cond if k in LEAF_OPS]
    if not ops:
        return None
    first, set_name = ops[0], cond.get("set")
    if first == "eq":
        return Equals(name, cond["eq"], **meta)
    if first == "in":
        if cond.get("entities"):
            return EntityTypes(codes=tuple(cond["in"]), maybe=tuple(cond.get("maybe") or ()), **meta)
        if cond.get("region"):
            return InRegion(codes=tuple(cond["in"]), **meta)
        return OneOfCodes(name, tuple(cond["in"]), set_name, **meta)
    if first in _LISTS:
        value = cond[first]
        return _LISTS[first](name, (value,) if first == "has" else tuple(value), set_name, **meta)
    return Compare(name, tuple((op, cond[op]) for op in COMPARE_OPS if op in cond), **meta)


def _check_leaf(cond: dict, name: str, registry: FactRegistry, where: str, problems: list[Msg]) -> None:
    fact = registry.get(name)
    if fact is None:
        problems.append(Msg("cond_unknown_fact", where=where, name=name))
        return
    ops = [k for k in cond if k in LEAF_OPS]
    extra = set(cond) - set(LEAF_OPS) - set(META_KEYS)
    if extra:
        problems.append(Msg("cond_unknown_keys", where=where, keys=", ".join(sorted(extra))))
    if not ops:
        problems.append(Msg("cond_no_test", where=where, name=name))
        return
    compare = [k for k in ops if k in COMPARE_OPS]
    others = [k for k in ops if k not in COMPARE_OPS]
    if others and (compare or len(others) > 1):
        problems.append(Msg("cond_combine", where=where))
    if "gte" in cond and "gt" in cond or "lte" in cond and "lt" in cond:
        problems.append(Msg("cond_two_bounds", where=where))
    for op in compare:
        bound = cond[op]
        if fact.type in NUMERIC:
            if not sane_number(bound):
                problems.append(Msg("cond_number_bound", where=where, op=op, name=name,
                                    limit=f"{NUMBER_LIMIT:.0e}"))
        elif fact.type == DATE:
            if not isinstance(bound, dt.date) or isinstance(bound, dt.datetime):
                problems.append(Msg("cond_date_bound", where=where, op=op, name=name))
        else:
            problems.append(Msg("cond_op_type", where=where, op=op, type=fact.type, name=name))
    for op in others:
        value = cond[op]
        if op == "eq":
            problems += _check_value(fact, value, registry, f"{where}: eq")
        elif op == "has":
            if fact.type != CODES:
                problems.append(Msg("cond_has_list", where=where, name=name, type=fact.type))
            else:
                problems += _check_code(fact, value, registry, f"{where}: has")
        else:  # in / has_any / has_all: a non-empty list of codes of a code (in) or list fact
            want = CODE if op == "in" else CODES
            if fact.type != want:
                problems.append(Msg("cond_in_code", where=where, op=op, name=name, type=fact.type) if op == "in"
                                else Msg("cond_in_list", where=where, op=op, name=name, type=fact.type))
            elif not isinstance(value, list) or not value:
                problems.append(Msg("cond_codes_empty", where=where, op=op))
            else:
                for v in value:
                    problems += _check_code(fact, v, registry, f"{where}: {op}")


def _check_code(fact, value, registry: FactRegistry, where: str) -> list[Msg]:
    if not isinstance(value, str):
        return [Msg("cond_code_text", where=where, value=brief(value))]
    if fact.codes and value not in registry.codes.get(fact.codes, {}):
        return [Msg("cond_unknown_code", where=where, value=value, name=fact.name)]
    return []


def _check_value(fact, value, registry: FactRegistry, where: str) -> list[Msg]:
    if fact.type == BOOL:
        return [] if isinstance(value, bool) else [Msg("cond_value_bool", where=where, name=fact.name)]
    if fact.type == CODE:
        return _check_code(fact, value, registry, where)
    if fact.type in NUMERIC:
        return [] if sane_number(value) else [Msg("cond_value_number", where=where, name=fact.name)]
    if fact.type == TEXT:
        return [] if isinstance(value, str) else [Msg("cond_value_text", where=where, name=fact.name)]
    return [Msg("cond_value_type", where=where, type=fact.type, name=fact.name)]




def facts_used(cond: "dict | Node") -> set[str]:
    return node_of(cond).facts()


def evaluate(cond: "dict | Node", facts: dict[str, typing.Any], registry: FactRegistry) -> Outcome:
    """Evaluate a node (or a condition table, parsed first: for tests and one-off use)."""
    return node_of(cond).evaluate(facts, registry)
