"""Who is acting, and how every write records itself.

Service functions take an `Actor` and call `record()` inside their transaction, so a write
and its audit entry commit or roll back together.
"""

from __future__ import annotations

import datetime
import decimal
import os
import sys
import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, cast

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.fields.files import FieldFile

from hoptac.core import changes
from hoptac.core.cache import bump_on_commit
from hoptac.core.models import Action, AuditEntry, Source

if TYPE_CHECKING:  # annotations only: core imports no app at run time (docs/development.md, Layers)
    from django.contrib.auth.models import AnonymousUser

    from hoptac.accounts.models import User


@dataclass(frozen=True)
class Actor:
    """The user behind a write and the channel it came through."""

    # The signed-in user; AnonymousUser for a request without one; None for a command or the system.
    user: User | AnonymousUser | None
    source: str
    request_id: str = field(default_factory=lambda: uuid.uuid4().hex)

    @classmethod
    def from_request(cls, request, source: str = Source.WEB) -> Actor:
        return cls(
            user=request.user, source=source, request_id=getattr(request, "request_id", uuid.uuid4().hex)
        )

    @classmethod
    def command(cls, user: User | None = None) -> Actor:
        return cls(user=user, source=Source.COMMAND)

    @property
    def account(self) -> User | None:
        """The signed-in user to store (audit entries, `created_by`); None for anonymous and commands."""
        return cast("User | None", self.user if getattr(self.user, "is_authenticated", False) else None)

    @property
    def user_name(self) -> str:
        """The account's name; for a command without one, the command line ("hoptac import")."""
        name = getattr(self.user, "username", "")
        if name:
            return name
        if self.source == Source.SYSTEM:
            return "system"
        return command_line() if self.source == Source.COMMAND else ""


def command_line() -> str:
    """ "hoptac import" while `hoptac import …` runs (or manage.py); "" under another program."""
    argv = sys.argv
    program = os.path.basename(argv[0]) if argv else ""
    if program in ("hoptac", "manage.py", "django-admin") and len(argv) > 1 and not argv[1].startswith("-"):
        return f"hoptac {argv[1]}"[:150]
    return ""


def _plain(value):
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, FieldFile):
        return value.name or ""
    return value


def snapshot(instance: models.Model) -> dict:
    """The concrete field values of an instance as JSON-ready data (foreign keys as ids)."""
    data = {}
    for f in instance._meta.concrete_fields:
        if f.name in (
            "search_key",
            "name_key",
            "updated_at",
            "version",
        ):  # derived, or the entry's own timestamp
            continue
        data[f.name] = _plain(getattr(instance, f.attname))
    return data


def _bump_on_commit() -> None:
    """Every cached value is stale once this write commits (a write no area can hold)."""
    bump_on_commit()


def record(
    actor: Actor, action: str, instance: models.Model, before=None, after=None, message: str = ""
) -> AuditEntry:
    changes.written([(instance, before, after)])  # derived data and the areas' cached values
    return AuditEntry.objects.create(
        user=actor.account,
        user_name=actor.user_name,
        source=actor.source,
        request_id=actor.request_id,
        action=action,
        content_type=ContentType.objects.get_for_model(instance, for_concrete_model=True),
        object_id=str(instance.pk),
        object_repr=str(instance)[:255],
        before=before,
        after=after,
        message=message,
    )


def record_many(
    actor: Actor,
    action: str,
    instances: list,
    afters: list[dict] | None = None,
    befores: list[dict] | None = None,
) -> None:
    """One audit entry per instance, written in bulk: the same trail as record(), for batches."""
    if not instances:
        return
    changes.written([(obj, None, afters[i] if afters else None) for i, obj in enumerate(instances)])
    _create_entries(actor, action, instances, afters, befores)


def record_deleted(actor: Actor, instances: list, befores: list[dict]) -> None:
    """DELETE entries for rows removed in bulk, each with what it held: the same trail, and the
    same news for the listeners (what the row was), as record(actor, DELETE, row, before=…)."""
    if not instances:
        return
    changes.written([(obj, before, None) for obj, before in zip(instances, befores, strict=True)])
    _create_entries(actor, Action.DELETE, instances, None, befores)


def _create_entries(actor: Actor, action: str, instances: list, afters, befores) -> None:
    user = actor.account
    content_type = ContentType.objects.get_for_model(instances[0], for_concrete_model=True)
    AuditEntry.objects.bulk_create(
        [
            AuditEntry(
                user=user,
                user_name=actor.user_name,
                source=actor.source,
                request_id=actor.request_id,
                action=action,
                content_type=content_type,
                object_id=str(obj.pk),
                object_repr=str(obj)[:255],
                before=befores[i] if befores else None,
                after=afters[i] if afters else None,
            )  # fmt: skip
            for i, obj in enumerate(instances)
        ],
        batch_size=1000,
    )


def history(instance: models.Model):
    """Audit entries of one object, newest first."""
    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(instance, for_concrete_model=True),
        object_id=str(instance.pk),
    ).select_related("content_type", "user__unit", "user__agency", "user__organisation")


def _many_ids(instance: models.Model, names) -> dict:
    return {name: sorted(getattr(instance, name).values_list("pk", flat=True)) for name in names or ()}


def _stored_form(model, name: str, value):
    """A decimal as the database gives it back (60 → 60.00), so an unchanged row compares equal."""
    field = model._meta.get_field(name)
    if isinstance(field, models.DecimalField) and value is not None:
        return decimal.Decimal(value).quantize(decimal.Decimal(1).scaleb(-field.decimal_places))
    return value


def upsert(actor: Actor, model, lookup: dict, values: dict, many: dict | None = None):
    """Create or update the row found by `lookup` (the seed loaders), audited like any other write.

    `many` sets many-to-many fields ({name: objects}); their ids are part of the audit entry. An
    unchanged row is neither saved nor audited, so a second run of a loader leaves no trace.
    Returns (instance, created).
    """
    values = {name: _stored_form(model, name, value) for name, value in values.items()}
    instance = model._default_manager.filter(**lookup).first()
    created = instance is None
    if created:
        instance = model(**lookup, **values)
        instance.save()
        before = None
    else:
        before = {**snapshot(instance), **_many_ids(instance, many)}
        for name, value in values.items():
            setattr(instance, name, value)
        if snapshot(instance) != {k: v for k, v in before.items() if k not in (many or {})}:
            instance.save()
    for name, objects in (many or {}).items():
        getattr(instance, name).set(objects)
    after = {**snapshot(instance), **_many_ids(instance, many)}
    if created:
        record(actor, Action.CREATE, instance, after=after)
    elif after != before:
        record(actor, Action.UPDATE, instance, before=before, after=after)
    return instance, created
