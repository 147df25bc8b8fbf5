"""Writes to the links register: record, change, end and delete a link (scoped, audited).

Ending a link (rather than deleting it) keeps the years it was in force counted by the
indicators; delete is for entries made by mistake.
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
from hoptac.links.models import Link

FIELDS = {"organisation", "enterprise_name", "enterprise_tax_code", "product", "contract_number", "contract_date",
          "start_date", "end_date", "volume", "value"}  # fmt: skip


@transaction.atomic
def create_link(actor: Actor, data: dict) -> Link:
    require(actor, "change")
    link = Link()
    apply_fields(link, data, FIELDS)
    if not link.organisation_id:
        raise ValidationError({"organisation": _("Choose the cooperative.")})
    require(actor, "change", link.organisation)
    validate(link)
    link.save()
    record(actor, Action.CREATE, link, after=snapshot(link))
    return link


@transaction.atomic
def update_link(actor: Actor, link: Link, data: dict, expected_version=None) -> Link:
    """Change a link's details; its cooperative stays (a link of another one is a new link)."""
    require(actor, "change")
    link = Link.objects.select_for_update().select_related("organisation").get(pk=link.pk)
    check_version(link, expected_version)
    require(actor, "change", link.organisation)
    before = snapshot(link)
    apply_fields(link, data, FIELDS - {"organisation"})
    validate(link)
    link.save()
    after = snapshot(link)
    if after != before:
        record(actor, Action.UPDATE, link, before=before, after=after)
    return link


def end_link(actor: Actor, link: Link, end_date: datetime.date | None, expected_version=None) -> Link:
    """The link stops on `end_date`; it still counts for the years up to then."""
    if end_date is None:
        raise ValidationError({"end_date": _("Give the date the link ended.")})
    return update_link(actor, link, {"end_date": end_date}, expected_version)


@transaction.atomic
def delete_link(actor: Actor, link: Link, expected_version=None) -> None:
    require(actor, "change", link.organisation)
    link = Link.objects.select_for_update().select_related("organisation").get(pk=link.pk)
    check_version(link, expected_version)
    before = snapshot(link)
    target = Link(
        pk=link.pk, organisation=link.organisation, enterprise_name=link.enterprise_name, product=link.product
    )
    link.delete()
    record(actor, Action.DELETE, target, before=before)
