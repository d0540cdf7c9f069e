"""Messages and formatting per language: the core's own formatter, never the OS locale.

Locale files (``locales/zh_CN.toml``, ``locales/en.toml``) are TOML tables of text; nested tables
give dotted keys. A key missing in a language falls back to Chinese, then to the key itself.
"""

from __future__ import annotations

import datetime as dt
import re
import string
import tomllib
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from app.engine.facts import BOOL, CODE, CODES, DATE, INT, MONEY, NUMBER
from app.engine.text import clean
from app.storage.paths import locales_dir

if TYPE_CHECKING:
    from app.engine.rules import Outcome
    from app.engine.amounts import Amount
    from app.engine.catalog import Catalog

# the kinds of catalog entry a problem's place (``where``) can name, each said by catalog.where.<kind>
_WHERE = re.compile(r"^(policy|question|document|set|agency|excluded|source|code|amount)(?: (.*))?$", re.S)

DEFAULT_LANG = "zh_CN"
LANGS = ("zh_CN", "en")
MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


class _Safe(dict):
    def __missing__(self, key):          # a placeholder given no value is left out
        return ""


@lru_cache(maxsize=4096)
def _placeholders(text: str) -> frozenset[str] | None:
    """The names a message's ``{placeholders}`` use; None when it is not a format string."""
    try:
        return frozenset(name for _, name, _, _ in string.Formatter().parse(text) if name)
    except ValueError:
        return None


def _flatten(data: dict, prefix: str = "") -> dict[str, Any]:
    """Nested tables to dotted keys; text stays text, lists (steps, materials) stay lists."""
    out: dict[str, Any] = {}
    for k, v in data.items():
        key = f"{prefix}{k}"
        if isinstance(v, dict):
            out.update(_flatten(v, key + "."))
        elif isinstance(v, list):
            out[key] = [str(x) for x in v]
        else:
            out[key] = str(v)
    return out


def locale_files(lang: str) -> list:
    """The interface file ``{lang}.toml`` first, then the catalog's translations
    ``{lang}.*.toml`` (content keyed by policy id, question fact, code, label)."""
    folder = locales_dir()
    main = folder / f"{lang}.toml"
    return [main] + sorted(folder.glob(f"{lang}.*.toml"))


@lru_cache(maxsize=8)
def _read(lang: str) -> dict[str, Any]:
    merged: dict[str, Any] = {}
    for path in locale_files(lang):
        try:
            merged.update(_flatten(tomllib.loads(path.read_text(encoding="utf-8"))))
        except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
            continue
    return merged


def normalize_lang(lang: str | None) -> str:
    if not lang:
        return DEFAULT_LANG
    lang = lang.replace("-", "_")
    if lang.lower().startswith("zh"):
        return "zh_CN"
    if lang.lower().startswith("en"):
        return "en"
    return lang if lang in LANGS else DEFAULT_LANG


def _trim(value: float) -> str:
    text = f"{value:.4f}".rstrip("0").rstrip(".")
    return text


class Locale:
    def __init__(self, lang: str = DEFAULT_LANG):
        self.lang = normalize_lang(lang)
        self.zh = self.lang == "zh_CN"
        self.messages = _read(self.lang)
        self.fallback = _read(DEFAULT_LANG) if not self.zh else {}

    # ------------------------------------------------------------ messages
    def has(self, key: str) -> bool:
        return key in self.messages

    def _message(self, key: str) -> str | None:
        text = self.messages.get(key) or self.fallback.get(key)
        return text if isinstance(text, str) else None

    def t(self, key: str, /, **params: Any) -> str:
        """The message ``key`` with its placeholders filled. A message whose placeholders are not
        all given is said by its variant ``<key>_bare`` where the locale has one (「按…标准测算」
        without the industry), else with the missing ones left out: never a literal ``{name}``."""
        text = self._message(key) or key
        names = _placeholders(text)
        if not names:
            return text
        if not names <= params.keys():
            text = self._message(key + "_bare") or text
        try:
            return text.format_map(_Safe(params))
        except (ValueError, IndexError, AttributeError, KeyError):
            return text

    # ------------------------------------------------------------ catalog problems
    def where(self, where: str) -> str:
        """A problem's place in the catalog ("policy svc-x: conditions[0].all[1]") in this
        language: each step's kind of entry is worded (政策 svc-x), names and condition paths are
        kept as the file has them."""
        out = []
        for step in str(where).split(": "):
            m = _WHERE.match(step)
            if m is None:
                out.append(step)
            elif m.group(2) is None:                       # "amount", "code": the kind alone
                out.append(self.t(f"catalog.where.{m.group(1)}", name="").strip())
            else:
                out.append(self.t(f"catalog.where.{m.group(1)}", name=m.group(2)))
        return self.t("catalog.where.sep").join(out)

    def problem_message(self, problem) -> str:
        """A catalog problem's message in this language (its English ``message`` when it has no
        message key), on one line and free of control characters (it quotes catalog text)."""
        key = getattr(problem, "key", "")
        if not key:
            return clean(problem.message, one_line=True)
        params = dict(getattr(problem, "params", {}) or {})
        if isinstance(params.get("where"), str):
            params["where"] = self.where(params["where"])
        error = params.get("error")
        if self.zh and isinstance(error, str) and self.has(error):   # a profile check's key (the
                                                                     # English says the key itself)
            params["error"] = self.t(error)
        return clean(self.t(key, **params), one_line=True)

    def problem(self, problem) -> str:
        """``PATH:LINE: message`` of a catalog problem in this language."""
        return clean(f"{problem.path}:{problem.line}: ", one_line=True) + self.problem_message(problem)

    # ------------------------------------------------------------ catalog content
    def translated(self, key: str, default):
        """The translation under ``key`` in a non-Chinese language, else ``default`` (the
        catalog's Chinese). One fallback rule for every kind of catalog content."""
        if not self.zh:
            trans = self.messages.get(key)
            if isinstance(trans, str) and trans:
                return trans
        return default

    def policy_text(self, policy, field: str) -> str:
        """A policy's title / summary / note in this language; Chinese when untranslated."""
        return self.translated(f"policy.{policy.id}.{field}", getattr(policy, field))

    def policy_list(self, policy, field: str) -> list[str]:
        """A policy's steps / materials in this language (only a complete translation is used)."""
        original = list(getattr(policy, field))
        if not self.zh:
            trans = self.messages.get(f"policy.{policy.id}.{field}")
            if isinstance(trans, list) and len(trans) == len(original):
                return trans
        return original

    def question_text(self, question, field: str = "text") -> str:
        return self.translated(f"question.{question.fact}.{field}", getattr(question, field))

    def question_lines(self, question, catalog: "Catalog | None" = None) -> tuple[str, str]:
        """(main text, secondary text) of a question as the questionnaire shows it. English
        without a translation of the question shows the English name of the fact and the
        Chinese question under it."""
        if self.zh:
            return question.text, question.help
        text = self.messages.get(f"question.{question.fact}.text")
        if isinstance(text, str) and text:
            return text, self.question_text(question, "help")
        label = self.fact_label(question.fact, catalog)
        return (label if label != question.text else question.text,
                question.text if label != question.text else question.help)

    def agency(self, chinese: str) -> str:
        return self.translated(f"agency.{chinese}", chinese)

    def agencies(self, names: list[str]) -> str:
        return ("、" if self.zh else "; ").join(self.agency(n) for n in names)

    def label(self, chinese: str) -> str:
        """A condition label (Chinese text in the catalog) in this language."""
        return self.translated(f"label.{chinese}", chinese)

    # ------------------------------------------------------------ numbers and dates
    def money(self, yuan: int | float | None) -> str:
        if yuan is None:
            return self.t("amount.unknown")
        if self.zh:
            if abs(yuan) >= 100_000_000 and yuan % 1_000_000 == 0:
                return f"{_trim(yuan / 100_000_000)}亿元"
            if abs(yuan) >= 10_000:
                return f"{_trim(yuan / 10_000)}万元"
            return f"{_trim(yuan)}元"
        return f"CNY {int(yuan):,}" if float(yuan).is_integer() else f"CNY {yuan:,.2f}"

    def wan(self, value: float | int) -> str:
        """A money fact (in 万元) as text."""
        return self.money(value * 10_000)

    def number(self, value: float | int) -> str:
        if isinstance(value, float) and not value.is_integer():
            return _trim(value) if self.zh else f"{value:,.2f}".rstrip("0").rstrip(".")
        return f"{int(value)}" if self.zh else f"{int(value):,}"

    def date(self, d: dt.date | None) -> str:
        if d is None:
            return ""
        if self.zh:
            return f"{d.year}年{d.month}月{d.day}日"
        return f"{d.day} {MONTHS_EN[d.month - 1]} {d.year}"

    def percent(self, rate: float) -> str:
        return f"{_trim(rate * 100)}%"

    def period_word(self, period: str) -> str:
        return self.t(f"period.{period}")

    def amount(self, amount: "Amount | None", catalog: "Catalog | None" = None) -> str:
        """Short form: 30万元 · 最高300万元 · 100–300元/月."""
        if amount is None:
            return self.t("amount.none")
        if amount.min is None or amount.max is None:
            key, p = amount.basis
            if catalog is not None and p.get("fact"):
                # 「填写列入项目的床位数后可测算：每张2万元」: which fact, at what rate
                label = self.fact_label(p["fact"], catalog)
                if key.startswith("amount.per_unit"):
                    rate = (self.money(p["rate_min"]) if p["rate_min"] == p["rate_max"] else
                            self.t("amount.between", min=self.money(p["rate_min"]), max=self.money(p["rate_max"])))
                    q = catalog.questions.get(p["fact"])
                    unit = (q.unit if q is not None and q.unit and self.zh else "")
                    return self.t("amount.needs_rate", fact=label, rate=rate, unit=unit or self.t("amount.unit"))
                if key.startswith("amount.percent"):
                    return self.t("amount.needs_percent", fact=label, rate=self.percent(p["rate"]))
            return self.t("amount.needs_facts")
        if amount.min == amount.max:
            text = self.money(amount.max)
        elif amount.min == 0:
            text = self.t("amount.up_to", max=self.money(amount.max))
        else:
            text = self.t("amount.between", min=self.money(amount.min), max=self.money(amount.max))
        suffix = self.t(f"period.suffix.{amount.period}")
        return text + ("" if suffix.startswith("period.") else suffix)

    # ------------------------------------------------------------ catalog words
    def status(self, status: str) -> str:
        return self.t(f"status.{status}")

    def kind(self, kind: str) -> str:
        return self.t(f"kind.{kind}")

    def fact_label(self, name: str, catalog: "Catalog | None" = None) -> str:
        """What a fact is called: 员工人数 / Employees. Interface locale first, then the
        catalog's question (its label, else its text), translated where a translation exists."""
        key = f"fact.{name}"
        if isinstance(self.messages.get(key), str):
            return self.messages[key]
        if not self.zh:
            for k in (f"question.{name}.label", f"question.{name}.text"):
                if isinstance(self.messages.get(k), str) and self.messages[k]:
                    return self.messages[k]
        if catalog is not None and name in catalog.questions:
            q = catalog.questions[name]
            return q.label or q.text
        if isinstance(self.fallback.get(key), str):
            return self.fallback[key]
        return name

    def code_label(self, list_name: str | None, value: str, catalog: "Catalog | None" = None) -> str:
        if list_name is None:
            return value
        trans = self.messages.get(f"code.{list_name}.{value}")
        if trans:
            return trans
        if catalog is not None:
            return catalog.registry.code_label(list_name, value)
        from app.engine.facts import CODE_LISTS
        return CODE_LISTS.get(list_name, {}).get(value, value)

    def value(self, name: str, value: Any, catalog: "Catalog | None" = None) -> str:
        """A fact's value as words: 8人, 150万元, 餐饮、零售, 是."""
        from app.engine.rules import NA, AtLeast, NotAny, OneOf   # the rule engine loads after the first paint
        fact = catalog.registry.get(name) if catalog else None
        if value is None or isinstance(value, NotAny):
            return self.t("value.unknown")
        if value is NA:
            return self.t("value.not_applicable")
        ftype = fact.type if fact else None
        codes = fact.codes if fact else None
        unit = ""
        if catalog is not None and name in catalog.questions:
            unit = catalog.questions[name].unit if self.zh else self.messages.get(f"question.{name}.unit", "")
        if isinstance(value, OneOf):
            return self.t("value.one_of", values=self.join(
                [self.code_label(codes, v, catalog) for v in _ordered(value, catalog, codes)], "or"))
        if isinstance(value, AtLeast):
            return self.t("value.at_least", values=self.join(
                [self.code_label(codes, v, catalog) for v in sorted(value)]))
        if ftype == BOOL or isinstance(value, bool):
            return self.t("value.yes") if value else self.t("value.no")
        if ftype == MONEY:
            return self.wan(value)
        if name.endswith("_year") and isinstance(value, int):
            return str(value)            # a calendar year: 2022, never 2,022 years
        if ftype in (INT, NUMBER) or isinstance(value, (int, float)):
            if not unit:
                return self.number(value)
            return self.number(value) + (unit if self.zh else f" {unit.strip()}")
        if ftype == DATE or isinstance(value, dt.date):
            return self.date(value)
        if ftype == CODES or isinstance(value, list):
            if not value:
                return self.t("value.none")
            return self.join([self.code_label(codes, v, catalog) for v in value])
        if ftype == CODE:
            return self.code_label(codes, value, catalog)
        return str(value)

    def join(self, items: list[str], word: str = "and") -> str:
        """Items as a list in words: 「甲、乙」 / "a, b" (``word="or"``: 「甲或乙」 / "a or b")."""
        if self.zh:
            return ("或".join(items)) if word == "or" else "、".join(items)
        if len(items) <= 1:
            return "".join(items)
        sep = " or " if word == "or" else ", "
        return sep.join(items)

    # ------------------------------------------------------------ conditions
    def describe(self, cond, catalog: "Catalog | None" = None, policy_id: str | None = None,
                 path: str = "") -> str:
        """A condition (a node, or a condition table) in words: its label, or the words of its
        explanation (``Node.explain``). ``path`` finds a translated label: ``0``, ``0.all1``…"""
        from app.engine.rules import All, Not, node_of
        node = node_of(cond)
        if policy_id is not None and not self.zh:
            trans = self.messages.get(f"policy.{policy_id}.cond.{path}")
            if trans:
                return trans
        if node.label and not node.implicit and (self.zh or not isinstance(node, (All, Not))):
            return node.label if self.zh else self.label(node.label)   # untranslated: the Chinese label beats nothing
        return self.t("cond.sep_and").join(
            self.t(key, **{k: self._param(v, catalog, policy_id, path) for k, v in params.items()})
            if key is not None else self._param(params["fact"], catalog, policy_id, path)
            for key, params in node.explain().messages)

    def _param(self, param, catalog, policy_id, path) -> str:
        """One parameter of an explanation in words."""
        from app.engine.rules import Codes, Fact, FactValue, Parts
        if isinstance(param, Fact):
            return self.fact_label(param.name, catalog)
        if isinstance(param, FactValue):
            return self.value(param.fact, param.value, catalog)
        if isinstance(param, Codes):
            codes = param.codes
            if codes is None:
                fact = catalog.registry.get(param.fact) if catalog else None
                codes = fact.codes if fact else None
            return self.join([self.code_label(codes, v, catalog) for v in param.values], param.word)
        if isinstance(param, Parts):
            steps = [f"{param.step}{i}" for i in range(len(param.nodes))] if param.step != "not" else ["not"]
            return self.t("cond.sep").join(self.describe(n, catalog, policy_id, f"{path}.{step}")
                                           for n, step in zip(param.nodes, steps))
        return str(param)

    def reason(self, outcome: Outcome, catalog: "Catalog | None" = None,
               policy_id: str | None = None, index: int = 0) -> str:
        from app.engine.rules import EntityTypes, Has
        node = outcome.cond
        if isinstance(node, EntityTypes) and outcome.value is None and outcome.actual is not None:
            return self.t("reason.entity_maybe", type=self.code_label("entity_type", outcome.actual, catalog))
        text = self.describe(node, catalog, policy_id, f"{index}")
        if outcome.value is True:
            return self.t("reason.holds", text=text)
        if outcome.value is False:
            actual = ""
            if outcome.fact in ("certifications", "new_certifications") and isinstance(node, Has):
                actual = self.t("reason.not_held")   # its other certifications are beside the point
            elif outcome.fact is not None:
                actual = self.t("reason.actual", value=self.value(outcome.fact, outcome.actual, catalog))
            return self.t("reason.fails", text=text, actual=actual)
        return self.t("reason.unknown", text=text)

    def mark(self, value: bool | None) -> str:
        return {True: "✓", False: "✗", None: "?"}[value]

    # ------------------------------------------------------------ amounts
    def basis(self, amount: "Amount", catalog: "Catalog | None" = None) -> str:
        key, p = amount.basis
        period = self.period_word(p.get("period", "once"))
        note = amount.note if (amount.note and self.zh) else ""
        if key == "amount.fixed":
            text = self.t("basis.fixed", period=period, value=self.money(p["value"]))
        elif key == "amount.range":
            if p["min"] == 0:
                text = self.t("basis.up_to", period=period, max=self.money(p["max"]))
            else:
                text = self.t("basis.range", period=period, min=self.money(p["min"]), max=self.money(p["max"]))
        elif key.startswith("amount.per_unit") or key.startswith("amount.percent"):
            fact = p["fact"]
            label = self.fact_label(fact, catalog)
            if key.startswith("amount.per_unit"):
                rate = (self.money(p["rate_min"]) if p["rate_min"] == p["rate_max"] else
                        self.t("amount.between", min=self.money(p["rate_min"]), max=self.money(p["rate_max"])))
            else:
                rate = self.percent(p["rate"])
                if p.get("up_to"):
                    rate = self.t("basis.not_over", rate=rate)
            cap = self.t("basis.cap", cap=self.money(p["cap"])) if p.get("cap") is not None else ""
            if p.get("base") is None:
                text = self.t(f"basis.{key.split('.')[1]}.unknown", period=period, fact=label, rate=rate, cap=cap)
            else:
                is_money = catalog is not None and catalog.registry.get(fact) and catalog.registry.get(fact).type == MONEY
                base = self.money(p["base"]) if is_money else self.value(fact, p["base"], catalog)
                result = self.amount(amount)
                text = self.t(f"basis.{key.split('.')[1]}", period=period, fact=label, base=base,
                              rate=rate, cap=cap, result=result)
        elif key == "amount.tiered":
            parts = []
            for tier, when_node in zip(p["tiers"], p.get("whens") or [t["when"] for t in p["tiers"]]):
                when = self.describe(when_node, catalog)
                value = (self.money(tier["value"]) if "value" in tier else
                         self.t("amount.between", min=self.money(tier["min"]), max=self.money(tier["max"])))
                parts.append(self.t("basis.tier", when=when, value=value))
            chosen = self.amount(amount)
            text = self.t("basis.tiered", period=period, tiers=self.t("cond.sep").join(parts), result=chosen)
        else:
            text = self.t("basis.none")
        return text + (self.t("basis.note", note=note) if note else "")


def _ordered(values, catalog, codes):
    if codes and catalog is not None:
        order = list(catalog.registry.codes.get(codes, {}))
        return sorted(values, key=lambda v: order.index(v) if v in order else 99)
    return sorted(values)
