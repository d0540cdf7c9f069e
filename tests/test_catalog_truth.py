"""The catalog tells the truth as of a day: one example per rule of docs/catalog-format.md
("Time", "Who the wording covers", named sets, scope, graded awards), on the bundled catalog."""

from __future__ import annotations

import datetime as dt
import textwrap

import pytest

from app.engine.assessment import assess, assess_policy
from app.storage.catalog_files import check_catalog
from app.i18n.locale import Locale
from app.engine.profile import effective_facts
from app.engine.needed_facts import plan
from app.render.report import lapse_text, render_text, totals_text, validity

TODAY = dt.date(2026, 12, 1)


def result(catalog, pid: str, day: dt.date, **facts):
    policy = catalog.policy(pid)
    assert policy is not None, pid
    eff, _ = effective_facts(facts, day, catalog)
    return assess_policy(policy, eff, catalog, day)


# ---------------------------------------------------------------- time

def test_wuhai_plan_runs_to_the_end_of_2027_and_not_before_its_issue(bundled):
    facts = dict(league="wuhai", entity_type="company", sectors=["catering"])
    pid = "wuhai-trade-promotion"
    assert result(bundled, pid, dt.date(2025, 5, 30), **facts).status == "not_yet"   # issued 2025-05-31
    assert result(bundled, pid, dt.date(2025, 5, 31), **facts).status == "eligible"
    assert result(bundled, pid, dt.date(2027, 12, 31), **facts).status == "eligible"  # last day
    assert result(bundled, pid, dt.date(2028, 1, 1), **facts).status == "expired"


def test_nothing_of_2022_is_available_in_2016(bundled):
    a = assess(bundled, {"league": "hohhot", "entity_type": "company", "sectors": ["software"]},
               dt.date(2016, 6, 1))
    available = [r for r in a.shown if r.status in ("eligible", "possible")]
    assert available == []
    assert any(r.status == "not_yet" for r in a.shown)
    # the day before 2022-04-06 the 2022 package is not yet issued; on the day it is
    pid = "svc-industrial-software-rd"
    facts = dict(entity_type="company", sectors=["software"], industrial_software_rd=200.0)
    assert result(bundled, pid, dt.date(2022, 4, 5), **facts).status == "not_yet"
    assert result(bundled, pid, dt.date(2022, 4, 6), **facts).status == "eligible"


def test_target_year_is_not_the_business_deadline(bundled):
    """「2025年底前对…200名养老护理从业人员进行免费技能培训」 is a goal: training runs with the plan."""
    r = result(bundled, "wuhai-eldercare-training", dt.date(2026, 12, 1),
               league="wuhai", entity_type="company", sectors=["elderly_care"])
    assert r.status in ("eligible", "possible")


@pytest.mark.parametrize("pid", [
    "svc-ecommerce-transformation-award", "svc-joint-marketing-support", "svc-tourism-national-brand-award",
    "svc-culture-tourism-creative-goods", "svc-community-commerce-projects", "svc-appliance-dealer-award",
    "svc-brand-trade-one-case", "svc-retail-leader-hq-subsidy", "svc-above-quota-first-award",
    "svc-ecommerce-base-award", "svc-charging-facility-support", "svc-village-express-subsidy",
    "svc-housekeeping-training-base"])
def test_merged_measure_holds_while_any_source_does(bundled, pid):
    policy = bundled.policy(pid)
    states = {p.source.doc.id: p.state(TODAY) for p in policy.periods()}
    assert states.get("nmg2022_consumption") == "expired"            # the 2022 plan's copy ended
    assert "in_force" in states.values()                              # the standing policy holds it
    assert policy.time_state(TODAY) == "in_force"
    loc = Locale("zh_CN")
    r = assess_policy(policy, {}, bundled, TODAY)
    text = validity(r, loc)
    assert "2022年12月31日" in text and "未注明截止日期" in text       # both periods shown


def test_above_quota_first_award_runs_beside_its_follow_on(bundled):
    facts = dict(entity_type="company", sectors=["retail"], first_above_quota=True,
                 above_quota_years=3, growth_above_average=True)
    assert result(bundled, "svc-above-quota-first-award", TODAY, **facts).status == "eligible"
    assert result(bundled, "svc-above-quota-growth-award", TODAY, **facts).status == "eligible"


# ---------------------------------------------------------------- lapsed

@pytest.mark.parametrize("pid", [
    "svc-ssi-deferral-tourism-catering-retail", "svc-catering-platform-fee-risk-area",
    "svc-catering-retail-disinfection-subsidy", "svc-transport-credit-support", "svc-aviation-bond",
    "svc-elderly-lottery-fund", "smb-association-fee-reduction", "smb-business-interruption-insurance",
    "smb-liability-insurance-extension", "smb-insurance-claims-green-channel",
    "svc-trade-catering-lodging-recovery"])
def test_epidemic_relief_has_lapsed(bundled, pid):
    r = assess_policy(bundled.policy(pid), {}, bundled, TODAY)
    assert r.status == "lapsed" and r.section == "ended"
    words = bundled.policy(pid).lapse.words
    quotes = "".join(s.quote for s in bundled.policy(pid).sources).replace(" ", "")
    assert words and all(w.replace(" ", "") in quotes for w in words)
    text = lapse_text(r, Locale("zh_CN"))
    assert "可能已停止执行，请向主管部门确认" in text and words[0] in text


def test_lapsed_measure_was_available_in_2022(bundled):
    facts = dict(entity_type="company", sectors=["catering"])
    r = result(bundled, "svc-catering-retail-disinfection-subsidy", dt.date(2022, 6, 1), **facts)
    assert r.status in ("eligible", "possible")
    assert result(bundled, "svc-catering-retail-disinfection-subsidy", dt.date(2022, 12, 31), **facts).status \
        in ("eligible", "possible")
    assert result(bundled, "svc-catering-retail-disinfection-subsidy", dt.date(2023, 1, 1), **facts).status == "lapsed"


def test_rrr_funds_of_2021_are_not_a_separate_available_item(bundled):
    """「用好2021年两次降低存款准备金率政策释放的资金」 is one clause of the bank-credit channel, never
    an apply-now item of its own."""
    a = assess(bundled, {"league": "wuhai", "entity_type": "individual", "sectors": ["catering"],
                         "employees": 8, "revenue": 150.0}, TODAY)
    for r in a.by_section("apply_now"):
        assert not any("2021年两次降低存款准备金率" in s.quote for s in r.policy.sources)


def test_questions_serving_only_lapsed_measures_are_not_asked(bundled):
    stated = {"league": "wuhai", "entity_type": "individual", "sectors": ["catering"], "employees": 8}
    asked = {q.fact for q in plan(bundled, stated, TODAY)}
    assert "high_risk_area" not in asked
    assert "smb_ordered_shutdown" not in asked


# ---------------------------------------------------------------- who qualifies

def test_a_nonprofit_is_not_an_enterprise(bundled):
    facts, _ = effective_facts({"entity_type": "nonprofit", "sectors": ["elderly_care"], "employees": 12},
                               TODAY, bundled)
    assert facts["size_class"] == "not_enterprise" and facts["sme"] is False
    assert facts["small_low_profit"] is False
    for pid in ("smb-job-retention-rebate-small", "life-skill-level-recognition"):
        r = result(bundled, pid, TODAY, entity_type="nonprofit", sectors=["elderly_care"], employees=12,
                   no_layoffs=True)
        assert r.status == "ineligible", pid
    # …while the bed subsidy for 社会办非营利性养老机构 is its own
    r = result(bundled, "svc-elderly-beds-new", TODAY, entity_type="nonprofit", sectors=["elderly_care"],
               beds_mode="new", beds=60)
    assert r.status == "eligible"


def test_enterprise_wording_leaves_an_individual_to_ask_the_agency(bundled):
    r = result(bundled, "smb-job-retention-rebate-small", TODAY, entity_type="individual",
               sectors=["resident_service"], employees=3, revenue=40.0, no_layoffs=True)
    assert r.status == "possible" and "entity_accepted" in r.missing
    reason = Locale("zh_CN").reason(r.outcomes[0], bundled, r.policy.id)
    assert "没有点名个体工商户" in reason


def test_hair_salon_is_a_service_business(bundled):
    """The named set 服务业 includes resident_service: a micro salon that kept its staff qualifies."""
    r = result(bundled, "smb-job-retention-rebate-small", TODAY, entity_type="company",
               sectors=["resident_service"], employees=3, revenue=40.0, no_layoffs=True)
    assert r.status == "eligible"


def test_region_outside_the_documents_scope(bundled):
    for league in ("baotou", "ordos"):
        for pid in ("hhht-permit-mutual-recognition", "hhht-realestate-same-city"):
            assert result(bundled, pid, TODAY, league=league, entity_type="company",
                          sectors=["real_estate"]).status == "ineligible"
    r = result(bundled, "svc-crossborder-zone-support", TODAY, league="hulunbuir", entity_type="company",
               sectors=["crossborder_ecommerce"], in_crossborder_zone=False)
    assert r.status == "ineligible"


# ---------------------------------------------------------------- amounts

def test_graded_award_needs_its_grading(bundled):
    r = result(bundled, "svc-housekeeping-rating-award", TODAY, entity_type="company", sectors=["housekeeping"])
    assert r.status == "possible" and "housekeeping_graded" in r.missing
    assert r.amount.min == 0 and r.amount.max == 300000


def test_cloud_subsidies_count_once(bundled):
    a = assess(bundled, {"entity_type": "company", "sectors": ["manufacturing"], "employees": 50,
                         "revenue": 3000.0, "cloud_spend": 800.0, "certifications": ["zjtx_sme"]}, TODAY)
    cloud = [r for r in a.shown if r.policy.id in ("smb-cloud-equipment-subsidy", "smb-cloud-benchmark-subsidy")
             and r.status in ("eligible", "possible")]
    assert len({r.policy.group for r in cloud}) == 1 and sum(1 for r in cloud if r.group_choice) == 1


def test_total_is_never_a_bare_zero(bundled):
    loc = Locale("zh_CN")
    a = assess(bundled, {"league": "wuhai", "entity_type": "individual", "sectors": ["catering"],
                         "employees": 8, "revenue": 150.0}, TODAY)
    text = totals_text(a, loc)
    assert text not in ("0元", "0") and "0元" not in text.split("；")
    report = render_text(a, loc, "老王餐馆")
    assert "：0元" not in report and ": 0元" not in report


# ---------------------------------------------------------------- near misses

def test_no_near_miss_from_another_sectors_pilot(bundled):
    a = assess(bundled, {"league": "wuhai", "entity_type": "company", "sectors": ["catering"],
                         "employees": 8, "revenue": 150.0, "certifications": ["high_tech"]}, TODAY)
    near = {r.policy.id for r in a.by_status("near_miss")}
    assert "svc-multimodal-pilot-award" not in near
    for r in a.by_status("near_miss"):
        for o in r.failing:
            text = Locale("zh_CN").reason(o, bundled, r.policy.id)
            assert "国家高新技术企业" not in text or "高新" in r.policy.title    # its own fact's value only


def test_bed_alternatives_are_not_near_misses_of_each_other(bundled):
    a = assess(bundled, {"league": "ordos", "entity_type": "nonprofit", "sectors": ["elderly_care"],
                         "beds_mode": "new", "beds": 60}, TODAY)
    status = {r.policy.id: r.status for r in a.results}
    assert status["svc-elderly-beds-new"] == "eligible"
    assert status["svc-elderly-beds-expand"] == "ineligible"
    assert status["svc-elderly-beds-lease"] == "ineligible"


# ---------------------------------------------------------------- catalog check

CHECK_BASE = """
[catalog]
version = "t"
date = 2026-01-01
[[document]]
id = "hh"
title = "呼和浩特市推进呼包鄂协同发展实施意见"
region = ["hohhot"]
not_before = 2019-01-01
age_text = "未注明发布日期"
articles = ["1"]
[[set]]
id = "svc"
list = "sectors"
label = "服务业"
values = ["catering", "retail", "hotel", "homestay", "wholesale"]
[[policy]]
id = "p"
title = "t"
summary = "s"
kind = "service"
sources = [{ doc = "hh", article = "1", quote = "受新冠肺炎疫情影响的企业" }]
lead = ["a"]
steps = ["a", "b"]
"""


@pytest.mark.parametrize("extra,expected", [
    ('region = ["hohhot", "baotou"]\n', "outside its document's scope"),
    ('conditions = [{ fact = "sectors", has_any = ["catering", "retail", "hotel", "homestay", "wholesale"] }]\n',
     "named set '@svc'"),
    ('conditions = [{ fact = "sectors", has_any = "@nope" }]\n', "unknown named set"),
    ('lapsed = { since = 2023-01-01, reason = "r", words = ["防疫、消杀"] }\n', "not in the policy's quotes"),
    ('entities = ["firm"]\n', "entities must list"),
    ('delivers = "cash"\n', "delivers must be one of"),
])
def test_catalog_check_reports_the_new_problems(tmp_path, extra, expected):
    path = tmp_path / "c.toml"
    path.write_text(textwrap.dedent(CHECK_BASE) + extra + '[[policy.example]]\nas_of = 2026-01-01\nfacts = {}\n'
                    'status = "eligible"\n', encoding="utf-8")
    problems = [str(p) for p in check_catalog(path)]
    assert any(expected in p for p in problems), problems


def test_catalog_check_accepts_a_set_reference_and_a_sound_lapse(tmp_path):
    path = tmp_path / "c.toml"
    questions = '[[question]]\nfact = "league"\nsection = "basic"\ntext = "盟市？"\n' \
                '[[question]]\nfact = "sectors"\nsection = "basic"\ntext = "行业？"\n'
    path.write_text(questions + textwrap.dedent(CHECK_BASE)
                    + 'conditions = [{ fact = "sectors", has_any = "@svc" }]\n'
                    + 'lapsed = { since = 2023-01-01, reason = "r", words = ["受新冠肺炎疫情影响"] }\n'
                    + '[[policy.example]]\nas_of = 2026-01-01\nfacts = { sectors = ["retail"] }\nstatus = "lapsed"\n',
                    encoding="utf-8")
    assert [str(p) for p in check_catalog(path)] == []


def test_bundled_catalog_is_clean():
    from pathlib import Path
    assert [str(p) for p in check_catalog(Path(__file__).parent.parent / "policies.toml")] == []
