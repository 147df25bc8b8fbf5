"""Plausibility flags for the reviewer: what in a set of figures is unlikely, judged against the
organisation's own previous year and its peers.

These are not errors (validation.py refuses impossible values): a worker income up 82 % in a
year may be true. The reviewer sees each flag beside the value and acknowledges it with a note
before approving (figures.views.review_queue). Thresholds are data: settings.FIGURES_PLAUSIBILITY
overrides any key of DEFAULTS.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass
from types import SimpleNamespace

from django.conf import settings
from django.core.cache import cache
from django.db.models import F
from django.utils.translation import gettext as _

from hoptac.core import numbers
from hoptac.core.cache import data_version, unit_versions
from hoptac.figures.choices import FiguresStatus
from hoptac.figures.fields import BY_NAME
from hoptac.figures.models import AnnualFigures

DEFAULTS = {
    # |change| / previous above which a year-on-year change is flagged, per figure
    "year_on_year": {
        "average_income": 0.5,
        "revenue": 1.0,
        "members_official": 0.3,
        "workers": 0.5,
        "charter_capital": 1.0,
    },
    # official members now − before vs joined − left: flagged beyond this many members
    "member_balance_tolerance": 2,
    # revenue per member more than this many times the peers' median (or less than 1/this)
    "peer_factor": 5.0,
    # the peers' median is used only with at least this many peers (same kind, sector, province)
    "min_peers": 5,
}


def thresholds() -> dict:
    custom = getattr(settings, "FIGURES_PLAUSIBILITY", {})
    merged = {**DEFAULTS, **custom}
    merged["year_on_year"] = {**DEFAULTS["year_on_year"], **custom.get("year_on_year", {})}
    return merged


@dataclass(frozen=True)
class Flag:
    code: str  # year_on_year | member_balance | peer_outlier
    field: str
    message: str


def _members(f) -> int | None:
    return f.members_official


def flags_for(figures, previous, peer_median: float | None, limits: dict | None = None) -> list[Flag]:
    """The flags of one set of figures, given the previous year's set and the peers' median
    revenue per member."""
    limits = limits or thresholds()
    result = []
    if previous is not None:
        for name, limit in limits["year_on_year"].items():
            now, before = getattr(figures, name, None), getattr(previous, name, None)
            if now is None or not before:
                continue
            change = (now - before) / abs(before)
            if abs(change) > limit:
                result.append(Flag("year_on_year", name, _(
                    "%(figure)s %(direction)s %(change)s in a year (%(before)s → %(now)s); more than ±%(limit)s is unusual."
                ) % {
                    "figure": BY_NAME[name].full_label, "direction": _("up") if change > 0 else _("down"),
                    "change": numbers.percent(abs(change) * 100, 0), "before": numbers.number(before),
                    "now": numbers.number(now), "limit": numbers.percent(limit * 100, 0),
                }))  # fmt: skip
        now, before = _members(figures), _members(previous)
        joined, left = figures.members_joined, figures.members_left
        if now is not None and before is not None and (joined is not None or left is not None):
            expected = (joined or 0) - (left or 0)
            if abs((now - before) - expected) > limits["member_balance_tolerance"]:
                result.append(Flag("member_balance", "members_official", _(
                    "Official members changed by %(change)s (%(before)s → %(now)s) while %(joined)s joined and %(left)s left."
                ) % {
                    "change": f"{now - before:+d}", "before": numbers.number(before), "now": numbers.number(now),
                    "joined": numbers.number(joined or 0), "left": numbers.number(left or 0),
                }))  # fmt: skip
    members = _members(figures)
    if peer_median and figures.revenue is not None and members:
        per_member = figures.revenue / members
        factor = float(limits["peer_factor"])
        if per_member > peer_median * factor or per_member < peer_median / factor:
            result.append(Flag("peer_outlier", "revenue", _(
                "Revenue per member %(value)s, against %(median)s for similar organisations in the province."
            ) % {"value": numbers.money(per_member), "median": numbers.money(peer_median)}))  # fmt: skip
    return result


def _group(f) -> tuple:
    if isinstance(f, _Row):
        return f.group
    return (f.year, f.organisation.kind, f.organisation.sector, f.organisation.commune.province_id)


class _Row:
    """The values flags_for reads, without building model instances (flagged_ids over a whole queue)."""

    def __init__(self, values: dict):
        self.__dict__.update(values)
        self.group = (values["year"], values.pop("kind"), values.pop("sector"), values.pop("province"))


def _fields(limits: dict) -> list[str]:
    return sorted({*limits["year_on_year"], "members_official", "members_joined", "members_left", "revenue"})


def _medians(groups: set[tuple], limits: dict) -> dict[tuple, float]:
    """The peers' median revenue per member for each (year, kind, sector, province): one query."""
    if not groups:
        return {}
    years, provinces = {g[0] for g in groups}, {g[3] for g in groups}
    kinds, sectors = {g[1] for g in groups}, {g[2] for g in groups}
    per_member = defaultdict(list)
    peers = (
        AnnualFigures.objects.filter(
            year__in=years, status=FiguresStatus.APPROVED, organisation__commune__province_id__in=provinces,
            organisation__kind__in=kinds, organisation__sector__in=sectors,
            revenue__isnull=False, members_official__gt=0,
        )
        .order_by()  # not the model's order (by organisation name, through a join): a median needs none
        .values_list("year", "organisation__kind", "organisation__sector", "organisation__commune__province_id",
                     "revenue", "members_official")
    )  # fmt: skip
    for year, kind, sector, province, revenue, members in peers:
        if (year, kind, sector, province) in groups:
            per_member[(year, kind, sector, province)].append(revenue / members)
    return {
        key: statistics.median(values)
        for key, values in per_member.items()
        if len(values) >= limits["min_peers"]
    }


MEDIAN_SECONDS = 3600  # a bound besides the versions: they alone decide what is fresh


def cached_medians(sets, limits: dict | None = None) -> dict[tuple, float]:
    """_medians for the groups of `sets`, each cached until a write in its province.

    The peers of a group are every approved set of its kind and sector in its province: for a
    national page of 50 sets, most of the country's sets of the year (about 50 ms, growing with
    the country; issue 20). A median changes only when a set of the province is approved or
    reopened, which bumps the province's version (core.cache, as for indicator values). For the
    review page; an approval computes its flags afresh.
    """
    limits = limits or thresholds()
    groups = {_group(f) for f in sets}
    if not groups:
        return {}
    versions = unit_versions({g[3] for g in groups if g[3] is not None})
    stamp = f"{data_version()}:{limits['min_peers']}"
    keys = {g: f"figures:median:{stamp}:{versions.get(g[3], 0)}:{':'.join(map(str, g))}" for g in groups}
    found = cache.get_many(list(keys.values()))
    missing = {g for g, key in keys.items() if key not in found}
    computed = _medians(missing, limits)
    if missing:
        cache.set_many({keys[g]: computed.get(g) for g in missing}, MEDIAN_SECONDS)
    medians = {g: found[key] for g, key in keys.items() if key in found and found[key] is not None}
    medians.update(computed)
    return medians


def _previous(sets: list, fields: list[str] | None = None) -> dict[tuple, object]:
    """The previous year's best set of each organisation of `sets`: one query per year (with
    `fields`, only those values, as plain rows)."""
    previous: dict[tuple, object] = {}
    by_year = defaultdict(set)
    for f in sets:
        by_year[f.year].add(f.organisation_id)
    for year, org_ids in by_year.items():
        # Narrowed before best_for_year, so that its "no final set" subquery reads these
        # organisations' sets, not every final set of the country's year (issue 20).
        priors = AnnualFigures.objects.filter(organisation_id__in=org_ids).best_for_year(year - 1).order_by()
        if fields is None:
            for prior in priors:
                previous[(prior.organisation_id, year)] = prior
        else:
            for values in priors.values("organisation_id", *fields):
                previous[(values["organisation_id"], year)] = SimpleNamespace(**values)
    return previous


def flags_for_many(
    sets, *, medians: dict | None = None, limits: dict | None = None, fields: list[str] | None = None
) -> dict[int, list[Flag]]:
    """Flags for a page of figures in three queries: their previous years, and the peers' medians."""
    sets = list(sets)
    if not sets:
        return {}
    limits = limits or thresholds()
    if medians is None:
        medians = _medians({_group(f) for f in sets}, limits)
    previous = _previous(sets, fields)
    return {
        f.pk: flags_for(f, previous.get((f.organisation_id, f.year)), medians.get(_group(f)), limits)
        for f in sets
    }


CHUNK = 2000


def flagged_ids(queryset) -> list[int]:
    """The ids of the sets in `queryset` (in its order) that have at least one flag.

    What the review queue's "only flagged" filter pages through: the whole queue, not one page.
    The peers' medians are computed once for the queue; the previous years a chunk at a time
    (a bounded `IN` list, which SQLite needs), so 100,000 waiting sets take about 50 chunks.
    """
    limits = thresholds()
    groups = set(
        queryset.order_by()
        .values_list(
            "year", "organisation__kind", "organisation__sector", "organisation__commune__province_id"
        )
        .distinct()
    )
    medians = _medians(groups, limits)
    result: list[int] = []
    chunk: list = []

    fields = _fields(limits)

    def flush():
        flags = flags_for_many(chunk, medians=medians, limits=limits, fields=fields)
        result.extend(f.pk for f in chunk if flags[f.pk])
        chunk.clear()

    rows = queryset.values(
        "pk", "organisation_id", "year", *fields, kind=F("organisation__kind"), sector=F("organisation__sector"),
        province=F("organisation__commune__province_id"),
    )  # fmt: skip
    for values in rows.iterator(chunk_size=CHUNK):
        chunk.append(_Row(values))
        if len(chunk) >= CHUNK:
            flush()
    if chunk:
        flush()
    return result
