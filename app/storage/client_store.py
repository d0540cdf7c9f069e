"""Saved clients: one profile file per business in the user's data folder.

Each file is a contract profile (``[business]``, ``[situation]``, ``[plans]``) that ``python -m
app assess`` reads as it is, plus our own ``[huiqi]`` table of record-keeping (id, created,
updated, staff note, where the questionnaire stood, and which catalog last assessed it). Files
are written with tomlkit, so a hand edit's comments and order survive a save.

Safety:
- every write is atomic (app.storage.atomic.write_atomic): a killed process leaves the old file or
  the new one, never half of one;
- a save changes only what this session changed since it last saved (set or forgot an answer),
  applied to the file as it is *now* under a lock file, so two desks editing the same client lose
  no answers (the same answer changed at both desks: the later save wins);
- a file that cannot be read (not TOML, not UTF-8, a value of the wrong kind) is moved to the
  ``damaged`` folder beside the clients and reported; it never breaks the list.

Pure: no textual/rich.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.storage.atomic import FileLock, clean_temporaries, write_atomic
from app.engine.facts import DEFAULT_REGISTRY, TABLES, FactRegistry
from app.storage.names import safe_filename
from app.engine.profile import RECORD_TABLE, ProfileError, parse_profile
from app.storage.safe_read import PROFILE_LIMIT, ReadError, read_text
from app.engine.toml_text import TomlError, parse_toml
from app.engine.text import brief

META = RECORD_TABLE           # our table in a client file
IN_PROGRESS, DONE = "in_progress", "done"
DAMAGED = "damaged"
SEQ = ".seq"                  # the folder's save counter: which client was saved last
HEADER = ("惠企自测 客户档案 (Huiqi client profile). 可用 python -m app assess 本文件 测算；"
          "[huiqi] 表为记录信息。")


@dataclass
class ClientInfo:
    """One saved client as listed (read from its file)."""
    id: str
    path: Path
    name: str
    facts: dict[str, Any]
    created: dt.datetime | None = None
    updated: dt.datetime | None = None
    note: str = ""
    state: str = IN_PROGRESS
    position: str | None = None
    seen: list[str] = field(default_factory=list)
    catalog_sha: str = ""
    catalog_version: str = ""
    assessed_on: dt.date | None = None
    results: str = ""                       # digest of the results when last assessed
    changed: bool = False                   # 政策更新：结果有变化 (set by flag_changes)
    seq: int = 0                            # the folder's save counter at its last save

    @property
    def label(self) -> str:
        return self.name or ""


@dataclass
class SetAside:
    """A file that could not be read and was moved out of the way."""
    original: Path
    moved_to: Path | None
    key: str                                # message key (error.*) and its params
    params: dict = field(default_factory=dict)

    @property
    def notice_key(self) -> str:
        """The message telling the user: moved to the damaged folder, or left where it was (a
        read-only folder), never "moved" when nothing moved."""
        return "ui.clients.set_aside" if self.moved_to is not None else "ui.clients.set_aside_kept"


@dataclass
class Listing:
    clients: list[ClientInfo]
    set_aside: list[SetAside]


@dataclass
class Client:
    """An open client: where its file is and what was last saved (to know what changed)."""
    id: str
    path: Path | None
    saved: dict[str, Any]                   # facts as opened, then as this session last saved them
    created: dt.datetime
    note: str = ""


def _now() -> dt.datetime:
    return dt.datetime.now().astimezone()


def new_id() -> str:
    return dt.datetime.now().strftime("%Y%m%d%H%M%S") + "-" + secrets.token_hex(3)


def results_digest(catalog, facts: dict[str, Any], as_of: dt.date) -> str:
    """What a client's results are, in a few characters: each shown policy's status and amount.
    Two digests differ exactly when the list a client would see differs."""
    from app.engine.assessment import assess
    assessment = assess(catalog, facts, as_of)
    parts = []
    for r in sorted(assessment.shown, key=lambda r: r.policy.id):
        amt = r.amount
        parts.append(f"{r.policy.id}:{r.status}:{amt.min if amt else ''}:{amt.max if amt else ''}")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]


class Workspace:
    def __init__(self, folder: str | Path | None = None, registry: FactRegistry | None = None):
        if folder is None:
            from app.storage.paths import clients_dir
            folder = clients_dir()
        self.folder = Path(folder)
        self.registry = registry or DEFAULT_REGISTRY
        self._flag_cache: dict[tuple, bool] = {}
        self._set_aside_log: list[SetAside] = []

    def take_set_aside(self) -> list[SetAside]:
        """Files set aside since last asked (by a listing or a save), for the app to report."""
        items, self._set_aside_log = self._set_aside_log, []
        return items

    # ------------------------------------------------------------ reading

    def _lock(self) -> FileLock:
        return FileLock(self.folder / ".lock")

    def _read(self, path: Path) -> tuple[ClientInfo | None, SetAside | None]:
        try:
            text = read_text(path, PROFILE_LIMIT)
        except ReadError as exc:
            if exc.key == "error.no_file":
                return None, None
            return None, SetAside(path, None, exc.key, dict(exc.params))
        except UnicodeDecodeError:
            return None, SetAside(path, None, "error.not_utf8")
        try:
            data = parse_toml(text)
        except TomlError as exc:
            return None, SetAside(path, None, "error.bad_toml", {"reason": exc.reason})
        meta = data.pop(META, {})
        if not isinstance(meta, dict):
            meta = {}
        try:
            profile = parse_profile(data, self.registry, str(path))
        except ProfileError as exc:
            return None, SetAside(path, None, "error.bad_value",
                                  {"field": exc.field or "", "got": brief(exc.params.get("got"))})
        return _info(path, profile.facts, meta), None

    def _set_aside(self, item: SetAside) -> SetAside:
        damaged = self.folder / DAMAGED
        try:
            damaged.mkdir(parents=True, exist_ok=True)
            stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
            target = damaged / f"{item.original.stem}.{stamp}{item.original.suffix}"
            n = 1
            while target.exists():
                n += 1
                target = damaged / f"{item.original.stem}.{stamp}-{n}{item.original.suffix}"
            os.replace(item.original, target)
            item.moved_to = target
        except OSError:
            item.moved_to = None        # could not move it: still reported, still skipped
        self._set_aside_log.append(item)
        return item

    def list(self, catalog=None, as_of: dt.date | None = None) -> Listing:
        """Every readable client, newest first; unreadable files set aside and reported. With a
        catalog, clients last assessed with another catalog whose results would now differ are
        flagged (``changed``)."""
        clients: dict[str, ClientInfo] = {}
        set_aside: list[SetAside] = []
        if not self.folder.is_dir():
            return Listing([], [])
        clean_temporaries(self.folder)
        for path in sorted(self.folder.glob("*.toml")):
            info, bad = self._read(path)
            if bad is not None:
                set_aside.append(self._set_aside(bad))
                continue
            if info is None:
                continue
            other = clients.get(info.id)      # a crash between rename steps can leave two copies
            if other is None or _last_saved(info) > _last_saved(other):
                clients[info.id] = info
        out = sorted(clients.values(), key=_key, reverse=True)
        if catalog is not None:
            self.flag_changes(out, catalog)
        return Listing(out, set_aside)

    def flag_changes(self, clients: list[ClientInfo], catalog) -> None:
        """Mark clients whose results differ under this catalog from when they were last assessed
        (same as-of date, so only the catalog can explain the difference)."""
        for info in clients:
            info.changed = False
            if not info.results or not info.catalog_sha or info.catalog_sha == catalog.sha:
                continue
            key = (info.id, info.results, info.catalog_sha, catalog.sha, info.assessed_on)
            if key not in self._flag_cache:
                try:
                    digest = results_digest(catalog, info.facts, info.assessed_on or dt.date.today())
                except Exception:          # a fact the new catalog rejects: say it changed
                    digest = ""
                self._flag_cache[key] = digest != info.results
            info.changed = self._flag_cache[key]

    def latest_unfinished(self) -> ClientInfo | None:
        """The client most recently left in the middle of its questionnaire (for 'resume'): the
        last saved by the folder's save counter, which a clock set back cannot reorder."""
        unfinished = [info for info in self.list().clients
                      if info.state == IN_PROGRESS and (info.facts or info.seen)]
        return max(unfinished, key=_last_saved, default=None)

    @staticmethod
    def search(clients: list[ClientInfo], text: str, registry: FactRegistry | None = None) -> list[ClientInfo]:
        """Clients whose name, county, league, sector, note or file name contain every word."""
        words = [w.casefold() for w in text.split() if w]
        if not words:
            return list(clients)
        reg = registry or DEFAULT_REGISTRY
        out = []
        for info in clients:
            f = info.facts
            hay = [info.name, info.note, info.path.stem, str(f.get("county") or "")]
            if f.get("league"):
                hay += [f["league"], reg.code_label("league", f["league"])]
            for s in f.get("sectors") or []:
                hay += [s, reg.code_label("sectors", s)]
            blob = "\n".join(hay).casefold()
            if all(w in blob for w in words):
                out.append(info)
        return out

    # ------------------------------------------------------------ opening and saving

    def new(self, facts: dict[str, Any] | None = None, note: str = "") -> Client:
        """A client not yet on disk; its file is created by the first save."""
        return Client(new_id(), None, {}, _now(), note)

    def open(self, info: ClientInfo) -> Client:
        return Client(info.id, info.path, dict(info.facts), info.created or _now(), info.note)

    def save(self, client: Client, facts: dict[str, Any], *, seen=(), position: str | None = None,
             state: str | None = None, catalog=None, as_of: dt.date | None = None,
             note: str | None = None) -> dict[str, Any]:
        """Write what changed since the client was opened or last saved; return the facts now in
        the file (this session's and any another desk saved meanwhile). Raises OSError when the
        file cannot be written (the caller says so; the answers stay in memory)."""
        import tomlkit
        changes = {k: v for k, v in facts.items() if client.saved.get(k, _MISSING) != v}
        removed = [k for k in client.saved if k not in facts]
        with self._lock():
            path = self._locate(client)
            doc = None
            if path is not None:
                info, bad = self._read(path)
                if bad is not None:
                    self._set_aside(bad)
                    path = None
                else:
                    try:
                        doc = tomlkit.parse(read_text(path, PROFILE_LIMIT))
                    except (ReadError, UnicodeDecodeError) as exc:  # changed since it was read
                        raise OSError(f"{path}: {exc}") from None
            if doc is None:               # no file (new, deleted or set aside): write everything
                doc = _new_doc(client)
                changes, removed = dict(facts), []
            for name, value in changes.items():
                fact = self.registry.get(name)
                if fact is None or fact.derived or fact.table not in TABLES:
                    continue
                if fact.table not in doc:
                    doc[fact.table] = tomlkit.table()
                doc[fact.table][name] = _toml_value(value)
            for name in removed:
                fact = self.registry.get(name)
                if fact is not None and fact.table in doc and name in doc[fact.table]:
                    del doc[fact.table][name]
            if META not in doc:           # a profile copied in by hand: give it a record
                if client.id.startswith("file:"):
                    client.id = new_id()
                doc[META] = _meta_table(client)
            meta = doc[META]
            meta["updated"] = _now()
            seq = self._next_seq()
            meta["seq"] = seq
            if note is not None:
                meta["note"] = note
                client.note = note
            if position is not None:
                meta["position"] = position
            if state is not None:
                meta["state"] = state
            if seen:
                old = list(meta.get("seen", []))
                meta["seen"] = old + [s for s in seen if s not in old]
            merged = _facts_of(doc, self.registry)
            if catalog is not None and getattr(catalog, "sha", "") and (
                    meta.get("state") == DONE or "results" in meta):
                # the digest behind 「政策更新：结果有变化」: for clients that have seen results
                # (an assessment per save costs ~5 ms; an unfinished client is re-assessed anyway)
                day = as_of or dt.date.today()
                meta["catalog_version"] = catalog.version
                meta["catalog_sha"] = catalog.sha
                meta["assessed_on"] = day
                meta["results"] = results_digest(catalog, merged, day)
            target = self._target(path, merged.get("name") or "")
            write_atomic(target, tomlkit.dumps(doc))
            self._store_seq(seq)
            if path is not None and path != target:
                try:
                    os.unlink(path)
                except OSError:
                    pass
        client.path = target
        client.saved = dict(facts)    # what this session said: its next save sends only changes
        return merged

    def _next_seq(self) -> int:
        """The next value of the save counter (called under the lock). Should the counter file be
        missing or damaged, it goes on from the highest value any client file holds."""
        try:
            return int(read_text(self.folder / SEQ, 64).strip()) + 1
        except (ReadError, UnicodeDecodeError, ValueError):
            pass
        highest = 0
        if self.folder.is_dir():
            for p in self.folder.glob("*.toml"):
                info, _ = self._read(p)
                if info is not None:
                    highest = max(highest, info.seq)
        return highest + 1

    def _store_seq(self, seq: int) -> None:
        """A hint, not a record: a lost write is repaired by ``_next_seq`` from the files."""
        try:
            (self.folder / SEQ).write_text(f"{seq}\n", encoding="ascii")
        except OSError:
            pass

    def _locate(self, client: Client) -> Path | None:
        """The client's file: where it was, or wherever another desk renamed it."""
        if client.path is not None and client.path.exists():
            if _id_of(client.path) in (client.id, None):
                return client.path
        if not self.folder.is_dir():
            return None
        for p in self.folder.glob("*.toml"):
            if _id_of(p) == client.id:
                return p
        return None

    def _target(self, current: Path | None, name: str) -> Path:
        stem = safe_filename(name, default="未命名客户") if name else None
        if current is not None and (stem is None or current.stem == stem or
                                    _strip_counter(current.stem) == stem):
            return current
        if stem is None:
            stem = "未命名客户-" + dt.datetime.now().strftime("%m%d-%H%M%S")
        self.folder.mkdir(parents=True, exist_ok=True)
        candidate, n = self.folder / f"{stem}.toml", 1
        while candidate.exists() and candidate != current:
            n += 1
            candidate = self.folder / f"{stem} ({n}).toml"
        return candidate

    # ------------------------------------------------------------ managing

    def rename(self, info: ClientInfo, name: str) -> ClientInfo:
        client = self.open(info)
        facts = dict(client.saved)
        if name.strip():
            facts["name"] = name.strip()
        else:
            facts.pop("name", None)
        self.save(client, facts)
        return self._reload(client)

    def set_note(self, info: ClientInfo, note: str) -> ClientInfo:
        client = self.open(info)
        self.save(client, dict(client.saved), note=note)
        return self._reload(client)

    def duplicate(self, info: ClientInfo, name: str = "", catalog=None,
                  as_of: dt.date | None = None) -> ClientInfo:
        """A new client like this one, to be checked: the same answers under a new name, and the
        same place in the questionnaire and state (a copy of a finished client is finished and
        opens on its results; of an unfinished one, at the question where that one stood).
        ``catalog`` records the results digest of a finished copy, as a save would."""
        client = self.new()
        facts = dict(info.facts)
        if name.strip():
            facts["name"] = name.strip()
        else:
            facts.pop("name", None)
        self.save(client, facts, seen=list(info.seen), position=info.position,
                  state=info.state or IN_PROGRESS, catalog=catalog, as_of=as_of)
        return self._reload(client)

    def delete(self, info: ClientInfo) -> None:
        with self._lock():
            path = self._locate(Client(info.id, info.path, {}, _now()))
            if path is not None:
                os.unlink(path)

    def mark_reviewed(self, info: ClientInfo, catalog, as_of: dt.date | None = None) -> None:
        """Opened after a catalog change: record the current catalog so the flag goes away."""
        client = self.open(info)
        self.save(client, dict(client.saved), catalog=catalog, as_of=as_of)

    def _reload(self, client: Client) -> ClientInfo:
        info, _ = self._read(client.path) if client.path else (None, None)
        if info is None:
            raise OSError(f"{client.path}: vanished")
        return info


_MISSING = object()


def _key(info: ClientInfo):
    return (info.updated or dt.datetime.min.replace(tzinfo=dt.timezone.utc)).timestamp()


def _last_saved(info: ClientInfo) -> tuple[int, float]:
    """Save order: the folder's save counter, then (files saved before it existed) the time."""
    return info.seq, _key(info)


def _strip_counter(stem: str) -> str:
    if stem.endswith(")") and " (" in stem:
        base, _, n = stem.rpartition(" (")
        if n[:-1].isdigit():
            return base
    return stem


def _id_of(path: Path) -> str | None:
    try:
        data = parse_toml(read_text(path, PROFILE_LIMIT))
    except (ReadError, UnicodeDecodeError, TomlError):
        return None
    meta = data.get(META)
    return meta.get("id") if isinstance(meta, dict) else None


def _as_datetime(value) -> dt.datetime | None:
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.astimezone()
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day).astimezone()
    return None


def _info(path: Path, facts: dict[str, Any], meta: dict) -> ClientInfo:
    def text(key):
        v = meta.get(key)
        return v if isinstance(v, str) else ""
    seen = meta.get("seen")
    seen = [s for s in seen if isinstance(s, str)] if isinstance(seen, list) else []
    assessed = meta.get("assessed_on")
    updated = _as_datetime(meta.get("updated"))
    if updated is None:
        try:
            updated = dt.datetime.fromtimestamp(path.stat().st_mtime).astimezone()
        except OSError:
            updated = None
    state = text("state") or DONE
    seq = meta.get("seq")
    return ClientInfo(
        id=text("id") or f"file:{path.name}", path=path, name=str(facts.get("name") or ""),
        facts=facts, created=_as_datetime(meta.get("created")), updated=updated,
        note=text("note"), state=state, position=text("position") or None, seen=seen,
        catalog_sha=text("catalog_sha"), catalog_version=text("catalog_version"),
        assessed_on=assessed if isinstance(assessed, dt.date) and not isinstance(assessed, dt.datetime) else None,
        results=text("results"),
        seq=seq if isinstance(seq, int) and not isinstance(seq, bool) and seq > 0 else 0)


def _new_doc(client: Client):
    import tomlkit
    doc = tomlkit.document()
    for line in HEADER.split("；"):
        doc.add(tomlkit.comment(line))
    doc[META] = _meta_table(client)
    return doc


def _meta_table(client: Client):
    import tomlkit
    meta = tomlkit.table()
    meta["id"] = client.id
    meta["created"] = client.created
    meta["updated"] = client.created
    meta["state"] = IN_PROGRESS
    meta["note"] = client.note
    return meta


def _facts_of(doc, registry: FactRegistry) -> dict[str, Any]:
    data = {k: v for k, v in doc.unwrap().items() if k != META}
    return parse_profile(data, registry).facts


def _toml_value(value):
    if isinstance(value, list):
        import tomlkit
        arr = tomlkit.array()
        arr.extend(value)
        return arr
    return value
