"""How the product writes numbers, money and dates for readers: one module for pages, documents and exports.

One rounding rule everywhere: half-up (3/13 = 23,0769… reads 23,1%, on the page, in the API's
display field, in the .docx and in the .xlsx), never the truncation of string slicing. Vietnamese
writing (TCVN / NĐ 30/2020 practice): "." groups thousands, "," marks decimals; counts have no
decimals; money is read in the unit a reader expects ("1,39 tỷ đồng", "215 triệu đồng"), while
exports keep the exact đồng as numbers; dates are dd/mm/yyyy.

Machines get numbers, not these strings: charts read JSON (see `machine`), spreadsheets get
numbers with a number format (see `XLSX_FORMATS`).
"""

from __future__ import annotations

import datetime
import json
import math
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

SHARE_DECIMALS = 1
MILLION, BILLION = Decimal(10) ** 6, Decimal(10) ** 9

# Number formats for .xlsx cells (Excel renders them with the reader's locale separators).
XLSX_FORMATS = {
    "count": "#,##0",
    "people": "#,##0",
    "percent": "0.0",
    "dong": "#,##0",
    "decimal": "#,##0.0",
}


def to_decimal(value) -> Decimal | None:
    """The value as a Decimal (floats through their shortest repr), None for blanks and non-numbers."""
    if value is None or value == "" or isinstance(value, bool):
        return None
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return None
        value = repr(value)
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def round_half_up(value, places: int = 0) -> Decimal | None:
    number = to_decimal(value)
    if number is None:
        return None
    return number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def rounded(value, places: int = 0) -> float | None:
    """The half-up rounded value as a float (for JSON and spreadsheet cells)."""
    number = round_half_up(value, places)
    return None if number is None else float(number)


def number(value, decimals: int = 0, blank: str = "", thousands: str = ".", decimal: str = ",") -> str:
    """1234567.891 → "1.234.568" (decimals=0) or "1.234.567,9" (decimals=1), half-up.

    The separators default to Vietnamese; pages pass the active language's.
    """
    number_ = round_half_up(value, decimals)
    if number_ is None:
        return blank
    sign = "-" if number_ < 0 else ""
    text = f"{abs(number_):,.{decimals}f}"
    whole, _dot, frac = text.partition(".")
    whole = whole.replace(",", thousands)
    return f"{sign}{whole}{decimal}{frac}" if frac else f"{sign}{whole}"


def percent(value, decimals: int = SHARE_DECIMALS, blank: str = "") -> str:
    shown = number(value, decimals)
    return f"{shown}%" if shown else blank


def money(value, blank: str = "") -> str:
    """Đồng in the unit a reader expects: ≥ 1 tỷ in tỷ (two decimals), ≥ 1 triệu in triệu, else đồng."""
    amount = to_decimal(value)
    if amount is None:
        return blank
    size = abs(amount)
    if size >= BILLION:
        return f"{_trim(number(amount / BILLION, 2))} tỷ đồng"
    if size >= MILLION:
        return f"{_trim(number(amount / MILLION, 1))} triệu đồng"
    return f"{number(amount)} đồng"


def exact_money(value, blank: str = "") -> str:
    """Exact đồng, grouped: 1.234.567 đồng."""
    shown = number(value)
    return f"{shown} đồng" if shown else blank


def _trim(text: str) -> str:
    """'215,0' → '215', '1,30' → '1,3': no trailing zeros after the decimal comma."""
    if "," not in text:
        return text
    text = text.rstrip("0")
    return text[:-1] if text.endswith(",") else text


def date(value, blank: str = "") -> str:
    if value is None or value == "":
        return blank
    if isinstance(value, str):
        try:
            value = datetime.date.fromisoformat(value[:10])
        except ValueError:
            return value
    if isinstance(value, datetime.datetime) and value.tzinfo is not None:
        from django.utils import timezone

        value = timezone.localtime(value)  # the day in Vietnam, not in UTC
    return value.strftime("%d/%m/%Y")


def moment(value, blank: str = "") -> str:
    """A date-time as the clock in Vietnam shows it: "15:51 01/12/2026" is "01/12/2026 15:51"."""
    if value is None:
        return blank
    if value.tzinfo is not None:
        from django.utils import timezone

        value = timezone.localtime(value)
    return value.strftime("%d/%m/%Y %H:%M")


def value(amount, unit: str, blank: str = "—") -> str:
    """An indicator's value by its unit: percent → "23,1%", dong → "1,39 tỷ đồng", counts → "2.115"."""
    if to_decimal(amount) is None:
        return blank
    if unit == "percent":
        return percent(amount)
    if unit == "dong":
        return money(amount)
    return number(amount)


def display_places(unit: str) -> int:
    """Decimals a value of this unit keeps when rounded for display (and for the .xlsx cells)."""
    return SHARE_DECIMALS if unit == "percent" else 0


def machine(values) -> str:
    """A series as JSON for charts: "." decimals, null for gaps, never a localised string."""
    decimals = [to_decimal(v) for v in values]
    return json.dumps([None if d is None else float(d) for d in decimals])
