"""Recording managers and their training (scoped to the cooperative, audited)."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from hoptac.core.audit import Actor, record, snapshot
from hoptac.core.models import Action
from hoptac.core.services import require_writer
from hoptac.registry.models import Organisation
from hoptac.training.models import Manager, Training


def _check(actor: Actor, organisation) -> None:
    require_writer(actor)
    if (
        actor.user is not None
        and not Organisation.objects.editable_by(actor.user).filter(pk=organisation.pk).exists()
    ):
        raise PermissionDenied(_("This cooperative is outside the area your account manages."))


@transaction.atomic
def add_manager(actor: Actor, organisation, **fields) -> Manager:
    _check(actor, organisation)
    manager = Manager(organisation=organisation, **fields)
    manager.full_clean()
    manager.save()
    record(actor, Action.CREATE, manager, after=snapshot(manager))
    return manager


@transaction.atomic
def record_training(actor: Actor, manager: Manager, **fields) -> Training:
    _check(actor, manager.organisation)
    training = Training(manager=manager, **fields)
    training.full_clean()
    training.save()
    record(actor, Action.CREATE, training, after=snapshot(training))
    return training


def shares(organisation) -> dict:
    """From the register: managers with a degree, directors trained, managers trained at all."""
    managers = list(organisation.managers.prefetch_related("trainings"))
    if not managers:
        return {}
    directors = [m for m in managers if m.role == "director"]
    return {
        "managers": len(managers),
        "degree": sum(m.education == "degree" for m in managers),
        "trained": sum(bool(m.trainings.all()) for m in managers),
        "directors_trained": sum(m.trained_as_director for m in directors),
        "directors": len(directors),
    }
