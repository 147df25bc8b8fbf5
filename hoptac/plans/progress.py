"""Where a target stands: actual, baseline, status and a projection to its horizon.

After Open SDG's progress method: compare the growth observed since the baseline with the
growth needed to reach the target by its horizon. R = observed rate / required rate:
R ≥ 0.95 on track, 0.6 ≤ R < 0.95 acceleration needed, otherwise off track. Rates are
compound (CAGR) when both ends are positive, linear otherwise (a count starting from 0, a
"none" target). "About" and ranges are judged against their bounds.

A value computed from too few organisations (engine.Coverage.sufficient: thresholds as data)
is not judged: the status is "insufficient data (1/13 HTX)", and that year is left out of the
trend and the projection. A target whose horizon has passed gets no projection.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from hoptac.indicators.engine import REGISTRY, Coverage
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
    INSUFFICIENT = "insufficient_data", _("Insufficient data")
    NO_DATA = "no_data", _("No data")


# What each status means, for the legend beside the targets (after Open SDG's progress method).
LEGEND = [
    (Status.ACHIEVED, _("The latest value meets the target's bound.")),
    (Status.ON_TRACK, _("Not yet met; the growth since the baseline is at least 95% of the growth needed to meet it by the deadline.")),
    (Status.ACCELERATE, _("Not yet met; the growth since the baseline is 60–95% of the growth needed, or there is only one year of data.")),
    (Status.OFF_TRACK, _("Not met; the growth is under 60% of what is needed, the value moves away from the target, or the deadline has passed.")),
    (Status.INSUFFICIENT, _("Too few organisations have approved figures for the year (under 80% of those expected, or fewer than 3): the value is not judged.")),
    (Status.NO_DATA, _("No value for the year.")),
]  # fmt: skip


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
    coverage: Coverage = REGISTRY  # of the value for `year`
    series_coverage: tuple = ()  # Coverage per year of `series`
    organisation_label: str = "HTX"

    @property
    def status_label(self) -> str:
        """ "Chưa đủ số liệu (1/13 HTX)" when the value stands on too few organisations."""
        label = str(Status(self.status).label)
        if self.status == Status.INSUFFICIENT and self.coverage.expected is not None:
            return f"{label} ({self.coverage.ratio_text} {self.organisation_label})"
        return label

    @property
    def sufficient(self) -> bool:
        return self.actual is not None and self.coverage.sufficient


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


def judge(target: Target, series: list[tuple[int, float | None]], year: int, insufficient=()):
    """(status, projection, ratio, baseline year, baseline value) from a yearly series.

    `insufficient`: the years whose value stands on too few organisations; they are not judged
    and not used for the trend."""
    if year in insufficient:
        return Status.INSUFFICIENT, None, None, None, None
    known = [(y, v) for y, v in series if v is not None and y <= year and y not in insufficient]
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
        if left > 0:  # no projection for a deadline that has passed (or is this year)
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


def _progress(target: Target, indicator, series, year: int, reporting, coverages=()) -> Progress:
    coverages = tuple(coverages) or tuple(REGISTRY for _ in series)
    # Too few reported (none at all included, when some were expected): not judged.
    insufficient = {
        y for (y, _v), c in zip(series, coverages, strict=True) if c.expected and not c.sufficient
    }
    status, projection, ratio, base_year, base = judge(target, series, year, insufficient)
    if projection is not None and indicator is not None and indicator.unit == "percent":
        projection = min(projection, 100.0)  # a share cannot pass 100 %
    coverage = dict(zip((y for y, _v in series), coverages, strict=True)).get(year, REGISTRY)
    return Progress(
        target, year, dict(series).get(year), base, base_year, status, projection, ratio, series, reporting,
        coverage, coverages, indicator.organisation_label if indicator is not None else "HTX",
    )  # fmt: skip


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
        series, reporting, coverages = [], None, []
        if indicator is not None:
            for y in range(start, year + 1):
                if target.period_start is None:
                    m = by_year[y][target.indicator]
                else:
                    m = indicator.measure(unit, y, target.period_start)
                series.append((y, m.value))
                coverages.append(m.coverage)
                if y == year:
                    reporting = float(m.denominator) if m.denominator is not None else None
        results.append(_progress(target, indicator, series, year, reporting, coverages))
    return results


def as_decimal(value: float | None, places: int = 2) -> Decimal | None:
    return None if value is None else round(Decimal(str(value)), places)
