"""Recording support (scoped to the beneficiary, audited), and the summaries officials report."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Sum
from django.utils.translation import gettext as _

from hoptac.core.audit import Actor, record, snapshot
from hoptac.core.models import Action
from hoptac.core.services import apply_fields, require_writer
from hoptac.figures.models import AnnualFigures
from hoptac.registry.models import Organisation
from hoptac.support.models import SupportRecord

FIELDS = {
    "organisation",
    "policy",
    "date",
    "amount",
    "in_kind",
    "in_kind_value",
    "source",
    "decision_number",
    "decision_date",
    "note",
}


@transaction.atomic
def record_support(actor: Actor, data: dict) -> SupportRecord:
    require_writer(actor)
    support = SupportRecord()
    apply_fields(support, data, FIELDS)
    if (
        actor.user is not None
        and support.organisation_id
        and not Organisation.objects.editable_by(actor.user).filter(pk=support.organisation_id).exists()
    ):
        raise PermissionDenied(_("This cooperative is outside the area your account manages."))
    support.full_clean()
    support.save()
    record(actor, Action.CREATE, support, after=snapshot(support))
    return support


def summary(records, by: str) -> list[dict]:
    """Count and total value grouped by `policy__name`, `source` or `date__year` (one query)."""
    return list(
        records.values(by)
        .annotate(n=Count("pk"), money=Sum("amount"), in_kind=Sum("in_kind_value"))
        .order_by(by)
    )


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
