"""Writes to the managers and training register (scoped to the cooperative, audited), and the
shares the seeds' targets read."""

from __future__ import annotations

from django.db import transaction

from hoptac.accounts.access import require
from hoptac.core.audit import Actor, record, snapshot
from hoptac.core.concurrency import check_version
from hoptac.core.models import Action
from hoptac.core.services import apply_fields, validate
from hoptac.registry.models import Organisation
from hoptac.training.models import Education, Manager, ManagerRole, Training

MANAGER_FIELDS = {"name", "role", "education", "birth_year", "is_woman", "left_on"}
TRAINING_FIELDS = {"course", "level", "provider", "start", "end", "funded_by"}


@transaction.atomic
def add_manager(actor: Actor, organisation: Organisation, data: dict) -> Manager:
    require(actor, "change", organisation)
    manager = Manager(organisation=organisation)
    apply_fields(manager, data, MANAGER_FIELDS)
    validate(manager)
    manager.save()
    record(actor, Action.CREATE, manager, after=snapshot(manager))
    return manager


@transaction.atomic
def update_manager(actor: Actor, manager: Manager, data: dict, expected_version=None) -> Manager:
    """Correct a manager's details, or record that they left office (`left_on`)."""
    require(actor, "change", manager.organisation)
    manager = Manager.objects.select_for_update().get(pk=manager.pk)
    check_version(manager, expected_version)
    before = snapshot(manager)
    apply_fields(manager, data, MANAGER_FIELDS)
    validate(manager)
    manager.save()
    after = snapshot(manager)
    if after != before:
        record(actor, Action.UPDATE, manager, before=before, after=after)
    return manager


@transaction.atomic
def record_training(actor: Actor, manager: Manager, data: dict) -> Training:
    require(actor, "change", manager.organisation)
    training = Training(manager=manager)
    apply_fields(training, data, TRAINING_FIELDS)
    validate(training)
    training.save()
    record(actor, Action.CREATE, training, after=snapshot(training))
    return training


@transaction.atomic
def delete_training(actor: Actor, training: Training, expected_version=None) -> None:
    require(actor, "change", training.manager.organisation)
    training = Training.objects.select_for_update().select_related("manager").get(pk=training.pk)
    check_version(training, expected_version)
    before = snapshot(training)
    target = Training(pk=training.pk, manager=training.manager, course=training.course)
    training.delete()
    record(actor, Action.DELETE, target, before=before)


def shares(organisation: Organisation) -> dict:
    """From the register, managers in office: with a degree, trained at all, directors trained."""
    managers = list(organisation.managers.in_office().prefetch_related("trainings"))
    if not managers:
        return {}
    directors = [m for m in managers if m.role == ManagerRole.DIRECTOR]
    return {
        "managers": len(managers),
        "degree": sum(m.education == Education.DEGREE for m in managers),
        "trained": sum(bool(m.trainings.all()) for m in managers),
        "directors_trained": sum(m.trained_as_director for m in directors),
        "directors": len(directors),
    }
