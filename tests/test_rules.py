"""The rule graph (app/engine/rules.py): each node kind parses, evaluates three-valued, lists its
facts, explains itself as message keys and says which missing facts matter and how much."""

import datetime as dt
from pathlib import Path

import pytest

from app.engine import rules
from app.engine.facts import FactRegistry
from app.engine.rules import (ENTITY_ACCEPTED, NA, All, Any, AtLeast, Codes, Compare, EntityTypes, Equals, Fact,
                              FactValue, Has, HasAll, HasAny, InRegion, Not, NotAny, OneOf, OneOfCodes, Parts,
                              parse)
from app.i18n.locale import Locale
from app.storage.catalog_files import load_catalog

R = FactRegistry()


def node(cond):
    n, problems = parse(cond, R)
    assert problems == [] and n is not None, problems
    return n


def value(n, **facts):
    return n.evaluate(facts, R).value


def keys(n):
    return [key for key, _ in n.explain().messages]


# ---------------------------------------------------------------- parsing: one kind per form

@pytest.mark.parametrize("cond,kind", [
    ({"fact": "employees", "lte": 300}, Compare),
    ({"fact": "investment", "gte": 1, "lt": 5}, Compare),
    ({"fact": "difficulty", "eq": True}, Equals),
    ({"fact": "league", "in": ["wuhai"]}, OneOfCodes),
    ({"fact": "sectors", "has": "catering"}, Has),
    ({"fact": "sectors", "has_any": ["catering"]}, HasAny),
    ({"fact": "sectors", "has_all": ["catering"]}, HasAll),
    ({"all": [{"fact": "difficulty", "eq": True}]}, All),
    ({"any": [{"fact": "difficulty", "eq": True}]}, Any),
    ({"not": {"fact": "difficulty", "eq": True}}, Not),
])
def test_each_form_parses_to_its_kind(cond, kind):
    assert type(node(cond)) is kind


def test_parsed_nodes_keep_label_changeable_and_set():
    n = node({"fact": "sectors", "has_any": ["catering", "retail"], "label": "餐饮零售", "changeable": True,
              "set": "shops"})
    assert (n.fact, n.codes, n.label, n.changeable, n.set) == ("sectors", ("catering", "retail"), "餐饮零售",
                                                                True, "shops")
    with pytest.raises(AttributeError):
        n.label = "x"          # frozen


def test_range_bounds_are_kept_in_a_fixed_order():
    assert node({"fact": "investment", "lt": 5, "gte": 1}).bounds == (("gte", 1), ("lt", 5))


@pytest.mark.parametrize("cond,where,needle", [
    ("employees", "condition", "a condition must be a table, got str"),
    ({"fact": "nope", "eq": 1}, "condition", "unknown fact 'nope'"),
    ({"all": [{"fact": "employees", "lte": 1}], "fact": "employees"}, "condition", "use one of all/any/not"),
    ({"any": [{"fact": "employees", "lte": 1}, {"fact": "league", "has": "wuhai"}]}, "condition.any[1]",
     "'has' applies to list facts; 'league' is code"),
    ({"not": {"fact": "sectors", "in": ["catering"]}}, "condition.not",
     "'in' applies to single-code facts; 'sectors' is codes"),
    ({"fact": "sectors", "has_all": []}, "condition", "'has_all' needs a non-empty list of codes"),
    ({"fact": "employees", "lte": "300"}, "condition", "lte on number fact 'employees' needs a number"),
    ({"fact": "founded", "gte": 2021}, "condition", "gte on date fact 'founded' needs a date"),
    ({"fact": "sectors", "lte": 3}, "condition", "lte does not apply to codes fact 'sectors'"),
    ({"fact": "employees"}, "condition", "fact 'employees' has no test"),
    ({"fact": "league", "in": ["wuhai"], "region": True}, "condition", "unknown key(s) region"),
    ({"fact": "league", "in": ["atlantis"]}, "condition", "unknown code 'atlantis'"),
    ({"all": []}, "condition", "all needs a non-empty list of conditions"),
    ({"fact": "employees", "lte": 1, "label": 3}, "condition", "label must be text"),
])
def test_bad_shapes_are_problems_with_their_place(cond, where, needle):
    n, problems = parse(cond, R)
    assert n is None
    assert any(p.startswith(f"{where}: ") and needle in p for p in problems), problems


def test_too_deep_is_refused_before_walking():
    cond = {"fact": "employees", "lte": 1}
    for _ in range(rules.MAX_DEPTH):
        cond = {"not": cond}
    n, problems = parse(cond, R, "conditions[0]")
    assert n is None and problems == [f"conditions[0]: conditions nested more than {rules.MAX_DEPTH} deep"]


def test_incomparable_bounds_cannot_be_parsed_so_comparison_never_guesses():
    # a date bound on a number fact is a problem, never a node that would compare 5 with a date
    assert parse({"fact": "employees", "gte": dt.date(2021, 1, 1)}, R)[0] is None
    # and a Compare built by hand on such values fails loudly instead of saying "unknown"
    with pytest.raises(TypeError):
        Compare("employees", (("gte", dt.date(2021, 1, 1)),)).evaluate({"employees": 5}, R)


# ---------------------------------------------------------------- evaluation, three-valued

def test_compare():
    n = node({"fact": "investment", "gte": 10000, "lt": 50000})
    assert value(n, investment=10000) is True
    assert value(n, investment=50000) is False
    assert value(n) is None
    assert value(n, investment=NA) is False
    assert value(n, investment=OneOf({20000, 30000})) is True
    assert value(n, investment=OneOf({20000, 60000})) is None


def test_equals_and_one_of_codes():
    eq = node({"fact": "difficulty", "eq": True})
    assert (value(eq, difficulty=True), value(eq, difficulty=False), value(eq)) == (True, False, None)
    assert value(eq, difficulty=NA) is False
    inn = node({"fact": "size_class", "in": ["micro", "small"]})
    assert value(inn, size_class=OneOf({"micro", "small"})) is True
    assert value(inn, size_class=OneOf({"medium", "large"})) is False
    assert value(inn, size_class=OneOf({"small", "medium"})) is None


def test_has_kinds_with_complete_partial_and_closed_lists():
    has = node({"fact": "certifications", "has": "high_tech"})
    anyof = node({"fact": "certifications", "has_any": ["high_tech", "tech_sme"]})
    allof = node({"fact": "certifications", "has_all": ["high_tech", "tech_sme"]})
    assert [value(n, certifications=["high_tech"]) for n in (has, anyof, allof)] == [True, True, False]
    assert [value(n, certifications=[]) for n in (has, anyof, allof)] == [False, False, False]
    # AtLeast: holds these and perhaps more — only a test that holds is settled
    partial = AtLeast({"high_tech"})
    assert [value(n, certifications=partial) for n in (has, anyof, allof)] == [True, True, None]
    # NotAny: known not to hold these — settles a test only on the codes it names
    closed = NotAny({"high_tech"})
    assert [value(n, certifications=closed) for n in (has, anyof, allof)] == [False, None, False]
    assert value(anyof, certifications=NotAny({"high_tech", "tech_sme"})) is False
    assert value(has, certifications=NA) is False
    assert value(has) is None


def test_composites_follow_three_valued_logic():
    a = {"fact": "employees", "lte": 300}
    b = {"fact": "difficulty", "eq": True}
    both, either, neither = node({"all": [a, b]}), node({"any": [a, b]}), node({"not": b})
    assert (value(both, difficulty=False), value(both, difficulty=True),
            value(both, difficulty=True, employees=5)) == (False, None, True)
    assert (value(either, difficulty=True), value(either, difficulty=False),
            value(either, difficulty=False, employees=500)) == (True, None, False)
    assert (value(neither, difficulty=True), value(neither, difficulty=False), value(neither)) == (False, True, None)


def test_changeable_defaults_from_the_fact_and_can_be_overridden():
    plan = node({"fact": "ecommerce_transformation", "eq": True})
    fixed = node({"fact": "sectors", "has": "catering"})
    assert plan.evaluate({}, R).changeable is True and fixed.evaluate({}, R).changeable is False
    assert node({"fact": "sectors", "has": "catering", "changeable": True}).evaluate({}, R).changeable is True
    # all: changeable when every failing part is; any: when some part is
    both = node({"all": [{"fact": "ecommerce_transformation", "eq": True}, {"fact": "sectors", "has": "catering"}]})
    assert both.evaluate({"ecommerce_transformation": False, "sectors": ["catering"]}, R).changeable is True
    assert both.evaluate({"ecommerce_transformation": False, "sectors": ["retail"]}, R).changeable is False


def test_region_and_entity_types_are_their_own_kinds():
    region = rules.in_region(["wuhai"])
    assert isinstance(region, InRegion) and region.implicit and region.fact == "league"
    assert value(region, league="wuhai") is True and value(region, league="baotou") is False
    ent = rules.entity_types(["company"], maybe=["individual"])
    assert isinstance(ent, EntityTypes) and ent.implicit
    assert value(ent, entity_type="company") is True
    assert value(ent, entity_type="individual") is None        # the agency's to say
    assert value(ent, entity_type="nonprofit") is False
    assert not node({"fact": "league", "in": ["wuhai"]}).implicit


# ---------------------------------------------------------------- facts and needed facts

def test_facts_of_each_kind():
    n = node({"all": [{"fact": "employees", "lte": 300},
                      {"any": [{"fact": "sectors", "has": "catering"}, {"not": {"fact": "difficulty", "eq": True}}]}]})
    assert n.facts() == {"employees", "sectors", "difficulty"}
    assert rules.in_region(["wuhai"]).facts() == {"league"}
    assert rules.entity_types(["company"]).facts() == {"entity_type"}


def test_needed_facts_are_weighted_by_the_unknown_leaves_that_name_them():
    n = node({"all": [{"fact": "employees", "lte": 300},
                      {"any": [{"fact": "employees", "lt": 10}, {"fact": "founded", "gte": dt.date(2021, 1, 1)}]}]})
    assert n.evaluate({}, R).needed() == {"employees": 2.0, "founded": 1.0}
    # a decided part needs nothing: employees 50 settles the first leaf and the second (false)
    assert n.evaluate({"employees": 50}, R).needed() == {"founded": 1.0}
    assert n.evaluate({"employees": 500}, R).needed() == {}           # already false
    assert node({"not": {"fact": "difficulty", "eq": True}}).evaluate({}, R).needed() == {"difficulty": 1.0}


def test_an_entity_type_the_wording_leaves_open_needs_the_agency_not_an_answer():
    ent = rules.entity_types(["company"], maybe=["individual"])
    assert ent.evaluate({"entity_type": "individual"}, R).needed() == {ENTITY_ACCEPTED: 1.0}
    assert ent.evaluate({}, R).needed() == {"entity_type": 1.0}


# ---------------------------------------------------------------- explanations

@pytest.mark.parametrize("cond,expected", [
    ({"fact": "employees", "gte": 1, "lte": 300}, ["cond.gte", "cond.lte"]),
    ({"fact": "difficulty", "eq": True}, [None]),
    ({"fact": "difficulty", "eq": False}, ["cond.is_not"]),
    ({"fact": "league", "eq": "wuhai"}, ["cond.eq"]),
    ({"fact": "league", "in": ["wuhai"]}, ["cond.in"]),
    ({"fact": "sectors", "has": "catering"}, ["cond.has"]),
    ({"fact": "sectors", "has_any": ["catering"]}, ["cond.has_any"]),
    ({"fact": "sectors", "has_all": ["catering"]}, ["cond.has_all"]),
    ({"all": [{"fact": "difficulty", "eq": True}]}, ["cond.all"]),
    ({"any": [{"fact": "difficulty", "eq": True}]}, ["cond.any"]),
    ({"not": {"fact": "difficulty", "eq": True}}, ["cond.not"]),
])
def test_explanation_keys(cond, expected):
    assert keys(node(cond)) == expected


def test_explanation_params_are_typed_for_the_locale():
    (key, params), = node({"fact": "sectors", "has_any": ["catering", "retail"]}).explain().messages
    assert params == {"fact": Fact("sectors"), "values": Codes(("catering", "retail"), "or", "sectors")}
    (key, params), = node({"fact": "employees", "lte": 300}).explain().messages
    assert params == {"fact": Fact("employees"), "value": FactValue("employees", 300)}
    (key, params), = node({"any": [{"fact": "difficulty", "eq": True}]}).explain().messages
    assert isinstance(params["parts"], Parts) and params["parts"].step == "any"
    assert keys(rules.in_region(["wuhai"])) == ["cond.region"]
    assert keys(rules.entity_types(["company"])) == ["cond.entities"]


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_the_locale_words_a_node_as_it_words_the_table(lang):
    loc = Locale(lang)
    catalog = load_catalog(Path(__file__).parent / "data" / "mini.toml")
    cond = {"all": [{"fact": "employees", "gte": 1, "lte": 300}, {"not": {"fact": "difficulty", "eq": True}},
                    {"fact": "sectors", "has_any": ["catering", "retail"]}]}
    text = loc.describe(node(cond), catalog)
    assert text == loc.describe(cond, catalog)
    assert loc.t("cond.sep_and") in text
    assert loc.code_label("sectors", "catering", catalog) in text


def test_region_is_worded_as_places_not_as_a_league_test():
    zh = Locale("zh_CN")
    assert zh.describe(rules.in_region(["wuhai"])) == zh.t("cond.region", places=zh.code_label("league", "wuhai"))
    assert zh.describe(node({"fact": "league", "in": ["wuhai"]})) != zh.describe(rules.in_region(["wuhai"]))
