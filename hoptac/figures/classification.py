"""Scoring and grading under Thông tư 01/2020/TT-BKHĐT (Điều 7, Điều 8, Phụ lục I).

The rubric (criteria and maxima) is data in the database; this module only adds up scores,
applies the bands and decides who is not rated.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils.translation import gettext as _

from hoptac.figures.choices import Grade
from hoptac.registry.choices import Kind, Status

# Điều 7 k.2: lower bound of each band, highest first.
BANDS = [(Decimal(80), Grade.GOOD), (Decimal(65), Grade.FAIR), (Decimal(50), Grade.AVERAGE)]
SUSPENSION_LIMIT_DAYS = 90  # "tạm ngừng hoạt động quá 3 tháng trong năm"


def grade_for(score: Decimal, bands: list[tuple[Decimal, str]] | None = None) -> str:
    """The grade of a score under `bands` (a rubric's own, e.g. a local rubric's), else Điều 7's."""
    for lower, grade in bands or BANDS:
        if score >= lower:
            return grade
    return Grade.WEAK


def total(scores: dict[str, float | Decimal]) -> Decimal:
    return sum((Decimal(str(v)) for v in scores.values()), Decimal(0))


def suspended_days(changes: list[tuple[datetime.date, str]], year: int, status_now: str) -> int:
    """Days in `year` spent suspended, from the dated status history (oldest first)."""
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    days = 0
    for i, (since, status) in enumerate(changes):
        until = changes[i + 1][0] - datetime.timedelta(days=1) if i + 1 < len(changes) else end
        if status == Status.SUSPENDED:
            lo, hi = max(since, start), min(until, end)
            if hi >= lo:
                days += (hi - lo).days + 1
    if not changes and status_now == Status.SUSPENDED:
        days = (end - start).days + 1
    return days


def not_rated_reason(kind: str, registration_date, year: int, suspended: int) -> str:
    """Why an organisation is not rated for `year`, or "" if it is rated.

    TT 01/2020 covers HTX and unions; people's credit funds follow the State Bank's rules,
    and cooperative groups are not covered. Not rated: operating under 12 months at the end
    of the year, or suspended for more than 3 months in the year.
    """
    if kind == Kind.QTDND:
        return _("People's credit funds are rated under the State Bank's rules, not Thông tư 01/2020.")
    if kind == Kind.THT:
        return _("Cooperative groups are not rated under Thông tư 01/2020.")
    if registration_date is not None:
        year_end = datetime.date(year, 12, 31)
        try:
            anniversary = registration_date.replace(year=registration_date.year + 1)
        except ValueError:  # 29 February
            anniversary = registration_date.replace(year=registration_date.year + 1, day=28)
        if anniversary > year_end:
            return _("Operating for less than 12 months at the end of %(year)s.") % {"year": year}
    if suspended > SUSPENSION_LIMIT_DAYS:
        return _("Suspended for more than 3 months in %(year)s (%(days)s days).") % {
            "year": year,
            "days": suspended,
        }
    return ""
