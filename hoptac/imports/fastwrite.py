"""Writing a checked file's organisations fast: plain tuples, `executemany` on SQLite, `COPY` on
PostgreSQL, in the caller's transaction.

The rows were checked once, by the dry run (`importer.prepare`: the model's checks, places, tax
codes against the registry and the file, the user's area); committing does not check them again
and builds no model instance for a new organisation. It writes what the registry's services
write — the organisation with its derived fields (`search_key`, `name_key`, `status_since`, the version,
the timestamps), one audit entry per organisation with its snapshot (before and after for a
change), and the batch's items for undo — and the tests compare the rows of both paths.
Rows go in chunks of 5,000: the parameters of one chunk at a time are in memory.
"""

from __future__ import annotations

import copy
import functools
import json

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hoptac.accounts.access import require
from hoptac.core import changes
from hoptac.core.audit import _plain, snapshot
from hoptac.core.models import Action, AuditEntry
from hoptac.core.text import search_key, sort_text
from hoptac.imports.models import BatchItem
from hoptac.imports.organisation_rows import among
from hoptac.registry.models import Organisation

CHUNK = 5000
SNAPSHOT_SKIPS = ("search_key", "name_key", "updated_at", "version")  # as hoptac.core.audit.snapshot


class _Written:
    """An organisation the fast path wrote, as the change listeners read it (`core.changes`: the
    figures rollup, the areas' cached values, the stored public pages): its label and id; its place
    is in the change's `after`."""

    __slots__ = ("pk",)
    _meta = Organisation._meta

    def __init__(self, pk):
        self.pk = pk


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
            return None  # psycopg's binary COPY takes dates, booleans and numbers as they are
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

    def column_types(self, cursor) -> list[int]:
        """PostgreSQL: the type (oid) of each column, for a binary COPY."""
        if getattr(self, "_types", None) is None:
            cursor.execute(
                "SELECT attname, atttypid FROM pg_attribute WHERE attrelid = %s::regclass AND attnum > 0"
                " AND NOT attisdropped",
                [connection.ops.quote_name(self.model._meta.db_table)],
            )
            found = dict(cursor.fetchall())
            self._types = [found[c] for c in self.columns]
        return self._types


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
            # The sequence is named once: pg_get_serial_sequence() per row cost 0.6 s of 0.7 s
            # for 100,000 ids, nextval() itself 0.08 s.
            cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [table, pk])
            sequence = cursor.fetchone()[0]
            cursor.execute("SELECT nextval(%s::regclass) FROM generate_series(1, %s)", [sequence, count])
            return [r[0] for r in cursor.fetchall()]
        cursor.execute(f"SELECT COALESCE(MAX({quote(pk)}), 0) FROM {quote(table)}")
        highest = cursor.fetchone()[0]
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
        found = cursor.fetchone()
        start = max(highest, found[0] if found else 0) + 1
    return list(range(start, start + count))


@functools.cache
def _encoded_jsonb():
    """psycopg's dumper for a JSON text this module encoded already (a JSONField's value, as
    Django writes it): jsonb's binary form is a version byte and the text."""
    from psycopg import postgres
    from psycopg.adapt import Dumper
    from psycopg.pq import Format

    class EncodedJsonb(Dumper):
        format = Format.BINARY
        oid = postgres.types["jsonb"].oid

        def dump(self, obj):
            return b"\x01" + obj.encode()

    return EncodedJsonb


def write(table: Table, rows) -> None:
    """INSERT (SQLite: executemany) or COPY (PostgreSQL) the rows, in table.columns order. `rows`
    may be a generator: on PostgreSQL the server then stores rows while the next are built.

    PostgreSQL's COPY is binary, each column dumped as its type (a text COPY cost the client
    more than building the rows, and the server parsing every number, date and time)."""
    if isinstance(rows, list) and not rows:
        return
    quote = connection.ops.quote_name
    names = ", ".join(quote(c) for c in table.columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            types = table.column_types(cursor)
            cursor.cursor.adapters.register_dumper(None, _encoded_jsonb())  # by type only
            statement = f"COPY {quote(table.model._meta.db_table)} ({names}) FROM STDIN (FORMAT BINARY)"
            with cursor.cursor.copy(statement) as copy:
                copy.set_types(types)
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


def _taken(codes: list[str]) -> list[str]:
    """Which of these tax codes the registry holds (at most 5, for a message)."""
    taken: list[str] = []
    for i in range(0, len(codes), CHUNK):
        taken += Organisation.objects.filter(tax_code__in=codes[i : i + CHUNK]).values_list(
            "tax_code", flat=True
        )[:5]
        if taken:
            break
    return taken[:5]


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


class SnapshotText:
    """New organisations' audit snapshots as the JSON text `json.dumps` gives them, without encoding
    a whole dict per row: a snapshot's other fields are the same for every row (the defaults, the
    batch's time), so the text is one template in which only the row's own values are encoded.

    `parts`: the template's pieces, each slot's default (as JSON) at `index[slot]`; a row copies
    the list, puts its own values there (`json_value`) and joins it: the text equals
    `json.dumps(snapshot)` (test_fastwrite.py)."""

    def __init__(self, base: dict, slots):
        marked = {key: f"\0{key}\0" if key in slots else value for key, value in base.items()}
        text = _json_fallback(marked)
        self.parts, self.index = [], {}
        for key in sorted(slots, key=lambda key: text.index(_json_fallback(f"\0{key}\0"))):
            literal, text = text.split(_json_fallback(f"\0{key}\0"), 1)
            self.parts.append(literal)
            self.index[key] = len(self.parts)
            self.parts.append(_json_fallback(base[key]))
        self.parts.append(text)


_encode_string = json.encoder.encode_basestring_ascii
_json_fallback = json.JSONEncoder().encode  # json.dumps(value), as Django's JSONField writes it
_JSON_CONSTANTS = {None: "null", True: "true", False: "false"}


def json_value(value) -> str:
    """One value as `json.dumps` writes it (strings and the constants directly; others through json)."""
    if isinstance(value, str):
        return _encode_string(value)
    if value is None or value is True or value is False:
        return _JSON_CONSTANTS[value]
    if value.__class__ is int:
        return int.__repr__(value)
    return _json_fallback(value)


# How a field's value goes into the row and the snapshot (see _plan).
_TEXT, _UNIT, _DAY, _OTHER = range(4)


def create_organisations(batch, actor, rows: list[dict], progress=None) -> int:
    """The new organisations of a checked plan (each row: {field: value}, places as units), with
    their audit entries and batch items; the number written. `progress(n)` after each chunk.

    A tax code another writer took since the dry run is refused by the registry's unique index
    (no query per chunk to look for one first); the message names it."""
    require(actor, "change")  # each row's commune was checked against the area by the dry run
    if not rows:
        return 0
    now = timezone.now()
    organisations = Table(Organisation, now, with_pk=True)
    trail = _Trail(batch, actor, now)
    ids = next_ids(Organisation, len(rows))
    places: set[tuple] = set()  # (commune, former commune) of the new rows, told to core.changes once
    base_row = organisations.base
    base_after = _snapshot_base(organisations)
    base_after["created_at"] = _plain(now)
    # Per field of the rows: its column, how the value becomes a parameter, its kind, its place in
    # the snapshot's text.
    keys = set(ORG_KEYS).union(*rows)
    snapshots = SnapshotText(base_after, {"id", "status_since", *keys})
    plans = {key: _plan(organisations, key, snapshots) for key in keys}
    id_json, since_json, registration_json = (
        snapshots.index[k] for k in ("id", "status_since", "registration_date")
    )
    at = organisations.position
    id_at, search_at, name_key_at, since_at, registration_at, commune_at, former_at = (
        at["id"],
        at["search_key"],
        at["name_key"],
        at["status_since"],
        at["registration_date"],
        at["commune_id"],
        at["former_commune_id"],
    )
    entry_base = trail.entries.row({**trail.common, "action": Action.CREATE})
    entry_at = trail.entries.position
    object_at, repr_at, after_at = entry_at["object_id"], entry_at["object_repr"], entry_at["after"]
    item_base = trail.items.row({**trail.item, "action": "create"})
    item_object_at = trail.items.position["object_id"]
    encode_string, snapshot_parts = _encode_string, snapshots.parts
    for start in range(0, len(rows), CHUNK):
        chunk = rows[start : start + CHUNK]
        entries, items = [], []

        def org_rows(chunk=chunk, start=start, entries=entries, items=items):
            for data, pk in zip(chunk, ids[start : start + CHUNK], strict=True):
                row = base_row.copy()
                after = snapshot_parts.copy()  # the snapshot's text in pieces, its own values as JSON
                for key, value in data.items():
                    position, convert, kind, at_json = plans[key]
                    if value is None:
                        row[position] = None
                        after[at_json] = "null"
                    elif kind == _TEXT and isinstance(value, str):
                        row[position] = value if convert is None else convert(value)
                        after[at_json] = encode_string(value)
                    elif kind == _UNIT:
                        value = value.pk
                        row[position] = value if convert is None else convert(value)
                        after[at_json] = json_value(value)
                    elif kind == _DAY:
                        text = value.isoformat()
                        row[position] = value if convert is None else text  # a date's converter: isoformat
                        after[at_json] = f'"{text}"'
                    else:
                        row[position] = value if convert is None else convert(value)
                        after[at_json] = json_value(_plain(value))
                name, tax = data["name"], data.get("tax_code", "")
                row[id_at] = pk
                after[id_json] = object_id = str(pk)
                if data.get("registration_date") is not None and "status_since" not in data:
                    row[since_at] = row[registration_at]
                    after[since_json] = after[registration_json]
                row[search_at] = search_key(name, tax)
                row[name_key_at] = sort_text(name)
                entry = entry_base.copy()
                entry[object_at] = object_id
                entry[repr_at] = name[:255]
                entry[after_at] = "".join(after)
                entries.append(entry)
                places.add((row[commune_at], row[former_at]))
                item = item_base.copy()
                item[item_object_at] = object_id
                items.append(item)
                yield row

        try:
            with transaction.atomic():
                write(organisations, org_rows())
        except IntegrityError as exc:  # a tax code taken since the dry run, by another writer
            taken = _taken([data["tax_code"] for data in chunk if data.get("tax_code")])
            if not taken:
                raise
            raise ValidationError(
                _("Since the check, another organisation took the tax code %(codes)s; check the file again.")
                % {"codes": ", ".join(taken)}
            ) from exc
        write(trail.entries, entries)
        write(trail.items, items)
        if progress is not None:
            progress(start + len(chunk))
    # One change per place, not per row: what the listeners read of a new organisation is its place
    # (the rollup's cells, the areas' cached values); a new organisation has no public page yet.
    changes.written([(_Written(None), None, {"commune": c, "former_commune": f}) for c, f in places])
    return len(rows)


# What the change listeners read of an organisation's snapshots (the rollup's cells, the areas).
PLACE_FIELDS = ("commune", "former_commune", "kind", "registration_date", "status", "status_since")


ORG_KEYS = ("name", "tax_code", "kind", "commune", "former_commune", "address", "registration_date", "director_name",
            "phone", "sector", "contract_date", "in_commune_register")  # fmt: skip


def _plan(table: Table, key: str, snapshots: SnapshotText):
    """(position in the row, converter, kind, place in the snapshot's parts): a text, a place (its
    id), a date (its snapshot and SQLite's parameter: isoformat), or another value (`_plain`)."""
    field = Organisation._meta.get_field(key)
    position = table.position[field.attname]
    if isinstance(field, models.ForeignKey):
        kind = _UNIT
    elif isinstance(field, models.DateField) and not isinstance(field, models.DateTimeField):
        kind = _DAY
    elif isinstance(field, (models.CharField, models.TextField)):
        kind = _TEXT
    else:
        kind = _OTHER
    return position, table.converters[position], kind, snapshots.index[field.name]


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
    written: list[changes.Change] = []
    quote = connection.ops.quote_name
    columns = [f for f in organisations.fields if not getattr(f, "auto_now_add", False)]
    assignments = ", ".join(f"{quote(f.column)} = %s" for f in columns)
    statement = f"UPDATE {quote(Organisation._meta.db_table)} SET {assignments} WHERE {quote(Organisation._meta.pk.column)} = %s"
    positions = [organisations.position[f.attname] for f in columns]
    for start in range(0, len(rows), CHUNK):
        chunk = rows[start : start + CHUNK]
        current = dict(
            Organisation.objects.select_for_update()
            .filter(pk__in=among([row.target.pk for row in chunk]))
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
            organisation.search_key = search_key(organisation.name, organisation.tax_code)
            organisation.name_key = sort_text(organisation.name)
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
            if after != before:
                written.append(
                    (
                        _Written(organisation.pk),
                        {k: before.get(k) for k in PLACE_FIELDS},
                        {k: after.get(k) for k in PLACE_FIELDS},
                    )
                )
        with connection.cursor() as cursor:
            cursor.executemany(statement, params)
        write(trail.entries, entries)
        write(trail.items, items)
        if progress is not None:
            progress(start + len(chunk))
    changes.written(written)
    return len(rows)
