"""Writing spreadsheets the way offices' files are laid out, in every format the importer reads.

Used by the tests and by scripts/make_import_corpus.py. A sheet is a grid of values; a value
may be `Legacy(text, font)` — the text stored as a .VnTime/.VnTimeH/VNI-Times user's keyboard
stores it (so the file holds what a real legacy file holds) with that font on the cell — and
merges are (first row, first column, last row, last column), 0-based.
"""

from __future__ import annotations

import csv
import datetime
import io
import unicodedata
import zipfile
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from viparse.normalize import tcvn3, vni

TO_TCVN3 = {unicode: legacy for legacy, unicode in tcvn3._ENTRIES}
TO_VNI = {unicode: legacy for legacy, unicode in vni._ENTRIES}


def as_tcvn3(text: str) -> str:
    """How a .VnTime user's text is stored: each Vietnamese letter as its TCVN3 byte."""
    return "".join(TO_TCVN3.get(ch, ch) for ch in unicodedata.normalize("NFC", text))


def as_tcvn3_capitals(text: str) -> str:
    """.VnTimeH: typed in lowercase TCVN3 letters and ASCII capitals; the font draws capitals."""
    out = []
    for ch in unicodedata.normalize("NFC", text):
        low = ch.lower()
        out.append(TO_TCVN3.get(low, ch.upper() if ch.isascii() else TO_TCVN3.get(ch, ch)))
    return "".join(out)


def as_vni(text: str) -> str:
    return "".join(TO_VNI.get(ch, ch) for ch in unicodedata.normalize("NFC", text))


@dataclass
class Legacy:
    text: str  # the Unicode text the user sees
    font: str = ".VnTime"

    @property
    def stored(self) -> str:
        if self.font.lower().startswith("vni"):
            return as_vni(self.text)
        if self.font.lower().endswith("h"):
            return as_tcvn3_capitals(self.text)
        return as_tcvn3(self.text)


@dataclass
class SheetSpec:
    name: str
    rows: list[list[object]]
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)


def _plain(value):
    return value.stored if isinstance(value, Legacy) else value


def xlsx(sheets: list[SheetSpec]) -> bytes:
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    book.set_properties({"created": datetime.datetime(2024, 1, 1)})  # the same bytes on every run
    formats: dict = {}

    def fmt(font=None, date=False):
        key = (font, date)
        if key not in formats:
            props = {"font_name": font} if font else {}
            if date:
                props["num_format"] = "dd/mm/yyyy"
            formats[key] = book.add_format(props)
        return formats[key]

    for spec in sheets:
        sheet = book.add_worksheet(spec.name)
        merged_tops = {(r0, c0): (r1, c1) for r0, c0, r1, c1 in spec.merges}
        covered = {
            (r, c) for r0, c0, r1, c1 in spec.merges for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)
        }
        for r, row in enumerate(spec.rows):
            for c, value in enumerate(row):
                font = value.font if isinstance(value, Legacy) else None
                plain = _plain(value)
                if (r, c) in merged_tops:
                    r1, c1 = merged_tops[(r, c)]
                    sheet.merge_range(r, c, r1, c1, plain if plain is not None else "", fmt(font))
                elif (r, c) in covered or plain is None or plain == "":
                    continue
                elif isinstance(plain, datetime.date):
                    sheet.write_datetime(
                        r, c, datetime.datetime.combine(plain, datetime.time()), fmt(date=True)
                    )
                elif isinstance(plain, (int, float)):
                    sheet.write_number(r, c, plain, fmt(font))
                else:
                    sheet.write_string(r, c, plain, fmt(font))
    book.close()
    return buffer.getvalue()


def xls(sheets: list[SheetSpec]) -> bytes:
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    styles: dict = {}

    def style(font=None, date=False):
        key = (font, date)
        if key not in styles:
            spec = f"font: name {font}" if font else ""
            styles[key] = xlwt.easyxf(spec, num_format_str="dd/mm/yyyy" if date else "General")
        return styles[key]

    for spec in sheets:
        sheet = book.add_sheet(spec.name)
        merged_tops = {(r0, c0): (r1, c1) for r0, c0, r1, c1 in spec.merges}
        covered = {
            (r, c) for r0, c0, r1, c1 in spec.merges for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)
        }
        for r, row in enumerate(spec.rows):
            for c, value in enumerate(row):
                font = value.font if isinstance(value, Legacy) else None
                plain = _plain(value)
                if (r, c) in merged_tops:
                    r1, c1 = merged_tops[(r, c)]
                    sheet.write_merge(r, r1, c, c1, plain if plain is not None else "", style(font))
                elif (r, c) in covered or plain is None or plain == "":
                    continue
                elif isinstance(plain, datetime.date):
                    sheet.write(r, c, plain, style(date=True))
                else:
                    sheet.write(r, c, plain, style(font))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


ODS_MANIFEST = """<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">
 <manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>
 <manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
</manifest:manifest>"""
ODS_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
    "<office:body><office:spreadsheet>"
)


def ods(sheets: list[SheetSpec]) -> bytes:
    """A minimal OpenDocument spreadsheet (what LibreOffice reads and python-calamine too)."""
    parts = [ODS_HEAD]
    for spec in sheets:
        parts.append(f'<table:table table:name="{escape(spec.name)}">')
        merged_tops = {(r0, c0): (r1, c1) for r0, c0, r1, c1 in spec.merges}
        covered = {
            (r, c) for r0, c0, r1, c1 in spec.merges for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)
        }
        for r, row in enumerate(spec.rows):
            parts.append("<table:table-row>")
            for c, value in enumerate(row):
                plain = _plain(value)
                span = ""
                if (r, c) in merged_tops:
                    r1, c1 = merged_tops[(r, c)]
                    span = f' table:number-rows-spanned="{r1 - r + 1}" table:number-columns-spanned="{c1 - c + 1}"'
                elif (r, c) in covered:
                    parts.append("<table:covered-table-cell/>")
                    continue
                if plain is None or plain == "":
                    parts.append(f"<table:table-cell{span}/>")
                elif isinstance(plain, datetime.date):
                    parts.append(
                        f'<table:table-cell{span} office:value-type="date" office:date-value="{plain.isoformat()}">'
                        f"<text:p>{plain:%d/%m/%Y}</text:p></table:table-cell>"
                    )
                elif isinstance(plain, (int, float)):
                    parts.append(
                        f'<table:table-cell{span} office:value-type="float" office:value="{plain}">'
                        f"<text:p>{plain}</text:p></table:table-cell>"
                    )
                else:
                    parts.append(
                        f'<table:table-cell{span} office:value-type="string"><text:p>{escape(str(plain))}</text:p>'
                        "</table:table-cell>"
                    )
            parts.append("</table:table-row>")
        parts.append("</table:table>")
    parts.append("</office:spreadsheet></office:body></office:document-content>")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content, method in [
            ("mimetype", "application/vnd.oasis.opendocument.spreadsheet", zipfile.ZIP_STORED),
            ("META-INF/manifest.xml", ODS_MANIFEST, zipfile.ZIP_DEFLATED),
            ("content.xml", "".join(parts), zipfile.ZIP_DEFLATED),
        ]:
            archive.writestr(zipfile.ZipInfo(name, (2024, 1, 1, 0, 0, 0)), content, method)
    return buffer.getvalue()


def csv_bytes(spec: SheetSpec, encoding="utf-8", delimiter=",") -> bytes:
    text = io.StringIO()
    writer = csv.writer(text, delimiter=delimiter, lineterminator="\r\n")
    for row in spec.rows:
        out = []
        for value in row:
            plain = _plain(value)
            if isinstance(plain, datetime.date):
                plain = f"{plain:%d/%m/%Y}"
            elif isinstance(plain, float) and plain.is_integer():
                plain = int(plain)
            out.append("" if plain is None else plain)
        writer.writerow(out)
    value = text.getvalue()
    if encoding == "cp1258":  # Windows-1258 writes most tone marks as combining characters
        return _cp1258(value)
    return value.encode(encoding)


def _cp1258(text: str) -> bytes:
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:  # "ố" is "ô" and a combining acute accent, "ệ" is "ê" and a dot below
            parts = unicodedata.normalize("NFD", ch)
            for i, mark in enumerate(parts[1:], start=1):
                base = unicodedata.normalize("NFC", parts[0] + mark)
                try:
                    out += (base + parts[1:i] + parts[i + 1 :]).encode("cp1258")
                    break
                except UnicodeEncodeError:
                    continue
            else:
                out += parts.encode("cp1258")
    return bytes(out)


def write(fmt: str, sheets: list[SheetSpec], **csv_options) -> bytes:
    if fmt == "xlsx":
        return xlsx(sheets)
    if fmt == "xls":
        return xls(sheets)
    if fmt == "ods":
        return ods(sheets)
    return csv_bytes(sheets[0], **csv_options)
