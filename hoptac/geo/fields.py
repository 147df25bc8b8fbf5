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


def resolve_name(text: str, levels: list[str] | None = None) -> AdministrativeUnit:
    """The one unit a typed name means ("Huyện Vĩnh Linh", "vinh linh cu"), or a ValidationError listing the candidates."""
    from hoptac.core.text import fold
    from hoptac.geo.picker import label, pick, without_type

    found = pick(text, levels=levels, limit=6)
    phrase = " ".join(fold(text).split())
    exact = [u for u in found if phrase in (fold(u.name), without_type(fold(u.name)))]
    if len(found) == 1 or len(exact) == 1:
        return (exact or found)[0]
    if not found:
        raise ValidationError(
            _("No administrative unit is named “%(text)s”."), code="unknown_ref", params={"text": text}
        )
    raise ValidationError(
        _("“%(text)s” names several units (%(units)s); choose one from the list or write its code."),
        code="ambiguous_ref",
        params={"text": text, "units": "; ".join(f"{label(u)}: {u.ref}" for u in found[:5])},
    )


def resolve_typed(text: str, levels: list[str] | None = None) -> AdministrativeUnit:
    """What a person typed in a unit box: a ref ("464", "old:45") or a name that names one unit."""
    text = (text or "").strip()
    if any(ch.isalpha() for ch in text.lower().replace("old:", "")):
        return resolve_name(text, levels)
    return resolve_ref(text)


class UnitRefField(forms.CharField):
    """A unit given by its ref or, typed in the picker without choosing, by a name that names one unit."""

    def __init__(self, *args, levels=None, within=None, **kwargs):
        from hoptac.geo.widgets import UnitPickerWidget

        self.levels = list(levels or [])
        kwargs.setdefault("widget", UnitPickerWidget(levels=self.levels, within=within))
        super().__init__(*args, **kwargs)

    def prepare_value(self, value):
        return value.ref if isinstance(value, AdministrativeUnit) else value

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        return resolve_typed(value, self.levels)


class UnitPickField(forms.ModelChoiceField):
    """A unit chosen with the picker among `queryset` (e.g. the communes of the account's area).

    The box holds the unit's ref; a typed name that names one unit is accepted; a unit outside
    the queryset is refused as an invalid choice.
    """

    def __init__(self, *args, levels=None, generation=None, within=None, **kwargs):
        from hoptac.geo.widgets import UnitPickerWidget

        self.levels = list(levels or [])
        kwargs.setdefault(
            "widget", UnitPickerWidget(levels=self.levels, generation=generation, within=within)
        )
        super().__init__(*args, **kwargs)

    def prepare_value(self, value):
        if isinstance(value, AdministrativeUnit):
            return value.ref
        if isinstance(value, int):  # an initial value: the primary key of the instance's unit
            unit = AdministrativeUnit.objects.filter(pk=value).first()
            return unit.ref if unit else ""
        return value

    def to_python(self, value):
        if value in self.empty_values:
            return None
        unit = value if isinstance(value, AdministrativeUnit) else resolve_typed(str(value), self.levels)
        if not self.queryset.filter(pk=unit.pk).exists():
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return unit

    def validate(self, value):
        forms.Field.validate(self, value)
