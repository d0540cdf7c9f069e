import datetime as dt

import pytest

from app.engine.rules import OneOf
from app.engine.derive import size_class, small_low_profit
from app.engine.profile import effective_facts


@pytest.mark.parametrize("sector,employees,revenue,assets,expected", [
    ("catering", 8, 150.0, None, "micro"),        # 餐饮: fewer than 10 staff -> micro
    ("catering", 10, 100.0, None, "small"),       # both small thresholds met (及以上)
    ("catering", 100, 2000.0, None, "medium"),
    ("catering", 300, 10000.0, None, "large"),    # neither below the SME ceiling
    ("catering", 300, 9999.0, None, "medium"),    # revenue below ceiling: SME ("或")
    ("manufacturing", 19, 5000.0, None, "micro"),
    ("manufacturing", 20, 300.0, None, "small"),
    ("retail", 9, 1000.0, None, "micro"),
    ("wholesale", 5, 1000.0, None, "small"),
    ("software", 10, 49.0, None, "micro"),
    ("tourism_agency", 50, None, 100.0, "small"),  # 租赁和商务服务业: employees and assets
    ("agriculture", None, 49.0, None, "micro"),    # 农林牧渔: revenue only
    ("elderly_care", 9, None, None, "micro"),      # 其他未列明行业: employees only
])
def test_size_classes(sector, employees, revenue, assets, expected):
    facts = {"sectors": [sector], "employees": employees, "revenue": revenue, "assets": assets}
    assert size_class(facts)[0] == expected


def test_size_class_with_unknowns_is_honest():
    # 8 staff in catering: micro whatever the revenue
    assert size_class({"sectors": ["catering"], "employees": 8})[0] == "micro"
    # 15 staff, revenue unknown: micro or small, and that is still 小微
    facts, _ = effective_facts({"sectors": ["catering"], "employees": 15}, dt.date(2026, 1, 1))
    assert facts["size_class"] == OneOf({"micro", "small"})
    assert facts["sme"] is True
    # no sector: nothing known
    assert size_class({"employees": 5})[0] is None


def test_small_low_profit():
    assert small_low_profit({"taxable_income": 300, "employees": 300, "assets": 5000}) is True
    assert small_low_profit({"taxable_income": 300.01, "employees": 1, "assets": 1}) is False
    assert small_low_profit({"taxable_income": 10, "employees": 5}) is None
    assert small_low_profit({"taxable_income": 10, "employees": 301}) is False


def test_new_certifications_count_as_held():
    facts, _ = effective_facts({"certifications": ["tech_sme"], "new_certifications": ["high_tech"]},
                               dt.date(2026, 1, 1))
    assert set(facts["certifications"]) == {"tech_sme", "high_tech"}
