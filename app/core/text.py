"""Untrusted text made safe to show: control characters (terminal escapes, bidi overrides) removed.
Tiny on purpose: the interactive app imports it on its first screen."""

from __future__ import annotations

import re

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u200b-\u200f\u202a-\u202e]")


def clean(text: object) -> str:
    """Untrusted text without control characters."""
    return _CONTROL.sub("", str(text))


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
