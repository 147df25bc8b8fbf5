"""The figures rollup: what every figure indicator needs, summed per year and cell.

A cell is (year, commune, former commune, kind): the finest grouping the engine rolls up to
any unit of either generation (engine.UnitIndex). Kept by `hoptac.indicators.rollup`.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from hoptac.figures.fields import FIGURES


def _column(figure) -> tuple[str, models.Field]:
    if figure.kind == "flag":  # how many of the cell's approved sets say yes
        return f"n_{figure.name}", models.PositiveIntegerField(default=0)
    return f"s_{figure.name}", models.BigIntegerField(default=0)  # Σ over the approved sets


class FigureRollup(models.Model):
    """One cell's numbers for a year, derived data: rebuilt by `hoptac rebuild-rollup` and kept
    up to date in the transaction of every write that changes them (rollup.refresh)."""

    year = models.PositiveSmallIntegerField()
    commune = models.ForeignKey(
        "geo.AdministrativeUnit", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    former_commune = models.ForeignKey(
        "geo.AdministrativeUnit", on_delete=models.CASCADE, null=True, related_name="+", db_index=False
    )
    kind = models.CharField(max_length=5)
    # The organisations of the cell registered by 31/12 and active that day (the population).
    active = models.PositiveIntegerField(default=0)
    # Of those, with approved final figures / with an approved estimate only (Coverage).
    final = models.PositiveIntegerField(default=0)
    estimated = models.PositiveIntegerField(default=0)
    # Approved sets counted (the final set, else the estimate) of the active organisations.
    figures = models.PositiveIntegerField(default=0)
    # Of those, with a profit before tax above zero.
    n_profitable = models.PositiveIntegerField(default=0)
    # Registered in the year (whatever their status since).
    founded = models.PositiveIntegerField(default=0)

    locals().update(dict(_column(f) for f in FIGURES))

    class Meta:
        indexes = [
            models.Index(fields=["year", "commune"], name="rollup_year_commune_idx"),
            models.Index(fields=["commune", "year"], name="rollup_commune_year_idx"),
        ]
        verbose_name = _("figures rollup cell")
        verbose_name_plural = _("figures rollup")

    def __str__(self) -> str:
        return f"{self.year} {self.commune_id}/{self.former_commune_id} {self.kind}"


class RollupYear(models.Model):
    """A year the rollup holds: the engine serves only these from it (others stay live)."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    built_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return str(self.year)
