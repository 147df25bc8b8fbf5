"""Demo annual figures (2021-2025 approved, 2026 estimates submitted) and assessments.

Figures follow a plausible trajectory per cooperative (size by sector, growth with noise);
every set goes through the services, so approvals, versions and audit are real.
"""

from __future__ import annotations

import random
from decimal import Decimal

from hoptac.core.audit import Actor
from hoptac.figures import loaders
from hoptac.figures.choices import FiguresStatus
from hoptac.figures.models import Rubric
from hoptac.registry.choices import Kind, Status
from hoptac.registry.models import Organisation

YEARS = range(2021, 2026)
ESTIMATE_YEAR = 2026


def _figures_for(org: Organisation, rng: random.Random, size: float, year: int) -> dict:
    growth = (1 + rng.uniform(-0.05, 0.12)) ** (year - 2021)
    if org.kind == Kind.THT:
        return {
            "members_official": max(2, int(size * 12 * growth)),
            "workers": max(2, int(size * 8 * growth)),
        }
    members = max(7, int(size * 120 * growth))
    workers = max(3, int(size * 9 * growth))
    managers = rng.randint(3, 7)
    revenue = int(size * 900_000_000 * growth * rng.uniform(0.8, 1.2)) // 1000 * 1000
    profit = int(revenue * rng.uniform(-0.03, 0.12)) // 1000 * 1000
    capital = int(size * 1_500_000_000 * growth) // 1000 * 1000
    digital = rng.random() < 0.1 + 0.1 * (year - 2021)
    return {
        "members_official": members,
        "members_associate_capital": int(members * rng.uniform(0, 0.1)),
        "members_associate_noncapital": int(members * rng.uniform(0, 0.3)),
        "members_joined": int(members * rng.uniform(0.01, 0.08)),
        "members_left": int(members * rng.uniform(0, 0.04)),
        "workers": workers,
        "workers_members": int(workers * rng.uniform(0.5, 1)),
        "average_income": rng.randrange(4_000_000, 9_000_000, 100_000),
        "managers": managers,
        "managers_degree": (degree := rng.randint(0, min(3, managers))),
        "managers_vocational": rng.randint(0, managers - degree),
        "managers_under_35": rng.randint(0, 2),
        "managers_trained": rng.randint(0, managers),
        "director_trained": rng.random() < 0.5 + 0.05 * (year - 2021),
        "revenue": revenue,
        "revenue_members": int(revenue * rng.uniform(0.3, 0.9)) // 1000 * 1000,
        "profit_before_tax": profit,
        "profit_after_tax": int(profit * 0.8) if profit > 0 else profit,
        "charter_capital": int(capital * 0.6) // 1000 * 1000,
        "contributed_capital": int(capital * 0.4) // 1000 * 1000,
        "total_capital": capital,
        "total_assets": int(capital * 1.1) // 1000 * 1000,
        "indivisible_assets": int(capital * rng.uniform(0.1, 0.5)) // 1000 * 1000,
        "development_fund": max(0, int(profit * 0.2)) // 1000 * 1000,
        "reserve_fund": max(0, int(profit * 0.05)) // 1000 * 1000,
        "high_tech": rng.random() < 0.08 + 0.03 * (year - 2021),
        "digital_accounting": digital,
        "digital_einvoice": digital and rng.random() < 0.7,
        "traceability": rng.random() < 0.1 + 0.04 * (year - 2021),
        "trademark": rng.random() < 0.2,
        "internal_credit": rng.random() < 0.1,
        "social_insurance": rng.random() < 0.3,
    }


def _scores(rng: random.Random, quality: float, maxima: dict[int, Decimal]) -> dict[str, str]:
    return {
        str(n): str(
            (m * Decimal(min(1.0, max(0.0, quality + rng.uniform(-0.12, 0.12))))).quantize(Decimal("0.5"))
        )
        for n, m in maxima.items()
    }


def build(seed: int = 2025) -> None:
    rng = random.Random(seed + 3)
    actor = Actor.command()
    rubric = Rubric.for_year(2024)
    maxima = {c.number: c.max_points for c in rubric.criteria.all()} if rubric else {}
    # Only years with a rubric in force are assessed (TT 01/2020 ended on 17/09/2025: 2025 is not rated).
    rated = {year for year in YEARS if Rubric.for_year(year) is not None}
    rows: list[loaders.FiguresRow] = []
    assessments: list[tuple[Organisation, int, dict]] = []
    for org in Organisation.objects.select_related("commune__province").order_by("id"):
        size = rng.uniform(0.3, 2.5)
        quality = rng.uniform(0.35, 0.95)
        started = org.registration_date.year if org.registration_date else 2000
        ended = (
            org.status_since.year
            if org.status in (Status.DISSOLVED, Status.MERGED) and org.status_since
            else 9999
        )
        for year in YEARS:
            if year < started or year > ended:
                continue
            data = _figures_for(org, rng, size, year)
            if org.kind in (Kind.HTX, Kind.LHHTX, Kind.QTDND) and maxima and year >= 2022 and year in rated:
                # Assessed before the figures are approved: approval locks the year's grade too.
                quality = min(0.98, max(0.3, quality + rng.uniform(-0.05, 0.07)))
                assessments.append((org, year, _scores(rng, quality, maxima)))
            rows.append(loaders.FiguresRow(org, year, data, status=FiguresStatus.APPROVED))
        if org.status == Status.ACTIVE and rng.random() < 0.4:
            data = _figures_for(org, rng, size, ESTIMATE_YEAR)
            status = FiguresStatus.SUBMITTED if rng.random() < 0.7 else FiguresStatus.DRAFT
            rows.append(loaders.FiguresRow(org, ESTIMATE_YEAR, data, is_estimate=True, status=status))
    # Bulk writes through the services: the same checks, versions and audit trail as one by one.
    loaders.assess_many(actor, assessments)  # before the approval, which locks the year's grade
    loaders.load_figures(actor, rows)
