"""Check the relevance set in personas.toml.

    python bench/relevance/check_labels.py        (from the repository root; exit 0 when clean)

Checks, per persona:
- the entry's own keys (id, name, description, as_of, typical, profile, label);
- the profile reads with the app's profile reader (app.engine.profile.parse_profile) against the
  facts and codes the catalog declares — only the catalog's [[question]] and [[code]] entries are
  read here, never its policies — with no unknown field;
- the profile is full: every question whose ask_if holds on the stated facts is answered, except
  number/code plans the business does not have (an absent plan is "no such plan");
- every label names a document of CONTRACT table D and an article that tests/seed_articles.py
  finds in the seed text, has a grade in {3, 2, 1, -1} and a why, and is not repeated;
- the time and region rules of README.md: nothing from the draft (000) or from the 2022
  consumption plan is graded positive; the Wuhai plan is positive only for wuhai and the Hohhot
  document only for hohhot.
Then prints the counts of labels by grade per persona.
"""

from __future__ import annotations

import datetime as dt
import sys
import tomllib
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

from app.engine.facts import CODE, CODES, TABLES, TYPES, Fact, FactRegistry  # noqa: E402
from app.engine.profile import ProfileError, parse_profile  # noqa: E402
from seed_index import DOCS, index  # noqa: E402

AS_OF = dt.date(2026, 12, 1)
DRAFT = "内蒙古自治区推动现代服务业产业集群发展实施方案（征求意见稿）"
PLAN_2022 = "内蒙古自治区消费促进2022年行动方案"
WUHAI = "乌海市促进服务业高质量发展三年攻坚行动实施方案"
HOHHOT = "呼和浩特市推进呼包鄂协同发展实施意见"
GRADES = {3, 2, 1, -1}
POSITIVE_RANGE, NEGATIVE_RANGE = (6, 20), (5, 15)


def registry_and_questions(catalog: Path) -> tuple[FactRegistry, list[dict]]:
    """The fact registry as the catalog extends it, built from [[code]] and [[question]] only."""
    data = tomllib.loads(catalog.read_text(encoding="utf-8"))
    reg = FactRegistry()
    for c in data.get("code", []):
        reg.codes.setdefault(c["list"], {})[c["value"]] = c["label"]
    questions = data.get("question", [])
    for q in questions:
        name = q["fact"]
        if reg.get(name) is None and "type" in q:
            assert q["type"] in TYPES and q["table"] in TABLES, q
            codes = None
            if q["type"] in (CODE, CODES):
                codes = f"fact:{name}"
                reg.codes[codes] = {ch["value"]: ch.get("label", ch["value"]) for ch in q["choices"]}
            reg.facts[name] = Fact(name, q["table"], q["type"], codes,
                                   changeable=bool(q.get("changeable", q["table"] == "plans")))
    return reg, questions


# Named sets of the catalog ([[set]]): an ask_if may say has_any = "@trade".
SETS = {e["id"]: e["values"] for e in tomllib.loads((ROOT / "policies.toml").read_text(encoding="utf-8")).get("set", [])}


def ask_if_holds(cond: dict | None, facts: dict) -> bool | None:
    """True/False on the stated facts; None when the fact it rests on is not stated."""
    if not cond:
        return True
    if "all" in cond or "any" in cond:
        parts = [ask_if_holds(c, facts) for c in cond.get("all", cond.get("any"))]
        if "all" in cond:
            return False if False in parts else (None if None in parts else True)
        return True if True in parts else (None if None in parts else False)
    for op in ("in", "has_any"):
        if isinstance(cond.get(op), str) and cond[op].startswith("@"):
            cond = {**cond, op: SETS[cond[op][1:]]}
    value = facts.get(cond["fact"])
    if cond["fact"] == "certifications" and value is not None:
        value = list(value) + list(facts.get("new_certifications") or [])
    if value is None:
        return None
    if "in" in cond:
        return value in cond["in"]
    if "eq" in cond:
        return value == cond["eq"]
    if "has" in cond:
        return cond["has"] in value
    if "has_any" in cond:
        return any(v in value for v in cond["has_any"])
    if "gte" in cond:
        return value >= cond["gte"]
    raise ValueError(f"unhandled ask_if {cond}")


def main() -> int:
    problems: list[str] = []
    personas = tomllib.loads((HERE / "personas.toml").read_text(encoding="utf-8"))["persona"]
    reg, questions = registry_and_questions(ROOT / "policies.toml")
    articles = index()
    titles = {d.title for d in DOCS}
    seen_ids: set[str] = set()
    rows = []
    for n, p in enumerate(personas):
        pid = p.get("id", f"#{n}")
        bad = lambda msg: problems.append(f"{pid}: {msg}")  # noqa: E731
        for key, kind in (("id", str), ("name", str), ("description", str), ("as_of", dt.date),
                          ("typical", bool), ("profile", dict), ("label", list)):
            if not isinstance(p.get(key), kind):
                bad(f"'{key}' missing or not {kind.__name__}")
        if pid in seen_ids:
            bad("duplicate id")
        seen_ids.add(pid)
        if p.get("as_of") != AS_OF:
            bad(f"as_of is {p.get('as_of')}, expected {AS_OF}")

        # the profile, through the app's reader
        try:
            prof = parse_profile(p.get("profile", {}), reg, file=f"personas.toml[{pid}]")
        except ProfileError as exc:
            bad(f"profile does not read: {exc}")
            continue
        for key, params in prof.warnings:
            bad(f"profile warning {key} {params}")
        facts = prof.facts
        for q in questions:
            name = q["fact"]
            fact = reg.get(name)
            if name in facts or ask_if_holds(q.get("ask_if"), facts) is not True:
                continue
            if fact.table == "plans" and fact.type != "bool":
                continue          # a number/code plan the business does not have
            bad(f"question '{name}' ({fact.table}) applies but is not answered")

        # the labels
        league = facts.get("league")
        seen: set[tuple[str, str]] = set()
        count = {3: 0, 2: 0, 1: 0, -1: 0}
        for lab in p.get("label", []):
            doc, art, grade, why = lab.get("document"), lab.get("article"), lab.get("grade"), lab.get("why")
            where = f"label {doc} {art}"
            if doc not in titles:
                bad(f"{where}: unknown document"); continue
            if art not in articles[doc]:
                bad(f"{where}: no such article in the seed text"); continue
            if grade not in GRADES:
                bad(f"{where}: grade {grade!r} not in {sorted(GRADES)}"); continue
            if not isinstance(why, str) or not why.strip():
                bad(f"{where}: no why")
            if (doc, art) in seen:
                bad(f"{where}: labelled twice")
            seen.add((doc, art))
            count[grade] += 1
            if grade > 0 and doc in (DRAFT, PLAN_2022):
                bad(f"{where}: draft / ended 2022 plan graded positive")
            if grade > 0 and doc == WUHAI and league != "wuhai":
                bad(f"{where}: Wuhai plan graded positive outside wuhai")
            if grade > 0 and doc == HOHHOT and league != "hohhot":
                bad(f"{where}: Hohhot document graded positive outside hohhot")
        pos, neg = count[3] + count[2] + count[1], count[-1]
        if not POSITIVE_RANGE[0] <= pos <= POSITIVE_RANGE[1]:
            bad(f"{pos} positive labels, aim is {POSITIVE_RANGE}")
        if not NEGATIVE_RANGE[0] <= neg <= NEGATIVE_RANGE[1]:
            bad(f"{neg} must-not labels, aim is {NEGATIVE_RANGE}")
        rows.append((pid, league, p.get("typical"), count))

    print(f"{'persona':24} {'league':10} typical   3   2   1  -1")
    for pid, league, typical, c in rows:
        print(f"{pid:24} {str(league):10} {str(typical):7} {c[3]:3} {c[2]:3} {c[1]:3} {c[-1]:3}")
    tot = {g: sum(r[3][g] for r in rows) for g in (3, 2, 1, -1)}
    print(f"{'total':24} {'':10} {'':7} {tot[3]:3} {tot[2]:3} {tot[1]:3} {tot[-1]:3}")
    leagues = {r[1] for r in rows}
    for need in ("wuhai", "hohhot"):
        if need not in leagues:
            problems.append(f"no persona in {need}")
    for need in ("wuhai-restaurant", "hohhot-software", "ordos-nursing-home"):
        if need not in seen_ids:
            problems.append(f"required persona {need} missing")
    if len(rows) < 12:
        problems.append(f"only {len(rows)} personas, need at least 12")
    for msg in problems:
        print("PROBLEM:", msg)
    print("clean" if not problems else f"{len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
