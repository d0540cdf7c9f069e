"""First screen painted in a real terminal: tmux at 80x24, Huiqi versus a bare Textual app.

    python bench/bench_terminal.py [--runs N] [--poll-ms 10]

Each run starts the program in a new detached tmux session (80x24, on a private tmux server of
its own, so nothing else running in tmux is touched) and reads the pane with
`tmux capture-pane -p` every few milliseconds until the first screen is there: for Huiqi
(`python -m app`, language already chosen in a temporary config folder so the first-start
language chooser does not come up, and a temporary data folder) the app's name and the first
menu item of the home screen; for the bare app (one Static) its text. The time is the wall time
from just before `tmux new-session` to the first capture that shows the screen, so it includes
interpreter start, imports, the app's start, the terminal's drawing and the polling delay (the
same for both). The session is then killed and its process waited for before the next run.

N runs each, interleaved (which one goes first alternates), after one discarded warm-up run of
each. Prints the median and p90 of each and the ratio Huiqi/bare. Goal (issue 4): ratio <= 1.3.
Uses the same Python interpreter as the one running this script.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SIZE = (80, 24)
BARE_TEXT = "bare textual app ready"
BARE_CODE = f"""
from textual.app import App
from textual.widgets import Static

class Bare(App):
    def compose(self):
        yield Static({BARE_TEXT!r})

Bare().run()
"""


class Tmux:
    """A private tmux server (its own socket), killed at the end."""

    def __init__(self) -> None:
        exe = shutil.which("tmux")
        if not exe:
            raise SystemExit("tmux is not installed")
        self.base = [exe, "-L", f"huiqi-bench-{os.getpid()}"]
        # the programs inherit the server's environment: none of the caller's Huiqi settings
        self.env = {k: v for k, v in os.environ.items()
                    if k != "TMUX" and not k.startswith("HUIQI_") and k not in ("NO_COLOR", "TEXTUAL_COLOR_SYSTEM")}
        # a session that only keeps the server up, so each run does not pay for starting it
        self.run("new-session", "-d", "-s", "keep", "-x", str(SIZE[0]), "-y", str(SIZE[1]), "sleep", "86400")
        self.run("set-option", "-wg", "remain-on-exit", "on")    # a program that fails leaves its message

    def run(self, *args: str) -> str:
        out = subprocess.run([*self.base, *args], capture_output=True, text=True, env=self.env)
        if out.returncode != 0:
            raise RuntimeError(f"tmux {' '.join(args[:2])}: {out.stderr.strip()}")
        return out.stdout

    def first_paint(self, name: str, argv: list[str], env: dict[str, str], markers: list[str],
                    poll: float, timeout: float) -> float:
        """Milliseconds from launch until every marker is on the pane."""
        env_args = [a for k, v in env.items() for a in ("-e", f"{k}={v}")]
        start = time.perf_counter()
        self.run("new-session", "-d", "-s", name, "-x", str(SIZE[0]), "-y", str(SIZE[1]), "-c", str(ROOT),
                 *env_args, *argv)
        try:
            while True:
                screen = self.run("capture-pane", "-p", "-t", name)
                if all(m in screen for m in markers):
                    return (time.perf_counter() - start) * 1000
                if time.perf_counter() - start > timeout:
                    raise RuntimeError(f"{name}: first screen not seen in {timeout:.0f} s;"
                                       f" the pane shows:\n{screen.rstrip()}")
                time.sleep(poll)
        finally:
            self.kill(name)

    def kill(self, name: str) -> None:
        """Kill the session and wait until its program has gone (it must not eat the next run's CPU)."""
        try:
            pid = int(self.run("display-message", "-p", "-t", name, "#{pane_pid}").strip())
        except (RuntimeError, ValueError):
            pid = None
        subprocess.run([*self.base, "kill-session", "-t", name], capture_output=True, env=self.env)
        deadline = time.perf_counter() + 5
        while pid and time.perf_counter() < deadline:
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                break
            time.sleep(0.01)

    def version(self) -> str:
        return subprocess.run([self.base[0], "-V"], capture_output=True, text=True).stdout.strip()

    def close(self) -> None:
        try:
            socket = self.run("display-message", "-p", "-t", "keep", "#{socket_path}").strip()
        except RuntimeError:
            socket = ""
        subprocess.run([*self.base, "kill-server"], capture_output=True, env=self.env)
        if socket:
            Path(socket).unlink(missing_ok=True)


def p90(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, -(-9 * len(ordered) // 10) - 1)]       # nearest rank


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--poll-ms", type=float, default=10)
    ap.add_argument("--timeout", type=float, default=30, help="seconds to wait for one first screen")
    args = ap.parse_args()

    import textual

    from app.i18n.locale import Locale
    loc = Locale("zh_CN")
    huiqi_markers = [loc.t("app.name"), loc.t("ui.home.new")]

    tmp = Path(tempfile.mkdtemp(prefix="huiqi-bench-"))
    (tmp / "config").mkdir()
    (tmp / "data").mkdir()
    (tmp / "config" / "config.toml").write_text('lang = "zh_CN"\n', encoding="utf-8")
    env = {"HUIQI_CONFIG_DIR": str(tmp / "config"), "HUIQI_DATA_DIR": str(tmp / "data")}

    kinds = {
        "bare": ([sys.executable, "-c", BARE_CODE], [BARE_TEXT]),
        "huiqi": ([sys.executable, "-m", "app"], huiqi_markers),
    }
    times: dict[str, list[float]] = {"bare": [], "huiqi": []}
    tmux = Tmux()
    try:
        term = tmux.run("show-options", "-gv", "default-terminal").strip()
        cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                    if line.startswith("model name")), platform.processor() or "?")
        print(f"machine: {platform.platform()}, {os.cpu_count()} CPUs ({cpu}), Python {platform.python_version()},"
              f" Textual {textual.__version__}, {tmux.version()}, TERM in tmux={term}")
        poll = args.poll_ms / 1000
        for kind, (argv, markers) in kinds.items():              # warm-up, not counted
            tmux.first_paint(f"warm-{kind}", argv, env, markers, poll, args.timeout)
        for i in range(args.runs):
            order = ["bare", "huiqi"] if i % 2 == 0 else ["huiqi", "bare"]
            for kind in order:
                argv, markers = kinds[kind]
                times[kind].append(tmux.first_paint(f"run{i}-{kind}", argv, env, markers, poll, args.timeout))
    finally:
        tmux.close()
        shutil.rmtree(tmp, ignore_errors=True)

    b, h = times["bare"], times["huiqi"]
    mb, mh = statistics.median(b), statistics.median(h)
    print(f"first screen painted in tmux {SIZE[0]}x{SIZE[1]}, {args.runs} runs each, polled every {args.poll_ms:g} ms:")
    print(f"  bare Textual: median {mb:.0f} ms, p90 {p90(b):.0f} ms  ({', '.join(f'{t:.0f}' for t in b)})")
    print(f"  Huiqi:        median {mh:.0f} ms, p90 {p90(h):.0f} ms  ({', '.join(f'{t:.0f}' for t in h)})")
    print(f"  ratio Huiqi/bare: median {mh / mb:.2f}, p90 {p90(h) / p90(b):.2f} (goal <= 1.30)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
