"""Spreadsheet and CSV export of any list, safe to open in Excel.

A cell that starts with =, +, -, @ (or a tab or carriage return) would be run as a formula
by a spreadsheet; such text is prefixed with an apostrophe. Numbers stay numbers.
"""

import csv
import datetime
import io
from collections.abc import Iterable, Sequence

import xlsxwriter
from django.http import HttpResponse, StreamingHttpResponse

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


class _Echo:
    def write(self, value):
        return value


def csv_response(filename: str, header: Sequence[str], rows: Iterable[Sequence]) -> StreamingHttpResponse:
    """Streams row by row with a BOM so Excel reads UTF-8 Vietnamese correctly."""
    writer = csv.writer(_Echo())

    def lines():
        yield "\ufeff" + writer.writerow(header)
        for row in rows:
            yield writer.writerow([_csv_value(v) for v in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _csv_value(value):
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    if value is None:
        return ""
    return safe_cell(value)


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    """The same file as `csv_response`, whole (a background export's result)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    writer.writerow(header)
    for row in rows:
        writer.writerow([_csv_value(v) for v in row])
    return buffer.getvalue().encode("utf-8")


def xlsx_response(filename: str, title: str, header: Sequence[str], rows: Iterable[Sequence]) -> HttpResponse:
    """One sheet: a bold title line, the header, then the rows (constant memory)."""
    response = HttpResponse(
        xlsx_bytes(title, header, rows),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def xlsx_bytes(title: str, header: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(
        buffer, {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    )
    sheet = book.add_worksheet()
    bold = book.add_format({"bold": True})
    date_format = book.add_format({"num_format": "dd/mm/yyyy"})
    number_format = book.add_format({"num_format": "#,##0"})
    decimal_format = book.add_format({"num_format": "#,##0.0"})  # a share rounded half-up to 0,1
    sheet.write_string(0, 0, title, bold)
    for col, name in enumerate(header):
        sheet.write_string(2, col, name, bold)
    for r, row in enumerate(rows, start=3):
        for col, value in enumerate(row):
            if value is None or value == "":
                continue
            if isinstance(value, bool):
                sheet.write_boolean(r, col, value)
            elif isinstance(value, datetime.date):
                sheet.write_datetime(
                    r, col, datetime.datetime(value.year, value.month, value.day), date_format
                )
            elif isinstance(value, (int, float)):
                whole = isinstance(value, int) or float(value).is_integer()
                sheet.write_number(r, col, value, number_format if whole else decimal_format)
            else:
                sheet.write_string(r, col, safe_cell(str(value)))
    book.close()
    return buffer.getvalue()
