"""Vietnamese text as people type and read it: accent-insensitive search keys and alphabetical order.

Search: `fold("Hợp tác xã Vĩnh Thái")` is "hop tac xa vinh thai" (unidecode folds Đ to D, which
plain NFD stripping does not; both tone-mark spellings, "hoà" and "hòa", fold alike). Officials
write "HTX" as often as "hợp tác xã", so `search_key()` stores a name in both forms, the
abbreviated one first ("htx vinh thai | hop tac xa vinh thai"), and `search_words()` turns a
query into the abbreviated form: "hop tac xa vinh" and "HTX Vĩnh" look for the same words.
Models keep the key in an indexed `search_key` column so the same `contains` query works on
SQLite and PostgreSQL (a trigram index helps it there).

Order: `sort_key()` is the Unicode Collation Algorithm (pyuca, the DUCET table) with the
Vietnamese tailoring of CLDR: ă, â, đ, ê, ô, ơ, ư are letters of their own after a, d, e, o, u
(a < ă < â, o < ô < ơ), and tones differ only at the second level, in the order
ngang, huyền, hỏi, ngã, sắc, nặng. PostgreSQL sorts with ICU's `vi-VN` collation, which carries
the same rules (core/collation.py); SQLite calls `vi_compare`.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from unidecode import unidecode

_SPACES = re.compile(r"\s+")
_NOT_WORD = re.compile(r"[^0-9a-z]+")


def normalise(text: str) -> str:
    """NFC, trimmed, single spaces: how every name is stored."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text or "")).strip()


class _Folded(dict):
    """Code point → unidecode's replacement, filled as characters are met (a name is folded for
    every search key and every import row: a table lookup per character, not unidecode per text)."""

    def __missing__(self, code: int) -> str:
        value = self[code] = unidecode(chr(code))
        return value


_FOLDED = _Folded()


def fold(text: str) -> str:
    """Lower-case ASCII with single spaces: unidecode of the NFC text, "Đông Hà" → "dong ha"."""
    text = " ".join(unicodedata.normalize("NFC", text or "").split())
    if not text.isascii():
        text = text.translate(_FOLDED)
    return " ".join(text.lower().split())


# Abbreviations as Vietnamese offices write them, with their full (folded) forms. Longer forms
# first, so that "lien hiep hop tac xa" becomes "lhhtx", not "lien hiep htx".
ABBREVIATIONS: tuple[tuple[str, str], ...] = (
    ("lhhtx", "lien hiep hop tac xa"),
    ("qtdnd", "quy tin dung nhan dan"),
    ("htx", "hop tac xa"),
    ("tht", "to hop tac"),
    ("dv", "dich vu"),
    ("nn", "nong nghiep"),
    ("tm", "thuong mai"),
)
# Abbreviations written together ("HTX NN-DV", "TMDV"); they are split into their parts.
_JOINED = {"tmdv": "tm dv", "nndv": "nn dv", "dvnn": "dv nn", "dvtm": "dv tm", "lhhtxnn": "lhhtx nn"}
_TO_SHORT = [(full, re.compile(rf"\b{re.escape(full)}\b"), short) for short, full in ABBREVIATIONS]
_TO_SHORT.append(("lien hiep htx", re.compile(r"\blien hiep htx\b"), "lhhtx"))
_TO_FULL = {short: full for short, full in ABBREVIATIONS}


class _WordChars(dict):
    """Code point → what `_words` makes of it: unidecode's replacement in lower case, anything but
    a-z and 0-9 a space (whitespace too, as `fold` splits on it first). One `translate` per name
    then does fold's and the word split's work at once (every search key, every import row)."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        value = self[code] = " " if char.isspace() else _NOT_WORD.sub(" ", unidecode(char).lower())
        return value


_WORD_CHARS = _WordChars()


def _words(text: str) -> str:
    """The folded words of a text, joined abbreviations split: `fold`, then non-words as spaces."""
    words = unicodedata.normalize("NFC", text or "").translate(_WORD_CHARS).split()
    return " ".join([_JOINED.get(w, w) for w in words])


def abbreviated(text: str) -> str:
    """The folded text with full forms written short: "Hợp tác xã DV Nông nghiệp" → "htx dv nn"."""
    words = _words(text)
    for full, pattern, short in _TO_SHORT:
        if full in words:  # a substring test first: most names hold one or two of the forms
            words = pattern.sub(short, words)
    return words


def expanded(text: str) -> str:
    """The folded text with abbreviations written out: "HTX DV" → "hop tac xa dich vu"."""
    return _expand(abbreviated(text))


def _expand(short: str) -> str:
    return " ".join(_TO_FULL.get(w, w) for w in short.split())


def search_key(name: str, *extra: str, max_length: int = 800) -> str:
    """What a model stores to be found by: the short form, the extras (a tax code), the full form.

    The short form comes first and is followed by " |", so that ranking can tell an exact name
    (`startswith(query + " |")`) from a name that starts with the query.
    """
    short = abbreviated(name)
    parts = [short, *(fold(e) for e in extra if e)]
    full = _expand(short)
    if full != short:
        parts.append(full)
    return " | ".join(parts)[:max_length]


def search_words(query: str) -> list[str]:
    """The words of a search box entry in the stored form; every word must match."""
    return [w for w in abbreviated(query).split(" ") if w]


def search_phrase(query: str) -> str:
    """The whole query in the stored form, for ranking (exact, starts with, contains)."""
    return " ".join(search_words(query))


# --- Vietnamese alphabetical order -------------------------------------------------------

# Combining marks in NFD: the letter-making ones become letters of their own (a primary weight
# above every letter of the DUCET, so "az" < "ă"), the tones keep a secondary weight, reordered.
_BREVE, _CIRCUMFLEX, _HORN = 0x0306, 0x0302, 0x031B
_TONES = (0x0300, 0x0309, 0x0303, 0x0301, 0x0323)  # huyền, hỏi, ngã, sắc, nặng


@lru_cache(maxsize=1)
def _collator():
    import pyuca

    collator = pyuca.Collator()
    table = collator.table
    letters = {}
    top = 0
    stack = [table.root]
    while stack:  # the highest explicit primary weight of the table
        node = stack.pop()
        for element in node.value or ():
            if element[0] < 0xFB00:  # implicit weights (CJK, unassigned) start at 0xFB40
                top = max(top, element[0])
        stack.extend((node.children or {}).values())
    for offset, mark in enumerate((_BREVE, _CIRCUMFLEX, _HORN), start=1):
        letters[mark] = top + offset
        table.add([mark], [[top + offset, 0x20, 0x02]])
    d_primary = table.find_prefix([ord("d")])[1][0][0]
    table.add([0x0111], [[d_primary, 0x20, 0x02], [top + 1, 0x20, 0x02]])  # đ
    table.add([0x0110], [[d_primary, 0x20, 0x08], [top + 1, 0x20, 0x02]])  # Đ
    secondaries = sorted(table.find_prefix([t])[1][0][1] for t in _TONES)
    for tone, weight in zip(_TONES, secondaries, strict=True):
        table.add([tone], [[0, weight, 0x02]])
    return collator


def _char(weight: int) -> str:
    """A weight as one character whose code point keeps the order (the surrogate block skipped)."""
    point = weight + 0x100
    return chr(point if point < 0xD800 else point + 0x800)


_SEPARATOR = _char(0)


@lru_cache(maxsize=8192)
def _weights(char: str) -> tuple[str, str]:
    """One code point of NFD text as its (primary, secondary) weights, each written as characters.

    Latin letters have no contractions in the table, so a text's key is its characters' keys joined.
    """
    elements = _collator().collation_elements(char)
    primary = "".join(_char(e[0]) for e in elements if e[0])
    secondary = "".join(_char(e[1]) for e in elements if len(e) > 1 and e[1])
    return primary, secondary


class _Level(dict):
    """Code point → its weights at one level (0: primary, 1: secondary), filled as characters are
    met: a text's weights are then one `translate` of its NFD form per level."""

    def __init__(self, level: int):
        super().__init__()
        self.level = level

    def __missing__(self, code: int) -> str:
        value = self[code] = _weights(chr(code))[self.level]
        return value


_PRIMARY, _SECONDARY = _Level(0), _Level(1)


def _sort_key(text: str) -> str:
    # A space is a starter, so the NFD of the text is its words' NFD joined by spaces, and the
    # space's own weights separate the words' weights at both levels.
    # normalise() without its NFC (NFD undoes it): str.split() splits on what `\s` matches.
    decomposed = unicodedata.normalize("NFD", " ".join((text or "").split()))
    return decomposed.translate(_PRIMARY) + _SEPARATOR + decomposed.translate(_SECONDARY)


@lru_cache(maxsize=200_000)
def sort_key(text: str) -> str:
    """The Vietnamese sort key of a text, as a string whose plain (binary) order is the Vietnamese order.

    The UCA's first two levels (letters, then tones and marks) of pyuca's table with the tailoring
    above; the case is left to the tie-breaker. Stored and indexed where a table is large
    (`Organisation.name_key`), compared by SQLite's "vi" collation and `vi_sorted` elsewhere.
    """
    return _sort_key(text)


def sort_text(text: str, max_length: int = 600) -> str:
    """`sort_key` cut to what a column holds (computed, not cached: a stored key is written once,
    and an import's 100,000 names would fill the cache that comparisons use)."""
    return _sort_key(text)[:max_length]


def vi_compare(a: str | None, b: str | None) -> int:
    """-1, 0 or 1 as `a` sorts before, with or after `b` (SQLite's collation callback)."""
    ka, kb = sort_key(a or ""), sort_key(b or "")
    return (ka > kb) - (ka < kb)


def vi_sorted(items, key=lambda item: item):
    """`items` in Vietnamese alphabetical order of `key(item)` (a str)."""
    return sorted(items, key=lambda item: sort_key(str(key(item) or "")))
