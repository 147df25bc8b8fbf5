"""What the indicators read from the links register: the one definition of "linked"."""

from __future__ import annotations

from typing import NamedTuple

from django.db.models import Count, Q, QuerySet

from hoptac.geo.models import AdministrativeUnit
from hoptac.links.models import Link
from hoptac.registry.choices import AGRICULTURAL_SECTORS, Kind
from hoptac.registry.models import Organisation


class Share(NamedTuple):
    numerator: int
    denominator: int
    share: float | None  # percent, None when there is no agricultural cooperative


def linked_organisations(year: int) -> QuerySet:
    """Organisations with at least one link in force during `year`."""
    return Organisation.objects.filter(pk__in=Link.objects.active_in(year).values("organisation_id"))


def linked_share(unit: AdministrativeUnit | None, year: int, active_only: bool = True) -> Share:
    """Agricultural cooperatives linked with an enterprise in `year` (seed plans, target 10/11).

    Denominator: HTX of the agricultural sectors (agriculture, forestry, fisheries, salt) in `unit`
    registered by 31/12 of `year` and active on that day (with `active_only=False`: not yet
    dissolved or merged). Numerator: those with a link in force at some point of the year.
    One aggregate query; the indicator `share_agri_htx_linked` gives the same figure.
    """
    from hoptac.indicators.engine import population  # the engine's "status at year end"

    base = Organisation.objects.in_unit(unit) if unit is not None else Organisation.objects.all()
    farms = population(year, [Kind.HTX], active_only=active_only, base=base).filter(
        sector__in=list(AGRICULTURAL_SECTORS)
    )
    linked = Link.objects.active_in(year).values("organisation_id")
    totals = farms.aggregate(den=Count("pk"), num=Count("pk", filter=Q(pk__in=linked)))
    num, den = totals["num"] or 0, totals["den"] or 0
    return Share(num, den, round(100 * num / den, 1) if den else None)
