"""Accent-insensitive search keys for Vietnamese text.

`fold("Hợp tác xã Vĩnh Thái")` is "hop tac xa vinh thai": unidecode folds Đ to D, which plain
NFD stripping does not. Models keep the folded name in an indexed `search_key` column so the
same `contains` query works on SQLite and PostgreSQL.
"""

import re
import unicodedata

from unidecode import unidecode

_SPACES = re.compile(r"\s+")


def normalise(text: str) -> str:
    """NFC, trimmed, single spaces: how every name is stored."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text or "")).strip()


def fold(text: str) -> str:
    return _SPACES.sub(" ", unidecode(normalise(text)).lower()).strip()


def search_words(query: str) -> list[str]:
    """The folded words of a search box entry; every word must match."""
    return [w for w in fold(query).split(" ") if w]
