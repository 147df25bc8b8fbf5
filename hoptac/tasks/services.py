"""Writes to tasks: the lead agency's progress updates (append-only, audited)."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hoptac.accounts.access import require
from hoptac.core import uploads
from hoptac.core.audit import Actor, record, snapshot
from hoptac.core.concurrency import check_version
from hoptac.core.models import Action
from hoptac.tasks.models import Task, TaskCarrier, TaskStatus, TaskUpdate, carriers_on


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
    task.save(update_fields=[])
    record(actor, Action.CREATE, update, after=snapshot(update))
    return update


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
    require(actor, "record_carriers", task.plan)
    agencies = clean_carriers(agencies, since)
    before = [str(a) for a in carriers_on(task, since)]
    _close_open(task.carriers.all(), since)
    made = [
        TaskCarrier.objects.create(
            task=task, agency=a, since=since, note=note[:300], recorded_by=actor.account
        )
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
