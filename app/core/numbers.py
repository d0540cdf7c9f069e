"""Reading numbers and dates as people type them: 1,000 · １２３ · 30万 · 1.5亿 · 2019年5月1日.

Pure. Errors are ``ValueError(key, params)`` with a message key under ``ui.input`` so any
language can say what went wrong.

Units: a money fact is in 万元, so "30万" and "30" both mean 30 (万元), "5000元" (or "5000 yuan",
"CNY 5000") means 0.5 and "1亿" means 10000. A count is in its own unit, so "1万" people is 10000 and "8人" is 8. A number
fact whose unit starts with 万 (万元/亩) reads like money.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import Decimal, InvalidOperation

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


def parse_number(text: str, kind: str = "number", unit: str = "") -> int | float:
    """The number typed, in the fact's unit.

    ``kind`` is the fact type: ``int`` (a whole count), ``money`` (万元) or ``number``.
    ``unit`` is the question's unit ("人", "万元", "万元/亩"); typing it after the number is fine.
    """
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
    if kind == "int":
        if result != result.to_integral_value():
            raise ValueError("ui.input.not_whole", {})
        return int(result)
    if result == result.to_integral_value():
        return int(result)
    return float(result)


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
