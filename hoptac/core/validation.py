"""Validation of what a client puts in a URL: years, integers, dates, page sizes.

One place for the bounds, so a query parameter or a path segment out of range is a Vietnamese 400
(or a 404 for a path that names no year), never a database error or a 500.
"""

import datetime

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Years a record can be about: the figures table's CHECK (1990..2100, Luật HTX 2012 reporting
# onwards) is the strictest bound in the schema, so every year filter and path uses it.
MIN_YEAR = 1990
MAX_YEAR = 2100
# Integers in URLs are identifiers or counts: beyond a signed 64-bit column nothing can match.
MAX_INT = 2**63 - 1
MAX_PAGE_SIZE = 1000


def validate_year(value: int) -> int:
    if not MIN_YEAR <= value <= MAX_YEAR:
        raise ValidationError(
            _("The year must be between %(min)s and %(max)s."),
            code="year_range",
            params={"min": MIN_YEAR, "max": MAX_YEAR},
        )
    return value


class YearConverter:
    """`<year:year>` in a URL: a year within MIN_YEAR..MAX_YEAR, else the URL does not match (404).

    The regex stays `[0-9]+` so templates can still reverse a placeholder (`…/0/`) for scripts.
    """

    regex = "[0-9]+"

    def to_python(self, value: str) -> int:
        year = int(value)
        if not MIN_YEAR <= year <= MAX_YEAR:
            raise ValueError(value)
        return year

    def to_url(self, value) -> str:
        return str(value)


class YearField(forms.IntegerField):
    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", MIN_YEAR)
        kwargs.setdefault("max_value", MAX_YEAR)
        super().__init__(**kwargs)


class YearFilter(django_filters.NumberFilter):
    """A year filter (`?year=`): a whole number within MIN_YEAR..MAX_YEAR, else 400."""

    field_class = YearField


class IdFilter(django_filters.NumberFilter):
    """An identifier filter (`?organisation=`): a positive whole number, else 400."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_INT)
        super().__init__(*args, **kwargs)


def _field_error(name: str, message) -> ValidationError:
    return ValidationError({name: [message]})


def query_int(params, name: str, *, minimum: int = 1, maximum: int = MAX_INT, default=None):
    """`?name=` as a whole number within bounds; absent or empty gives `default`; else a 400 naming it."""
    raw = params.get(name)
    if raw in (None, ""):
        return default
    try:
        value = int(str(raw).strip())
    except ValueError:
        raise _field_error(name, _("Enter a whole number.")) from None
    if not minimum <= value <= maximum:
        raise _field_error(
            name,
            _("Enter a number between %(min)s and %(max)s.") % {"min": minimum, "max": maximum},
        )
    return value


def query_year(params, name: str = "year", default=None):
    return query_int(params, name, minimum=MIN_YEAR, maximum=MAX_YEAR, default=default)


def query_date(params, name: str, default=None):
    """`?name=` as an ISO date (YYYY-MM-DD) that exists: 2025-02-31 is a 400, not a 500."""
    raw = params.get(name)
    if raw in (None, ""):
        return default
    try:
        return datetime.date.fromisoformat(str(raw))
    except ValueError:
        raise _field_error(name, _("Enter a real date as YYYY-MM-DD.")) from None


def query_choice(params, name: str, choices, default=None):
    raw = params.get(name)
    if raw in (None, ""):
        return default
    if raw not in choices:
        raise _field_error(
            name, _("Choose one of: %(choices)s.") % {"choices": ", ".join(str(c) for c in choices)}
        )
    return raw


def latest_plausible_date() -> datetime.date:
    """Tomorrow in Vietnam: a date of something that happened (a registration) is not later than that."""
    from django.utils import timezone

    return timezone.localdate() + datetime.timedelta(days=1)
