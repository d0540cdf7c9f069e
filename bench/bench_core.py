"""Core speed: load + match of the bundled catalog for one profile, and a catalog replicated to
10,000 policies against tomllib's bare parse of the same file.

    python bench/bench_core.py [--repeat N]

Prints medians in milliseconds. Goals (issue 2): bundled load+match < 20 ms in process;
10,000-policy `assess --catalog` within 1.5x of the bare parse.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import statistics
import sys
import tempfile
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.engine.assessment import assess  # noqa: E402
from app.storage.catalog_files import load_catalog  # noqa: E402
from app.storage.paths import bundled_catalog  # noqa: E402

PROFILE = {"name": "某某餐馆", "league": "wuhai", "entity_type": "individual", "sectors": ["catering"],
           "employees": 8, "revenue": 150.0, "assets": 80.0, "certifications": []}
AS_OF = dt.date(2026, 11, 22)


def median_ms(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def replicate(text: str, target: int) -> str:
    """The catalog with its [[policy]] blocks (and their examples) repeated, ids made unique,
    up to `target` policies; everything else kept once."""
    rest: list[str] = []
    blocks: list[list[str]] = []
    in_policy = False
    for line in text.splitlines():
        header = re.match(r"^\s*\[\[?\s*([A-Za-z_.]+)\s*\]\]?\s*$", line)
        if header:
            name = header.group(1)
            if name == "policy":
                blocks.append([])
                in_policy = True
            elif not name.startswith("policy."):
                in_policy = False
        (blocks[-1] if in_policy else rest).append(line)
    out, n = ["\n".join(rest)], 0
    while n < target:
        for b in blocks:
            if n >= target:
                break
            body = "\n".join(b)
            out.append(re.sub(r'^id = "([^"]+)"', lambda mm: f'id = "{mm.group(1)}-r{n}"', body,
                              count=1, flags=re.M))
            n += 1
    return "\n".join(out) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=15)
    ap.add_argument("--size", type=int, default=10_000)
    args = ap.parse_args()
    path = bundled_catalog()
    catalog = load_catalog(path)
    n = len(catalog.policies)

    load = median_ms(lambda: load_catalog(path), args.repeat)
    match = median_ms(lambda: assess(catalog, PROFILE, AS_OF), args.repeat)
    both = median_ms(lambda: assess(load_catalog(path), PROFILE, AS_OF), args.repeat)
    cold = median_ms(lambda: assess(load_catalog(path, use_cache=False), PROFILE, AS_OF), args.repeat)
    bare_small = median_ms(lambda: tomllib.loads(path.read_text(encoding="utf-8")), args.repeat)
    print(f"bundled catalog: {n} policies")
    print(f"  warm (parse cache): load {load:.1f} ms, match {match:.1f} ms, load+match {both:.1f} ms (goal < 20 ms)")
    print(f"  cold (first start after a catalog change): load+validate+match {cold:.1f} ms; tomllib alone {bare_small:.1f} ms")

    big = replicate(path.read_text(encoding="utf-8"), args.size)
    with tempfile.TemporaryDirectory() as tmp:
        big_path = Path(tmp) / "big.toml"
        big_path.write_text(big, encoding="utf-8")
        size_mb = big_path.stat().st_size / 1e6
        reps = max(3, args.repeat // 3)
        bare = median_ms(lambda: tomllib.loads(big_path.read_text(encoding="utf-8")), reps)
        cold_big = median_ms(lambda: assess(load_catalog(big_path, use_cache=False), PROFILE, AS_OF), reps)
        full = median_ms(lambda: assess(load_catalog(big_path), PROFILE, AS_OF), reps)
        count = len(load_catalog(big_path).policies)
    print(f"replicated catalog: {count} policies, {size_mb:.1f} MB; tomllib bare parse {bare:.0f} ms")
    print(f"  cold: parse+validate+match {cold_big:.0f} ms, ratio {cold_big / bare:.2f} (goal <= 1.5)")
    print(f"  warm: cached load+match {full:.0f} ms, ratio {full / bare:.2f}")


if __name__ == "__main__":
    main()
