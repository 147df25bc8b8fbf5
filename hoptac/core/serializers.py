"""DRF's serializers, strict: a field the client sends that the serializer would ignore is a 400.

Apps import `from hoptac.core import serializers` instead of DRF's module (everything else is
re-exported as is). A key that names no field, or a read-only field given a value other than its
own, is refused with a message per key (sending back the document as read is fine); a serializer
says how a read-only field is changed in `Meta.read_only_hints` (field → text).
Without this a client sending `founded_on` for `registration_date`, or `status` to a PATCH, got a
200 and lost the value without knowing.
"""

from collections.abc import Mapping
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers as drf
from rest_framework.serializers import *  # noqa: F403  (the rest of DRF's module, unchanged)
from rest_framework.serializers import ValidationError

from hoptac.core.concurrency import VERSION_FIELD, check_version

# Keys every write accepts whatever the serializer: none today (If-Match travels as a header).
ALWAYS_ACCEPTED: frozenset[str] = frozenset()


def unexpected_fields(serializer: drf.Serializer, data) -> dict[str, list[str]]:
    """Keys of `data` the serializer would drop, each with the reason (and the way, where there is one)."""
    if not isinstance(data, Mapping):
        return {}
    fields = serializer.fields
    hints = {
        VERSION_FIELD: str(
            _("Send the version you read as the If-Match header instead (a stale one is a 412).")
        ),
        **getattr(getattr(serializer, "Meta", None), "read_only_hints", {}),
    }
    errors = {}
    for key in data:
        if key in ALWAYS_ACCEPTED:
            continue
        field = fields.get(key)
        if field is None:
            errors[key] = [str(_("Unknown field: this API has no field of that name."))]
        elif field.read_only or isinstance(field, drf.HiddenField):
            if key == VERSION_FIELD and getattr(serializer, "instance", None) is None:
                continue  # a GET body sent back to an APIView or a create: If-Match decides, not the body
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


def refuse_stale(serializer: drf.Serializer, data) -> None:
    """An update from an older version of the record is a 412 (StaleVersion), not a list of read-only errors.

    The version is the `If-Match` header's (in the context as `expected_version`), else the `version`
    of a GET body sent back: a stale document differs from the record in its read-only fields
    (`updated_at`…) only because someone saved meanwhile, and the client needs the current record.
    """
    instance = getattr(serializer, "instance", None)
    if instance is None or not isinstance(data, Mapping) or VERSION_FIELD not in serializer.fields:
        return
    if not isinstance(getattr(instance, VERSION_FIELD, None), int):
        return
    expected = serializer.context.get("expected_version")
    if expected is None and str(data.get(VERSION_FIELD, "")).isdigit():
        expected = data[VERSION_FIELD]
    check_version(instance, expected)


if TYPE_CHECKING:  # the mixin always sits in front of a DRF serializer
    _StrictBase = drf.Serializer
else:
    _StrictBase = object


class StrictInputMixin(_StrictBase):
    # Refuses unknown and read-only keys (400 naming each) before DRF would silently drop them.
    # (A comment, not a docstring: drf-spectacular would show a docstring on every component.)

    def to_internal_value(self, data):
        refuse_stale(self, data)
        errors = unexpected_fields(self, data)
        if errors:
            try:
                super().to_internal_value(data)
            except ValidationError as exc:
                if isinstance(exc.detail, dict):
                    errors = {**exc.detail, **errors}  # type: ignore[dict-item]
            raise ValidationError(errors)
        return super().to_internal_value(data)


class Serializer(StrictInputMixin, drf.Serializer):  # type: ignore[no-redef]  # replaces the star-imported one
    pass


class ModelSerializer(StrictInputMixin, drf.ModelSerializer):  # type: ignore[no-redef]
    pass


class HyperlinkedModelSerializer(StrictInputMixin, drf.HyperlinkedModelSerializer):  # type: ignore[no-redef]
    pass
