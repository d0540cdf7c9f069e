"""The session model (app.engine.session) on its own: answers, the order asked, the plan, the
assessment and what changed. No Textual: the model is pure, and a test proves it."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest

from app.engine.assessment import assess
from app.engine.needed_facts import active_facts, plan
from app.engine.planner import ranked_questions
from app.engine.session import Session
from app.storage.catalog_files import load_catalog

DATA = Path(__file__).parent / "data"
AS_OF = dt.date(2026, 11, 22)
RESTAURANT = {"name": "老王餐馆", "league": "wuhai", "entity_type": "individual",
              "sectors": ["catering"], "employees": 8, "revenue": 150}


@pytest.fixture(scope="module")
def catalog():
    return load_catalog(DATA / "tui.toml")


def restaurant() -> Session:
    s = Session()
    for fact, value in RESTAURANT.items():
        s.answer(fact, value)
    return s


def test_an_answer_is_stated_and_seen_and_unknown_removes_it():
    s = Session()
    assert not s.started
    s.answer("employees", 8)
    assert s.facts == {"employees": 8} and s.seen == {"employees"} and s.started
    s.skip("employees")
    assert s.facts == {} and s.seen == {"employees"}


def test_implied_answers_fill_in_only_what_is_not_answered():
    s = Session()
    s.answer("new_certifications", ["a"])
    settled = s.answer("certifications", [], {"new_certifications": []})
    assert settled == {"new_certifications"}
    assert s.facts["new_certifications"] == ["a"]          # answered already: kept
    s2 = Session()
    s2.answer("certifications", [], {"new_certifications": []})
    assert s2.facts["new_certifications"] == [] and "new_certifications" in s2.seen


def test_history_is_the_order_shown_and_back_walks_it():
    s = Session()
    for fact in ("league", "entity_type", "sectors"):
        s.shown(fact)
    assert s.history == ["league", "entity_type", "sectors"] and s.position == "sectors"
    assert s.previous("sectors") == "entity_type"
    assert s.previous("league") is None
    assert s.previous(None) == "sectors"            # from the 「nothing left」 page: the last one
    s.shown("league")                                # shown again: moves to the end
    assert s.history == ["entity_type", "sectors", "league"]


def test_name_copy_and_profile(catalog):
    s = restaurant()
    s.shown("revenue")
    c = s.copy()
    c.facts["sectors"].append("retail")
    assert s.facts["sectors"] == ["catering"] and c.history == ["revenue"] and s.name == "老王餐馆"
    profile = s.to_profile(catalog.registry)
    assert profile["business"]["employees"] == 8


def test_assessment_is_the_engines_and_is_remembered(catalog):
    s = restaurant()
    a = s.assessment(catalog, AS_OF)
    expected = assess(catalog, active_facts(catalog, s.facts, AS_OF), AS_OF)
    assert [(r.policy.id, r.section) for r in a.results] == [(r.policy.id, r.section) for r in expected.results]
    assert s.assessment(catalog, AS_OF) is a          # same answers: not assessed again
    s.answer("employees", 9)
    assert s.assessment(catalog, AS_OF) is not a


def test_plan_and_ranking_are_the_engines(catalog):
    s = restaurant()
    assert [q.fact for q in s.plan(catalog, AS_OF)] == [q.fact for q in plan(catalog, s.facts, AS_OF)]
    ranked = ranked_questions(catalog, s.facts, s.seen, AS_OF)
    assert [w.question.fact for w in s.ranked(catalog, AS_OF)] == [w.question.fact for w in ranked]
    first = s.next_question(catalog, AS_OF)
    assert first is not None and first.fact == ranked[0].question.fact
    assert s.next_question(catalog, AS_OF, skip={first.fact}) != first


def test_questionnaire_lists_what_was_asked_then_what_is_worth_asking(catalog):
    s = Session()
    s.shown("league")
    s.answer("league", "wuhai")
    questions = s.questionnaire(catalog, AS_OF)
    assert questions[0].fact == "league"
    assert "league" not in [q.fact for q in questions[1:]]
    assert [q.fact for q in questions[1:]] == [w.question.fact for w in s.ranked(catalog, AS_OF)]


def test_changed_says_which_supports_moved(catalog):
    s = Session()
    s.assessment(catalog, AS_OF)
    assert s.changed() == {}
    for fact, value in RESTAURANT.items():
        s.answer(fact, value)
    s.assessment(catalog, AS_OF)
    moved = s.changed()
    assert moved, "answering the whole restaurant changes some support"
    assert all(before != after for before, after in moved.values())


def test_trial_leaves_the_answers_alone(catalog):
    s = restaurant()
    before = dict(s.facts)
    trial = s.trial(catalog, AS_OF, "employees", 500)
    assert s.facts == before
    assert trial.facts.get("employees") == 500


def test_the_session_model_imports_no_textual_or_rich():
    code = ("import sys, app.engine.session; "
            "print(any(m.split('.')[0] in ('textual', 'rich') for m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).parent.parent)
    assert out.stdout.strip() == "False"
