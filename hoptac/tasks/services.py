"""Writes to tasks: the lead agency's progress updates (append-only, audited)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hoptac.accounts.access import require
from hoptac.core import uploads
from hoptac.core.audit import Actor, record, snapshot
from hoptac.core.concurrency import check_version
from hoptac.core.models import Action
from hoptac.tasks.models import Task, TaskStatus, TaskUpdate


@transaction.atomic
def add_update(
    actor: Actor,
    task: Task,
    status: str,
    percent: int = 0,
    note: str = "",
    attachment=None,
    year: int | None = None,
    expected_version=None,
) -> TaskUpdate:
    """Append a progress update; each one is a new version of the task (`expected_version` refuses
    an update written from a stale view of the task)."""
    task = Task.objects.select_for_update().get(pk=task.pk)
    check_version(task, expected_version)
    require(actor, "update_task", task)
    errors = {}
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
    agency = actor.user.agency if getattr(actor.user, "agency_id", None) else None
    update = TaskUpdate.objects.create(
        task=task, year=year or (timezone.localdate().year if task.recurring else None), status=status, percent=percent,
        note=note, attachment=attachment or "", agency=agency, created_by=actor.user if getattr(actor.user, "pk", None) else None,
    )  # fmt: skip
    task.save(update_fields=[])
    record(actor, Action.CREATE, update, after=snapshot(update))
    return update
