"""Safe file names from free text (client names in any language).

Keeps letters and digits of every script (Chinese, Mongolian, Latin ...), turns anything a file
system could object to into ``_``, avoids Windows' reserved names and trailing dots, and bounds the
length in UTF-8 bytes (255 is the common limit; we keep well under it)."""

from __future__ import annotations

import re
import unicodedata

_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)),
             *(f"LPT{i}" for i in range(1, 10))}
_BAD = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')


def safe_filename(text: str, default: str = "client", max_bytes: int = 80) -> str:
    """A file-name stem (no extension) made from ``text``; never empty, never a path."""
    s = unicodedata.normalize("NFC", str(text or ""))
    s = "".join(ch if unicodedata.category(ch)[0] != "C" else " " for ch in s)
    s = _BAD.sub("_", s)
    s = re.sub(r"\s+", " ", s).strip(" .")
    s = s.replace("..", "_")
    if s.startswith("."):
        s = "_" + s[1:]
    while len(s.encode("utf-8")) > max_bytes:
        s = s[:-1]
    s = s.strip(" .")
    if not s or s.upper().split(".")[0] in _RESERVED:
        s = f"{default}_{s}" if s else default
    return s
