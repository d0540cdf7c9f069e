"""Walk a persona through the real app in a real terminal (tmux, 80x24), reading the screen.

    python bench/tmux_walk.py PERSONA_ID [--lang zh_CN|en] [--keep]

Starts ``python -m app`` in a detached tmux session of 80x24 with a private data folder, picks the
language, starts a new assessment, and then, screen by screen, recognises the question shown (by
its text in that language, from the catalog) and answers it with the keys a clerk would press:
choices by typing to find them (the code) and Enter or Space, numbers and dates typed, 「不确定」
(F3) for a fact the persona does not state. It prints each question asked, the number of
questions and keys, and the first screen of results as the terminal shows it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.storage.catalog_files import load_catalog  # noqa: E402
from app.i18n.locale import Locale  # noqa: E402
from app.engine.profile import parse_profile  # noqa: E402

SESSION = "huiqi-walk"


def tmux(*args: str) -> str:
    return subprocess.run(["tmux", *args], capture_output=True, text=True).stdout


def screen() -> str:
    return tmux("capture-pane", "-t", SESSION, "-p")


NAMED = ("Enter", "Escape", "Space", "Down", "Up", "BSpace", "Home")


def keys(*k: str, pause: float = 0.15) -> int:
    """Press named keys (Enter, F3, …) or type text literally; returns how many were pressed."""
    for key in k:
        if key in NAMED or (key[0] == "F" and key[1:].isdigit()) or key.startswith("C-"):
            tmux("send-keys", "-t", SESSION, key)
        else:
            tmux("send-keys", "-t", SESSION, "-l", key)
        time.sleep(pause)
    return len(k)


def wait_change(before: str, timeout: float = 5.0) -> str:
    end = time.time() + timeout
    while time.time() < end:
        time.sleep(0.2)
        now = screen()
        if now != before:
            time.sleep(0.3)
            return screen()
    return screen()


def flat(text: str) -> str:
    return "".join(text.split())


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("persona")
    ap.add_argument("--lang", default="zh_CN")
    ap.add_argument("--keep", action="store_true", help="leave the tmux session running")
    args = ap.parse_args()
    catalog = load_catalog(ROOT / "policies.toml")
    loc = Locale(args.lang)
    persona = next(p for p in tomllib.loads((ROOT / "bench/relevance/personas.toml").read_text("utf-8"))["persona"]
                   if p["id"] == args.persona)
    facts = parse_profile(persona["profile"], catalog.registry).facts
    facts["name"] = persona["name"]
    texts = {q.fact: flat(loc.question_text(q)) for q in catalog.questions.values()}
    data = tempfile.mkdtemp(prefix="huiqi-walk-")
    tmux("kill-session", "-t", SESSION)
    tmux("new-session", "-d", "-s", SESSION, "-x", "80", "-y", "24")
    tmux("send-keys", "-t", SESSION, f"cd {ROOT} && HUIQI_DATA_DIR={data}/d HUIQI_CONFIG_DIR={data}/c "
         f"{sys.executable} -m app", "Enter")
    time.sleep(4)
    pressed = 0
    pressed += keys("Down", "Enter") if args.lang == "en" else keys("Enter")
    time.sleep(1.5)
    pressed += keys("F3")
    shown = wait_change("")
    asked = []
    for _ in range(60):
        flat_screen = flat(shown)
        if loc.t("ui.results.title") in shown.splitlines()[0]:
            break
        if flat(loc.t("ui.q.done_title")) in flat_screen:
            pressed += keys("Enter")
            shown = wait_change(shown)
            continue
        fact = max((f for f, t in texts.items() if t and t in flat_screen), key=lambda f: len(texts[f]), default=None)
        if fact is None:
            print("cannot recognise the question on screen:\n" + shown)
            return 1
        asked.append(fact)
        value = facts.get(fact)
        ftype = catalog.registry.get(fact).type
        before = shown
        if value is None:
            pressed += keys("F3")
        elif ftype == "bool":
            pressed += keys("Enter") if value else keys("Down", "Enter")
        elif ftype == "code":
            pressed += keys(value, "Enter")
        elif ftype == "codes":
            for code in value:
                pressed += keys(code, "Space", "Escape")
            pressed += keys("Enter")
        elif isinstance(value, dt.date):
            pressed += keys(value.isoformat(), "Enter")
        elif isinstance(value, float):
            pressed += keys(f"{value:g}", "Enter")
        else:
            pressed += keys(str(value), "Enter")
        shown = wait_change(before)
        if fact == asked[-1] and flat(before) == flat(shown):
            print(f"no progress on {fact}:\n{shown}")
            return 1
    print(f"{persona['id']} ({args.lang}): {len(asked)} questions, {pressed} keys")
    print("asked: " + " ".join(asked))
    print(shown)
    if not args.keep:
        tmux("kill-session", "-t", SESSION)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
