"""Finding the table in a sheet as offices lay it out, and mapping its columns by their headers.

A district's list has a title block above (issuing body, national motto, title, "Kèm theo Báo
cáo số …"), a header of one to three rows whose merged parents name the columns under them
("Thành viên" over "Tổng số" and "Trong đó: chính thức"), often a row of column numbers
("(1) (2) …", "A B 1 2", "(4)=(5)+(6)"), group rows naming a commune ("I. Xã Vĩnh Thái"),
subtotal and total rows, and notes and signatures below ("Ghi chú", "NGƯỜI LẬP BIỂU",
"…, ngày … tháng … năm …"). `detect` finds the header block, names each column from all its
header rows, and classifies every other row, so the dry run can show what was skipped and why.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from hoptac.core.text import fold

# Target field -> header phrases (folded, punctuation as spaces) that name it in offices' files.
SYNONYMS: dict[str, list[str]] = {
    "name": ["ten htx", "ten hop tac xa", "ten to chuc", "ten to hop tac", "ten tht", "ten don vi", "ten qtdnd",
             "ten quy tin dung", "ten lien hiep", "ten co so", "ten"],
    "tax_code": ["ma so thue", "mst", "ma so htx", "ma so hop tac xa", "ma so doanh nghiep", "ma so dn",
                 "ma so dang ky", "ma so thue htx"],
    "kind": ["loai hinh", "loai to chuc", "loai hinh to chuc"],
    "commune": ["xa phuong hien nay", "xa hien nay", "xa moi", "xa phuong", "xa phuong thi tran", "xa thi tran",
                "phuong xa", "dia ban xa", "dia ban", "xa", "phuong", "don vi hanh chinh"],
    "former_commune": ["xa cu", "xa truoc sap nhap", "xa truoc khi sap nhap", "dia ban cu", "xa phuong cu"],
    "address": ["dia chi", "tru so", "dia chi tru so", "tru so chinh", "dia chi tru so chinh"],
    "registration_date": ["ngay dang ky", "ngay thanh lap", "ngay cap", "ngay cap gcn dkkd", "ngay cap gcn",
                          "ngay cap giay chung nhan", "ngay dang ky thanh lap", "ngay dang ky kinh doanh"],
    "director_name": ["giam doc", "ho ten giam doc", "ho va ten giam doc", "nguoi dai dien", "to truong",
                      "nguoi dai dien theo phap luat", "chu tich hdqt", "giam doc chu tich hdqt"],
    "phone": ["dien thoai", "so dien thoai", "sdt", "dt lien he"],
    "sector": ["linh vuc", "nganh nghe", "nganh", "linh vuc hoat dong", "nganh nghe kinh doanh",
               "linh vuc san xuat kinh doanh"],
    "contract_date": ["ngay hop dong", "hop dong hop tac"],
    "in_commune_register": ["vao so", "so theo doi"],
    "year": ["nam", "nam bao cao"],
    "members_official": ["so thanh vien", "thanh vien chinh thuc", "tong so thanh vien", "thanh vien",
                         "thanh vien tong so", "thanh vien trong do chinh thuc", "trong do thanh vien chinh thuc"],
    "workers": ["lao dong thuong xuyen", "so lao dong", "lao dong", "lao dong tong so"],
    "managers": ["can bo quan ly", "so can bo quan ly"],
    "revenue": ["doanh thu", "tong doanh thu"],
    "profit_before_tax": ["loi nhuan truoc thue", "loi nhuan", "lai lo", "loi nhuan lai lo"],
    "profit_after_tax": ["loi nhuan sau thue"],
    "total_capital": ["tong nguon von", "von hoat dong", "nguon von"],
    "charter_capital": ["von dieu le"],
    "total_assets": ["tong tai san", "gia tri tai san"],
}  # fmt: skip
MONEY_FIELDS = {
    "revenue",
    "profit_before_tax",
    "profit_after_tax",
    "total_capital",
    "charter_capital",
    "total_assets",
}
# The unit in a header, folded: "(triệu đồng)", "(tr.đ)", "(nghìn đồng)", "(tỷ đồng)", "(đồng)".
UNITS = [(r"ty dong|ty d|ty", 1_000_000_000), (r"trieu dong|trieu d|tr\.? ?d|tr\.? ?dong|trd|trieu", 1_000_000),
         (r"nghin dong|ngan dong|nghin d|ngan d|1000 ?d|1\.000 ?d|nghin|ngan", 1_000), (r"dong|vnd|d", 1)]  # fmt: skip
MAX_HEADER_SCAN = 40

# How the dry run shows a field, in the user's language.
LABELS = {
    "name": _("Name"), "tax_code": _("Tax code"), "kind": _("Kind"), "commune": _("Commune"),
    "former_commune": _("Former commune"), "address": _("Address"), "registration_date": _("Registration date"),
    "director_name": _("Director"), "phone": _("Phone"), "sector": _("Sector"), "contract_date": _("Contract date"),
    "in_commune_register": _("In the commune's register"), "year": _("Year"),
    "members_official": _("Official members"), "workers": _("Regular workers"), "managers": _("Managers"),
    "revenue": _("Revenue"), "profit_before_tax": _("Profit before tax"), "profit_after_tax": _("Profit after tax"),
    "total_capital": _("Total capital"), "charter_capital": _("Charter capital"), "total_assets": _("Total assets"),
}  # fmt: skip


def label(field_name: str) -> str:
    return str(LABELS.get(field_name, field_name))


@dataclass
class Column:
    index: int
    header: str
    field: str | None
    multiplier: int = 1
    strength: int = 0  # length of the phrase that matched: the longer wins a field
    year: int | None = None
    parts: list[str] = field(default_factory=list)
    as_place: bool = False  # an address column read as the commune ("Thôn 3, xã Vĩnh Lâm")
    claim: str | None = None  # the field its header names, before another column won it


@dataclass
class Skipped:
    number: int  # row as the user sees it (1 = the sheet's first row)
    reason: str  # title | header | number | total | group | footer
    text: str


@dataclass
class Table:
    header_rows: list[int]  # row numbers as the user sees them
    columns: list[Column]
    data_rows: list[int]  # 0-based indices into sheet.rows
    groups: dict[int, str]  # data row index -> the group row's text above it ("Xã Vĩnh Thái")
    skipped: list[Skipped]

    @property
    def header_row(self) -> int:
        return self.header_rows[-1]


REASONS = {
    "title": _("title above the table"),
    "header": _("header repeated"),
    "number": _("row of column numbers"),
    "total": _("total or subtotal row"),
    "group": _("group row"),
    "footer": _("notes or signatures below the table"),
}


def _key(text: str) -> str:
    folded = re.sub(r"[^a-z0-9]+", " ", fold(text))
    return " ".join(folded.split())


def _match(text: str) -> tuple[str | None, int]:
    folded = _key(re.sub(r"\(.*?\)", " ", str(text)))
    best, best_len = None, 0
    padded = f" {folded} "
    for name, phrases in SYNONYMS.items():
        for phrase in phrases:
            if f" {phrase} " in padded and len(phrase) > best_len:
                best, best_len = name, len(phrase)
    return best, best_len


def match_field(header: str) -> str | None:
    return _match(header)[0]


def money_multiplier(header: str) -> int:
    for inside in re.findall(r"\(([^)]*)\)", fold(header)):
        unit = " ".join(inside.replace("/", " ").split())
        for pattern, factor in UNITS:
            if re.fullmatch(rf"(don vi )?({pattern})", unit):
                return factor
    folded = fold(header)
    for pattern, factor in UNITS[:3]:
        if re.search(rf"\b({pattern})\b", folded):
            return factor
    return 1


def name_column(index: int, parts: list[str]) -> Column:
    """A column named by its header rows, parent first: the lowest row that names a field wins
    ("Địa bàn / Xã cũ"), else the whole name ("Thành viên / Trong đó: chính thức")."""
    header = " / ".join(parts)
    if not parts:
        return Column(index, "", None)
    year_child = len(parts) > 1 and re.fullmatch(
        r"(nam\s*)?(19[89]\d|20\d\d)", _key(re.sub(r"\(.*?\)", "", parts[-1]))
    )
    chosen, strength = _match(parts[-1])  # the lowest row that names a field says what the column is
    if chosen is None or year_child:  # "Doanh thu / Năm 2024": the parent names it, the child its year
        chosen, strength = _match(" ".join(parts[:-1] if year_child else parts))
    folded = fold(header)
    as_place = False
    if chosen == "address" and re.search(r"\((xa|phuong|thi tran|xa phuong)", folded):
        chosen, as_place = "commune", True  # "Địa chỉ (xã, thị trấn)": the place is what is asked
    year = None
    for part in reversed(parts):
        found = re.search(r"\b(19[89]\d|20\d\d)\b", part)
        if found:
            year = int(found.group(1))
            break
    return Column(index, header, chosen, money_multiplier(header), strength, year, parts, as_place, chosen)


# --- rows ------------------------------------------------------------------------------------


def _text(value) -> str:
    if value is None:
        return ""
    if value.__class__ is str:
        return value.strip()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


NUMBER_LABEL = re.compile(
    r"^\(?\s*(\d{1,3}|[A-Z]{1,2})\s*\)?(\s*[=+\-*/x]\s*\(?\s*(\d{1,3}|[A-Z]{1,2})\s*\)?)*$"
)


def is_number_row(row) -> bool:
    """ "(1) (2) (3)", "1 2 3", "A B 1 2", "(4)=(5)+(6)": the column numbers under a header."""
    cells = [_text(v) for v in row if _text(v)]
    if len(cells) < 3 or not all(NUMBER_LABEL.match(c) for c in cells):
        return False
    numbers = [int(re.sub(r"\D.*", "", c.strip("( ")) or 0) for c in cells if c.strip("( ")[:1].isdigit()]
    plain = [c for c in cells if c.isdigit()]
    # A data row of small numbers only is not a number row unless they run 1, 2, 3 …
    return len(plain) < len(cells) or numbers == sorted(numbers) and len(set(numbers)) == len(numbers)


TOTAL = re.compile(r"^(tong cong|tong so|tong|cong|toan huyen|toan tinh|toan xa|toan thi xa|toan thanh pho)"
                   r"(?! ty| dong| nghiep| nghe| hoa| tac)\b")  # fmt: skip
FOOTER = re.compile(
    r"^(ghi chu|nguoi lap( bieu)?|nguoi ky|truong phong|pho truong phong|thu truong|chu tich|pho chu tich|"
    r"tm\.? ?(ubnd|uy ban)|kt\.? ?(truong phong|chu tich)|q\.? ?truong phong|noi nhan|xac nhan|ke toan truong|"
    r"ky ten|\(ky|lanh dao)\b"
)
DATE_LINE = re.compile(r"\bngay\b.*\bthang\b.*\bnam\b")
ROMAN = re.compile(r"^(?P<n>[IVXL]{1,6})\s*[.):\-]\s*(?P<rest>.+)$")
PLACE_WORDS = re.compile(r"^(xa|phuong|thi tran|tt|x\.|p\.|dac khu)\b")


NUMERIC = re.compile(r"[\d.,\-()]+")
# The first word of every FOOTER and TOTAL phrase begins so: a row whose first word does not
# (most data rows: "HTX …", "Hợp tác xã …") is neither, without folding its text.
LEADS = ("ghi", "nguoi", "truong", "pho", "thu", "chu", "tm", "kt", "q", "noi", "xac", "ke", "ky", "lanh",
         "tong", "cong", "toan")  # fmt: skip


@functools.lru_cache(maxsize=65536)
def _lead(word: str) -> str:
    """The first folded token of a word ("TM.UBND" → "tm"), "" when it has no letter or digit."""
    return _key(word[:40]).split(" ")[0]


def _classify(row, cells=None, text=None) -> tuple[str | None, str]:
    """(total | group | footer | None, the row's text). `cells`: the row's non-empty texts, if known."""
    if cells is None:
        cells = [t for t in (_text(v) for v in row) if t]
    if not cells:
        return None, ""
    if text is None:
        text = " ".join(cells)
    first = next((c for c in cells if not NUMERIC.fullmatch(c)), "")
    lead = _lead(first.split(None, 1)[0]) if first else ""
    if len(cells) <= 2 or not lead or lead.startswith(LEADS):
        folded_first = _key(first[:40])  # the marks are at the start; folding whole names is slow
        if FOOTER.match(folded_first) or (len(cells) <= 2 and DATE_LINE.search(_key(text))):
            return "footer", text
        if first and TOTAL.match(folded_first):
            return "total", text
    roman = ROMAN.match(first)
    if roman and cells.index(first) <= 2:
        return "group", roman.group("rest").strip()
    if (
        len(cells) == 1
        and PLACE_WORDS.match(fold(first))
        and row.index(next(v for v in row if _text(v))) <= 2
    ):
        return "group", first
    return None, text


# --- header block ----------------------------------------------------------------------------

SUBHEADER_WORDS = ("tong so", "trong do", "chinh thuc", "lien ket", "nam", "so luong", "gia tri", "xa cu",
                   "xa hien nay", "ho ten", "ngay", "so")  # fmt: skip


def _header_like(row, allow_years=False) -> bool:
    cells = [v for v in row if _text(v)]
    if not cells:
        return False
    for value in cells:
        text = _text(value)
        if isinstance(value, (int, float)) or text.isdigit():
            if not (allow_years and re.fullmatch(r"(19[89]\d|20\d\d)", text)):
                return False
        elif re.search(r"\d{5,}|\d{1,2}/\d{1,2}/\d{2,4}", re.sub(r"\(.*?\)", "", text)):
            return False
    return not is_number_row(row)


def _merged_at(merges, r, c):
    for r0, c0, r1, c1 in merges:
        if r0 <= r <= r1 and c0 <= c <= c1:
            return r0, c0, r1, c1
    return None


def _block_cells(rows, start, height, merges, width):
    """Header cells of the block with merged parents spread over the columns they cover."""
    grid = [
        [_text(rows[start + k][c]) if c < len(rows[start + k]) else "" for c in range(width)]
        for k in range(height)
    ]
    last = start + height - 1
    for r0, c0, r1, c1 in merges:
        if r1 < start or r0 > last or c0 >= width:
            continue
        top = _text(_at(rows[r0], c0)) if r0 < len(rows) else ""
        for r in range(max(r0, start), min(r1, last) + 1):
            for c in range(c0, min(c1, width - 1) + 1):
                grid[r - start][c] = top if r == max(r0, start) else ""  # a vertical merge names once
    if not any(r0 <= last and r1 >= start for r0, _c0, r1, _c1 in merges):
        for k in range(height - 1):  # a parent spans right while its columns have children below
            spanning = ""
            for c in range(width):
                cell, below = grid[k][c], grid[k + 1][c]
                if cell:
                    spanning = cell if below else ""
                elif spanning and below:
                    grid[k][c] = spanning
                else:
                    spanning = ""
    return grid


def _continues(rows, k, merges, width) -> bool:
    """Whether row k is a lower header row of the block above it, not data."""
    row, above = rows[k], rows[k - 1]
    if not _header_like(row, allow_years=True) or _classify(row)[0] in ("group", "footer"):
        return False
    for c in range(width):
        span = _merged_at(merges, k - 1, c)
        if span and (span[3] > span[1] or span[2] >= k) and (span[2] >= k or _text(_at(row, c))):
            return True
    child_under_blank = any(_text(_at(row, c)) and not _text(_at(above, c)) for c in range(width))
    blank_under_text = any(not _text(_at(row, c)) and _text(_at(above, c)) for c in range(width))
    words = any(_match(_text(v))[0] or _key(_text(v)).startswith(SUBHEADER_WORDS) for v in row if _text(v))
    return child_under_blank and (blank_under_text or words)


def _at(row, c):
    return row[c] if c < len(row) else None


def _score(columns) -> int:
    return len({c.field for c in columns if c.field})


def find_block(rows, merges=()) -> tuple[int, int, list[Column]] | None:
    """(first row index, height, columns) of the header block naming the most known fields."""
    best = None
    width = max((len(r) for r in rows[: MAX_HEADER_SCAN + 3]), default=0)
    for i in range(min(len(rows), MAX_HEADER_SCAN)):
        if not _header_like(rows[i]) or sum(1 for v in rows[i] if _text(v)) < 2:
            continue
        for height in (1, 2, 3):
            if i + height > len(rows):
                break
            if height > 1 and (
                not _continues(rows, i + height - 1, merges, width) or sum(1 for v in rows[i] if _text(v)) < 3
            ):
                break
            grid = _block_cells(rows, i, height, merges, width)
            columns = []
            for c in range(width):
                parts = []
                for k in range(height):
                    if grid[k][c] and (not parts or parts[-1] != grid[k][c]):
                        parts.append(grid[k][c])
                columns.append(name_column(c, parts))
            score = _score(columns)
            if score >= 2 and (best is None or (score, height) > (best[0], best[2])):
                best = (score, i, height, columns)
    if best is None:
        return None
    _s, start, height, columns = best
    by_field: dict[str, Column] = {}
    for col in columns:  # the longest phrase wins a field claimed twice, then the first column
        if col.field:
            other = by_field.get(col.field)
            if other is None or col.strength > other.strength:
                by_field[col.field] = col
    for col in columns:
        if col.field and by_field[col.field] is not col:
            col.field = None
    if "commune" not in by_field and "address" in by_field:
        by_field["address"].field, by_field["address"].as_place = "commune", True  # "Địa chỉ", "Trụ sở"
    return start, height, columns


def detect(rows, merges=()) -> Table | None:
    found = find_block(rows, merges)
    if found is None:
        return None
    start, height, columns = found
    skipped = [Skipped(i + 1, "title", " ".join(_text(v) for v in rows[i] if _text(v)))
               for i in range(start) if any(_text(v) for v in rows[i])]  # fmt: skip
    header_texts = [_text(v) for v in rows[start + height - 1]]
    data, groups = [], {}
    group, footer = None, False
    first_data = True
    for index in range(start + height, len(rows)):
        row = rows[index]
        texts = ["" if v is None else v.strip() if v.__class__ is str else _text(v) for v in row]
        cells = [t for t in texts if t]
        if not cells:
            continue
        text = " ".join(cells)
        if footer:
            skipped.append(Skipped(index + 1, "footer", text))
            continue
        if first_data and is_number_row(row):
            skipped.append(Skipped(index + 1, "number", text))
            continue
        if texts == header_texts[: len(row)]:
            skipped.append(Skipped(index + 1, "header", text))
            continue
        kind, value = _classify(row, cells, text)
        if kind == "footer":
            footer = True
            skipped.append(Skipped(index + 1, "footer", text))
            continue
        if kind == "total":
            skipped.append(Skipped(index + 1, "total", text))
            continue
        if kind == "group":
            group = value
            skipped.append(Skipped(index + 1, "group", text))
            continue
        first_data = False
        data.append(index)
        if group:
            groups[index] = group
    return Table(list(range(start + 1, start + height + 1)), columns, data, groups, skipped)


def sheet_score(sheet) -> tuple:
    """How likely a sheet holds the list to import: known columns, a name column, rows of data."""
    table = detect(sheet.rows, sheet.merges)
    if table is None:
        return (0, 0, 0)
    fields = {c.field for c in table.columns if c.field}
    return ("name" in fields or "tax_code" in fields, len(fields), len(table.data_rows))


def find_header(rows) -> tuple[int, list[Column]] | None:
    """The last header row's index and the columns (kept for callers of the one-row version)."""
    found = find_block(rows)
    if found is None:
        return None
    start, height, columns = found
    return start + height - 1, columns
