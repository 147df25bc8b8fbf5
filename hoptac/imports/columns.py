"""Finding the header row under title blocks and mapping columns by their Vietnamese headers."""

from __future__ import annotations

import re
from dataclasses import dataclass

from hoptac.core.text import fold

# Target field -> header phrases (folded, accent-free) that name it in offices' files.
SYNONYMS: dict[str, list[str]] = {
    "name": ["ten htx", "ten hop tac xa", "ten to chuc", "ten to hop tac", "ten tht", "ten don vi", "ten"],
    "tax_code": ["ma so thue", "mst", "ma so htx", "ma so hop tac xa", "ma so doanh nghiep"],
    "kind": ["loai hinh", "loai to chuc"],
    "commune": ["xa phuong hien nay", "xa hien nay", "xa, phuong", "xa phuong", "dia ban xa", "xa"],
    "former_commune": ["xa cu", "xa truoc sap nhap", "xa (cu)"],
    "address": ["dia chi", "tru so"],
    "registration_date": ["ngay dang ky", "ngay thanh lap", "ngay cap"],
    "director_name": ["giam doc", "ho ten giam doc", "nguoi dai dien", "to truong"],
    "phone": ["dien thoai", "so dien thoai", "sdt"],
    "sector": ["linh vuc", "nganh nghe", "nganh"],
    "contract_date": ["ngay hop dong", "hop dong hop tac"],
    "in_commune_register": ["vao so", "so theo doi"],
    "year": ["nam"],
    "members_official": ["so thanh vien", "thanh vien chinh thuc", "tong so thanh vien", "thanh vien"],
    "workers": ["lao dong thuong xuyen", "so lao dong", "lao dong"],
    "managers": ["can bo quan ly"],
    "revenue": ["doanh thu"],
    "profit_before_tax": ["loi nhuan truoc thue", "loi nhuan"],
    "profit_after_tax": ["loi nhuan sau thue"],
    "total_capital": ["tong nguon von", "von hoat dong"],
    "charter_capital": ["von dieu le"],
    "total_assets": ["tong tai san"],
}
MONEY_FIELDS = {
    "revenue",
    "profit_before_tax",
    "profit_after_tax",
    "total_capital",
    "charter_capital",
    "total_assets",
}
UNITS = [("ty dong", 1_000_000_000), ("ty", 1_000_000_000), ("trieu dong", 1_000_000), ("trieu", 1_000_000),
         ("nghin dong", 1_000), ("nghin", 1_000), ("ngan dong", 1_000), ("dong", 1)]  # fmt: skip
MAX_HEADER_SCAN = 40


@dataclass
class Column:
    index: int
    header: str
    field: str | None
    multiplier: int = 1


def money_multiplier(header: str) -> int:
    folded = fold(header)
    for phrase, factor in UNITS:
        if re.search(rf"\b{phrase}\b", folded):
            return factor
    return 1


def match_field(header: str) -> str | None:
    folded = re.sub(r"\(.*?\)", " ", fold(header))
    folded = re.sub(r"[^a-z0-9, ]", " ", folded)
    folded = " ".join(folded.split())
    best, best_len = None, 0
    for field, phrases in SYNONYMS.items():
        for phrase in phrases:
            if (folded == phrase or folded.startswith(phrase + " ") or f" {phrase}" in f" {folded}") and len(
                phrase
            ) > best_len:
                best, best_len = field, len(phrase)
    return best


def find_header(rows: list[list[object]]) -> tuple[int, list[Column]] | None:
    """(index of the header row, its columns): the row, joined with the merged row above it,
    whose cells name the most known fields. None if no row names at least two."""
    best = None
    for i, row in enumerate(rows[:MAX_HEADER_SCAN]):
        above = rows[i - 1] if i > 0 else []
        columns = []
        for c, cell in enumerate(row):
            text = str(cell).strip() if cell not in (None, "") else ""
            parent = str(above[c]).strip() if c < len(above) and above[c] not in (None, "") else ""
            header = (
                f"{parent} {text}".strip() if parent and text and not match_field(text) else (text or parent)
            )
            columns.append(
                Column(
                    c,
                    header,
                    match_field(header) if header else None,
                    money_multiplier(header) if header else 1,
                )
            )
        named = {col.field for col in columns if col.field}
        score = len(named)
        if score >= 2 and (best is None or score > best[0]):
            best = (score, i, columns)
    if best is None:
        return None
    _score, index, columns = best
    seen = set()
    for col in columns:  # the first column wins when two name the same field
        if col.field in seen:
            col.field = None
        elif col.field:
            seen.add(col.field)
    return index, columns
