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


class RollupColumns(models.Model):
    """The numbers of a rollup row: what every figure indicator served from the rollup sums."""

    # The organisations registered by 31/12 and active that day (the population).
    active = models.PositiveIntegerField(default=0)
    # Of those, the ones in being that day by their own founding rule (a cooperative group by
    # its regime: registration, contract or commune register, `engine.tht_founded_on`).
    in_being = models.PositiveIntegerField(default=0)
    # Of those, with approved final figures / with an approved estimate only (Coverage).
    final = models.PositiveIntegerField(default=0)
    estimated = models.PositiveIntegerField(default=0)
    # Approved sets counted (the final set, else the estimate) of the active organisations.
    figures = models.PositiveIntegerField(default=0)
    # Of those, with a profit before tax above zero.
    n_profitable = models.PositiveIntegerField(default=0)
    # Founded in the year (whatever their status since), by the same founding rule.
    founded = models.PositiveIntegerField(default=0)

    locals().update(dict(_column(f) for f in FIGURES))

    class Meta:
        abstract = True


class FigureRollup(RollupColumns):
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

    class Meta:
        indexes = [
            models.Index(fields=["year", "commune"], name="rollup_year_commune_idx"),
            models.Index(fields=["commune", "year"], name="rollup_commune_year_idx"),
        ]
        verbose_name = _("figures rollup cell")
        verbose_name_plural = _("figures rollup")

    def __str__(self) -> str:
        return f"{self.year} {self.commune_id}/{self.former_commune_id} {self.kind}"


class AreaRollup(RollupColumns):
    """A province's numbers for a year, in the hierarchy of that year's 31/12 (the 63 provinces
    of 2024, the 34 of 2025): the country's dashboards compare these. Summed from the cells by
    the engine's own membership rule (`engine.UnitIndex`), kept with them (rollup.refresh)."""

    year = models.PositiveSmallIntegerField()
    unit = models.ForeignKey("geo.AdministrativeUnit", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=5)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["year", "unit", "kind"], name="area_rollup_year_unit_kind_uniq")
        ]
        verbose_name = _("province rollup row")
        verbose_name_plural = _("province rollup")

    def __str__(self) -> str:
        return f"{self.year} {self.unit_id} {self.kind}"


class RollupYear(models.Model):
    """A year the rollup holds: the engine serves only these from it (others stay live)."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    built_at = models.DateTimeField(auto_now=True)
    # The layout the year was built with (rollup.LAYOUT): a year built by an earlier release
    # (without `in_being` or the province rows) is not served, and computed live, until
    # `hoptac rebuild-rollup` builds it again.
    layout = models.PositiveSmallIntegerField(default=1)

    def __str__(self) -> str:
        return str(self.year)
