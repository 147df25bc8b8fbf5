"""The indicator library: every indicator the seeds' targets need, each documented.

An indicator knows how to produce its grouped rows for a year (engine.py) and how to turn a
numerator and denominator into a value. Where a definition is a judgement, `judgement` says
so and why; the indicator page shows it to users.
"""

from __future__ import annotations

import datetime
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from importlib import import_module

from django.core.cache import cache
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from hoptac.core.appconfig import domain_configs
from hoptac.core.cache import data_version, unit_version
from hoptac.figures.choices import RATED_GRADES, FiguresStatus, Grade
from hoptac.figures.models import AnnualFigures, Assessment
from hoptac.geo.models import AdministrativeUnit
from hoptac.indicators import engine, rollup
from hoptac.indicators.engine import (
    REGISTRY,
    Coverage,
    CoverageRows,
    Measure,
    Rows,
    UnitIndex,
    approved_figures,
    figures_coverage,
    group_organisations,
    population,
    sum_of,
    tht_founded_on,
)
from hoptac.registry.choices import (
    AGRICULTURAL_SECTORS,
    Kind,
    LegalBasis,
    OperatingScale,
    Sector,
    Status,
    ThtRegime,
)
from hoptac.registry.models import Organisation, UnionMembership

CACHE_SECONDS = 24 * 3600  # keys carry the data version, so this only bounds the cache's size
ALL_KINDS = [Kind.HTX, Kind.LHHTX, Kind.THT, Kind.QTDND]
MEMBER_FIELDS = ("members_official", "members_associate_capital", "members_associate_noncapital")


def cache_prefix(unit) -> str:
    """The versions a unit's cached values are keyed by: the data version (writes no area holds)
    and the unit's own (writes in its area, core.cache.bump_units)."""
    return f"ind:{data_version()}:{unit_version(unit.pk if unit else None)}"


@dataclass
class Indicator(ABC):
    code: str
    name: str
    unit: str  # count | percent | dong | people
    definition: str
    numerator: str
    denominator: str = ""
    sources: str = ""
    edge_cases: str = ""
    judgement: str = ""
    kinds: list[str] = field(default_factory=lambda: [Kind.HTX])

    # -- to override ----------------------------------------------------------------------
    @abstractmethod
    def rows(self, year: int, base: QuerySet, period_start: int | None = None) -> Rows:
        """(commune, former commune) → (numerator, denominator) for `year` over `base`."""

    def drilldown(self, year: int, base: QuerySet, period_start: int | None = None) -> QuerySet:
        """The organisations behind the figure (its denominator where it has one)."""
        return population(year, self.kinds, base=base)

    def value(self, num: Decimal, den: Decimal) -> float | None:
        return float(num)

    coverage_source = "registry"

    def coverage_rows(
        self, year: int, base: QuerySet, period_start: int | None = None
    ) -> CoverageRows | None:
        """Who was expected to report and who did, grouped like rows(); None when the value
        is counted from the register itself (complete by construction)."""
        return None

    def expected_organisations(self, year: int, base: QuerySet, period_start: int | None = None):
        """The organisations expected to report for the value (None when counted from the register)."""
        return None

    def numerator_organisations(self, year: int, base: QuerySet, period_start: int | None = None):
        """The organisations counted in the numerator of a share of organisations (None when
        the numerator is not a set of organisations, e.g. a sum of managers)."""
        return None

    @property
    def organisation_label(self) -> str:
        """How the coverage names the organisations: "HTX", "THT", or "tổ chức"."""
        if list(self.kinds) == [Kind.HTX]:
            return "HTX"
        if list(self.kinds) == [Kind.THT]:
            return "THT"
        return "tổ chức"

    # -- the rollup (indicators.rollup) ------------------------------------------------------
    def rollup_terms(self) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
        """(numerator columns, denominator columns) of FigureRollup summed over the unit's cells
        of the indicator's kinds; None: the indicator filters on something the rollup does not
        hold (links, lots, grades…) and is computed live."""
        return None

    def rollup_years(self, year: int, period_start: int | None) -> list[int]:
        return [year]

    def _rollup_columns(self) -> list[str]:
        terms = self.rollup_terms()
        assert terms is not None
        coverage = ["active", "final", "estimated"] if self.coverage_source == "figures" else []
        return [*terms[0], *terms[1], *coverage]

    def from_totals(self, totals: dict[str, dict[str, int]], unit) -> Measure:
        """The value from rollup.totals() (kind → column → Σ)."""
        terms = self.rollup_terms()
        assert terms is not None
        rows = [totals[k] for k in self.kinds if k in totals]
        num = Decimal(sum(r[c] for r in rows for c in terms[0]))
        den = Decimal(sum(r[c] for r in rows for c in terms[1]))
        coverage = REGISTRY
        if self.coverage_source == "figures":
            coverage = Coverage(
                sum(r["active"] for r in rows), sum(r["final"] for r in rows),
                sum(r["estimated"] for r in rows), "figures",
            )  # fmt: skip
        return self._measure(num, den, unit, coverage)

    def served_years(
        self, year: int, period_start: int | None, held: set[int] | None = None
    ) -> list[int] | None:
        """The rollup years the value needs, if the rollup holds them all; else None (live)."""
        if self.rollup_terms() is None:
            return None
        years = self.rollup_years(year, period_start)
        held = rollup.built_years() if held is None else held
        return years if set(years) <= held else None

    # -- shared ---------------------------------------------------------------------------
    def cache_key(self, unit, year: int, period_start: int | None = None, prefix: str | None = None) -> str:
        """Keyed by the data version and the unit's own version (bumped by writes in its area)."""
        prefix = prefix or cache_prefix(unit)
        return f"{prefix}:{self.code}:{unit.pk if unit else 0}:{year}:{period_start or 0}"

    def measure(self, unit: AdministrativeUnit | None, year: int, period_start: int | None = None) -> Measure:
        key = self.cache_key(unit, year, period_start)
        cached = cache.get(key)
        if cached is not None:
            return cached
        years = self.served_years(year, period_start)
        if years is not None:
            result = self.from_totals(rollup.totals(unit, years, self._rollup_columns()), unit)
        else:
            result = self.measure_live(unit, year, period_start)
        cache.set(key, result, timeout=CACHE_SECONDS)
        return result

    def measure_live(
        self, unit: AdministrativeUnit | None, year: int, period_start: int | None = None
    ) -> Measure:
        """Computed from the source tables (the engine's grouped queries), never the rollup."""
        base = Organisation.objects.in_unit(unit) if unit is not None else Organisation.objects.all()
        num, den = engine.roll_up(self.rows(year, base, period_start), lambda key: True)
        return self._measure(num, den, unit, self.coverage(year, base, period_start))

    def coverage(self, year: int, base: QuerySet, period_start: int | None = None) -> Coverage:
        rows = self.coverage_rows(year, base, period_start)
        if rows is None:
            return REGISTRY
        return engine.roll_up_coverage(rows, lambda key: True, self.coverage_source)

    def measure_children(
        self,
        unit,
        year: int,
        period_start: int | None = None,
        index: UnitIndex | None = None,
        live: bool = False,
    ):
        """[(child, Measure)] for the units inside `unit` (today's provinces for the country)."""
        index = index or UnitIndex(on=datetime.date(year, 12, 31))  # the hierarchy at the year's end
        children = index.children(unit)
        years = None if live else self.served_years(year, period_start)
        if years is not None:
            totals, coverage = self._children_from_rollup(unit, years, index, children)
        else:
            base = Organisation.objects.in_unit(unit) if unit is not None else Organisation.objects.all()
            totals = engine.roll_up_children(self.rows(year, base, period_start), index, children)
            coverage_rows = self.coverage_rows(year, base, period_start)
            coverage = (
                engine.roll_up_coverage_children(coverage_rows, index, children, self.coverage_source)
                if coverage_rows is not None
                else {}
            )
        return [
            (
                child,
                self._measure(
                    *totals.get(child.pk, (Decimal(0), Decimal(0))), child, coverage.get(child.pk, REGISTRY)
                ),
            )
            for child in children
        ]

    def _children_from_rollup(self, unit, years, index, children):
        terms = self.rollup_terms()
        assert terms is not None
        columns = self._rollup_columns()
        n_num, n_den = len(terms[0]), len(terms[1])
        if unit is None and index.on is not None and years == [index.on.year] and children:
            # The country's provinces of that year: their own rows (AreaRollup), summed once.
            totals, coverage = {}, {}
            for pk, sums in rollup.by_area(years[0], list(self.kinds), columns).items():
                values = [v or 0 for v in sums]
                totals[pk] = (Decimal(sum(values[:n_num])), Decimal(sum(values[n_num : n_num + n_den])))
                if self.coverage_source == "figures":
                    coverage[pk] = Coverage(*(int(v) for v in values[n_num + n_den :]), self.coverage_source)
            if self.coverage_source == "figures":
                coverage = {
                    c.pk: coverage.get(c.pk, Coverage(0, 0, 0, self.coverage_source)) for c in children
                }
            return totals, coverage
        former = not all(c.generation == "new" for c in children)
        rows: Rows = {}
        coverage_rows: CoverageRows = {}
        for key, sums in rollup.by_place(unit, years, list(self.kinds), columns, former).items():
            values = [v or 0 for v in sums]
            rows[key] = (Decimal(sum(values[:n_num])), Decimal(sum(values[n_num : n_num + n_den])))
            if self.coverage_source == "figures":
                coverage_rows[key] = tuple(Decimal(v) for v in values[n_num + n_den :])  # type: ignore[assignment]
        totals = engine.roll_up_children(rows, index, children)
        coverage = (
            engine.roll_up_coverage_children(coverage_rows, index, children, self.coverage_source)
            if self.coverage_source == "figures"
            else {}
        )
        return totals, coverage

    def _measure(self, num: Decimal, den: Decimal, unit, coverage: Coverage = REGISTRY) -> Measure:
        return Measure(num, den if self.unit == "percent" or den else None, self.value(num, den), coverage)


def _percent(num: Decimal, den: Decimal) -> float | None:
    return float(num * 100 / den) if den else None


class OrganisationCount(Indicator):
    """Active organisations of the kinds at the end of the year."""

    def rows(self, year, base, period_start=None):
        return group_organisations(population(year, self.kinds, base=base))

    def count_filter(self, year: int) -> Q:
        """Which of the year's population this count counts (measure_many counts several at once)."""
        return Q(kind__in=list(self.kinds))

    def rollup_terms(self):
        return (("active",), ()) if type(self) is OrganisationCount else None


class ThtCount(OrganisationCount):
    """Active cooperative groups at the end of the year, of one regime or of all.

    Why `tht_count` counts both regimes: the plans' "khoảng 20-25 tổ hợp tác" (seed 002's
    district, 1698/KH-UBND's "5.412 tổ hợp tác") were written in 2021–2023 when every group was a
    contract group under NĐ 77/2019; Luật HTX 2023 added registered groups beside them without
    abolishing the contract groups. Counting only one regime would make a group that
    registered under the new law disappear from the target it was counted in. The regime
    counts (`tht_registered_count`, `tht_contract_count`, `tht_contract_in_register_count`,
    `tht_regime_unknown_count`) split that total for seed 002's task 3.2b ("có/không có hợp
    đồng hợp tác, có/không có trong sổ theo dõi") and for the TT 09/2024 duty, which only
    registered groups owe. A group counts from the day it came into being by its regime
    (`tht_founded_on`), not only from a registration date that a contract group seldom has.
    The regime is today's: a group that registered under the 2023 law in 2025 is counted as
    registered in earlier years too (the registry keeps no history of the regime).
    """

    def __init__(self, *args, condition: Q | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.condition = condition

    def count_filter(self, year: int) -> Q:
        founded = Q(founded_on__isnull=True) | Q(founded_on__lte=datetime.date(year, 12, 31))
        return Q(kind=Kind.THT) & founded & (self.condition if self.condition is not None else Q())

    def _groups(self, year, base):
        qs = population(year, [Kind.THT], base=base).annotate(founded_on=tht_founded_on())
        qs = qs.filter(Q(founded_on__isnull=True) | Q(founded_on__lte=datetime.date(year, 12, 31)))
        return qs.filter(self.condition) if self.condition is not None else qs

    def rows(self, year, base, period_start=None):
        return group_organisations(self._groups(year, base))

    def rollup_terms(self):
        # The rollup counts the groups in being by the same rule (`in_being`); the regime splits stay live.
        return (("in_being",), ()) if self.condition is None and type(self) is ThtCount else None

    def drilldown(self, year, base, period_start=None):
        return self._groups(year, base)


class FoundedCount(Indicator):
    """Organisations registered from `period_start` to the end of the year, whatever they became."""

    def _founded(self, year, base, period_start):
        start = period_start or year
        if list(self.kinds) == [Kind.THT]:  # a contract group is founded by its contract (tht_founded_on)
            return (
                base.filter(kind=Kind.THT)
                .annotate(founded_on=tht_founded_on())
                .filter(founded_on__year__gte=start, founded_on__year__lte=year)
            )
        return base.filter(
            kind__in=self.kinds, registration_date__year__gte=start, registration_date__year__lte=year
        )

    def rows(self, year, base, period_start=None):
        return group_organisations(self._founded(year, base, period_start))

    def drilldown(self, year, base, period_start=None):
        return self._founded(year, base, period_start)

    def rollup_terms(self):
        return (("founded",), ()) if type(self) is FoundedCount else None

    def rollup_years(self, year, period_start):
        return list(range(period_start or year, year + 1))


class FoundedMembers(FoundedCount):
    def rows(self, year, base, period_start=None):
        figures = approved_figures(year).filter(organisation__in=self._founded(year, base, period_start))
        return group_organisations(
            figures, numerator=sum_of(*MEMBER_FIELDS), denominator=Count("pk"), prefix="organisation__"
        )

    def value(self, num, den):
        return float(num) if den else None

    coverage_source = "figures"

    def coverage_rows(self, year, base, period_start=None):
        return figures_coverage(self._founded(year, base, period_start), year)

    def expected_organisations(self, year, base, period_start=None):
        return self._founded(year, base, period_start)

    def drilldown(self, year, base, period_start=None):
        return (
            self._founded(year, base, period_start)
            .filter(annual_figures__in=approved_figures(year))
            .distinct()
        )


class FigureSum(Indicator):
    """Sum of reported figures over the active organisations that reported them (approved)."""

    fields: tuple[str, ...] = ()
    coverage_source = "figures"

    def __init__(self, *args, fields: tuple[str, ...] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields = fields

    def coverage_rows(self, year, base, period_start=None):
        return figures_coverage(self.expected_organisations(year, base, period_start), year)

    def expected_organisations(self, year, base, period_start=None):
        return population(year, self.kinds, base=base)

    def _figures(self, year, base):
        return approved_figures(year).filter(organisation__in=population(year, self.kinds, base=base))

    def expressions(self):
        """(numerator, denominator) aggregates over the year's approved figures."""
        return sum_of(*self.fields), Count("pk")

    def rollup_terms(self):
        return tuple(f"s_{f}" for f in self.fields), ("figures",)

    def rows(self, year, base, period_start=None):
        numerator, denominator = self.expressions()
        return group_organisations(
            self._figures(year, base), numerator=numerator, denominator=denominator, prefix="organisation__"
        )

    def value(self, num, den):
        return float(num) if den else None

    def drilldown(self, year, base, period_start=None):
        return (
            population(year, self.kinds, base=base)
            .filter(annual_figures__in=approved_figures(year))
            .distinct()
        )


class FigureAverage(FigureSum):
    def value(self, num, den):
        return float(num / den) if den else None


class FigureRatio(FigureSum):
    """Σ part / Σ whole over the reporting organisations, as a percentage."""

    def __init__(self, *args, part: str, whole: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.part, self.whole = part, whole

    def expressions(self):
        return sum_of(self.part), sum_of(self.whole)

    def rollup_terms(self):
        return (f"s_{self.part}",), (f"s_{self.whole}",)

    def value(self, num, den):
        return _percent(num, den)


class FlagShare(FigureSum):
    """Share of reporting organisations whose figures say yes (e.g. applies high technology)."""

    def __init__(self, *args, condition: Q, as_count: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.condition, self.as_count = condition, as_count

    def expressions(self):
        return Count("pk", filter=self.condition), Count("pk")

    def rollup_terms(self):
        """A yes/no figure (Q(flag=True)) or a positive profit: columns of the rollup; else live."""
        children = list(self.condition.children) if not self.condition.negated else []
        if len(children) == 1 and isinstance(children[0], tuple):
            lookup, wanted = children[0]
            if lookup == "profit_before_tax__gt" and wanted == 0:
                return ("n_profitable",), ("figures",)
            if wanted is True and f"n_{lookup}" in rollup.FLAG_COLUMNS:
                return (f"n_{lookup}",), ("figures",)
        return None

    def numerator_organisations(self, year, base, period_start=None):
        return Organisation.objects.filter(
            pk__in=self._figures(year, base).filter(self.condition).values("organisation_id")
        )

    def value(self, num, den):
        if self.as_count:
            return float(num) if den else None
        return _percent(num, den)


def contributions(name: str) -> list[Callable[[int], QuerySet]]:
    """The functions called `name` in the apps' indicator modules (`AppConfig.indicators_module`).

    The library reads other apps' records through these, so it imports none of those apps and an
    app that is not installed simply contributes nothing.
    """
    found = []
    for config in domain_configs():
        if config.indicators_module:
            function = getattr(import_module(config.indicators_module), name, None)
            if function is not None:
                found.append(function)
    return found


def _union(name: str, year: int) -> QuerySet:
    """The organisations (or their ids) that any app's `name(year)` selects; none when no app has it."""
    sources = [function(year) for function in contributions(name)]
    if len(sources) == 1:
        return sources[0]  # the usual case: the one app's own query, unwrapped
    chosen = Organisation.objects.none()
    for source in sources:
        chosen = chosen | Organisation.objects.filter(pk__in=source)
    return chosen


def traced_organisation_ids(year: int) -> QuerySet:
    """Organisations with traced lots active in `year`: the traceability records count."""
    return _union("traced_organisation_ids", year)


class TraceShare(FlagShare):
    """A flag in the figures, or the organisation's own traceability records in the year."""

    def rollup_terms(self):
        return None  # the lots are not in the rollup

    def rows(self, year, base, period_start=None):
        condition = self.condition | Q(organisation__in=traced_organisation_ids(year))
        return group_organisations(
            self._figures(year, base), numerator=Count("pk", filter=condition), denominator=Count("pk"),
            prefix="organisation__",
        )  # fmt: skip

    def numerator_organisations(self, year, base, period_start=None):
        condition = self.condition | Q(organisation__in=traced_organisation_ids(year))
        return Organisation.objects.filter(
            pk__in=self._figures(year, base).filter(condition).values("organisation_id")
        )


class GradeShare(Indicator):
    """From the year's assessments under TT 01/2020, among organisations that were rated."""

    def __init__(self, *args, grades: list[str], as_count: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.grades, self.as_count = grades, as_count

    def rows(self, year, base, period_start=None):
        assessments = Assessment.objects.filter(
            year=year, organisation__in=population(year, self.kinds, base=base)
        )
        return group_organisations(
            assessments,
            numerator=Count("pk", filter=Q(grade__in=self.grades)),
            denominator=Count("pk", filter=Q(grade__in=RATED_GRADES)),
            prefix="organisation__",
        )

    def value(self, num, den):
        return float(num) if self.as_count else _percent(num, den)

    def basis(self, year: int) -> dict:
        """Which rubrics the year's grades were made under, and whether a national one is in force."""
        from hoptac.figures.models import Rubric

        used = Rubric.objects.filter(assessment__year=year).distinct()
        in_force = Rubric.for_year(year)
        return {
            "rubrics": [{"code": r.code, "label": str(r.label), "local": r.is_local} for r in used],
            "national_rubric_in_force": str(in_force.label) if in_force else None,
        }

    coverage_source = "assessments"

    def coverage_rows(self, year, base, period_start=None):
        """Expected: the active organisations of the kinds; reported: those rated in the year."""
        rated = Exists(
            Assessment.objects.filter(organisation=OuterRef("pk"), year=year, grade__in=RATED_GRADES)
        )
        rows: CoverageRows = {}
        for row in (
            population(year, self.kinds, base=base)
            .values("commune_id", "former_commune_id")
            .order_by()
            .annotate(expected=Count("pk"), final=Count("pk", filter=Q(rated)))
        ):
            rows[(row["commune_id"], row["former_commune_id"])] = (
                Decimal(row["expected"]), Decimal(row["final"]), Decimal(0)
            )  # fmt: skip
        return rows

    def expected_organisations(self, year, base, period_start=None):
        return population(year, self.kinds, base=base)

    def numerator_organisations(self, year, base, period_start=None):
        graded = Assessment.objects.filter(year=year, grade__in=self.grades).values("organisation_id")
        return population(year, self.kinds, base=base).filter(pk__in=graded)

    def drilldown(self, year, base, period_start=None):
        rated = Assessment.objects.filter(year=year, grade__in=RATED_GRADES).values("organisation_id")
        return population(year, self.kinds, base=base).filter(pk__in=rated)


class UnionMembers(Indicator):
    def rows(self, year, base, period_start=None):
        day = engine.year_end(year)
        links = UnionMembership.objects.filter(
            union__in=population(year, [Kind.LHHTX]),
            member__in=population(year, [Kind.HTX], base=base),
        ).filter(
            Q(joined_on__isnull=True) | Q(joined_on__lte=day), Q(left_on__isnull=True) | Q(left_on__gt=day)
        )
        return group_organisations(links, prefix="member__")


class Unresolved(Indicator):
    """HTX stopped but not dissolved, or founded under an earlier law and not re-organised."""

    def _unresolved(self, year, base):
        stopped = Exists(engine.latest_change(engine.year_end(year)).filter(status=Status.STOPPED))
        return population(year, [Kind.HTX], active_only=False, base=base).filter(
            stopped | Q(reorganised=False, legal_basis__in=[LegalBasis.LAW_2003, LegalBasis.LAW_2012])
        )

    def rows(self, year, base, period_start=None):
        return group_organisations(self._unresolved(year, base))

    def drilldown(self, year, base, period_start=None):
        return self._unresolved(year, base)


def linked_organisations(year: int) -> QuerySet:
    """Organisations with a value-chain link active in `year`: the links register is the single source."""
    return _union("linked_organisations", year)


class LinkedShare(Indicator):
    def __init__(self, *args, sectors=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.sectors = sectors

    def _population(self, year, base):
        qs = population(year, self.kinds, base=base)
        return qs.filter(sector__in=list(self.sectors)) if self.sectors else qs

    def rows(self, year, base, period_start=None):
        linked = linked_organisations(year).values("pk")
        return group_organisations(
            self._population(year, base),
            numerator=Count("pk", filter=Q(pk__in=linked)),
            denominator=Count("pk"),
        )

    def value(self, num, den):
        return _percent(num, den)

    def drilldown(self, year, base, period_start=None):
        return self._population(year, base)

    def numerator_organisations(self, year, base, period_start=None):
        return self._population(year, base).filter(pk__in=linked_organisations(year).values("pk"))


class PopulationShare(FigureSum):
    """Members of all organisations over the unit's population (from the unit table)."""

    def _measure(self, num, den, unit, coverage=REGISTRY):
        people = _population(unit)
        return Measure(
            num,
            Decimal(people) if people else None,
            float(num * 100 / people) if people and den else None,
            coverage,
        )


def _population(unit) -> int | None:
    if unit is None:
        return None
    if unit.population:
        return unit.population
    total = AdministrativeUnit.objects.current_communes_covering(unit).exclude(population__isnull=True)
    values = list(total.values_list("population", flat=True))
    return sum(values) if values else None


class GeneralValueChain(OrganisationCount):
    def rows(self, year, base, period_start=None):
        return group_organisations(self._qs(year, base))

    def _qs(self, year, base):
        return population(year, [Kind.HTX], base=base).filter(
            sector=Sector.GENERAL, operating_scale__in=[OperatingScale.DISTRICT, OperatingScale.PROVINCE]
        )

    def drilldown(self, year, base, period_start=None):
        return self._qs(year, base)


# Register ------------------------------------------------------------------------------

INDICATORS: dict[str, Indicator] = {}


def register(indicator: Indicator) -> Indicator:
    INDICATORS[indicator.code] = indicator
    return indicator


for kind, label in [
    (Kind.HTX, _("cooperatives")),
    (Kind.LHHTX, _("unions of cooperatives")),
    (Kind.QTDND, _("people's credit funds")),
]:
    register(
        OrganisationCount(
            f"{kind}_count",
            _("Active %(kind)s") % {"kind": label},
            "count",
            definition=_(
                "Organisations of this kind registered by 31/12 of the year whose status on that day was active."
            ),
            numerator=_("Count of such organisations."),
            sources=_("Registry, status history."),
            edge_cases=_(
                "Suspended, stopped, dissolving, dissolved and merged organisations are not counted; an organisation with no registration date is counted."
            ),
            kinds=[kind],
        )  # fmt: skip
    )

register(ThtCount(
    "tht_count", _("Active %(kind)s") % {"kind": _("cooperative groups")}, "count",
    definition=_("Cooperative groups of both regimes (registered under Luật HTX 2023, or under a cooperation contract under NĐ 77/2019) in being by 31/12 of the year and active on that day."),
    numerator=_("Count of such groups."), sources=_("Registry: regime, contract, commune register, status history."),
    edge_cases=_("A contract group counts from its contract date (else its register entry); the regime is today's."),
    judgement=_("Both regimes: the plans' group targets were written when every group was a contract group; Luật HTX 2023 added registered groups beside them."),
    kinds=[Kind.THT],
))  # fmt: skip
register(ThtCount(
    "tht_registered_count", _("Cooperative groups registered under Luật HTX 2023"), "count",
    definition=_("Active cooperative groups whose regime is registration under Luật HTX 2023 (they update the national system each year, TT 09/2024)."),
    numerator=_("Count of such groups."), sources=_("Registry: regime."), kinds=[Kind.THT],
    condition=Q(tht_regime=ThtRegime.REGISTERED),
))  # fmt: skip
register(ThtCount(
    "tht_contract_count", _("Cooperative groups under a cooperation contract"), "count",
    definition=_("Active cooperative groups under a cooperation contract (NĐ 77/2019, amended by NĐ 113/2024)."),
    numerator=_("Count of such groups."), sources=_("Registry: regime."), kinds=[Kind.THT],
    edge_cases=_("A group whose regime is not recorded is not counted here (see the groups of unknown regime)."),
    condition=Q(tht_regime=ThtRegime.CONTRACT),
))  # fmt: skip
register(ThtCount(
    "tht_contract_in_register_count", _("Contract groups entered in the commune's register"), "count",
    definition=_("Active contract groups entered in the commune's register of cooperative groups (NĐ 77/2019)."),
    numerator=_("Count of such groups."), sources=_("Registry: regime, commune register."), kinds=[Kind.THT],
    condition=Q(tht_regime=ThtRegime.CONTRACT, in_commune_register=True),
))  # fmt: skip
register(ThtCount(
    "tht_regime_unknown_count", _("Cooperative groups whose regime is not recorded"), "count",
    definition=_("Active cooperative groups with no regime recorded: to be completed in the registry."),
    numerator=_("Count of such groups."), sources=_("Registry: regime."), kinds=[Kind.THT],
    condition=Q(tht_regime=""),
))  # fmt: skip

for kind, label in [(Kind.HTX, _("cooperatives")), (Kind.THT, _("cooperative groups"))]:
    register(
        FigureSum(
            f"{kind}_members",
            _("Members of %(kind)s") % {"kind": label},
            "people",
            definition=_(
                "Official and associate members reported in the approved figures of active organisations."
            ),
            numerator=_("Σ members (official + associate with and without capital)."),
            sources=_("Annual figures (approved; the final set, else the estimate)."),
            edge_cases=_(
                "Organisations without approved figures for the year are not counted: the value says how many reported."
            ),
            kinds=[kind],
            fields=MEMBER_FIELDS,
        )  # fmt: skip
    )
    register(
        FoundedCount(
            f"{kind}_founded",
            _("New %(kind)s founded") % {"kind": label},
            "count",
            definition=_(
                "Organisations registered from the start of the target's period to 31/12 of the year."
            ),
            numerator=_("Count by registration date."),
            sources=_("Registry."),
            edge_cases=_("Counted even if later dissolved: the target is about foundations."),
            kinds=[kind],
        )  # fmt: skip
    )

register(FoundedMembers(
    "htx_founded_members", _("Members of newly founded cooperatives"), "people",
    definition=_("Members reported by the cooperatives founded in the target's period."),
    numerator=_("Σ members of those cooperatives' approved figures."), sources=_("Registry, annual figures."),
))  # fmt: skip
register(UnionMembers(
    "lhhtx_member_htx", _("Member cooperatives of unions"), "count",
    definition=_("Active cooperatives that are members of an active union on 31/12."),
    numerator=_("Count of union memberships."), sources=_("Registry: union memberships."),
    edge_cases=_("A cooperative in two unions counts twice."),
))  # fmt: skip
register(GradeShare(
    "share_good_fair", _("Share rated good or fair"), "percent",
    definition=_("Cooperatives graded tốt or khá under Thông tư 01/2020 among those rated in the year."),
    numerator=_("Graded tốt or khá."), denominator=_("Graded tốt, khá, trung bình or yếu (not 'not rated')."),
    sources=_("Assessments."), edge_cases=_("Unions are included; credit funds and groups are not rated."),
    kinds=[Kind.HTX, Kind.LHHTX], grades=[Grade.GOOD, Grade.FAIR],
))  # fmt: skip
register(GradeShare(
    "htx_weak", _("Cooperatives rated weak"), "count",
    definition=_("Cooperatives graded yếu in the year."), numerator=_("Count graded yếu."), sources=_("Assessments."),
    kinds=[Kind.HTX, Kind.LHHTX], grades=[Grade.WEAK], as_count=True,
))  # fmt: skip
register(FigureSum(
    "htx_workers", _("Regular workers in cooperatives"), "people",
    definition=_("Regular workers, managers included, reported by active cooperatives."),
    numerator=_("Σ regular workers."), sources=_("Annual figures."), fields=("workers",),
))  # fmt: skip
register(FigureRatio(
    "share_managers_degree", _("Managers with a college or university degree"), "percent",
    definition=_("Managers holding a college or university degree among all managers of reporting cooperatives."),
    numerator=_("Σ managers with a degree."), denominator=_("Σ managers."), sources=_("Annual figures."),
    part="managers_degree", whole="managers",
))  # fmt: skip
register(FlagShare(
    "share_directors_trained", _("Directors trained (sơ cấp nghề giám đốc)"), "percent",
    definition=_("Reporting cooperatives whose director holds the primary vocational qualification as director."),
    numerator=_("Cooperatives reporting a trained director."), denominator=_("Reporting cooperatives."),
    sources=_("Annual figures."), condition=Q(director_trained=True),
))  # fmt: skip
register(FigureRatio(
    "share_managers_trained", _("Managers trained"), "percent",
    definition=_("Managers trained in the year among all managers of reporting cooperatives."),
    numerator=_("Σ managers trained in the year."), denominator=_("Σ managers."), sources=_("Annual figures."),
    judgement=_("The figures record training in the year; '100% trained by 2030' is read as every manager trained in the year. The training register, once filled, gives the cumulative view."),
    part="managers_trained", whole="managers",
))  # fmt: skip
register(FigureAverage(
    "avg_revenue_htx", _("Average revenue per cooperative"), "dong",
    definition=_("Revenue reported by active cooperatives, divided by the number that reported."),
    numerator=_("Σ revenue."), denominator=_("Cooperatives with approved figures."), sources=_("Annual figures."),
    fields=("revenue",),
))  # fmt: skip
register(FigureAverage(
    "avg_profit_htx", _("Average profit per cooperative"), "dong",
    definition=_("Profit before tax reported by active cooperatives, divided by the number that reported."),
    numerator=_("Σ profit before tax (losses included)."), denominator=_("Cooperatives with approved figures."),
    sources=_("Annual figures."), fields=("profit_before_tax",),
))  # fmt: skip
register(FlagShare(
    "hightech_count", _("Cooperatives and groups applying high technology"), "count",
    definition=_("Active cooperatives and cooperative groups whose figures report high technology in production or sale."),
    numerator=_("Count."), sources=_("Annual figures."), kinds=[Kind.HTX, Kind.THT], condition=Q(high_tech=True), as_count=True,
))  # fmt: skip
register(FlagShare(
    "share_htx_hightech", _("Cooperatives applying high technology"), "percent",
    definition=_("Reporting cooperatives that apply high technology."), numerator=_("Cooperatives applying it."),
    denominator=_("Reporting cooperatives."), sources=_("Annual figures."), condition=Q(high_tech=True),
))  # fmt: skip
register(TraceShare(
    "htx_traceability", _("Cooperatives applying traceability"), "count",
    definition=_("Reporting cooperatives that apply traceability of their products: lots with events in hoptac during the year, or their figures say so."),
    numerator=_("Count."), sources=_("Traceability records; annual figures."),
    edge_cases=_("Counted among cooperatives with approved figures for the year."),
    condition=Q(traceability=True), as_count=True,
))  # fmt: skip
register(TraceShare(
    "share_htx_traceability", _("Share of cooperatives applying traceability"), "percent",
    definition=_("Reporting cooperatives with lots that had events in hoptac during the year, or whose figures say they apply traceability."),
    numerator=_("Cooperatives applying it."), denominator=_("Reporting cooperatives."),
    sources=_("Traceability records; annual figures."), condition=Q(traceability=True),
))  # fmt: skip
register(FlagShare(
    "share_htx_digital", _("Cooperatives with digital transformation"), "percent",
    definition=_("Reporting cooperatives using accounting software, e-invoices, e-commerce or digital member management."),
    numerator=_("Cooperatives with any of these."), denominator=_("Reporting cooperatives."), sources=_("Annual figures."),
    condition=Q(digital_transformation=True),
))  # fmt: skip
register(FlagShare(
    "share_effective", _("Organisations operating effectively"), "percent",
    definition=_("Reporting cooperatives, unions and credit funds with a positive profit before tax in the year."),
    numerator=_("Those with profit before tax > 0."), denominator=_("Those with approved figures."),
    sources=_("Annual figures."),
    judgement=_("No regulation defines 'hoạt động hiệu quả'. A positive profit is the one test that applies to every kind and every year, including organisations that are not rated; the graded view is 'share rated good or fair'."),
    kinds=[Kind.HTX, Kind.LHHTX, Kind.QTDND], condition=Q(profit_before_tax__gt=0),
))  # fmt: skip
register(LinkedShare(
    "share_agri_htx_linked", _("Agricultural cooperatives linked with enterprises"), "percent",
    definition=_("Active agricultural cooperatives (agriculture, forestry, fisheries, salt) with a value-chain link to an enterprise active in the year."),
    numerator=_("Agricultural cooperatives with an active link."), denominator=_("Active agricultural cooperatives."),
    sources=_("Value-chain links register."),
    edge_cases=_("A link counts in every year between its start and end dates."),
    sectors=AGRICULTURAL_SECTORS,
))  # fmt: skip
register(LinkedShare(
    "share_in_chains", _("Organisations in linkage chains"), "percent",
    definition=_("Active collective-economy organisations with a value-chain link active in the year."),
    numerator=_("Organisations with an active link."), denominator=_("Active organisations."),
    sources=_("Value-chain links register."), kinds=ALL_KINDS,
))  # fmt: skip
register(PopulationShare(
    "share_population_members", _("Population who are members"), "percent",
    definition=_("Members of all collective-economy organisations over the unit's population."),
    numerator=_("Σ members (all kinds)."), denominator=_("Population of the unit (sum of its communes')."),
    sources=_("Annual figures; unit populations."),
    edge_cases=_("No value until the unit's population is entered; a person in two organisations counts twice."),
    kinds=ALL_KINDS, fields=MEMBER_FIELDS,
))  # fmt: skip
register(Unresolved(
    "htx_unresolved", _("Cooperatives stopped or not re-organised"), "count",
    definition=_("Cooperatives stopped but not dissolved, or founded under the 2003/2012 law and not re-organised, on 31/12."),
    numerator=_("Count."), sources=_("Registry: status history, legal basis, re-organisation."),
    edge_cases=_("A cooperative whose re-organisation is unknown is not counted."),
))  # fmt: skip
register(GeneralValueChain(
    "general_value_chain_htx", _("General-business cooperatives along a value chain at district scale"), "count",
    definition=_("Active general-business cooperatives operating at district scale or wider."),
    numerator=_("Count."), sources=_("Registry: sector and scale of operation."),
    judgement=_("Read from the registry's sector and scale; the value-chain link itself is not yet required."),
))  # fmt: skip


def get(code: str) -> Indicator:
    return INDICATORS[code]


def measure_many(codes, unit, year: int) -> dict[str, Measure]:
    """Several indicators for one unit and year in a few queries.

    Figure-based indicators over the same kinds share one aggregate over the year's approved
    figures, and organisation counts share one count with a filter per kind, so a plan's
    dozen targets cost about three queries instead of a dozen. Values go to the same cache
    entries as Indicator.measure().
    """
    results: dict[str, Measure] = {}
    figure_groups: dict[tuple, list[FigureSum]] = {}
    counts: list[OrganisationCount] = []
    wanted = [INDICATORS[code] for code in dict.fromkeys(codes)]
    held = rollup.built_years()
    from_rollup = [ind for ind in wanted if ind.served_years(year, None, held) is not None]
    rest = [ind for ind in wanted if ind not in from_rollup]
    prefix = cache_prefix(unit) if rest else ""
    keys = {ind.code: ind.cache_key(unit, year, prefix=prefix) for ind in rest}
    cached_values = cache.get_many(list(keys.values())) if keys else {}
    for indicator in rest:
        code = indicator.code
        cached = cached_values.get(keys[code])
        if cached is not None:
            results[code] = cached
        elif isinstance(indicator, FigureSum):
            figure_groups.setdefault(tuple(indicator.kinds), []).append(indicator)
        elif type(indicator) in (OrganisationCount, ThtCount):
            counts.append(indicator)
        else:
            results[code] = indicator.measure(unit, year)
    if from_rollup:
        # One grouped query over the unit's rollup cells serves them all, and is not cached:
        # it costs less than writing its values to the file cache (eight files for a plan), and
        # it reads the rollup as the write's own transaction left it.
        totals = rollup.totals(unit, [year], [c for ind in from_rollup for c in ind._rollup_columns()])
        results.update({ind.code: ind.from_totals(totals, unit) for ind in from_rollup})
    base = Organisation.objects.in_unit(unit) if unit is not None else Organisation.objects.all()
    found: list[tuple[Indicator, Decimal, Decimal, Coverage]] = []
    groups = list(figure_groups.items())
    sums = []
    for kinds, indicators in groups:
        figures = approved_figures(year).filter(organisation__in=population(year, list(kinds), base=base))
        aggregates = {}
        for i, indicator in enumerate(indicators):
            aggregates[f"n{i}"], aggregates[f"d{i}"] = indicator.expressions()
        sums.append(figures.aggregate(**aggregates))
    # One query over the year's organisations: the registry counts, and who reported per group.
    coverage: dict[int, Coverage] = {}
    wanted_kinds = sorted(
        {k for ind in counts for k in ind.kinds} | {k for kinds, _i in groups for k in kinds}
    )
    if wanted_kinds:
        approved = AnnualFigures.objects.filter(
            organisation=OuterRef("pk"), year=year, status=FiguresStatus.APPROVED
        )
        final = Q(Exists(approved.filter(is_estimate=False)))
        estimate = Q(Exists(approved.filter(is_estimate=True)))
        aggregates = {f"n{i}": Count("pk", filter=ind.count_filter(year)) for i, ind in enumerate(counts)}
        for j, (kinds, _i) in enumerate(groups):
            of_kinds = Q(kind__in=list(kinds))
            aggregates[f"e{j}"] = Count("pk", filter=of_kinds)
            aggregates[f"f{j}"] = Count("pk", filter=of_kinds & final)
            aggregates[f"s{j}"] = Count("pk", filter=of_kinds & estimate & ~final)
        organisations = population(year, wanted_kinds, base=base)
        if any(isinstance(ind, ThtCount) for ind in counts):
            organisations = organisations.annotate(founded_on=tht_founded_on())
        row = organisations.aggregate(**aggregates)
        found += [(ind, Decimal(row[f"n{i}"] or 0), Decimal(0), REGISTRY) for i, ind in enumerate(counts)]
        coverage = {
            j: Coverage(row[f"e{j}"] or 0, row[f"f{j}"] or 0, row[f"s{j}"] or 0, "figures")
            for j in range(len(groups))
        }
    for j, ((_kinds, indicators), row) in enumerate(zip(groups, sums, strict=True)):
        found += [
            (ind, Decimal(row[f"n{i}"] or 0), Decimal(row[f"d{i}"] or 0), coverage[j])
            for i, ind in enumerate(indicators)
        ]
    for indicator, num, den, coverage in found:
        measure = indicator._measure(num, den, unit, coverage)
        cache.set(keys[indicator.code], measure, timeout=CACHE_SECONDS)
        results[indicator.code] = measure
    return {code: results[code] for code in dict.fromkeys(codes)}
