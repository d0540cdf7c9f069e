"""Reading numbers and dates as people type them: 1,000 · １２３ · 30万 · 1.5亿 · 2019年5月1日.

Pure. Errors are ``ValueError(key, params)`` with a message key under ``ui.input`` so any
language can say what went wrong.

Units: a money fact is in 万元, so "30万" and "30" both mean 30 (万元), "5000元" (or "5000 yuan",
"CNY 5000") means 0.5 and "1亿" means 10000. A count is in its own unit, so "1万" people is 10000 and "8人" is 8. A number
fact whose unit starts with 万 (万元/亩) reads like money.

Plausibility (``doubt``): a number far outside what the other answers make likely is asked
about with its unit spelled out, never silently accepted and never refused. See ``doubt`` for
the rules.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, Mapping

MULTIPLIERS = {"千": Decimal(1000), "万": Decimal(10_000), "亿": Decimal(100_000_000)}
LIMIT = Decimal(10) ** 12            # anything larger is a typing accident
_INVISIBLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")
_NUMBER = re.compile(
    r"^(?P<sign>[+-]?)(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d*)?|\.\d+)"
    r"(?P<mult>[千万亿]*)(?P<rest>.*)$")
_PREFIXES = ("大约", "大概", "约")
_MONEY_PREFIXES = ("¥", "cny", "rmb")
_YUAN = ("元", "yuan", "cny", "rmb")


def normalize(text: str) -> str:
    """Full-width to half-width (NFKC), invisible characters and all spaces removed."""
    text = unicodedata.normalize("NFKC", text or "")
    text = _INVISIBLE.sub("", text)
    return re.sub(r"\s+", "", text)


@dataclass(frozen=True)
class Reading:
    """A number as read: its value in the fact's unit, the multipliers typed (千/万/亿, "" for
    none) and the unit typed after it ("元" also for ¥5000; "" for a bare number)."""
    value: int | float
    multiplier: str = ""
    unit: str = ""

    @property
    def bare(self) -> bool:
        """Typed as digits alone (1500000): nothing says which unit was meant."""
        return not self.multiplier and not self.unit


def parse_number(text: str, kind: str = "number", unit: str = "") -> int | float:
    """The number typed, in the fact's unit.

    ``kind`` is the fact type: ``int`` (a whole count), ``money`` (万元) or ``number``.
    ``unit`` is the question's unit ("人", "万元", "万元/亩"); typing it after the number is fine.
    """
    return read_number(text, kind, unit).value


def read_number(text: str, kind: str = "number", unit: str = "") -> Reading:
    """``parse_number`` with how the number was typed (what ``doubt`` needs)."""
    s = normalize(text)
    for prefix in _PREFIXES:
        if s.startswith(prefix):
            s = s[len(prefix):]
    in_yuan = False
    if kind == "money" or unit.startswith("万"):
        for prefix in _MONEY_PREFIXES:
            if s.lower().startswith(prefix):
                s, in_yuan = s[len(prefix):], True      # ¥5000, CNY 300,000: yuan
    if not s:
        raise ValueError("ui.input.empty", {})
    m = _NUMBER.match(s)
    if not m:
        raise ValueError("ui.input.not_number", {"text": text.strip()})
    if m.group("sign") == "-":
        raise ValueError("ui.input.negative", {})
    try:
        value = Decimal(m.group("num").replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the pattern admits only decimals
        raise ValueError("ui.input.not_number", {"text": text.strip()}) from None
    mult_text, rest = m.group("mult"), m.group("rest")
    if rest[:1] in (",", "."):
        raise ValueError("ui.input.not_number", {"text": text.strip()})
    multiplier = Decimal(1)
    for ch in mult_text:
        multiplier *= MULTIPLIERS[ch]

    if kind == "money" and not unit:
        unit = "万元"
    scale = Decimal(10_000) if (kind == "money" or unit.startswith("万")) else Decimal(1)
    base_unit = unit[1:] if unit.startswith("万") else unit        # 万元 -> 元, 人 -> 人

    if in_yuan and rest == "":
        rest = "元"
    if not mult_text and rest in ("", unit):
        result = value                                # 150 · 8人 · 150万元 typed as 150
    elif rest in ("", base_unit) or (rest.lower() in _YUAN and scale != 1):
        result = value * multiplier / scale           # 30万 · 1亿 · 5000元 · 1万人
    else:
        raise ValueError("ui.input.bad_unit", {"text": rest, "unit": unit or "-"})
    if result > LIMIT:
        raise ValueError("ui.input.too_large", {})
    if kind == "int" and result != result.to_integral_value():
        raise ValueError("ui.input.not_whole", {})
    return Reading(_plain(result), mult_text, rest)


def _plain(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


_DATE_PATTERNS = (
    re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})[日号]?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)
_MONTH_ONLY = (
    re.compile(r"^(\d{4})[-/.](\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月?$"),
    re.compile(r"^(\d{4})年?$"),
)


def parse_date(text: str, latest: dt.date | None = None) -> dt.date:
    """A full date; ``latest`` (e.g. today) is the last date allowed."""
    s = normalize(text)
    if not s:
        raise ValueError("ui.input.empty", {})
    for pattern in _DATE_PATTERNS:
        m = pattern.match(s)
        if m:
            try:
                value = dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            except ValueError:
                raise ValueError("ui.input.no_such_date", {"text": text.strip()}) from None
            if value.year < 1900:
                raise ValueError("ui.input.no_such_date", {"text": text.strip()})
            if latest is not None and value > latest:
                raise ValueError("ui.input.future_date", {})
            return value
    if any(p.match(s) for p in _MONTH_ONLY):
        raise ValueError("ui.input.need_day", {})
    raise ValueError("ui.input.not_date", {"text": text.strip()})


# ---------------------------------------------------------------- plausibility
#
# The rules, each a judgement about the small businesses this app is for:
#
# * A 万元 field (revenue, assets, any question whose unit is 万元) given a bare number of
#   100,000 or more (10亿元) is asked about — "did you mean yuan?" — unless more than 100 staff
#   are known and the figure is at most 1亿元 a head. 1500000 typed for an 8-person shop is
#   150亿元 as typed, 150万元 if it was meant in yuan. A number typed with its unit or a
#   multiplier (150万, 1.5亿, 5000元) says what it means and is never asked about. Smaller
#   slips (50000 meaning 5万元) are left to the preview beside the field (= 5亿元).
# * A count of people typed with 万 or 亿 (30万) is always asked about: 300000 people is never
#   taken silently. A count of 10,000 people or more is asked about when the other answers say
#   the business is small: an individual business (个体工商户), or revenue or assets known and
#   below 1亿元 (less than 1万元 a head).
#
# Asking never refuses: the user keeps the number as typed, has it converted, or edits it.

YUAN_LIKE = 100_000        # 万元 (10亿元): a bare number this large in 万元 looks like yuan
SMALL_STAFF = 100          # ...whatever the staff, up to this many
PER_HEAD = 10_000          # 万元 (1亿元) a head: beyond it even a large staff does not explain it
MANY_PEOPLE = 10_000       # people
SMALL_MONEY = 10_000       # 万元 (1亿元): revenue or assets below it say the business is small
PEOPLE_UNITS = ("人", "名", "位")


@dataclass(frozen=True)
class Doubt:
    """Why a number needs a confirmation: ``kind`` is ``yuan`` (a 万元 field given what looks like
    yuan) or ``people`` (so many people?); ``value`` is the number as read, in the question's
    unit; ``converted`` (for ``yuan``) the number read as yuan, in 万元."""
    kind: str
    value: int | float
    converted: int | float | None = None


def _known(facts: Mapping[str, Any], name: str) -> float | None:
    value = facts.get(name)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return value


def in_wan(kind: str, unit: str) -> bool:
    """Is a number of this fact type and question unit in 万元?"""
    return kind == "money" or unit.startswith("万元")


def doubt(kind: str, unit: str, reading: Reading, facts: Mapping[str, Any]) -> Doubt | None:
    """Whether the number read for a question (fact type ``kind``, question ``unit``) needs a
    confirmation, given the other answers ``facts``; None when it is plausible."""
    value = reading.value
    if in_wan(kind, unit):
        if not reading.bare or value < YUAN_LIKE:
            return None
        staff = _known(facts, "employees")
        if staff is not None and staff > SMALL_STAFF and value <= PER_HEAD * staff:
            return None
        return Doubt("yuan", value, _plain(Decimal(str(value)) / 10_000))
    if kind == "int" and unit in PEOPLE_UNITS:
        if set(reading.multiplier) & {"万", "亿"}:
            return Doubt("people", value)
        if value < MANY_PEOPLE:
            return None
        money = [_known(facts, name) for name in ("revenue", "assets")]
        if facts.get("entity_type") == "individual" or any(m is not None and m < SMALL_MONEY for m in money):
            return Doubt("people", value)
    return None
