import pytest

from app.engine.amounts import compute, validate
from app.engine.facts import FactRegistry

R = FactRegistry()


def amt(spec, **facts):
    a = compute(spec, facts, R)
    return a.min, a.max


def test_fixed_and_range():
    assert amt({"kind": "fixed", "value": 300000}) == (300000, 300000)
    assert amt({"kind": "range", "min": 0, "max": 1000000}) == (0, 1000000)


def test_percent_with_cap_and_boundary():
    spec = {"kind": "percent", "fact": "cloud_spend", "rate": 0.2, "cap": 3000000}
    assert amt(spec, cloud_spend=100) == (200000, 200000)          # 100万 × 20% = 20万
    assert amt(spec, cloud_spend=1500) == (3000000, 3000000)       # exactly at the cap
    assert amt(spec, cloud_spend=1500.01) == (3000000, 3000000)    # past it: capped
    assert amt(spec, cloud_spend=1499.99) == (2999980, 2999980)


def test_percent_up_to_and_unknown_base():
    spec = {"kind": "percent", "fact": "cloud_spend", "rate": 0.3, "up_to": True, "cap": 1000000}
    assert amt(spec, cloud_spend=100) == (0, 300000)
    a = compute(spec, {}, R)
    assert (a.min, a.max) == (0, 1000000) and a.needs == ["cloud_spend"]
    a = compute({"kind": "percent", "fact": "cloud_spend", "rate": 0.2}, {}, R)
    assert not a.known and a.needs == ["cloud_spend"]


def test_per_unit_counts_and_ranges():
    assert amt({"kind": "per_unit", "fact": "beds", "per_unit": 10000}, beds=100) == (1000000, 1000000)
    assert amt({"kind": "per_unit", "fact": "beds", "per_unit_min": 100, "per_unit_max": 300,
                "period": "month"}, beds=50) == (5000, 15000)
    assert amt({"kind": "per_unit", "fact": "beds", "per_unit": 10000, "cap": 500000}, beds=100) == (500000, 500000)


def test_tiers_pick_first_true_and_span_unknown():
    spec = {"kind": "tiered", "tiers": [
        {"when": {"fact": "certifications", "has": "little_giant"}, "value": 1000000},
        {"when": {"fact": "certifications", "has": "zjtx_sme"}, "value": 500000},
        {"when": {"fact": "certifications", "has": "innovative_sme"}, "value": 200000}]}
    assert amt(spec, certifications=["innovative_sme", "zjtx_sme"]) == (500000, 500000)
    assert amt(spec, certifications=["little_giant", "zjtx_sme"]) == (1000000, 1000000)
    a = compute(spec, {}, R)   # unknown: any tier possible
    assert (a.min, a.max) == (200000, 1000000) and a.needs == ["certifications"]
    assert compute(spec, {"certifications": []}, R).known is False


@pytest.mark.parametrize("spec,needle", [
    ({"kind": "percent", "rate": 0.2}, "base fact"),
    ({"kind": "per_unit", "per_unit": 5}, "base fact"),
    ({"kind": "percent", "fact": "cloud_spend", "rate": 20}, "fraction"),
    ({"kind": "percent", "fact": "league", "rate": 0.2}, "not a number"),
    ({"kind": "range", "min": 5, "max": 1}, "min is above max"),
    ({"kind": "fixed"}, "needs 'value'"),
    ({"kind": "magic"}, "kind must be"),
    ({"kind": "fixed", "value": 1, "period": "week"}, "period"),
])
def test_amount_validation(spec, needle):
    assert any(needle in p for p in validate(spec, R)), validate(spec, R)
