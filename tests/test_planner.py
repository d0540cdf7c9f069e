"""The question planner (app/engine/planner.py): value order, follow-ups after their parents, stop."""

from __future__ import annotations

import datetime as dt
import textwrap

from app.storage.catalog_files import load_catalog
from app.engine.planner import answer_changes_nothing, missing_weights, next_question, ranked_questions

DAY = dt.date(2026, 12, 1)

CATALOG = """
[catalog]
version = "t"
date = 2026-01-01
[[document]]
id = "d"
title = "内蒙古自治区促进服务业发展政策"
issued = 2022-04-06
articles = ["1", "2", "3", "4"]
"""


# fact, the extra keys of its question (a new fact's table and type; its ask_if)
QUESTIONS = [
    ("sectors", ''),
    ("big_plan", 'table = "plans"\ntype = "bool"\nask_if = { fact = "sectors", has = "manufacturing" }'),
    ("small_plan", 'table = "plans"\ntype = "bool"\nask_if = { fact = "sectors", has = "manufacturing" }'),
    ("channel_fact", 'table = "situation"\ntype = "bool"'),
    ("lone_fact", 'table = "situation"\ntype = "bool"'),
    ("beds_mode", 'ask_if = { fact = "sectors", has = "elderly_care" }'),
    ("beds", 'ask_if = { fact = "beds_mode", in = ["new"] }'),
]

# id, delivers, article, conditions, amount, an example's facts (eligible)
POLICIES = [
    ("big", "money", "1", '[{ fact = "sectors", has = "manufacturing" }, { fact = "big_plan", eq = true }]',
     '{ kind = "fixed", value = 3000000 }', '{ sectors = ["manufacturing"], big_plan = true }'),
    ("small", "money", "2", '[{ fact = "sectors", has = "manufacturing" }, { fact = "small_plan", eq = true }]',
     '{ kind = "fixed", value = 5000 }', '{ sectors = ["manufacturing"], small_plan = true }'),
    ("channel", "channel", "3", '[{ fact = "channel_fact", eq = true }]', None, '{ channel_fact = true }'),
    ("lone", "money", "3", '[{ fact = "lone_fact", eq = true }]', None, '{ lone_fact = true }'),
    ("beds", "money", "4", '[{ fact = "sectors", has = "elderly_care" }, { fact = "beds_mode", eq = "new" }, '
     '{ fact = "beds", gte = 10 }]', '{ kind = "per_unit", fact = "beds", per_unit = 6000 }',
     '{ sectors = ["elderly_care"], beds_mode = "new", beds = 10 }'),
]


def catalog(tmp_path):
    text = textwrap.dedent(CATALOG)
    for fact, extra in QUESTIONS:
        text += f'[[question]]\nfact = "{fact}"\nsection = "basic"\ntext = "{fact}？"\n' + (extra + "\n" if extra else "")
    for pid, delivers, art, conds, amount, example in POLICIES:
        text += (f'[[policy]]\nid = "{pid}"\ntitle = "{pid}"\nsummary = "s"\nkind = "award"\n'
                 f'delivers = "{delivers}"\nsources = [{{ doc = "d", article = "{art}", quote = "q" }}]\n'
                 f'lead = ["a"]\nsteps = ["a", "b"]\nconditions = {conds}\n'
                 + (f"amount = {amount}\n" if amount else "")
                 + f'[[policy.example]]\nas_of = 2026-01-01\nfacts = {example}\nstatus = "eligible"\n')
    path = tmp_path / "c.toml"
    path.write_text(text, encoding="utf-8")
    return load_catalog(path, use_cache=False)


def test_the_question_worth_most_comes_first(tmp_path):
    cat = catalog(tmp_path)
    stated = {"sectors": ["manufacturing"]}
    ranked = [w.question.fact for w in ranked_questions(cat, stated, {"sectors"}, DAY)]
    assert ranked[:2] == ["big_plan", "small_plan"]          # 300万 before 5000元, whatever the order in the file
    weights = missing_weights(cat, stated, DAY)
    assert weights["big_plan"][0] > weights["small_plan"][0]


def test_channels_cost_no_question(tmp_path):
    cat = catalog(tmp_path)
    stated = {"sectors": ["manufacturing"], "big_plan": True, "small_plan": False}
    assert next_question(cat, stated, set(stated), DAY) is None        # only the channel is left
    assert answer_changes_nothing(cat, stated, set(stated), DAY)


def test_a_follow_up_waits_for_its_parent(tmp_path):
    cat = catalog(tmp_path)
    # nothing known: the sector decides everything; beds_mode and beds are follow-ups
    first = next_question(cat, {}, set(), DAY)
    assert first.fact == "sectors"
    stated = {"sectors": ["elderly_care"]}
    assert next_question(cat, stated, {"sectors"}, DAY).fact == "beds_mode"     # beds waits for it
    weights = missing_weights(cat, stated, DAY)
    assert "beds" not in weights and weights["beds_mode"][1] == 1               # beds' weight goes to its parent
    stated["beds_mode"] = "new"
    assert next_question(cat, stated, {"sectors", "beds_mode"}, DAY).fact == "beds"
    stated["beds_mode"] = "lease"                                                # closes the follow-up
    assert next_question(cat, stated, {"sectors", "beds_mode"}, DAY) is None


def test_a_skipped_parent_never_opens_its_follow_up(tmp_path):
    cat = catalog(tmp_path)
    stated = {"sectors": ["elderly_care"]}
    seen = {"sectors", "beds_mode"}              # beds_mode skipped (不确定)
    assert next_question(cat, stated, seen, DAY) is None


def test_new_certifications_wait_for_the_certifications(bundled):
    stated = {"sectors": ["software"], "entity_type": "company", "league": "hohhot", "employees": 40}
    seen = set(stated)
    order = []
    for _ in range(40):
        q = next_question(bundled, stated, seen, DAY)
        if q is None:
            break
        order.append(q.fact)
        seen.add(q.fact)
        if q.fact == "certifications":
            stated["certifications"] = ["tech_sme"]
    assert "certifications" in order
    if "new_certifications" in order:
        assert order.index("certifications") < order.index("new_certifications")


def test_a_lone_support_with_no_figure_open_to_all_is_not_worth_a_question(tmp_path):
    """It stays possible (in the confirm section, the fact named); its question is optional."""
    from app.engine.assessment import assess
    cat = catalog(tmp_path)
    stated = {"sectors": ["retail"]}
    assert next_question(cat, stated, {"sectors"}, DAY) is None
    lone = next(r for r in assess(cat, stated, DAY).shown if r.policy.id == "lone")
    assert lone.status == "possible" and lone.section == "confirm" and lone.missing == ["lone_fact"]
