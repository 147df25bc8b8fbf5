"""DRF's serializers, strict: a field the client sends that the serializer would ignore is a 400.

Apps import `from hoptac.core import serializers` instead of DRF's module (everything else is
re-exported as is). A key that names no field, or a read-only field given a value other than its
own, is refused with a message per key (sending back the document as read is fine); a serializer
says how a read-only field is changed in `Meta.read_only_hints` (field → text).
Without this a client sending `founded_on` for `registration_date`, or `status` to a PATCH, got a
200 and lost the value without knowing.
"""

from collections.abc import Mapping

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers as drf
from rest_framework.serializers import *  # noqa: F403  (the rest of DRF's module, unchanged)
from rest_framework.serializers import ValidationError

# Keys every write accepts whatever the serializer: none today (If-Match travels as a header).
ALWAYS_ACCEPTED: frozenset[str] = frozenset()


def unexpected_fields(serializer: drf.Serializer, data) -> dict[str, list[str]]:
    """Keys of `data` the serializer would drop, each with the reason (and the way, where there is one)."""
    if not isinstance(data, Mapping):
        return {}
    fields = serializer.fields
    hints = getattr(getattr(serializer, "Meta", None), "read_only_hints", {})
    errors = {}
    for key in data:
        if key in ALWAYS_ACCEPTED:
            continue
        field = fields.get(key)
        if field is None:
            errors[key] = [str(_("Unknown field: this API has no field of that name."))]
        elif field.read_only or isinstance(field, drf.HiddenField):
            if _unchanged(serializer, field, data[key]):
                continue  # a PUT of the document as read back: nothing would be lost
            message = str(_("This field is read-only."))
            if key in hints:
                message = f"{message} {hints[key]}"
            errors[key] = [message]
    return errors


def _unchanged(serializer, field, value) -> bool:
    """True when an update sends a read-only field with the value it already has."""
    instance = getattr(serializer, "instance", None)
    if instance is None or isinstance(field, drf.HiddenField):
        return False
    try:
        current = field.to_representation(field.get_attribute(instance))
    except Exception:  # noqa: BLE001 — a value that cannot be read back cannot be "unchanged"
        return False
    return value == current or (value is None and current is None) or str(value) == str(current)


class StrictInputMixin:
    # Refuses unknown and read-only keys (400 naming each) before DRF would silently drop them.
    # (A comment, not a docstring: drf-spectacular would show a docstring on every component.)

    def to_internal_value(self, data):
        errors = unexpected_fields(self, data)
        if errors:
            try:
                super().to_internal_value(data)
            except ValidationError as exc:
                if isinstance(exc.detail, dict):
                    errors = {**exc.detail, **errors}
            raise ValidationError(errors)
        return super().to_internal_value(data)


class Serializer(StrictInputMixin, drf.Serializer):
    pass


class ModelSerializer(StrictInputMixin, drf.ModelSerializer):
    pass


class HyperlinkedModelSerializer(StrictInputMixin, drf.HyperlinkedModelSerializer):
    pass
