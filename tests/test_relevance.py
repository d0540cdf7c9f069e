"""Which questions are asked: only those that can still change a result (app.engine.needed_facts)."""

import datetime as dt

import pytest

from app.engine.assessment import assess
from app.storage.catalog_files import load_catalog
from app.engine.compare import changes
from app.engine.profile import effective_facts
from app.engine.needed_facts import (DRIVING_ALL, active_facts, implied_answers, needed,
                                plan, stated_inputs, subset_choices)
from app.engine.rules import evaluate
from app.engine.session import Session

from conftest import DATA

IN_FORCE = dt.date(2022, 6, 1)      # mini.toml: "cloud" runs through 2022, "young-firms" from 2023
LATER = dt.date(2026, 11, 22)


@pytest.fixture(scope="module")
def tui():
    return load_catalog(DATA / "tui.toml")


def asked(catalog, stated, as_of, **kw):
    return [q.fact for q in plan(catalog, stated, as_of, **kw)]


def test_nothing_known_asks_what_some_policy_uses(mini):
    facts = asked(mini, {}, IN_FORCE)
    assert {"sectors", "employees", "cloud_spend", "beds", "certifications", "new_certifications",
            "league", "difficulty", "founded"} <= set(facts)
    # questionnaire order: section, then catalog order
    assert facts.index("sectors") < facts.index("employees") < facts.index("difficulty") < facts.index("cloud_spend")


def test_a_fact_only_ineligible_policies_use_is_not_asked(mini):
    assert "beds" in asked(mini, {"sectors": ["elderly_care"]}, IN_FORCE)
    assert "beds" not in asked(mini, {"sectors": ["retail"]}, IN_FORCE)


def test_answered_questions_stay_to_be_reviewed(mini):
    assert "beds" in asked(mini, {"sectors": ["retail"], "beds": 20}, IN_FORCE)


def test_expired_and_draft_policies_do_not_drive_questions(mini):
    assert "cloud_spend" in asked(mini, {}, IN_FORCE)
    assert "cloud_spend" not in asked(mini, {}, LATER)          # "cloud" has expired
    assert "cloud_spend" in asked(mini, {}, LATER, driving=DRIVING_ALL)


def test_a_settled_any_needs_no_more_answers(mini):
    # young-firms: founded since 2021 OR fewer than 10 staff
    assert "founded" in asked(mini, {"employees": 50}, IN_FORCE)
    assert "founded" not in asked(mini, {"employees": 5}, IN_FORCE)


def test_needed_facts_follow_three_valued_logic(mini):
    cond = {"any": [{"fact": "employees", "lt": 10}, {"fact": "founded", "gte": dt.date(2021, 1, 1)}]}
    reg = mini.registry
    assert set(evaluate(cond, {}, reg).needed()) == {"employees", "founded"}
    assert list(evaluate(cond, {"employees": 5}, reg).needed()) == []
    assert list(evaluate(cond, {"employees": 50}, reg).needed()) == ["founded"]
    both = {"all": [{"fact": "employees", "lt": 10}, {"fact": "difficulty", "eq": True}]}
    assert list(evaluate(both, {"employees": 50}, reg).needed()) == []      # already false


def test_derived_facts_stand_for_their_inputs():
    facts, why = effective_facts({"sectors": ["catering"]}, LATER)
    assert stated_inputs("size_class", facts, why) == {"employees", "revenue"}
    facts, why = effective_facts({"sectors": ["catering"], "employees": 8}, LATER)
    assert stated_inputs("size_class", facts, why) == set()        # micro whatever the revenue
    facts, why = effective_facts({}, LATER)
    assert stated_inputs("sme", facts, why) == {"sectors", "employees", "revenue", "assets"}
    assert stated_inputs("years_in_business", facts, why) == {"founded"}
    assert stated_inputs("certifications", facts, why) == {"certifications", "new_certifications"}
    facts, why = effective_facts({"employees": 8, "entity_type": "company"}, LATER)
    assert stated_inputs("small_low_profit", facts, why) == {"taxable_income", "assets"}


def test_size_inputs_are_asked_only_while_the_class_is_open(mini):
    assert "employees" in asked(mini, {"sectors": ["catering"]}, IN_FORCE)


def test_amount_bases_and_open_tiers_are_asked(mini):
    assert "cloud_spend" in needed(mini, {}, IN_FORCE)
    # tiered-award: a decided first tier settles the amount; certifications are then known
    assert "certifications" not in needed(mini, {"certifications": ["little_giant"]}, IN_FORCE)


def test_ask_if_false_hides_the_question_and_its_old_answer(tui):
    assert "cloud_spend" in asked(tui, {}, LATER)                           # sector not known yet
    assert "cloud_spend" not in asked(tui, {"sectors": ["catering"]}, LATER)
    stated = {"sectors": ["catering"], "cloud_spend": 50.0}
    assert "cloud_spend" not in active_facts(tui, stated, LATER)
    assert "cloud_spend" not in asked(tui, stated, LATER)
    assert "cloud_spend" in active_facts(tui, dict(stated, sectors=["manufacturing"]), LATER)


def test_the_restaurant_is_asked_little(tui):
    stated = {"name": "老王餐馆", "league": "wuhai", "entity_type": "individual", "sectors": ["catering"],
              "employees": 8, "revenue": 150}
    facts = asked(tui, stated, LATER)
    assert "founded" not in facts                  # no policy depends on it
    assert "rents_state_property" not in facts     # only an expired policy uses it
    assert "cloud_spend" not in facts              # for industry and software only
    assert {"no_layoffs", "smb_unemployment_premium_paid", "first_above_quota"} <= set(facts)


def test_new_certifications_follow_the_ones_held():
    assert implied_answers("certifications", []) == {"new_certifications": []}
    assert implied_answers("certifications", ["high_tech"]) == {}
    assert subset_choices("new_certifications", {"certifications": ["high_tech", "tech_sme"]}) == \
        ["high_tech", "tech_sme"]
    assert subset_choices("new_certifications", {}) is None
    assert subset_choices("sectors", {"certifications": []}) is None


def test_session_keeps_stated_facts_and_makes_a_profile(tui):
    s = Session()
    assert not s.started
    s.answer("employees", 8)
    s.answer("smb_unemployment_premium_paid", 2.0)
    s.answer("name", "老王餐馆")
    s.skip("revenue")
    assert s.facts == {"employees": 8, "smb_unemployment_premium_paid": 2.0, "name": "老王餐馆"}
    assert s.seen == {"employees", "smb_unemployment_premium_paid", "name", "revenue"}
    s.answer("employees", None)
    assert "employees" not in s.facts and s.name == "老王餐馆"
    assert s.to_profile(tui.registry) == {"business": {"name": "老王餐馆"},
                                          "situation": {"smb_unemployment_premium_paid": 2.0}}
    copy = s.copy()
    copy.answer("name", "x")
    assert s.name == "老王餐馆"


def test_changes_between_two_assessments(tui):
    base = {"league": "wuhai", "sectors": ["catering"], "employees": 8, "first_above_quota": True}
    before = assess(tui, base, LATER)
    after = assess(tui, dict(base, first_above_quota=False), LATER)
    found = {c.policy.id: (c.before, c.after) for c in changes(before, after)}
    assert found == {"t-above-quota-first": ("eligible", "near_miss")}
    assert changes(before, before) == []
