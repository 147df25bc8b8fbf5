"""Form field for a unit given by its ref ("44", "464", "19363", "old:45", "75@2026-01-01")."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from hoptac.geo.models import AdministrativeUnit


def resolve_ref(ref: str) -> AdministrativeUnit:
    """A unit from its ref, or a ValidationError that a form or the API can show."""
    try:
        return AdministrativeUnit.objects.select_related("parent", "province").get_by_ref(ref)
    except ValueError as exc:
        # Messages carry the client's text as params, never pre-formatted: "%s" in a ref is formatted once.
        raise ValidationError("%(reason)s", code="invalid_ref", params={"reason": str(exc)}) from exc
    except AdministrativeUnit.MultipleObjectsReturned as exc:
        raise ValidationError(
            _("“%(ref)s” names several units; write it with a date (e.g. 75@2026-01-01)."),
            code="ambiguous_ref",
            params={"ref": ref},
        ) from exc
    except AdministrativeUnit.DoesNotExist as exc:
        if "@" in ref:
            code, _sep, day = ref.partition("@")
            raise ValidationError(
                _("No administrative unit with the code “%(code)s” existed on %(day)s."),
                code="unknown_ref",
                params={"code": code.strip(), "day": day.strip()},
            ) from exc
        raise ValidationError(
            _("No administrative unit has the code “%(ref)s”."), code="unknown_ref", params={"ref": ref}
        ) from exc


class UnitRefField(forms.CharField):
    def clean(self, value):
        value = super().clean(value)
        return resolve_ref(value) if value else None
