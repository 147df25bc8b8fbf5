"""Writes to tasks: the lead agency's progress updates (append-only, audited)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hoptac.core import uploads
from hoptac.core.audit import Actor, record, snapshot
from hoptac.core.models import Action
from hoptac.tasks.models import Task, TaskStatus, TaskUpdate


def can_update(user, task: Task) -> bool:
    """Officers of a lead agency, or officers whose scope covers the plan's unit."""
    if user is None:
        return True
    if not user.is_authenticated or not user.can_write:
        return False
    if user.is_national or (user.agency_id and task.lead.filter(pk=user.agency_id).exists()):
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
    errors: dict[str, str | list[str]] = {}
    if status not in (TaskStatus.NOT_STARTED, TaskStatus.IN_PROGRESS, TaskStatus.DONE):
        errors["status"] = _("Choose not started, in progress or done.")
    if not 0 <= int(percent) <= 100:
        errors["percent"] = _("Percent done is between 0 and 100.")
    if status == TaskStatus.DONE and not (note or attachment):
        errors["note"] = _("Say what was done, or attach the evidence.")
    if attachment:
        try:
            attachment = uploads.document(attachment)
        except ValidationError as exc:
            errors["attachment"] = exc.messages
    if errors:
        raise ValidationError(errors)
    if status == TaskStatus.DONE:
        percent = 100
    agency = actor.account.agency if actor.account is not None else None
    update = TaskUpdate.objects.create(
        task=task, year=year or (timezone.localdate().year if task.recurring else None), status=status, percent=percent,
        note=note, attachment=attachment or "", agency=agency, created_by=actor.account,
    )  # fmt: skip
    record(actor, Action.CREATE, update, after=snapshot(update))
    return update
