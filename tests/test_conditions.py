import datetime as dt

import pytest

from app.engine.rules import AtLeast, OneOf, evaluate, validate
from app.engine.facts import FactRegistry

R = FactRegistry()


def ev(cond, **facts):
    return evaluate(cond, facts, R).value


@pytest.mark.parametrize("op,bound,value,expected", [
    ("lte", 300, 300, True), ("lte", 300, 301, False),      # 不超过 / 以下: inclusive
    ("lt", 300, 300, False), ("lt", 300, 299, True),        # 不足: exclusive
    ("gte", 500, 500, True), ("gte", 500, 499.99, False),   # 以上: inclusive
    ("gt", 500, 500, False), ("gt", 500, 500.01, True),     # 超过: exclusive
])
def test_number_bounds(op, bound, value, expected):
    assert ev({"fact": "revenue", op: bound}, revenue=value) is expected


def test_range_combines_bounds():
    cond = {"fact": "investment", "gte": 10000, "lt": 50000}
    assert ev(cond, investment=10000) is True
    assert ev(cond, investment=50000) is False
    assert ev(cond, investment=9999) is False


def test_dates():
    cond = {"fact": "founded", "gte": dt.date(2021, 1, 1)}
    assert ev(cond, founded=dt.date(2021, 1, 1)) is True
    assert ev(cond, founded=dt.date(2020, 12, 31)) is False


def test_membership_and_lists():
    assert ev({"fact": "league", "in": ["wuhai", "hohhot"]}, league="wuhai") is True
    assert ev({"fact": "league", "in": ["wuhai"]}, league="baotou") is False
    assert ev({"fact": "sectors", "has": "catering"}, sectors=["retail", "catering"]) is True
    assert ev({"fact": "sectors", "has_any": ["hotel", "homestay"]}, sectors=["catering"]) is False
    assert ev({"fact": "sectors", "has_all": ["hotel", "catering"]}, sectors=["catering"]) is False
    assert ev({"fact": "certifications", "has": "high_tech"}, certifications=[]) is False


def test_booleans():
    assert ev({"fact": "difficulty", "eq": True}, difficulty=True) is True
    assert ev({"fact": "difficulty", "eq": True}, difficulty=False) is False


def test_unknown_propagates():
    assert ev({"fact": "employees", "lte": 300}) is None
    # all: false beats unknown, unknown beats true
    cond = {"all": [{"fact": "employees", "lte": 300}, {"fact": "difficulty", "eq": True}]}
    assert ev(cond, difficulty=False) is False
    assert ev(cond, difficulty=True) is None
    # any: true beats unknown, unknown beats false
    cond = {"any": [{"fact": "employees", "lte": 300}, {"fact": "difficulty", "eq": True}]}
    assert ev(cond, difficulty=True) is True
    assert ev(cond, difficulty=False) is None
    # not keeps unknown
    assert ev({"not": {"fact": "difficulty", "eq": True}}) is None
    assert ev({"not": {"fact": "difficulty", "eq": True}}, difficulty=False) is True


def test_partial_knowledge():
    # a list known to contain at least these: has is true, has-other is unknown, not false
    assert ev({"fact": "certifications", "has": "zjtx_sme"}, certifications=AtLeast({"zjtx_sme"})) is True
    assert ev({"fact": "certifications", "has": "high_tech"}, certifications=AtLeast({"zjtx_sme"})) is None
    # a class known to be micro or small
    assert ev({"fact": "size_class", "in": ["micro", "small"]}, size_class=OneOf({"micro", "small"})) is True
    assert ev({"fact": "size_class", "in": ["micro"]}, size_class=OneOf({"micro", "small"})) is None
    assert ev({"fact": "size_class", "eq": "large"}, size_class=OneOf({"micro", "small"})) is False


def test_missing_facts_are_named():
    cond = {"all": [{"fact": "employees", "lte": 300}, {"fact": "revenue", "lte": 1}]}
    out = evaluate(cond, {"revenue": 0.5}, R)
    assert out.value is None and list(out.needed()) == ["employees"]


@pytest.mark.parametrize("cond,needle", [
    ({"fact": "nope", "eq": 1}, "unknown fact"),
    ({"fact": "employees"}, "has no test"),
    ({"fact": "employees", "lte": "many"}, "needs a number"),
    ({"fact": "league", "in": ["atlantis"]}, "unknown code"),
    ({"fact": "sectors", "has": "spaceflight"}, "unknown code"),
    ({"fact": "founded", "gte": "2021"}, "needs a date"),
    ({"fact": "employees", "gte": 1, "gt": 2}, "two lower"),
    ({"any": []}, "non-empty list"),
    ({"fact": "employees", "lte": 1, "bogus": 2}, "unknown key"),
    ({"fact": "league", "has": "wuhai"}, "applies to list facts"),
])
def test_validation_messages(cond, needle):
    problems = validate(cond, R)
    assert any(needle in p for p in problems), problems


def test_valid_condition_has_no_problems():
    assert validate({"any": [{"fact": "employees", "lte": 300, "label": "x"},
                             {"not": {"fact": "difficulty", "eq": True}}]}, R) == []
