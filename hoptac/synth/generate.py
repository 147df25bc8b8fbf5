"""Synthetic data at national or province scale, for benchmarks and load tests.

`hoptac synth --scale national` makes about 35,000 HTX, 80,000 THT, 1,200 people's credit
funds and 100 unions over today's 3,321 communes, ten years of approved figures (over a
million organisation-years), assessments, status histories, and a plan with targets for
every province. It writes with bulk inserts, not through the services: it is benchmark
data, never real data, and it refuses to run on a database that already has organisations.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from hoptac.core.cache import bump
from hoptac.core.text import search_key, sort_text
from hoptac.figures.choices import FiguresStatus
from hoptac.figures.classification import grade_for
from hoptac.figures.models import AnnualFigures, Assessment, Rubric
from hoptac.geo.models import AdministrativeUnit, Generation, Level, UnitLineage
from hoptac.indicators.library import INDICATORS
from hoptac.plans.models import Plan, Target
from hoptac.registry.choices import Kind, LegalBasis, Sector, Status
from hoptac.registry.models import Organisation, StatusChange, make_tax_code

NATIONAL = {Kind.HTX: 35_000, Kind.THT: 80_000, Kind.QTDND: 1_200, Kind.LHHTX: 100}
YEARS = range(2016, 2026)
BATCH = 5_000
SECTORS = [Sector.AGRICULTURE] * 6 + [Sector.FISHERIES, Sector.FORESTRY, Sector.GENERAL, Sector.TRADE_SERVICES,
           Sector.INDUSTRY_HANDICRAFT, Sector.ROAD_TRANSPORT, Sector.ENVIRONMENT, Sector.CONSTRUCTION]  # fmt: skip
PREFIX = {
    Kind.HTX: "HTX",
    Kind.THT: "Tổ hợp tác",
    Kind.QTDND: "Quỹ tín dụng nhân dân",
    Kind.LHHTX: "Liên hiệp HTX",
}
PROVINCE_TARGETS = [
    ("T1", "htx_count", "at_least", 1.3), ("T2", "htx_members", "at_least", 1.4), ("T3", "share_good_fair", "at_least", None),
    ("T4", "htx_weak", "none", None), ("T5", "avg_revenue_htx", "about", 1.6), ("T6", "avg_profit_htx", "about", 1.6),
    ("T7", "share_managers_degree", "at_least", None), ("T8", "share_htx_hightech", "about", None),
    ("T9", "tht_count", "about", 1.2), ("T10", "share_htx_digital", "at_least", None),
]  # fmt: skip


@dataclass
class SynthResult:
    organisations: int = 0
    figures: int = 0
    assessments: int = 0
    status_changes: int = 0
    plans: int = 0


def _batched(items: Iterator, size: int = BATCH) -> Iterator[list]:
    batch = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _spread(total: Decimal, maxima: list[tuple[int, Decimal]]) -> dict[str, str]:
    """Criterion scores that add up to `total`, so that reclassifying reproduces the grade."""
    scores, left = {}, total
    for number, maximum in maxima:
        points = min(maximum, left)
        scores[str(number)] = str(points)
        left -= points
    return scores


@transaction.atomic
def synthesise(scale: str = "national", province_code: str | None = None, seed: int = 1) -> SynthResult:
    if Organisation.objects.exists():
        raise ValueError("The database already has organisations; synth only fills an empty registry.")
    rng = random.Random(seed)
    communes = AdministrativeUnit.objects.filter(
        generation=Generation.NEW, level=Level.COMMUNE
    ).select_related("province")
    if scale == "province":
        communes = communes.filter(province__code=province_code or "44")
    communes = list(communes.order_by("code"))
    share = 1.0 if scale == "national" else len(communes) / 3321
    former = {}
    for new_id, old_id in (
        UnitLineage.objects.filter(new__in=communes, old__level=Level.COMMUNE)
        .values_list("new_id", "old_id")
        .order_by("old_id")
    ):
        former.setdefault(new_id, old_id)
    result = SynthResult()
    sequence = {}
    orgs = []
    for kind, total in NATIONAL.items():
        for i in range(max(1, round(total * share))):
            commune = rng.choice(communes)
            prefix = f"{int(commune.province.code):02d}"
            tax = ""
            if kind != Kind.THT:
                while not tax:
                    sequence[prefix] = sequence.get(prefix, 0) + 1
                    tax = make_tax_code(prefix, sequence[prefix]) or ""
            registered = datetime.date(rng.randint(1996, 2025), rng.randint(1, 12), rng.randint(1, 28))
            name = f"{PREFIX[kind]} {commune.name.split(' ', 1)[-1]} {i + 1}"
            orgs.append(
                Organisation(
                    kind=kind, name=name, search_key=search_key(name, tax), name_key=sort_text(name), tax_code=tax, registration_date=registered,
                    legal_basis=LegalBasis.LAW_2012 if registered.year < 2024 else LegalBasis.LAW_2023,
                    reorganised=True if registered.year >= 2013 else rng.random() < 0.8,
                    commune_id=commune.pk, former_commune_id=former.get(commune.pk) if rng.random() < 0.7 else None,
                    sector=Sector.CREDIT if kind == Kind.QTDND else rng.choice(SECTORS), status=Status.ACTIVE,
                    status_since=registered,
                )
            )  # fmt: skip
    for batch in _batched(iter(orgs)):
        Organisation.objects.bulk_create(batch)
    orgs = list(Organisation.objects.order_by("pk").values_list("pk", "kind", "registration_date"))
    result.organisations = len(orgs)

    changes, ended = [], {}
    for pk, _kind, registered in orgs:
        if rng.random() < 0.12:
            status = rng.choice([Status.SUSPENDED, Status.STOPPED, Status.DISSOLVING, Status.DISSOLVED])
            day = max(registered, datetime.date(2017, 1, 1)) + datetime.timedelta(days=rng.randint(30, 2500))
            day = min(day, datetime.date(2025, 12, 31))
            changes.append(
                StatusChange(organisation_id=pk, status=status, effective_date=day, recorded_by="synth")
            )
            ended[pk] = (status, day)
    for batch in _batched(iter(changes)):
        StatusChange.objects.bulk_create(batch)
    for status in {s for s, _d in ended.values()}:
        ids = [pk for pk, (s, _d) in ended.items() if s == status]
        for i in range(0, len(ids), 900):
            Organisation.objects.filter(pk__in=ids[i : i + 900]).update(status=status)
    result.status_changes = len(changes)

    rubric = Rubric.for_year(2024)
    maxima = [(c.number, c.max_points) for c in rubric.criteria.all()] if rubric else []

    def figure_rows():
        for pk, kind, registered in orgs:
            size = rng.uniform(0.3, 2.5)
            stop = ended.get(pk, (None, datetime.date(2100, 1, 1)))[1].year
            for year in YEARS:
                if year < registered.year or year > stop:
                    continue
                grow = 1.05 ** (year - 2016)
                members = int((12 if kind == Kind.THT else 110) * size * grow)
                managers = rng.randint(3, 7)
                degree = rng.randint(0, 3)
                revenue = int(800_000_000 * size * grow * rng.uniform(0.7, 1.3)) if kind != Kind.THT else None
                profit = int(revenue * rng.uniform(-0.04, 0.12)) if revenue else None
                yield AnnualFigures(
                    organisation_id=pk, year=year, status=FiguresStatus.APPROVED, approved_by="synth",
                    members_official=members, workers=int(8 * size * grow) + 1, workers_members=int(5 * size * grow),
                    managers=managers, managers_degree=degree, managers_vocational=min(managers - degree, rng.randint(0, 2)),
                    managers_trained=rng.randint(0, managers), director_trained=rng.random() < 0.6, revenue=revenue,
                    revenue_members=int(revenue * 0.6) if revenue else None, profit_before_tax=profit,
                    profit_after_tax=int(profit * 0.8) if profit and profit > 0 else profit,
                    total_capital=int(1_200_000_000 * size * grow), high_tech=rng.random() < 0.1,
                    digital_transformation=rng.random() < 0.15 + 0.02 * (year - 2016), traceability=rng.random() < 0.08,
                )  # fmt: skip

    for batch in _batched(figure_rows()):
        AnnualFigures.objects.bulk_create(batch)
        result.figures += len(batch)

    def assessment_rows():
        for pk, kind, registered in orgs:
            if kind not in (Kind.HTX, Kind.LHHTX) or rubric is None:
                continue
            quality = rng.uniform(35, 95)
            for year in range(2020, 2026):
                if year <= registered.year:
                    continue
                score = round(min(100.0, max(0.0, quality + rng.uniform(-8, 8))), 1)
                grade = grade_for(Decimal(str(score)))
                yield Assessment(organisation_id=pk, year=year, rubric=rubric, self_scores=_spread(Decimal(str(score)), maxima), score=Decimal(str(score)),
                                 computed_grade=grade, grade=grade, updated_by="synth")  # fmt: skip

    for batch in _batched(assessment_rows()):
        Assessment.objects.bulk_create(batch)
        result.assessments += len(batch)

    provinces = AdministrativeUnit.objects.filter(generation=Generation.NEW, level=Level.PROVINCE)
    if scale == "province":
        provinces = provinces.filter(code=province_code or "44")
    refresh_statistics()  # the targets below are measured on the new rows: without statistics, minutes each
    for province in provinces:
        plan = Plan.objects.create(
            key=f"synth-{province.code}", kind="programme", issuer=f"Tỉnh ủy {province.name}", number=f"{rng.randint(10, 99)}-CTr/TU",
            date=datetime.date(2023, 1, 15), title="Chương trình hành động thực hiện Nghị quyết 20-NQ/TW (dữ liệu tổng hợp)",
            scope_unit=province,
        )  # fmt: skip
        for code, indicator, bound, factor in PROVINCE_TARGETS:
            value = {
                "share_good_fair": 70,
                "share_managers_degree": 50,
                "share_htx_hightech": 15,
                "share_htx_digital": 60,
            }.get(indicator, 0)
            if factor:  # growth targets: the province's 2022 value times the factor
                value = round((INDICATORS[indicator].measure(province, 2022).value or 0) * factor)
            Target.objects.create(plan=plan, code=code, wording=f"Chỉ tiêu {code} ({indicator})", indicator=indicator, bound=bound,
                                  value=value if bound != "none" else None, horizon=2030, sort=int(code[1:]))  # fmt: skip
        result.plans += 1
    transaction.on_commit(bump)  # bulk inserts are not audited: mark the data changed
    transaction.on_commit(refresh_statistics)
    return result


def refresh_statistics() -> None:
    """Let the query planner see the new data (PostgreSQL's autovacuum would, later; SQLite never does)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
