"""Writes to plans: attaching a plan that names no unit to an officer's unit."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from hoptac.accounts.access import require
from hoptac.core.audit import Actor, record, snapshot
from hoptac.core.models import Action
from hoptac.plans.models import Plan


@transaction.atomic
def attach_plan(actor: Actor, plan: Plan, unit) -> Plan:
    """Seed 000 does not name its district: an officer attaches it to the unit it was issued for."""
    require(actor, "change", unit)
    if (
        plan.scope_unit_id
        and plan.scope_unit_id != unit.pk
        and actor.user is not None
        and not getattr(actor.user, "is_national", False)
    ):
        raise ValidationError({"unit": _("This plan already covers %(unit)s.") % {"unit": plan.scope_unit}})
    before = snapshot(plan)
    plan.scope_unit = unit
    plan.save(update_fields=["scope_unit"])
    record(actor, Action.UPDATE, plan, before=before, after=snapshot(plan))
    return plan
