"""Reminding the organisations of an area that have not started their year's figures.

TT 01/2020 Điều 9: cooperatives send their figures by 15/12; the reviewer sees who has no set
for the year at all and reminds their accounts in the app (the reporting app's notifications).
"""

from __future__ import annotations

from django.apps import apps
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from hoptac.accounts.access import require
from hoptac.accounts.models import User
from hoptac.core.audit import Actor, record_many
from hoptac.core.models import Action
from hoptac.figures.models import AnnualFigures
from hoptac.registry.models import Organisation


def not_started(user, year: int) -> QuerySet:
    """The user's organisations (not dissolved or merged) with no figures at all for `year`."""
    started = AnnualFigures.objects.filter(organisation=OuterRef("pk"), year=year)
    return Organisation.objects.restrict(user).existing().exclude(Exists(started))


@transaction.atomic
def remind_not_started(actor: Actor, year: int, organisation_ids: list[int] | None = None) -> int:
    """One in-app reminder to each account of the organisations that have not started; returns how
    many organisations had an account to remind."""
    # The in-app inbox belongs to the reporting app, above figures in the layers: looked up by name.
    Notification = apps.get_model("reporting", "Notification")

    require(actor, "approve_figures")
    organisations = not_started(actor.user, year)
    if organisation_ids is not None:
        organisations = organisations.filter(pk__in=organisation_ids)
    accounts = User.objects.filter(is_active=True, organisation__in=organisations.values("pk"))
    notes = [
        Notification(
            user=account,
            message=_("Your %(year)s figures have not been started; the deadline is 15/12/%(year)s.")
            % {"year": year},
            url=reverse("figures:entry", args=[account.organisation_id, year]),
        )
        for account in accounts
    ]
    Notification.objects.bulk_create(notes)
    record_many(actor, Action.CREATE, notes)
    return len({n.user.organisation_id for n in notes})
