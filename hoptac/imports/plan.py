"""What a dry run found: each row's outcome and values, the table's header and skipped rows.

Rows carry plain values (`data`: field → value, places as unit objects) between the dry run and
the commit, never model instances: a 100,000-row plan stays a few tens of megabytes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from hoptac.imports.columns import REASONS, Column, Skipped, label
from hoptac.imports.reading import column_letter

OUTCOMES = {
    "new": _lazy("new"),
    "changed": _lazy("changed"),
    "unchanged": _lazy("unchanged"),
    "error": _lazy("error"),
}


@dataclass(slots=True)
class RowResult:
    number: int
    outcome: str = "new"  # new | changed | unchanged | error
    errors: list[str] = field(default_factory=list)
    changes: dict = field(default_factory=dict)  # field -> (registry's value, file's value)
    data: dict = field(default_factory=dict)  # the row's values, written as they are on commit
    target: object = None  # the registry's record the row updates (its version is checked on commit)

    @property
    def outcome_label(self) -> str:
        return str(OUTCOMES.get(self.outcome, self.outcome))

    @property
    def change_labels(self) -> dict:
        return {label(k): v for k, v in self.changes.items()}


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
    sheet_names: list[str] = field(default_factory=list)

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


class Where:
    """Messages that name the row's column as the user sees it: "column C (Mã số thuế): …"."""

    def __init__(self, by_field: dict[str, Column]):
        from hoptac.imports.columns import SYNONYMS

        self.places = {}
        for name in SYNONYMS:
            column = by_field.get(name)
            if column is not None:
                self.places[name] = _("column %(col)s (%(header)s)") % {
                    "col": column_letter(column.index),
                    "header": column.header,
                }
            else:
                self.places[name] = label(name)

    def __call__(self, row: RowResult, name: str, message) -> None:
        where = self.places.get(name, "")
        row.errors.append(f"{where}: {message}" if where else str(message))
