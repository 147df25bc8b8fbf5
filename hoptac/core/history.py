"""Audit entries and import batch items as people read them.

The trail stores field names and raw values (`status: "active"`, `commune: 19363`, a nested
snapshot as a dict); pages show the field's label, a choice's label, a related object by its
name with a link, dates as dd/mm/yyyy, times in local time, and the author by name and role
("quangtri — cán bộ, Tỉnh Quảng Trị"; a command as "dòng lệnh: hoptac import"). Generic over
models through their `_meta`, so core names no domain; related objects are fetched once per
model for a whole page of entries.
"""

from __future__ import annotations

import datetime
import decimal
from dataclasses import dataclass, field

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from hoptac.core import numbers
from hoptac.core.models import Action, Source

HIDDEN = {"id", "search_key", "updated_at", "created_at", "version"}


@dataclass
class Shown:
    """A value as shown: its text and, for a related object, the link to it."""

    text: str
    url: str = ""


@dataclass
class Change:
    label: str
    old: Shown
    new: Shown


@dataclass
class EntryView:
    entry: object
    timestamp: datetime.datetime
    author: str
    action: str
    message: str
    changes: list[Change] = field(default_factory=list)


@dataclass
class ItemView:
    action: str
    kind: str
    text: str
    url: str = ""


def _field(model, name: str):
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def field_label(model, name: str) -> str:
    f = _field(model, name)
    if f is not None and getattr(f, "verbose_name", None):
        return capfirst(str(f.verbose_name))
    nested = _nested_model(model, name)
    if nested is not None:
        return capfirst(str(nested._meta.verbose_name))
    return capfirst(name.replace("_", " "))


def _nested_model(model, name: str):
    """The model of a nested snapshot stored under `name` (a certification of a product, a step of a case)."""
    if model is None:
        return None
    for rel in model._meta.related_objects:
        related = rel.related_model
        if related._meta.model_name == name.replace("_", "") or rel.get_accessor_name() == name:
            return related
    return None


def _plain(value) -> str:
    if value is None or value == "":
        return "—"
    if value is True:
        return _("yes")
    if value is False:
        return _("no")
    if isinstance(value, (int, float, decimal.Decimal)):
        return numbers.number(value, decimals=0 if float(value).is_integer() else 2)
    if isinstance(value, str):
        return _date_text(value) or value
    if isinstance(value, (list, tuple)):
        return ", ".join(_plain(v) for v in value) or "—"
    if isinstance(value, dict):
        return "; ".join(f"{capfirst(str(k).replace('_', ' '))}: {_plain(v)}" for k, v in value.items())
    return str(value)


def _date_text(text: str) -> str:
    """An ISO date or date-time stored by the trail, as dd/mm/yyyy (local time for a date-time)."""
    if len(text) < 10 or text[4:5] != "-" or text[7:8] != "-":
        return ""
    try:
        if len(text) == 10:
            return numbers.date(datetime.date.fromisoformat(text))
        moment = datetime.datetime.fromisoformat(text)
    except ValueError:
        return ""
    return numbers.moment(moment)


class _Related:
    """Related objects wanted by a page of entries, fetched once per model."""

    def __init__(self):
        self.wanted: dict[type[models.Model], set] = {}
        self.found: dict[tuple[type[models.Model], str], models.Model] = {}

    def want(self, model, value):
        for pk in value if isinstance(value, list) else [value]:
            if pk not in (None, ""):
                self.wanted.setdefault(model, set()).add(pk)

    def fetch(self):
        for model, ids in self.wanted.items():
            for obj in model._default_manager.filter(pk__in=list(ids)):
                self.found[(model, str(obj.pk))] = obj

    def shown(self, model, pk) -> Shown:
        obj = self.found.get((model, str(pk)))
        if obj is None:
            return Shown(
                _("%(kind)s no. %(id)s (no longer exists)") % {"kind": model._meta.verbose_name, "id": pk}
            )
        url = obj.get_absolute_url() if hasattr(obj, "get_absolute_url") else ""
        return Shown(str(obj), url)


def _relation(model, name: str):
    f = _field(model, name)
    if f is not None and f.is_relation and (f.many_to_one or f.one_to_one or f.many_to_many):
        return f.related_model
    return None


def _show(model, name: str, value, related: _Related) -> Shown:
    f = _field(model, name)
    target = _relation(model, name)
    if target is not None and value not in (None, ""):
        if isinstance(value, list):
            shown = [related.shown(target, pk) for pk in value]
            return Shown(", ".join(s.text for s in shown) or "—")
        return related.shown(target, value)
    if f is not None and getattr(f, "choices", None) and value not in (None, ""):
        labels = dict(f.flatchoices)
        if value in labels:
            return Shown(str(labels[value]))
    nested = _nested_model(model, name) if f is None else None
    if nested is not None and isinstance(value, dict):
        parts = []
        for key, inner in value.items():
            if key in HIDDEN or (_relation(nested, key) is model):
                continue
            parts.append(f"{field_label(nested, key)}: {_show(nested, key, inner, related).text}")
        return Shown("; ".join(parts) or "—")
    return Shown(_plain(value))


def _lowerfirst(text: str) -> str:
    return text[:1].lower() + text[1:] if text else text


def author(entry) -> str:
    """ "quangtri — cán bộ, Tỉnh Quảng Trị"; a command: "dòng lệnh: hoptac import"."""
    user = entry.user
    if entry.source == Source.COMMAND:
        command = entry.user_name if (entry.user_name or "").startswith("hoptac") else "hoptac"
        said = _("command line: %(command)s") % {"command": command}
        return f"{user.username} ({said})" if user is not None else said
    if entry.source == Source.SYSTEM:
        return _("the system")
    if user is None:
        return entry.user_name or "—"
    role = _lowerfirst(str(user.get_role_display())) if hasattr(user, "get_role_display") else ""
    place = (
        getattr(user, "organisation", None) or getattr(user, "agency", None) or getattr(user, "unit", None)
    )
    described = ", ".join(str(p) for p in (role, place) if p)
    text = f"{user.username} — {described}" if described else user.username
    if entry.source in (Source.API, Source.IMPORT):
        text += f" ({entry.get_source_display()})"
    return text


def describe_entries(entries) -> list[EntryView]:
    entries = list(entries)
    related = _Related()
    plans = []
    for entry in entries:
        model = entry.content_type.model_class() if entry.content_type_id else None
        before, after = entry.before or {}, entry.after or {}
        keys = [k for k in dict.fromkeys([*before, *after]) if k not in HIDDEN]
        changed = [k for k in keys if before.get(k) != after.get(k)]
        if entry.action == Action.CREATE:
            changed = []  # a new object: its page shows what it holds
        for key in changed:
            target = _relation(model, key) if model else None
            if target is not None:
                related.want(target, before.get(key))
                related.want(target, after.get(key))
        plans.append((entry, model, changed, before, after))
    related.fetch()
    views = []
    for entry, model, changed, before, after in plans:
        changes = [
            Change(
                field_label(model, key) if model else key,
                _show(model, key, before.get(key), related) if key in before else Shown("—"),
                _show(model, key, after.get(key), related),
            )
            for key in changed
        ]
        views.append(
            EntryView(
                entry=entry,
                timestamp=timezone.localtime(entry.timestamp),
                author=author(entry),
                action=str(entry.get_action_display()),
                message=entry.message,
                changes=changes,
            )
        )
    return views


ITEM_ACTIONS = {"create": Action.CREATE.label, "update": Action.UPDATE.label, "delete": Action.DELETE.label}


def describe_items(items) -> list[ItemView]:
    """Import batch items: what was created or changed, by name with a link (one query per model)."""
    items = list(items)
    related = _Related()
    for item in items:
        related.want(item.content_type.model_class(), item.object_id)
    related.fetch()
    views = []
    for item in items:
        model = item.content_type.model_class()
        shown = related.shown(model, item.object_id)
        label = ITEM_ACTIONS.get(item.action)
        views.append(
            ItemView(
                action=str(label) if label else item.action,
                kind=capfirst(str(model._meta.verbose_name)),
                text=shown.text,
                url=shown.url,
            )
        )
    return views
