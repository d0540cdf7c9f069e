"""Catalog and client text is data: shown as plain Content, never parsed as markup.

``plain`` also drops control characters and bidi overrides (a catalog from a USB stick may carry
terminal escapes).
"""

from __future__ import annotations


from textual.content import Content

# One definition for the core's reports and the screens; app.engine.text is tiny, so the first
# screen does not wait for the report module to load.
from app.engine.text import clean  # noqa: F401  (re-exported for the screens)

# Curly quotes and the ellipsis are ambiguous-width: a Chinese terminal may draw them two cells
# wide while Textual counts one, which shifts the rest of the line. On screen they become corner
# brackets and dots; official quotes are shown verbatim (``verbatim=True``).
_WIDTH_SAFE = str.maketrans({"\u201c": "\u300c", "\u201d": "\u300d", "\u2018": "\u300e",
                             "\u2019": "\u300f", "\u2026": "...", "\u00b7": "-"})


def screen_text(text: object) -> str:
    return clean("" if text is None else text).translate(_WIDTH_SAFE)


def plain(text: object, style: str = "", verbatim: bool = False) -> Content:
    """Untrusted or translated text as Content: no markup is interpreted."""
    return Content.styled(clean("" if text is None else text) if verbatim else screen_text(text), style)


def join(*parts: str | Content | tuple[str, str]) -> Content:
    """Pieces of plain text (strings are cleaned, never parsed), tuples are (text, style)."""
    cleaned = []
    for part in parts:
        if isinstance(part, str):
            cleaned.append(screen_text(part))
        elif isinstance(part, tuple):
            cleaned.append((screen_text(part[0]), part[1]))
        else:
            cleaned.append(part)
    return Content.assemble(*cleaned)
