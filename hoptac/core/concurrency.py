"""Optimistic concurrency: two people editing the same record never silently overwrite each other.

Every editable record carries a `version` counter (`Versioned`), raised by one on every save.
Whoever edits says which version they started from: the API through `If-Match: "<version>"`
(the `ETag` of the GET), the web forms through a hidden `version` field. The service function,
holding the row lock, compares it with the stored version (`check_version`) and refuses a stale
one with `StaleVersion` (a Conflict): the API answers 412 with the current version and
representation, a form is shown again with the other person's change beside the user's.

A write without a version (an API call without `If-Match`, an import, a command) is accepted:
the last writer wins, as before. Web forms always send the version.
"""

from __future__ import annotations

import datetime
import decimal
import re
from typing import TYPE_CHECKING, Any

from django import forms
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import status
from rest_framework.response import Response

from hoptac.core.services import Conflict

if TYPE_CHECKING:  # the mixin goes on DRF views: type it as one, without changing its bases
    from rest_framework.generics import GenericAPIView as _ViewBase
else:
    _ViewBase = object

VERSION_FIELD = "version"


class Versioned(models.Model):
    """Abstract base: a `version` counter raised on every save (not by queryset.update())."""

    version = models.PositiveIntegerField(
        gettext_lazy("version"),
        default=1,
        editable=False,
        help_text=gettext_lazy("Raised by one on every save; the API's ETag."),
    )

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            self.version = (self.version or 0) + 1
            update_fields = kwargs.get("update_fields")
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, VERSION_FIELD}
        super().save(*args, **kwargs)


class StaleVersion(Conflict):
    """The record changed since the caller read it (HTTP 412); carries the current record."""

    def __init__(self, instance: Any, expected):  # a Versioned model
        self.instance = instance
        self.expected = expected
        self.current = instance.version
        super().__init__(
            _(
                "Someone else changed this record after you opened it (you had version %(expected)s, it is "
                "now version %(current)s). Nothing was saved: look at their change, then save again."
            )
            % {"expected": expected, "current": instance.version}
        )


def check_version(instance: Any, expected) -> None:  # a Versioned model
    """Refuse a write that started from another version than the stored one.

    `expected` is None (no version given: accepted), "*" (any existing version) or a number.
    Call it in the service after `select_for_update()`, so no other write slips in between.
    """
    if expected is None or expected == "*":
        return
    try:
        same = int(expected) == instance.version
    except (TypeError, ValueError):
        same = False
    if not same:
        raise StaleVersion(instance, expected)


def etag(version) -> str:
    """Strong entity tag of a version: `"3"`."""
    return f'"{version}"'


_TAG = re.compile(r'\s*(W/)?"([^"]*)"\s*')


def parse_if_match(header: str | None):
    """The version an `If-Match` header names: None if absent, "*" for any, else a string.

    Weak tags (W/"3") never match (RFC 9110 §13.1.1 asks a strong comparison); of several tags
    the first strong one is used; anything unreadable is kept as given so that it fails to match.
    """
    if header is None or not header.strip():
        return None
    header = header.strip()
    if header == "*":
        return "*"
    weak = None
    for part in header.split(","):
        found = _TAG.fullmatch(part)
        if found and not found.group(1):
            return found.group(2)
        if found:
            weak = "W/" + found.group(2)
    return weak or header


# ---- API ----------------------------------------------------------------------------------

IF_MATCH_DOC = (
    'Optimistic concurrency: send `If-Match: "<version>"` (the `ETag` of the GET, also the '
    "`version` field) to have a stale write refused with 412 and the current record; without "
    "`If-Match` the write is accepted (the last writer wins)."
)


class ConditionalMixin(_ViewBase):
    """For viewsets and APIViews: `ETag` on every single-record response, `If-Match` honoured.

    Serializers find the expected version in their context (`expected_version`) and pass it to
    the service; `expected_version()` gives it to views that call services directly. A
    StaleVersion becomes 412 with `current_version` and `current` (the record as it is now).
    """

    def expected_version(self):
        return parse_if_match(self.request.headers.get("If-Match"))

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "expected_version": self.expected_version()}

    def current_representation(self, instance):
        """The record as the GET shows it (APIViews without get_serializer override this)."""
        return self.get_serializer(instance).data

    def handle_exception(self, exc):
        if isinstance(exc, StaleVersion):
            response = Response(
                {
                    "error": "stale_version",  # the one error body's machine code (hoptac.core.api)
                    "detail": str(exc),
                    "code": "stale_version",
                    "current_version": exc.current,
                    "current": self.current_representation(exc.instance),
                },
                status=status.HTTP_412_PRECONDITION_FAILED,
            )
            response["ETag"] = etag(exc.current)
            return response
        return super().handle_exception(exc)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        data = getattr(response, "data", None)
        if (
            200 <= response.status_code < 300
            and isinstance(data, dict)
            and data.get(VERSION_FIELD) is not None
            and not response.has_header("ETag")
        ):
            response["ETag"] = etag(data[VERSION_FIELD])
        return response


# ---- web forms ----------------------------------------------------------------------------


def add_version_field(form, instance) -> None:
    """A hidden `version` field on the edit form of an existing record (the version shown)."""
    if instance is None or instance.pk is None or not hasattr(instance, VERSION_FIELD):
        return
    form.fields[VERSION_FIELD] = forms.IntegerField(
        widget=forms.HiddenInput, required=False, initial=instance.version
    )
    form.initial.setdefault(VERSION_FIELD, instance.version)


def pop_version(cleaned_data: dict):
    """The version the form was opened at, taken out of the data given to the service."""
    return cleaned_data.pop(VERSION_FIELD, None)


def _comparable(value):
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, models.QuerySet):
        return sorted(o.pk for o in value)
    if value in ("", None):
        return None
    return value


def _display(field: forms.Field, value) -> str:
    from hoptac.core.templatetags.vn import number

    if value in ("", None) or value == []:
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    choices = getattr(field, "choices", None)
    if choices and not isinstance(value, models.Model):
        flat = {}
        for key, label in choices:
            if isinstance(label, (list, tuple)):
                flat.update({str(k): v for k, v in label})
            else:
                flat[str(key)] = label
        if str(value) in flat:
            return str(flat[str(value)])
    if isinstance(value, (int, decimal.Decimal)) and not isinstance(value, bool):
        return number(value)
    return str(value)


def conflict_rows(form, current: models.Model) -> list[dict]:
    """Field by field (by label), the value now saved beside the one the user sent, where they differ."""
    rows = []
    for name, field in form.fields.items():
        if name == VERSION_FIELD or name not in form.cleaned_data:
            continue
        try:
            saved = current._meta.get_field(name)
        except Exception:  # a form-only field (confirmation, file) has nothing saved to compare
            continue
        stored: Any
        if saved.many_to_many:
            stored = list(getattr(current, name).all()) if current.pk else []
        else:
            stored = getattr(current, name, None)
        yours = form.cleaned_data[name]
        if isinstance(yours, models.QuerySet):
            yours = list(yours)
        if isinstance(stored, list):
            differ = sorted(o.pk for o in stored) != sorted(o.pk for o in yours or [])
            stored_text = ", ".join(str(o) for o in stored) or "—"
            yours_text = ", ".join(str(o) for o in yours or []) or "—"
        else:
            if isinstance(saved, models.FileField):
                continue
            differ = _comparable(stored) != _comparable(yours)
            stored_text, yours_text = _display(field, stored), _display(field, yours)
        if differ:
            rows.append({"label": str(field.label or name), "theirs": stored_text, "yours": yours_text})
    return rows


def show_conflict(form, exc: StaleVersion) -> dict:
    """Prepare the form to be shown again after a stale save: the user's values kept, the version
    moved to the current one (saving again is a conscious overwrite), and the comparison."""
    from hoptac.core.audit import history

    data = form.data.copy()
    data[form.add_prefix(VERSION_FIELD)] = str(exc.current)
    form.data = data
    form.add_error(None, str(exc))
    last = history(exc.instance).first()
    return {
        "conflict": {
            "rows": conflict_rows(form, exc.instance),
            "by": last.user_name if last else "",
            "at": last.timestamp if last else None,
        }
    }


# ---- OpenAPI ------------------------------------------------------------------------------

_STALE_SCHEMA = {
    "type": "object",
    "description": "The record changed since the version named in If-Match; nothing was written.",
    "properties": {
        "error": {"type": "string", "enum": ["stale_version"]},
        "detail": {"type": "string", "description": "What happened, in Vietnamese."},
        "code": {"type": "string", "enum": ["stale_version"]},
        "current_version": {"type": "integer", "description": "The stored version (also the ETag)."},
        "current": {"type": "object", "description": "The record as it is now, as GET shows it."},
    },
    "required": ["error", "detail", "code", "current_version", "current"],
}


def openapi_conditional(result, generator, request, public):
    """drf-spectacular hook: document If-Match, 412 and ETag on the operations that honour them."""
    result.setdefault("components", {}).setdefault("schemas", {})["StaleVersion"] = _STALE_SCHEMA
    info = result.setdefault("info", {})
    info["description"] = (info.get("description", "") + "\n\n" + IF_MATCH_DOC).strip()
    for path, _regex, method, view in generator._get_paths_and_endpoints():
        operation = result.get("paths", {}).get(path, {}).get(method.lower())
        if operation is None or not isinstance(view, ConditionalMixin):
            continue
        action = getattr(view, "action", None) or method.lower()
        writes = method in ("PUT", "PATCH", "DELETE") or action in getattr(view, "if_match_actions", ())
        if writes:
            operation.setdefault("parameters", []).append(
                {"in": "header", "name": "If-Match", "required": False, "schema": {"type": "string"},
                 "description": IF_MATCH_DOC}
            )  # fmt: skip
            operation.setdefault("responses", {})["412"] = {
                "description": "Stale If-Match: the record changed meanwhile (current version and record inside).",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/StaleVersion"}}},
            }
        if action in ("retrieve", "update", "partial_update", "get", "put"):
            for code, response in operation.get("responses", {}).items():
                if code.startswith("2"):
                    response.setdefault("headers", {})["ETag"] = {
                        "schema": {"type": "string"},
                        "description": 'Strong tag of the record\'s version, e.g. "3": send it back as If-Match.',
                    }
    return result
