"""Numbers, money and dates the Vietnamese way in templates, through hoptac.core.numbers.

USE_THOUSAND_SEPARATOR stays off (it would also group ids inside URLs); templates ask for
grouping explicitly with these filters. Every filter rounds half-up (numbers.round_half_up),
the same rule as the documents and exports.
"""

from django import template
from django.utils import formats

from hoptac.core import numbers

register = template.Library()


@register.filter
def number(value, decimals=0):
    """1.234.567 (or 1.234,6 with :1); non-numbers pass through unchanged."""
    if value is None or value == "":
        return ""
    if numbers.to_decimal(value) is None:
        return value
    return numbers.number(
        value,
        int(decimals),
        thousands=formats.get_format("THOUSAND_SEPARATOR"),
        decimal=formats.get_format("DECIMAL_SEPARATOR"),
    )


@register.filter
def money(value):
    """An exact amount in đồng, grouped, with the unit: 1.234.567 đồng."""
    shown = number(value)
    return f"{shown} đồng" if shown != "" else ""


@register.filter
def amount(value):
    """An amount in the unit a reader expects: 1,39 tỷ đồng, 215 triệu đồng."""
    return numbers.money(value)


@register.filter
def percent(value, decimals=1):
    shown = number(value, decimals)
    return f"{shown}%" if shown != "" else ""


@register.filter
def value_in(value, unit):
    """An indicator value by its unit ("percent", "dong", "count", "people"); "—" when missing."""
    return numbers.value(value, unit)


@register.filter
def vndate(value):
    return numbers.date(value)


@register.filter
def machine(values):
    """A series as JSON for a chart's data attribute ("." decimals, null for gaps)."""
    return numbers.machine(values)
