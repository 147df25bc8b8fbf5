"""The indicator library: every indicator the seeds' targets need, each documented, built from
the kinds of computation in `computations.py`; and `measure_many`, several for one unit and year.

An indicator knows how to produce its grouped rows for a year (engine.py) and how to turn a
numerator and denominator into a value. Where a definition is a judgement, `judgement` says
so and why; the indicator page shows it to users.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.cache import cache
from django.db.models import Count, Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from hoptac.figures.choices import FiguresStatus, Grade
from hoptac.figures.models import AnnualFigures
from hoptac.indicators import rollup
from hoptac.indicators.computations import (
    ALL_KINDS,
    CACHE_SECONDS,
    MEMBER_FIELDS,
    FigureAverage,
    FigureRatio,
    FigureSum,
    FlagShare,
    FoundedCount,
    FoundedMembers,
    GeneralValueChain,
    GradeShare,
    Indicator,
    LinkedShare,
    OrganisationCount,
    PopulationShare,
    ThtCount,
    TraceShare,
    UnionMembers,
    Unresolved,
    cache_prefix,
)
from hoptac.indicators.engine import REGISTRY, Coverage, Measure, approved_figures, population, tht_founded_on
from hoptac.registry.choices import AGRICULTURAL_SECTORS, Kind, ThtRegime
from hoptac.registry.models import Organisation

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
