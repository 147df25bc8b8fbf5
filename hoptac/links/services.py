"""Writes to the links register: record, change, end and delete a link (scoped, audited)."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from hoptac.core.audit import Actor, record, snapshot
from hoptac.core.models import Action
from hoptac.core.services import apply_fields, require_writer
from hoptac.links.models import Link
from hoptac.registry.models import Organisation

FIELDS = {"organisation", "enterprise_name", "enterprise_tax_code", "product", "contract_number", "contract_date",
          "start_date", "end_date", "volume", "value"}  # fmt: skip


def _check_scope(actor: Actor, organisation: Organisation) -> None:
    if (
        actor.user is not None
        and not Organisation.objects.editable_by(actor.user).filter(pk=organisation.pk).exists()
    ):
        raise PermissionDenied(_("This cooperative is outside the area your account manages."))


@transaction.atomic
def create_link(actor: Actor, data: dict) -> Link:
    require_writer(actor)
    link = Link()
    apply_fields(link, data, FIELDS)
    if link.organisation_id:
        _check_scope(actor, link.organisation)
    link.full_clean()
    link.save()
    record(actor, Action.CREATE, link, after=snapshot(link))
    return link


@transaction.atomic
def update_link(actor: Actor, link: Link, data: dict) -> Link:
    require_writer(actor)
    _check_scope(actor, link.organisation)
    before = snapshot(link)
    apply_fields(link, data, FIELDS - {"organisation"})
    link.full_clean()
    link.save()
    record(actor, Action.UPDATE, link, before=before, after=snapshot(link))
    return link


def end_link(actor: Actor, link: Link, end_date: datetime.date) -> Link:
    if end_date is None:
        raise ValidationError({"end_date": _("Give the date the link ended.")})
    return update_link(actor, link, {"end_date": end_date})


@transaction.atomic
def delete_link(actor: Actor, link: Link) -> None:
    require_writer(actor)
    _check_scope(actor, link.organisation)
    before = snapshot(link)
    target = Link(
        pk=link.pk, organisation=link.organisation, enterprise_name=link.enterprise_name, product=link.product
    )
    link.delete()
    record(actor, Action.DELETE, target, before=before)
