"""Untrusted text made safe to show: control characters (terminal escapes, bidi overrides) removed.
Tiny on purpose: the interactive app imports it on its first screen."""

from __future__ import annotations

import re

# C0 controls but tab and newline, DEL, C1 controls (U+0080-U+009F: U+009B is a one-character
# CSI to many terminals), zero-width and bidi controls, line/paragraph separators, BOM
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]")
_BREAKS = re.compile(r"[\t\n]+")


def clean(text: object, one_line: bool = False) -> str:
    """Untrusted text without control characters; ``one_line``: tabs and newlines become a space
    too (a message line that catalog or profile text cannot split into a forged second line)."""
    out = _CONTROL.sub("", str(text))
    return _BREAKS.sub(" ", out) if one_line else out


def brief(value: object, limit: int = 60) -> str:
    """A short, safe repr of an untrusted value for a message: text quoted, long values cut,
    deep nesting elided, never an exception (a 10,000-deep table or a huge integer)."""
    import datetime as dt
    import reprlib
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()                 # 9999-12-31, as the file has it
    r = reprlib.Repr()
    r.maxstring = r.maxother = r.maxlong = limit
    r.maxlevel, r.maxlist, r.maxdict = 3, 6, 6
    try:
        text = r.repr(value)
    except (RecursionError, ValueError, MemoryError):
        text = f"<{type(value).__name__}>"
    return text if len(text) <= limit else text[:limit - 1] + "…"


def quoted(text: str, limit: int = 60) -> str:
    """Untrusted text in double quotes for a message: cleaned to one line and cut at ``limit``."""
    text = clean(text, one_line=True)
    return f'"{text if len(text) <= limit else text[:limit - 1] + "…"}"'


# A whole terminal escape sequence: CSI (ESC [ ... final), OSC (ESC ] ... BEL or ESC \), the
# string kinds DCS/SOS/PM/APC (ESC P/X/^/_ ... ESC \), or ESC + intermediates + final.
_ESCAPE = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]?|\][^\x07\x1b]*(?:\x07|\x1b\\)?"
                     r"|[PX^_][^\x1b]*(?:\x1b\\)?|[ -/]*[0-~]?)")


def one_line(text: object) -> str:
    """Pasted text for a one-line field: escape sequences removed whole (``ABC\\x1b[31mRED`` ->
    ``ABCRED``), its lines joined with a space, control characters removed."""
    lines = _ESCAPE.sub("", str(text)).replace("\t", " ").splitlines()
    if len(lines) > 1:
        lines = [line.strip() for line in lines if line.strip()]
    return clean(" ".join(lines))
