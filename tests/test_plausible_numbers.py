"""Plausibility of typed numbers (app.engine.numbers.doubt): a value far outside what the other
answers make likely is asked about with its unit spelled out, never refused."""

from __future__ import annotations

import pytest

from app.engine.numbers import Doubt, Reading, doubt, read_number

SHOP = {"employees": 8, "entity_type": "individual", "sectors": ["catering"]}


def check(text, kind="money", unit="万元", facts=SHOP):
    return doubt(kind, unit, read_number(text, kind, unit), facts)


@pytest.mark.parametrize("text,kind,unit,expected", [
    ("1500000", "money", "万元", Reading(1500000, "", "")),
    ("150万", "money", "万元", Reading(150, "万", "")),
    ("150万元", "money", "万元", Reading(150, "万", "元")),
    ("5000元", "money", "万元", Reading(0.5, "", "元")),
    ("¥5000", "money", "万元", Reading(0.5, "", "元")),
    ("30万", "int", "人", Reading(300000, "万", "")),
    ("8人", "int", "人", Reading(8, "", "人")),
])
def test_reading_says_how_a_number_was_typed(text, kind, unit, expected):
    assert read_number(text, kind, unit) == expected


def test_yuan_typed_in_a_wan_field_for_a_small_shop_is_asked_with_the_conversion():
    assert check("1500000") == Doubt("yuan", 1500000, 150)
    assert check("1234567") == Doubt("yuan", 1234567, 123.4567)
    assert check("100000") == Doubt("yuan", 100000, 10)            # 10亿元: the threshold


@pytest.mark.parametrize("text", ["150", "99999", "150万", "1.5亿", "150000万", "1500000元", "CNY 1,500,000"])
def test_plausible_or_unit_stated_is_not_asked(text):
    assert check(text) is None


@pytest.mark.parametrize("text,facts,asked", [
    ("1000000", {}, True),                        # nothing known: a small business is the rule here
    ("1000000", {"employees": 100}, True),
    ("1000000", {"employees": 101}, False),       # 100亿元 with 101 staff: under 1亿元 a head
    ("1000000", {"employees": 5000}, False),
    ("1500000", {"employees": 101}, True),        # 150亿元 with 101 staff: over 1亿元 a head
    ("1500000", {"employees": 150}, False),
])
def test_yuan_rule_depends_on_the_staff(text, facts, asked):
    assert (check(text, facts=facts) is not None) == asked


def test_yuan_rule_covers_every_wan_question():
    assert check("1500000", kind="money", unit="") is not None        # revenue, assets (money facts)
    assert check("1500000", kind="number", unit="万元") is not None   # a number question in 万元
    assert check("1500000", kind="number", unit="万元/亩") is not None
    assert check("1500000", kind="number", unit="平方米") is None       # not money


def test_people_typed_with_wan_are_always_asked():
    assert check("30万", "int", "人", facts={}) == Doubt("people", 300000)
    assert check("1万", "int", "人", facts={"employees": None, "revenue": 10 ** 7}) == Doubt("people", 10000)
    assert check("0.5万", "int", "人", facts={}) == Doubt("people", 5000)


@pytest.mark.parametrize("facts,asked", [
    ({}, False),                                 # nothing says small
    ({"entity_type": "company"}, False),
    ({"entity_type": "individual"}, True),       # 个体工商户 with 20000 staff?
    ({"revenue": 150}, True),                    # 150万元 revenue: 75元 a head
    ({"assets": 9999}, True),
    ({"revenue": 10000}, False),                 # 1亿元: 5000元 a head is low, but a big firm's
    ({"revenue": None}, False),
])
def test_many_people_for_a_business_the_answers_say_is_small(facts, asked):
    assert (check("20000", "int", "人", facts=facts) is not None) == asked


@pytest.mark.parametrize("text", ["8", "9999", "3千", "1,000"])
def test_ordinary_staff_counts_are_not_asked(text):
    assert check(text, "int", "人", facts={"entity_type": "individual", "revenue": 150}) is None


def test_other_counts_are_not_asked():
    assert check("30万", "int", "张", facts=SHOP) is None       # beds: 万 is just a multiplier there
