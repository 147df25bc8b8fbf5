"""The backlog the seeds want cleared: cooperatives stopped, dissolving or not re-organised.

Seed 001 (8) and seed 004 (đ): all such HTX are to be dissolved, merged or re-organised.
"Resolved" counts those dissolved or merged since the plans began (01/01/2023); the same
"unresolved" definition as the indicator library's (stopped, or founded under the 2003/2012
law and not re-organised), plus those already being dissolved.
"""

from __future__ import annotations

import datetime

from django.db.models import Q, QuerySet

from hoptac.registry.choices import ENDED_STATUSES, Kind, LegalBasis, Status

SINCE = datetime.date(2023, 1, 1)  # the seeds' plans start in 2023


def pending(organisations: QuerySet) -> QuerySet:
    return (
        organisations.filter(kind=Kind.HTX)
        .exclude(status__in=list(ENDED_STATUSES))
        .filter(
            Q(status__in=[Status.STOPPED, Status.DISSOLVING])
            | Q(reorganised=False, legal_basis__in=[LegalBasis.LAW_2003, LegalBasis.LAW_2012])
        )
    )


def resolved(organisations: QuerySet) -> QuerySet:
    return organisations.filter(kind=Kind.HTX, status__in=list(ENDED_STATUSES), status_since__gte=SINCE)


def progress(organisations: QuerySet) -> dict:
    """{"pending", "resolved", "total", "percent"} in two counting queries."""
    left, done = pending(organisations).count(), resolved(organisations).count()
    total = left + done
    return {
        "pending": left,
        "resolved": done,
        "total": total,
        "percent": round(100 * done / total, 1) if total else None,
    }
