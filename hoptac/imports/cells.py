"""Cells as offices type them, read into the registry's values: tax codes, kinds, sectors, yes/no.

These run once per row of a file of up to 200,000 rows, so the common case is done by hand
and the rare one handed to the general function that gives its message: a tax code that is
plainly valid is formatted here, anything else goes to `normalise_tax_code`; `fold` is
`hoptac.core.text.fold` (a table lookup per character, not unidecode per cell).
"""

from __future__ import annotations

import datetime
import functools
import re

from hoptac.core.text import fold
from hoptac.imports.reading import parse_date
from hoptac.registry.choices import Kind, Sector
from hoptac.registry.models import MST_WEIGHTS, normalise_tax_code

SECTOR_WORDS = [("thuy san", Sector.FISHERIES), ("lam nghiep", Sector.FORESTRY), ("muoi", Sector.SALT), ("diem nghiep", Sector.SALT),
                ("van tai", Sector.ROAD_TRANSPORT), ("xay dung", Sector.CONSTRUCTION), ("tin dung", Sector.CREDIT),
                ("moi truong", Sector.ENVIRONMENT), ("nuoc sach", Sector.CLEAN_WATER), ("tong hop", Sector.GENERAL),
                ("cho", Sector.MARKET_MANAGEMENT), ("cong nghiep", Sector.INDUSTRY_HANDICRAFT), ("thu cong", Sector.INDUSTRY_HANDICRAFT),
                ("thuong mai", Sector.TRADE_SERVICES), ("dich vu", Sector.TRADE_SERVICES), ("nong nghiep", Sector.AGRICULTURE)]  # fmt: skip
SEPARATORS = re.compile(r"[\s.\u00a0]")
YES = {"co", "x", "da", "yes", "1", "true", "roi"}
NO = {"khong", "chua", "no", "0", "false"}


_W = MST_WEIGHTS
_DIGIT_ZERO = ord("0") * sum(MST_WEIGHTS)  # the weighted sum of nine "0" bytes


def tax_code(text: str) -> str:
    """`normalise_tax_code`, with the plain case (10 or 13 digits, right check digit) done here;
    anything else (separators, a wrong check digit) goes to it for its result or its message.
    The check digit is computed on the code's bytes (a third of the time of int() per digit)."""
    if len(text) in (10, 13) and text.isdigit() and text.isascii() and text[2:9] != "0000000":
        d = text.encode()
        total = (_W[0] * d[0] + _W[1] * d[1] + _W[2] * d[2] + _W[3] * d[3] + _W[4] * d[4] + _W[5] * d[5]
                 + _W[6] * d[6] + _W[7] * d[7] + _W[8] * d[8] - _DIGIT_ZERO)  # fmt: skip
        if 10 - total % 11 == d[9] - 48 and not (len(text) == 13 and text.endswith("000")):
            return text if len(text) == 10 else f"{text[:10]}-{text[10:]}"
    return normalise_tax_code(text)


def tax_code_text(value) -> str:
    """A tax code as typed: a number that lost its leading zero (100233488 → 0100233488), with
    spaces or dots ("0100 233 488"), or as written."""
    if value.__class__ is str and value.isdigit() and value.isascii():  # as most files type it
        text = value
    else:
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        text = SEPARATORS.sub("", str(value or "")).strip()
    if text.isdigit() and len(text) in (9, 12):
        text = "0" + text
    return text


def kind_of(text: str, name: str, default: str) -> str:
    folded = fold(text or name[:40])
    if "to hop tac" in folded or folded.startswith("tht"):
        return Kind.THT
    if "lien hiep" in folded:
        return Kind.LHHTX
    if "quy tin dung" in folded or "qtd" in folded:
        return Kind.QTDND
    if "hop tac xa" in folded or folded.startswith("htx"):
        return Kind.HTX
    return default


@functools.cache
def _sector_labels() -> dict[str, str]:
    """Every sector's label in every UI language, folded: an exported file reads back exactly."""
    from django.conf import settings
    from django.utils import translation

    labels = {}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            labels.update({fold(str(label)): value for value, label in Sector.choices})
    return labels


@functools.lru_cache(maxsize=4096)
def sector(text) -> str:
    folded = fold(str(text or ""))
    exact = _sector_labels().get(folded)
    if exact:
        return exact
    for word, value in SECTOR_WORDS:
        if re.search(rf"\b{word}\b", folded):
            return value
    return Sector.OTHER if folded else Sector.AGRICULTURE


def yes_no(text):
    if text in (None, ""):
        return None
    folded = fold(str(text)).split(" ")[0]
    if folded in YES:
        return True
    if folded in NO:
        return False
    raise ValueError(text)


def text_value(value) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


class Dates:
    """parse_date with the file's texts remembered: a list repeats its dates many times."""

    def __init__(self):
        self.seen: dict[str, datetime.date | None] = {}

    def __call__(self, value) -> datetime.date | None:
        if value.__class__ is not str:
            return parse_date(value)
        found = self.seen.get(value, self)
        if found is self:
            found = self.seen[value] = parse_date(value)  # a ValueError is not remembered
        return found  # type: ignore[return-value]


NAME_WORDS = [("lien hiep hop tac xa", "lhhtx"), ("hop tac xa", "htx"), ("to hop tac", "tht"),
              ("quy tin dung nhan dan", "qtdnd"), ("quy tin dung", "qtdnd"), ("dich vu", "dv"),
              ("nong nghiep", "nn"), ("san xuat", "sx"), ("kinh doanh", "kd"), ("tong hop", "th")]  # fmt: skip


def name_key(name: str) -> str:
    """ "Hợp tác xã DV NN Vĩnh Thái" and "HTX Dịch vụ nông nghiệp Vĩnh Thái" give the same key."""
    folded = " ".join(re.sub(r"[^a-z0-9]+", " ", fold(name)).split())
    for words, short in NAME_WORDS:
        folded = re.sub(rf"\b{words}\b", short, folded)
    return folded.replace(" ", "")
