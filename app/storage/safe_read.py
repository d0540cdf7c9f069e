"""Reading user files safely: only regular files of a sane size, TOML with or without a BOM.

Every file a user names (a profile, a catalog from a USB stick, a CSV roster) and every file in
the data folders is read through ``read_regular``: a FIFO would make a plain ``open`` wait
forever and ``/dev/zero`` would be read until memory runs out, so the file is checked with
``os.stat`` before it is opened, opened with O_NONBLOCK (a FIFO swapped in meanwhile cannot
block the open), checked again with ``fstat`` and read no further than its limit.

``parse_toml`` reads TOML text the way Notepad saves it too (a leading UTF-8 BOM), and turns
what tomllib lets escape on hostile input (an integer of thousands of digits, nesting deep
enough to exhaust the stack, memory) into one ``TomlError`` with a reason.

Errors carry a message key under ``error.`` and parameters, like the rest of the core. Pure.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

from app.engine.toml_text import strip_bom

MB = 1024 * 1024
CATALOG_LIMIT = 20 * MB
PROFILE_LIMIT = 1 * MB
ROSTER_LIMIT = 50 * MB

_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0) \
    | getattr(os, "O_CLOEXEC", 0)


class ReadError(Exception):
    """A file that cannot be read as a file: ``key`` (error.*) and ``params`` say why."""

    def __init__(self, path: str | Path, key: str, **params: Any):
        self.path, self.key, self.params = str(path), key, params
        super().__init__(f"{path}: {key} {params}")

    @property
    def reason(self) -> str:
        """English, for messages that have no locale (catalog problems)."""
        return {
            "error.no_file": "file not found",
            "error.not_regular": "not a regular file (a folder, device or pipe)",
            "error.too_large": f"larger than {self.params.get('limit', '?')}",
        }.get(self.key, f"cannot read: {self.params.get('reason', '')}")


def _size_text(limit: int) -> str:
    return f"{limit // MB} MB" if limit >= MB else f"{limit} bytes"


def _check(path: str | Path, st: os.stat_result, limit: int) -> None:
    if not stat.S_ISREG(st.st_mode):
        raise ReadError(path, "error.not_regular")
    if st.st_size > limit:
        raise ReadError(path, "error.too_large", limit=_size_text(limit))


def read_regular(path: str | Path, limit: int) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes, or ReadError."""
    try:
        _check(path, os.stat(path), limit)
        fd = os.open(path, _FLAGS)
    except ReadError:
        raise
    except FileNotFoundError:
        raise ReadError(path, "error.no_file") from None
    except (OSError, ValueError) as exc:       # ValueError: a NUL in the name
        raise ReadError(path, "error.unreadable",
                        reason=getattr(exc, "strerror", None) or str(exc)) from None
    try:
        _check(path, os.fstat(fd), limit)      # the very file opened, not what stat saw
        chunks, total = [], 0
        while True:
            chunk = os.read(fd, min(1 * MB, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:                  # grew while being read
                raise ReadError(path, "error.too_large", limit=_size_text(limit))
        return b"".join(chunks)
    except OSError as exc:
        raise ReadError(path, "error.unreadable", reason=exc.strerror or str(exc)) from None
    finally:
        os.close(fd)


def read_text(path: str | Path, limit: int) -> str:
    """A regular file's UTF-8 text (a leading BOM dropped); UnicodeDecodeError if not UTF-8."""
    return strip_bom(read_regular(path, limit).decode("utf-8"))


