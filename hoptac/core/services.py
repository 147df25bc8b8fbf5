"""Helpers every service function uses: permission refusal and saving with validation."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.utils.translation import gettext as _

from hoptac.core.audit import Actor


class Conflict(Exception):
    """The action conflicts with the object's state (e.g. locked, approved data): HTTP 409."""


def require_writer(actor: Actor) -> None:
    """Commands run by the operator (no user) may write; a signed-in user needs a write role."""
    if actor.user is not None:
        require_write_role(actor.user)


def require_write_role(user) -> None:
    """403 for an account that may only read (views check it before showing a form)."""
    if not getattr(user, "is_authenticated", False) or not user.can_write:
        raise PermissionDenied(_("Your account can read but not change this data."))


def apply_fields(instance: models.Model, data: dict, allowed: set[str]) -> None:
    unknown = set(data) - allowed
    if unknown:
        raise ValidationError({name: _("This field cannot be set here.") for name in sorted(unknown)})
    for name, value in data.items():
        setattr(instance, name, value)


def validate(instance: models.Model, exclude: list[str] | None = None) -> None:
    """Model validation (field validators, clean(), unique constraints) before any write."""
    instance.full_clean(exclude=exclude)
