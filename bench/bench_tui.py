"""Speed of the interactive app (issue 4): first screen painted, and answer -> next question.

    python bench/bench_tui.py [--runs N]

1. First screen painted, cold: a new Python process per run (interpreter start, imports, app
   start, first paint of the home screen), headless, versus a bare Textual app that paints one
   line the same way. Median of N runs each, interleaved. Goal: within 1.3x the bare app.
2. The same, in process (``App.run_test``, imports already done).
3. From answering a question to the next question painted, measured inside the app (the
   questionnaire records the time from the answer to the first refresh after the next question
   is mounted) while Pilot walks the Wuhai restaurant through the bundled catalog (five walks,
   each in a new app: the planner asks it about ten questions). Goal: < 50 ms.

The figures depend on the machine; run it on the machine you care about.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

import tempfile

# Saved clients and settings of the bench go to a folder of its own, never the user's.
_PRIVATE = Path(tempfile.mkdtemp(prefix="huiqi-bench-tui-"))
os.environ.setdefault("HUIQI_DATA_DIR", str(_PRIVATE / "data"))
os.environ.setdefault("HUIQI_CONFIG_DIR", str(_PRIVATE / "config"))

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


# ---------------------------------------------------------------- children (one run each)

def child_bare() -> None:
    from textual.app import App
    from textual.widgets import Static

    class Bare(App):
        def compose(self):
            yield Static("hello")

        def on_mount(self) -> None:
            self.call_after_refresh(self.done)

        def done(self) -> None:
            print(f"{time.time():.6f}")
            self.exit()

    Bare().run(headless=True)


def child_huiqi() -> None:
    from screens import home
    from screens.app import HuiqiApp

    original = home.HomeScreen.on_mount

    def on_mount(self) -> None:
        self.call_after_refresh(done, self.app)    # before the catalog is read (after the paint)
        original(self)

    def done(app) -> None:
        print(f"{time.time():.6f}")
        app.exit()

    home.HomeScreen.on_mount = on_mount
    HuiqiApp(lang="zh_CN").run(headless=True)


# ---------------------------------------------------------------- measurements

def cold(kind: str) -> float:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    start = time.time()
    out = subprocess.run([sys.executable, __file__, "--child", kind], capture_output=True, text=True,
                         env=env, cwd=ROOT, check=True)
    line = [x for x in out.stdout.split() if x.replace(".", "").isdigit()][-1]
    return (float(line) - start) * 1000


async def warm(kind: str) -> float:
    from textual.app import App
    from textual.widgets import Static

    from screens.app import HuiqiApp

    class Bare(App):
        def compose(self):
            yield Static("hello")

    app = Bare() if kind == "bare" else HuiqiApp(lang="zh_CN")
    start = time.perf_counter()
    async with app.run_test(size=(80, 24)) as pilot:
        if kind == "huiqi":
            while type(app.screen).__name__ != "HomeScreen" or not app.screen.is_mounted:
                await asyncio.sleep(0)
        painted = asyncio.get_running_loop().create_future()
        app.screen.call_after_refresh(lambda: painted.done() or painted.set_result(time.perf_counter()))
        end = await painted
        return (end - start) * 1000


async def transitions() -> list[float]:
    from app.storage.paths import bundled_catalog
    from screens.app import HuiqiApp
    sys.path.insert(0, str(ROOT / "tests"))
    from tui_driver import RESTAURANT, walk

    times: list[float] = []
    # The planner asks a restaurant few questions (about 10), so the walk is repeated in fresh
    # apps for enough transitions to make a p90 mean something.
    for _ in range(WALKS):
        app = HuiqiApp(lang="zh_CN", as_of=dt.date(2026, 11, 22), catalog_path=bundled_catalog())
        async with app.run_test(size=(80, 24)) as pilot:
            original = type(app).action_results

            def keep(self):               # collect before the questionnaire screen goes away
                times.extend(self.screen.transitions)
                original(self)

            type(app).action_results = keep
            try:
                await walk(pilot, RESTAURANT)
            finally:
                type(app).action_results = original
    return times


WALKS = 5


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--child", choices=("bare", "huiqi"))
    args = ap.parse_args()
    if args.child == "bare":
        child_bare()
        return 0
    if args.child == "huiqi":
        child_huiqi()
        return 0

    import textual
    print(f"machine: {platform.platform()}, {os.cpu_count()} CPUs, Python {platform.python_version()},"
          f" Textual {textual.__version__}")
    bare, huiqi = [], []
    for _ in range(args.runs):
        bare.append(cold("bare"))
        huiqi.append(cold("huiqi"))
    b, h = statistics.median(bare), statistics.median(huiqi)
    print(f"first screen painted, new process (median of {args.runs}):"
          f" bare Textual {b:.0f} ms, Huiqi {h:.0f} ms, ratio {h / b:.2f} (goal <= 1.30)")

    wb = [asyncio.run(warm("bare")) for _ in range(args.runs)]
    wh = [asyncio.run(warm("huiqi")) for _ in range(args.runs)]
    mb, mh = statistics.median(wb), statistics.median(wh)
    print(f"first screen painted, in process (run_test, median of {args.runs}):"
          f" bare {mb:.0f} ms, Huiqi {mh:.0f} ms, ratio {mh / mb:.2f}")

    times = asyncio.run(transitions())
    times.sort()
    p90 = times[int(0.9 * (len(times) - 1))]
    print(f"answer -> next question painted ({len(times)} questions, restaurant walk):"
          f" median {statistics.median(times):.1f} ms, p90 {p90:.1f} ms, max {times[-1]:.1f} ms"
          f" (goal < 50 ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
