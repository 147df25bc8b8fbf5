"""The dry run of a registry file (organisations, cooperative groups): each row read, checked and
compared with the registry, without a query or a model instance per row."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models.expressions import RawSQL
from django.utils.translation import gettext as _

from hoptac.imports import cells
from hoptac.imports.checks import OrganisationChecks
from hoptac.imports.plan import RowResult, Where
from hoptac.registry.choices import Kind
from hoptac.registry.models import Organisation

CHUNK = 5000


def among(ids: list[int]):
    """A value for `pk__in` over a chunk of ids: on PostgreSQL one array parameter (psycopg
    parses a query of 5,000 placeholders for longer than the server takes to answer it)."""
    if connection.vendor == "postgresql":
        return RawSQL("SELECT unnest(%s::bigint[])", [list(ids)])
    return ids


class Allowed:
    """Which registry organisations the user may change, asked for the ones the file names only."""

    def __init__(self, user):
        self.user = user
        self.known: dict[int, bool] = {}

    def learn(self, organisations) -> None:
        if self.user is None:
            return
        pks = sorted({o.pk for o in organisations} - set(self.known))
        for i in range(0, len(pks), CHUNK):
            chunk = pks[i : i + CHUNK]
            inside = set(
                Organisation.objects.restrict(self.user, "change")
                .filter(pk__in=among(chunk))
                .values_list("pk", flat=True)
            )
            self.known.update({pk: pk in inside for pk in chunk})

    def __contains__(self, organisation) -> bool:
        if self.user is None:
            return True
        if organisation.pk not in self.known:
            self.learn([organisation])
        return self.known[organisation.pk]


def existing_by_code(codes: set[str]) -> dict[str, Organisation]:
    """The registry's organisations whose tax codes appear in the file (not the whole registry):
    their ids by plain SQL (100,000 codes as ORM parameters took seconds; on PostgreSQL one array
    parameter per chunk), then the records."""
    ordered, ids = sorted(codes), []
    table = connection.ops.quote_name(Organisation._meta.db_table)
    with connection.cursor() as cursor:
        for i in range(0, len(ordered), CHUNK):
            chunk = ordered[i : i + CHUNK]
            if connection.vendor == "postgresql":
                cursor.execute(f"SELECT id FROM {table} WHERE tax_code = ANY(%s)", [chunk])
            else:
                cursor.execute(
                    f"SELECT id FROM {table} WHERE tax_code IN ({', '.join(['%s'] * len(chunk))})", chunk
                )
            ids.extend(r[0] for r in cursor.fetchall())
    found = {}
    for i in range(0, len(ids), CHUNK):
        found.update({o.tax_code: o for o in Organisation.objects.filter(pk__in=among(ids[i : i + CHUNK]))})
    return found


def file_codes(rows, position: int | None) -> set[str]:
    return set(file_code_texts(rows, position).values())


def file_code_texts(rows, position: int | None) -> dict[str, str]:
    """{tax code as the file writes it (`tax_code_text`): the code} for the valid ones."""
    codes: dict[str, str] = {}
    if position is None:
        return codes
    for raw in rows:
        text = cells.tax_code_text(raw[position] if position < len(raw) else "")
        if text and text not in codes:
            try:
                codes[text] = cells.tax_code(text)
            except ValidationError:
                continue
    return codes


class _Unnamed:
    """Registry organisations without a tax code, by (lower-case name, commune), loaded per commune."""

    def __init__(self, allowed: Allowed):
        self.allowed = allowed
        self.by_commune: dict[int, dict[str, Organisation]] = {}

    def find(self, name: str, commune) -> Organisation | None:
        found = self.by_commune.get(commune.pk)
        if found is None:
            found = {}
            # the model's ordering (name, id): the first of two equal names, as .first() gave it
            for org in Organisation.objects.filter(commune=commune, tax_code="").order_by("name", "id"):
                found.setdefault(org.name.lower(), org)
            self.by_commune[commune.pk] = found
            self.allowed.learn(found.values())
        return found.get(name.lower())


class OrganisationRows:
    """Reads one row of a registry file into a RowResult; built once per dry run."""

    def __init__(self, kind, by_field, matcher, user, scope_communes, rows):
        self.kind, self.by_field, self.matcher = kind, by_field, matcher
        self.position = {name: column.index for name, column in by_field.items()}
        self.scope_communes = scope_communes
        self.where = Where(by_field)
        self.checks = OrganisationChecks(matcher.successors)
        self.allowed = Allowed(user)
        self.codes = file_code_texts(rows, self.position.get("tax_code"))  # each code checked once
        self.existing = existing_by_code(set(self.codes.values()))
        self.allowed.learn(self.existing.values())
        self.unnamed = _Unnamed(self.allowed)
        self.dates = cells.Dates()
        self.seen: set = set()
        place = by_field.get("commune")
        self.address_from_place = place is not None and place.as_place and "address" not in by_field
        self.units = {
            u.pk: u for units in (*matcher.current.values(), *matcher.former.values()) for u in units
        }

    def _unit(self, pk):
        if pk is None:
            return None
        unit = self.units.get(pk)
        if unit is None:
            from hoptac.geo.models import AdministrativeUnit

            unit = self.units[pk] = AdministrativeUnit.objects.get(pk=pk)
        return unit

    def read(self, raw, number: int, group) -> RowResult:
        row = RowResult(number=number)
        position, size = self.position, len(raw)
        values = {name: raw[i] for name, i in position.items() if i < size and raw[i] not in (None, "")}
        error = self.where
        name = " ".join(str(values.get("name") or "").split())
        data = {"name": name}
        if not name:
            error(row, "name", _("the name is empty."))
        code = cells.tax_code_text(values.get("tax_code"))
        if code:
            checked = self.codes.get(code)
            if checked is not None:
                data["tax_code"] = checked
            else:
                try:
                    data["tax_code"] = cells.tax_code(code)
                except ValidationError as exc:
                    error(row, "tax_code", exc.messages[0])
        kind = data["kind"] = (
            Kind.THT
            if self.kind == "tht"
            else cells.kind_of(str(values.get("kind") or ""), name[:40], Kind.HTX)
        )
        place = values.get("commune")
        try:
            data["commune"], data["former_commune"] = self.matcher.resolve(
                group if place is None and group else place, values.get("former_commune")
            )
        except ValueError as exc:
            error(row, "commune", str(exc))
        if self.address_from_place and place is not None:
            data["address"] = str(place).strip()
        for field in ("address", "director_name", "phone"):
            if field in values:
                data[field] = cells.text_value(values[field])
        if "sector" in values:
            data["sector"] = cells.sector(values["sector"])
        for field in ("registration_date", "contract_date"):
            value = values.get(field)
            if value is not None:
                if field == "contract_date" and cells.fold(str(value)) in cells.YES | cells.NO:
                    continue
                try:
                    data[field] = self.dates(value)
                except ValueError:
                    error(row, field, _("“%(value)s” is not a date (dd/mm/yyyy).") % {"value": value})
        if kind == Kind.THT and "in_commune_register" in values:
            try:
                data["in_commune_register"] = cells.yes_no(values["in_commune_register"])
            except ValueError:
                error(row, "in_commune_register", _("write “có” or “không”."))
        if kind != Kind.THT:
            data.pop("contract_date", None)
        commune = data.get("commune")
        if commune is not None and self.scope_communes is not None and commune.pk not in self.scope_communes:
            error(
                row,
                "commune",
                _("%(commune)s is outside the area your account manages.") % {"commune": commune.name},
            )
        tax = data.get("tax_code")
        identity = tax or (name.lower(), getattr(commune, "pk", None))
        if identity in self.seen:
            error(row, "tax_code" if tax else "name", _("the same organisation appears twice in the file."))
        self.seen.add(identity)
        target = self.existing.get(tax) if tax else None
        if target is None and not tax and commune is not None:
            target = self.unnamed.find(name, commune)
        row.data, row.target = data, target
        if row.errors:
            return row
        if target is not None:
            if target not in self.allowed:
                error(
                    row, "name", _("this organisation exists but is outside the area your account manages.")
                )
                return row
            row.changes = self._changes(target, data)
            if not row.changes:  # nothing to write: the record stays as the registry holds it
                row.outcome = "unchanged"
                return row
            row.outcome = "changed"
            problems = self.checks.errors(data, current=target, tax_code_checked=True)
        else:
            row.outcome = "new"
            problems = self.checks.errors(data, tax_code_checked=True)
        for field, messages in problems.items():
            for message in messages:
                error(row, field, message)
        if row.errors:
            row.outcome = "error"
        return row

    def _changes(self, target: Organisation, data: dict) -> dict:
        changes = {}
        for key, value in data.items():
            if key == "kind":
                continue
            if key in ("commune", "former_commune"):
                old_pk = getattr(target, f"{key}_id")
                if old_pk != getattr(value, "pk", None):
                    changes[key] = (self._unit(old_pk), value)
            elif getattr(target, key) != value:
                changes[key] = (getattr(target, key), value)
        return changes
