"""How useful is the answer? The app's ranking measured against an advisor's relevance labels.

    python bench/bench_relevance.py [--catalog PATH] [--no-pdf] [--persona ID] [--show]

The labels (bench/relevance/personas.toml) were written from the seed texts before looking at
what the app returns; they grade source clauses (document + article): 3 a concrete benefit the
business can get now, 2 worth pursuing now, 1 a general channel, -1 must not be shown as
available. A result's grade is the best grade among the clauses it cites that no earlier result has
already been credited for (labels grade clauses, so one clause is credited once however many
results cite it — two alternatives of one clause, new or leased beds, are one useful answer); a
result whose labelled clauses are all -1 is noise. Unlabelled clauses count 0.

Per persona, and overall (mean over personas), it prints:
- nDCG@10 of the available results (eligible and possible) in the app's order; gain 2^g - 1; the
  ideal is the best list of catalog policies under the same crediting (whatever their status);
- P@5: of the first five available results, the share credited 2 or more, over the most any
  ranking could reach (min(5, clauses graded 2 or more));
- noise: available results resting only on must-not clauses (and, for information, how many
  available results cite a must-not clause among others);
- the size of the apply-now section;
- the Chinese handout's page count (headless Chromium print to PDF, counted with pdfinfo).
Goals (issue 12): nDCG@10 >= 0.85, P@5 >= 0.8, noise 0, apply-now <= 12 for a typical small
business, the Chinese handout on one page for at least 8 personas.
"""

from __future__ import annotations

import argparse
import math
import shutil
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.engine.assessment import AVAILABLE, assess  # noqa: E402
from app.storage.catalog_files import load_catalog  # noqa: E402
from app.i18n.locale import Locale  # noqa: E402
from app.engine.profile import parse_profile  # noqa: E402
from app.render.report import render_html  # noqa: E402

PERSONAS = ROOT / "bench" / "relevance" / "personas.toml"


def grade_of(policy, labels: dict[tuple[str, str], int]) -> int:
    found = [labels[(s.doc.title, s.article)] for s in policy.sources if (s.doc.title, s.article) in labels]
    if not found:
        return 0
    best = max(found)
    return best if best > 0 else (-1 if all(g < 0 for g in found) else 0)


def credited(results, labels: dict[tuple[str, str], int]) -> list[int]:
    """Each result's gain: the best grade among its cited clauses not spent by an earlier result
    (a result spends every clause it cites)."""
    used: set[tuple[str, str]] = set()
    out = []
    for r in results:
        keys = [(s.doc.title, s.article) for s in r.policy.sources if (s.doc.title, s.article) in labels]
        fresh = [k for k in keys if k not in used and labels[k] > 0]
        out.append(max((labels[k] for k in fresh), default=0))
        used.update(k for k in keys if labels[k] > 0)   # a result spends every clause it cites
    return out


def ideal_gains(policies, labels: dict[tuple[str, str], int]) -> list[int]:
    """The best any ranking of the catalog could do under the same crediting: repeatedly take the
    policy with the best uncredited clause (a measure cited in two documents is one answer; two
    alternatives of one clause are one answer)."""
    used: set[tuple[str, str]] = set()
    out = []
    while True:
        best, best_key = 0, None
        for pol in policies:
            for s in pol.sources:
                k = (s.doc.title, s.article)
                if labels.get(k, 0) > best and k not in used:
                    best, best_key = labels[k], (pol, k)
        if best_key is None:
            return out
        pol, _ = best_key
        # the policy is now "shown": every clause it cites is credited or spent
        keys = [(s.doc.title, s.article) for s in pol.sources if labels.get((s.doc.title, s.article), 0) > 0]
        used.update(keys)
        out.append(best)
        policies = [p for p in policies if p is not pol]


def dcg(grades: list[int]) -> float:
    return sum((2 ** g - 1) / math.log2(i + 2) for i, g in enumerate(grades) if g > 0)


def pages(html: str, chromium: str | None) -> int | None:
    if chromium is None or shutil.which("pdfinfo") is None:
        return None
    with tempfile.TemporaryDirectory() as tmp:
        src, pdf = Path(tmp, "h.html"), Path(tmp, "h.pdf")
        src.write_text(html, encoding="utf-8")
        subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                        "--disable-background-networking", "--disable-component-update", "--disable-sync",
                        f"--user-data-dir={tmp}/prof", "--no-pdf-header-footer",
                        f"--print-to-pdf={pdf}", src.as_uri()], capture_output=True, timeout=120)
        if not pdf.exists():
            return None
        out = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
        for line in out.splitlines():
            if line.startswith("Pages:"):
                return int(line.split()[1])
    return None


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--catalog", default=str(ROOT / "policies.toml"))
    ap.add_argument("--no-pdf", action="store_true")
    ap.add_argument("--persona")
    ap.add_argument("--show", action="store_true", help="list the first ten available results with grades")
    args = ap.parse_args()
    catalog = load_catalog(args.catalog, use_cache=False)
    data = tomllib.loads(PERSONAS.read_text(encoding="utf-8"))
    chromium = None if args.no_pdf else (shutil.which("chromium") or shutil.which("chromium-browser"))
    loc = Locale("zh_CN")
    rows = []
    print(f"catalog {catalog.version} ({len(catalog.policies)} policies); labels: {PERSONAS.relative_to(ROOT)}")
    print(f"{'persona':26} {'nDCG@10':>7} {'P@5':>5} {'noise':>5} {'cites-':>6} {'now':>4} {'avail':>5} {'pages':>5}")
    for p in data["persona"]:
        if args.persona and p["id"] != args.persona:
            continue
        labels = {(lab["document"], lab["article"]): lab["grade"] for lab in p.get("label", [])}
        profile = parse_profile(p["profile"], catalog.registry, p["id"])
        a = assess(catalog, profile.facts, p["as_of"])
        available = [r for r in a.shown if r.status in AVAILABLE]
        grades = [grade_of(r.policy, labels) for r in available]
        gains = credited(available, labels)
        ideal = ideal_gains(catalog.policies, labels)
        best = dcg(ideal[:10])
        ndcg = dcg(gains[:10]) / best if best else 1.0
        reachable = min(5, sum(1 for g in ideal if g >= 2))
        p5 = (sum(1 for g in gains[:5] if g >= 2) / reachable) if reachable else 1.0
        noise = sum(1 for g in grades if g < 0)
        cites_bad = sum(1 for r in available if any(labels.get((s.doc.title, s.article), 0) < 0
                                                    for s in r.policy.sources))
        now = len(a.by_section("apply_now"))
        n_pages = pages(render_html(a, loc, p.get("name", "")), chromium)
        rows.append((p, ndcg, p5, noise, cites_bad, now, n_pages))
        print(f"{p['id']:26} {ndcg:7.3f} {p5:5.2f} {noise:5d} {cites_bad:6d} {now:4d} {len(available):5d} "
              f"{'-' if n_pages is None else n_pages:>5}")
        if args.show:
            for r, g in list(zip(available, grades))[:10]:
                print(f"    {g:>2}  {r.section:9} {r.status:9} {r.score:.3f} {r.policy.id}  {r.policy.title}")
            bad = [r.policy.id for r, g in zip(available, grades) if g < 0]
            if bad:
                print(f"    noise: {', '.join(bad)}")
    if not rows:
        return 1
    n = len(rows)
    typical = [r for r in rows if r[0].get("typical")]
    one_page = sum(1 for r in rows if r[6] == 1)
    print("-" * 72)
    print(f"{'mean':26} {sum(r[1] for r in rows) / n:7.3f} {sum(r[2] for r in rows) / n:5.2f} "
          f"{sum(r[3] for r in rows):5d} {sum(r[4] for r in rows):6d}")
    print(f"apply-now, typical small businesses: max {max((r[5] for r in typical), default=0)}, "
          f"over 12: {sum(1 for r in typical if r[5] > 12)}")
    if any(r[6] is not None for r in rows):
        print(f"Chinese handout on one page: {one_page} of {n}; pages: {[r[6] for r in rows]}")
    else:
        print("handout pages: not measured (no chromium/pdfinfo, or --no-pdf)")
    print("goals: nDCG@10 >= 0.85, P@5 >= 0.8, noise 0, apply-now <= 12 (typical), one page for >= 8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
