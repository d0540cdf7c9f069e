"""Batch runs: a roster of businesses assessed at once (``python -m app batch``).

The input is a folder of profile files (the contract's TOML) or a CSV roster: a header row of
field names (``employees`` or ``business.employees``), then one business per row. Spreadsheet
numbering throughout: the header is row 1, the first business row 2. A blank cell is unknown,
never false or zero. A bad cell makes its row bad (every bad cell of the row is named); the
other rows are processed all the same.

The output folder gets ``summary.csv`` (UTF-8 with a BOM, so Excel shows Chinese) with one row
per input row or file, and one handout per business, ``NNN-<name>.html`` (or ``.md``), NNN being
the row number or the file's running index, so two businesses of the same name never share a
file. Only files this module names are written; nothing is ever deleted.

Pure: no textual, no rich. Problems are message keys with parameters; ``row_error_line`` and
the caller's ``file_error_line`` put them into words.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from app.engine.assessment import assess
from app.storage.atomic import write_atomic
from app.engine.facts import BOOL, CODE, CODES, DATE, INT, MONEY, NUMBER, TEXT, Fact
from app.storage.names import safe_filename
from app.engine.numbers import parse_date, parse_number
from app.engine.profile import ProfileError, check_value, error_line
from app.storage.profile_files import load_profile
from app.render.report import render_html, render_md, title, totals_text
from app.storage.safe_read import ROSTER_LIMIT, ReadError, read_regular
from app.engine.text import clean

SUMMARY = "summary.csv"
FORMATS = {"html": "html", "md": "md"}          # handout format -> file extension
LIST_SEPARATORS = re.compile(r"[、;；,，]")
TRUE_WORDS = {"true", "yes", "y", "是", "1", "对", "有"}
FALSE_WORDS = {"false", "no", "n", "否", "0", "不是", "没有"}
NONE_WORDS = {"无", "none", "没有", "[]"}        # an explicit empty list: holds none
UNKNOWN_WORDS = {"不确定", "未知", "不清楚", "unknown", "?"}   # the same as a blank cell
_SPACES = re.compile(r"\s+")
_TIME = re.compile(r"[ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$")    # Excel's 2021-03-15 00:00:00
_QUOTES = re.compile(r"[「」『』“”\"'‘’《》\s]")
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


class InputError(Exception):
    """The input as a whole cannot be used (exit 2): ``key`` + ``params`` say why."""

    def __init__(self, key: str, **params: Any):
        self.key, self.params = key, params
        super().__init__(f"{key} {params}")


class Interrupted(KeyboardInterrupt):
    """Ctrl+C during a run: summary.csv was written for what was done (``result``), the rest
    marked as not processed."""

    def __init__(self, result: "BatchResult", done: int):
        self.result, self.done = result, done
        super().__init__()


class OutputError(Exception):
    """A file in the output folder could not be written."""

    def __init__(self, path: Path, reason: str):
        self.path, self.reason = path, reason
        super().__init__(f"{path}: {reason}")

    def __reduce__(self):          # raised in a worker process, shown by the parent
        return (OutputError, (self.path, self.reason))


@dataclass
class CellProblem:
    """One bad cell: its row (spreadsheet numbering), column, what was expected, what was found."""
    row: int
    column: str                # the header as written
    fact: str                  # the fact it names
    key: str                   # message key of what was expected
    params: dict
    got: str


@dataclass
class Item:
    """One business of the roster: a CSV row or a profile file."""
    number: int                # row number (CSV) or running index (folder): the handout's NNN
    source: str                # "5" (row) or "client.toml" (file)
    name: str = ""
    facts: dict[str, Any] | None = None
    warnings: list[tuple[str, dict]] = field(default_factory=list)
    problems: list[CellProblem | ProfileError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems and self.facts is not None


@dataclass
class Roster:
    items: list[Item]
    warnings: list[tuple[str, dict]] = field(default_factory=list)   # about the input as a whole
    kind: str = "csv"          # csv | folder | file


@dataclass
class Line:
    """One row of summary.csv."""
    source: str
    name: str
    status: str                # "ok" or the error text
    ok: bool
    eligible: int | None = None
    total_min: int | float | None = None
    total_max: int | float | None = None
    total_text: str = ""
    possible: int | None = None
    top: list[str] = field(default_factory=list)
    handout: str = ""


@dataclass
class BatchResult:
    lines: list[Line]
    out_dir: Path
    errors: list[str]          # one line per problem, in input order

    @property
    def ok(self) -> int:
        return sum(1 for line in self.lines if line.ok)

    @property
    def bad(self) -> int:
        return sum(1 for line in self.lines if not line.ok)


# ---------------------------------------------------------------- reading the input

def read_input(path: str | Path, catalog, as_of: dt.date | None = None) -> Roster:
    """A folder of *.toml profiles, one profile file, or a CSV roster. ``as_of``: the assessment
    date (a founding date after it is a wrong value)."""
    path = Path(path)
    if path.is_dir():
        return read_folder(path, catalog, as_of)
    if not path.exists():
        raise InputError("batch.no_input", path=str(path))
    if path.suffix.lower() == ".toml":
        roster = read_files([path], catalog, as_of)
        roster.kind = "file"
        return roster
    return read_csv(path, catalog, as_of)


def read_folder(folder: Path, catalog, as_of: dt.date | None = None) -> Roster:
    try:
        files = sorted((p for p in folder.iterdir()
                        if p.suffix.lower() == ".toml" and not p.name.startswith(".") and p.is_file()),
                       key=lambda p: p.name)
    except OSError as exc:
        raise InputError("batch.unreadable", path=str(folder), reason=exc.strerror or str(exc)) from None
    if not files:
        raise InputError("batch.no_profiles", path=str(folder))
    return read_files(files, catalog, as_of)


def read_files(files: list[Path], catalog, as_of: dt.date | None = None) -> Roster:
    """Every file an item; one that cannot be used is a bad item, whatever it holds."""
    items = []
    for n, p in enumerate(files, 1):
        item = Item(number=n, source=p.name)
        try:
            profile = load_profile(p, catalog.registry, as_of)
        except ProfileError as exc:
            exc.file = p.name            # the file name is enough: the folder is the input
            item.problems.append(exc)
        except (RecursionError, MemoryError, ValueError, ArithmeticError):
            item.problems.append(ProfileError(p.name, None, "error.too_complex"))
        else:
            item.facts, item.warnings = profile.facts, profile.warnings
            item.name = profile.name
        items.append(item)
    return Roster(items, kind="folder")


def decode(raw: bytes) -> str:
    """UTF-8 (with or without a BOM), UTF-16 with a BOM, else GB18030 (a superset of GBK: what
    Chinese Excel saves as "CSV")."""
    if raw.startswith(b"\xef\xbb\xbf"):
        encodings = ("utf-8-sig",)
    elif raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        encodings = ("utf-16",)
    else:
        encodings = ("utf-8", "gb18030")
    for enc in encodings:
        try:
            return raw.decode(enc)
        except UnicodeDecodeError:
            continue
    raise InputError("batch.bad_encoding")


def _delimiter(text: str) -> str:
    first = next((line for line in text.splitlines() if line.strip()), "")
    counts = {d: first.count(d) for d in (",", "\t", ";")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def clean_cell(text: str) -> str:
    """Pasted control and invisible characters removed (the one cleaner, app.engine.text.clean),
    spaces collapsed, ends trimmed."""
    return _SPACES.sub(" ", clean(text)).strip()


def _norm(text: str) -> str:
    return unicodedata.normalize("NFKC", text).lower()


_READ_ERRORS = {"error.no_file": "batch.no_input", "error.not_regular": "batch.not_regular",
                "error.too_large": "batch.too_big"}


def read_csv(path: Path, catalog, as_of: dt.date | None = None) -> Roster:
    try:
        raw = read_regular(path, ROSTER_LIMIT)
    except ReadError as exc:
        raise InputError(_READ_ERRORS.get(exc.key, "batch.unreadable"), path=str(path),
                         **exc.params) from None
    try:
        text = decode(raw).replace("\x00", "")
    except InputError:
        raise InputError("batch.bad_encoding", path=str(path)) from None
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text)))
    except csv.Error as exc:
        raise InputError("batch.bad_csv", path=str(path), reason=str(exc)) from None
    if not rows:
        raise InputError("batch.no_rows", path=str(path))
    columns, warnings = map_header(rows[0], catalog.registry)
    if not columns:
        raise InputError("batch.no_columns", path=str(path))
    parser = CellParser(catalog, as_of)
    items = []
    for number, row in enumerate(rows[1:], 2):
        cells = [clean_cell(c) for c in row]
        if not any(cells):
            continue                                   # a blank line is not a business
        item = Item(number=number, source=str(number))
        facts: dict[str, Any] = {}
        for index, (column, fact) in columns.items():
            cell = cells[index] if index < len(cells) else ""
            if not cell or _norm(cell) in UNKNOWN_WORDS:
                continue                               # unknown, never false or zero
            try:
                facts[fact.name] = parser.parse(fact, cell)
            except ValueError as exc:
                key, params = exc.args
                params = dict(params)
                got = params.pop("got", cell)         # a list names its bad item
                item.problems.append(CellProblem(number, column, fact.name, key, params, got))
        extra = [c for c in cells[len(rows[0]):] if c]
        if extra:       # cells beyond the header: an unquoted 1,000 shifted the row, most likely
            item.problems.append(CellProblem(number, "", "", "batch.extra_cells",
                                             {"count": len(extra)}, " | ".join(extra)))
        item.name = facts.get("name", "") if isinstance(facts.get("name"), str) else ""
        if not item.problems:
            item.facts = facts
        items.append(item)
    if not items:
        raise InputError("batch.no_rows", path=str(path))
    return Roster(items, warnings, kind="csv")


def map_header(header: list[str], registry) -> tuple[dict[int, tuple[str, Fact]], list[tuple[str, dict]]]:
    """Column index -> (column as written, fact); and warnings for the columns not used."""
    columns: dict[int, tuple[str, Fact]] = {}
    seen: dict[str, str] = {}
    warnings: list[tuple[str, dict]] = []
    for index, raw in enumerate(header):
        column = clean_cell(raw)
        if not column:
            continue
        key = _norm(column).replace(" ", "")
        table, _, name = key.rpartition(".")
        fact = registry.get(name)
        if fact is None or fact.derived or (table and table != fact.table):
            warnings.append(("batch.unknown_column", {"column": column}))
            continue
        if fact.name in seen:
            warnings.append(("batch.duplicate_column", {"column": column, "first": seen[fact.name]}))
            continue
        seen[fact.name] = column
        columns[index] = (column, fact)
    return columns, warnings


class CellParser:
    """A cell's text to the value a profile would hold, by the fact's type; check_value has the
    last word. Raises ValueError(expected-key, params)."""

    def __init__(self, catalog, as_of: dt.date | None = None):
        self.catalog, self.as_of = catalog, as_of
        self.registry = catalog.registry
        self._codes: dict[str, dict[str, str | None]] = {}

    def parse(self, fact: Fact, cell: str) -> Any:
        t = fact.type
        if t == TEXT:
            value: Any = cell
        elif t == BOOL:
            word = _norm(cell).replace(" ", "")
            if word in TRUE_WORDS:
                value = True
            elif word in FALSE_WORDS:
                value = False
            else:
                raise ValueError("batch.expected_bool", {})
        elif t in (INT, MONEY, NUMBER):
            q = self.catalog.questions.get(fact.name)
            try:
                value = parse_number(cell, t, q.unit if q else "")
            except ValueError as exc:
                key = exc.args[0]
                if key == "ui.input.negative":
                    raise ValueError("expected.nonnegative", {}) from None
                if key == "ui.input.not_whole":
                    raise ValueError("expected.int", {}) from None
                if key == "ui.input.too_large":
                    raise ValueError("batch.too_large", {}) from None
                raise ValueError(f"expected.{t}", {}) from None
        elif t == DATE:
            try:
                value = parse_date(_TIME.sub("", cell.strip()))
            except ValueError:
                raise ValueError("expected.date", {}) from None
        elif t == CODE:
            value = self.code(fact, cell)
        elif t == CODES:
            parts = [p.strip() for p in LIST_SEPARATORS.split(cell)]
            parts = [p for p in parts if p]
            if len(parts) == 1 and _norm(parts[0]) in NONE_WORDS:
                value = []
            else:
                value = [self.code(fact, p) for p in parts]
        else:  # pragma: no cover - every type is handled above
            value = cell
        try:
            return check_value(fact, value, self.registry, self.as_of)
        except ValueError as exc:
            key, params = exc.args
            raise ValueError(key, {k: v for k, v in params.items() if k != "got"}) from None

    def code(self, fact: Fact, cell: str) -> str:
        lookup = self._lookup(fact.codes or "")
        found = lookup.get(_QUOTES.sub("", _norm(cell)))
        if found is None:
            raise ValueError("expected.code", {"codes": list(self.registry.codes.get(fact.codes or "", {})),
                                               "got": cell})
        return found

    def _lookup(self, list_name: str) -> dict[str, str | None]:
        """Normalised code, Chinese label, English label (and each part of a label written
        with /) -> code; a word that would name two codes names none."""
        if list_name in self._codes:
            return self._codes[list_name]
        from app.i18n.locale import Locale
        en = Locale("en")
        codes = self.registry.codes.get(list_name, {})
        full: dict[str, set[str]] = {}
        parts: dict[str, set[str]] = {}
        for code, label in codes.items():
            labels = [label, en.code_label(list_name, code, self.catalog)]
            for text in labels:
                if not isinstance(text, str) or not text:
                    continue
                full.setdefault(_QUOTES.sub("", _norm(text)), set()).add(code)
                if "/" in text:
                    for part in text.split("/"):
                        key = _QUOTES.sub("", _norm(part))
                        if key:
                            parts.setdefault(key, set()).add(code)
        lookup: dict[str, str | None] = {}
        for key, found in parts.items():
            lookup[key] = next(iter(found)) if len(found) == 1 else None
        for key, found in full.items():       # a whole label beats a part of another
            lookup[key] = next(iter(found)) if len(found) == 1 else None
        for code in codes:                    # a code is always itself
            lookup[_QUOTES.sub("", _norm(code))] = code
        lookup = {k: v for k, v in lookup.items() if v is not None}
        self._codes[list_name] = lookup
        return lookup


# ---------------------------------------------------------------- messages

def row_error_line(problem: CellProblem, loc, catalog=None) -> str:
    """第 5 行：employees（员工人数）有误：应为不小于0的整数（填的是「八个」）."""
    params = dict(problem.params)
    if not problem.fact:
        return loc.t(problem.key, row=problem.row, got=problem.got, **params)
    if "codes" in params:
        params["codes"] = ", ".join(params["codes"])
    expected = loc.t(problem.key, **params)
    label = loc.fact_label(problem.fact, catalog)
    column = problem.column if label in (problem.column, problem.fact) else (
        f"{problem.column}（{label}）" if loc.zh else f"{problem.column} ({label})")
    return loc.t("batch.row_error", row=problem.row, field=column, expected=expected, got=problem.got)


def problem_lines(item: Item, loc, catalog=None,
                  file_error_line: Callable[[ProfileError], str] | None = None) -> list[str]:
    out = []
    for p in item.problems:
        if isinstance(p, CellProblem):
            out.append(row_error_line(p, loc, catalog))
        else:
            out.append((file_error_line or (lambda e: error_line(e, loc)))(p))
    return [clean(line, one_line=True) for line in out]


# ---------------------------------------------------------------- running

def handout_name(item: Item, width: int, fmt: str = "html") -> str:
    stem = safe_filename(item.name or (Path(item.source).stem if not item.source.isdigit() else ""))
    return f"{item.number:0{width}d}-{stem}.{FORMATS[fmt]}"


def assess_item(item: Item, catalog, as_of: dt.date, loc, fmt: str, width: int) -> tuple[Line, str, str]:
    """The summary line, the handout's file name and its text, for one good item."""
    a = assess(catalog, item.facts or {}, as_of)
    lo, hi = a.total()                       # a yearly equivalent of the apply-now section
    now = a.by_section("apply_now")
    top = [f"{title(r, loc)}（{loc.amount(r.amount, catalog)}）" if loc.zh else
           f"{title(r, loc)} ({loc.amount(r.amount, catalog)})"
           for r in now if r.group_choice is not False][:3]
    name = handout_name(item, width, fmt)
    render = render_html if fmt == "html" else render_md
    text = render(a, loc, item.name, item.warnings)
    line = Line(item.source, item.name, loc.t("batch.ok"), True, len(now), lo, hi,
                totals_text(a, loc), len(a.by_section("confirm")), top, name)
    return line, name, text


class _Runner:
    """Assesses good items and writes their handouts, in this process or in a worker."""

    def __init__(self, catalog, as_of: dt.date, lang: str, out: Path, fmt: str, width: int):
        from app.i18n.locale import Locale
        self.catalog, self.as_of, self.out, self.fmt, self.width = catalog, as_of, out, fmt, width
        self.loc = Locale(lang)

    def run(self, item: Item) -> Line:
        try:
            line, name, text = assess_item(item, self.catalog, self.as_of, self.loc, self.fmt,
                                           self.width)
        except (ArithmeticError, RecursionError, MemoryError, ValueError) as exc:
            # one business the engine cannot handle is a bad row, never the end of the run
            return Line(item.source, item.name, self.loc.t("batch.item_failed",
                                                           reason=type(exc).__name__), False)
        _write(self.out / name, text)
        return line

    def run_chunk(self, items: list[Item]) -> list[Line]:
        return [self.run(item) for item in items]


_worker: _Runner | None = None


def _start_worker(*args) -> None:
    import signal
    global _worker
    signal.signal(signal.SIGINT, signal.SIG_IGN)     # Ctrl+C is the parent's to handle
    _worker = _Runner(*args)


def _worker_chunk(items: list[Item]) -> list[Line]:
    assert _worker is not None
    return _worker.run_chunk(items)


POOL_MIN = 100       # fewer good items than this: one process (a pool would cost more than it saves)


def worker_count(good: int, requested: int | None = None) -> int:
    """How many processes assess: HUIQI_BATCH_WORKERS or ``requested`` if given, else one per
    core (at most 4) for big rosters. Only where processes can be forked (Linux): elsewhere
    a worker would start a fresh interpreter and re-read everything, which is not worth it."""
    import multiprocessing
    import os
    import sys
    env = os.environ.get("HUIQI_BATCH_WORKERS", "")
    if requested is None and env.strip().isdigit():
        requested = int(env)
    if requested is None:
        requested = min(os.cpu_count() or 1, 4) if good >= POOL_MIN else 1
    if requested <= 1 or good < 2 or not sys.platform.startswith("linux") \
            or "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return min(requested, good)


def _lines(good: list[Item], args: tuple, workers: int):
    """The summary lines of the good items, in their order; a pool of forked workers when
    ``workers`` > 1 (falling back to this process if no pool can be had)."""
    done = 0
    if workers > 1:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor
        from concurrent.futures.process import BrokenProcessPool
        size = max(1, min(25, len(good) // (workers * 8)))
        chunks = [good[i:i + size] for i in range(0, len(good), size)]
        try:
            pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"),
                                       initializer=_start_worker, initargs=args)
        except (OSError, NotImplementedError, ImportError):
            pool = None      # no pool on this system: all in this process
        if pool is not None:
            try:
                for lines in pool.map(_worker_chunk, chunks):
                    for line in lines:
                        done += 1
                        yield line
                return
            except (OSError, BrokenProcessPool):
                pass         # a worker died: the rest in this process
            finally:         # stopped early (Ctrl+C, a write error): drop what is still queued
                pool.shutdown(wait=True, cancel_futures=True)
    runner = _Runner(*args)
    for item in good[done:]:
        yield runner.run(item)


def run_batch(roster: Roster, catalog, as_of: dt.date, loc, out_dir: str | Path, fmt: str = "html",
              file_error_line: Callable[[ProfileError], str] | None = None,
              progress: Callable[[int, int], None] | None = None,
              workers: int | None = None) -> BatchResult:
    """Assess every good item, write its handout, then summary.csv; bad items are listed with
    their problems, in input order. Raises OutputError when the folder or a file cannot be
    written. ``workers``: processes to use (None: see ``worker_count``)."""
    if fmt not in FORMATS:
        raise ValueError(fmt)
    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(out, exc.strerror or str(exc)) from None
    width = max(3, len(str(max((i.number for i in roster.items), default=0))))
    try:    # a summary left from an earlier run must never stand beside this run's handouts
        (out / SUMMARY).unlink(missing_ok=True)
    except OSError as exc:
        raise OutputError(out / SUMMARY, exc.strerror or str(exc)) from None
    good = [item for item in roster.items if item.ok]
    assessed = _lines(good, (catalog, as_of, loc.lang, out, fmt, width), worker_count(len(good), workers))
    lines: list[Line] = []
    errors: list[str] = []
    total = len(roster.items)
    try:
        for done, item in enumerate(roster.items, 1):
            if item.ok:
                line = next(assessed)
                if not line.ok:
                    errors.append(loc.t("batch.file_warning", source=item.source, warning=line.status))
            else:
                problems = problem_lines(item, loc, catalog, file_error_line)
                errors.extend(problems)
                line = Line(item.source, item.name, ("；" if loc.zh else "; ").join(problems), False)
            lines.append(line)
            if progress is not None:
                progress(done, total)
    except KeyboardInterrupt:
        assessed.close()
        done = len(lines)
        rest = [Line(i.source, i.name, loc.t("batch.not_done"), False) for i in roster.items[done:]]
        result = BatchResult(lines + rest, out, errors)
        _write(out / SUMMARY, summary_csv(result.lines, loc))
        raise Interrupted(result, done) from None
    finally:
        assessed.close()
    _write(out / SUMMARY, summary_csv(lines, loc))
    return BatchResult(lines, out, errors)


def _write(path: Path, text: str) -> None:
    try:
        write_atomic(path, text)
    except OSError as exc:
        raise OutputError(path, exc.strerror or str(exc)) from None


SUMMARY_COLUMNS = ("source", "name", "status", "eligible", "total_min", "total_max", "total_text",
                   "possible", "top1", "top2", "top3", "handout")


def summary_csv(lines: list[Line], loc) -> str:
    """The summary as CSV text, starting with a BOM so that Excel reads it as UTF-8."""
    buf = io.StringIO(newline="")
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow([loc.t(f"batch.col.{c}") for c in SUMMARY_COLUMNS])
    for s in lines:
        top = (s.top + ["", "", ""])[:3]
        w.writerow([_sheet(s.source), _sheet(s.name), _sheet(s.status), _num(s.eligible),
                    _num(s.total_min), _num(s.total_max), _sheet(s.total_text), _num(s.possible),
                    *(_sheet(t) for t in top), s.handout])
    return "\ufeff" + buf.getvalue()


def _num(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)


def _sheet(text: str) -> str:
    """Text a spreadsheet shows as text: never run as a formula (=, +, -, @ first)."""
    text = clean(str(text or ""), one_line=True)     # profile text: no terminal escapes
    return "'" + text if text.startswith(_FORMULA) else text
