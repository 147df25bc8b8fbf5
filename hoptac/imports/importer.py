"""Dry run and commit of a file: every row's outcome first, then all-or-nothing writes.

Rows are checked against the same model validation the services apply; the commit then
goes through the registry and figures services (so every change is audited with the batch's
id), inside one transaction unless the user asks to import only the valid rows.
"""

from __future__ import annotations

import copy
import datetime
import functools
import re
import uuid
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from hoptac.accounts import access
from hoptac.core.audit import Actor, snapshot
from hoptac.core.models import AuditEntry, Source
from hoptac.core.text import fold
from hoptac.figures import services as figures_services
from hoptac.figures.choices import LOCKED_STATUSES
from hoptac.figures.fields import NAMES
from hoptac.figures.models import AnnualFigures
from hoptac.imports import fastwrite
from hoptac.imports.columns import MONEY_FIELDS, REASONS, SYNONYMS, Column, Skipped, detect, label
from hoptac.imports.models import BatchItem, ImportBatch, SavedMapping
from hoptac.imports.places import PlaceMatcher
from hoptac.imports.reading import Sheet, column_letter, parse_date, parse_number
from hoptac.registry import services as registry_services
from hoptac.registry.choices import Kind, Sector
from hoptac.registry.models import Organisation, normalise_tax_code

ORG_FIELDS = ["name", "tax_code", "kind", "commune", "former_commune", "address", "registration_date", "director_name",
              "phone", "sector", "contract_date", "in_commune_register"]  # fmt: skip
FIGURE_FIELDS = ["members_official", "workers", "managers", "revenue", "profit_before_tax", "profit_after_tax",
                 "total_capital", "charter_capital", "total_assets"]  # fmt: skip
SECTOR_WORDS = [("thuy san", Sector.FISHERIES), ("lam nghiep", Sector.FORESTRY), ("muoi", Sector.SALT), ("diem nghiep", Sector.SALT),
                ("van tai", Sector.ROAD_TRANSPORT), ("xay dung", Sector.CONSTRUCTION), ("tin dung", Sector.CREDIT),
                ("moi truong", Sector.ENVIRONMENT), ("nuoc sach", Sector.CLEAN_WATER), ("tong hop", Sector.GENERAL),
                ("cho", Sector.MARKET_MANAGEMENT), ("cong nghiep", Sector.INDUSTRY_HANDICRAFT), ("thu cong", Sector.INDUSTRY_HANDICRAFT),
                ("thuong mai", Sector.TRADE_SERVICES), ("dich vu", Sector.TRADE_SERVICES), ("nong nghiep", Sector.AGRICULTURE)]  # fmt: skip
YES = {"co", "x", "da", "yes", "1", "true", "roi"}
NO = {"khong", "chua", "no", "0", "false"}


# Fields a user may assign a column to, per kind of file.
MAPPABLE = {
    "organisations": [f for f in SYNONYMS if f not in FIGURE_FIELDS and f != "year"],
    "tht": [f for f in SYNONYMS if f not in FIGURE_FIELDS and f != "year"],
    "figures": ["tax_code", "name", "commune", "year", *FIGURE_FIELDS],
}


class ImportRefused(Exception):
    """The file has errors and the user did not ask to import only the valid rows."""


@dataclass
class RowResult:
    number: int
    outcome: str = "new"  # new | changed | unchanged | error
    errors: list[str] = field(default_factory=list)
    changes: dict = field(default_factory=dict)
    data: dict = field(default_factory=dict)
    target: object = None
    instance: object = None  # the validated new organisation, written as it is on commit

    @property
    def outcome_label(self) -> str:
        return str(OUTCOMES.get(self.outcome, self.outcome))

    @property
    def change_labels(self) -> dict:
        return {label(k): v for k, v in self.changes.items()}


OUTCOMES = {
    "new": _lazy("new"),
    "changed": _lazy("changed"),
    "unchanged": _lazy("unchanged"),
    "error": _lazy("error"),
}


@dataclass
class ImportPlan:
    kind: str
    filename: str
    context: object
    year: int | None
    header_row: int
    columns: list[Column]
    rows: list[RowResult]
    header_rows: list[int] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    sheet_name: str = ""
    sheet_choice: str = ""
    repaired: int = 0

    def count(self, outcome: str) -> int:
        return sum(1 for r in self.rows if r.outcome == outcome)

    @property
    def has_errors(self) -> bool:
        return any(r.outcome == "error" for r in self.rows)

    def mapping_lines(self) -> list[str]:
        """ "C “Mã số thuế” → Mã số thuế" for every column with a header, as the dry run shows it."""
        lines = []
        for column in self.columns:
            if column.header:
                target = label(column.field) if column.field else _("ignored")
                extra = f" (×{column.multiplier:,})".replace(",", ".") if column.multiplier != 1 else ""
                lines.append(f"{column_letter(column.index)} “{column.header}” → {target}{extra}")
        return lines

    def skipped_lines(self) -> list[str]:
        return [
            _("row %(row)s: %(reason)s — %(text)s")
            % {"row": s.number, "reason": REASONS[s.reason], "text": s.text[:80]}
            for s in self.skipped
        ]


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


def _existing(rows, column) -> dict[str, Organisation]:
    """The registry's organisations whose tax codes appear in the file (not the whole registry)."""
    if column is None:
        return {}
    codes = set()
    for raw in rows:
        value = tax_code_text(raw[column.index] if column.index < len(raw) else "")
        try:
            codes.add(_tax_code(value))
        except ValidationError:
            continue
    found, codes = {}, sorted(codes)
    for i in range(0, len(codes), 5000):
        found.update({o.tax_code: o for o in Organisation.objects.filter(tax_code__in=codes[i : i + 5000])})
    return found


@functools.lru_cache(maxsize=4096)
def _kind_of(text: str, name: str, default: str) -> str:
    folded = fold(text or name[:40])
    if "to hop tac" in folded or folded.startswith("tht"):
        return Kind.THT
    if "lien hiep" in folded:
        return Kind.LHHTX
    if "quy tin dung" in folded or "qtd" in folded:
        return Kind.QTDND
    if "hop tac xa" in folded or folded.startswith("htx"):
        return Kind.HTX
    return default


@functools.cache
def _sector_labels() -> dict[str, str]:
    """Every sector's label in every UI language, folded: an exported file reads back exactly."""
    from django.conf import settings
    from django.utils import translation

    labels = {}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            labels.update({fold(str(label)): value for value, label in Sector.choices})
    return labels


@functools.lru_cache(maxsize=4096)
def _sector(text) -> str:
    folded = fold(str(text or ""))
    exact = _sector_labels().get(folded)
    if exact:
        return exact
    for word, sector in SECTOR_WORDS:
        if re.search(rf"\b{word}\b", folded):
            return sector
    return Sector.OTHER if folded else Sector.AGRICULTURE


def _yes_no(text):
    if text in (None, ""):
        return None
    folded = fold(str(text)).split(" ")[0]
    if folded in YES:
        return True
    if folded in NO:
        return False
    raise ValueError(text)


@functools.lru_cache(maxsize=262_144)
def _tax_code(text: str) -> str:
    """normalise_tax_code, once per code of the file (the registry check and the row read it)."""
    return normalise_tax_code(text)


def tax_code_text(value) -> str:
    """A tax code as typed: a number that lost its leading zero (100233488 → 0100233488), with
    spaces or dots ("0100 233 488"), or as written."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = re.sub(r"[\s.\u00a0]", "", str(value or "")).strip()
    if text.isdigit() and len(text) in (9, 12):
        text = "0" + text
    return text


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
    allowed = (
        None
        if user is None
        else set(Organisation.objects.restrict(user, "change").values_list("pk", flat=True))
    )
    scope_communes = None
    if user is not None and not user.is_national and user.scope_unit is not None:
        scope_communes = set(access.area(user).communes)
    plan = ImportPlan(
        kind, filename, context, year, table.header_row, columns, [], table.header_rows, table.skipped,
        getattr(sheet, "name", ""), getattr(sheet, "choice", ""), getattr(sheet, "repaired", 0),
    )  # fmt: skip
    seen: set = set()
    data_rows = [sheet.rows[i] for i in table.data_rows]
    existing_by_code = _existing(data_rows, by_field.get("tax_code"))
    names = _NameIndex(matcher) if kind == "figures" else None
    total = len(table.data_rows)
    for done, index in enumerate(table.data_rows, start=1):
        if progress is not None and done % 500 == 0:
            progress(done, total)
        raw = sheet.rows[index]
        row = RowResult(number=index + 1)
        group = table.groups.get(index)

        def cell(name, raw=raw):
            col = by_field.get(name)
            return raw[col.index] if col is not None and col.index < len(raw) else None

        def error(name, message, row=row):
            col = by_field.get(name)
            if col is not None:
                where = _("column %(col)s (%(header)s)") % {
                    "col": column_letter(col.index),
                    "header": col.header,
                }
            else:
                where = label(name) if name in SYNONYMS else ""
            row.errors.append(f"{where}: {message}" if where else str(message))

        if kind == "figures":
            _prepare_figures(
                row, cell, error, by_field, year, existing_by_code, matcher, allowed, names, group
            )
        else:
            _prepare_organisation(
                row,
                cell,
                error,
                kind,
                matcher,
                existing_by_code,
                seen,
                allowed,
                scope_communes,
                by_field,
                group,
            )
        if row.errors:
            row.outcome = "error"
        plan.rows.append(row)
    if not plan.rows:
        raise ValidationError(
            _("The table under the header (rows %(rows)s) has no rows of data.")
            % {"rows": ", ".join(str(r) for r in table.header_rows)}
        )
    return plan


def _place(matcher, cell, by_field, group):
    """(commune, former) from the commune column (or an address read as one), a former-commune
    column, or the group row above ("I. Xã Vĩnh Thái")."""
    text = cell("commune")
    if text in (None, "") and group:
        text = group
    return matcher.resolve(text, cell("former_commune"))


def _prepare_organisation(
    row, cell, error, kind, matcher, existing_by_code, seen, allowed, scope_communes, by_field, group=None
):
    data = {"name": " ".join(str(cell("name") or "").split())}
    if not data["name"]:
        error("name", _("the name is empty."))
    code = tax_code_text(cell("tax_code"))
    if code:
        try:
            data["tax_code"] = _tax_code(code)
        except ValidationError as exc:
            error("tax_code", exc.messages[0])
    data["kind"] = (
        Kind.THT if kind == "tht" else _kind_of(str(cell("kind") or ""), data["name"][:40], Kind.HTX)
    )
    try:
        data["commune"], data["former_commune"] = _place(matcher, cell, by_field, group)
    except ValueError as exc:
        error("commune", str(exc))
    place_column = by_field.get("commune")
    if place_column is not None and place_column.as_place and "address" not in by_field:
        if cell("commune") not in (None, ""):
            data["address"] = str(cell("commune")).strip()
    for name in ("address", "director_name", "phone"):
        value = cell(name)
        if value not in (None, ""):
            data[name] = _text_value(value)
    if cell("sector") not in (None, ""):
        data["sector"] = _sector(cell("sector"))
    for name in ("registration_date", "contract_date"):
        value = cell(name)
        if value not in (None, ""):
            if name == "contract_date" and fold(str(value)) in YES | NO:
                continue
            try:
                data[name] = parse_date(value)
            except ValueError:
                error(name, _("“%(value)s” is not a date (dd/mm/yyyy).") % {"value": value})
    if data["kind"] == Kind.THT and cell("in_commune_register") not in (None, ""):
        try:
            data["in_commune_register"] = _yes_no(cell("in_commune_register"))
        except ValueError:
            error("in_commune_register", _("write “có” or “không”."))
    if data["kind"] != Kind.THT:
        data.pop("contract_date", None)
    commune = data.get("commune")
    if commune is not None and scope_communes is not None and commune.pk not in scope_communes:
        error(
            "commune", _("%(commune)s is outside the area your account manages.") % {"commune": commune.name}
        )
    identity = data.get("tax_code") or (data["name"].lower(), getattr(commune, "pk", None))
    if identity in seen:
        error(
            "tax_code" if data.get("tax_code") else "name",
            _("the same organisation appears twice in the file."),
        )
    seen.add(identity)
    target = existing_by_code.get(data.get("tax_code")) if data.get("tax_code") else None
    if target is None and not data.get("tax_code") and commune is not None:
        target = Organisation.objects.filter(name__iexact=data["name"], commune=commune, tax_code="").first()
    row.data, row.target = data, target
    if row.errors:
        return
    if target is not None:
        if allowed is not None and target.pk not in allowed:
            error("name", _("this organisation exists but is outside the area your account manages."))
            return
        row.changes = {
            k: (getattr(target, k), v)
            for k, v in data.items()
            if getattr(target, k) != v and not (k == "kind")
        }
        row.outcome = "changed" if row.changes else "unchanged"
        candidate = copy.copy(target)
        for k, v in data.items():
            setattr(candidate, k, v)
    else:
        candidate = row.instance = Organisation(**data)
        row.outcome = "new"
    try:
        # The places come from the matcher (no existence query per row); tax codes were checked
        # against the registry and the rest of the file above, so no unique or constraint query per row.
        candidate.full_clean(
            exclude=["commune", "former_commune"], validate_unique=False, validate_constraints=False
        )
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            for message in messages:
                error(name, message)


def _text_value(value) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


NAME_WORDS = [("lien hiep hop tac xa", "lhhtx"), ("hop tac xa", "htx"), ("to hop tac", "tht"),
              ("quy tin dung nhan dan", "qtdnd"), ("quy tin dung", "qtdnd"), ("dich vu", "dv"),
              ("nong nghiep", "nn"), ("san xuat", "sx"), ("kinh doanh", "kd"), ("tong hop", "th")]  # fmt: skip


def name_key(name: str) -> str:
    """ "Hợp tác xã DV NN Vĩnh Thái" and "HTX Dịch vụ nông nghiệp Vĩnh Thái" give the same key."""
    folded = " ".join(re.sub(r"[^a-z0-9]+", " ", fold(name)).split())
    for words, short in NAME_WORDS:
        folded = re.sub(rf"\b{words}\b", short, folded)
    return folded.replace(" ", "")


class _NameIndex:
    """The registry's organisations in the file's area, by commune and folded name."""

    def __init__(self, matcher):
        self.by_name: dict[str, list[Organisation]] = {}
        communes = list(matcher.by_code.values())
        queryset = Organisation.objects.select_related("commune")
        if communes:
            queryset = queryset.filter(commune__in=communes)
        for org in queryset.only("pk", "name", "tax_code", "commune__name", "commune__code"):
            self.by_name.setdefault(name_key(org.name), []).append(org)

    def find(self, name, commune) -> list[Organisation]:
        found = self.by_name.get(name_key(name), [])
        if commune is not None:
            found = [o for o in found if o.commune_id == commune.pk]
        return found


def _prepare_figures(
    row, cell, error, by_field, year, existing_by_code, matcher, allowed, names=None, group=None
):
    row_year = year
    if cell("year") not in (None, ""):
        try:
            row_year = int(parse_number(cell("year")))
        except (ValueError, TypeError):
            error("year", _("“%(value)s” is not a year.") % {"value": cell("year")})
    if row_year is None:
        error("year", _("give the year (a “Năm” column, or the year of the file)."))
    org = None
    code = tax_code_text(cell("tax_code"))
    if code:
        try:
            org = existing_by_code.get(_tax_code(code))
        except ValidationError as exc:
            error("tax_code", exc.messages[0])
    elif cell("name") not in (None, ""):
        commune = None
        if cell("commune") not in (None, "") or group:
            try:
                commune, _former = _place(matcher, cell, by_field, group)
            except ValueError as exc:
                error("commune", str(exc))
        if not row.errors:
            found = (names or _NameIndex(matcher)).find(str(cell("name")), commune)
            if len(found) > 1:
                error(
                    "name",
                    _("several organisations have this name: %(list)s; give the tax code.")
                    % {"list": "; ".join(f"{o.name} ({o.tax_code or '—'}, {o.commune.name})" for o in found)},
                )
            elif found:
                org = found[0]
    if org is None and not row.errors:
        error(
            "tax_code" if code else "name",
            _("no organisation in the registry matches; import the registry first."),
        )
    elif org is not None and allowed is not None and org.pk not in allowed:
        error("tax_code", _("this organisation is outside the area your account manages."))
    values = {}
    for name in FIGURE_FIELDS:
        col = by_field.get(name)
        if col is None:
            continue
        try:
            number = parse_number(cell(name))
        except ValueError:
            error(name, _("“%(value)s” is not a number.") % {"value": cell(name)})
            continue
        if number is not None:
            values[name] = int(round(number * (col.multiplier if name in MONEY_FIELDS else 1)))
    row.data = {"organisation": org, "year": row_year, "values": values}
    if row.errors or org is None:
        return
    existing = AnnualFigures.objects.filter(organisation=org, year=row_year, is_estimate=False).first()
    row.target = existing
    if existing is not None and existing.status in LOCKED_STATUSES:
        error(
            "year",
            _("the %(year)s figures of %(name)s are locked (%(status)s); reopen them first.")
            % {"year": row_year, "name": org.name, "status": existing.get_status_display()},
        )
        return
    if existing is not None:
        row.changes = {k: (getattr(existing, k), v) for k, v in values.items() if getattr(existing, k) != v}
        row.outcome = "changed" if row.changes else "unchanged"
    else:
        row.outcome = "new"


def commit(plan: ImportPlan, user=None, valid_only: bool = False, fast: bool = True) -> ImportBatch:
    """Write the plan: everything in one transaction, or only the valid rows when asked.

    The plan's rows were validated by `prepare`; new organisations are written from that result
    (`fastwrite`: executemany/COPY) rather than validated again; `fast=False` writes them through
    `registry.services.create_organisations` instead (the tests compare both)."""
    if plan.has_errors and not valid_only:
        raise ImportRefused(_("%(n)s rows have errors: nothing was imported.") % {"n": plan.count("error")})
    actor = Actor(user=user, source=Source.IMPORT, request_id=uuid.uuid4().hex)
    access.require(actor, "import")
    with transaction.atomic():
        batch = ImportBatch.objects.create(
            kind=plan.kind, filename=plan.filename[:255], context_unit=plan.context, year=plan.year,
            user=user if getattr(user, "pk", None) else None, request_id=actor.request_id,
        )  # fmt: skip
        new = []
        for row in plan.rows:
            if row.outcome == "error":
                batch.skipped += 1
            elif row.outcome == "unchanged":
                batch.unchanged += 1
            elif row.outcome == "new" and plan.kind != "figures":
                new.append(row)
            else:
                _write(batch, actor, plan.kind, row)
        if fast:
            created = fastwrite.create_organisations(
                batch, actor, [row.data for row in new], [row.instance for row in new]
            )
            batch.created += len(created)
        else:
            for i in range(0, len(new), BULK_ROWS):
                _create_many(batch, actor, new[i : i + BULK_ROWS])
        batch.save()
    return batch


BULK_ROWS = 5000


def _create_many(batch, actor, rows) -> None:
    """New organisations in bulk through the registry's service (validated, scoped, audited)."""
    created = registry_services.create_organisations(actor, [row.data for row in rows])
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


@transaction.atomic
def undo(batch: ImportBatch, user=None) -> None:
    """Reverse a batch: delete what it created, restore what it changed; refused if changed since."""
    if batch.undone_at:
        raise ValidationError(_("This batch has already been undone."))
    actor = Actor(user=user, source=Source.IMPORT, request_id=uuid.uuid4().hex)
    access.require(actor, "undo_import", batch)
    items = list(batch.items.select_related("content_type"))
    for item in items:
        later = AuditEntry.objects.filter(
            content_type=item.content_type, object_id=item.object_id, timestamp__gt=batch.created_at
        ).exclude(request_id=batch.request_id)
        if later.exists():
            raise ValidationError(_("An object of this batch was changed after the import; undo it by hand."))
    for item in reversed(items):
        model = item.content_type.model_class()
        obj = model.objects.filter(pk=item.object_id).first()
        if obj is None:
            continue
        if model is Organisation:
            if item.action == "create":
                registry_services.delete_organisation(actor, obj)
            else:
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
