"""Installed catalogs: install an update (a USB stick), roll back, see what changed, and always
find a catalog to start with.

Layout of ``catalogs_dir()`` (the user data folder's ``catalogs/``):

- ``catalog-<sha>.toml``  installed catalogs, named by the first 16 hex digits of the sha256 of
  their bytes (the ``Catalog.sha``); at most two are kept: the current and the previous.
- ``installed.toml``      which one is current and which previous, with version, date, title,
  sha, the original file name and when it was installed (written with tomlkit). Rewriting this
  one file (atomically) is the single step that switches catalogs, so a reader sees the old
  state or the new one, never half of either.
- ``last_good.toml``      a copy of the last catalog that loaded cleanly through ``active()``.
- ``.lock``               held by ``install`` and ``rollback`` (two instances never interleave).

Nothing here prints: results carry message keys (``store.*`` in ``locales/*.catalog_store.toml``)
and parameters for the caller to show. No textual or rich.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from app.storage import paths
from app.storage.atomic import FileLock, LockTimeout, clean_temporaries, write_atomic
from app.engine.catalog import Catalog, CatalogError, Policy, Problem
from app.engine.problems import Msg
from app.storage.catalog_files import load_catalog, read_problem
from app.storage.safe_read import CATALOG_LIMIT, ReadError, read_regular, read_text
from app.engine.toml_text import TomlError, parse_toml
from app.engine.text import clean

META = "installed.toml"
LAST_GOOD = "last_good.toml"
LOCK = ".lock"
SOURCES = ("installed", "bundled", "last_good")
# what a changed policy can differ in, in the order they are reported
ASPECTS = ("title", "summary", "kind", "conditions", "amount", "validity", "agencies", "steps",
           "sources", "group")
_SHA_RE = re.compile(r"^[0-9a-f]{16}$")


# ---------------------------------------------------------------- data

@dataclass
class StoreProblem(Problem):
    """A Problem of the store's own (``key`` under ``store.problem.``); ``message`` is the English
    fallback (so ``str()`` still works). Problem itself carries ``key`` and ``params``."""


class StoreError(Exception):
    """Install or rollback refused (nothing changed): ``key``/``params`` name the reason."""

    def __init__(self, key: str, **params: Any):
        self.key, self.params = key, params
        super().__init__(f"{key} {params}" if params else key)


@dataclass
class Installed:
    """One installed catalog as recorded in installed.toml."""
    version: str
    date: dt.date | None
    title: str
    sha: str
    source_name: str                      # the file name it was installed from
    installed_at: dt.datetime | None

    @property
    def file(self) -> str:
        return f"catalog-{self.sha}.toml"

    @property
    def path(self) -> Path:
        return paths.catalogs_dir() / self.file


@dataclass
class InstalledState:
    current: Installed | None = None      # None: the bundled catalog is in use
    previous: Installed | None = None     # what ``rollback()`` goes back to (None: the bundled)


@dataclass
class Active:
    """The catalog to use, and what was tried before it and failed."""
    catalog: Catalog
    path: Path
    source: str                           # "installed" | "bundled" | "last_good"
    version: str
    date: dt.date | None
    fallback_from: list[tuple[Path, list[Problem]]] = field(default_factory=list)
    entry: Installed | None = None        # the installed record, when source == "installed"
    slot: str | None = None               # "current" | "previous", when source == "installed"

    @property
    def fell_back(self) -> bool:
        return bool(self.fallback_from)


@dataclass
class PolicyChange:
    id: str
    title: str                            # the new title (the old one for a removed policy)
    aspects: tuple[str, ...] = ()         # for a changed policy: subset of ASPECTS, in order
    old_title: str = ""


@dataclass
class CatalogDiff:
    old_version: str
    old_date: dt.date | None
    new_version: str
    new_date: dt.date | None
    added: list[PolicyChange] = field(default_factory=list)      # in the new catalog's order
    removed: list[PolicyChange] = field(default_factory=list)    # in the old catalog's order
    changed: list[PolicyChange] = field(default_factory=list)    # in the new catalog's order
    unchanged: int = 0

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed)


@dataclass
class InstallResult:
    changed: bool                         # False: that very catalog is already in use
    new: Installed                        # what is current now
    before_source: str | None             # what was in use: "installed" | "bundled" | "last_good" | None
    before_version: str = ""
    before_date: dt.date | None = None
    previous: Installed | None = None     # what rollback() would go back to (None: the bundled)
    diff: CatalogDiff | None = None       # before → new (None when nothing could be loaded before)
    repaired: bool = False                # the same catalog, its damaged installed file rewritten
    warnings: list[tuple[str, dict]] = field(default_factory=list)   # (key, params)


@dataclass
class RollbackResult:
    current: Installed | None             # now in use (None: the bundled catalog)
    previous: Installed | None            # a second rollback goes back to this


# ---------------------------------------------------------------- installed.toml

def _meta_path() -> Path:
    return paths.catalogs_dir() / META


def _problem(path: Path | str, key: str, message: str, line: int = 0, **params) -> StoreProblem:
    return StoreProblem(str(path), line, message, key=key, params=params)


def read_installed() -> InstalledState:
    """What is installed. No file: nothing. A damaged file raises CatalogError naming it."""
    meta = _meta_path()
    try:
        text = read_text(meta, 64 * 1024)
    except ReadError as exc:
        if exc.key == "error.no_file":
            return InstalledState()
        reason = exc.reason
    except UnicodeDecodeError as exc:
        reason = str(exc)
    else:
        reason = ""
    if reason:
        raise CatalogError([_problem(meta, "store.problem.meta_unreadable",
                                     f"installed-catalog record cannot be read: {reason}",
                                     reason=reason)])
    try:
        data = parse_toml(text)
    except TomlError as exc:
        raise CatalogError([_problem(meta, "store.problem.meta_damaged",
                                     f"installed-catalog record is damaged: {exc.reason}",
                                     exc.line, reason=exc.reason)]) from None
    state = InstalledState()
    for slot in ("current", "previous"):
        raw = data.get(slot)
        if raw is None:
            continue
        entry = _entry(raw)
        if entry is None:
            line = next((i for i, t in enumerate(text.splitlines(), 1)
                         if t.strip() == f"[{slot}]"), 0)
            raise CatalogError([_problem(meta, "store.problem.meta_damaged",
                                         f"installed-catalog record is damaged: bad [{slot}]",
                                         line, reason=f"[{slot}]")])
        setattr(state, slot, entry)
    return state


def _entry(raw: Any) -> Installed | None:
    if not isinstance(raw, dict):
        return None
    sha = raw.get("sha")
    if not isinstance(sha, str) or not _SHA_RE.match(sha):
        return None
    date = raw.get("date")
    when = raw.get("installed_at")
    return Installed(
        version=str(raw.get("version", "")),
        date=date if isinstance(date, dt.date) and not isinstance(date, dt.datetime) else None,
        title=str(raw.get("title", "")),
        sha=sha,
        source_name=str(raw.get("source_name", "")),
        installed_at=when if isinstance(when, dt.datetime) else None)


def _write_installed(state: InstalledState) -> None:
    import tomlkit
    doc = tomlkit.document()
    doc.add(tomlkit.comment("惠企自测 Huiqi: installed policy catalogs (written by "
                            "`python -m app catalog install / rollback`; do not edit)"))
    doc.add(tomlkit.comment("已安装的政策目录记录，由程序维护，请勿手改"))
    doc["format"] = 1
    for slot in ("current", "previous"):
        e: Installed | None = getattr(state, slot)
        if e is None:
            continue
        t = tomlkit.table()
        t["version"] = e.version
        if e.date is not None:
            t["date"] = e.date
        t["title"] = e.title
        t["sha"] = e.sha
        t["file"] = e.file
        t["source_name"] = e.source_name
        if e.installed_at is not None:
            t["installed_at"] = e.installed_at
        doc[slot] = t
    text = tomlkit.dumps(doc)
    write_atomic(_meta_path(), text if text.endswith("\n") else text + "\n")


def _prune(state: InstalledState) -> None:
    """Remove installed files neither current nor previous, and a killed writer's leftovers."""
    folder = paths.catalogs_dir()
    keep = {e.file for e in (state.current, state.previous) if e is not None}
    try:
        for p in folder.glob("catalog-*.toml"):
            if p.name not in keep:
                p.unlink(missing_ok=True)
    except OSError:
        pass
    clean_temporaries(folder)


def _sha(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()[:16]


def _lock() -> FileLock:
    return FileLock(paths.catalogs_dir() / LOCK)


@contextlib.contextmanager
def _store_update():
    """Hold the store's lock; a lock held elsewhere or a failed write becomes a StoreError."""
    try:
        with _lock():
            yield
    except LockTimeout:
        raise StoreError("store.error.locked") from None
    except OSError as exc:
        raise StoreError("store.error.write", path=str(getattr(exc, "filename", None) or
                                                      paths.catalogs_dir()),
                         reason=exc.strerror or str(exc)) from None


# ---------------------------------------------------------------- the catalog in use

def source_key(act: "Active") -> str:
    """store.source.<key> of the catalog in use: installed, previous, bundled or last_good."""
    return "previous" if act.slot == "previous" else act.source


def fallback_message(loc, failed: Path, problems: list[Problem], act: "Active",
                     date_text: Callable[[Any], str] | None = None) -> str:
    """One line for a catalog that could not be used and what is used instead, in ``loc``'s
    language (the commands and the app say it the same way); the problem may quote the damaged
    file, so the line is cleaned of control characters."""
    first = problems[0] if problems else None
    reason = (loc.t("store.at_line", line=first.line) if first and first.line else "") + (
        loc.problem_message(first) if first else "?")
    if len(problems) > 1:
        reason += loc.t("store.more_problems", count=len(problems) - 1)
    return clean(loc.t("store.fallback", file=str(failed), reason=reason,
                       used=loc.t(f"store.source.{source_key(act)}"), version=act.version,
                       date=(date_text or loc.date)(act.date), path=str(act.path)), one_line=True)


def active(load: Callable[..., Catalog] = load_catalog) -> Active:
    """The catalog to use: the installed current, else the bundled one. Should it not load, the
    previous installed, the bundled and the last good copy are tried in turn; ``fallback_from``
    lists what failed. Raises CatalogError with every problem when nothing loads."""
    failures: list[tuple[Path, list[Problem]]] = []
    try:
        state = read_installed()
    except CatalogError as exc:
        state = InstalledState()
        failures.append((_meta_path(), exc.problems))

    bundled = ("bundled", Path(paths.bundled_catalog()), None, None)
    candidates: list[tuple[str, Path, Installed | None, str | None]] = []
    if state.current is not None:
        candidates.append(("installed", state.current.path, state.current, "current"))
        if state.previous is not None:
            candidates.append(("installed", state.previous.path, state.previous, "previous"))
        candidates.append(bundled)
    else:
        candidates.append(bundled)
        if state.previous is not None:
            candidates.append(("installed", state.previous.path, state.previous, "previous"))
    last_good = paths.catalogs_dir() / LAST_GOOD
    candidates.append(("last_good", last_good, None, None))

    for source, path, entry, slot in candidates:
        if source == "last_good" and not path.is_file():
            continue
        try:
            catalog = load(path)
        except CatalogError as exc:
            failures.append((path, list(exc.problems)))
            continue
        except Exception as exc:   # any other failure of one file: try the next one
            failures.append((path, [Problem.of(str(path), 0, Msg("internal", error=type(exc).__name__,
                                                                   detail=str(exc)))]))
            continue
        if entry is not None and catalog.sha and catalog.sha != entry.sha:
            failures.append((path, [_problem(path, "store.problem.changed",
                                             "the file's content changed since it was installed")]))
            continue
        if source != "last_good":
            _remember_last_good(path, catalog.sha)
        return Active(catalog, path, source, catalog.version, catalog.date, failures, entry, slot)
    raise CatalogError([p for _, problems in failures for p in problems]
                       or [Problem.of(str(paths.bundled_catalog()), 0, Msg("none_found"))])


def _remember_last_good(path: Path, sha: str) -> None:
    """Copy a catalog that loaded to last_good.toml, only when it differs; silent on failure
    (a read-only data folder simply has no last good copy)."""
    if not sha:
        return
    target = paths.catalogs_dir() / LAST_GOOD
    try:
        if target.is_file() and _sha(read_regular(target, CATALOG_LIMIT)) == sha:
            return
        raw = read_regular(path, CATALOG_LIMIT)
        if _sha(raw) == sha:            # the very bytes that loaded
            write_atomic(target, raw)
    except (OSError, ReadError):
        pass


# ---------------------------------------------------------------- install and rollback

def install(path: str | Path, load: Callable[..., Catalog] = load_catalog,
            now: dt.datetime | None = None) -> InstallResult:
    """Validate ``path`` fully and make it the current catalog, keeping the one in use as the
    previous. Raises CatalogError (every problem, nothing changed) for a file that is not a sound
    full catalog, StoreError when the store cannot be updated (nothing changed either)."""
    src = Path(path)
    new = load_catalog(src, use_cache=False)
    if not new.policies:
        raise CatalogError([_problem(src, "store.problem.not_full",
                                     "not a full catalog: it has no [[policy]] entries", 1)])
    try:
        raw = read_regular(src, CATALOG_LIMIT)
    except ReadError as exc:
        raise CatalogError([read_problem(src, exc)]) from None
    sha = _sha(raw)
    if sha != new.sha:
        raise StoreError("store.error.file_changed", file=str(src))
    entry = Installed(new.version, new.date, new.title, sha, src.name,
                      now or dt.datetime.now().astimezone().replace(microsecond=0))

    with _store_update():
        warnings: list[tuple[str, dict]] = []
        try:
            state = read_installed()
        except CatalogError:
            state = InstalledState()          # a damaged record is replaced
            warnings.append(("store.warn.meta_replaced", {"file": str(_meta_path())}))
        try:
            before: Active | None = active(load)
        except CatalogError:
            before = None
        result = InstallResult(
            changed=True, new=entry, before_source=before.source if before else None,
            before_version=before.version if before else "",
            before_date=before.date if before else None, warnings=warnings)
        in_use_now = before is not None and not before.fell_back and before.catalog.sha == sha
        if in_use_now:
            result.changed = False
            result.new = before.entry or entry
            result.previous = state.previous
            return result
        if before is not None:
            result.diff = diff(before.catalog, new)
            if before.date and new.date and new.date < before.date:
                warnings.append(("store.warn.older", {
                    "new_version": new.version, "new_date": new.date,
                    "old_version": before.version, "old_date": before.date}))
            elif before.version == new.version:
                warnings.append(("store.warn.same_version", {"version": new.version}))
        if state.current is not None and state.current.sha == sha:
            # the installed current is this catalog but its file is damaged: rewrite it
            new_state = InstalledState(current=state.current, previous=state.previous)
            result.new, result.repaired = state.current, True
        else:
            new_state = InstalledState(current=entry, previous=state.current)
        result.previous = new_state.previous
        write_atomic(new_state.current.path, raw)
        _write_installed(new_state)
        _prune(new_state)
        return result


def rollback(load: Callable[..., Catalog] = load_catalog) -> RollbackResult:
    """Swap current and previous: the previous catalog is used again (the bundled one when there
    is no previous), and a second rollback undoes the first. StoreError when nothing has ever
    been installed; CatalogError when the catalog to go back to no longer loads (nothing
    changed)."""
    with _store_update():
        state = read_installed()
        if state.current is None and state.previous is None:
            raise StoreError("store.error.nothing_to_roll_back")
        back = state.previous
        if back is not None:
            catalog = load(back.path)
            if catalog.sha and catalog.sha != back.sha:
                raise CatalogError([_problem(back.path, "store.problem.changed",
                                             "the file's content changed since it was installed")])
        new_state = InstalledState(current=back, previous=state.current)
        _write_installed(new_state)
        return RollbackResult(new_state.current, new_state.previous)


# ---------------------------------------------------------------- diff

def _aspects(p: Policy) -> dict[str, Any]:
    return {
        "title": p.title,
        "summary": (p.summary, p.note),
        "kind": p.kind,
        "conditions": p.rules,          # nodes compare by kind and content
        "amount": p.amount,
        "validity": (p.valid_from, p.valid_until, p.open_ended, p.validity_text, p.draft),
        "agencies": (list(p.lead), list(p.partners)),
        "steps": (list(p.steps), list(p.materials)),
        "sources": [(s.doc.id, s.doc.title, s.doc.issued, s.article, s.quote) for s in p.sources],
        "group": p.group,
    }


def diff(old: Catalog, new: Catalog) -> CatalogDiff:
    """Added, removed and changed policies (by id); for a changed one, which aspects differ.
    Compares the parsed structures, so layout, comments and order do not count."""
    result = CatalogDiff(old.version, old.date, new.version, new.date)
    old_by_id = {p.id: p for p in old.policies}
    new_ids = {p.id for p in new.policies}
    for p in new.policies:
        before = old_by_id.get(p.id)
        if before is None:
            result.added.append(PolicyChange(p.id, p.title))
            continue
        a, b = _aspects(before), _aspects(p)
        changed = tuple(k for k in ASPECTS if a[k] != b[k])
        if changed:
            result.changed.append(PolicyChange(p.id, p.title, changed, before.title))
        else:
            result.unchanged += 1
    result.removed = [PolicyChange(p.id, p.title) for p in old.policies if p.id not in new_ids]
    return result
