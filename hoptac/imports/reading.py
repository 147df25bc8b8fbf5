"""Reading the spreadsheets offices keep: .xlsx/.xls/.ods (python-calamine), .csv; legacy fonts repaired.

Old files are often typed in TCVN3 (.VnTime) or VNI fonts: the text is stored in those fonts'
own byte layout and only looks Vietnamese on screen. The cell's font name says which; we
detect it once per column from the first rows (openpyxl, .xlsx only) and convert every cell
of that column with viparse, then NFC-normalise.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _

from hoptac.core.text import normalise

MAX_CELL = 10_000  # characters; a longer cell is refused, not truncated
FONT_SAMPLE_ROWS = 60


class ReadError(Exception):
    """The file cannot be read as a table; the message says why, in the user's language."""


@dataclass
class Sheet:
    rows: list[list[object]]
    encodings: dict[int, str]  # column index -> "tcvn3" | "vni"


def _legacy_encoding(font_name: str) -> str | None:
    name = (font_name or "").lower()
    if name.startswith(".vn"):
        return "tcvn3-upper" if name.endswith("h") else "tcvn3"
    if name.startswith("vni"):
        return "vni"
    return None


def _xlsx_fonts(data: bytes) -> dict[int, str]:
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    except Exception:  # noqa: BLE001 - fonts are a hint; the values come from calamine
        return {}
    sheet = book.worksheets[0]
    found: dict[int, str] = {}
    for _r, row in enumerate(sheet.iter_rows(max_row=FONT_SAMPLE_ROWS)):
        for c, cell in enumerate(row):
            font = getattr(getattr(cell, "font", None), "name", None)
            enc = _legacy_encoding(font) if isinstance(cell.value, str) else None
            if enc and c not in found:
                found[c] = enc
    book.close()
    return found


def looks_legacy(text: str) -> bool:
    """TCVN3 and VNI text is stored as Latin-1 letters; real Vietnamese Unicode has letters above U+00FF."""
    return any(ord(ch) > 0x7F for ch in text) and all(ord(ch) <= 0xFF for ch in text)


def repair(text: str, encoding: str | None) -> str:
    import viparse

    if encoding and looks_legacy(text):
        fixed = viparse.fix(text, encoding="tcvn3" if encoding.startswith("tcvn3") else encoding)
        if encoding == "tcvn3-upper":  # .VnTimeH has no lowercase: headings were typed in capitals
            fixed = fixed.upper()
        return normalise(fixed)
    return normalise(text)


def read(data: bytes, filename: str) -> Sheet:
    suffix = Path(filename).suffix.lower()
    if not data:
        raise ReadError(_("The file is empty."))
    if suffix == ".csv":
        rows = _read_csv(data)
        encodings = {}
    elif suffix in (".xlsx", ".xlsm", ".xls", ".ods"):
        rows = _read_book(data)
        encodings = _xlsx_fonts(data) if suffix in (".xlsx", ".xlsm") else {}
    else:
        raise ReadError(
            _("“%(name)s” is not a spreadsheet: use .xlsx, .xls, .ods or .csv.") % {"name": filename}
        )
    if not any(any(str(v).strip() for v in row if v is not None) for row in rows):
        raise ReadError(_("The first sheet is empty."))
    cleaned = []
    for r, row in enumerate(rows, start=1):
        out = []
        for c, value in enumerate(row):
            if isinstance(value, str):
                if len(value) > MAX_CELL:
                    raise ReadError(
                        _("Row %(row)s, column %(col)s: the cell holds over %(n)s characters.")
                        % {"row": r, "col": column_letter(c), "n": MAX_CELL}
                    )
                value = repair(value, encodings.get(c))
            out.append(value)
        cleaned.append(out)
    return Sheet(cleaned, encodings)


def _read_book(data: bytes) -> list[list[object]]:
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheet = book.get_sheet_by_index(0)
        return [list(row) for row in sheet.iter_rows()]
    except Exception as exc:  # calamine raises several kinds for broken files
        raise ReadError(
            _("The spreadsheet cannot be read (damaged or not really a spreadsheet): %(error)s")
            % {"error": exc}
        ) from exc


def _read_csv(data: bytes) -> list[list[object]]:
    for encoding in ("utf-8-sig", "cp1258"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ReadError(_("The CSV file is neither UTF-8 nor Windows-1258 text."))
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return [list(row) for row in csv.reader(io.StringIO(text), dialect)]


def column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


NUMBER = re.compile(r"^-?[\d.,\s]+$")


def parse_number(value) -> float | None:
    """1.234.567 → 1234567; 1.234,5 → 1234.5; 1,5 → 1.5; numbers pass through. ValueError otherwise."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, (int, float)):
        return float(value)
    text = str(value).strip().replace("\u00a0", "").replace(" ", "")
    if not text:
        return None
    if not NUMBER.match(text):
        raise ValueError(text)
    if "," in text:
        text = text.replace(".", "").replace(",", ".")
    elif text.count(".") > 1 or re.match(r"^-?\d{1,3}\.\d{3}$", text):
        text = text.replace(".", "")
    return float(text)


def parse_date(value) -> datetime.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, (int, float)):  # an Excel serial date
        return datetime.date(1899, 12, 30) + datetime.timedelta(days=int(value))
    text = str(value).strip()
    for fmt in ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"):
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)
