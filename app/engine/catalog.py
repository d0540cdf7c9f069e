"""Loading and checking the policy catalog.

Read with tomllib (fast); every problem is reported at once as ``PATH:LINE: message``. A broken
catalog raises ``CatalogError`` carrying all problems; it never crashes the caller.
"""

from __future__ import annotations

import bisect
import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from typing import Any

from app.engine import amounts
from app.engine import rules as conditions
from app.engine.facts import CODE, CODES, TABLES, TYPES, Fact, FactRegistry, sane_number
from app.engine.toml_text import TomlError, parse_toml, strip_bom
from app.engine.problems import Msg
from app.engine.text import brief, clean

POLICY_KINDS = ("award", "subsidy", "tax_relief", "fee_relief", "loan", "guarantee",
                "rent_relief", "social_insurance", "procurement", "service", "land", "other")
SECTIONS = ("basic", "size", "industry", "plans")
# The statuses, in the one order the whole app uses (best first; ended ones grouped by it).
STATUSES = ("eligible", "possible", "near_miss", "not_yet", "expired", "lapsed", "draft", "ineligible")
ENTITY_TYPES = ("company", "individual", "cooperative", "nonprofit")
DELIVERS = ("money", "tax", "fee", "rent", "social_insurance", "financing", "procurement", "land",
            "service", "channel", "encouragement")
CONCRETE = DELIVERS[:9]     # what reaches the business itself; channel/encouragement do not
SET_RE = re.compile(r"^@([a-z][a-z0-9_]*)$")
MAX_WALK = 60     # set expansion and the pasted-list check stop here (the depth check reports it)
ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
FACT_RE = re.compile(r"^[a-z][a-z0-9_]*$")     # a fact name is also a widget id in the app
TOP_KEYS = {"catalog", "document", "question", "code", "policy", "excluded", "group", "set", "agency"}


@dataclass
class Problem:
    """A problem at ``path:line``: ``message`` is the English text; ``key`` (a message key,
    catalog.problem.* or store.problem.*) and ``params`` let the app say it in the user's language."""
    path: str
    line: int
    message: str
    key: str = ""
    params: dict = field(default_factory=dict)

    @classmethod
    def of(cls, path: str, line: int, msg: Msg) -> "Problem":
        return cls(path, line, str(msg), msg.key, dict(msg.params))

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
    valid_from: dt.date | None = None     # the document's own period, inherited by its measures
    valid_until: dt.date | None = None
    period_text: str = ""                 # the words of the text that give the period
    not_before: dt.date | None = None     # undated: the earliest it can have been issued
    age_text: str = ""                    # how old it is, in words, when undated

    @property
    def start(self) -> dt.date | None:
        """Nothing of the document is available before this day."""
        return self.issued or self.not_before


@dataclass
class Question:
    fact: str
    section: str
    text: str
    help: str = ""
    unit: str = ""
    label: str = ""
    ask_if: "conditions.Node | None" = None      # parsed with the catalog
    choices: list[dict] = field(default_factory=list)
    order: int = 0


@dataclass
class Source:
    doc: Document
    article: str
    quote: str
    valid_from: dt.date | None = None     # a period this clause states for itself
    valid_until: dt.date | None = None


@dataclass
class Period:
    """When one source holds the measure: its own dates, else the policy's, else its document's."""
    source: Source
    start: dt.date | None        # as stated (a measure may state a start before its issue date)
    until: dt.date | None
    open_ended: bool
    draft: bool

    @property
    def available_from(self) -> dt.date | None:
        """Nothing is available before its document was issued, whatever start it states."""
        issued = self.source.doc.start
        if issued and (self.start is None or self.start < issued):
            return issued
        return self.start

    def state(self, day: dt.date) -> str:
        if self.draft:
            return "draft"
        if self.available_from is not None and day < self.available_from:
            return "not_yet"
        if self.until is not None and day > self.until:
            return "expired"
        return "in_force"


@dataclass
class Lapse:
    since: dt.date        # from this day the measure has most likely stopped
    reason: str           # plain words for a clerk
    words: list[str]      # the words of the quotes that tie it to what has passed


@dataclass
class NamedSet:
    id: str
    list: str             # the code list: sectors, certifications, …
    label: str
    values: list[str]


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
    region: list[str] | None = None   # narrows the first source document's region
    entities: list[str] | None = None  # who the wording covers (企业 / 个体工商户 / …); None = all
    delivers: str = ""                 # what reaches the business (DELIVERS)
    lapse: Lapse | None = None
    # the written conditions and the amount's tier conditions, parsed with the catalog
    # (None: parsed from ``conditions`` / ``amount`` when first needed)
    nodes: list | None = field(default=None, repr=False, compare=False)
    whens: tuple | None = field(default=None, repr=False, compare=False)

    @property
    def concrete(self) -> bool:
        return self.delivers in CONCRETE if self.delivers else self.kind not in ("service", "other", "loan")

    def periods(self) -> list[Period]:
        cached = self.__dict__.get("_periods")
        if cached is not None:
            return cached
        out = []
        for s in self.sources:
            d = s.doc
            start = s.valid_from or self.valid_from or d.valid_from or d.start
            until = s.valid_until or self.valid_until or (None if self.open_ended else d.valid_until)
            out.append(Period(s, start, until, self.open_ended and not s.valid_until, d.draft))
        self.__dict__["_periods"] = out       # the data never changes once built
        return out

    def time_state(self, day: dt.date) -> str:
        """in_force | not_yet | expired | draft: in force while any non-draft source holds it."""
        states = [p.state(day) for p in self.periods()]
        if not states:
            return "in_force"
        for s in ("in_force", "not_yet", "expired"):
            if s in states:
                return s
        return "draft"

    def lapse_state(self, day: dt.date) -> Lapse | None:
        """The lapse, when it applies on this day: from its ``since`` day, and only while no
        source in force states an end date (a stated end makes it ``expired`` instead)."""
        if self.lapse is None or day < self.lapse.since:
            return None
        live = [p for p in self.periods() if p.state(day) == "in_force"]
        if any(p.until is not None for p in live):
            return None
        return self.lapse

    def span(self, day: dt.date | None = None) -> tuple[dt.date | None, dt.date | None]:
        """(from, until) over the non-draft sources: the earliest start and, when every source
        states an end, the latest end (None = not stated)."""
        live = [p for p in self.periods() if not p.draft] or self.periods()
        starts = [p.start for p in live]
        start = None if any(s is None for s in starts) or not starts else min(starts)
        ends = [p.until for p in live]
        until = None if any(e is None for e in ends) or not ends else max(ends)
        return start, until

    @property
    def draft(self) -> bool:
        return any(s.doc.draft for s in self.sources)

    @property
    def issued(self) -> dt.date | None:
        dates = [s.doc.issued for s in self.sources if s.doc.issued]
        return max(dates) if dates else None

    def admitted_entities(self) -> list[str]:
        """Who may take part. The wording decides (``entities``), with one documented rule for
        enterprise wording (企业, 小微企业…) that does not name 个体工商户 or 农民专业合作社: a
        channel or an encouragement (events, promotions, matchmaking, banks encouraged to lend) is
        open to them; a concrete benefit other than tax relief is *possible* for them — whether the
        agency accepts them is for the agency to say (``EntityTypes.maybe``) —; tax relief
        worded for enterprises (企业所得税) is not theirs; a non-profit is never covered by
        enterprise wording."""
        entities = list(self.entities or ENTITY_TYPES)
        if not self.concrete and "company" in entities:
            entities = [e for e in ENTITY_TYPES if e in entities or e in ("individual", "cooperative")]
        return entities

    @property
    def rules(self) -> list[conditions.Node]:
        """The conditions as evaluated, as nodes: the region (the policy's, else its first
        document's) and the entity types its wording covers come first."""
        cached = self.__dict__.get("_rules")
        if cached is not None:
            return cached
        out: list[conditions.Node] = []
        region = self.region or (self.sources[0].doc.region if self.sources else None)
        if region:
            out.append(conditions.in_region(region))
        entities = self.admitted_entities()
        if set(entities) != set(ENTITY_TYPES):
            maybe = [e for e in ("individual", "cooperative") if e not in entities]
            if not ("company" in entities and maybe and self.delivers != "tax"):   # tax law decides who pays
                maybe = []
            out.append(conditions.entity_types(entities, maybe))
        written = self.nodes if self.nodes is not None else [conditions.node_of(c) for c in self.conditions]
        out += written
        self.__dict__["_rules"] = out       # the data never changes once built
        return out

    @property
    def tier_rules(self) -> tuple:
        """The amount's tier conditions (``when``) as nodes."""
        if self.whens is None:
            self.whens = amounts.tier_conditions(self.amount) if self.amount else ()
        return self.whens


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
    sets: dict[str, NamedSet] = field(default_factory=dict)
    agencies: dict[str, dict] = field(default_factory=dict)   # printed name -> current name etc.
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
            text = self.lines[j].lstrip()          # as ^\s*\[ and ^\s*key\s*= would match
            if text.startswith("["):
                break
            if text.startswith(key) and text[len(key):].lstrip().startswith("="):
                return j + 1
        return start


# ---------------------------------------------------------------- parsing (bytes in; reading files is app/storage/catalog_files.py)

def parse_bytes(raw: bytes, p: str) -> tuple[str, dict]:
    """(text, data) of a catalog file's bytes, or CatalogError with one problem."""
    try:
        text = strip_bom(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise CatalogError([Problem.of(p, 0, Msg("not_utf8"))]) from None
    try:
        return text, parse_toml(text)
    except TomlError as exc:
        raise CatalogError([Problem.of(p, exc.line, Msg("not_toml", reason=exc.reason))]) from None


def digest(raw: bytes) -> str:
    """The short content hash a catalog is known by (saved clients record it)."""
    return hashlib.sha256(raw).hexdigest()[:16]


def safe_build(data: dict, text: str, path: str, fragment: bool):
    """build(), and should a shape the checks did not foresee still raise, one problem instead of
    a crash (the property tests hunt for such shapes)."""
    try:
        return build(data, text, path, fragment=fragment)
    except (TypeError, AttributeError, KeyError, ValueError, IndexError, ArithmeticError,
            RecursionError) as exc:
        return None, [Problem.of(path, 0, Msg("unexpected_shape", error=type(exc).__name__,
                                              detail=str(exc)[:200]))]


def build(data: dict, text: str, path: str, fragment: bool = False,
          trusted: bool = False) -> tuple[Catalog, list[Problem]]:
    """Build a Catalog from parsed TOML and list every problem found. ``trusted`` skips the
    per-policy checks, for data that validated cleanly before (the cache)."""
    lines = _Lines(text)
    problems: list[Problem] = []

    def add(line: int, msg: Msg) -> None:
        problems.append(Problem.of(path, line, msg))

    for key in data:
        if key not in TOP_KEYS:
            add(1, Msg("unknown_top_key", key=key))

    meta = data.get("catalog")
    version, date, title = "", None, ""
    if not isinstance(meta, dict):
        if not fragment:
            add(1, Msg("missing_meta"))
    else:
        version, date, title = meta.get("version"), meta.get("date"), meta.get("title", "")
        if not isinstance(version, str) or not version:
            add(1, Msg("meta_version")); version = ""
        if not _is_date(date):
            add(1, Msg("meta_date")); date = None

    registry = FactRegistry()
    entries = lambda name: _entries(data, name, add)  # noqa: E731

    agencies: dict[str, dict] = {}
    for i, a in enumerate(entries("agency")):
        line = lines.entry("agency", i)
        name = a.get("name")
        if not _text(name):
            add(line, Msg("agency_name")); continue
        for k in set(a) - {"name", "current", "source", "quote", "note"}:
            add(lines.key("agency", i, k), Msg("unknown_key", where=f"agency {name}", key=k))
        agencies[name] = {k: a[k] for k in ("current", "source", "quote", "note") if _text(a.get(k))}

    # codes first: facts and conditions may use them
    for i, c in enumerate(entries("code")):
        line = lines.entry("code", i)
        lst, value, label = _str(c.get("list")), c.get("value"), c.get("label")
        if lst not in registry.codes:
            add(line, Msg("unknown_code_list", where="code", value=brief(lst))); continue
        if not isinstance(value, str) or not isinstance(label, str):
            add(line, Msg("code_fields")); continue
        if value in registry.codes[lst]:
            add(line, Msg("code_twice", value=value, list=lst))
        registry.codes[lst][value] = label

    sets: dict[str, NamedSet] = {}
    for i, raw_set in enumerate(entries("set")):
        line = lines.entry("set", i)
        sid, lst, values = raw_set.get("id"), _str(raw_set.get("list")), raw_set.get("values")
        if not isinstance(sid, str) or not re.match(r"^[a-z][a-z0-9_]*$", sid):
            add(line, Msg("set_id", value=repr(sid))); continue
        if sid in sets:
            add(line, Msg("duplicate_id", where="set", id=sid))
        if lst not in registry.codes:
            add(line, Msg("unknown_code_list", where=f"set {sid}", value=repr(lst))); continue
        if not _text_list(values, nonempty=True):
            add(line, Msg("set_values", where=f"set {sid}")); continue
        if not trusted:
            for v in values:
                if v not in registry.codes[lst] and lst != "certifications":
                    add(line, Msg("set_unknown_code", where=f"set {sid}", code=v, list=lst))
        sets[sid] = NamedSet(sid, lst, _str(raw_set.get("label")) or sid, list(values))
    _expand_sets(data, sets, lines, add)


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
                add(line, Msg("question_type", where=f"question {name}", choices=", ".join(TYPES))); continue
            if table not in TABLES:
                add(line, Msg("question_table", where=f"question {name}", choices=", ".join(TABLES))); continue
            codes = None
            if ftype in (CODE, CODES):
                codes = f"fact:{name}"
                choices = q.get("choices")
                if not isinstance(choices, list) or not choices:
                    add(line, Msg("question_choices_needed", where=f"question {name}")); continue
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
            add(line, Msg("question_fact_name", value=brief(name))); continue
        fact = registry.get(name)
        if fact is None:
            add(line, Msg("question_unknown_fact", value=brief(name))); continue
        if fact.derived:
            add(line, Msg("question_derived", name=name)); continue
        if name in questions:
            add(line, Msg("question_twice", name=name)); continue
        allowed = {"fact", "section", "text", "help", "unit", "label", "ask_if", "choices",
                   "type", "table", "changeable"}
        for k in set(q) - allowed:
            add(lines.key("question", i, k), Msg("unknown_key", where=f"question {name}", key=k))
        if q.get("section") not in SECTIONS:
            add(lines.key("question", i, "section"), Msg("question_section", where=f"question {name}", choices=", ".join(SECTIONS)))
        if not _text(q.get("text")):
            add(lines.key("question", i, "text"), Msg("missing", where=f"question {name}", key="text"))
        ask_if = q.get("ask_if")
        if ask_if is not None:
            ask_if, msgs = conditions.parse(ask_if, registry, "ask_if")
            for msg in msgs:
                add(lines.key("question", i, "ask_if"), msg.within(f"question {name}"))
        choices = q.get("choices") or []
        at_choices = lines.key("question", i, "choices")
        if not isinstance(choices, list):
            add(at_choices, Msg("question_choices_list", where=f"question {name}")); choices = []
        if fact.type in (CODE, CODES) and choices:
            valid = registry.codes.get(fact.codes or "", {})
            for c in choices:
                if not isinstance(c, dict) or _str(c.get("value")) not in valid:
                    add(at_choices, Msg("question_choice_code", where=f"question {name}", value=brief(c)))
                elif not isinstance(c.get("label", ""), str):
                    add(at_choices, Msg("question_choice_label", where=f"question {name}", value=c["value"]))
        values = [c.get("value") for c in choices if isinstance(c, dict)]
        twice = sorted({v for v in values if isinstance(v, str) and values.count(v) > 1})
        if twice:
            add(at_choices, Msg("question_choices_twice", where=f"question {name}", values=", ".join(twice)))
        questions[name] = Question(
            fact=name, section=q.get("section", "basic"), text=q.get("text", ""),
            help=q.get("help", ""), unit=q.get("unit", ""), label=q.get("label", ""),
            ask_if=ask_if, choices=[c for c in choices if isinstance(c, dict)], order=i)

    documents: dict[str, Document] = {}
    for i, d in enumerate(entries("document")):
        line = lines.entry("document", i)
        did = d.get("id")
        if not isinstance(did, str) or not did:
            add(line, Msg("document_id")); continue
        if not isinstance(did, str):
            add(line, Msg("document_id_text")); continue
        if did in documents:
            add(line, Msg("duplicate_id", where="document", id=did))
        if not _text(d.get("title")):
            add(lines.key("document", i, "title"), Msg("missing", where=f"document {did}", key="title"))
        issued = d.get("issued")
        if issued is not None and not _is_date(issued):
            add(lines.key("document", i, "issued"), Msg("bad_date", where=f"document {did}", key="issued")); issued = None
        region = d.get("region")
        if region is not None:
            if not isinstance(region, list) or any(_str(r) not in registry.codes["league"] for r in region):
                add(lines.key("document", i, "region"), Msg("region_codes", where=f"document {did}")); region = None
        arts = d.get("articles", [])
        if not isinstance(arts, list) or any(not isinstance(a, str) for a in arts):
            add(lines.key("document", i, "articles"), Msg("document_articles", where=f"document {did}")); arts = []
        dupes = sorted({a for a in arts if arts.count(a) > 1})
        if dupes:
            add(lines.key("document", i, "articles"), Msg("document_articles_twice", where=f"document {did}", values=", ".join(dupes)))
        dates = {}
        for key in ("valid_from", "valid_until", "not_before"):
            v = d.get(key)
            if v is not None and not _is_date(v):
                add(lines.key("document", i, key), Msg("bad_date", where=f"document {did}", key=key)); v = None
            dates[key] = v
        if dates["valid_from"] and dates["valid_until"] and dates["valid_from"] > dates["valid_until"]:
            add(lines.key("document", i, "valid_until"), Msg("until_before_from", where=f"document {did}"))
        if dates["valid_until"] and not _text(d.get("period_text")):
            add(lines.key("document", i, "valid_until"),
                Msg("document_period_text", where=f"document {did}"))
        documents[did] = Document(did, d.get("title", ""), d.get("file", ""), issued,
                                  bool(d.get("draft", False)), region, bool(d.get("traditional", False)),
                                  list(arts), dates["valid_from"], dates["valid_until"],
                                  _str(d.get("period_text")) or "", dates["not_before"],
                                  _str(d.get("age_text")) or "")

    groups: dict[str, Group] = {}
    for i, g in enumerate(entries("group")):
        gid = g.get("id")
        if not isinstance(gid, str) or not _text(g.get("title")):
            add(lines.entry("group", i), Msg("group_fields")); continue
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
            add(pol.line, Msg("policy_twice", id=pol.id))
        seen.add(pol.id)
        policies.append(pol)

    excluded = []
    cited = {(s.doc.id, s.article) for p in policies for s in p.sources}
    for i, e in enumerate(entries("excluded")):
        line = lines.entry("excluded", i)
        doc, art = _str(e.get("doc")), e.get("article")
        if doc not in documents:
            add(line, Msg("excluded_document", value=brief(doc))); continue
        if documents[doc].articles and _str(art) not in documents[doc].articles:
            add(line, Msg("excluded_article", value=brief(art), document=doc))
        if not _text(e.get("reason")):
            add(line, Msg("excluded_reason", where=f"excluded {doc} {art}"))
        if (doc, art) in cited:
            add(line, Msg("excluded_cited", where=f"excluded {doc} {art}"))
        excluded.append(dict(e))

    if not fragment:
        used: dict[str, int] = {}
        for p in policies:
            for c in p.rules:
                for f in c.facts():
                    used.setdefault(f, p.line)
            if p.amount:
                for f in amounts.facts_used(p.amount, p.tier_rules):
                    used.setdefault(f, p.line)
        for f, line in used.items():
            fact = registry.get(f)
            if fact is not None and not fact.derived and f not in questions:
                add(line, Msg("fact_not_asked", name=f))

    if not trusted:
        _check_pasted_sets(data, sets, lines, add)
    cat = Catalog(version or "", date, title or "", documents, questions, policies, excluded,
                  groups, registry, path, sets=sets, agencies=agencies)
    return cat, problems


def _build_policy(raw, i, lines, registry, documents, groups, add) -> Policy | None:
    line = lines.entry("policy", i)
    at = lambda key: lines.key("policy", i, key)  # noqa: E731
    pid = raw.get("id")
    if not isinstance(pid, str) or not ID_RE.match(pid):
        add(at("id"), Msg("policy_id", value=brief(pid)))
        return None
    where = f"policy {pid}"
    known = {"id", "title", "summary", "kind", "sources", "lead", "partners", "valid_from",
             "valid_until", "open_ended", "validity_text", "conditions", "amount", "steps",
             "materials", "group", "note", "example", "region", "entities", "delivers", "lapsed"}
    for k in set(raw) - known:
        add(at(k), Msg("unknown_key", where=where, key=k))
    for key in ("title", "summary"):
        if not _text(raw.get(key)):
            add(at(key) if key in raw else line, Msg("missing", where=where, key=key))
    if raw.get("kind") not in POLICY_KINDS:
        add(at("kind") if "kind" in raw else line, Msg("policy_kind", where=where, choices=", ".join(POLICY_KINDS)))

    sources = []
    raw_sources = raw.get("sources")
    if not isinstance(raw_sources, list) or not raw_sources:
        add(at("sources") if "sources" in raw else line, Msg("policy_sources", where=where))
        raw_sources = []
    for s in raw_sources:
        if not isinstance(s, dict):
            add(at("sources"), Msg("source_table", where=where)); continue
        doc = documents.get(_str(s.get("doc")))
        if doc is None:
            add(at("sources"), Msg("source_document", where=where, value=brief(s.get("doc")))); continue
        art = s.get("article")
        if not _text(art):
            add(at("sources"), Msg("source_article", where=where)); continue
        if doc.articles and _str(art) not in doc.articles:
            add(at("sources"), Msg("source_article_unknown", where=where, value=brief(art), document=doc.id))
        if not _text(s.get("quote")):
            add(at("sources"), Msg("source_quote", where=where, article=art))
        for k in set(s) - {"doc", "article", "quote", "valid_from", "valid_until"}:
            add(at("sources"), Msg("unknown_key", where=f"{where}: source {art}", key=k))
        sdates = {}
        for k in ("valid_from", "valid_until"):
            v = s.get(k)
            if v is not None and not _is_date(v):
                add(at("sources"), Msg("bad_date", where=f"{where}: source {art}", key=k)); v = None
            sdates[k] = v
        sources.append(Source(doc, art, s.get("quote", ""), sdates["valid_from"], sdates["valid_until"]))

    lead, partners = raw.get("lead"), raw.get("partners", [])
    if not _text_list(lead, nonempty=True):
        add(at("lead") if "lead" in raw else line, Msg("policy_lead", where=where)); lead = []
    if not _text_list(partners):
        add(at("partners"), Msg("policy_partners", where=where)); partners = []

    vf, vu = raw.get("valid_from"), raw.get("valid_until")
    if vf is not None and not _is_date(vf):
        add(at("valid_from"), Msg("bad_date", where=where, key="valid_from")); vf = None
    if vu is not None and not _is_date(vu):
        add(at("valid_until"), Msg("bad_date", where=where, key="valid_until")); vu = None
    if vf and vu and vf > vu:
        add(at("valid_until"), Msg("until_before_from", where=where))
    open_ended = raw.get("open_ended", False)
    if not isinstance(open_ended, bool):
        add(at("open_ended"), Msg("open_ended_bool", where=where)); open_ended = False
    if open_ended and vu:
        add(at("open_ended"), Msg("open_ended_until", where=where))

    conds = raw.get("conditions", [])
    if not isinstance(conds, list):
        add(at("conditions"), Msg("conditions_list", where=where)); conds = []
    nodes = []
    for j, c in enumerate(conds):
        node, msgs = conditions.parse(c, registry, f"conditions[{j}]")
        for msg in msgs:
            add(at("conditions"), msg.within(where))
        if node is not None:
            nodes.append(node)
    conds = [c for c in conds if not conditions.too_deep(c)]     # said above; never walked

    amount, whens = raw.get("amount"), ()
    if amount is not None:
        whens, msgs = amounts.parse(amount, registry)
        for msg in msgs:
            add(at("amount"), msg.within(where))
        if conditions.too_deep(amount.get("tiers") if isinstance(amount, dict) else None):
            amount, whens = None, ()

    steps = raw.get("steps")
    if not _text_list(steps) or len(steps) < 2:
        add(at("steps") if "steps" in raw else line, Msg("policy_steps", where=where)); steps = steps if _text_list(steps) else []
    materials = raw.get("materials", [])
    if not _text_list(materials):
        add(at("materials"), Msg("policy_materials", where=where)); materials = []
    region = raw.get("region")
    if region is not None and (not isinstance(region, list) or not region
                               or any(_str(r) not in registry.codes["league"] for r in region)):
        add(at("region"), Msg("region_codes", where=where)); region = None
    if region is not None and sources:
        scope = sources[0].doc.region
        wider = [r for r in region if scope and r not in scope]
        if wider:
            add(at("region"), Msg("region_wider", where=where, codes=", ".join(wider), scope=", ".join(scope)))
    group = raw.get("group")
    if group is not None and _str(group) not in groups:
        add(at("group"), Msg("unknown_group", where=where, value=brief(group))); group = None
    entities = raw.get("entities")
    if entities is not None and (not isinstance(entities, list) or not entities
                                 or any(e not in ENTITY_TYPES for e in entities)):
        add(at("entities"), Msg("policy_entities", where=where, choices=", ".join(ENTITY_TYPES))); entities = None
    delivers = raw.get("delivers", "")
    if delivers and delivers not in DELIVERS:
        add(at("delivers"), Msg("policy_delivers", where=where, choices=", ".join(DELIVERS))); delivers = ""
    lapse = None
    raw_lapse = raw.get("lapsed")
    if raw_lapse is not None:
        lapse = _lapse(raw_lapse)
        if lapse is None:
            add(at("lapsed"), Msg("lapsed_fields", where=where))
        else:
            joined = re.sub(r"\s+", "", "".join(s.quote for s in sources))
            for w in lapse.words:
                if re.sub(r"\s+", "", w) not in joined:
                    add(at("lapsed"), Msg("lapsed_word", where=where, value=brief(w)))

    examples = []
    raw_examples = raw.get("example", [])
    if not raw_examples:
        add(line, Msg("policy_examples", where=where))
    for j, ex in enumerate(raw_examples if isinstance(raw_examples, list) else []):
        ex_line = _example_line(lines, line, j)
        if not isinstance(ex, dict):
            continue
        if not _is_date(ex.get("as_of")):
            add(ex_line, Msg("example_as_of", where=where, n=j + 1)); continue
        if ex.get("status") not in STATUSES:
            add(ex_line, Msg("example_status", where=where, n=j + 1, choices=", ".join(STATUSES))); continue
        facts = ex.get("facts", {})
        if not isinstance(facts, dict):
            add(ex_line, Msg("example_facts", where=where, n=j + 1)); continue
        from app.engine.profile import ProfileError, flat_facts
        try:
            facts = flat_facts(facts, registry, as_of=ex["as_of"])
        except ProfileError as exc:
            add(ex_line, Msg("example_fact", where=where, n=j + 1, field=exc.field, error=exc.key,
                             value=brief(exc.params.get("got"))))
            continue
        amt = ex.get("amount")
        if amt is not None and not (isinstance(amt, list) and (amt == [] or (
                len(amt) == 2 and all(isinstance(a, int) and sane_number(a) for a in amt)))):
            add(ex_line, Msg("example_amount", where=where, n=j + 1))
            amt = None
        examples.append(Example(ex["as_of"], facts, ex["status"], amt, ex.get("note", ""), ex_line))

    return Policy(
        id=pid, title=raw.get("title", ""), summary=raw.get("summary", ""),
        kind=raw.get("kind", "other"), sources=sources, lead=list(lead), partners=list(partners),
        conditions=conds, steps=list(steps), materials=list(materials), amount=amount,
        valid_from=vf, valid_until=vu, open_ended=open_ended,
        validity_text=raw.get("validity_text", "") or "", group=group, note=raw.get("note", "") or "",
        examples=examples, line=line, region=region, entities=entities, delivers=delivers or "",
        lapse=lapse, nodes=nodes, whens=whens)


def _lapse(raw: Any) -> Lapse | None:
    if not isinstance(raw, dict) or not _is_date(raw.get("since")) or not _text(raw.get("reason")):
        return None
    words = raw.get("words")
    if not _text_list(words, nonempty=True) or set(raw) - {"since", "reason", "words"}:
        return None
    return Lapse(raw["since"], raw["reason"], list(words))


def _raw_leaves(cond: Any, depth: int = 0):
    """Every table of a raw condition tree (all/any/not, and an amount tier's ``when``), to a
    bounded depth (deeper ones are the depth check's to report)."""
    if depth > MAX_WALK:
        return
    if isinstance(cond, list):
        for c in cond:
            yield from _raw_leaves(c, depth + 1)
        return
    if not isinstance(cond, dict):
        return
    yield cond
    for op in ("all", "any"):
        yield from _raw_leaves(cond.get(op), depth + 1)
    for op in ("not", "when"):
        yield from _raw_leaves(cond.get(op), depth + 1)


def _raw_conditions(data: dict, lines: "_Lines", with_questions: bool = True):
    """(condition tree, line, where) for every policy's conditions and amount tiers, and every
    question's ask_if. ``line`` is a function: a line is looked up only for a problem to report
    (looking it up for every entry was most of a large catalog's check time)."""
    policies = data.get("policy") if isinstance(data.get("policy"), list) else []
    for i, pol in enumerate(policies):
        if isinstance(pol, dict):
            where = f"policy {pol.get('id')}"
            yield pol.get("conditions"), lambda i=i: lines.key("policy", i, "conditions"), where
            amount = pol.get("amount")
            if isinstance(amount, dict):
                yield amount.get("tiers"), lambda i=i: lines.key("policy", i, "amount"), where
    questions = data.get("question") if isinstance(data.get("question"), list) else []
    for i, q in enumerate(questions if with_questions else []):
        if isinstance(q, dict):
            yield q.get("ask_if"), lambda i=i: lines.entry("question", i), f"question {q.get('fact')}"


def _expand_sets(data: dict, sets: dict[str, NamedSet], lines: "_Lines", add) -> None:
    """Replace "@name" in in/has_any/has_all by the named set's codes, marking the condition with
    ``set = name`` (so it is described by the set's label and never flagged as pasted)."""
    for tree, line, where in _raw_conditions(data, lines):
        for cond in _raw_leaves(tree):
            for op in ("in", "has_any", "has_all"):
                ref = cond.get(op)
                if isinstance(ref, str):
                    m = SET_RE.match(ref)
                    if m and m.group(1) in sets:
                        cond[op] = list(sets[m.group(1)].values)
                        cond["set"] = m.group(1)
                    else:
                        add(line(), Msg("unknown_set", where=where, value=repr(ref)))


def _check_pasted_sets(data: dict, sets: dict[str, NamedSet], lines: "_Lines", add) -> None:
    """A code list of five or more that equals a named set, or nearly equals a named set of ten or
    more codes (at most two codes different), should refer to the set by name: pasted copies
    drift."""
    for tree, line, where in _raw_conditions(data, lines, with_questions=False):
        for cond in _raw_leaves(tree):
            if "set" in cond:
                continue
            for op in ("in", "has_any", "has_all"):
                values = cond.get(op)
                if not (isinstance(values, list) and len(values) >= 5 and all(isinstance(v, str) for v in values)):
                    continue
                for named in sets.values():
                    diff = set(values) ^ set(named.values)
                    if not diff or (len(diff) <= 2 and len(named.values) >= 10):
                        if diff:
                            add(line(), Msg("pasted_set_near", where=where, count=len(values),
                                          diff=", ".join(sorted(diff)), set=named.id))
                        else:
                            add(line(), Msg("pasted_set", where=where, count=len(values), set=named.id))


def _trusted_policy(raw: dict, documents: dict[str, Document]) -> Policy:
    """A policy from data that validated cleanly before: no checks, just construction."""
    return Policy(
        id=raw["id"], title=raw["title"], summary=raw["summary"], kind=raw["kind"],
        sources=[Source(documents[s["doc"]], s["article"], s["quote"], s.get("valid_from"),
                        s.get("valid_until")) for s in raw["sources"]],
        lead=raw["lead"], partners=raw.get("partners", []), conditions=raw.get("conditions", []),
        steps=raw["steps"], materials=raw.get("materials", []), amount=raw.get("amount"),
        valid_from=raw.get("valid_from"), valid_until=raw.get("valid_until"),
        open_ended=raw.get("open_ended", False), validity_text=raw.get("validity_text", ""),
        group=raw.get("group"), note=raw.get("note", ""),
        examples=[Example(ex["as_of"], ex.get("facts", {}), ex["status"], ex.get("amount"),
                          ex.get("note", "")) for ex in raw.get("example", [])],
        region=raw.get("region"), entities=raw.get("entities"), delivers=raw.get("delivers", ""),
        lapse=_lapse(raw["lapsed"]) if raw.get("lapsed") else None,
        nodes=[conditions.node_of(c) for c in raw.get("conditions", [])],
        whens=amounts.tier_conditions(raw["amount"]) if raw.get("amount") else ())


def _example_line(lines: _Lines, policy_line: int, j: int) -> int:
    found = lines.headers.get("policy.example", [])
    k = bisect.bisect_right(found, policy_line) + j
    return found[k] if k < len(found) else policy_line


def _entries(data: dict, name: str, add) -> list[dict]:
    value = data.get(name, [])
    if not isinstance(value, list):
        add(1, Msg("not_array", name=name))
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
