"""How many questions does a business answer? The engine driven with full facts, question by question.

    python bench/bench_questions.py [--persona ID] [--show]

For each persona of bench/relevance/personas.toml (full facts as the business would answer), it
starts from nothing and asks what the engine would ask next (``app.engine.planner.next_question``),
answering from the persona's facts (a fact the persona does not state is skipped, as 「不确定」),
until the engine has nothing more to ask. It prints per persona:
- asked: questions asked to the end;
- settled: questions until the answer's first three sections (apply now, confirm, pursue: which
  policies, in which section) reach their final content;
- stop: the question after which the engine said no remaining question can change the first three
  sections (it offers the results there), or '-' if it never did;
and the median and maximum. Goals (issue 13): median settled <= 12, no typical small business asked
more than 20 in all.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.engine.assessment import assess  # noqa: E402
from app.storage.catalog_files import load_catalog  # noqa: E402
from app.engine.planner import answer_changes_nothing, next_question  # noqa: E402
from app.engine.profile import parse_profile  # noqa: E402
from app.engine.needed_facts import active_facts, implied_answers  # noqa: E402

PERSONAS = ROOT / "bench" / "relevance" / "personas.toml"
TOP = ("apply_now", "confirm", "pursue")


def top_sections(catalog, stated, as_of) -> tuple:
    a = assess(catalog, active_facts(catalog, stated, as_of), as_of)
    return tuple((r.policy.id, r.section) for r in a.shown if r.section in TOP)


def run(catalog, full: dict, as_of, show: bool = False):
    stated: dict = {}
    seen: set[str] = set()
    states = [top_sections(catalog, stated, as_of)]
    order = []
    stop_at = None
    while True:
        q = next_question(catalog, stated, seen, as_of)
        if q is None:
            break
        seen.add(q.fact)
        order.append(q.fact)
        if q.fact in full:
            stated[q.fact] = full[q.fact]
            for name, value in implied_answers(q.fact, full[q.fact]).items():
                stated.setdefault(name, value)
                seen.add(name)
        states.append(top_sections(catalog, stated, as_of))
        if stop_at is None and answer_changes_nothing(catalog, stated, seen, as_of):
            stop_at = len(order)
        if len(order) > 200:
            raise RuntimeError("runaway questionnaire")
    final = states[-1]
    settled = next(i for i in range(len(states)) if all(s == final for s in states[i:]))
    if show:
        print("    " + " ".join(order))
    return len(order), settled, stop_at


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--persona")
    ap.add_argument("--show", action="store_true")
    args = ap.parse_args()
    catalog = load_catalog(ROOT / "policies.toml", use_cache=False)
    personas = tomllib.loads(PERSONAS.read_text(encoding="utf-8"))["persona"]
    rows = []
    print(f"{'persona':26} {'asked':>5} {'settled':>7} {'stop':>5}")
    for p in personas:
        if args.persona and p["id"] != args.persona:
            continue
        full = parse_profile(p["profile"], catalog.registry, p["id"]).facts
        full.setdefault("name", p.get("name", ""))
        asked, settled, stop = run(catalog, full, p["as_of"], args.show)
        rows.append((p, asked, settled, stop))
        print(f"{p['id']:26} {asked:5d} {settled:7d} {'-' if stop is None else stop:>5}")
    typical = [r for r in rows if r[0].get("typical")]
    print("-" * 48)
    print(f"median: asked {statistics.median(r[1] for r in rows)}, settled {statistics.median(r[2] for r in rows)}")
    print(f"max: asked {max(r[1] for r in rows)}, settled {max(r[2] for r in rows)}; "
          f"typical asked over 20: {sum(1 for r in typical if r[1] > 20)}")
    print("goals: median settled <= 12; no typical small business asked more than 20 in all")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
