"""Where a target stands: actual, baseline, status and a projection to its horizon.

After Open SDG's progress method: compare the growth observed since the baseline with the
growth needed to reach the target by its horizon. R = observed rate / required rate:
R ≥ 0.95 on track, 0.6 ≤ R < 0.95 acceleration needed, otherwise off track. Rates are
compound (CAGR) when both ends are positive, linear otherwise (a count starting from 0, a
"none" target). "About" and ranges are judged against their bounds.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from hoptac.indicators.library import INDICATORS, measure_many
from hoptac.plans.models import Bound, Target

ABOUT_TOLERANCE = 0.10  # "khoảng N": within ±10 %
NEARLY_TOLERANCE = 0.05  # "gần N": at least 95 % of N
ON_TRACK, ACCELERATE = 0.95, 0.60


class Status(models.TextChoices):
    ACHIEVED = "achieved", _("Achieved")
    ON_TRACK = "on_track", _("On track")
    ACCELERATE = "acceleration_needed", _("Acceleration needed")
    OFF_TRACK = "off_track", _("Off track")
    NO_DATA = "no_data", _("No data")


@dataclass
class Progress:
    target: Target
    year: int
    actual: float | None
    baseline: float | None
    baseline_year: int | None
    status: str
    projection: float | None
    ratio: float | None
    series: list[tuple[int, float | None]]
    reporting: float | None  # denominator behind a share, or how many reported

    @property
    def status_label(self):
        return Status(self.status).label


def bounds(target: Target) -> tuple[float | None, float | None]:
    """The interval a value must fall in to meet the target ([low, high], None = open)."""
    v = float(target.value) if target.value is not None else None
    hi = float(target.value_max) if target.value_max is not None else None
    match target.bound:
        case Bound.ABOUT:
            return v * (1 - ABOUT_TOLERANCE), None  # exceeding "about N" still meets a growth target
        case Bound.NEARLY:
            return v * (1 - NEARLY_TOLERANCE), None
        case Bound.AT_LEAST:
            return v, None
        case Bound.MORE_THAN:
            return v + (0.01 if v is not None and v % 1 else 1e-9), None
        case Bound.AT_MOST:
            return None, v
        case Bound.NONE:
            return None, 0.0
        case Bound.RANGE:
            low = v * (1 - ABOUT_TOLERANCE) if target.approximate else v
            return low, None if hi is None else (hi * (1 + ABOUT_TOLERANCE) if target.approximate else hi)
    return None, None


def meets(target: Target, value: float) -> bool:
    low, high = bounds(target)
    if low is not None and value < low:
        return False
    if target.bound in (Bound.AT_MOST, Bound.NONE) and high is not None and value > high:
        return False
    return True


def goal(target: Target) -> float | None:
    """The single number the trajectory aims at (the lower end of a range)."""
    if target.bound == Bound.NONE:
        return 0.0
    return float(target.value) if target.value is not None else None


def _rate(start: float, end: float, years: int, compound: bool) -> float:
    if years <= 0:
        return 0.0
    return (end / start) ** (1 / years) - 1 if compound else (end - start) / years


def judge(target: Target, series: list[tuple[int, float | None]], year: int):
    """(status, projection, ratio, baseline year, baseline value) from a yearly series."""
    known = [(y, v) for y, v in series if v is not None and y <= year]
    actual = dict(known).get(year)
    if target.bound == Bound.QUALITATIVE:
        if actual is None:
            return Status.NO_DATA, None, None, None, None
        return (Status.ACHIEVED if actual > 0 else Status.OFF_TRACK), None, None, None, None
    if actual is None:
        return Status.NO_DATA, None, None, None, None
    base_year, base = known[0]
    wanted = goal(target)
    projection = ratio = None
    if base_year < year:
        compound = base > 0 and actual > 0 and (wanted is None or wanted > 0)
        observed = _rate(base, actual, year - base_year, compound)
        left = target.horizon - year
        projection = max(actual * (1 + observed) ** left if compound else actual + observed * left, 0.0)
        if wanted is not None:
            needed = _rate(base, wanted, target.horizon - base_year, compound)
            ratio = observed / needed if needed else None
    if meets(target, actual):
        return Status.ACHIEVED, projection, ratio, base_year, base
    if year >= target.horizon:
        return Status.OFF_TRACK, projection, ratio, base_year, base
    if ratio is None:
        # A single year of data shows no trend yet: the target is not met, so more is needed.
        return Status.ACCELERATE, projection, ratio, base_year, base
    if ratio >= ON_TRACK:
        return Status.ON_TRACK, projection, ratio, base_year, base
    if ratio >= ACCELERATE:
        return Status.ACCELERATE, projection, ratio, base_year, base
    return Status.OFF_TRACK, projection, ratio, base_year, base


def _progress(target: Target, indicator, series, year: int, reporting) -> Progress:
    status, projection, ratio, base_year, base = judge(target, series, year)
    if projection is not None and indicator is not None and indicator.unit == "percent":
        projection = min(projection, 100.0)  # a share cannot pass 100 %
    return Progress(
        target, year, dict(series).get(year), base, base_year, status, projection, ratio, series, reporting
    )


def target_progress(target: Target, unit, year: int, index=None, first_year: int | None = None) -> Progress:
    """One target's series from the plan's baseline year (or `first_year`) to `year`."""
    return plan_progress([target], unit, year, first_year)[0]


def plan_progress(targets, unit, year: int, first_year: int | None = None) -> list[Progress]:
    """Every target of a plan at once: the yearly values come from measure_many(), a few
    queries per year for the whole plan rather than one per target and year."""
    targets = list(targets)
    if not targets:
        return []
    start = min(first_year or targets[0].plan.baseline_year, year)
    shared = [t.indicator for t in targets if t.indicator in INDICATORS and t.period_start is None]
    by_year = {y: measure_many(shared, unit, y) for y in range(start, year + 1)} if shared else {}
    results = []
    for target in targets:
        indicator = INDICATORS.get(target.indicator)
        series, reporting = [], None
        if indicator is not None:
            for y in range(start, year + 1):
                if target.period_start is None:
                    m = by_year[y][target.indicator]
                else:
                    m = indicator.measure(unit, y, target.period_start)
                series.append((y, m.value))
                if y == year:
                    reporting = float(m.denominator) if m.denominator is not None else None
        results.append(_progress(target, indicator, series, year, reporting))
    return results


def as_decimal(value: float | None, places: int = 2) -> Decimal | None:
    return None if value is None else round(Decimal(str(value)), places)
