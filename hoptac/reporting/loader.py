"""Reporting obligations of a plan from seed_plans.json (called by plans.loader)."""

from __future__ import annotations

from hoptac.geo.models import AdministrativeUnit
from hoptac.plans.models import Clause
from hoptac.reporting.models import Obligation
from hoptac.tasks.loader import agencies_for


def load(plan, doc: dict, actor) -> int:
    n = 0
    for o in doc.get("obligations", []):
        obligation, _ = Obligation.objects.update_or_create(
            plan=plan,
            code=o["code"],
            defaults={
                "clause": Clause.objects.filter(plan=plan, ref=o.get("clause")).first(),
                "wording": o["wording"],
                "reporters_text": (o.get("reporters") or "")[:300],
                "recipient_text": (o.get("recipient") or "")[:300],
                "frequency": o["frequency"],
                "due_days": o.get("due") or [],
                "days_after_period": o.get("days_after_period"),
            },
        )
        if (
            plan.scope_unit_id
            and not obligation.reporter_agencies.exists()
            and not obligation.reporter_units.exists()
        ):
            # Every lead agency of the plan's tasks reports, and so does every commune of the plan's area.
            agencies = {a.pk for task in plan.tasks.prefetch_related("lead") for a in task.lead.all()}
            obligation.reporter_agencies.set(agencies)
            obligation.reporter_units.set(
                AdministrativeUnit.objects.current_communes_covering(plan.scope_unit)
            )
        recipients = agencies_for(plan, [o.get("recipient", "")][:1]) if o.get("recipient") else []
        if recipients and obligation.recipient_agency_id is None:
            obligation.recipient_agency = recipients[0]
            obligation.save(update_fields=["recipient_agency"])
        n += 1
    return n
