"""Dump what the engine answers, to prove a refactor changes nothing.

    python tests/scripts/dump_assess.py OUTDIR

For every persona in bench/relevance/personas.toml, with its full profile and with partial
profiles (the first 0, 3, 6 answered facts), at as_of 2026-12-01 and 2022-06-01: the assess JSON
(zh_CN and en, with --all), the text report, and the planner's ranked questions with their
weights. Also every policy example of the bundled catalog and of tests/data/*.toml. Compare two
dumps with `diff -r`.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from app.engine.assessment import assess  # noqa: E402
from app.storage.catalog_files import load_catalog  # noqa: E402
from app.engine.planner import ranked_questions  # noqa: E402
from app.engine.profile import parse_profile  # noqa: E402
from app.i18n.locale import Locale  # noqa: E402
from app.render.report import RENDERERS, render_json  # noqa: E402

DATES = (dt.date(2026, 12, 1), dt.date(2022, 6, 1))


def main() -> int:
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    catalog = load_catalog(ROOT / "policies.toml")
    locs = {lang: Locale(lang) for lang in ("zh_CN", "en")}
    data = tomllib.loads((ROOT / "bench/relevance/personas.toml").read_text(encoding="utf-8"))
    for p in data["persona"]:
        profile = parse_profile(p["profile"], catalog.registry, p["id"])
        for as_of in DATES:
            a = assess(catalog, profile.facts, as_of, include_ineligible=True)
            for lang, loc in locs.items():
                (out / f"{p['id']}-{as_of}-{lang}.json").write_text(render_json(a, loc) + "\n", encoding="utf-8")
                (out / f"{p['id']}-{as_of}-{lang}.txt").write_text(
                    RENDERERS["text"](a, loc, profile.name, profile.warnings), encoding="utf-8")
            lines = []
            stated_all = {k: v for k, v in profile.facts.items() if v is not None}
            keys = list(stated_all)
            for n in (0, 3, 6, 10, len(keys)):
                stated = {k: stated_all[k] for k in keys[:n]}
                for w in ranked_questions(catalog, stated, frozenset(), as_of):
                    lines.append(f"{n} {w.question.fact} {w.weight!r} {w.policies!r}")
            (out / f"{p['id']}-{as_of}-plan.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    for path in [ROOT / "policies.toml", *sorted((ROOT / "tests/data").glob("*.toml"))]:
        cat = load_catalog(path)
        lines = []
        for pol in cat.policies:
            for i, ex in enumerate(getattr(pol, "examples", []) or []):
                a = assess(cat, ex.facts, ex.as_of, include_ineligible=True)
                r = next((r for r in a.results if r.policy.id == pol.id), None)
                lines.append(json.dumps({"policy": pol.id, "i": i, "json": json.loads(render_json(a, locs["zh_CN"])),
                                         "status": getattr(r, "status", None)}, ensure_ascii=False, sort_keys=True,
                                        default=str))
        (out / f"examples-{path.stem}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
