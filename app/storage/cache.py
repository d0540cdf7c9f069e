"""A cache of parsed catalogs: JSON (data only, never pickle), keyed by a hash of the file's
bytes, in the user's cache folder. Any failure to read or write it is silent: the catalog is then
simply parsed again. Set HUIQI_NO_CACHE=1 to turn it off, HUIQI_CACHE_DIR to move it."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import tempfile
from pathlib import Path

FORMAT = "2"   # bump when the cached shape or the validator changes


def cache_dir() -> Path | None:
    if os.environ.get("HUIQI_NO_CACHE"):
        return None
    override = os.environ.get("HUIQI_CACHE_DIR")
    if override:
        return Path(override)
    try:
        from platformdirs import user_cache_dir
    except ImportError:
        return None
    return Path(user_cache_dir("huiqi", appauthor=False))


def key_for(raw: bytes) -> str:
    from app import __version__
    return hashlib.sha256(raw + f"|{FORMAT}|{__version__}".encode()).hexdigest()[:32]


def _default(obj):
    if isinstance(obj, dt.date):
        return {"$date": obj.isoformat()}
    raise TypeError(type(obj).__name__)


def _hook(obj: dict):
    if len(obj) == 1 and "$date" in obj:
        return dt.date.fromisoformat(obj["$date"])
    return obj


def read(key: str) -> dict | None:
    folder = cache_dir()
    if folder is None:
        return None
    from app.storage.safe_read import ReadError, read_regular
    try:
        raw = read_regular(folder / f"catalog-{key}.json", 100 * 1024 * 1024)
        data = json.loads(raw, object_hook=_hook)
        return data if isinstance(data, dict) else None
    except (ReadError, ValueError, RecursionError, MemoryError):
        return None


def write(key: str, data: dict) -> None:
    folder = cache_dir()
    if folder is None:
        return
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.glob("catalog-*.json"):
            if old.name != f"catalog-{key}.json":
                old.unlink(missing_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(data, f, ensure_ascii=False, default=_default, separators=(",", ":"))
        os.replace(tmp, folder / f"catalog-{key}.json")
    except (OSError, TypeError, ValueError):
        pass
