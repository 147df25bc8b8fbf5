"""Numbers and money the Vietnamese way in templates: 1.234.567 and 1.234.567 đồng.

USE_THOUSAND_SEPARATOR stays off (it would also group ids inside URLs); templates ask
for grouping explicitly with these filters, which follow the active language's formats.
"""

from decimal import Decimal, InvalidOperation

from django import template
from django.utils import formats

register = template.Library()


@register.filter
def number(value, decimals=0):
    if value is None or value == "":
        return ""
    try:
        value = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return value
    return formats.number_format(value, decimal_pos=int(decimals), use_l10n=True, force_grouping=True)


@register.filter
def money(value):
    """An amount in đồng, grouped, with the unit: 1.234.567 đồng."""
    shown = number(value)
    return f"{shown} đồng" if shown != "" else ""


@register.filter
def percent(value, decimals=1):
    shown = number(value, decimals)
    return f"{shown}%" if shown != "" else ""
