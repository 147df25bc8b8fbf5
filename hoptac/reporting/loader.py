"""Reporting obligations of a plan from seed_plans.json (called by plans.loader)."""

from __future__ import annotations

from hoptac.core.audit import upsert
from hoptac.geo.models import AdministrativeUnit
from hoptac.plans.models import Clause
from hoptac.reporting.models import Obligation
from hoptac.tasks.loader import agencies_for


def load(plan, doc: dict, actor) -> int:
    """The plan's obligations, each created or updated with an audit entry (its reporters included)."""
    n = 0
    for o in doc.get("obligations", []):
        lookup = {"plan": plan, "code": o["code"]}
        existing = Obligation.objects.filter(**lookup).first()
        values = {
            "clause": Clause.objects.filter(plan=plan, ref=o.get("clause")).first(),
            "wording": o["wording"],
            "reporters_text": (o.get("reporters") or "")[:300],
            "recipient_text": (o.get("recipient") or "")[:300],
            "frequency": o["frequency"],
            "due_days": o.get("due") or [],
            "days_after_period": o.get("days_after_period"),
        }
        many = {}
        if plan.scope_unit_id and (
            existing is None
            or (not existing.reporter_agencies.exists() and not existing.reporter_units.exists())
        ):
            # Every lead agency of the plan's tasks reports, and so does every commune of the plan's area.
            many = {
                "reporter_agencies": sorted({a.pk for task in plan.tasks.prefetch_related("lead") for a in task.lead.all()}),
                "reporter_units": list(AdministrativeUnit.objects.current_communes_covering(plan.scope_unit)),
            }  # fmt: skip
        recipients = agencies_for(plan, [o.get("recipient", "")][:1], actor) if o.get("recipient") else []
        if recipients and (existing is None or existing.recipient_agency_id is None):
            values["recipient_agency"] = recipients[0]
        upsert(actor, Obligation, lookup, values, many=many)
        n += 1
    return n
