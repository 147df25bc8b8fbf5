"""Writes for dissolution and mergers: one function per action, scoped and audited.

Every change of an organisation's existence goes through the registry's change_status(), so
the status history stays the one record of it; these services add the case or the merger
around it in the same transaction.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from hoptac.accounts.access import require
from hoptac.core.audit import Actor, record, snapshot
from hoptac.core.concurrency import check_version
from hoptac.core.models import Action
from hoptac.core.services import apply_fields, validate
from hoptac.dissolution.models import DissolutionCase, DissolutionStep, Merger, StepKind
from hoptac.registry import services as registry
from hoptac.registry.choices import ENDED_STATUSES, Kind, OperatingScale, Status
from hoptac.registry.models import Organisation

CASE_FIELDS = {"kind", "legal_basis", "deciding_body", "grounds", "opened_on"}
# Narrowest first: a cooperative merges into one that works at least as widely.
SCALE_ORDER: list[str] = [OperatingScale.VILLAGE, OperatingScale.COMMUNE, OperatingScale.INTER_COMMUNE,
               OperatingScale.DISTRICT, OperatingScale.PROVINCE]  # fmt: skip


@transaction.atomic
def open_case(actor: Actor, organisation: Organisation, data: dict) -> DissolutionCase:
    """The case starts and the organisation becomes "dissolving" in the registry's history."""
    require(actor, "change", organisation)
    case = DissolutionCase(organisation=organisation)
    apply_fields(case, data, CASE_FIELDS)
    validate(case)
    if organisation.status in ENDED_STATUSES:
        raise ValidationError({"kind": _("This organisation no longer exists.")})
    if organisation.status != Status.DISSOLVING:
        registry.change_status(
            actor, organisation, Status.DISSOLVING, case.opened_on, note=_("Dissolution opened")
        )
    case.save()
    record(actor, Action.CREATE, case, after=snapshot(case))
    return case


@transaction.atomic
def add_step(
    actor: Actor,
    case: DissolutionCase,
    kind: str,
    date: datetime.date,
    name: str = "",
    note: str = "",
    expected_version=None,
) -> DissolutionStep:
    require(actor, "change", case.organisation)
    case = DissolutionCase.objects.select_for_update().select_related("organisation").get(pk=case.pk)
    check_version(case, expected_version)
    errors = {}
    if case.closed_on:
        errors["date"] = _("This case is closed.")
    elif date is None:
        errors["date"] = _("Give the date of the step.")
    elif date < case.opened_on:
        errors["date"] = _("A step cannot come before the case was opened.")
    if kind == StepKind.OTHER and not name.strip():
        errors["name"] = _("Describe the step.")
    if errors:
        raise ValidationError(errors)
    step = DissolutionStep(case=case, kind=kind, name=name.strip(), date=date, note=note)
    validate(step)
    step.save()
    case.save(update_fields=[])  # a new step is a new version of the case
    record(actor, Action.UPDATE, case, after={"step": snapshot(step)}, message=f"{step} ({date:%d/%m/%Y})")
    return step


@transaction.atomic
def close_case(
    actor: Actor, case: DissolutionCase, closed_on: datetime.date, decision: str, expected_version=None
) -> DissolutionCase:
    """The decision ends the case and the organisation is dissolved (registry status history)."""
    require(actor, "change")
    case = DissolutionCase.objects.select_for_update().select_related("organisation").get(pk=case.pk)
    check_version(case, expected_version)
    require(actor, "change", case.organisation)
    errors = {}
    if case.closed_on:
        errors["closed_on"] = _("This case is closed.")
    elif closed_on is None:
        errors["closed_on"] = _("Give the date of the dissolution decision.")
    elif closed_on < case.opened_on:
        errors["closed_on"] = _("A case cannot close before it was opened.")
    if not (decision or "").strip():
        errors["decision"] = _("Give the dissolution decision.")
    if errors:
        raise ValidationError(errors)
    registry.change_status(actor, case.organisation, Status.DISSOLVED, closed_on, decision=decision.strip())
    before = snapshot(case)
    case.closed_on, case.decision = closed_on, decision.strip()
    case.save(update_fields=["closed_on", "decision"])
    record(actor, Action.UPDATE, case, before=before, after=snapshot(case))
    return case


def _scale_rank(scale: str) -> int | None:
    return SCALE_ORDER.index(scale) if scale in SCALE_ORDER else None


@transaction.atomic
def merge_into(
    actor: Actor,
    survivor: Organisation,
    merged: list[Organisation],
    effective_date: datetime.date,
    decision: str = "",
    note: str = "",
) -> Merger:
    """Merge (village-level) cooperatives into a (commune-level) survivor, all or nothing.

    Each merged one ends as "merged into" the survivor through the registry's change_status();
    their records and histories stay, reachable from the survivor's page (seed 002, 3.2c).
    """
    require(actor, "change", survivor)
    errors: dict[str, list] = {}
    if survivor.status in ENDED_STATUSES:
        errors["survivor"] = [_("The surviving cooperative must still exist.")]
    elif survivor.kind != Kind.HTX:
        errors["survivor"] = [_("Only cooperatives (HTX) merge here.")]
    if not merged:
        errors["merged"] = [_("Choose at least one cooperative to merge.")]
    survivor_rank = _scale_rank(survivor.operating_scale)
    for org in merged:
        require(actor, "change", org)
        if org.pk == survivor.pk:
            errors.setdefault("merged", []).append(_("The survivor cannot merge into itself."))
        elif org.kind != Kind.HTX:
            errors.setdefault("merged", []).append(
                _("%(name)s is not a cooperative (HTX).") % {"name": org.name}
            )
        elif org.status in ENDED_STATUSES:
            errors.setdefault("merged", []).append(_("%(name)s no longer exists.") % {"name": org.name})
        elif org.commune.province_id != survivor.commune.province_id:
            errors.setdefault("merged", []).append(_("%(name)s is in another province.") % {"name": org.name})
        rank = _scale_rank(org.operating_scale)
        if rank is not None and survivor_rank is not None and rank > survivor_rank:
            errors.setdefault("merged", []).append(
                _("%(name)s works more widely than the survivor.") % {"name": org.name}
            )
    if survivor_rank == 0 and merged:
        errors.setdefault("survivor", []).append(
            _("The survivor of a merger works at commune level or wider.")
        )
    if effective_date is None:
        errors["effective_date"] = [_("Give the date the merger took effect.")]
    elif any(o.registration_date and o.registration_date > effective_date for o in [survivor, *merged]):
        errors["effective_date"] = [
            _("The merger cannot take effect before its cooperatives were registered.")
        ]
    if errors:
        raise ValidationError(errors)
    merger = Merger.objects.create(
        survivor=survivor, effective_date=effective_date, decision=decision, note=note
    )
    merger.merged.set(merged)
    message = _("Merged into %(name)s") % {"name": survivor.name}
    for org in merged:
        registry.change_status(
            actor, org, Status.MERGED, effective_date, decision=decision, note=message, merged_into=survivor
        )
    record(
        actor, Action.CREATE, merger,
        after={**snapshot(merger), "merged": sorted(o.pk for o in merged)}, message=decision,
    )  # fmt: skip
    return merger
