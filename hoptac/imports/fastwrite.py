"""Writing a checked file's organisations fast: plain tuples, `executemany` on SQLite, `COPY` on
PostgreSQL, in the caller's transaction.

The rows were checked once, by the dry run (`importer.prepare`: the model's checks, places, tax
codes against the registry and the file, the user's area); committing does not check them again
and builds no model instance for a new organisation. It writes what the registry's services
write — the organisation with its derived fields (`search_key`, `status_since`, the version,
the timestamps), one audit entry per organisation with its snapshot (before and after for a
change), and the batch's items for undo — and the tests compare the rows of both paths.
Rows go in chunks of 5,000: the parameters of one chunk at a time are in memory.
"""

from __future__ import annotations

import copy
import datetime
import json

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.utils import timezone
from django.utils.translation import gettext as _

from hoptac.accounts.access import require
from hoptac.core.audit import _bump_on_commit, _plain, snapshot
from hoptac.core.models import Action, AuditEntry
from hoptac.imports.cells import fold
from hoptac.imports.models import BatchItem
from hoptac.registry.models import Organisation

CHUNK = 5000
SNAPSHOT_SKIPS = ("search_key", "updated_at", "version")  # as hoptac.core.audit.snapshot


class Table:
    """One model's table as rows of plain values: its columns, their defaults, and how a Python
    value becomes a parameter of this database (decided once per column, not per value)."""

    def __init__(self, model, now, with_pk: bool = False):
        self.model = model
        self.fields = [f for f in model._meta.concrete_fields if with_pk or not f.primary_key]
        self.position = {}
        for i, f in enumerate(self.fields):
            self.position[f.attname] = i
            self.position[f.name] = i
        self.converters = [self._converter(f, now) for f in self.fields]
        self.base = []
        for f, convert in zip(self.fields, self.converters, strict=True):
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                value = now
            else:
                value = None if f.primary_key else f.get_default()
            self.base.append(value if convert is None else convert(value))

    @staticmethod
    def _converter(field: models.Field, now):
        if isinstance(field, models.JSONField):
            return lambda v: None if v is None else json.dumps(v, cls=field.encoder)
        if connection.vendor == "postgresql":
            return None  # psycopg's COPY takes dates, booleans and numbers as they are
        if isinstance(field, models.DateTimeField):
            return lambda v: None if v is None else field.get_db_prep_save(v, connection)
        if isinstance(field, models.DateField):
            return lambda v: None if v is None else v.isoformat()  # Django's SQLite adapter: str(date)
        if isinstance(field, (models.DecimalField, models.UUIDField)):
            return lambda v: field.get_db_prep_save(v, connection)
        return None  # strings, numbers, booleans, ids go as they are

    def row(self, values: dict) -> list:
        """A row from {field name or attname: value}; the other columns take their defaults."""
        out = self.base.copy()
        position, converters = self.position, self.converters
        for name, value in values.items():
            i = position[name]
            convert = converters[i]
            out[i] = value if convert is None else convert(value)
        return out

    @property
    def columns(self) -> list[str]:
        return [f.column for f in self.fields]


def next_ids(model, count: int) -> list[int]:
    """Ids for `count` new rows, taken before they are written (the audit entries need them).

    PostgreSQL: from the table's sequence. SQLite: above the highest id the table has ever
    used (its AUTOINCREMENT counter), as the rows would get them one by one; the caller's
    transaction holds SQLite's write lock (its batch row was written first), so no other
    writer takes them meanwhile."""
    table, pk = model._meta.db_table, model._meta.pk.column
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [table, pk, count],
            )
            return [r[0] for r in cursor.fetchall()]
        cursor.execute(f"SELECT COALESCE(MAX({quote(pk)}), 0) FROM {quote(table)}")
        highest = cursor.fetchone()[0]
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
        found = cursor.fetchone()
        start = max(highest, found[0] if found else 0) + 1
    return list(range(start, start + count))


def write(table: Table, rows: list[list]) -> None:
    """INSERT (SQLite: executemany) or COPY (PostgreSQL) the rows, in table.columns order."""
    if not rows:
        return
    quote = connection.ops.quote_name
    names = ", ".join(quote(c) for c in table.columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {quote(table.model._meta.db_table)} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            placeholders = ", ".join(["%s"] * len(table.columns))
            cursor.executemany(
                f"INSERT INTO {quote(table.model._meta.db_table)} ({names}) VALUES ({placeholders})", rows
            )


def _snapshot_base(table: Table) -> dict:
    """A new organisation's snapshot before its own values: every field at its default."""
    base = {}
    for f in table.fields:
        if f.name not in SNAPSHOT_SKIPS:
            base[f.name] = _plain(None if f.primary_key else f.get_default())
    return base


def _check_codes_free(codes: list[str]) -> None:
    for i in range(0, len(codes), CHUNK):  # taken since the dry run?
        taken = list(
            Organisation.objects.filter(tax_code__in=codes[i : i + CHUNK]).values_list("tax_code", flat=True)[
                :5
            ]
        )
        if taken:
            raise ValidationError(
                _("Since the check, another organisation took the tax code %(codes)s; check the file again.")
                % {"codes": ", ".join(taken)}
            )


class _Trail:
    """The audit entries and batch items of one batch, as rows."""

    def __init__(self, batch, actor, now):
        self.entries = Table(AuditEntry, now)
        self.items = Table(BatchItem, now)
        content_type = ContentType.objects.get_for_model(Organisation).pk
        self.common = {
            "user_id": actor.account.pk if actor.account is not None else None,
            "user_name": actor.user_name, "source": actor.source, "request_id": actor.request_id,
            "content_type_id": content_type,
        }  # fmt: skip
        self.item = {"batch_id": batch.pk, "content_type_id": content_type}

    def entry(self, action, pk, name, before, after) -> list:
        return self.entries.row(
            {**self.common, "action": action, "object_id": str(pk), "object_repr": name[:255],
             "before": before, "after": after}
        )  # fmt: skip

    def batch_item(self, action, pk, before=None) -> list:
        return self.items.row({**self.item, "action": action, "object_id": str(pk), "before": before})


def create_organisations(batch, actor, rows: list[dict], progress=None) -> int:
    """The new organisations of a checked plan (each row: {field: value}, places as units), with
    their audit entries and batch items; the number written. `progress(n)` after each chunk."""
    require(actor, "change")  # each row's commune was checked against the area by the dry run
    if not rows:
        return 0
    _check_codes_free([data["tax_code"] for data in rows if data.get("tax_code")])
    now = timezone.now()
    organisations = Table(Organisation, now, with_pk=True)
    trail = _Trail(batch, actor, now)
    base = _snapshot_base(organisations)
    created_at = _plain(now)
    _bump_on_commit()
    ids = next_ids(Organisation, len(rows))
    for start in range(0, len(rows), CHUNK):
        chunk = rows[start : start + CHUNK]
        org_rows, entries, items = [], [], []
        for data, pk in zip(chunk, ids[start : start + CHUNK], strict=True):
            values = dict(data)
            for key in ("commune", "former_commune"):
                unit = values.pop(key, None)
                values[f"{key}_id"] = unit.pk if unit is not None else None
            name, tax = values["name"], values.get("tax_code", "")
            values["id"] = pk
            values["status_since"] = values.get("status_since") or values.get("registration_date")
            values["search_key"] = fold(f"{name} {tax}")
            org_rows.append(organisations.row(values))
            after = base.copy()
            for key, value in values.items():
                field_name = key[:-3] if key in ("commune_id", "former_commune_id") else key
                if field_name in after:
                    after[field_name] = value.isoformat() if isinstance(value, datetime.date) else value
            after["created_at"] = created_at
            entries.append(trail.entry(Action.CREATE, pk, name, None, after))
            items.append(trail.batch_item("create", pk))
        write(organisations, org_rows)
        write(trail.entries, entries)
        write(trail.items, items)
        if progress is not None:
            progress(start + len(chunk))
    return len(rows)


def update_organisations(batch, actor, rows, progress=None) -> int:
    """The changed organisations of a checked plan (RowResults: `target`, the record as the dry run
    read it, and `changes`): each row written whole as `save()` would, with its audit entry
    (before and after) and batch item (before, for undo); refused if a record changed since the
    dry run (its version moved). The number written."""
    if not rows:
        return 0
    require(actor, "change")
    now = timezone.now()
    organisations = Table(Organisation, now)
    trail = _Trail(batch, actor, now)
    _bump_on_commit()
    quote = connection.ops.quote_name
    columns = [f for f in organisations.fields if not getattr(f, "auto_now_add", False)]
    assignments = ", ".join(f"{quote(f.column)} = %s" for f in columns)
    statement = f"UPDATE {quote(Organisation._meta.db_table)} SET {assignments} WHERE {quote(Organisation._meta.pk.column)} = %s"
    positions = [organisations.position[f.attname] for f in columns]
    for start in range(0, len(rows), CHUNK):
        chunk = rows[start : start + CHUNK]
        current = dict(
            Organisation.objects.select_for_update()
            .filter(pk__in=[row.target.pk for row in chunk])
            .values_list("pk", "version")
        )
        stale = [row.number for row in chunk if current.get(row.target.pk) != row.target.version]
        if stale:
            raise ValidationError(
                _("Rows %(rows)s: the organisation was changed since the check; check the file again.")
                % {"rows": ", ".join(str(n) for n in stale[:10])}
            )
        params, entries, items = [], [], []
        for row in chunk:
            organisation = copy.copy(row.target)  # the plan keeps the record as it was checked
            before = snapshot(organisation)
            for key, (_old, new) in row.changes.items():
                setattr(organisation, key, new)
            organisation.search_key = fold(f"{organisation.name} {organisation.tax_code}")
            organisation.version = (organisation.version or 0) + 1
            organisation.updated_at = now
            after = snapshot(organisation)
            values = organisations.row(
                {f.attname: getattr(organisation, f.attname) for f in organisations.fields}
            )
            params.append([values[i] for i in positions] + [organisation.pk])
            if after != before:
                entries.append(trail.entry(Action.UPDATE, organisation.pk, organisation.name, before, after))
            items.append(trail.batch_item("update", organisation.pk, before))
        with connection.cursor() as cursor:
            cursor.executemany(statement, params)
        write(trail.entries, entries)
        write(trail.items, items)
        if progress is not None:
            progress(start + len(chunk))
    return len(rows)
