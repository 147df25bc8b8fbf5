"""The kinds of indicator and how each is computed: counts of organisations, sums and ratios of
approved figures, shares of a flag, of a grade, of linked or traced organisations, with their
coverage, cached values, rollup service and drill-down. The catalogue of indicators built from
them (what the seeds' targets measure) is `library`.
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

from hoptac.core.appconfig import domain_configs
from hoptac.core.cache import data_version, unit_version
from hoptac.figures.choices import RATED_GRADES
from hoptac.figures.models import Assessment
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
    Kind,
    LegalBasis,
    OperatingScale,
    Sector,
    Status,
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
