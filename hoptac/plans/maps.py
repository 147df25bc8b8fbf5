"""A plan's province map: today's 34 provinces coloured by a target's progress (JSON for province-map.js).

- A plan that names no unit (a national plan): each province is judged against the target
  with its own yearly series, as the plan page judges a unit (progress.judge via _progress).
- A plan of a unit (either generation): the provinces of today that cover the unit carry the
  plan's own progress for that unit; a former province is so shown through today's provinces
  its communes went into. The other provinces are "outside the plan's area".
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from hoptac.accounts import access
from hoptac.core import numbers
from hoptac.indicators.engine import UnitIndex
from hoptac.indicators.library import INDICATORS
from hoptac.indicators.maps import ATTRIBUTION, coverage_text, covering_provinces, hidden_region, provinces
from hoptac.plans import progress
from hoptac.plans.models import Bound


def measurable(target) -> bool:
    return target.bound != Bound.QUALITATIVE and target.indicator in INDICATORS


def _status_region(province, p: progress.Progress, unit_kind: str, label: str) -> dict:
    text = coverage_text(p.coverage, label)
    return {
        "code": province.code,
        "ref": province.ref,
        "name": province.name,
        "state": "status",
        "status": p.status,
        "status_text": p.status_label,
        "value": numbers.rounded(p.actual, numbers.display_places(unit_kind)),
        "value_text": numbers.value(p.actual, unit_kind) if p.actual is not None else "",
        "coverage": {**p.coverage.as_dict(), "ratio": p.coverage.ratio_text},
        "coverage_text": text,
    }


def _outside_region(province) -> dict:
    return {
        "code": province.code, "ref": province.ref, "name": province.name, "state": "outside",
        "value": None, "value_text": "", "coverage": None, "coverage_text": "",
        "status_text": _("Outside the plan’s area"),
    }  # fmt: skip


def _by_province(target, indicator, year: int) -> dict:
    """Each province's Progress for the target, from one measure_children() per year."""
    start = min(target.plan.baseline_year, year)
    per_year = {
        # today's provinces, the map's, whatever the year
        y: dict(indicator.measure_children(None, y, target.period_start, UnitIndex()))
        for y in range(start, year + 1)
    }  # fmt: skip
    results = {}
    for province in per_year[year]:
        measures = [per_year[y].get(province) for y in range(start, year + 1)]
        if any(m is None for m in measures):
            continue
        series = [(y, m.value) for y, m in zip(range(start, year + 1), measures, strict=True)]
        last = measures[-1]
        reporting = float(last.denominator) if last.denominator is not None else None
        results[province.pk] = progress._progress(
            target, indicator, series, year, reporting, [m.coverage for m in measures]
        )
    return results


def target_map(plan, target, unit, year: int, user) -> dict:
    indicator = INDICATORS[target.indicator]
    label = indicator.organisation_label
    if unit is None:
        judged = _by_province(target, indicator, year)
        covering, own = set(), None
    else:
        judged, covering = {}, covering_provinces(unit)
        own = progress.target_progress(target, unit, year)
    regions = []
    for province in provinces():
        query = {"unit": province.ref, "year": year, "target": target.code}
        if unit is None:
            p = judged.get(province.pk)
            if p is None or not access.can(user, "measure_unit", province):
                region = {**hidden_region(province), "url": None}
            else:
                region = _status_region(province, p, indicator.unit, label)
                region["url"] = reverse("plans:detail", args=[plan.pk]) + "?" + urlencode(query)
        elif province.code in covering and own is not None:
            region = _status_region(province, own, indicator.unit, label)
            region["url"] = (
                reverse("plans:detail", args=[plan.pk]) + "?" + urlencode({**query, "unit": unit.ref})
            )
        else:
            region = _outside_region(province)
            region["url"] = reverse("indicators:unit", args=[province.ref]) + "?" + urlencode({"year": year})
        region["highlight"] = province.code in covering
        regions.append(region)
    return {
        "mode": "status",
        "title": f"{target.code}: {target.wording} – {year}",
        "unit": indicator.unit,
        "year": year,
        "regions": regions,
        "legend": [
            {"status": str(status), "label": str(status.label)} for status, _meaning in progress.LEGEND
        ],
        "attribution": ATTRIBUTION,
    }
