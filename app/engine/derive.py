"""Derived facts: enterprise size class and 小型微利企业, worked out from what the owner knows.

Size classes follow 《中小企业划型标准规定》（工信部联企业〔2011〕300号）. Each industry gives a
ceiling for small-and-medium enterprises and thresholds for medium and small; a business below the
small thresholds is micro. All thresholds below are 「及以上」 (>=) for medium/small; the SME
ceiling is 「以下」 (<). Money is in 万元, like the profile.

Unknown inputs are handled honestly: the class grows with each input, so the class is computed
with every unknown input at its lowest and at its highest; if both agree the class is known,
otherwise it stays unknown.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

from app.engine.rules import OneOf

INF = math.inf


@dataclass(frozen=True)
class Standard:
    industry: str                     # 标准中的行业名称
    inputs: tuple[str, ...]           # profile facts used: employees / revenue / assets
    ceiling: dict[str, float]         # SME if ANY input is below its ceiling ("或")
    medium: dict[str, float]          # medium if ALL inputs >= these ("且")
    small: dict[str, float]           # small if ALL inputs >= these, else micro


# The standard's table: industry key, the industry as the standard names it, then per input
# (employees / revenue / assets) its SME ceiling / medium threshold / small threshold.
_TABLE = """
    agriculture       农、林、牧、渔业       revenue:20000/500/50
    industry          工业             employees:1000/300/20 revenue:40000/2000/300
    wholesale         批发业            employees:200/20/5 revenue:40000/5000/1000
    retail            零售业            employees:300/50/10 revenue:20000/500/100
    transport         交通运输业          employees:1000/300/20 revenue:30000/3000/200
    warehousing       仓储业            employees:200/100/20 revenue:30000/1000/100
    postal            邮政业            employees:1000/300/20 revenue:30000/2000/100
    lodging           住宿业            employees:300/100/10 revenue:10000/2000/100
    catering          餐饮业            employees:300/100/10 revenue:10000/2000/100
    software          软件和信息技术服务业     employees:300/100/10 revenue:10000/1000/50
    real_estate       房地产开发经营        revenue:200000/1000/100 assets:10000/5000/2000
    property          物业管理           employees:1000/300/100 revenue:5000/1000/500
    business_service  租赁和商务服务业       employees:300/100/10 assets:120000/8000/100
    other             其他未列明行业        employees:300/100/10
"""


def _standards(text: str) -> dict[str, Standard]:
    out: dict[str, Standard] = {}
    for line in text.strip().splitlines():
        key, industry, *inputs = line.split()
        limits = {name: [int(x) for x in rest.split("/")] for name, rest in (i.split(":") for i in inputs)}
        out[key] = Standard(industry, tuple(limits), {n: v[0] for n, v in limits.items()},
                            {n: v[1] for n, v in limits.items()}, {n: v[2] for n, v in limits.items()})
    return out


STANDARDS: dict[str, Standard] = _standards(_TABLE)

# Contract sector code -> industry of the standard (the first listed sector is the main one).
SECTOR_INDUSTRY = {
    "agriculture": "agriculture", "manufacturing": "industry", "recycling": "industry",
    "wholesale": "wholesale", "retail": "retail", "auto_trade": "retail",
    "ecommerce": "retail", "crossborder_ecommerce": "retail",
    "freight": "transport", "passenger_transport": "transport", "aviation": "transport",
    "multimodal": "transport", "network_freight": "transport",
    "cold_chain": "warehousing", "logistics_park": "warehousing", "express": "postal",
    "hotel": "lodging", "homestay": "lodging", "catering": "catering",
    "software": "software", "real_estate": "real_estate", "property_service": "property",
    "tourism_agency": "business_service", "hr_service": "business_service",
    "exhibition": "business_service",
}

SIZES = ("micro", "small", "medium", "large")


def _classify(std: Standard, values: dict[str, float]) -> str:
    if not any(values[k] < v for k, v in std.ceiling.items()):
        return "large"
    if all(values[k] >= v for k, v in std.medium.items()):
        return "medium"
    if all(values[k] >= v for k, v in std.small.items()):
        return "small"
    return "micro"


NOT_ENTERPRISE = "not_enterprise"


def size_class(facts: dict[str, Any]) -> tuple[str | None, dict]:
    """(class or None, explanation params). Needs the main sector, else unknown. A non-profit
    (民办非企业) is not an enterprise: it has no enterprise size class."""
    if facts.get("entity_type") == "nonprofit":
        return NOT_ENTERPRISE, {"needs": [], "not_enterprise": True}
    sectors = facts.get("sectors")
    if not sectors:
        return None, {"needs": ["sectors"]}
    industry = SECTOR_INDUSTRY.get(list(sectors)[0], "other")
    std = STANDARDS[industry]
    known = {k: facts.get(k) for k in std.inputs}
    low = {k: (v if v is not None else 0) for k, v in known.items()}
    high = {k: (v if v is not None else INF) for k, v in known.items()}
    lo, hi = _classify(std, low), _classify(std, high)
    missing = [k for k, v in known.items() if v is None]
    info = {"industry": std.industry, "industry_key": industry, "inputs": list(std.inputs), "needs": missing,
            "lowest": lo, "highest": hi,
            "small": std.small, "medium": std.medium, "ceiling": std.ceiling}
    return (lo if lo == hi else None), info


def small_low_profit(facts: dict[str, Any]) -> bool | None:
    """小型微利企业: 年应纳税所得额不超过300万元、从业人数不超过300人、资产总额不超过5000万元."""
    if facts.get("entity_type") in ("individual", "nonprofit"):
        return False  # the tax rule is for enterprises paying 企业所得税
    tests = [("taxable_income", 300), ("employees", 300), ("assets", 5000)]
    values = [facts.get(k) for k, _ in tests]
    if any(v is not None and v > limit for v, (_, limit) in zip(values, tests)):
        return False
    if any(v is None for v in values):
        return None
    if facts.get("entity_type") in ("individual", "nonprofit"):
        return False  # the tax rule is for enterprises paying 企业所得税
    return True


# Each derived fact and the facts it is worked out from: reports show them ("from"), and the
# question planner asks an input only while the derived fact is still open.
INPUTS: dict[str, tuple[str, ...]] = {
    "size_class": ("entity_type", "sectors", "employees", "revenue", "assets"),
    "sme": ("size_class",),
    "small_low_profit": ("taxable_income", "employees", "assets", "entity_type"),
    "years_in_business": ("founded",),
}


def derive(facts: dict[str, Any], as_of: dt.date) -> tuple[dict[str, Any], dict[str, dict]]:
    """Return (derived facts, explanation per derived fact: the facts it came from)."""
    out: dict[str, Any] = {}
    why: dict[str, dict] = {}
    cls, info = size_class(facts)
    if cls is None and "highest" in info:
        # Not sure of the class, but sure of its bounds: micro..small, say.
        span = SIZES[SIZES.index(info["lowest"]):SIZES.index(info["highest"]) + 1]
        out["size_class"] = OneOf(span)
    else:
        out["size_class"] = cls
    why["size_class"] = {"from": ["entity_type", "sectors"] + list(info.get("inputs", [])), **info}
    # SME is sure even when the exact class is not: large ruled out, or large certain.
    if info.get("not_enterprise"):
        out["sme"] = False
    elif "highest" not in info:
        out["sme"] = None
    elif info["highest"] != "large":
        out["sme"] = True
    elif info["lowest"] == "large":
        out["sme"] = False
    else:
        out["sme"] = None
    why["sme"] = {"from": list(INPUTS["sme"])}
    out["small_low_profit"] = small_low_profit(facts)
    why["small_low_profit"] = {"from": list(INPUTS["small_low_profit"])}
    founded = facts.get("founded")
    out["years_in_business"] = (
        None if founded is None else round((as_of - founded).days / 365.25, 2))
    why["years_in_business"] = {"from": list(INPUTS["years_in_business"])}
    return out, why
