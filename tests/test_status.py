import datetime as dt

from app.engine.assessment import assess, assess_policy
from app.engine.profile import effective_facts


def status(catalog, pid, as_of, **facts):
    full, _ = effective_facts(facts, as_of)
    return assess_policy(catalog.policy(pid), full, catalog, as_of).status


def test_expiry_on_the_boundary_day(mini):
    # valid_until is the last day in force
    assert status(mini, "cloud", dt.date(2022, 12, 31), cloud_spend=10.0) == "eligible"
    assert status(mini, "cloud", dt.date(2023, 1, 1), cloud_spend=10.0) == "expired"


def test_expired_even_when_unknown_but_not_when_false(mini):
    assert status(mini, "cloud", dt.date(2026, 11, 22)) == "expired"
    assert status(mini, "beds", dt.date(2026, 11, 22), sectors=["retail"]) == "ineligible"


def test_not_yet_and_draft(mini):
    assert status(mini, "young-firms", dt.date(2022, 12, 31), employees=3) == "not_yet"
    assert status(mini, "young-firms", dt.date(2023, 1, 1), employees=3) == "eligible"
    assert status(mini, "draft-thing", dt.date(2026, 11, 22)) == "draft"


def test_unknown_is_possible_not_ineligible(mini):
    assert status(mini, "beds", dt.date(2026, 1, 1), sectors=["elderly_care"]) == "possible"
    assert status(mini, "tiered-award", dt.date(2026, 1, 1)) == "possible"


def test_near_miss_is_one_changeable_failure(mini):
    # certifications could be applied for: a near miss
    assert status(mini, "tiered-award", dt.date(2026, 1, 1), certifications=[]) == "near_miss"
    # a sector is not something to change: ineligible
    assert status(mini, "beds", dt.date(2026, 1, 1), sectors=["retail"], beds=20) == "ineligible"
    # beds is a plan: with the sector right and too few beds, a near miss
    assert status(mini, "beds", dt.date(2026, 1, 1), sectors=["elderly_care"], beds=5) == "near_miss"


def test_region_from_document(mini):
    assert status(mini, "wuhai-only", dt.date(2026, 1, 1), league="wuhai", sectors=["catering"]) == "eligible"
    assert status(mini, "wuhai-only", dt.date(2026, 1, 1), league="hohhot", sectors=["catering"]) == "ineligible"
    assert status(mini, "wuhai-only", dt.date(2026, 1, 1), sectors=["catering"]) == "possible"


def test_ranking_is_by_section_band_and_stable(mini):
    facts = {"certifications": ["zjtx_sme"], "sectors": ["elderly_care"], "league": "wuhai"}
    a = assess(mini, facts, dt.date(2026, 11, 22), include_ineligible=True)
    order = [r.section for r in a.results]
    from app.engine.assessment import SECTIONS
    assert order == sorted(order, key=SECTIONS.index)
    assert len(set(order)) >= 3
    scores = [r.score for r in a.results]
    assert scores == sorted(scores, reverse=True) and all(0 <= s <= 1 for s in scores)
    again = assess(mini, facts, dt.date(2026, 11, 22), include_ineligible=True)
    assert [r.policy.id for r in again.results] == [r.policy.id for r in a.results]
    shown = assess(mini, facts, dt.date(2026, 11, 22))
    assert all(r.status != "ineligible" for r in shown.shown)


def test_catalog_examples_in_fixture_pass(mini):
    from app.engine.checks import run_examples
    count, failures = run_examples(mini)
    assert count == 7 and failures == []


def test_not_applicable_facts_fail_positive_tests(bundled):
    """A restaurant is not asked for its passenger-station type (ask_if: passenger transport);
    the station subsidy is then not 'possible' for it but ineligible, while a bus company that has
    not yet answered stays 'possible'."""
    from app.engine.rules import NA
    as_of = dt.date(2026, 11, 22)
    facts, _ = effective_facts({"sectors": ["catering"]}, as_of, bundled)
    assert facts["passenger_station"] is NA
    bus, _ = effective_facts({"sectors": ["passenger_transport"]}, as_of, bundled)
    assert bus.get("passenger_station") is None
    policy = bundled.policy("svc-passenger-station-operation")
    assert assess_policy(policy, facts, bundled, as_of).status == "ineligible"
    assert assess_policy(policy, bus, bundled, as_of).status == "possible"


def test_holding_no_certification_means_none_is_new():
    facts, _ = effective_facts({"certifications": []}, dt.date(2026, 1, 1))
    assert facts["new_certifications"] == []
    facts, _ = effective_facts({"certifications": ["high_tech"]}, dt.date(2026, 1, 1))
    assert "new_certifications" not in facts   # could be new or old: unknown


def test_forgetting_a_stated_answer_behind_a_fixed_gate_changes_nothing(bundled):
    """Found by hypothesis: 'no sector' plus a stated passenger station was eligible, and forgetting
    the station made it ineligible. A question whose ask_if fails on fixed grounds (the sector)
    does not apply, answered or not."""
    as_of = dt.date(2026, 11, 22)
    policy = bundled.policy("svc-passenger-station-operation")
    stated = {"sectors": [], "passenger_station": "county"}
    for facts in (stated, {"sectors": []}):
        full, _ = effective_facts(facts, as_of, bundled)
        assert assess_policy(policy, full, bundled, as_of).status == "ineligible"


def test_a_changeable_gate_keeps_answers_and_the_near_miss(bundled):
    """A 499万 device: the year and depreciation questions are gated on the device value, which the
    business can change; their answers stay, so buying a 500万 device is one step away."""
    as_of = dt.date(2022, 6, 1)
    facts = {"entity_type": "company", "sectors": ["manufacturing"], "employees": 500, "revenue": 5000.0, "equipment_year": 2022,
             "equipment_value": 499.0, "equipment_min_years": 3}
    full, _ = effective_facts(facts, as_of, bundled)
    assert full["equipment_year"] == 2022
    assert assess_policy(bundled.policy("smb-equipment-deduction-full"), full, bundled, as_of).status == "near_miss"
