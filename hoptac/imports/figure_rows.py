"""The dry run of a figures file: each row matched to its organisation (tax code, else folded name
within the commune), its money converted from the header's unit to đồng."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from hoptac.figures.choices import LOCKED_STATUSES
from hoptac.figures.models import AnnualFigures
from hoptac.imports import cells
from hoptac.imports.columns import MONEY_FIELDS
from hoptac.imports.organisation_rows import Allowed, existing_by_code, file_codes
from hoptac.imports.plan import RowResult, Where
from hoptac.imports.reading import parse_number
from hoptac.registry.models import Organisation

FIGURE_FIELDS = ["members_official", "workers", "managers", "revenue", "profit_before_tax", "profit_after_tax",
                 "total_capital", "charter_capital", "total_assets"]  # fmt: skip


class NameIndex:
    """The registry's organisations in the file's area, by commune and folded name."""

    def __init__(self, matcher):
        self.by_name: dict[str, list[Organisation]] = {}
        communes = list(matcher.by_code.values())
        queryset = Organisation.objects.select_related("commune")
        if communes:
            queryset = queryset.filter(commune__in=communes)
        for org in queryset.only("pk", "name", "tax_code", "commune__name", "commune__code"):
            self.by_name.setdefault(cells.name_key(org.name), []).append(org)

    def find(self, name, commune) -> list[Organisation]:
        found = self.by_name.get(cells.name_key(name), [])
        if commune is not None:
            found = [o for o in found if o.commune_id == commune.pk]
        return found


class FigureRows:
    """Reads one row of a figures file into a RowResult; built once per dry run."""

    def __init__(self, by_field, year, matcher, user, rows):
        self.by_field, self.year, self.matcher = by_field, year, matcher
        self.position = {name: column.index for name, column in by_field.items()}
        self.where = Where(by_field)
        self.allowed = Allowed(user)
        self.existing = existing_by_code(file_codes(rows, self.position.get("tax_code")))
        self.allowed.learn(self.existing.values())
        self._names: NameIndex | None = None

    @property
    def names(self) -> NameIndex:
        if self._names is None:
            self._names = NameIndex(self.matcher)
            self.allowed.learn([o for found in self._names.by_name.values() for o in found])
        return self._names

    def read(self, raw, number: int, group) -> RowResult:
        row = RowResult(number=number)
        error = self.where

        def cell(name):
            i = self.position.get(name)
            return raw[i] if i is not None and i < len(raw) else None

        row_year = self.year
        if cell("year") not in (None, ""):
            try:
                row_year = int(parse_number(cell("year")))
            except (ValueError, TypeError):
                error(row, "year", _("“%(value)s” is not a year.") % {"value": cell("year")})
        if row_year is None:
            error(row, "year", _("give the year (a “Năm” column, or the year of the file)."))
        org = None
        code = cells.tax_code_text(cell("tax_code"))
        if code:
            try:
                org = self.existing.get(cells.tax_code(code))
            except ValidationError as exc:
                error(row, "tax_code", exc.messages[0])
        elif cell("name") not in (None, ""):
            commune = None
            place = cell("commune")
            if place not in (None, "") or group:
                try:
                    commune, _former = self.matcher.resolve(
                        group if place in (None, "") and group else place, cell("former_commune")
                    )
                except ValueError as exc:
                    error(row, "commune", str(exc))
            if not row.errors:
                found = self.names.find(str(cell("name")), commune)
                if len(found) > 1:
                    error(
                        row,
                        "name",
                        _("several organisations have this name: %(list)s; give the tax code.")
                        % {
                            "list": "; ".join(
                                f"{o.name} ({o.tax_code or '—'}, {o.commune.name})" for o in found
                            )
                        },
                    )
                elif found:
                    org = found[0]
        if org is None and not row.errors:
            error(
                row,
                "tax_code" if code else "name",
                _("no organisation in the registry matches; import the registry first."),
            )
        elif org is not None and org not in self.allowed:
            error(row, "tax_code", _("this organisation is outside the area your account manages."))
        values = {}
        for name in FIGURE_FIELDS:
            col = self.by_field.get(name)
            if col is None:
                continue
            try:
                number_value = parse_number(cell(name))
            except ValueError:
                error(row, name, _("“%(value)s” is not a number.") % {"value": cell(name)})
                continue
            if number_value is not None:
                values[name] = int(round(number_value * (col.multiplier if name in MONEY_FIELDS else 1)))
        row.data = {"organisation": org, "year": row_year, "values": values}
        if row.errors or org is None:
            return row
        existing = AnnualFigures.objects.filter(organisation=org, year=row_year, is_estimate=False).first()
        row.target = existing
        if existing is not None and existing.status in LOCKED_STATUSES:
            error(
                row,
                "year",
                _("the %(year)s figures of %(name)s are locked (%(status)s); reopen them first.")
                % {"year": row_year, "name": org.name, "status": existing.get_status_display()},
            )
            return row
        if existing is not None:
            row.changes = {
                k: (getattr(existing, k), v) for k, v in values.items() if getattr(existing, k) != v
            }
            row.outcome = "changed" if row.changes else "unchanged"
        else:
            row.outcome = "new"
        return row
