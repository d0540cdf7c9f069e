"""Catalog files: read (a regular file of a sane size), parse, validate, with a JSON cache.

The engine builds a catalog from bytes (app/engine/catalog.py); this module is where the file is
read and the cache consulted, so the engine itself never touches the disk.
"""

from __future__ import annotations

from pathlib import Path

from app.engine.catalog import Catalog, CatalogError, Problem, build, digest, parse_bytes, safe_build
from app.engine.problems import Msg
from app.storage import cache
from app.storage.safe_read import CATALOG_LIMIT, ReadError, read_regular



def _read_bytes(path: str | Path) -> bytes:
    """A regular file of at most CATALOG_LIMIT bytes (never a pipe or a device)."""
    try:
        return read_regular(path, CATALOG_LIMIT)
    except ReadError as exc:
        raise CatalogError([read_problem(path, exc)]) from None


def read_problem(path: str | Path, exc: ReadError) -> Problem:
    """A file that cannot be read as a catalog, as a problem with its message key."""
    if exc.key == "error.no_file":
        msg = Msg("read_no_file")
    elif exc.key == "error.not_regular":
        msg = Msg("read_not_regular")
    elif exc.key == "error.too_large":
        msg = Msg("read_too_large", limit=exc.params.get("limit", "?"))
    else:
        msg = Msg("read_failed", reason=exc.params.get("reason", ""))
    return Problem.of(str(path), 0, msg)


def read_catalog_file(path: str | Path) -> tuple[str, dict]:
    """(text, data) or raise CatalogError with one problem."""
    return parse_bytes(_read_bytes(path), str(path))


def load_catalog(path: str | Path, fragment: bool = False, use_cache: bool = True) -> Catalog:
    """Load and validate a catalog. A catalog that validated cleanly before is read back from a
    JSON cache keyed by the file's content hash (tomllib is the slow part); the cache holds data
    only and is never trusted for a file whose bytes differ."""
    raw = _read_bytes(path)
    sha = digest(raw)
    key = None
    if use_cache and not fragment:
        key = cache.key_for(raw)
        data = cache.read(key)
        if data is not None:
            try:
                catalog, problems = build(data, "", str(path), trusted=True)
            except (KeyError, TypeError, AttributeError, ValueError):
                problems = [Problem.of(str(path), 0, Msg("cache_unusable"))]
            if not problems:
                catalog.sha = sha
                return catalog
    text, data = parse_bytes(raw, str(path))
    catalog, problems = safe_build(data, text, str(path), fragment)
    if problems:
        raise CatalogError(problems)
    catalog.sha = sha
    if key is not None:
        cache.write(key, data)
    return catalog


def check_catalog(path: str | Path, fragment: bool = False) -> list[Problem]:
    try:
        text, data = read_catalog_file(path)
    except CatalogError as exc:
        return exc.problems
    return safe_build(data, text, str(path), fragment)[1]


