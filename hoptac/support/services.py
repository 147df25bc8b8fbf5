"""Writes to the support register (scoped to the beneficiary, audited), and the summaries officials report."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Sum
from django.utils.translation import gettext as _

from hoptac.accounts.access import require
from hoptac.core.audit import Actor, record, snapshot
from hoptac.core.concurrency import check_version
from hoptac.core.models import Action
from hoptac.core.services import apply_fields, validate
from hoptac.figures.models import AnnualFigures
from hoptac.registry.models import Organisation
from hoptac.support.models import SupportRecord

FIELDS = {"organisation", "policy", "date", "amount", "in_kind", "in_kind_value", "source", "decision_number",
          "decision_date", "note"}  # fmt: skip
# Groupings of the summaries: by policy, funding source, year and unit (commune, province).
SUMMARY_BY = {"policy": "policy__name", "source": "source", "year": "date__year",
              "commune": "organisation__commune__name", "province": "organisation__commune__province__name"}  # fmt: skip


@transaction.atomic
def record_support(actor: Actor, data: dict) -> SupportRecord:
    require(actor, "change")
    support = SupportRecord()
    apply_fields(support, data, FIELDS)
    if not support.organisation_id:
        raise ValidationError({"organisation": _("Choose the beneficiary.")})
    require(actor, "change", support.organisation)
    validate(support)
    support.save()
    record(actor, Action.CREATE, support, after=snapshot(support))
    return support


@transaction.atomic
def update_support(actor: Actor, support: SupportRecord, data: dict, expected_version=None) -> SupportRecord:
    """Correct a record; the beneficiary stays (support to another one is another record)."""
    require(actor, "change")
    support = SupportRecord.objects.select_for_update().get(pk=support.pk)
    check_version(support, expected_version)
    require(actor, "change", support.organisation)
    before = snapshot(support)
    apply_fields(support, data, FIELDS - {"organisation"})
    validate(support)
    support.save()
    after = snapshot(support)
    if after != before:
        record(actor, Action.UPDATE, support, before=before, after=after)
    return support


@transaction.atomic
def delete_support(actor: Actor, support: SupportRecord, expected_version=None) -> None:
    require(actor, "change", support.organisation)
    support = SupportRecord.objects.select_for_update().select_related("policy").get(pk=support.pk)
    check_version(support, expected_version)
    before = snapshot(support)
    target = SupportRecord(
        pk=support.pk, organisation=support.organisation, policy=support.policy, date=support.date
    )
    support.delete()
    record(actor, Action.DELETE, target, before=before)


def summary(records, by: str) -> list[dict]:
    """Count, money and in-kind value grouped by one of SUMMARY_BY (or a lookup), in one query.

    Each row: {"key", "n", "money", "in_kind", "total"}.
    """
    lookup = SUMMARY_BY.get(by, by)
    rows = (
        records.values(lookup)
        .annotate(n=Count("pk"), money=Sum("amount"), in_kind=Sum("in_kind_value"))
        .order_by(lookup)
    )
    return [
        {
            "key": row[lookup],
            "n": row["n"],
            "money": row["money"] or 0,
            "in_kind": row["in_kind"] or 0,
            "total": (row["money"] or 0) + (row["in_kind"] or 0),
        }  # fmt: skip
        for row in rows
    ]


def before_and_after(organisation: Organisation) -> dict | None:
    """Key figures the year before the first support and in the latest approved year, side by side."""
    first = organisation.support_records.order_by("date").first()
    if first is None:
        return None
    figures = AnnualFigures.objects.filter(organisation=organisation, status="approved", is_estimate=False)
    before = figures.filter(year__lt=first.date.year).order_by("-year").first()
    after = figures.filter(year__gte=first.date.year).order_by("-year").first()
    if before is None and after is None:
        return None
    return {"before": before, "after": after, "since": first.date}
