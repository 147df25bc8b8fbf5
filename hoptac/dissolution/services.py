"""Opening, stepping through and closing a dissolution case (scoped, audited, status kept in step)."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from hoptac.core.audit import Actor, record, snapshot
from hoptac.core.models import Action
from hoptac.core.services import require_writer
from hoptac.dissolution.models import CaseKind, DissolutionCase, DissolutionStep, LegalBasis
from hoptac.registry import services as registry
from hoptac.registry.choices import Status
from hoptac.registry.models import Organisation


@transaction.atomic
def open_case(
    actor: Actor, organisation, kind: str, legal_basis: str, deciding_body: str, opened_on: datetime.date
) -> DissolutionCase:
    """The organisation becomes "dissolving" (registry status history) and the case starts."""
    if kind not in CaseKind.values or legal_basis not in LegalBasis.values:
        raise ValidationError({"kind": _("Choose the kind of dissolution and its legal basis.")})
    if kind == CaseKind.VOLUNTARY and legal_basis == LegalBasis.LAW_2012_54_2:
        raise ValidationError({"legal_basis": _("Điều 54 khoản 2 is for compulsory dissolution.")})
    registry.change_status(actor, organisation, Status.DISSOLVING, opened_on, note=_("Dissolution opened"))
    case = DissolutionCase.objects.create(
        organisation=organisation,
        kind=kind,
        legal_basis=legal_basis,
        deciding_body=deciding_body,
        opened_on=opened_on,
    )
    record(actor, Action.CREATE, case, after=snapshot(case))
    return case


@transaction.atomic
def add_step(
    actor: Actor, case: DissolutionCase, name: str, date: datetime.date, note: str = ""
) -> DissolutionStep:
    if case.closed_on:
        raise ValidationError({"case": _("This case is closed.")})
    if date < case.opened_on:
        raise ValidationError({"date": _("A step cannot come before the case was opened.")})
    require_writer(actor)
    if (
        actor.user is not None
        and not Organisation.objects.editable_by(actor.user).filter(pk=case.organisation_id).exists()
    ):
        raise PermissionDenied(_("This cooperative is outside the area your account manages."))
    step = DissolutionStep.objects.create(case=case, name=name, date=date, note=note)
    record(actor, Action.UPDATE, case, message=f"{name} ({date:%d/%m/%Y})")
    return step


@transaction.atomic
def close_case(
    actor: Actor, case: DissolutionCase, closed_on: datetime.date, decision: str
) -> DissolutionCase:
    """The decision ends the case and the organisation is dissolved."""
    if not decision:
        raise ValidationError({"decision": _("Give the dissolution decision.")})
    registry.change_status(actor, case.organisation, Status.DISSOLVED, closed_on, decision=decision)
    before = snapshot(case)
    case.closed_on, case.decision = closed_on, decision
    case.save(update_fields=["closed_on", "decision"])
    record(actor, Action.UPDATE, case, before=before, after=snapshot(case))
    return case
