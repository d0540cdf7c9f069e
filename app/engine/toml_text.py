"""TOML text to data, safely: a leading UTF-8 BOM allowed (Notepad), and whatever tomllib lets
escape on hostile input (an integer of thousands of digits, nesting deep enough to exhaust the
stack, memory, absurd dotted keys) turned into one ``TomlError`` with a reason and a line.

Pure: text in, data out. Reading the file is app/storage/safe_read.py's job.
"""

from __future__ import annotations

import re
import tomllib

BOM = "\ufeff"


class TomlError(ValueError):
    """Text that is not usable TOML; ``reason`` in English (tomllib's own words), ``line`` or 0."""

    def __init__(self, reason: str, line: int = 0):
        self.reason, self.line = reason, line
        super().__init__(reason)



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
