"""Account writes: creating users, issuing API tokens, the succession of bodies; audited like every other write."""

from __future__ import annotations

import datetime

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from hoptac.accounts.access import require
from hoptac.accounts.models import Agency, AgencySuccession, Role, User
from hoptac.core.audit import Actor, record, snapshot
from hoptac.core.models import Action


@transaction.atomic
def create_user(
    actor: Actor,
    username: str,
    role: str,
    password: str,
    *,
    unit=None,
    agency=None,
    organisation=None,
    email: str = "",
) -> User:
    require(actor, "manage_accounts")
    if role not in Role.values:
        raise ValidationError(
            {
                "role": _("Unknown role “%(role)s”; use one of: %(roles)s.")
                % {"role": role, "roles": ", ".join(Role.values)}
            }
        )
    user = User(
        username=username, role=role, unit=unit, agency=agency, organisation=organisation, email=email
    )
    user.is_staff = role == Role.ADMIN
    user.is_superuser = role == Role.ADMIN and unit is None and agency is None
    user.full_clean(exclude=["password"])
    validate_password(password, user)
    user.set_password(password)
    user.save()
    record(actor, Action.CREATE, user, after=_account_snapshot(user))
    return user


@transaction.atomic
def issue_token(actor: Actor, user: User, *, renew: bool = False) -> str:
    """The user's API token; `renew` replaces it (the old key stops working at once)."""
    if actor.user != user:  # anyone may fetch their own token
        require(actor, "manage_accounts")
    if renew:
        Token.objects.filter(user=user).delete()
    token, created = Token.objects.get_or_create(user=user)
    if created:
        record(actor, Action.UPDATE, user, message=_("API token issued"))
    return token.key


def _account_snapshot(user: User) -> dict:
    data = snapshot(user)
    data.pop("password", None)
    return data


@transaction.atomic
def record_succession(
    actor: Actor,
    predecessor: Agency,
    successors: list[Agency],
    since: datetime.date | None,
    act: str = "",
    note: str = "",
) -> list[AgencySuccession]:
    """Record that a body's work passed to `successors` from `since`, by `act` (audited).

    A body still open-ended is closed the day before (the district bodies: 30/06/2025 for
    successions from 01/07/2025); a successor must exist on that day and not be the body itself.
    """
    require(actor, "manage_agencies")
    if since is None:
        raise ValidationError({"since": _("Give the date from which the successors carry its work.")})
    if not successors:
        raise ValidationError({"successors": _("Choose at least one body.")})
    errors = []
    for successor in successors:
        if successor.pk == predecessor.pk:
            errors.append(_("A body cannot succeed itself."))
        elif not successor.exists_on(since):
            errors.append(
                _("%(name)s did not exist on %(day)s: choose a body that exists.")
                % {"name": successor.full_name, "day": since.strftime("%d/%m/%Y")}
            )
        elif predecessor.successions.filter(successor=successor).exists():
            errors.append(_("%(name)s is already recorded as a successor.") % {"name": successor.full_name})
    ended = predecessor.ended_on
    if ended is not None and ended >= since:
        errors.append(
            _("The body ceased on %(day)s: its successors carry its work from a later day.")
            % {"day": ended.strftime("%d/%m/%Y")}
        )
    if errors:
        raise ValidationError({"successors": errors})
    earlier = [str(s.successor) for s in predecessor.successions.select_related("successor__unit")]
    before = {
        "valid_to": predecessor.valid_to.isoformat() if predecessor.valid_to else None,
        "successors": earlier,
    }
    if ended is None:
        predecessor.valid_to = since - datetime.timedelta(days=1)
        predecessor.save(update_fields=["valid_to"])
    made = [
        AgencySuccession.objects.create(
            predecessor=predecessor, successor=s, date=since, act=act.strip()[:200], note=note.strip()[:300]
        )
        for s in successors
    ]
    after = {"valid_to": predecessor.ended_on.isoformat() if predecessor.ended_on else None,
             "successors": earlier + [str(s) for s in successors], "since": since.isoformat(), "act": act}  # fmt: skip
    record(actor, Action.UPDATE, predecessor, before=before, after=after, message=act.strip())
    return made
