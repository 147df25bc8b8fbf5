"""Writes to tasks: the lead agency's progress updates (append-only, audited)."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hoptac.core.audit import Actor, record, snapshot
from hoptac.core.models import Action
from hoptac.geo.models import AdministrativeUnit, Level
from hoptac.tasks.models import Task, TaskCarrier, TaskStatus, TaskUpdate, carriers_on


def can_update(user, task: Task) -> bool:
    """Officers of a lead agency, or officers whose scope covers the plan's unit."""
    if user is None:
        return True
    if not user.is_authenticated or not user.can_write:
        return False
    if user.is_national or (user.agency_id and task.lead.filter(pk=user.agency_id).exists()):
        return True
    if user.agency_id and user.agency_id in {a.pk for a in carriers_on(task, timezone.localdate())}:
        return True
    scope = user.scope_unit
    return scope is not None and task.plan.scope_unit_id == scope.pk


@transaction.atomic
def add_update(
    actor: Actor,
    task: Task,
    status: str,
    percent: int = 0,
    note: str = "",
    attachment=None,
    year: int | None = None,
) -> TaskUpdate:
    if not can_update(actor.user, task):
        raise PermissionDenied(_("Only a lead agency or an officer of the plan's area updates this task."))
    errors = {}
    if status not in (TaskStatus.NOT_STARTED, TaskStatus.IN_PROGRESS, TaskStatus.DONE):
        errors["status"] = _("Choose not started, in progress or done.")
    if not 0 <= int(percent) <= 100:
        errors["percent"] = _("Percent done is between 0 and 100.")
    if status == TaskStatus.DONE and not (note or attachment):
        errors["note"] = _("Say what was done, or attach the evidence.")
    if errors:
        raise ValidationError(errors)
    if status == TaskStatus.DONE:
        percent = 100
    agency = actor.user.agency if getattr(actor.user, "agency_id", None) else None
    update = TaskUpdate.objects.create(
        task=task, year=year or (timezone.localdate().year if task.recurring else None), status=status, percent=percent,
        note=note, attachment=attachment or "", agency=agency, created_by=actor.user if getattr(actor.user, "pk", None) else None,
    )  # fmt: skip
    record(actor, Action.CREATE, update, after=snapshot(update))
    return update


def can_record_carriers(user, plan) -> bool:
    """A province officer whose province covers the plan's area (or a national administrator)."""
    if user is None:
        return True
    if not user.is_authenticated or not user.can_write:
        return False
    if user.is_national:
        return True
    scope = user.scope_unit
    if scope is None or scope.level != Level.PROVINCE or not scope.is_current or plan.scope_unit_id is None:
        return False
    area = plan.scope_unit
    if area.pk == scope.pk or area.province_id == scope.pk:
        return True
    return AdministrativeUnit.objects.current_communes_covering(area).filter(province=scope).exists()


def clean_carriers(agencies, since) -> list:
    """The new carriers must exist on the day they take over; a ceased body is refused by name."""
    if not since:
        raise ValidationError({"since": _("Give the date from which the body carries it.")})
    if not agencies:
        raise ValidationError({"agencies": _("Choose at least one body.")})
    ceased = [a for a in agencies if not a.exists_on(since)]
    if ceased:
        raise ValidationError(
            {
                "agencies": _("%(names)s did not exist on %(day)s: choose a body that exists.")
                % {"names": ", ".join(a.full_name for a in ceased), "day": since.strftime("%d/%m/%Y")}
            }
        )
    return list(agencies)


def _close_open(qs, since) -> None:
    for carrier in qs.filter(until__isnull=True):
        carrier.until = max(carrier.since, since - datetime.timedelta(days=1))
        carrier.save(update_fields=["until"])


@transaction.atomic
def set_carriers(actor: Actor, task: Task, agencies, since, note: str = "") -> list[TaskCarrier]:
    """Record which bodies carry a task from `since` (the earlier ones end the day before; history kept)."""
    if not can_record_carriers(actor.user, task.plan):
        raise PermissionDenied(_("Only an officer of the province records who carries a plan's tasks."))
    agencies = clean_carriers(agencies, since)
    before = [str(a) for a in carriers_on(task, since)]
    _close_open(task.carriers.all(), since)
    user = actor.user if getattr(actor.user, "pk", None) else None
    made = [
        TaskCarrier.objects.create(task=task, agency=a, since=since, note=note[:300], recorded_by=user)
        for a in agencies
    ]
    record(
        actor,
        Action.UPDATE,
        task,
        before={"carriers": before},
        after={"carriers": [str(a) for a in agencies], "since": since.isoformat(), "note": note},
    )
    return made
