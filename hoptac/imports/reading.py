"""Reading the spreadsheets offices keep: .xlsx/.xls/.ods (python-calamine), .csv; legacy fonts repaired.

Old files are often typed in TCVN3 (.VnTime, .VnTimeH) or VNI fonts: the text is stored in
those fonts' own byte layout and only looks Vietnamese on screen. In an .xlsx the cell's font
says which (read from styles.xml, per cell); elsewhere, and for cells whose font says nothing,
the text itself does (letters no Unicode Vietnamese uses below U+0100). viparse converts.

A file is checked before it is expanded: the uncompressed size of an .xlsx/.ods (by inflating
it, not by trusting its directory), then the sheet's declared rows and columns, then the real
ones before any cell becomes a Python object; a .csv is read row by row under the same limits.
"""

from __future__ import annotations

import codecs
import csv
import datetime
import io
import re
import struct
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.translation import gettext as _

from hoptac.core.bulk import collector_paused
from hoptac.core.text import normalise

MAX_CELL = 10_000  # characters; a longer cell is refused, not truncated
MAX_FILE = 50 * 1024 * 1024  # bytes as uploaded
MAX_UNCOMPRESSED = 200 * 1024 * 1024  # bytes of XML inside an .xlsx/.ods
MAX_ROWS = 200_000
MAX_COLUMNS = 256
MAX_CELLS = 2_000_000  # rows × columns: about 150 MB once they are Python objects


class ReadError(Exception):
    """The file cannot be read as a table; the message says why, in the user's language."""


@dataclass
class Sheet:
    rows: list[list[object]]  # from A1: rows[i][j] is cell (i+1, column j)
    encodings: dict = field(default_factory=dict)  # kept for callers; per-cell repair below
    name: str = ""
    sheet_names: list[str] = field(default_factory=list)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # (row0, col0, row1, col1)
    repaired: int = 0  # cells converted from TCVN3/VNI
    choice: str = ""  # why this sheet was read, when the workbook has several


# --- legacy fonts ---------------------------------------------------------------------------

# The Latin-1 letters Unicode Vietnamese uses; any other character in U+0080–U+00FF is a TCVN3 or VNI byte.
VI_LATIN1 = set("ÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝàáâãèéêìíòóôõùúý")
VI_LETTERS = set(
    "àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ"
    "ÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴĐ"
)


def _legacy_encoding(font_name: str) -> str | None:
    name = (font_name or "").strip().lower()
    if name.startswith(".vn"):
        return "tcvn3-upper" if name.endswith("h") else "tcvn3"
    if name.startswith("vni"):
        return "vni"
    return None


WIDE = re.compile("[^\x00-\xff]")
NOT_VIETNAMESE_LATIN1 = re.compile("[^\x00-\x7f" + "".join(sorted(VI_LATIN1)) + "]")
# A character of U+0080–U+00FF that Unicode Vietnamese does not use: text without one is not
# TCVN3 or VNI for _guess (it needs one, and a wider character makes the text Unicode).
LEGACY_BYTE = re.compile("[" + "".join(chr(i) for i in range(0x80, 0x100) if chr(i) not in VI_LATIN1) + "]")


def looks_legacy(text: str) -> bool:
    """TCVN3 and VNI text is stored as Latin-1 letters; real Vietnamese Unicode has letters above U+00FF."""
    return not text.isascii() and WIDE.search(text) is None


def _guess(text: str) -> str | None:
    """TCVN3 or VNI from the text alone (no font said so), or None when it reads as Unicode."""
    if not looks_legacy(text) or NOT_VIETNAMESE_LATIN1.search(text) is None:
        return None
    import viparse

    best, best_score = None, 0
    for encoding in ("tcvn3", "vni"):
        fixed = viparse.fix(text, encoding=encoding)
        score = sum(ch in VI_LETTERS for ch in fixed) - 3 * sum(
            0x7F < ord(ch) <= 0xFF and ch not in VI_LATIN1 for ch in fixed
        )
        if score > best_score:
            best, best_score = encoding, score
    return best


def repair(text: str, encoding: str | None) -> tuple[str, bool]:
    """The cell's text in Unicode NFC, and whether it was converted from a legacy font."""
    import viparse

    if not looks_legacy(text):
        return normalise(text), False
    if encoding is None:
        encoding = _guess(text)
        if encoding is None:
            return normalise(text), False
    fixed = viparse.fix(text, encoding="tcvn3" if encoding.startswith("tcvn3") else encoding)
    if encoding == "tcvn3-upper":  # .VnTimeH has no lowercase: headings were typed in capitals
        fixed = fixed.upper()
    return normalise(fixed), fixed != text


# --- size limits before expanding -----------------------------------------------------------


def _too_big() -> ReadError:
    return ReadError(
        _("The file expands to more than %(n)s MB when opened: split it or remove the unused sheets.")
        % {"n": MAX_UNCOMPRESSED // (1024 * 1024)}
    )


def _check_zip(data: bytes) -> zipfile.ZipFile:
    """Inflate every member with a running total (a zip bomb is stopped at the limit, whatever
    its directory claims) and return the archive."""
    try:
        book = zipfile.ZipFile(io.BytesIO(data))
        members = book.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ReadError(_("The spreadsheet cannot be read (damaged or not really a spreadsheet).")) from exc
    if sum(m.file_size for m in members) > MAX_UNCOMPRESSED:
        raise _too_big()
    total = 0
    for member in members:
        if member.compress_type == zipfile.ZIP_STORED:
            total += member.compress_size
        elif member.compress_type == zipfile.ZIP_DEFLATED:
            total += _inflated_size(data, member, MAX_UNCOMPRESSED - total)
        else:
            raise ReadError(_("The spreadsheet cannot be read (damaged or not really a spreadsheet)."))
        if total > MAX_UNCOMPRESSED:
            raise _too_big()
    return book


def _inflated_size(data: bytes, member: zipfile.ZipInfo, budget: int) -> int:
    offset = member.header_offset
    header = data[offset : offset + 30]
    if len(header) < 30 or header[:4] != b"PK\x03\x04":
        raise ReadError(_("The spreadsheet cannot be read (damaged or not really a spreadsheet)."))
    name_len, extra_len = struct.unpack("<HH", header[26:30])
    start = offset + 30 + name_len + extra_len
    stream = zlib.decompressobj(-15)
    size, position, end = 0, start, start + member.compress_size
    try:
        while position < end and not stream.eof:
            chunk = data[position : min(position + 65536, end)]
            position += len(chunk)
            size += len(stream.decompress(chunk, 1 << 20))
            while stream.unconsumed_tail and size <= budget:
                size += len(stream.decompress(stream.unconsumed_tail, 1 << 20))
            if size > budget:
                return size
    except zlib.error as exc:
        raise ReadError(_("The spreadsheet cannot be read (damaged or not really a spreadsheet).")) from exc
    return size


DIMENSION = re.compile(rb'<(?:\w+:)?dimension ref="[A-Z]+\d+:?([A-Z]+)?(\d+)?"')


def _check_dimensions(book: zipfile.ZipFile) -> None:
    """Each worksheet's declared size, read from the first bytes of its XML."""
    for name in book.namelist():
        if name.startswith("xl/worksheets/") and name.endswith(".xml"):
            with book.open(name) as fh:
                head = fh.read(4096)
            match = DIMENSION.search(head)
            if match and match.group(2):
                _check_size(int(match.group(2)), _column_index(match.group(1).decode()) + 1)


def _check_size(rows: int, columns: int, cells: int | None = None) -> None:
    if (cells if cells is not None else rows * columns) > MAX_CELLS:
        raise ReadError(
            _("The sheet has more than %(max)s cells; split the file or remove the unused columns.")
            % {"max": f"{MAX_CELLS:,}".replace(",", ".")}
        )
    if rows > MAX_ROWS:
        raise ReadError(
            _("The sheet has %(rows)s rows; at most %(max)s can be imported at once: split the file.")
            % {"rows": f"{rows:,}".replace(",", "."), "max": f"{MAX_ROWS:,}".replace(",", ".")}
        )
    if columns > MAX_COLUMNS:
        raise ReadError(
            _("The sheet has %(n)s columns; at most %(max)s are read.") % {"n": columns, "max": MAX_COLUMNS}
        )


def _column_index(letters: str) -> int:
    index = 0
    for ch in letters:
        index = index * 26 + ord(ch) - 64
    return index - 1


# --- per-cell fonts of an .xlsx -------------------------------------------------------------

FONT = re.compile(rb"<font>(.*?)</font>|<font/>", re.S)
FONT_NAME = re.compile(rb'<name val="([^"]*)"')
XF = re.compile(rb"<xf\b([^>]*)")
CELL_STYLE = re.compile(rb'<c r="([A-Z]+)(\d+)"[^>]*?\ss="(\d+)"')


def _xlsx_legacy_cells(book: zipfile.ZipFile, sheet_index: int) -> dict[tuple[int, int], str]:
    """(row, column) → "tcvn3" | "tcvn3-upper" | "vni" for the cells whose font is a legacy one."""
    try:
        styles = book.read("xl/styles.xml")
    except KeyError:
        return {}
    fonts = [
        _legacy_encoding((FONT_NAME.search(m.group(1) or b"") or [None, b""])[1].decode("utf-8", "replace"))
        for m in FONT.finditer(styles.split(b"<fonts", 1)[-1].split(b"</fonts>", 1)[0])
    ]
    if not any(fonts):
        return {}
    xfs_block = styles.split(b"<cellXfs", 1)[-1].split(b"</cellXfs>", 1)[0]
    styles_legacy = {}
    for i, m in enumerate(XF.finditer(xfs_block)):
        font_id = re.search(rb'fontId="(\d+)"', m.group(1))
        index = int(font_id.group(1)) if font_id else 0
        if index < len(fonts) and fonts[index]:
            styles_legacy[i] = fonts[index]
    if not styles_legacy:
        return {}
    path = _sheet_path(book, sheet_index)
    if path is None:
        return {}
    found = {}
    for m in CELL_STYLE.finditer(book.read(path)):
        encoding = styles_legacy.get(int(m.group(3)))
        if encoding:
            found[(int(m.group(2)) - 1, _column_index(m.group(1).decode()))] = encoding
    return found


def _sheet_path(book: zipfile.ZipFile, sheet_index: int) -> str | None:
    try:
        workbook = book.read("xl/workbook.xml")
        rels = book.read("xl/_rels/workbook.xml.rels")
    except KeyError:
        return None
    ids = re.findall(rb'<sheet\b[^>]*?r:id="([^"]+)"', workbook)
    if sheet_index >= len(ids):
        return None
    for rel in re.finditer(rb"<Relationship\b[^>]*>", rels):
        tag = rel.group(0)
        if re.search(rb'Id="' + re.escape(ids[sheet_index]) + rb'"', tag):
            target = re.search(rb'Target="([^"]+)"', tag).group(1).decode()
            return target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    return None


# --- reading ---------------------------------------------------------------------------------


@collector_paused()
def read(data: bytes, filename: str, sheet: str | None = None) -> Sheet:
    """The sheet that holds the table: `sheet` by name, else the one whose header names the most
    known columns (a "Chi tiết" list rather than a "Tổng hợp" summary beside it)."""
    suffix = Path(filename).suffix.lower()
    if not data:
        raise ReadError(_("The file is empty."))
    if len(data) > MAX_FILE:
        raise ReadError(_("The file is larger than 50 MB."))
    if suffix == ".csv":
        result = Sheet(_read_csv(data))
    elif suffix in (".xlsx", ".xlsm", ".xls", ".ods"):
        result = _read_book(data, suffix, sheet)
    else:
        raise ReadError(
            _("“%(name)s” is not a spreadsheet: use .xlsx, .xls, .ods or .csv.") % {"name": filename}
        )
    if not any(any(str(v).strip() for v in row if v is not None) for row in result.rows):
        raise ReadError(_("The sheet is empty."))
    return result


# VNI writes a tone or a hat as a second character after the vowel: "Xaõ", "Taân".
VNI_PAIR = re.compile(r"[aeiouyAEIOUY][\u00c0-\u00ff]")


def _sheet_guess(rows, legacy: dict, start: tuple[int, int] = (0, 0)) -> str | None:
    """TCVN3 or VNI for the cells no font speaks for, judged on the sheet's text together (a
    single short cell is too little to tell the two apart). `start`: the first cell to look at
    (every cell before it has been found not to count)."""
    sample, size = [], 0
    first_row, first_column = start
    for r in range(first_row, len(rows)):
        row = rows[r]
        if LEGACY_BYTE.search("".join([v for v in row if isinstance(v, str)])) is None:
            continue  # no cell of the row has a byte only TCVN3 or VNI text has: none can count
        for c in range(first_column if r == first_row else 0, len(row)):
            value = row[c]
            if (
                isinstance(value, str)
                and not value.isascii()
                and looks_legacy(value)
                and (r, c) not in legacy
                and _guess(value)
            ):
                sample.append(value)
                size += len(value)
                if size > 4000:
                    break
        if size > 4000:
            break
    if not sample:
        return None
    import viparse

    return viparse.detect_text_encoding(" ".join(sample)) or _guess(" ".join(sample))


def _clean(rows: list[list[object]], legacy: dict) -> tuple[list[list[object]], int]:
    """Every text cell repaired (legacy fonts) and in NFC with single spaces, "" as None.

    The sheet-wide guess between TCVN3 and VNI is made when the first cell that needs it is
    met, from that cell on (the cells before it are Unicode or have a font that says); texts
    seen before are not converted twice (a list repeats its communes, dates and sectors)."""
    repaired = 0
    guessed: str | None | bool = False  # False: not judged yet
    seen: dict[str, tuple[str, bool]] = {}
    normalize = unicodedata.normalize
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if isinstance(value, str):
                if len(value) > MAX_CELL:
                    raise ReadError(
                        _("Row %(row)s, column %(col)s: the cell holds over %(n)s characters.")
                        % {"row": r + 1, "col": column_letter(c), "n": MAX_CELL}
                    )
                if value.isascii():
                    value = " ".join(value.split())
                elif WIDE.search(value) is not None:  # real Unicode Vietnamese: no legacy font reading
                    found = seen.get(value)
                    if found is None:
                        found = seen[value] = (" ".join(normalize("NFC", value).split()), False)
                    value = found[0]
                else:
                    encoding = legacy.get((r, c)) if legacy else None
                    if encoding is None:
                        if guessed is False:
                            guessed = _sheet_guess(rows, legacy, (r, c))
                        found = seen.get(value)
                        if found is None:
                            if guessed and (_guess(value) or (guessed == "vni" and VNI_PAIR.search(value))):
                                encoding = guessed
                            found = seen[value] = repair(value, encoding)
                        value, fixed = found
                    else:
                        value, fixed = repair(value, encoding)
                    repaired += fixed
                row[c] = value or None
            elif value == "":
                row[c] = None
    return rows, repaired


def _read_book(data: bytes, suffix: str, wanted: str | None) -> Sheet:
    from python_calamine import CalamineWorkbook

    archive = None
    if suffix in (".xlsx", ".xlsm", ".ods"):
        archive = _check_zip(data)
        if suffix != ".ods":
            _check_dimensions(archive)
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        names = [
            m.name
            for m in book.sheets_metadata
            if str(m.typ).endswith("WorkSheet") and not str(m.visible).endswith("Hidden")
        ] or book.sheet_names  # hidden sheets hold lists for dropdowns, not the table
    except Exception as exc:  # calamine raises several kinds for broken files
        raise ReadError(
            _("The spreadsheet cannot be read (damaged or not really a spreadsheet): %(error)s")
            % {"error": exc}
        ) from exc
    if wanted is not None:
        if wanted not in names:
            raise ReadError(
                _("The workbook has no sheet “%(name)s”; its sheets: %(list)s.")
                % {"name": wanted, "list": ", ".join(f"“{n}”" for n in names)}
            )
        candidates = [wanted]
    else:
        candidates = names
    loaded = [_load_sheet(book, archive, suffix, name, book.sheet_names.index(name)) for name in candidates]
    if len(loaded) == 1:
        chosen = loaded[0]
    else:
        from hoptac.imports.columns import sheet_score

        scored = sorted(
            ((sheet_score(s), -i, s) for i, s in enumerate(loaded)), key=lambda t: (t[0], t[1]), reverse=True
        )
        chosen = scored[0][2]
        chosen.choice = _(
            "The workbook has %(n)s sheets (%(list)s); the table was read from “%(name)s”, whose header "
            "names the most columns. Choose another sheet if this is not the list to import."
        ) % {"n": len(names), "list": ", ".join(f"“{n}”" for n in names), "name": chosen.name}
    chosen.sheet_names = names
    return chosen


def _load_sheet(book, archive, suffix, name, index) -> Sheet:
    try:
        sheet = book.get_sheet_by_name(name)
        height, width = sheet.end[0] + 1 if sheet.end else 0, sheet.end[1] + 1 if sheet.end else 0
        _check_size(height, width)
        top, left = sheet.start or (0, 0)
        rows = [[None] * left + list(row) for row in sheet.iter_rows()]
        merges = [(a[0], a[1], b[0], b[1]) for a, b in (sheet.merged_cell_ranges or [])]
    except ReadError:
        raise
    except Exception as exc:
        raise ReadError(
            _("The spreadsheet cannot be read (damaged or not really a spreadsheet): %(error)s")
            % {"error": exc}
        ) from exc
    if top and len(rows) < height:  # some formats start at the first used row, others at row 1
        rows = [[] for _i in range(height - len(rows))] + rows
    legacy = _xlsx_legacy_cells(archive, index) if archive is not None and suffix != ".ods" else {}
    rows, repaired = _clean(rows, legacy)
    return Sheet(rows, {}, name, [], merges, repaired)


def _read_csv(data: bytes) -> list[list[object]]:
    """Row by row from the bytes (never the whole text at once): a 50 MB file stays near its size."""
    lines = data.count(b"\n")  # counted in C before a row is parsed (a cell may hold a line break: 10% more)
    if lines > MAX_ROWS * 1.1:
        _check_size(lines, 0)
    separators = max(data.count(b","), data.count(b";"), data.count(b"\t"))
    if separators + lines > MAX_CELLS * 1.2:
        _check_size(lines, 0, separators + lines)
    encoding = "utf-8-sig"
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        for i in range(0, len(data), 1 << 20):
            decoder.decode(data[i : i + (1 << 20)])
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        encoding = "cp1258"  # Windows-1258 decodes any byte; its tone marks are NFC-composed per cell
    sample = data[:32768].decode(encoding, errors="ignore")[:8192]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
        if sample.count(";") > sample.count(","):
            dialect = type("semicolon", (csv.excel,), {"delimiter": ";"})
    text = io.TextIOWrapper(io.BytesIO(data), encoding=encoding, newline="")
    rows, cells = [], 0
    for row in csv.reader(text, dialect):
        cells += len(row)
        if len(rows) >= MAX_ROWS or len(row) > MAX_COLUMNS or cells > MAX_CELLS:
            _check_size(len(rows) + 1, len(row), cells)
        rows.append(row)
    cleaned, _repaired = _clean(rows, {})
    return cleaned


def column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


NUMBER = re.compile(r"^[-+]?[\d.,]+$")
NONE_MARKS = {"-", "--", "—", "–", "không"}


def parse_number(value) -> float | None:
    """1.234.567 → 1234567; 1.234,5 → 1234.5; 1,5 → 1.5; (12) → -12; "-" → none. ValueError otherwise."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, (int, float)):
        return float(value)
    text = str(value).strip().replace("\u00a0", "").replace(" ", "")
    if not text or text.lower() in NONE_MARKS:
        return None
    negative = text.startswith("(") and text.endswith(")")
    if negative:
        text = text[1:-1]
    if not NUMBER.match(text):
        raise ValueError(text)
    if "," in text and "." in text:
        # the later separator is the decimal one: 1.234,5 (Vietnamese) or 1,234.5 (English)
        if text.rfind(",") > text.rfind("."):
            text = text.replace(".", "").replace(",", ".")
        else:
            text = text.replace(",", "")
    elif "," in text:
        text = (
            text.replace(",", "") if re.match(r"^[-+]?\d{1,3}(,\d{3}){2,}$", text) else text.replace(",", ".")
        )
    elif text.count(".") > 1 or re.match(r"^[-+]?\d{1,3}\.\d{3}$", text):
        text = text.replace(".", "")
    number = float(text)
    return -number if negative else number


DATE_TEXT = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2,4})$")
DATE_WORDS = re.compile(r"ngày\s*(\d{1,2})\s*tháng\s*(\d{1,2})\s*năm\s*(\d{4})", re.I)


def parse_date(value) -> datetime.date | None:
    """Dates as offices type them: a date cell, an Excel serial, "02/03/2020", "2.3.2020",
    "2020-03-02", "ngày 2 tháng 3 năm 2020"."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):  # an Excel serial date
        if not 1 <= value <= 80000:
            raise ValueError(value)
        return datetime.date(1899, 12, 30) + datetime.timedelta(days=int(value))
    text = str(value).strip()
    if text.isdigit() and 20000 <= int(text) <= 80000:
        return datetime.date(1899, 12, 30) + datetime.timedelta(days=int(text))
    text = text.split(" ")[0] if re.match(r"^\d{4}-\d{2}-\d{2}[ T]\d", text) else text
    match = DATE_TEXT.match(text) or DATE_WORDS.search(text)
    try:
        if match:
            day, month, year = (int(g) for g in match.groups())
            if year < 100:
                year += 2000 if year < 50 else 1900
            return datetime.date(year, month, day)
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise ValueError(text) from None
