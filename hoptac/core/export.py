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
from django.utils import timezone

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


def _local(value: datetime.datetime) -> datetime.datetime:
    """A moment as the clock in Vietnam shows it (stored times are UTC), without its zone for a cell."""
    return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value


def _csv_value(value):
    if isinstance(value, datetime.datetime):
        return _local(value).strftime("%d/%m/%Y %H:%M")
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    if value is None:
        return ""
    return safe_cell(value)


def xlsx_response(filename: str, title: str, header: Sequence[str], rows: Iterable[Sequence]) -> HttpResponse:
    """One sheet: a bold title line, the header, then the rows (constant memory)."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(
        buffer, {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    )
    sheet = book.add_worksheet()
    bold = book.add_format({"bold": True})
    date_format = book.add_format({"num_format": "dd/mm/yyyy"})
    moment_format = book.add_format({"num_format": "dd/mm/yyyy hh:mm"})
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
            elif isinstance(value, datetime.datetime):
                sheet.write_datetime(r, col, _local(value), moment_format)
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
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
