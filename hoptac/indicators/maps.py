"""The province map's data: one region per province of today (34), as JSON for the map script.

The boundaries are static (`hoptac/static/hoptac/geo/provinces-2025.json`, features keyed by the
GSO code, which is our unit code of today's provinces); this module says what each region shows:
its value and how it is written, its coverage ("12/13 HTX"), its state and where a click goes.

States (the script colours by them): `value` (a value standing on enough organisations),
`insufficient` ("Chưa đủ số liệu", hatched grey with the count), `no_data`, `hidden` (a province
outside the account's area: named, not measured) and, on a plan's map, `outside` (a province the
plan does not cover). A page about a unit of either generation highlights the provinces of today
that cover it: a former province is shown through today's provinces its communes went into.
Values are the indicator engine's own (`Indicator.measure_children`), rounded half-up as displayed.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from hoptac.accounts import access
from hoptac.core import numbers
from hoptac.geo.models import AdministrativeUnit, Generation, Level
from hoptac.indicators.engine import Coverage, Measure, UnitIndex

GEO_FILE = "hoptac/geo/provinces-2025.json"  # static path of the boundaries
ATTRIBUTION = (
    "Boundaries: thanglequoc/vietnamese-provinces-database (MIT), from the official 2025 arrangement map"
)


def provinces() -> list[AdministrativeUnit]:
    """Today's 34 provinces, in code order."""
    return list(
        AdministrativeUnit.objects.filter(generation=Generation.NEW, level=Level.PROVINCE, valid_to__isnull=True)
        .order_by("code")
    )  # fmt: skip


def covering_provinces(unit: AdministrativeUnit | None) -> set[str]:
    """Codes of today's provinces that cover `unit` (a former unit: where its communes went)."""
    if unit is None:
        return set()
    if unit.generation == Generation.NEW:
        if unit.level == Level.PROVINCE:
            return {unit.code}
        return {unit.province.code} if unit.province_id else set()
    communes = AdministrativeUnit.objects.current_communes_covering(unit)
    return set(communes.exclude(province__isnull=True).values_list("province__code", flat=True).distinct())


def coverage_text(coverage: Coverage, label: str) -> str:
    """ "12/13 HTX", or that the value is counted from the register (complete by construction)."""
    if coverage.expected is None:
        return _("counted from the register")
    if coverage.expected == 0:
        return f"0 {label}"  # none expected to report: nothing to measure
    return f"{coverage.ratio_text} {label}"


def measure_region(province, measure: Measure, unit_kind: str, label: str) -> dict:
    """What one province's region says for an indicator's Measure."""
    coverage = measure.coverage
    if coverage.expected and not coverage.sufficient:
        state = "insufficient"  # also with no value at all: "Chưa đủ số liệu (0/22 HTX)"
    elif measure.value is None:
        state = "no_data"
    else:
        state = "value"
    places = numbers.display_places(unit_kind)
    text = coverage_text(coverage, label)
    return {
        "code": province.code,
        "ref": province.ref,
        "name": province.name,
        "state": state,
        "value": numbers.rounded(measure.value, places),
        "value_text": numbers.value(measure.value, unit_kind),
        "coverage": {**coverage.as_dict(), "ratio": coverage.ratio_text},
        "coverage_text": text,
        "status_text": _status_text(state, coverage, text),
    }


def _status_text(state: str, coverage: Coverage, text: str) -> str:
    """ "Chưa đủ số liệu (1/13 HTX)"; for a value from figures, whether it is final or holds estimates."""
    if state == "insufficient":
        return _("Insufficient data") + f" ({text})"
    if state != "value" or not coverage.expected:
        return ""
    if coverage.estimated:
        return f"{coverage.estimated} {_('estimates')}"
    return _("Final") if coverage.is_final else ""


def hidden_region(province) -> dict:
    return {
        "code": province.code, "ref": province.ref, "name": province.name, "state": "hidden",
        "value": None, "value_text": "", "coverage": None, "coverage_text": "",
        "status_text": _("Outside the area your account covers"),
    }  # fmt: skip


def indicator_map(
    indicator, year: int, user, period_start: int | None = None, unit=None, link: str = ""
) -> dict:
    """Every province's value of `indicator` in `year`, as the map shows it.

    A province outside the account's area is named but not measured. `unit`: the page's unit,
    whose covering provinces are highlighted. `link`: "dashboard" sends a click to the
    province's key-indicator dashboard, otherwise to this indicator's page for the province.
    """
    # The map draws today's 34 provinces whatever the year (a year before the 2025 reform is
    # shown through them): the hierarchy of today, not of the year's end (UnitIndex() vs on=).
    measures = dict(indicator.measure_children(None, year, period_start, UnitIndex()))
    highlight = covering_provinces(unit)
    regions = []
    for province in provinces():
        measure = measures.get(province)
        if not access.can(user, "measure_unit", province) or measure is None:
            region = hidden_region(province)
        else:
            region = measure_region(province, measure, indicator.unit, indicator.organisation_label)
        query = {"year": year}
        if region["state"] == "hidden":
            region["url"] = None  # its page would be refused
        elif link == "dashboard":
            region["url"] = reverse("indicators:unit", args=[province.ref]) + "?" + urlencode(query)
        else:
            query = {
                "unit": province.ref,
                **query,
                **({"period_start": period_start} if period_start else {}),
            }
            region["url"] = reverse("indicators:detail", args=[indicator.code]) + "?" + urlencode(query)
        region["highlight"] = province.code in highlight
        regions.append(region)
    return {
        "mode": "value",
        "title": f"{indicator.name} – {year}",
        "unit": indicator.unit,
        "year": year,
        "regions": regions,
        "attribution": ATTRIBUTION,
    }
