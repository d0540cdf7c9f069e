"""Untrusted text made safe to show: control characters (terminal escapes, bidi overrides) removed.
Tiny on purpose: the interactive app imports it on its first screen."""

from __future__ import annotations

import re

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u200b-\u200f\u202a-\u202e]")


def clean(text: object) -> str:
    """Untrusted text without control characters."""
    return _CONTROL.sub("", str(text))
