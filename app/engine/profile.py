"""Profiles: one business, read from the contract's TOML format and checked field by field.

A field that is absent is unknown. A field of the wrong kind is an error naming the field; a
field this version does not know is kept and warned about.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Any, Iterator

from app.engine.rules import AtLeast
from app.engine.derive import derive
from app.engine.facts import (BOOL, CODE, CODES, DATE, INT, MONEY, NUMBER, NUMBER_LIMIT, TABLES, TEXT,
                    Fact, FactRegistry)
from app.engine.text import brief, clean, quoted


RECORD_TABLE = "huiqi"     # saved clients' record-keeping (app/storage/client_store.py); not facts
EARLIEST_FOUNDED = dt.date(1949, 1, 1)   # a business founded earlier is a typing accident


class ProfileError(Exception):
    """A profile that cannot be used. ``key`` + ``params`` let any language say why."""

    def __init__(self, file: str, field: str | None, key: str, **params: Any):
        self.file, self.field, self.key, self.params = file, field, key, params
        super().__init__(f"{file}: {field or ''}: {key} {params}")


@dataclass
class Profile:
    facts: dict[str, Any] = field(default_factory=dict)    # fact name -> value, stated only
    warnings: list[tuple[str, dict]] = field(default_factory=list)   # (key, params)
    raw: dict = field(default_factory=dict)                 # the file as read, unknown keys too
    file: str = ""

    @property
    def name(self) -> str:
        return self.facts.get("name") or ""


def check_value(fact: Fact, value: Any, registry: FactRegistry, as_of: dt.date | None = None) -> Any:
    """The value cleaned, or raise ValueError(expected-key, params). ``as_of``: the assessment
    date, which a founding date may not be after (without it only the earliest is checked)."""
    t = fact.type
    if t == BOOL:
        if isinstance(value, bool):
            return value
        raise ValueError("expected.bool", {})
    if t in (INT, MONEY, NUMBER):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ValueError(f"expected.{t}", {})
        if isinstance(value, float) and not math.isfinite(value):
            raise ValueError(f"expected.{t}", {})
        if t == INT and not isinstance(value, int):
            if isinstance(value, float) and value.is_integer():
                value = int(value)
            else:
                raise ValueError("expected.int", {})
        if value < 0:
            raise ValueError("expected.nonnegative", {})
        if value > NUMBER_LIMIT:
            raise ValueError("expected.too_large", {})
        return value
    if t == DATE:
        if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
            raise ValueError("expected.date", {})
        if fact.name == "founded" and value < EARLIEST_FOUNDED:
            raise ValueError("expected.founded_early", {"earliest": EARLIEST_FOUNDED.isoformat()})
        if fact.name == "founded" and as_of is not None and value > as_of:
            raise ValueError("expected.founded", {"earliest": EARLIEST_FOUNDED.isoformat(),
                                                  "latest": as_of.isoformat()})
        return value
    if t == TEXT:
        if isinstance(value, str):
            return value
        raise ValueError("expected.text", {})
    if t == CODE:
        codes = registry.codes.get(fact.codes or "", {})
        if isinstance(value, str) and value in codes:
            return value
        raise ValueError("expected.code", {"codes": list(codes), "got": value})
    if t == CODES:
        codes = registry.codes.get(fact.codes or "", {})
        if not isinstance(value, list):
            raise ValueError("expected.codes", {"codes": list(codes), "got": value})
        out = []
        for item in value:
            if not isinstance(item, str) or item not in codes:
                raise ValueError("expected.code", {"codes": list(codes), "got": item})
            if item not in out:
                out.append(item)
        return out
    raise ValueError("expected.text", {})


def parse_profile(data: dict, registry: FactRegistry, file: str = "",
                  as_of: dt.date | None = None) -> Profile:
    """Warnings quote the file's own keys, cleaned of control characters (they reach terminals
    and reports); errors keep the value as found (``error_line`` shows it safely)."""
    profile = Profile(raw=data, file=file)
    for table, body in data.items():
        if table == RECORD_TABLE:         # the app's own record of a saved client
            continue
        if table not in TABLES:
            profile.warnings.append(("warn.unknown_table", {"table": clean(table, one_line=True)}))
            continue
        if not isinstance(body, dict):
            raise ProfileError(file, table, "expected.table")
        for key, value in body.items():
            fact = registry.get(key)
            if fact is None or fact.derived or fact.table != table:
                profile.warnings.append(("warn.unknown_field",
                                         {"field": clean(f"{table}.{key}", one_line=True)}))
                continue
            try:
                profile.facts[key] = check_value(fact, value, registry, as_of)
            except ValueError as exc:
                exp_key, params = exc.args
                raise ProfileError(file, f"{table}.{key}", exp_key, **{"got": value, **params}) from None
    return profile


def error_line(exc: ProfileError, loc) -> str:
    """One line naming the file, the field, what was expected and (briefly) what was found."""
    params = dict(exc.params)
    if "codes" in params:
        params["codes"] = ", ".join(str(c) for c in params["codes"])
    if exc.field is None:
        return loc.t("error.profile_file", file=exc.file, reason=loc.t(exc.key, **params))
    got = params.get("got")
    shown = quoted(got) if isinstance(got, str) else brief(got)
    return loc.t("error.profile", file=exc.file, field=exc.field,
                 expected=loc.t(exc.key, **params), got=shown)


def flat_facts(flat: dict, registry: FactRegistry, where: str = "",
               as_of: dt.date | None = None) -> dict[str, Any]:
    """Facts given as a flat table (catalog examples, batch rows), checked like a profile."""
    out = {}
    for key, value in flat.items():
        fact = registry.get(key)
        if fact is None or fact.derived:
            raise ProfileError(where, key, "warn.unknown_field", field=key)
        try:
            out[key] = check_value(fact, value, registry, as_of)
        except ValueError as exc:
            exp_key, params = exc.args
            raise ProfileError(where, key, exp_key, **{"got": value, **params}) from None
    return out


def effective_facts(stated: dict[str, Any], as_of: dt.date, catalog=None) -> tuple[dict[str, Any], dict]:
    """Stated facts plus derived ones, as the engine tests them; and how each was derived.

    With a catalog, a fact whose question would not be asked (its ``ask_if`` is false on what is
    known, on grounds the business cannot change — its sector, its type) is *not applicable* (NA),
    not unknown; a stated answer to such a question is set aside too, so forgetting an answer can
    never exclude a policy. A gate the business could change (a plan, a certification) marks
    nothing: a 499万 device keeps its year and depreciation answers, and stays a near miss."""
    facts = dict(stated)
    certs, new = facts.get("certifications"), facts.get("new_certifications")
    if certs is not None:
        facts["certifications"] = list(dict.fromkeys(list(certs) + list(new or [])))
        if new is None and not certs:
            facts["new_certifications"] = []   # holds none, so none is new
    elif new:
        facts["certifications"] = AtLeast(new)
    derived, why = derive(facts, as_of)
    facts.update(derived)
    if catalog is not None:
        mark_not_applicable(facts, catalog)
        _close_certifications(facts, catalog)
    return facts, why


def _close_certifications(facts: dict[str, Any], catalog) -> None:
    """Unanswered certifications stay unknown, except those open only to other sectors (a
    ``cert_<code>`` set of the catalog): a restaurant is no 多式联运 pilot, answered or not."""
    from app.engine.rules import NotAny
    sectors = facts.get("sectors")
    if not isinstance(sectors, list) or not sectors:
        return
    closed = frozenset(sid[5:] for sid, s in catalog.sets.items()
                       if sid.startswith("cert_") and not set(sectors) & set(s.values))
    if not closed:
        return
    for name in ("certifications", "new_certifications"):
        if facts.get(name) is None:
            facts[name] = NotAny(closed)


def not_applicable(facts: dict[str, Any], catalog) -> Iterator[tuple[str, bool]]:
    """The one "does not apply" rule: the questions whose ``ask_if`` is false for these facts,
    each with whether that is settled — false on grounds the business cannot change (its sector,
    its type), not on a plan or a certification it could still make hold. An answer to any of
    them is set aside (``needed_facts.active_facts``); a settled one also makes its fact NA
    (``mark_not_applicable``). Lazy: each gate is evaluated on the facts as they are when it is
    reached, so a caller may mark facts as it goes."""
    for name, q in catalog.questions.items():
        if q.ask_if is not None:
            gate = q.ask_if.evaluate(facts, catalog.registry)
            if gate.value is False:
                yield name, not gate.changeable


def mark_not_applicable(facts: dict[str, Any], catalog) -> list[str]:
    """Set NA on facts whose question's ask_if is false and not changeable (answered or not);
    repeat, since one ask_if may rest on another such fact. Returns the facts marked."""
    from app.engine.rules import NA
    marked: list[str] = []
    changed = True
    while changed:
        changed = False
        for name, settled in not_applicable(facts, catalog):
            if settled and facts.get(name) is not NA:
                facts[name] = NA
                marked.append(name)
                changed = True
    return marked
