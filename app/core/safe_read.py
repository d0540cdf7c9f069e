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
import re
import stat
import tomllib
from pathlib import Path
from typing import Any

MB = 1024 * 1024
CATALOG_LIMIT = 20 * MB
PROFILE_LIMIT = 1 * MB
ROSTER_LIMIT = 50 * MB
BOM = "\ufeff"

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


class TomlError(ValueError):
    """Text that is not usable TOML; ``reason`` in English (tomllib's own words), ``line`` or 0."""

    def __init__(self, reason: str, line: int = 0):
        self.reason, self.line = reason, line
        super().__init__(reason)


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


def strip_bom(text: str) -> str:
    return text[1:] if text.startswith(BOM) else text


MAX_KEY_PARTS = 100     # a.b.c… : tomllib takes quadratic time on thousands of parts


def _absurd_key(text: str) -> int:
    """The line of a dotted key or table header of more than MAX_KEY_PARTS parts, else 0."""
    for number, line in enumerate(text.splitlines(), 1):
        if len(line) > 2 * MAX_KEY_PARTS and line.split("=", 1)[0].count(".") >= MAX_KEY_PARTS:
            return number
    return 0


def parse_toml(text: str) -> dict:
    """tomllib.loads, a leading BOM allowed; every failure a TomlError."""
    text = strip_bom(text)
    line = _absurd_key(text)
    if line:
        raise TomlError(f"a key of more than {MAX_KEY_PARTS} dotted parts", line)
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"line (\d+)", str(exc))
        raise TomlError(str(exc), int(m.group(1)) if m else 0) from None
    except RecursionError:
        raise TomlError("nested too deeply") from None
    except MemoryError:
        raise TomlError("too large to read") from None
    except ValueError as exc:                  # an integer of more than 4300 digits
        raise TomlError(f"a value out of range ({str(exc)[:80]})") from None
