"""Profiles, rosters and catalogs that try to break the commands: escape sequences, absurd
sizes and nesting, FIFOs and devices, Notepad's BOM, impossible dates. Every command answers
with exit 2 (1 for a batch with bad rows) and one clear line, never hangs, and never lets a
control character reach the terminal."""

import csv
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.cli import main
from app import batch
from app.i18n.locale import Locale
from app.engine.text import clean

ROOT = Path(__file__).parent.parent
DATA = Path(__file__).parent / "data"
MINI = DATA / "mini.toml"
ESC = "\x1b"
CSI = "\x9b"
GOOD = '[business]\nname = "好店"\nleague = "wuhai"\nsectors = ["catering"]\nemployees = 8\n'


def run(*args, timeout=30):
    out = subprocess.run([sys.executable, "-m", "app", *args], capture_output=True, text=True,
                         encoding="utf-8", errors="replace", cwd=ROOT, timeout=timeout)
    assert ESC not in out.stdout + out.stderr and CSI not in out.stdout + out.stderr
    assert "internal error" not in out.stderr and "Traceback" not in out.stderr
    return out


def one_line(out) -> str:
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1, out.stderr
    return lines[0]


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


# ---------------------------------------------------------------- the cleaner

def test_clean_removes_c0_c1_and_bidi_controls():
    assert clean("a\x1b[2Jb\x9b31mc\u202ed\x07") == "a[2Jb31mcd"
    assert clean("a\nb\tc", one_line=True) == "a b c"
    assert clean("a\nb") == "a\nb"


# ---------------------------------------------------------------- item 2: catalog text

EVIL_KEY = '"\\u001b[2J\\u001b[H/tmp/evil.toml: OK\\n\\u009b31m" = 1\n'


def test_catalog_install_and_check_never_print_an_escape(tmp_path):
    bad = write(tmp_path / "evil.toml", EVIL_KEY + MINI.read_text(encoding="utf-8"))
    for args in (("catalog", "install", str(bad)), ("catalog", "check", str(bad))):
        out = run(*args)
        assert out.returncode == 2
        text = out.stdout + out.stderr
        assert "[2J" in text                       # shown, defused
        assert not any(line.strip().endswith("evil.toml: OK") and "unknown" not in line
                       for line in text.splitlines())


def test_unknown_fact_and_code_messages_are_cleaned(tmp_path):
    text = MINI.read_text(encoding="utf-8").replace(
        'conditions = [{ fact = "certifications", has_any = ["innovative_sme", "zjtx_sme", "little_giant"] }]',
        'conditions = [{ fact = "\\u001b]0;pwned\\u0007x", eq = 1 }, '
        '{ fact = "league", in = ["\\u009b2Jatlantis"] }]', 1)
    bad = write(tmp_path / "bad.toml", text)
    out = run("catalog", "check", str(bad))
    assert out.returncode == 2 and "pwned" in out.stdout and "atlantis" in out.stdout


def _titled(tmp_path, name: str, title: str) -> Path:
    text = MINI.read_text(encoding="utf-8")
    text = text.replace('title = "test"', f'title = "{title}"', 1)
    text = text.replace('title = "认定奖励"', f'title = "{title}"', 1)
    return write(tmp_path / name, text)


def test_catalog_status_and_diff_clean_titles(tmp_path):
    evil = _titled(tmp_path, "evil.toml", "\\u001b[2J\\u009b31m目录")
    out = run("catalog", "install", str(evil))
    assert out.returncode == 0, out.stderr
    status = run("catalog", "status")
    assert status.returncode == 0 and "目录" in status.stdout
    diff = run("catalog", "diff", str(MINI), str(evil))
    assert diff.returncode == 0 and "目录" in diff.stdout


@pytest.fixture(autouse=True)
def _data_dir_for_subprocesses(tmp_path, monkeypatch):
    monkeypatch.setenv("HUIQI_DATA_DIR", str(tmp_path / "data"))


# ---------------------------------------------------------------- item 3: profile text

EVIL_PROFILE = ('[business]\nname = "店"\n"\\u001b[2Jevil\\u009b" = 1\nemployees = 3\n'
                '["\\u001b]0;title\\u0007"]\nx = 1\n')


def test_profile_keys_reach_no_terminal_raw(tmp_path):
    p = write(tmp_path / "p.toml", EVIL_PROFILE)
    out = run("assess", str(p), "--catalog", str(MINI), "--as-of", "2022-06-01")
    assert out.returncode == 0
    assert "evil" in out.stderr and "evil" in out.stdout     # the warning, in the report too


def test_profile_values_reach_neither_terminal_nor_summary_raw(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    write(folder / "a.toml", '[business]\nemployees = "\\u001b[31m八\\u009b"\n')
    write(folder / "b.toml", EVIL_PROFILE)
    write(folder / "c.toml", GOOD)
    out = run("batch", str(folder), "--out", str(tmp_path / "out"), "--as-of", "2026-01-01")
    assert out.returncode == 1
    summary = (tmp_path / "out" / "summary.csv").read_text(encoding="utf-8-sig")
    assert ESC not in summary and CSI not in summary and "八" in summary


# ---------------------------------------------------------------- item 4: absurd values

@pytest.mark.parametrize("body", [
    "name = " + "[" * 2000 + "]" * 2000,                   # nested past the stack
    "employees = " + "9" * 5000,                            # past Python's int parsing limit
    "employees = " + "9" * 4000,                            # parses, but no business has that many
    "revenue = 1e300",
    "name." + ".".join(["a"] * 5000) + " = 1",              # a key of 5000 parts
], ids=["nested", "5000_digits", "4000_digits", "1e300", "long_key"])
def test_absurd_profile_is_one_line_exit_2(tmp_path, body):
    p = write(tmp_path / "p.toml", "[business]\n" + body + "\n")
    out = run("assess", str(p), "--catalog", str(MINI))
    assert out.returncode == 2
    assert "p.toml" in one_line(out)
    assert len(out.stderr) < 400


def test_memory_error_is_one_line_exit_2(monkeypatch, capsys):
    import app.cli as cli

    def boom(args):
        raise MemoryError()

    monkeypatch.setattr(cli, "cmd_assess", boom)
    assert main(["assess", "x.toml"]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "internal error" not in err


def test_one_absurd_profile_does_not_stop_the_batch(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    write(folder / "a.toml", GOOD)
    write(folder / "b.toml", "[business]\nname = " + "[" * 2000 + "]" * 2000 + "\n")
    write(folder / "c.toml", "[business]\nemployees = " + "9" * 5000 + "\n")
    write(folder / "d.toml", GOOD)
    out = run("batch", str(folder), "--out", str(tmp_path / "out"), "--as-of", "2026-01-01")
    assert out.returncode == 1, out.stderr
    rows = list(csv.reader(io.StringIO((tmp_path / "out" / "summary.csv").read_text(encoding="utf-8-sig"))))
    assert [r[0] for r in rows[1:]] == ["a.toml", "b.toml", "c.toml", "d.toml"]
    assert len(list((tmp_path / "out").glob("*.html"))) == 2


# ---------------------------------------------------------------- item 6: FIFOs and devices

@pytest.fixture
def fifo(tmp_path):
    def make(name):
        path = tmp_path / name
        os.mkfifo(path)
        return path
    return make


def test_fifos_are_refused_not_waited_on(tmp_path, fifo):
    toml, csv_fifo = fifo("p.toml"), fifo("roster.csv")
    good = write(tmp_path / "good.toml", GOOD)
    for args in (("assess", str(toml), "--catalog", str(MINI)),
                 ("catalog", "check", str(toml)),
                 ("catalog", "install", str(toml)),
                 ("assess", str(good), "--catalog", str(toml)),
                 ("batch", str(csv_fifo), "--out", str(tmp_path / "o1"), "--catalog", str(MINI)),
                 ("batch", str(toml), "--out", str(tmp_path / "o2"), "--catalog", str(MINI))):
        out = run(*args, timeout=20)
        assert out.returncode in (1, 2), (args, out.stderr)
        assert out.stderr.strip() or out.stdout.strip()


def test_a_link_to_dev_zero_is_refused(tmp_path):
    link = tmp_path / "zero.toml"
    link.symlink_to("/dev/zero")
    out = run("assess", str(link), "--catalog", str(MINI), timeout=20)
    assert out.returncode == 2 and "zero.toml" in one_line(out)
    out = run("catalog", "check", str(link), timeout=20)
    assert out.returncode == 2 and "zero.toml" in out.stdout


def test_an_oversized_profile_is_refused(tmp_path):
    p = write(tmp_path / "big.toml", GOOD + "# " + "x" * (1024 * 1024) + "\n")
    out = run("assess", str(p), "--catalog", str(MINI))
    assert out.returncode == 2 and "big.toml" in one_line(out)


def test_a_fifo_among_saved_clients_does_not_hang_the_list(tmp_path):
    import threading

    from app.storage.client_store import Workspace
    folder = tmp_path / "clients"
    folder.mkdir()
    os.mkfifo(folder / "pipe.toml")
    result = {}
    thread = threading.Thread(target=lambda: result.update(listing=Workspace(folder).list()),
                              daemon=True)
    thread.start()
    thread.join(10)
    assert not thread.is_alive(), "listing hung on a FIFO"
    assert result["listing"].clients == []


# ---------------------------------------------------------------- item 9: a BOM

def test_bom_profile_and_catalog_are_read(tmp_path):
    p = tmp_path / "p.toml"
    p.write_bytes(b"\xef\xbb\xbf" + GOOD.encode("utf-8"))
    cat = tmp_path / "c.toml"
    cat.write_bytes(b"\xef\xbb\xbf" + MINI.read_bytes())
    assert run("catalog", "check", str(cat)).returncode == 0
    out = run("assess", str(p), "--catalog", str(cat), "--as-of", "2026-01-01")
    assert out.returncode == 0 and "好店" in out.stdout


def test_a_bom_client_file_stays_in_the_list(tmp_path):
    from app.storage.client_store import Workspace
    folder = tmp_path / "clients"
    folder.mkdir()
    (folder / "记事本.toml").write_bytes(b"\xef\xbb\xbf" + GOOD.encode("utf-8"))
    ws = Workspace(folder)
    listing = ws.list()
    assert [c.name for c in listing.clients] == ["好店"] and listing.set_aside == []
    client = ws.open(listing.clients[0])
    ws.save(client, {**client.saved, "employees": 9})      # a save on it works too
    assert [c.facts["employees"] for c in ws.list().clients] == [9]
    assert not (folder / "damaged").exists()


# ---------------------------------------------------------------- item 10: dates and wording

@pytest.mark.parametrize("founded", ["9999-12-31", "1900-01-01", "2026-06-02"])
def test_impossible_founding_dates_are_wrong_values(tmp_path, founded):
    p = write(tmp_path / "p.toml", f"[business]\nfounded = {founded}\n")
    out = run("assess", str(p), "--catalog", str(MINI), "--as-of", "2026-06-01")
    line = one_line(out)
    assert out.returncode == 2 and "founded" in line and f"：{founded}）" in line


def test_a_founding_date_on_the_as_of_date_is_fine(tmp_path):
    p = write(tmp_path / "p.toml", "[business]\nfounded = 2026-06-01\n")
    assert run("assess", str(p), "--catalog", str(MINI), "--as-of", "2026-06-01").returncode == 0


def test_a_roster_with_a_future_founding_date_has_a_bad_row(tmp_path, mini):
    src = write(tmp_path / "r.csv", "name,founded\n甲,9999-12-31\n乙,2020-01-01\n")
    roster = batch.read_input(src, mini, as_of=__import__("datetime").date(2026, 1, 1))
    assert [i.ok for i in roster.items] == [False, True]
    assert roster.items[0].problems[0].fact == "founded"


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_no_literal_placeholders_without_a_sector(tmp_path, lang):
    p = write(tmp_path / "p.toml", "[business]\nemployees = 3\n")
    for fmt in ("text", "md", "html"):
        out = run("assess", str(p), "--lang", lang, "--format", fmt, "--as-of", "2026-01-01")
        assert out.returncode == 0
        assert "{industry}" not in out.stdout and "{inputs}" not in out.stdout


def test_locale_fills_or_drops_placeholders():
    loc = Locale("en")
    assert "{" not in loc.t("derived.size_class")
    assert loc.t("derived.size_class") == loc.t("derived.size_class_bare")
    assert "catering" in loc.t("derived.size_class", industry="catering", inputs="employees")
    assert "{" not in loc.t("error.profile", file="f")      # no variant: the gaps left out


def test_the_fallback_line_the_app_shows_is_clean(tmp_path):
    from app.storage import catalog_store
    from app.engine.catalog import Problem
    act = catalog_store.active()
    line = catalog_store.fallback_message(
        Locale("en"), tmp_path / "x.toml", [Problem("x.toml", 3, "unknown key '\x1b[2J\x9b1m'\nOK")], act)
    assert ESC not in line and CSI not in line and "\n" not in line and "[2J" in line
