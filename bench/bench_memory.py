"""Peak memory (max RSS) of the interactive app with the bundled catalog, against a bare Textual
app, the core alone and the bare interpreter.

    python bench/bench_memory.py [--runs N]

Each figure is a new Python process (the same interpreter) that does one thing and reports its
own peak resident set size (VmHWM from /proc/self/status, else getrusage's ru_maxrss):

- python: the interpreter started, nothing imported (the floor);
- core: the bundled catalog loaded and the Wuhai restaurant assessed, no UI;
- bare Textual: a one-Static app started headless at 80x24 and painted;
- Huiqi: the app started headless at 80x24 (App.run_test), the bundled catalog read, and the
  restaurant walked with the keyboard through every question to the results screen (the same
  walk as tests/test_tui_walk.py, via tests/tui_driver.py), then the first result opened.

The core and Huiqi are measured twice: with the catalog's parse cache (every start but the first
after a catalog change) and with HUIQI_NO_CACHE=1 (the catalog parsed from TOML and validated).
Prints the median of N runs in MB (2^20 bytes). Goal (issue 4): Huiqi < 120 MB.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
GOAL_MB = 120


def peak_mb() -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024            # kB
    except OSError:
        pass
    import resource
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024 if sys.platform == "darwin" else 1024)


# ---------------------------------------------------------------- children (one thing each)

def child_core(facts: dict) -> dict:
    import datetime as dt

    from app.engine.assessment import assess
    from app.storage.catalog_files import load_catalog
    from app.storage.paths import bundled_catalog
    from app.engine.needed_facts import active_facts
    as_of = dt.date(2026, 11, 22)
    catalog = load_catalog(bundled_catalog())
    result = assess(catalog, active_facts(catalog, facts, as_of), as_of)
    return {"policies": len(catalog.policies), "eligible": len(result.by_status("eligible"))}


def child_bare() -> dict:
    import asyncio

    from textual.app import App
    from textual.widgets import Static

    class Bare(App):
        def compose(self):
            yield Static("hello")

    async def run() -> None:
        async with Bare().run_test(size=(80, 24)) as pilot:
            await pilot.pause()

    asyncio.run(run())
    return {}


def child_huiqi() -> dict:
    import asyncio

    sys.path.insert(0, str(ROOT / "tests"))
    from app.storage.paths import bundled_catalog
    from tui_driver import RESTAURANT, make_app, screen_name, walk

    info: dict = {}

    async def run() -> None:
        app = make_app("zh_CN", catalog=bundled_catalog())
        async with app.run_test(size=(80, 24)) as pilot:
            await walk(pilot, RESTAURANT)
            if screen_name(app) != "ResultsScreen":
                raise SystemExit(f"the walk ended on {screen_name(app)}, not on the results")
            info["results"] = len(app.assessment().shown)
            await pilot.press("enter")               # the first result's detail
            await pilot.pause()
            info["then"] = screen_name(app)

    asyncio.run(run())
    return info


# ---------------------------------------------------------------- parent

def measure(kind: str, env_extra: dict[str, str], arg: str = "") -> tuple[float, dict]:
    with tempfile.TemporaryDirectory() as tmp:
        env = {k: v for k, v in os.environ.items() if not k.startswith("HUIQI_")}
        env.update(HUIQI_CONFIG_DIR=os.path.join(tmp, "config"), HUIQI_DATA_DIR=os.path.join(tmp, "data"),
                   PYTHONPATH=str(ROOT), **env_extra)
        if "HUIQI_CACHE_DIR" in os.environ and "HUIQI_NO_CACHE" not in env_extra:
            env["HUIQI_CACHE_DIR"] = os.environ["HUIQI_CACHE_DIR"]
        if kind == "python":
            argv = [sys.executable, "-c", _PYTHON_ONLY]
        else:
            argv = [sys.executable, __file__, "--child", kind] + ([arg] if arg else [])
        out = subprocess.run(argv, capture_output=True, text=True, env=env, cwd=ROOT)
    if out.returncode != 0:
        raise SystemExit(f"{kind} failed:\n{out.stderr[-3000:]}")
    data = json.loads(out.stdout.strip().splitlines()[-1])
    return data.pop("peak_mb"), data


# the floor: the interpreter with its site imports, nothing else (same reading as peak_mb)
_PYTHON_ONLY = ("import json\nfor l in open('/proc/self/status'):\n"
                "    if l.startswith('VmHWM:'): print(json.dumps({'peak_mb': int(l.split()[1]) / 1024}))")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--child", choices=("core", "bare", "huiqi"))
    ap.add_argument("facts", nargs="?")
    args = ap.parse_args()
    if args.child:
        info = {"core": lambda: child_core(json.loads(args.facts)), "bare": child_bare,
                "huiqi": child_huiqi}[args.child]()
        print(json.dumps({"peak_mb": peak_mb(), **info}))
        return 0

    import textual
    sys.path.insert(0, str(ROOT / "tests"))
    from tui_driver import RESTAURANT_FACTS
    facts = json.dumps(RESTAURANT_FACTS, ensure_ascii=False)

    print(f"machine: {platform.platform()}, {os.cpu_count()} CPUs, Python {platform.python_version()},"
          f" Textual {textual.__version__}")
    rows = [
        ("python (interpreter only)", "python", {}, ""),
        ("core: bundled catalog + assess, cached", "core", {}, facts),
        ("core: bundled catalog + assess, HUIQI_NO_CACHE=1", "core", {"HUIQI_NO_CACHE": "1"}, facts),
        ("bare Textual app, painted", "bare", {}, ""),
        ("Huiqi: walk to results + detail, cached", "huiqi", {}, ""),
        ("Huiqi: walk to results + detail, HUIQI_NO_CACHE=1", "huiqi", {"HUIQI_NO_CACHE": "1"}, ""),
    ]
    measure("core", {}, facts)           # fill the parse cache once, so "cached" is cached
    print(f"peak RSS (VmHWM), new process each, median of {args.runs}, MB = 2^20 bytes:")
    for label, kind, extra, arg in rows:
        peaks, info = [], {}
        for _ in range(args.runs):
            peak, info = measure(kind, extra, arg)
            peaks.append(peak)
        goal = f"  (goal < {GOAL_MB} MB: {'met' if statistics.median(peaks) < GOAL_MB else 'NOT met'})" \
            if kind == "huiqi" else ""
        detail = f"  [{', '.join(f'{k}={v}' for k, v in info.items())}]" if info else ""
        print(f"  {label:52s} {statistics.median(peaks):6.1f} MB"
              f"  (min {min(peaks):.1f}, max {max(peaks):.1f}){goal}{detail}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
