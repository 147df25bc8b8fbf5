"""How indicators are computed: one grouped query per indicator and year, then a roll-up.

Every indicator reduces, for a year, to rows of (commune, former commune, numerator,
denominator) from one GROUP BY query. A unit's value is the sum of the rows that belong to
it: for today's units by commune; for a former unit by the organisation's former commune, or,
where that is not recorded, by today's communes that cover it (the registry's rule,
Organisation.objects.in_unit). So any unit of either generation, and all children of a unit,
come from the same rows, and the cost grows with the number of communes, not organisations.

These grouped queries are the live path. Figure indicators filtering on nothing but kind, year
and place are served from the figures rollup instead (`indicators.rollup`: the same rows,
pre-aggregated per (year, commune, former commune, kind) with this module's querysets and kept
in every write's transaction); `Indicator.measure_live` always computes here. Kept live: links,
traceability lots, grades, union memberships, sector/scale, legal basis, members of
cooperatives founded in a period (listed in `indicators/rollup.py`).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.dummy import DummyCache
from django.db.models import Case, Count, DateField, Exists, F, OuterRef, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Coalesce

from hoptac.core.cache import data_version
from hoptac.figures.choices import FiguresStatus
from hoptac.figures.models import AnnualFigures
from hoptac.geo.models import AdministrativeUnit, Generation, Level, UnitVersion
from hoptac.registry.choices import ENDED_STATUSES, Status, ThtRegime
from hoptac.registry.models import Organisation, StatusChange

GroupKey = tuple[int, int | None]  # (commune id, former commune id)
Rows = dict[GroupKey, tuple[Decimal, Decimal]]


CoverageRows = dict[GroupKey, tuple[Decimal, Decimal, Decimal]]  # (expected, final, estimated)

# A value computed from fewer organisations than this is not judged against a target
# (settings.INDICATOR_COVERAGE overrides): under 80 % of those expected, or fewer than 3.
COVERAGE_DEFAULTS = {"min_share": 0.8, "min_organisations": 3}


def coverage_thresholds() -> dict:
    return {**COVERAGE_DEFAULTS, **getattr(settings, "INDICATOR_COVERAGE", {})}


@dataclass(frozen=True)
class Coverage:
    """Which organisations a value stands on: those expected to report for the unit and year,
    how many did with approved final figures, how many with approved estimates only.

    `source` says where the value comes from: "figures" (annual figures), "assessments"
    (TT 01/2020 grading), or "registry" (counted from the register itself: complete by
    construction, expected/reported are None)."""

    expected: int | None = None
    final: int = 0
    estimated: int = 0
    source: str = "registry"

    @property
    def reported(self) -> int | None:
        return None if self.expected is None else self.final + self.estimated

    @property
    def missing(self) -> int:
        return 0 if self.expected is None else max(self.expected - self.final - self.estimated, 0)

    @property
    def is_final(self) -> bool:
        """Every expected organisation has approved final figures: the value will not move."""
        return self.expected is None or (self.missing == 0 and self.estimated == 0)

    @property
    def share(self) -> float | None:
        if self.expected is None:
            return 1.0
        return self.reported / self.expected if self.expected else None

    @property
    def sufficient(self) -> bool:
        """Enough organisations reported for the value to stand for the unit (thresholds as data)."""
        if self.expected is None:
            return True
        if not self.expected:
            return False
        limits = coverage_thresholds()
        needed = min(int(limits["min_organisations"]), self.expected)
        return self.reported >= needed and self.reported / self.expected >= float(limits["min_share"])

    @property
    def ratio_text(self) -> str:
        """ "1/13": reported of expected."""
        return "" if self.expected is None else f"{self.reported}/{self.expected}"

    def as_dict(self) -> dict:
        return {
            "source": self.source,
            "expected": self.expected,
            "reported": self.reported,
            "final": self.final if self.expected is not None else None,
            "estimated": self.estimated if self.expected is not None else None,
            "missing": self.missing if self.expected is not None else None,
            "is_final": self.is_final,
            "sufficient": self.sufficient,
        }


REGISTRY = Coverage()


@dataclass(frozen=True)
class Measure:
    """An indicator's value for one unit and year, with what it was computed from."""

    numerator: Decimal
    denominator: Decimal | None
    value: float | None
    coverage: Coverage = REGISTRY

    @property
    def has_data(self) -> bool:
        return self.value is not None

    @property
    def sufficient(self) -> bool:
        return self.value is not None and self.coverage.sufficient


def year_end(year: int) -> datetime.date:
    return datetime.date(year, 12, 31)


def latest_change(day: datetime.date, organisation=None) -> QuerySet:
    """Status changes that are their organisation's latest on or before `day`.

    Used as a correlated EXISTS on the organisation (an anti-join on PostgreSQL, an index
    lookup on SQLite): it scales with the number of status changes, and most organisations
    never change status (they are active since registration).
    """
    later = StatusChange.objects.filter(
        organisation=OuterRef("organisation"), effective_date__lte=day
    ).filter(
        Q(effective_date__gt=OuterRef("effective_date"))
        | Q(effective_date=OuterRef("effective_date"), pk__gt=OuterRef("pk"))
    )
    return StatusChange.objects.filter(
        organisation=organisation if organisation is not None else OuterRef("pk"), effective_date__lte=day
    ).exclude(Exists(later))


def population(
    year: int, kinds: Iterable[str], active_only: bool = True, base: QuerySet | None = None
) -> QuerySet:
    """Organisations of `kinds` registered by the end of `year` and, at that date, active
    (or, with active_only=False, not yet dissolved or merged)."""
    day = year_end(year)
    qs = (base if base is not None else Organisation.objects.all()).filter(kind__in=list(kinds))
    qs = qs.filter(Q(registration_date__isnull=True) | Q(registration_date__lte=day))
    if active_only:
        return qs.exclude(Exists(latest_change(day).exclude(status=Status.ACTIVE)))
    return qs.exclude(Exists(latest_change(day).filter(status__in=list(ENDED_STATUSES))))


def tht_founded_on():
    """When a cooperative group came into being, by its regime (after-2025.md §4).

    Registered under Luật HTX 2023: its registration date. Under a cooperation contract
    (NĐ 77/2019): the contract's date, else the day the commune entered it in its register,
    else a registration date if one was recorded. A group whose regime is not recorded is
    read like a contract group when it has a contract date (the seeds' groups predate 2024).
    """
    return Case(
        When(tht_regime=ThtRegime.REGISTERED, then=F("registration_date")),
        default=Coalesce("contract_date", "commune_register_date", "registration_date"),
        output_field=DateField(),
    )


def approved_figures(year: int) -> QuerySet:
    """The year's approved figures, one set per organisation: the final set, else the estimate."""
    final = AnnualFigures.objects.filter(
        organisation=OuterRef("organisation"), year=year, is_estimate=False, status=FiguresStatus.APPROVED
    )
    return AnnualFigures.objects.filter(year=year, status=FiguresStatus.APPROVED).filter(
        Q(is_estimate=False) | ~Exists(final)
    )


def figures_coverage(organisations: QuerySet, year: int) -> CoverageRows:
    """GROUP BY (commune, former commune) of the organisations expected to report for `year`:
    how many there are, how many have approved final figures, how many an approved estimate only."""
    approved = AnnualFigures.objects.filter(
        organisation=OuterRef("pk"), year=year, status=FiguresStatus.APPROVED
    )
    final = Exists(approved.filter(is_estimate=False))
    estimate = Exists(approved.filter(is_estimate=True))
    rows: CoverageRows = {}
    for row in (
        organisations.values("commune_id", "former_commune_id")
        .order_by()
        .annotate(
            expected=Count("pk"),
            final=Count("pk", filter=Q(final)),
            estimated=Count("pk", filter=Q(estimate) & ~Q(final)),
        )
    ):
        rows[(row["commune_id"], row["former_commune_id"])] = (
            Decimal(row["expected"]), Decimal(row["final"]), Decimal(row["estimated"])
        )  # fmt: skip
    return rows


def group_organisations(
    qs: QuerySet, numerator: dict | None = None, denominator: dict | None = None, prefix: str = ""
) -> Rows:
    """GROUP BY (commune, former commune) of an organisation (or related) queryset.

    `numerator`/`denominator` are aggregate expressions; by default the numerator counts rows.
    `prefix` is the path to the organisation ("organisation__" for figures).
    """
    num_expr = numerator or Count("pk")
    values = qs.values(f"{prefix}commune_id", f"{prefix}former_commune_id").order_by()
    annotations = {"num": num_expr}
    if denominator is not None:
        annotations["den"] = denominator
    rows: Rows = {}
    for row in values.annotate(**annotations):
        key = (row[f"{prefix}commune_id"], row[f"{prefix}former_commune_id"])
        rows[key] = (
            Decimal(row["num"] or 0),
            Decimal(row.get("den") or 0) if denominator is not None else Decimal(0),
        )
    return rows


def sum_of(*fields: str, prefix: str = ""):
    expr = None
    for name in fields:
        term = Coalesce(Sum(f"{prefix}{name}"), Value(0))
        expr = term if expr is None else expr + term
    return expr


# ---- which rows belong to which unit -------------------------------------------------


_PROVINCES_MEMO: dict[tuple, dict[int, int]] = {}  # (day, data version) → commune → province


def memo_version() -> int:
    """What the hierarchy memos below are keyed by: the data version, which a unit change set
    bumps for every process. A cache that keeps nothing (Django's DummyCache: the tests') would
    give a new version on every call and no memo would ever be reused; there the memos are
    cleared in this process instead (a change set's listener, each test's fixture)."""
    if isinstance(caches["default"], DummyCache):
        return 0
    return data_version()


def memoised(memo: dict, key, compute: Callable, cap: int = 64):
    """`memo[key]`, computed once; the memo is emptied when it holds `cap` entries (keys carry
    `memo_version()`, so older versions' entries are only dropped, never served)."""
    if key not in memo:
        if len(memo) >= cap:
            memo.clear()
        memo[key] = compute()
    return memo[key]


_MEMBERS_MEMO: dict[tuple, tuple[frozenset[int], frozenset[int]]] = {}  # (unit, data version) → sets


def former_unit_members(unit: AdministrativeUnit) -> tuple[frozenset[int], frozenset[int]]:
    """What `Organisation.objects.in_unit(unit)` matches for a unit of the former generation: its
    former communes (an organisation's former commune), and today's communes covering it (an
    organisation without one). Memoised per process until the units change (a change set bumps
    the data version): the country's 63 former provinces cost 126 queries to work out."""

    def compute():
        old = AdministrativeUnit.objects.descendants_of(unit, level=Level.COMMUNE).values_list(
            "pk", flat=True
        )
        covering = AdministrativeUnit.objects.current_communes_covering(unit).values_list("pk", flat=True)
        return frozenset(old), frozenset(covering)

    return memoised(_MEMBERS_MEMO, (unit.pk, memo_version()), compute, cap=1024)


_CHILDREN_MEMO: dict[tuple, list[AdministrativeUnit]] = {}  # (unit, day, data version) → units


def clear_memos() -> None:
    """Forget the memoised hierarchy (tests that change units without committing)."""
    _CHILDREN_MEMO.clear()
    _PROVINCES_MEMO.clear()
    _MEMBERS_MEMO.clear()


class UnitIndex:
    """Commune facts needed to roll rows up to any unit, loaded once per request."""

    def __init__(self, on: datetime.date | None = None):
        self._province_of: dict[int, int] | None = None
        self.on = on  # the hierarchy of that day (a year's indicators: its last day), else today's

    @property
    def province_of(self) -> dict[int, int]:
        if self._province_of is None:
            # The units change only by a change set, a write that bumps the data version.
            key = (self.on, memo_version())
            self._province_of = memoised(_PROVINCES_MEMO, key, self._load_province_of)
        return self._province_of

    def _load_province_of(self) -> dict[int, int]:
        province_of = dict(
            AdministrativeUnit.objects.filter(generation=Generation.NEW, level=Level.COMMUNE).values_list(
                "pk", "province_id"
            )
        )
        if self.on is not None:
            province_of.update(
                UnitVersion.objects.filter(unit__generation=Generation.NEW, unit__level=Level.COMMUNE)
                .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=self.on))
                .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=self.on))
                .values_list("unit_id", "province_id")
            )
        return province_of

    def membership(self, unit: AdministrativeUnit | None) -> Callable[[GroupKey], bool]:
        """A test telling whether a (commune, former commune) row belongs to `unit` (None: the whole country)."""
        if unit is None:
            return lambda key: True
        if unit.generation == Generation.NEW:
            if unit.level == Level.PROVINCE:
                return lambda key: self.province_of.get(key[0]) == unit.pk
            return lambda key: key[0] == unit.pk
        old, covering = former_unit_members(unit)
        return lambda key: key[1] in old if key[1] is not None else key[0] in covering

    def children(self, unit: AdministrativeUnit | None) -> list[AdministrativeUnit]:
        """The units a dashboard compares inside `unit`: those under it on the index's day (a
        year's: its 31/12), else today's."""
        if unit is not None and unit.level == Level.COMMUNE:
            return []
        if self.on is not None:
            # The units under a unit on a day change only by a change set (which bumps the data
            # version); a dashboard asks for them on every request and every year of a chart.
            key = (unit.pk if unit is not None else None, self.on, memo_version())
            on = self.on
            return list(
                memoised(
                    _CHILDREN_MEMO, key, lambda: AdministrativeUnit.objects.children_on(unit, on), cap=512
                )
            )
        if unit is None:
            return list(
                AdministrativeUnit.objects.filter(generation=Generation.NEW, level=Level.PROVINCE).order_by(
                    "code"
                )
            )
        return list(unit.children.order_by("code"))


def roll_up(rows: Rows, belongs: Callable[[GroupKey], bool]) -> tuple[Decimal, Decimal]:
    num = den = Decimal(0)
    for key, (n, d) in rows.items():
        if belongs(key):
            num += n
            den += d
    return num, den


def roll_up_coverage(rows: CoverageRows, belongs: Callable[[GroupKey], bool], source: str) -> Coverage:
    expected = final = estimated = 0
    for key, (e, f, s) in rows.items():
        if belongs(key):
            expected, final, estimated = expected + int(e), final + int(f), estimated + int(s)
    return Coverage(expected, final, estimated, source)


def roll_up_coverage_children(
    rows: CoverageRows, index: UnitIndex, children: list[AdministrativeUnit], source: str
) -> dict[int, Coverage]:
    """Coverage per child, rolled up the same way as roll_up_children's values."""
    as_values = {key: (e, f) for key, (e, f, _s) in rows.items()}
    as_estimates = {key: (s, Decimal(0)) for key, (_e, _f, s) in rows.items()}
    values = roll_up_children(as_values, index, children)
    estimates = roll_up_children(as_estimates, index, children)
    return {
        child.pk: Coverage(
            int(values.get(child.pk, (0, 0))[0]),
            int(values.get(child.pk, (0, 0))[1]),
            int(estimates.get(child.pk, (0, 0))[0]),
            source,
        )
        for child in children
    }


def roll_up_children(
    rows: Rows, index: UnitIndex, children: list[AdministrativeUnit]
) -> dict[int, tuple[Decimal, Decimal]]:
    """Sums per child. For today's provinces and communes this is a direct lookup per row."""
    totals: dict[int, list[Decimal]] = defaultdict(lambda: [Decimal(0), Decimal(0)])
    if children and all(c.generation == Generation.NEW for c in children):
        ids = {c.pk for c in children}
        by_province = children[0].level == Level.PROVINCE
        for (commune, _former), (n, d) in rows.items():
            target = index.province_of.get(commune) if by_province else commune
            if target in ids:
                totals[target][0] += n
                totals[target][1] += d
    else:
        for child in children:
            totals[child.pk] = list(roll_up(rows, index.membership(child)))
    return {pk: (v[0], v[1]) for pk, v in totals.items()}
