"""Property tests (hypothesis): random profiles never crash the engine; forgetting an answer never
turns an available policy ineligible; no amount exceeds its cap; random catalogs are reported on,
never crash the checker."""

import datetime as dt
import tomllib

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.engine.assessment import assess
from app.engine.catalog import build
from app.storage.catalog_files import check_catalog
from app.engine.facts import BOOL, CODE, CODES, DATE, INT, MONEY, NUMBER, TEXT
from app.engine.profile import ProfileError, parse_profile

from conftest import ROOT
from app.storage.catalog_files import load_catalog

CATALOG = load_catalog(ROOT / "policies.toml")
REG = CATALOG.registry
ASKED = [f for f in CATALOG.questions if REG.get(f) and not REG.get(f).derived]
AS_OF = dt.date(2026, 11, 22)
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def value_for(name):
    fact = REG.get(name)
    codes = sorted(REG.codes.get(fact.codes or "", {}))
    return {
        BOOL: st.booleans(),
        INT: st.integers(0, 10**7),
        MONEY: st.floats(0, 1e7, allow_nan=False),
        NUMBER: st.floats(0, 1e7, allow_nan=False),
        DATE: st.dates(dt.date(1950, 1, 1), dt.date(2030, 12, 31)),
        CODE: st.sampled_from(codes) if codes else st.none(),
        CODES: st.lists(st.sampled_from(codes), max_size=4, unique=True) if codes else st.none(),
        TEXT: st.text(max_size=20),
    }[fact.type]


@st.composite
def profiles(draw):
    names = draw(st.lists(st.sampled_from(ASKED), unique=True, max_size=25))
    facts = {}
    for n in names:
        v = draw(value_for(n))
        if v is not None:
            facts[n] = v
    return facts


@SETTINGS
@given(profiles(), st.dates(dt.date(2015, 1, 1), dt.date(2030, 1, 1)))
def test_random_profiles_never_crash_and_amounts_respect_caps(facts, as_of):
    a = assess(CATALOG, facts, as_of, include_ineligible=True)
    assert len(a.results) == len(CATALOG.policies)
    for r in a.results:
        assert 0 <= r.score <= 1
        spec = r.policy.amount
        if r.amount is not None and r.amount.max is not None:
            assert 0 <= (r.amount.min or 0) <= r.amount.max
            if spec.get("cap") is not None:
                assert r.amount.max <= spec["cap"]
            if spec["kind"] == "range":
                assert r.amount.max <= spec["max"]
            if spec["kind"] == "fixed":
                assert r.amount.max == spec["value"]


@SETTINGS
@given(profiles(), st.data())
def test_forgetting_an_answer_never_makes_a_policy_ineligible(facts, data):
    if not facts:
        return
    before = {r.policy.id: r.status for r in assess(CATALOG, facts, AS_OF, include_ineligible=True).results}
    forget = data.draw(st.sampled_from(sorted(facts)))
    fewer = {k: v for k, v in facts.items() if k != forget}
    after = {r.policy.id: r.status for r in assess(CATALOG, fewer, AS_OF, include_ineligible=True).results}
    for pid, status in before.items():
        if status in ("eligible", "possible", "near_miss", "expired", "not_yet", "draft"):
            assert after[pid] != "ineligible", (pid, forget, status)


WRONG = st.one_of(st.text(max_size=5), st.integers(-5, 5), st.floats(allow_nan=True),
                  st.booleans(), st.lists(st.integers(), max_size=2), st.dates())


@SETTINGS
@given(st.dictionaries(st.sampled_from(["business", "situation", "plans", "extra"]),
                       st.dictionaries(st.sampled_from(ASKED + ["nonsense"]), WRONG, max_size=6),
                       max_size=3))
def test_wrong_typed_profiles_are_rejected_cleanly_or_accepted(data):
    try:
        profile = parse_profile(data, REG, "random.toml")
    except ProfileError as exc:
        assert exc.file == "random.toml" and exc.key.startswith(("expected.", "warn."))
        return
    assess(CATALOG, profile.facts, AS_OF)


TOML_VALUES = st.recursive(
    st.one_of(st.text(max_size=8), st.integers(-3, 3), st.booleans(), st.dates()),
    lambda inner: st.one_of(st.lists(inner, max_size=3),
                            st.dictionaries(st.sampled_from(["id", "fact", "kind", "doc", "all", "any",
                                                             "not", "in", "lte", "value", "when"]),
                                            inner, max_size=3)),
    max_leaves=8)


@SETTINGS
@given(st.dictionaries(st.sampled_from(["catalog", "document", "question", "policy", "excluded",
                                        "group", "code", "junk"]),
                       st.one_of(TOML_VALUES, st.lists(st.dictionaries(
                           st.sampled_from(["id", "title", "summary", "kind", "sources", "lead",
                                            "conditions", "amount", "steps", "example", "fact",
                                            "section", "text", "doc", "article", "reason", "list",
                                            "value", "label", "type", "table", "articles"]),
                           TOML_VALUES, max_size=8), max_size=3)),
                       max_size=6))
def test_random_catalogs_are_reported_never_crash(data):
    catalog, problems = build(data, "", "random.toml")
    assert isinstance(problems, list)


@settings(max_examples=40, deadline=None)
@given(st.binary(max_size=200))
def test_random_bytes_as_catalog_file(tmp_path_factory, blob):
    f = tmp_path_factory.mktemp("c") / "c.toml"
    f.write_bytes(blob)
    problems = check_catalog(f)
    try:
        text = blob.decode("utf-8")
        tomllib.loads(text[1:] if text.startswith("\ufeff") else text)   # a leading BOM is accepted
    except (UnicodeDecodeError, tomllib.TOMLDecodeError):
        assert problems and "TOML" in problems[0].message or "UTF-8" in problems[0].message
