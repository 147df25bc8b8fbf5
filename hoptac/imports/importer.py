"""Dry run and commit of a file: every row's outcome first, then all-or-nothing writes.

`prepare` reads the table (`columns.detect`), then each row (`organisation_rows`,
`figure_rows`): the model's checks without a model instance (`checks`), places through the
lineage (`places`), tax codes against the registry and the rest of the file. `commit` writes
the plan in one transaction (unless the user asks to import only the valid rows): new and
changed organisations from the dry run's values (`fastwrite`: executemany on SQLite, COPY on
PostgreSQL, one audit entry and one batch item each), figures through their service.
`fast=False` writes organisations through the registry's services instead (the tests compare
both). Both entry points take an optional `progress(done, total)`.
"""

from __future__ import annotations

import datetime
import uuid

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hoptac.accounts import access
from hoptac.core.audit import Actor, snapshot
from hoptac.core.bulk import collector_paused
from hoptac.core.models import AuditEntry, Source
from hoptac.core.text import fold
from hoptac.figures import services as figures_services
from hoptac.figures.fields import NAMES
from hoptac.figures.models import AnnualFigures
from hoptac.imports import fastwrite
from hoptac.imports.cells import name_key, tax_code_text  # noqa: F401 (kept for callers)
from hoptac.imports.columns import SYNONYMS, Column, detect, label
from hoptac.imports.figure_rows import FIGURE_FIELDS, FigureRows
from hoptac.imports.models import BatchItem, ImportBatch, SavedMapping
from hoptac.imports.organisation_rows import OrganisationRows
from hoptac.imports.places import PlaceMatcher
from hoptac.imports.plan import ImportPlan, RowResult  # noqa: F401 (kept for callers)
from hoptac.imports.reading import Sheet, column_letter
from hoptac.registry import services as registry_services
from hoptac.registry.models import Organisation

ORG_FIELDS = ["name", "tax_code", "kind", "commune", "former_commune", "address", "registration_date", "director_name",
              "phone", "sector", "contract_date", "in_commune_register"]  # fmt: skip

# Fields a user may assign a column to, per kind of file.
MAPPABLE = {
    "organisations": [f for f in SYNONYMS if f not in FIGURE_FIELDS and f != "year"],
    "tht": [f for f in SYNONYMS if f not in FIGURE_FIELDS and f != "year"],
    "figures": ["tax_code", "name", "commune", "year", *FIGURE_FIELDS],
}


class ImportRefused(Exception):
    """The file has errors and the user did not ask to import only the valid rows."""


def apply_mapping(columns: list[Column], kind: str, user, mapping: dict) -> None:
    """The user's corrections win over the synonyms: saved ones first, then this file's."""
    saved = {}
    if user is not None and getattr(user, "pk", None):
        saved = dict(SavedMapping.objects.filter(user=user, kind=kind).values_list("header", "field"))
    for column in columns:
        header_key = fold(column.header)
        if header_key in saved:
            column.field = saved[header_key] or None
        if column.index in mapping:
            column.field = mapping[column.index] or None
    seen = set()
    for column in columns:
        if column.field in seen:
            column.field = None
        elif column.field:
            seen.add(column.field)


def save_mapping(user, kind: str, columns: list[Column], mapping: dict) -> None:
    for column in columns:
        if column.index in mapping and column.header:
            SavedMapping.objects.update_or_create(
                user=user,
                kind=kind,
                header=fold(column.header)[:200],
                defaults={"field": mapping[column.index] or ""},
            )


@collector_paused()
def prepare(
    kind: str,
    sheet: Sheet,
    filename: str,
    context=None,
    user=None,
    year: int | None = None,
    mapping: dict | None = None,
    progress=None,
) -> ImportPlan:
    """`mapping`: {column index: field or ""} chosen by the user; their saved choices apply too.
    `progress(done, total)` is called every 500 rows (the command draws a progress bar)."""
    table = detect(sheet.rows, getattr(sheet, "merges", ()))
    if table is None:
        raise ValidationError(
            _("No header row was recognised: the table needs columns such as “Tên HTX”, “Mã số thuế”, “Xã”.")
        )
    columns = table.columns
    apply_mapping(columns, kind, user, mapping or {})
    by_field = {c.field: c for c in columns if c.field}
    if kind == "figures" and year is not None:
        for column in columns:  # "Doanh thu" over 2023 and 2024: the file's year is the one read
            if (
                column.year == year
                and column.claim in FIGURE_FIELDS
                and by_field.get(column.claim) is not column
            ):
                other = by_field.get(column.claim)
                if other is None or other.year not in (None, year):
                    if other is not None:
                        other.field = None
                    column.field = column.claim
                    by_field[column.claim] = column
    needed = ["name"] if kind != "figures" else []
    missing = [f for f in needed if f not in by_field]
    if kind == "figures" and "tax_code" not in by_field and "name" not in by_field:
        missing.append("tax_code")
    if missing:
        found = [f"{column_letter(c.index)} “{c.header}”" for c in columns if c.header]
        raise ValidationError(
            _(
                "The table (header on rows %(rows)s) has no column for: %(fields)s. Columns found: %(found)s. "
                "Choose which column holds it in the column mapping."
            )
            % {
                "rows": ", ".join(str(r) for r in table.header_rows),
                "fields": ", ".join(label(f) for f in missing),
                "found": "; ".join(found) or "—",
            }
        )
    matcher = PlaceMatcher(context or (None if user is None or user.is_national else user.scope_unit))
    scope_communes = None
    if user is not None and not user.is_national and user.scope_unit is not None:
        scope_communes = set(access.area(user).communes)
    plan = ImportPlan(
        kind, filename, context, year, table.header_row, columns, [], table.header_rows, table.skipped,
        getattr(sheet, "name", ""), getattr(sheet, "choice", ""), getattr(sheet, "repaired", 0),
        list(getattr(sheet, "sheet_names", []) or []),
    )  # fmt: skip
    rows = sheet.rows
    data_rows = [rows[i] for i in table.data_rows]
    if kind == "figures":
        reader = FigureRows(by_field, year, matcher, user, data_rows)
    else:
        reader = OrganisationRows(kind, by_field, matcher, user, scope_communes, data_rows)
    del data_rows
    total = len(table.data_rows)
    groups = table.groups
    append = plan.rows.append
    for done, index in enumerate(table.data_rows, start=1):
        if progress is not None and done % 500 == 0:
            progress(done, total)
        row = reader.read(rows[index], index + 1, groups.get(index))
        if row.errors:
            row.outcome = "error"
        append(row)
    if not plan.rows:
        raise ValidationError(
            _("The table under the header (rows %(rows)s) has no rows of data.")
            % {"rows": ", ".join(str(r) for r in table.header_rows)}
        )
    return plan


@collector_paused()
def commit(
    plan: ImportPlan, user=None, valid_only: bool = False, fast: bool = True, progress=None
) -> ImportBatch:
    """Write the plan: everything in one transaction, or only the valid rows when asked.

    The plan's rows were checked by `prepare`; new and changed organisations are written from
    those values (`fastwrite`: executemany/COPY, a changed one refused if its record changed
    since the check) rather than checked again; `fast=False` writes them through the registry's
    services instead (the tests compare both). `progress(done, total)` follows the rows written."""
    if plan.has_errors and not valid_only:
        raise ImportRefused(_("%(n)s rows have errors: nothing was imported.") % {"n": plan.count("error")})
    actor = Actor(user=user, source=Source.IMPORT, request_id=uuid.uuid4().hex)
    access.require(actor, "import")
    total = len(plan.rows)
    with transaction.atomic():
        batch = ImportBatch.objects.create(
            kind=plan.kind, filename=plan.filename[:255], context_unit=plan.context, year=plan.year,
            user=user if getattr(user, "pk", None) else None, request_id=actor.request_id,
        )  # fmt: skip
        new, changed, done = [], [], 0
        for row in plan.rows:
            if row.outcome == "error":
                batch.skipped += 1
            elif row.outcome == "unchanged":
                batch.unchanged += 1
            elif plan.kind == "figures" or not fast and row.outcome == "changed":
                _write(batch, actor, plan.kind, row)
            elif row.outcome == "new":
                new.append(row.data)
            else:
                changed.append(row)
            done += 1
            if progress is not None and done % 5000 == 0 and plan.kind == "figures":
                progress(done, total)
        skipped = total - len(new) - len(changed)

        def written(n):
            if progress is not None:
                progress(skipped + n, total)

        if fast:
            batch.updated += fastwrite.update_organisations(batch, actor, changed, progress=written)
            batch.created += fastwrite.create_organisations(
                batch, actor, new, progress=lambda n: written(len(changed) + n)
            )
        else:
            for i in range(0, len(new), BULK_ROWS):
                _create_many(batch, actor, new[i : i + BULK_ROWS])
        batch.save()
    if progress is not None:
        progress(total, total)
    return batch


BULK_ROWS = 5000


def _create_many(batch, actor, rows: list[dict]) -> None:
    """New organisations in bulk through the registry's service (validated, scoped, audited)."""
    created = registry_services.create_organisations(actor, rows)
    content_type = ContentType.objects.get_for_model(Organisation)
    BatchItem.objects.bulk_create(
        [
            BatchItem(batch=batch, content_type=content_type, object_id=str(o.pk), action="create")
            for o in created
        ],
        batch_size=1000,
    )
    batch.created += len(created)


def _write(batch, actor, kind, row):
    if kind == "figures":
        org, year, values = row.data["organisation"], row.data["year"], row.data["values"]
        before = snapshot(row.target) if row.target is not None else None
        figures = figures_services.save_figures(actor, org, year, values, confirm_warnings=True)
        _item(batch, figures, "update" if before else "create", before)
    elif row.outcome == "new":
        organisation = registry_services.create_organisation(actor, row.data)
        _item(batch, organisation, "create", None)
    else:
        before = snapshot(row.target)
        organisation = registry_services.update_organisation(
            actor, row.target, {k: new for k, (_old, new) in row.changes.items()}
        )
        _item(batch, organisation, "update", before)


def _item(batch, obj, action, before):
    BatchItem.objects.create(
        batch=batch,
        content_type=ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk),
        action=action,
        before=before,
    )
    if action == "create":
        batch.created += 1
    else:
        batch.updated += 1


def _refuse_if_changed_since(batch: ImportBatch, items: list[BatchItem]) -> None:
    """Refused when an object of the batch has an audit entry after it from another request: a
    query per type and 900 objects (the audit's (type, object, time) index), not one per item."""
    by_type: dict[int, list[str]] = {}
    for item in items:
        by_type.setdefault(item.content_type_id, []).append(item.object_id)
    for content_type, ids in by_type.items():
        for start in range(0, len(ids), registry_services.DELETE_CHUNK):
            later = AuditEntry.objects.filter(
                content_type_id=content_type,
                object_id__in=ids[start : start + registry_services.DELETE_CHUNK],
                timestamp__gt=batch.created_at,
            ).exclude(request_id=batch.request_id)
            if later.exists():
                raise ValidationError(
                    _("An object of this batch was changed after the import; undo it by hand.")
                )


@transaction.atomic
def undo(batch: ImportBatch, user=None) -> None:
    """Reverse a batch: delete what it created, restore what it changed; refused if changed since."""
    if batch.undone_at:
        raise ValidationError(_("This batch has already been undone."))
    actor = Actor(user=user, source=Source.IMPORT, request_id=uuid.uuid4().hex)
    access.require(actor, "undo_import", batch)
    items = list(batch.items.select_related("content_type"))
    _refuse_if_changed_since(batch, items)
    organisation_type = ContentType.objects.get_for_model(Organisation)
    registry_services.delete_organisations(
        actor,
        [i.object_id for i in items if i.content_type_id == organisation_type.pk and i.action == "create"],
    )
    for item in reversed(items):
        model = item.content_type.model_class()
        if model is Organisation and item.action == "create":
            continue  # deleted above, together
        obj = model.objects.filter(pk=item.object_id).first()
        if obj is None:
            continue
        if model is Organisation:
            editable = registry_services.EDITABLE_FIELDS
            data = {k: v for k, v in item.before.items() if k in editable and not k.endswith("_id")}
            for fk in ("commune", "former_commune"):
                data[fk] = (
                    obj._meta.get_field(fk).related_model.objects.filter(pk=item.before.get(fk)).first()
                )
            for k in ("registration_date", "contract_date", "contract_end_date", "commune_register_date"):
                if data.get(k):
                    data[k] = datetime.date.fromisoformat(data[k])
            registry_services.update_organisation(actor, obj, data)
        elif model is AnnualFigures:
            if item.action == "create":
                figures_services.discard_draft(actor, obj)
            else:
                figures_services.save_figures(
                    actor,
                    obj.organisation,
                    obj.year,
                    {k: item.before.get(k) for k in NAMES},
                    is_estimate=obj.is_estimate,
                    confirm_warnings=True,
                )
    batch.undone_at = timezone.now()
    batch.save(update_fields=["undone_at"])
