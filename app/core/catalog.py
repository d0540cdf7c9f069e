"""Loading and checking the policy catalog.

Read with tomllib (fast); every problem is reported at once as ``PATH:LINE: message``. A broken
catalog raises ``CatalogError`` carrying all problems; it never crashes the caller.
"""

from __future__ import annotations

import bisect
import datetime as dt
import hashlib
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import amounts, conditions
from .facts import CODE, CODES, TABLES, TYPES, Fact, FactRegistry, sane_number
from .safe_read import CATALOG_LIMIT, ReadError, TomlError, parse_toml, read_regular, strip_bom
from .text import brief, clean

POLICY_KINDS = ("award", "subsidy", "tax_relief", "fee_relief", "loan", "guarantee",
                "rent_relief", "social_insurance", "procurement", "service", "land", "other")
SECTIONS = ("basic", "size", "industry", "plans")
STATUSES = ("eligible", "possible", "near_miss", "expired", "not_yet", "draft", "ineligible")
ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
FACT_RE = re.compile(r"^[a-z][a-z0-9_]*$")     # a fact name is also a widget id in the app
TOP_KEYS = {"catalog", "document", "question", "code", "policy", "excluded", "group"}


@dataclass
class Problem:
    path: str
    line: int
    message: str

    def __str__(self) -> str:       # the message quotes catalog text: never a terminal escape
        return clean(f"{self.path}:{self.line}: {self.message}", one_line=True)


class CatalogError(Exception):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass
class Document:
    id: str
    title: str
    file: str = ""
    issued: dt.date | None = None
    draft: bool = False
    region: list[str] | None = None
    traditional: bool = False
    articles: list[str] = field(default_factory=list)


@dataclass
class Question:
    fact: str
    section: str
    text: str
    help: str = ""
    unit: str = ""
    label: str = ""
    ask_if: dict | None = None
    choices: list[dict] = field(default_factory=list)
    order: int = 0


@dataclass
class Source:
    doc: Document
    article: str
    quote: str


@dataclass
class Example:
    as_of: dt.date
    facts: dict
    status: str
    amount: list[int] | None
    note: str = ""
    line: int = 0


@dataclass
class Policy:
    id: str
    title: str
    summary: str
    kind: str
    sources: list[Source]
    lead: list[str]
    partners: list[str]
    conditions: list[dict]
    steps: list[str]
    materials: list[str] = field(default_factory=list)
    amount: dict | None = None
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None
    open_ended: bool = False
    validity_text: str = ""
    group: str | None = None
    note: str = ""
    examples: list[Example] = field(default_factory=list)
    line: int = 0
    region: list[str] | None = None   # overrides the first source document's region

    @property
    def draft(self) -> bool:
        return any(s.doc.draft for s in self.sources)

    @property
    def issued(self) -> dt.date | None:
        dates = [s.doc.issued for s in self.sources if s.doc.issued]
        return max(dates) if dates else None

    def all_conditions(self) -> list[dict]:
        """The conditions as evaluated: the region of the first source's document first."""
        region = self.region or (self.sources[0].doc.region if self.sources else None)
        if region:
            return [{"fact": "league", "in": list(region), "region": True}] + self.conditions
        return self.conditions


@dataclass
class Group:
    id: str
    title: str
    rule: str = "choose_one"
    quote: str = ""


@dataclass
class Catalog:
    version: str
    date: dt.date | None
    title: str
    documents: dict[str, Document]
    questions: dict[str, Question]
    policies: list[Policy]
    excluded: list[dict]
    groups: dict[str, Group]
    registry: FactRegistry
    path: str = ""
    sha: str = ""      # sha256 of the file's bytes (hex, 16 chars): which catalog exactly

    def policy(self, pid: str) -> Policy | None:
        return next((p for p in self.policies if p.id == pid), None)


# ---------------------------------------------------------------- line finding

class _Lines:
    """Finds the line of an entry or of a key within it, for messages."""

    def __init__(self, text: str):
        self.lines = text.splitlines()
        self.headers: dict[str, list[int]] = {}
        for i, line in enumerate(self.lines, 1):
            if "[[" not in line:
                continue
            m = re.match(r"^\s*\[\[\s*([A-Za-z_.]+)\s*\]\]", line)
            if m:
                self.headers.setdefault(m.group(1), []).append(i)

    def entry(self, table: str, index: int) -> int:
        found = self.headers.get(table, [])
        return found[index] if index < len(found) else 1

    def key(self, table: str, index: int, key: str) -> int:
        start = self.entry(table, index)
        for j in range(start, min(len(self.lines), start + 400)):
            text = self.lines[j]
            if re.match(r"^\s*\[", text):
                break
            if re.match(rf"^\s*{re.escape(key)}\s*=", text):
                return j + 1
        return start


# ---------------------------------------------------------------- loading

def _read_bytes(path: str | Path) -> bytes:
    """A regular file of at most CATALOG_LIMIT bytes (never a pipe or a device)."""
    try:
        return read_regular(path, CATALOG_LIMIT)
    except ReadError as exc:
        raise CatalogError([Problem(str(path), 0, exc.reason)]) from None


def _parse(raw: bytes, p: str) -> tuple[str, dict]:
    try:
        text = strip_bom(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise CatalogError([Problem(p, 0, "not UTF-8 text")]) from None
    try:
        return text, parse_toml(text)
    except TomlError as exc:
        raise CatalogError([Problem(p, exc.line, f"not valid TOML: {exc.reason}")]) from None


def read_catalog_file(path: str | Path) -> tuple[str, dict]:
    """(text, data) or raise CatalogError with one problem."""
    return _parse(_read_bytes(path), str(path))


def load_catalog(path: str | Path, fragment: bool = False, use_cache: bool = True) -> Catalog:
    """Load and validate a catalog. A catalog that validated cleanly before is read back from a
    JSON cache keyed by the file's content hash (tomllib is the slow part); the cache holds data
    only and is never trusted for a file whose bytes differ."""
    raw = _read_bytes(path)
    sha = hashlib.sha256(raw).hexdigest()[:16]
    key = None
    if use_cache and not fragment:
        from . import cache
        key = cache.key_for(raw)
        data = cache.read(key)
        if data is not None:
            try:
                catalog, problems = build(data, "", str(path), trusted=True)
            except (KeyError, TypeError, AttributeError, ValueError):
                problems = [Problem(str(path), 0, "cache unusable")]
            if not problems:
                catalog.sha = sha
                return catalog
    text, data = _parse(raw, str(path))
    catalog, problems = _safe_build(data, text, str(path), fragment)
    if problems:
        raise CatalogError(problems)
    catalog.sha = sha
    if key is not None:
        from . import cache
        cache.write(key, data)
    return catalog


def check_catalog(path: str | Path, fragment: bool = False) -> list[Problem]:
    try:
        text, data = read_catalog_file(path)
    except CatalogError as exc:
        return exc.problems
    return _safe_build(data, text, str(path), fragment)[1]


def _safe_build(data: dict, text: str, path: str, fragment: bool):
    """build(), and should a shape the checks did not foresee still raise, one problem instead of
    a crash (the property tests hunt for such shapes)."""
    try:
        return build(data, text, path, fragment=fragment)
    except (TypeError, AttributeError, KeyError, ValueError, IndexError, ArithmeticError,
            RecursionError) as exc:
        return None, [Problem(path, 0, f"catalog has an unexpected shape ({type(exc).__name__}: "
                                       f"{str(exc)[:200]})")]


def build(data: dict, text: str, path: str, fragment: bool = False,
          trusted: bool = False) -> tuple[Catalog, list[Problem]]:
    """Build a Catalog from parsed TOML and list every problem found. ``trusted`` skips the
    per-policy checks, for data that validated cleanly before (the cache)."""
    lines = _Lines(text)
    problems: list[Problem] = []

    def add(line: int, message: str) -> None:
        problems.append(Problem(path, line, message))

    for key in data:
        if key not in TOP_KEYS:
            add(1, f"unknown top-level key '{key}'")

    meta = data.get("catalog")
    version, date, title = "", None, ""
    if not isinstance(meta, dict):
        if not fragment:
            add(1, "missing [catalog] table with version and date")
    else:
        version, date, title = meta.get("version"), meta.get("date"), meta.get("title", "")
        if not isinstance(version, str) or not version:
            add(1, "catalog.version must be text"); version = ""
        if not _is_date(date):
            add(1, "catalog.date must be a date (YYYY-MM-DD)"); date = None

    registry = FactRegistry()
    entries = lambda name: _entries(data, name, add)  # noqa: E731

    # codes first: facts and conditions may use them
    for i, c in enumerate(entries("code")):
        line = lines.entry("code", i)
        lst, value, label = _str(c.get("list")), c.get("value"), c.get("label")
        if lst not in registry.codes:
            add(line, f"code: unknown code list {brief(lst)}"); continue
        if not isinstance(value, str) or not isinstance(label, str):
            add(line, "code: needs text 'value' and 'label'"); continue
        if value in registry.codes[lst]:
            add(line, f"code: '{value}' already exists in list '{lst}'")
        registry.codes[lst][value] = label

    # questions declare new facts
    raw_questions = entries("question")
    for i, q in enumerate(raw_questions):
        name = q.get("fact")
        if not isinstance(name, str) or not FACT_RE.match(name):
            continue                  # said below
        if registry.get(name) is None and "type" in q:
            line = lines.entry("question", i)
            ftype, table = q.get("type"), q.get("table")
            if ftype not in TYPES:
                add(line, f"question {name}: type must be one of {', '.join(TYPES)}"); continue
            if table not in TABLES:
                add(line, f"question {name}: table must be one of {', '.join(TABLES)}"); continue
            codes = None
            if ftype in (CODE, CODES):
                codes = f"fact:{name}"
                choices = q.get("choices")
                if not isinstance(choices, list) or not choices:
                    add(line, f"question {name}: a code fact needs choices"); continue
                registry.codes[codes] = {
                    c.get("value"): c.get("label", c.get("value")) for c in choices
                    if isinstance(c, dict) and isinstance(c.get("value"), str)}
            registry.facts[name] = Fact(name, table, ftype, codes,
                                        changeable=bool(q.get("changeable", table == "plans")))

    questions: dict[str, Question] = {}
    for i, q in enumerate(raw_questions):
        line = lines.entry("question", i)
        name = q.get("fact")
        if not isinstance(name, str) or not FACT_RE.match(name):
            add(line, f"question: a fact name is lowercase ASCII letters, digits and _, starting "
                      f"with a letter; got {brief(name)}"); continue
        fact = registry.get(name)
        if fact is None:
            add(line, f"question: unknown fact {brief(name)} (a new fact needs 'type' and 'table')"); continue
        if fact.derived:
            add(line, f"question: '{name}' is derived, it is not asked"); continue
        if name in questions:
            add(line, f"question: duplicate question for fact '{name}'"); continue
        allowed = {"fact", "section", "text", "help", "unit", "label", "ask_if", "choices",
                   "type", "table", "changeable"}
        for k in set(q) - allowed:
            add(lines.key("question", i, k), f"question {name}: unknown key '{k}'")
        if q.get("section") not in SECTIONS:
            add(lines.key("question", i, "section"), f"question {name}: section must be one of {', '.join(SECTIONS)}")
        if not _text(q.get("text")):
            add(lines.key("question", i, "text"), f"question {name}: missing text")
        ask_if = q.get("ask_if")
        if ask_if is not None:
            for msg in conditions.validate(ask_if, registry, "ask_if"):
                add(lines.key("question", i, "ask_if"), f"question {name}: {msg}")
            if conditions.too_deep(ask_if):
                ask_if = None         # said above; never walked
        choices = q.get("choices") or []
        at_choices = lines.key("question", i, "choices")
        if not isinstance(choices, list):
            add(at_choices, f"question {name}: choices must be a list of tables"); choices = []
        if fact.type in (CODE, CODES) and choices:
            valid = registry.codes.get(fact.codes or "", {})
            for c in choices:
                if not isinstance(c, dict) or _str(c.get("value")) not in valid:
                    add(at_choices, f"question {name}: unknown code in choices: {brief(c)}")
                elif not isinstance(c.get("label", ""), str):
                    add(at_choices, f"question {name}: the label of choice '{c['value']}' must be text")
        values = [c.get("value") for c in choices if isinstance(c, dict)]
        twice = sorted({v for v in values if isinstance(v, str) and values.count(v) > 1})
        if twice:
            add(at_choices, f"question {name}: choices name {', '.join(twice)} more than once")
        questions[name] = Question(
            fact=name, section=q.get("section", "basic"), text=q.get("text", ""),
            help=q.get("help", ""), unit=q.get("unit", ""), label=q.get("label", ""),
            ask_if=ask_if, choices=[c for c in choices if isinstance(c, dict)], order=i)

    documents: dict[str, Document] = {}
    for i, d in enumerate(entries("document")):
        line = lines.entry("document", i)
        did = d.get("id")
        if not isinstance(did, str) or not did:
            add(line, "document: missing id"); continue
        if not isinstance(did, str):
            add(line, "document: id must be text"); continue
        if did in documents:
            add(line, f"document: duplicate id '{did}'")
        if not _text(d.get("title")):
            add(lines.key("document", i, "title"), f"document {did}: missing title")
        issued = d.get("issued")
        if issued is not None and not _is_date(issued):
            add(lines.key("document", i, "issued"), f"document {did}: bad date in issued"); issued = None
        region = d.get("region")
        if region is not None:
            if not isinstance(region, list) or any(_str(r) not in registry.codes["league"] for r in region):
                add(lines.key("document", i, "region"), f"document {did}: region must list league codes"); region = None
        arts = d.get("articles", [])
        if not isinstance(arts, list) or any(not isinstance(a, str) for a in arts):
            add(lines.key("document", i, "articles"), f"document {did}: articles must be a list of text"); arts = []
        dupes = sorted({a for a in arts if arts.count(a) > 1})
        if dupes:
            add(lines.key("document", i, "articles"), f"document {did}: duplicate article(s) {', '.join(dupes)}")
        documents[did] = Document(did, d.get("title", ""), d.get("file", ""), issued,
                                  bool(d.get("draft", False)), region, bool(d.get("traditional", False)),
                                  list(arts))

    groups: dict[str, Group] = {}
    for i, g in enumerate(entries("group")):
        gid = g.get("id")
        if not isinstance(gid, str) or not _text(g.get("title")):
            add(lines.entry("group", i), "group: needs id and title"); continue
        groups[gid] = Group(gid, g["title"], g.get("rule", "choose_one"), g.get("quote", ""))

    policies: list[Policy] = []
    seen: set[str] = set()
    for i, raw in enumerate(entries("policy")):
        if trusted:
            policies.append(_trusted_policy(raw, documents))
            continue
        pol = _build_policy(raw, i, lines, registry, documents, groups, add)
        if pol is None:
            continue
        if pol.id in seen:
            add(pol.line, f"policy: duplicate id '{pol.id}'")
        seen.add(pol.id)
        policies.append(pol)

    excluded = []
    cited = {(s.doc.id, s.article) for p in policies for s in p.sources}
    for i, e in enumerate(entries("excluded")):
        line = lines.entry("excluded", i)
        doc, art = _str(e.get("doc")), e.get("article")
        if doc not in documents:
            add(line, f"excluded: unknown document {brief(doc)}"); continue
        if documents[doc].articles and _str(art) not in documents[doc].articles:
            add(line, f"excluded: article {brief(art)} is not in document {doc}'s articles")
        if not _text(e.get("reason")):
            add(line, f"excluded {doc} {art}: missing reason")
        if (doc, art) in cited:
            add(line, f"excluded {doc} {art}: the article is also cited by a policy")
        excluded.append(dict(e))

    if not fragment:
        used: dict[str, int] = {}
        for p in policies:
            for c in p.all_conditions():
                for f in conditions.facts_used(c):
                    used.setdefault(f, p.line)
            if p.amount:
                for f in amounts.facts_used(p.amount):
                    used.setdefault(f, p.line)
        for f, line in used.items():
            fact = registry.get(f)
            if fact is not None and not fact.derived and f not in questions:
                add(line, f"fact '{f}' is used but no question asks it")

    cat = Catalog(version or "", date, title or "", documents, questions, policies, excluded,
                  groups, registry, path)
    return cat, problems


def _build_policy(raw, i, lines, registry, documents, groups, add) -> Policy | None:
    line = lines.entry("policy", i)
    at = lambda key: lines.key("policy", i, key)  # noqa: E731
    pid = raw.get("id")
    if not isinstance(pid, str) or not ID_RE.match(pid):
        add(at("id"), f"policy: id must be lowercase letters, digits and hyphens, got {brief(pid)}")
        return None
    where = f"policy {pid}"
    known = {"id", "title", "summary", "kind", "sources", "lead", "partners", "valid_from",
             "valid_until", "open_ended", "validity_text", "conditions", "amount", "steps",
             "materials", "group", "note", "example", "region"}
    for k in set(raw) - known:
        add(at(k), f"{where}: unknown key '{k}'")
    for key in ("title", "summary"):
        if not _text(raw.get(key)):
            add(at(key) if key in raw else line, f"{where}: missing {key}")
    if raw.get("kind") not in POLICY_KINDS:
        add(at("kind") if "kind" in raw else line, f"{where}: kind must be one of {', '.join(POLICY_KINDS)}")

    sources = []
    raw_sources = raw.get("sources")
    if not isinstance(raw_sources, list) or not raw_sources:
        add(at("sources") if "sources" in raw else line, f"{where}: needs at least one source")
        raw_sources = []
    for s in raw_sources:
        if not isinstance(s, dict):
            add(at("sources"), f"{where}: each source must be a table"); continue
        doc = documents.get(_str(s.get("doc")))
        if doc is None:
            add(at("sources"), f"{where}: unknown document {brief(s.get('doc'))}"); continue
        art = s.get("article")
        if not _text(art):
            add(at("sources"), f"{where}: source needs an article"); continue
        if doc.articles and _str(art) not in doc.articles:
            add(at("sources"), f"{where}: article {brief(art)} is not in document {doc.id}'s articles")
        if not _text(s.get("quote")):
            add(at("sources"), f"{where}: source {art} needs a quote")
        sources.append(Source(doc, art, s.get("quote", "")))

    lead, partners = raw.get("lead"), raw.get("partners", [])
    if not _text_list(lead, nonempty=True):
        add(at("lead") if "lead" in raw else line, f"{where}: lead must list at least one agency"); lead = []
    if not _text_list(partners):
        add(at("partners"), f"{where}: partners must be a list of text"); partners = []

    vf, vu = raw.get("valid_from"), raw.get("valid_until")
    if vf is not None and not _is_date(vf):
        add(at("valid_from"), f"{where}: bad date in valid_from"); vf = None
    if vu is not None and not _is_date(vu):
        add(at("valid_until"), f"{where}: bad date in valid_until"); vu = None
    if vf and vu and vf > vu:
        add(at("valid_until"), f"{where}: valid_until is before valid_from")
    open_ended = raw.get("open_ended", False)
    if not isinstance(open_ended, bool):
        add(at("open_ended"), f"{where}: open_ended must be true or false"); open_ended = False
    if open_ended and vu:
        add(at("open_ended"), f"{where}: open_ended with a valid_until")

    conds = raw.get("conditions", [])
    if not isinstance(conds, list):
        add(at("conditions"), f"{where}: conditions must be a list"); conds = []
    for j, c in enumerate(conds):
        for msg in conditions.validate(c, registry, f"conditions[{j}]"):
            add(at("conditions"), f"{where}: {msg}")
    conds = [c for c in conds if not conditions.too_deep(c)]     # said above; never walked

    amount = raw.get("amount")
    if amount is not None:
        for msg in amounts.validate(amount, registry):
            add(at("amount"), f"{where}: {msg}")
        if conditions.too_deep(amount.get("tiers") if isinstance(amount, dict) else None):
            amount = None

    steps = raw.get("steps")
    if not _text_list(steps) or len(steps) < 2:
        add(at("steps") if "steps" in raw else line, f"{where}: needs at least two steps"); steps = steps if _text_list(steps) else []
    materials = raw.get("materials", [])
    if not _text_list(materials):
        add(at("materials"), f"{where}: materials must be a list of text"); materials = []
    region = raw.get("region")
    if region is not None and (not isinstance(region, list) or not region
                               or any(_str(r) not in registry.codes["league"] for r in region)):
        add(at("region"), f"{where}: region must list league codes"); region = None
    group = raw.get("group")
    if group is not None and _str(group) not in groups:
        add(at("group"), f"{where}: unknown group {brief(group)}"); group = None

    examples = []
    raw_examples = raw.get("example", [])
    if not raw_examples:
        add(line, f"{where}: needs at least one [[policy.example]]")
    for j, ex in enumerate(raw_examples if isinstance(raw_examples, list) else []):
        ex_line = _example_line(lines, line, j)
        if not isinstance(ex, dict):
            continue
        if not _is_date(ex.get("as_of")):
            add(ex_line, f"{where}: example {j + 1} needs as_of (a date)"); continue
        if ex.get("status") not in STATUSES:
            add(ex_line, f"{where}: example {j + 1}: status must be one of {', '.join(STATUSES)}"); continue
        facts = ex.get("facts", {})
        if not isinstance(facts, dict):
            add(ex_line, f"{where}: example {j + 1}: facts must be a table"); continue
        from .profile import ProfileError, flat_facts
        try:
            facts = flat_facts(facts, registry, as_of=ex["as_of"])
        except ProfileError as exc:
            add(ex_line, f"{where}: example {j + 1}: fact {exc.field}: {exc.key} "
                         f"(got {brief(exc.params.get('got'))})")
            continue
        amt = ex.get("amount")
        if amt is not None and not (isinstance(amt, list) and (amt == [] or (
                len(amt) == 2 and all(isinstance(a, int) and sane_number(a) for a in amt)))):
            add(ex_line, f"{where}: example {j + 1}: amount must be [min, max] in yuan, or []")
            amt = None
        examples.append(Example(ex["as_of"], facts, ex["status"], amt, ex.get("note", ""), ex_line))

    return Policy(
        id=pid, title=raw.get("title", ""), summary=raw.get("summary", ""),
        kind=raw.get("kind", "other"), sources=sources, lead=list(lead), partners=list(partners),
        conditions=conds, steps=list(steps), materials=list(materials), amount=amount,
        valid_from=vf, valid_until=vu, open_ended=open_ended,
        validity_text=raw.get("validity_text", "") or "", group=group, note=raw.get("note", "") or "",
        examples=examples, line=line, region=region)


def _trusted_policy(raw: dict, documents: dict[str, Document]) -> Policy:
    """A policy from data that validated cleanly before: no checks, just construction."""
    return Policy(
        id=raw["id"], title=raw["title"], summary=raw["summary"], kind=raw["kind"],
        sources=[Source(documents[s["doc"]], s["article"], s["quote"]) for s in raw["sources"]],
        lead=raw["lead"], partners=raw.get("partners", []), conditions=raw.get("conditions", []),
        steps=raw["steps"], materials=raw.get("materials", []), amount=raw.get("amount"),
        valid_from=raw.get("valid_from"), valid_until=raw.get("valid_until"),
        open_ended=raw.get("open_ended", False), validity_text=raw.get("validity_text", ""),
        group=raw.get("group"), note=raw.get("note", ""),
        examples=[Example(ex["as_of"], ex.get("facts", {}), ex["status"], ex.get("amount"),
                          ex.get("note", "")) for ex in raw.get("example", [])],
        region=raw.get("region"))


def _example_line(lines: _Lines, policy_line: int, j: int) -> int:
    found = lines.headers.get("policy.example", [])
    k = bisect.bisect_right(found, policy_line) + j
    return found[k] if k < len(found) else policy_line


def _entries(data: dict, name: str, add) -> list[dict]:
    value = data.get(name, [])
    if not isinstance(value, list):
        add(1, f"'{name}' must be an array of tables ([[{name}]])")
        return []
    return [v for v in value if isinstance(v, dict)]


def _str(v: Any) -> str | None:
    """v if it is text, else None: keeps odd values (lists, tables) out of dict look-ups."""
    return v if isinstance(v, str) else None


def _is_date(v: Any) -> bool:
    return isinstance(v, dt.date) and not isinstance(v, dt.datetime)


def _text(v: Any) -> bool:
    return isinstance(v, str) and v.strip() != ""


def _text_list(v: Any, nonempty: bool = False) -> bool:
    return isinstance(v, list) and all(_text(x) for x in v) and (bool(v) or not nonempty)
