"""Writing a checked file's new organisations fast: plain tuples, `executemany` on SQLite, `COPY`
on PostgreSQL, in the caller's transaction.

The rows were validated once, by the dry run (`importer.prepare`: model validation, places,
tax codes against the registry and the file, the user's area); committing does not validate
them again (that was half the time). It writes what `registry.services.create_organisations`
writes — the organisation with its derived fields, one audit entry per organisation with its
snapshot, and the batch's items for undo — and a test compares the rows of both paths.
"""

from __future__ import annotations

import json

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.utils import timezone
from django.utils.translation import gettext as _

from hoptac.accounts.access import require
from hoptac.core import changes
from hoptac.core.audit import snapshot
from hoptac.core.models import Action, AuditEntry
from hoptac.core.text import fold
from hoptac.imports.models import BatchItem
from hoptac.registry.models import Organisation
from hoptac.registry.services import EDITABLE_FIELDS, apply_fields


def _columns(model) -> list[models.Field]:
    return [f for f in model._meta.concrete_fields if not f.primary_key]


def _converter(field: models.Field, now):
    """How one field's Python value becomes a database parameter, chosen once per field."""
    if isinstance(field, (models.DateTimeField,)) and (field.auto_now or field.auto_now_add):
        value = field.get_db_prep_save(now, connection)
        return lambda _v: value
    if isinstance(field, models.JSONField):
        return lambda v: None if v is None else json.dumps(v, cls=field.encoder)
    if isinstance(field, (models.DateTimeField, models.DateField, models.DecimalField, models.UUIDField)):
        return lambda v: field.get_db_prep_save(v, connection)
    return None  # strings, numbers, booleans, ids go as they are


def insert(model, objects: list | None = None, values: list[dict] | None = None) -> list[int]:
    """Insert unsaved instances (`objects`, given their ids), or plain {attname: value} rows
    (`values`: no model instance is built; missing fields take their defaults); the new ids in order."""
    count = len(objects if objects is not None else values)
    if not count:
        return []
    now = timezone.now()
    fields = _columns(model)
    table = model._meta.db_table
    pk = model._meta.pk.column
    converters = [(f.attname, _converter(f, now)) for f in fields]
    if objects is not None:
        stamped = [
            f.attname for f in fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
        ]
        for obj in objects if stamped else ():
            for name in stamped:
                setattr(obj, name, now)
        rows = [
            tuple(
                getattr(obj, n) if convert is None else convert(getattr(obj, n)) for n, convert in converters
            )
            for obj in objects
        ]
    else:
        defaults = {f.attname: f.get_default() for f in fields}
        rows = [
            tuple(
                row.get(n, defaults[n]) if convert is None else convert(row.get(n, defaults[n]))
                for n, convert in converters
            )
            for row in values
        ]
    names = [f.column for f in fields]
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [table, pk, len(rows)],
            )
            ids = [r[0] for r in cursor.fetchall()]
            columns = ", ".join(quote(c) for c in [pk, *names])
            with cursor.cursor.copy(f"COPY {quote(table)} ({columns}) FROM STDIN") as copy:
                for new_id, row in zip(ids, rows, strict=True):
                    copy.write_row((new_id, *row))
        else:
            cursor.execute(f"SELECT COALESCE(MAX({quote(pk)}), 0) FROM {quote(table)}")
            before = cursor.fetchone()[0]
            placeholders = ", ".join(["%s"] * len(names))
            cursor.executemany(
                f"INSERT INTO {quote(table)} ({', '.join(quote(c) for c in names)}) VALUES ({placeholders})",
                rows,
            )
            # In this transaction the table is ours: the new ids are those above the old maximum.
            cursor.execute(
                f"SELECT {quote(pk)} FROM {quote(table)} WHERE {quote(pk)} > %s ORDER BY 1", [before]
            )
            ids = [r[0] for r in cursor.fetchall()]
    if len(ids) != count:
        raise ValidationError(_("The import met a concurrent change; nothing was imported. Try again."))
    for obj, new_id in zip(objects or (), ids if objects else (), strict=True):
        obj.pk = new_id
    return ids


CHUNK = 5000


def create_organisations(batch, actor, rows: list[dict], instances: list | None = None) -> list[Organisation]:
    """The new organisations of a checked plan, with their audit entries and batch items.
    `instances`: the dry run's validated (unsaved) organisations for these rows, reused as they are."""
    require(actor, "change")  # each row's commune was checked against the area by the dry run
    organisations = []
    for i, data in enumerate(rows):
        organisation = instances[i] if instances and instances[i] is not None else None
        if organisation is None:
            organisation = Organisation()
            apply_fields(organisation, data, EDITABLE_FIELDS)
        organisation.status_since = organisation.status_since or organisation.registration_date
        organisation.search_key = fold(f"{organisation.name} {organisation.tax_code}")
        organisations.append(organisation)
    codes = [o.tax_code for o in organisations if o.tax_code]
    for i in range(0, len(codes), 5000):  # taken since the dry run?
        taken = list(
            Organisation.objects.filter(tax_code__in=codes[i : i + 5000]).values_list("tax_code", flat=True)[
                :5
            ]
        )
        if taken:
            raise ValidationError(
                _("Since the check, another organisation took the tax code %(codes)s; check the file again.")
                % {"codes": ", ".join(taken)}
            )
    content_type = ContentType.objects.get_for_model(Organisation).pk
    user = actor.user.pk if getattr(actor.user, "is_authenticated", False) else None
    common = {"user_id": user, "user_name": actor.user_name, "source": actor.source, "request_id": actor.request_id,
              "action": Action.CREATE, "content_type_id": content_type}  # fmt: skip
    item = {"batch_id": batch.pk, "content_type_id": content_type, "action": "create"}
    for start in range(0, len(organisations), CHUNK):  # the parameters of one chunk at a time in memory
        chunk = organisations[start : start + CHUNK]
        insert(Organisation, chunk)
        insert(
            AuditEntry,
            values=[
                {**common, "object_id": str(o.pk), "object_repr": str(o)[:255], "after": snapshot(o)}
                for o in chunk
            ],
        )
        insert(BatchItem, values=[{**item, "object_id": str(o.pk)} for o in chunk])
    changes.written_many(organisations)  # the figures rollup and the areas' cached values, as record() does
    return organisations
