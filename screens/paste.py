"""A paste arrives whole, as one Paste event, even when it holds escape sequences.

Terminals mark a paste with ESC[200~ ... ESC[201~ (bracketed paste). Textual's input parser
(textual._xterm_parser, Textual 8) reads an ESC *inside* a paste as the start of a key sequence
and sends what follows as key presses: pasting ``ABC␛[31mRED`` typed ``^[31mRED`` and then
pasted ``ABC`` (saved as 「^[31mREDABC」), and a line break in such a paste pressed Enter.

``PasteSafeParser`` drops every escape sequence inside a paste before Textual's parser sees it
(the end marker excepted), character by character, so it works however the terminal's bytes are
split between reads. Keys typed outside a paste pass through untouched and undelayed.
"""

from __future__ import annotations

import sys
from typing import Iterable

from textual._xterm_parser import XTermParser

ESC = "\x1b"
PASTE_START = "\x1b[200~"
PASTE_END = "\x1b[201~"
STRINGS = "]PX^_"            # OSC, DCS, SOS, PM, APC: run to BEL (OSC) or ESC \
LONGEST = 512                # an escape sequence longer than this is given up (and dropped)


class PasteSafeParser(XTermParser):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._in_paste = False
        self._start_seen = 0         # characters of PASTE_START matched so far
        self._held = ""              # an escape sequence being read inside a paste

    def feed(self, data: str) -> Iterable:
        if not data:                                     # the end of input
            return super().feed(data)
        kept = self.filter(data)
        return super().feed(kept) if kept else ()        # "" would mean the end of input

    def filter(self, data: str) -> str:
        out: list[str] = []
        for ch in data:
            if not self._in_paste:
                out.append(ch)
                if ch == PASTE_START[self._start_seen]:
                    self._start_seen += 1
                    if self._start_seen == len(PASTE_START):
                        self._in_paste, self._start_seen = True, 0
                else:
                    self._start_seen = 1 if ch == ESC else 0
            elif self._held:
                self._more(ch, out)
            elif ch == ESC:
                self._held = ch
            else:
                out.append(ch)
        return "".join(out)

    def _more(self, ch: str, out: list[str]) -> None:
        """The next character of an escape sequence inside a paste (all of it is dropped)."""
        held = self._held
        if len(held) > 1 and held[1] in STRINGS:        # a string: up to BEL (OSC) or ESC \
            if len(held) > 2 and held[-1] == ESC:
                if ch == "\\":
                    self._held = ""
                    return
                held = ESC                               # that ESC began another sequence
            elif ch == "\x07" and held[1] == "]":
                self._held = ""
                return
            else:
                self._held = held + ch if len(held) < LONGEST else ""
                return
        if ch == ESC:                                    # the unfinished one is dropped
            self._held = ESC
            return
        held += ch
        kind, code = held[1], ord(ch)
        if len(held) == 2:                               # ESC and one character
            self._held = held if kind in STRINGS or kind == "[" or 0x20 <= code <= 0x2F else ""
        elif kind == "[" and 0x40 <= code <= 0x7E:        # the final byte of ESC [ ...
            if held == PASTE_END:
                out.append(PASTE_END)
                self._in_paste = False
            self._held = ""
        elif kind != "[" and 0x30 <= code <= 0x7E:       # the final byte of ESC, intermediates
            self._held = ""
        elif 0x20 <= code <= (0x3F if kind == "[" else 0x2F) and len(held) < LONGEST:
            self._held = held                            # parameters, intermediates
        else:                                            # not a sequence after all: the
            self._held = ""                              # character is text
            out.append(ch)


def use_paste_safe_parser(driver_class: type) -> None:
    """Make the terminal drivers read input with ``PasteSafeParser``.

    Textual's drivers build their parser from the name ``XTermParser`` in their own module
    (linux_driver, linux_inline_driver, win32); there is no hook for it, so that name is pointed
    at the subclass. Only a name that is still Textual's own parser is replaced: a later Textual
    that reads input differently is left alone (pasted text is cleaned by the fields as well)."""
    names = {driver_class.__module__, "textual.drivers.linux_driver",
             "textual.drivers.linux_inline_driver", "textual.drivers.win32"}
    for name in names:
        module = sys.modules.get(name)
        if module is not None and getattr(module, "XTermParser", None) is XTermParser:
            module.XTermParser = PasteSafeParser
