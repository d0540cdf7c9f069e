"""Finding an item of a list as it is typed: by its Chinese words, its code, its English words or
its pinyin, full (``canyin``), initials (``cy``) or a mix (``cany``, ``cyin``), all find 餐饮.

Pure: no Textual, no Rich. ``matches(query, texts)`` says whether an item whose texts (labels in
both languages, code, name...) are ``texts`` is found by ``query``; ``rank`` says how well, and
``find`` filters and orders a list. Several words (separated by spaces) must all be found, each
in any of the texts.

How a word is found in one text: the text is read one character at a time from any position;
a Chinese character is matched by itself or by any leading part of one of its readings
(餐 by ``c``, ``ca``, ``can``), any other letter or digit by itself (case and full-width
ignored), and punctuation may be passed over (``coldchain`` finds ``cold_chain``,
``zhusujiudian`` finds 住宿/酒店); a space may not (``ls`` does not find "environmental services"). So initials, full pinyin and any mix of the two work, as in a
pinyin input method.

Readings come from pypinyin (``heteronym=True``, toneless): every reading of a character
counts, so a polyphone is found by each of its readings (行 by ``xing`` and ``hang``, 重庆 by
``chongqing`` and also ``zhongqing``): an entry that does not match when the user typed the
right reading is a dead end. Rare readings also find unexpected entries (造 has a reading
``cao``), so what only a character's less common readings find comes after what its most
common reading finds: ``cy`` lists 餐饮 before 制造业. pypinyin's phrase
dictionary (which picks the one reading a word has) is not loaded: it takes about 0.2 s and
40 MB, and with every reading counted it adds nothing here. ü is typed ``v`` or ``u``
(``lvxingshe`` and ``luxingshe`` both find 旅行社). pypinyin is imported on the first search,
so it costs nothing at start-up; without it, search still works on characters, codes and
English.
"""

from __future__ import annotations

import os
import re
import sys
import unicodedata
from functools import lru_cache
from typing import Hashable, Iterable, Sequence, TypeVar

T = TypeVar("T", bound=Hashable)

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
_DROP = str.maketrans("", "", "'’‘·")       # xi'an, 乌兰·察布: separators people type or not
_pinyin = None                               # pypinyin.pinyin once imported; False if missing


def normalize(text: str) -> str:
    """Full-width to half-width, case folded, syllable apostrophes removed."""
    return unicodedata.normalize("NFKC", text or "").casefold().translate(_DROP)


def words(query: str) -> list[str]:
    return normalize(query).split()


def _load_pinyin():
    """pypinyin's ``pinyin`` function, imported without its phrase dictionary; None if absent."""
    global _pinyin
    if _pinyin is None:
        saved = os.environ.get("PYPINYIN_NO_PHRASES")
        if "pypinyin" not in sys.modules:
            os.environ["PYPINYIN_NO_PHRASES"] = "1"     # read once, when pypinyin is imported
        try:
            from pypinyin import Style, pinyin
        except ImportError:
            _pinyin = False
        else:
            _pinyin = lambda ch: pinyin(ch, style=Style.NORMAL, heteronym=True, errors="ignore")  # noqa: E731
        finally:
            if saved is None:
                os.environ.pop("PYPINYIN_NO_PHRASES", None)
            else:
                os.environ["PYPINYIN_NO_PHRASES"] = saved
    return _pinyin or None


@lru_cache(maxsize=8192)
def readings(char: str) -> tuple[str, ...]:
    """Every toneless reading of one Chinese character, the most common first (pypinyin's order);
    ü as ``v`` and as ``u``; () for anything else."""
    if not _HAN.fullmatch(char):
        return ()
    convert = _load_pinyin()
    if convert is None:
        return ()
    found: list[str] = []
    for group in convert(char):
        for reading in group:
            for variant in (reading, reading.replace("v", "u")):
                if variant and variant.isascii() and variant not in found:
                    found.append(variant)
    return tuple(found)


def _common(char: str) -> tuple[str, ...]:
    """The most common reading of a character (with its ü spelt u too)."""
    first = readings(char)[:1]
    return first + tuple(r for r in readings(char)[1:2] if first and r == first[0].replace("v", "u"))


# A unit of a text: (character, its readings, may it be passed over).
Unit = tuple[str, tuple[str, ...], bool]


@lru_cache(maxsize=16384)
def key(text: str, every_reading: bool = True) -> tuple[Unit, ...]:
    """What searching a text needs, built once per text (labels repeat from keystroke to
    keystroke): with every reading of each character, or with only its most common one."""
    units = []
    for ch in normalize(text):
        skippable = not (ch.isalnum() or ch.isspace() or _HAN.fullmatch(ch))
        units.append((ch, readings(ch) if every_reading else _common(ch), skippable))
    return tuple(units)


def _steps(word: str, j: int, unit: Unit) -> Iterable[int]:
    """Positions in ``word`` reachable after matching ``word[j:]`` against one unit."""
    ch, sounds, skippable = unit
    if skippable:
        yield j
    if j < len(word) and word[j] == ch:
        yield j + 1
    for sound in sounds:
        k = 0
        while k < len(sound) and j + k < len(word) and word[j + k] == sound[k]:
            k += 1
            yield j + k


def _found(word: str, units: tuple[Unit, ...], anywhere: bool = True) -> bool:
    """Is ``word`` matched by a run of consecutive units (from the first unit if not ``anywhere``)?"""
    if not word:
        return True
    states = {0}
    for unit in units:
        following = {n for j in states for n in _steps(word, j, unit)}
        if len(word) in following:
            return True
        if anywhere:
            following.add(0)
        states = following
        if not states:
            return False
    return False


def rank(query: str, texts: Sequence[str]) -> int | None:
    """None if a word of the query is in none of the texts; else how well the query fits, 0 the
    best: per word, 0 if found at the start of a text, 1 inside one, 2 and 3 the same when only a
    rarer reading of a character finds it (造 read cao finds 制造 by ``zc``, after 餐厅)."""
    total = 0
    texts = [t for t in texts if t]
    for word in words(query):
        for penalty, every in ((0, False), (2, True)):
            keys = [key(t, every) for t in texts]
            if any(_found(word, k, anywhere=False) for k in keys):
                total += penalty
                break
            if any(_found(word, k) for k in keys):
                total += penalty + 1
                break
        else:
            return None
    return total


def matches(query: str, texts: Sequence[str]) -> bool:
    return rank(query, texts) is not None


def find(query: str, items: Sequence[tuple[T, Sequence[str]]]) -> list[T]:
    """The ids of the items found, best first; items that fit equally keep their order.
    An empty query finds every item, in order."""
    if not words(query):
        return [item_id for item_id, _ in items]
    ranked = []
    for index, (item_id, texts) in enumerate(items):
        r = rank(query, texts)
        if r is not None:
            ranked.append((r, index, item_id))
    return [item_id for _, _, item_id in sorted(ranked, key=lambda x: x[:2])]
