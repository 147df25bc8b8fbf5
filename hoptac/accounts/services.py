"""Account writes: creating users and issuing API tokens, audited like every other write."""

from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from hoptac.accounts.models import Role, User
from hoptac.core.audit import Actor, record, snapshot
from hoptac.core.models import Action


def _require_admin(actor: Actor) -> None:
    user = actor.user
    if user is None:
        return
    if not (user.is_superuser or getattr(user, "role", None) == Role.ADMIN):
        raise PermissionDenied(_("Only an administrator manages accounts."))


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
    _require_admin(actor)
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
        _require_admin(actor)
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
