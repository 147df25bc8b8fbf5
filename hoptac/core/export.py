"""Spreadsheet and CSV export of any list, safe to open in Excel and ready to work with.

A cell that starts with =, +, -, @ (or a tab or carriage return) would be run as a formula
by a spreadsheet; such text is prefixed with an apostrophe. Numbers stay numbers. Every .xlsx
list has its header frozen, an autofilter over the table and columns sized to their content.
"""

import csv
import datetime
import io
import math
from collections.abc import Iterable, Sequence
from decimal import Decimal

import xlsxwriter
from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone

from hoptac.core import numbers

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_HEADER_ROW = 2  # row 0: the title; row 1: blank; row 2: the header (0-based)
_HEADER_WIDTH = 30  # a long header wraps instead of widening its column past this
_MAX_WIDTH = 60


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


def _kind_of(value) -> str:
    """The numbers.XLSX_FORMATS key for a number cell whose column did not name one."""
    if isinstance(value, int):
        return "count"
    return "count" if float(value).is_integer() else "decimal"


def _shown_width(value) -> int:
    """About how many characters the cell shows, for the column width."""
    if isinstance(value, datetime.datetime):
        return 16
    if isinstance(value, datetime.date):
        return 10
    if isinstance(value, bool):
        return 5
    if isinstance(value, (int, float, Decimal)):
        whole = len(f"{abs(int(value)):,}")
        return whole + (0 if float(value).is_integer() else 2) + (1 if value < 0 else 0)
    return max((len(line) for line in str(value).splitlines()), default=0)


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    """The same file as `csv_response`, whole (a background export's result)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    writer.writerow(header)
    for row in rows:
        writer.writerow([_csv_value(v) for v in row])
    return buffer.getvalue().encode("utf-8")


def xlsx_response(
    filename: str,
    title: str,
    header: Sequence[str],
    rows: Iterable[Sequence],
    kinds: Sequence[str | None] | None = None,
) -> HttpResponse:
    """`xlsx_bytes` as a download."""
    response = HttpResponse(
        xlsx_bytes(title, header, rows, kinds),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def xlsx_bytes(
    title: str,
    header: Sequence[str],
    rows: Iterable[Sequence],
    kinds: Sequence[str | None] | None = None,
) -> bytes:
    """One sheet people can work with: a bold title line, the header, then the rows.

    The header row is frozen and carries an autofilter over the whole table; columns are as
    wide as their content (within bounds); numbers (int, float, Decimal) are written as numbers
    with the number formats of `hoptac.core.numbers.XLSX_FORMATS`: `kinds` names a column's
    format ("count", "percent", "dong", …; None: inferred, whole numbers grouped, others to 0,1);
    dates as dates (dd/mm/yyyy), date-times in local time. Text that a spreadsheet would run as
    a formula is neutralised (`safe_cell`). Written in constant memory, row by row.
    """
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(
        buffer, {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    )
    sheet = book.add_worksheet()
    bold = book.add_format({"bold": True})
    header_format = book.add_format({"bold": True, "text_wrap": True, "valign": "top", "bottom": 1})
    date_format = book.add_format({"num_format": "dd/mm/yyyy"})
    datetime_format = book.add_format({"num_format": "dd/mm/yyyy hh:mm"})
    formats = {key: book.add_format({"num_format": code}) for key, code in numbers.XLSX_FORMATS.items()}
    column_kinds = list(kinds or [])
    widths = [min(max(len(str(name)), 4), _HEADER_WIDTH) for name in header]
    sheet.write_string(0, 0, title, bold)
    for col, name in enumerate(header):
        sheet.write_string(_HEADER_ROW, col, str(name), header_format)
    last = _HEADER_ROW
    for r, row in enumerate(rows, start=_HEADER_ROW + 1):
        last = r
        for col, value in enumerate(row):
            if value is None or value == "":
                continue
            if col >= len(widths):
                widths.append(0)
            widths[col] = max(widths[col], _shown_width(value))
            if isinstance(value, bool):
                sheet.write_boolean(r, col, value)
            elif isinstance(value, datetime.datetime):
                sheet.write_datetime(r, col, _local(value), datetime_format)
            elif isinstance(value, datetime.date):
                sheet.write_datetime(
                    r, col, datetime.datetime(value.year, value.month, value.day), date_format
                )
            elif isinstance(value, (int, float, Decimal)):
                number = float(value) if isinstance(value, Decimal) else value
                if isinstance(number, float) and not math.isfinite(number):
                    continue
                named = column_kinds[col] if col < len(column_kinds) else None
                kind = named or _kind_of(number)
                sheet.write_number(r, col, number, formats.get(kind, formats["decimal"]))
            else:
                sheet.write_string(r, col, safe_cell(str(value)))
    for col, width in enumerate(widths):
        sheet.set_column(col, col, min(max(width, 6), _MAX_WIDTH) + 2)
    columns = max(len(header), len(widths))
    sheet.autofilter(_HEADER_ROW, 0, last, max(columns - 1, 0))
    sheet.freeze_panes(_HEADER_ROW + 1, 0)
    book.close()
    return buffer.getvalue()
