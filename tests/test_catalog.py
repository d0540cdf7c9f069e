"""The bundled catalog: sound, its examples pass, its quotes are in the sources, every article
accounted for. And the validator reports every kind of problem with its line."""

import re
import unicodedata
from pathlib import Path

import pytest

from app.storage.catalog_files import check_catalog
from app.engine.checks import coverage, run_examples

ROOT = Path(__file__).parent.parent
SEEDS = Path(__file__).parent / "data" / "seeds"


def norm(s: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", s))


def test_bundled_catalog_is_sound():
    assert [str(p) for p in check_catalog(ROOT / "policies.toml")] == []


def test_bundled_examples_pass(bundled):
    count, failures = run_examples(bundled)
    assert count >= len(bundled.policies)
    assert [str(f) for f in failures] == []


def test_every_policy_has_an_example_and_two_steps(bundled):
    for p in bundled.policies:
        assert p.examples, p.id
        assert len(p.steps) >= 2, p.id


def test_every_quote_is_in_its_seed(bundled):
    texts = {}
    for doc in bundled.documents.values():
        name = doc.file.replace(".txt", ".simplified.txt") if doc.traditional else doc.file
        texts[doc.id] = norm((SEEDS / name).read_text(encoding="utf-8"))
    missing = [(p.id, s.article, s.quote[:30]) for p in bundled.policies for s in p.sources
               if norm(s.quote) not in texts[s.doc.id]]
    assert missing == []


def test_no_article_unaccounted(bundled):
    gaps = {d.doc_id: d.unaccounted + d.unknown_cited for d in coverage(bundled)
            if d.unaccounted or d.unknown_cited}
    assert gaps == {}


def test_no_invented_contact_details(bundled):
    pattern = re.compile(r"(https?://|www\.|\d{3,4}-\d{7,8}|电话|邮箱|@)")
    for p in bundled.policies:
        for text in [p.title, p.summary, p.note, *p.steps, *p.materials]:
            assert not pattern.search(text), (p.id, text)


BROKEN = """[catalog]
version = "x"
date = 2026-01-01

[[document]]
id = "d"
title = "T"
issued = "yesterday"
articles = ["1", "2"]

[[policy]]
id = "p1"
title = "t"
summary = "s"
kind = "award"
sources = [{ doc = "d", article = "9", quote = "q" }]
lead = ["x"]
conditions = [{ fact = "moon_phase", eq = 1 }, { fact = "league", in = ["atlantis"] }]
amount = { kind = "percent", rate = 0.2 }
steps = ["only one"]

[[policy]]
id = "p1"
title = "t"
summary = "s"
kind = "award"
sources = [{ doc = "d", article = "1", quote = "q" }]
lead = ["x"]
valid_until = 2022-13-01
steps = ["a", "b"]
"""


def line_of(text: str, needle: str, nth: int = 1) -> int:
    hits = [i for i, line in enumerate(text.splitlines(), 1) if needle in line]
    return hits[nth - 1]


def test_validator_reports_every_problem_with_lines(tmp_path):
    f = tmp_path / "c.toml"
    f.write_text(BROKEN, encoding="utf-8")
    problems = check_catalog(f)
    # 2022-13-01 is not a TOML date: the file does not parse at all; that is said with its line
    assert len(problems) == 1 and "TOML" in problems[0].message
    assert problems[0].line == line_of(BROKEN, "valid_until")
    fixed = BROKEN.replace("valid_until = 2022-13-01", 'valid_until = "soon"')
    f.write_text(fixed, encoding="utf-8")
    text = "\n".join(str(p) for p in check_catalog(f))
    L = lambda needle, nth=1: line_of(fixed, needle, nth)  # noqa: E731
    for needle in [f"c.toml:{L('issued')}: document d: bad date in issued",
                   f"c.toml:{L('sources')}: policy p1: article '9' is not in document d",
                   f"c.toml:{L('conditions')}: policy p1: conditions[0]: unknown fact 'moon_phase'",
                   "unknown code 'atlantis'",
                   f"c.toml:{L('amount')}: policy p1: amount: percent needs its base fact",
                   f"c.toml:{L('steps')}: policy p1: needs at least two steps",
                   "needs at least one [[policy.example]]",
                   f"c.toml:{L('[[policy]]', 2)}: policy: duplicate id 'p1'",
                   f"c.toml:{L('valid_until')}: policy p1: bad date in valid_until"]:
        assert needle in text, (needle, text)


def test_question_missing_for_used_fact(tmp_path, mini):
    src = (Path(__file__).parent / "data" / "mini.toml").read_text(encoding="utf-8")
    src = src.replace('[[question]]\nfact = "beds"\nsection = "plans"\ntext = "床位？"\n', "")
    f = tmp_path / "c.toml"
    f.write_text(src, encoding="utf-8")
    assert any("fact 'beds' is used but no question asks it" in str(p) for p in check_catalog(f))


@pytest.mark.parametrize("garbage", [b"", b"\x00\x01\x02", b"[[policy]]\n[[policy]]\nid = 3\n",
                                     b"policy = 5\n", "[catalog]\nversion = 1\n".encode()])
def test_garbage_catalogs_report_not_crash(tmp_path, garbage):
    f = tmp_path / "g.toml"
    f.write_bytes(garbage)
    problems = check_catalog(f)
    assert problems and all(str(p).startswith(str(f)) for p in problems)


def test_article_lists_match_the_seed_texts(bundled):
    from seed_articles import articles
    docs = list(bundled.documents.values())
    for doc in docs:
        assert list(articles(doc, docs)) == doc.articles, doc.id


def test_every_quote_lies_in_the_article_it_cites(bundled):
    from seed_articles import articles
    docs = list(bundled.documents.values())
    texts = {d.id: {k: norm(v) for k, v in articles(d, docs).items()} for d in docs}
    wrong = [(p.id, s.article, s.quote[:24]) for p in bundled.policies for s in p.sources
             if norm(s.quote) not in texts[s.doc.id].get(s.article, "")]
    assert wrong == []


def _money_forms(yuan) -> set[str]:
    out = {f"{yuan:g}"}
    if yuan >= 10_000:
        out.add(f"{yuan / 10_000:g}万")
    if yuan >= 100_000_000:
        out.add(f"{yuan / 100_000_000:g}亿")
    return out


def test_every_amount_figure_is_in_the_quotes(bundled):
    """Anyone can find a policy's numbers in its quote: each yuan figure (as 30万, 3万, 6000) and
    each rate (as 20%) of its amount appears in the clauses it cites."""
    missing = []
    for p in bundled.policies:
        a = p.amount
        if not a:
            continue
        quotes = norm(" ".join(s.quote for s in p.sources))
        figures = [a[k] for k in ("value", "min", "max", "cap", "per_unit", "per_unit_min", "per_unit_max")
                   if a.get(k)]
        figures += [t[k] for t in a.get("tiers", []) for k in ("value", "min", "max") if t.get(k)]
        for y in figures:
            if not any(f in quotes for f in _money_forms(y)):
                missing.append((p.id, y))
        if "rate" in a and f"{a['rate'] * 100:g}%" not in quotes:
            missing.append((p.id, a["rate"]))
    assert missing == []
