"""Batch speed: 1,000 varied businesses through ``python -m app batch`` against the bundled catalog
(read, assess, one HTML handout each, summary.csv), as a CSV roster and as a folder of profiles.

    python bench/bench_batch.py [--count N] [--repeat N]

Prints the median wall time of the whole command in a fresh process (start-up and catalog load
included) and of the in-process run alone. Goal: 1,000 profiles in under 10 s.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app import batch  # noqa: E402
from app.storage.catalog_files import load_catalog  # noqa: E402
from app.engine.facts import CODE_LISTS  # noqa: E402
from app.i18n.locale import Locale  # noqa: E402
from app.storage.paths import bundled_catalog  # noqa: E402

AS_OF = "2026-11-22"
COLUMNS = ["name", "league", "area", "entity_type", "ownership", "sectors", "founded", "employees",
           "revenue", "assets", "taxable_income", "vat", "certifications", "new_certifications",
           "difficulty", "no_layoffs", "rents_state_property", "trucks", "cloud_spend",
           "equipment_value", "beds_mode", "beds", "childcare_slots", "investment"]


def business(rng: random.Random, n: int) -> dict[str, str]:
    """One business as CSV cells: every field sometimes blank (unknown), values of every kind."""
    codes = lambda name: list(CODE_LISTS[name])  # noqa: E731
    maybe = lambda value, p=0.75: value if rng.random() < p else ""  # noqa: E731
    sectors = rng.sample(codes("sectors"), rng.choice((1, 1, 1, 2, 3)))
    certs = rng.sample(codes("certifications"), rng.choice((0, 0, 1, 2)))
    founded = dt.date(2000, 1, 1) + dt.timedelta(days=rng.randrange(9000))
    return {
        "name": f"测试企业{n:04d}{rng.choice(('餐馆', '酒店', '物流', '科技', '养老院', ''))}",
        "league": maybe(rng.choice(codes("league")), 0.9),
        "area": maybe(rng.choice(codes("area"))),
        "entity_type": maybe(rng.choice(codes("entity_type")), 0.9),
        "ownership": maybe(rng.choice(codes("ownership")), 0.5),
        "sectors": maybe(rng.choice(("、", ";")).join(sectors), 0.95),
        "founded": maybe(founded.isoformat()),
        "employees": maybe(str(rng.choice((1, 3, 8, 25, 60, 150, 400, 1200)))),
        "revenue": maybe(rng.choice(("50", "150", "800", "3,000", "1.2亿", "30万"))),
        "assets": maybe(rng.choice(("20", "80", "500", "6000"))),
        "taxable_income": maybe(rng.choice(("5", "20", "120", "400")), 0.5),
        "vat": maybe(rng.choice(codes("vat")), 0.5),
        "certifications": maybe("、".join(certs) or "无", 0.6),
        "new_certifications": maybe(certs[0] if certs and rng.random() < 0.3 else "", 0.5),
        "difficulty": maybe(rng.choice(("是", "否")), 0.4),
        "no_layoffs": maybe(rng.choice(("true", "false")), 0.4),
        "rents_state_property": maybe(rng.choice(("yes", "no")), 0.3),
        "trucks": maybe(str(rng.choice((0, 5, 20, 60))), 0.2),
        "cloud_spend": maybe(str(rng.choice((10, 50, 100))), 0.2),
        "equipment_value": maybe(str(rng.choice((100, 600))), 0.2),
        "beds_mode": maybe(rng.choice(("new", "expand", "lease")), 0.1),
        "beds": maybe(str(rng.choice((20, 100))), 0.1),
        "childcare_slots": maybe(str(rng.choice((30, 60))), 0.1),
        "investment": maybe(str(rng.choice((5000, 60000))), 0.1),
    }


def write_inputs(folder: Path, count: int, seed: int = 7) -> tuple[Path, Path]:
    """A CSV roster and a folder of the same businesses as profile files."""
    rng = random.Random(seed)
    rows = [business(rng, n) for n in range(1, count + 1)]
    roster = folder / "roster.csv"
    with roster.open("w", encoding="utf-8-sig", newline="") as f:
        w = csv.DictWriter(f, COLUMNS)
        w.writeheader()
        w.writerows(rows)
    profiles = folder / "profiles"
    profiles.mkdir()
    catalog = load_catalog(bundled_catalog())
    parser = batch.CellParser(catalog)
    for n, row in enumerate(rows, 1):
        tables: dict[str, list[str]] = {}
        for key, cell in row.items():
            if not cell:
                continue
            fact = catalog.registry.get(key)
            value = parser.parse(fact, cell)
            tables.setdefault(fact.table, []).append(f"{key} = {toml_value(value)}")
        text = "\n".join(f"[{t}]\n" + "\n".join(lines) for t, lines in tables.items()) + "\n"
        (profiles / f"client-{n:04d}.toml").write_text(text, encoding="utf-8")
    return roster, profiles


def toml_value(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float, dt.date)):
        return v.isoformat() if isinstance(v, dt.date) else repr(v)
    if isinstance(v, list):
        return "[" + ", ".join(toml_value(x) for x in v) + "]"
    return '"' + str(v).replace("\\", "\\\\").replace('"', '\\"') + '"'


def command_seconds(source: Path, out: Path) -> float:
    env = dict(os.environ, HUIQI_CONFIG_DIR=str(out.parent / "config"), HUIQI_DATA_DIR=str(out.parent / "data"))
    t0 = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "app", "batch", str(source), "--out", str(out),
                           "--as-of", AS_OF], cwd=ROOT, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - t0
    if done.returncode != 0:
        raise SystemExit(f"batch failed ({done.returncode}): {done.stderr.strip()}")
    return seconds


def in_process(source: Path, out: Path, catalog, workers: int | None) -> tuple[float, batch.BatchResult]:
    t0 = time.perf_counter()
    roster = batch.read_input(source, catalog)
    result = batch.run_batch(roster, catalog, dt.date.fromisoformat(AS_OF), Locale("zh_CN"), out,
                             workers=workers)
    return time.perf_counter() - t0, result


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--count", type=int, default=1000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        roster, profiles = write_inputs(tmp, args.count)
        catalog = load_catalog(bundled_catalog())
        pool = batch.worker_count(args.count)
        load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
        print(f"bundled catalog: {len(catalog.policies)} policies; {args.count} businesses; "
              f"{os.cpu_count()} cores, {pool} worker processes; load average {load:.2f} at start")
        for label, source in (("CSV roster", roster), ("folder of profiles", profiles)):
            cmd = statistics.median(command_seconds(source, tmp / f"out-{label[0]}-{i}")
                                    for i in range(args.repeat))
            serial = statistics.median(in_process(source, tmp / f"s-{label[0]}-{i}", catalog, 1)[0]
                                       for i in range(args.repeat))
            runs = [in_process(source, tmp / f"p-{label[0]}-{i}", catalog, None) for i in range(args.repeat)]
            pooled, result = statistics.median(r[0] for r in runs), runs[-1][1]
            eligible = statistics.mean(line.eligible for line in result.lines if line.ok)
            print(f"  {label}: python -m app batch {cmd:.2f} s (goal < 10 s); in process: "
                  f"one process {serial:.2f} s, {pool} processes {pooled:.2f} s "
                  f"({result.ok} ok, {result.bad} bad, {eligible:.0f} eligible each on average)")


if __name__ == "__main__":
    main()
