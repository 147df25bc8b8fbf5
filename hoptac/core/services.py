"""Helpers every service function uses: permission refusal and saving with validation."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _


class Conflict(Exception):
    """The action conflicts with the object's state (e.g. locked, approved data): HTTP 409."""


def apply_fields(instance: models.Model, data: dict, allowed: set[str]) -> None:
    unknown = set(data) - allowed
    if unknown:
        raise ValidationError({name: _("This field cannot be set here.") for name in sorted(unknown)})
    for name, value in data.items():
        setattr(instance, name, value)


def validate(instance: models.Model, exclude: list[str] | None = None) -> None:
    """Model validation (field validators, clean(), unique constraints) before any write."""
    instance.full_clean(exclude=exclude)
