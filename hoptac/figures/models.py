"""Annual figures of each organisation, their approval, and the classification under TT 01/2020."""

from __future__ import annotations

from django.db import models
from django.db.models import BooleanField, F, Func, Q
from django.utils.translation import gettext_lazy as _

from hoptac.accounts.access import RestrictedQuerySet
from hoptac.core.concurrency import Versioned
from hoptac.figures.choices import WAITING_STATUSES, CriterionGroup, FiguresStatus, Grade
from hoptac.figures.fields import DIGITAL_PARTS, FIGURES
from hoptac.registry.models import Organisation


class LiteralIn(Func):
    """`field IN ('a', 'b')` with the constants written into the SQL, not bound as parameters.

    SQLite uses a partial index only when the query's WHERE repeats the index's condition
    term for term, and `status IN (?, ?)` with bound values does not (PostgreSQL proves both).
    Only for the code's own constants (letters, digits, underscores), never for user input.
    """

    output_field = BooleanField()
    conditional = True

    def __init__(self, field: str, values):
        self.values = tuple(str(v) for v in values)
        if not all(v.replace("_", "").isalnum() for v in self.values):
            raise ValueError(f"LiteralIn takes plain constants, not {self.values!r}")
        super().__init__(F(field))

    def as_sql(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"{sql} IN ({', '.join(repr(v) for v in self.values)})", params


class FiguresQuerySet(RestrictedQuerySet):
    def approved(self):
        return self.filter(status=FiguresStatus.APPROVED)

    def waiting(self):
        """Sets waiting for an officer (submitted, or approved at commune level), in the terms of
        the partial index figures_waiting_idx so that both databases read the queue from it."""
        return self.filter(LiteralIn("status", WAITING_STATUSES))

    def best_for_year(self, year: int):
        """For each organisation, the final set of the year if it exists, else the estimate.

        Reports due before the year ends use estimates (ước thực hiện); the final set replaces
        the estimate without deleting it.
        """
        finals = self.filter(year=year, is_estimate=False)
        return self.filter(year=year).filter(
            Q(is_estimate=False) | ~Q(organisation__in=finals.values("organisation"))
        )


def _figure_field(figure) -> models.Field:
    if figure.kind == "flag":
        return models.BooleanField(figure.label, default=False)
    if figure.name in ("profit_before_tax", "profit_after_tax"):
        return models.BigIntegerField(figure.label, null=True, blank=True)
    if figure.kind == "money":
        return models.PositiveBigIntegerField(figure.label, null=True, blank=True)
    return models.PositiveIntegerField(figure.label, null=True, blank=True)


class AnnualFigures(Versioned):
    """One set of figures for one organisation and year: an estimate or the final figures.

    Values are whole numbers (people, đồng); empty means not reported, which is not zero.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="annual_figures")
    year = models.PositiveSmallIntegerField(_("year"))
    is_estimate = models.BooleanField(
        _("estimate"),
        default=False,
        help_text=_("Estimated figures (ước thực hiện) for a report due before the year ends."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=FiguresStatus.choices, default=FiguresStatus.DRAFT
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.CharField(max_length=150, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.CharField(max_length=150, blank=True)
    reviewed_by = models.CharField(max_length=150, blank=True, help_text=_("First-level (commune) approver."))
    confirmed_warnings = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # One model field per figure in fields.FIGURES (the class namespace is a plain dict here).
    locals().update({f.name: _figure_field(f) for f in FIGURES})

    objects = FiguresQuerySet.as_manager()
    restrict_through = "organisation"

    class Meta:
        ordering = ["organisation", "-year", "is_estimate"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year", "is_estimate"],
                name="figures_one_set_per_organisation_year_kind",
                violation_error_message=_(
                    "This organisation already has figures of this kind for this year."
                ),
            ),
            models.CheckConstraint(
                condition=Q(year__gte=1990, year__lte=2100), name="figures_year_plausible"
            ),
        ]
        indexes = [
            models.Index(fields=["year", "status"], name="figures_year_status_idx"),
            # The review queue's order (figures.views.QUEUE_ORDERS): oldest submission first.
            models.Index(
                fields=["year", "submitted_at", "id"],
                condition=Q(status__in=WAITING_STATUSES),
                name="figures_waiting_idx",
            ),
        ]
        verbose_name = _("annual figures")
        verbose_name_plural = _("annual figures")

    def __str__(self) -> str:
        kind = _("estimate") if self.is_estimate else _("final")
        return f"{self.organisation} – {self.year} ({kind})"

    @property
    def members_total(self) -> int:
        return sum(
            getattr(self, n) or 0
            for n in ("members_official", "members_associate_capital", "members_associate_noncapital")
        )

    def derive(self) -> None:
        """Figures that follow from others: any of the digital practices counts as digital transformation."""
        if any(getattr(self, name) for name in DIGITAL_PARTS):
            self.digital_transformation = True

    def save(self, *args, **kwargs):
        self.derive()
        super().save(*args, **kwargs)


class FiguresVersion(models.Model):
    """A set of figures as it was approved. Reopening keeps it; the next approval adds another."""

    figures = models.ForeignKey(AnnualFigures, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveSmallIntegerField()
    data = models.JSONField()
    approved_at = models.DateTimeField()
    approved_by = models.CharField(max_length=150)
    reopened_at = models.DateTimeField(null=True, blank=True)
    reopened_by = models.CharField(max_length=150, blank=True)
    reopen_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["figures", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["figures", "number"], name="figures_version_number_unique")
        ]

    def __str__(self) -> str:
        return f"{self.figures} v{self.number}"


class Rubric(models.Model):
    """A version of the evaluation rubric with its legal source and period of validity.

    Thông tư 01/2020/TT-BKHĐT Phụ lục I, in force from 01/04/2020, reported repealed in full
    from 18/09/2025 by Thông tư 78/2025/TT-BTC (one source: the Cao Bằng Liên minh HTX; the
    repealing text was not seen, so an administrator can move the end date, with a reason).
    No national rubric replaced it; a province may adopt its own ("tiêu chí địa phương") for
    the years after. Kept as data so that a successor becomes a new rubric, not a code change.
    """

    code = models.CharField(max_length=40, unique=True)
    name = models.CharField(max_length=200)
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)
    legal_source = models.CharField(_("legal source"), max_length=200, blank=True)
    ended_by = models.CharField(
        _("ended by"), max_length=300, blank=True, help_text=_("The act that ended it, and how sure that is.")
    )
    # A local rubric may set its own bands ({"tot": 75, "kha": 60, "trung_binh": 45}: the lower
    # bound of each grade); empty keeps those of TT 01/2020 Điều 7 k.2 (80 / 65 / 50).
    bands = models.JSONField(_("grade bands"), default=dict, blank=True)
    province = models.ForeignKey(
        "geo.AdministrativeUnit",
        verbose_name=_("province (local rubric)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty for a national rubric; a province for its own local rubric."),
    )

    class Meta:
        ordering = ["-valid_from"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_local(self) -> bool:
        return self.province_id is not None

    @property
    def label(self) -> str:
        """ "Thông tư 01/2020/TT-BKHĐT", or "… (tiêu chí địa phương)" for a province's own rubric."""
        name = self.legal_source or self.name
        return f"{name} ({_('local criteria')})" if self.is_local else name

    def in_force_on(self, day) -> bool:
        return self.valid_from <= day and (self.valid_to is None or self.valid_to >= day)

    @property
    def band_text(self) -> str:
        """ "Tốt ≥ 80; Khá ≥ 65; Trung bình ≥ 50" (below the last: yếu), for pages."""
        from hoptac.core import numbers

        return "; ".join(
            f"{Grade(g).label} ≥ {numbers.number(lower, 0 if lower == int(lower) else 1)}"
            for lower, g in self.grade_bands
        )

    @property
    def grade_bands(self) -> list:
        """[(lower bound, grade)] highest first: the rubric's own bands, else TT 01/2020 Điều 7's."""
        from decimal import Decimal

        from hoptac.figures.classification import BANDS

        if not self.bands:
            return BANDS
        return sorted(
            ((Decimal(str(self.bands[g])), g) for g in (Grade.GOOD, Grade.FAIR, Grade.AVERAGE)), reverse=True
        )

    @classmethod
    def for_year(cls, year: int, province=None) -> Rubric | None:
        """The rubric in force at the end of `year`: the province's own if it adopted one, else the national one."""
        import datetime

        end = datetime.date(year, 12, 31)
        valid = cls.objects.filter(valid_from__lte=end).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=end)
        )
        if province is not None:
            local = valid.filter(province=province).first()
            if local is not None:
                return local
        return valid.filter(province__isnull=True).first()


class Criterion(models.Model):
    """One of the 15 criteria, with its maximum points and sub-items (as text)."""

    rubric = models.ForeignKey(Rubric, on_delete=models.CASCADE, related_name="criteria")
    number = models.PositiveSmallIntegerField()
    group = models.CharField(max_length=12, choices=CriterionGroup.choices)
    name = models.CharField(max_length=200)
    max_points = models.DecimalField(max_digits=5, decimal_places=2)
    sub_items = models.JSONField(
        default=list, blank=True, help_text=_("[[text, points], …] as in the annex.")
    )
    confirmed = models.BooleanField(
        default=True,
        help_text=_("False where our sources do not confirm the maximum; an administrator may correct it."),
    )

    class Meta:
        ordering = ["rubric", "number"]
        constraints = [models.UniqueConstraint(fields=["rubric", "number"], name="criterion_number_unique")]

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"


class Assessment(Versioned):
    """The evaluation of one cooperative for one year: scores, total, grade.

    The board of directors scores itself (self_scores); the supervisory board checks
    (board_scores). The grade follows the checked scores where given (TT 01/2020 Điều 8).
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="assessments")
    year = models.PositiveSmallIntegerField()
    rubric = models.ForeignKey(Rubric, on_delete=models.PROTECT)
    self_scores = models.JSONField(default=dict, blank=True)
    board_scores = models.JSONField(default=dict, blank=True)
    score = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    computed_grade = models.CharField(max_length=10, choices=Grade.choices, default=Grade.NOT_RATED)
    not_rated_reason = models.CharField(max_length=200, blank=True)
    override_grade = models.CharField(max_length=10, choices=Grade.choices, blank=True)
    override_reason = models.TextField(blank=True)
    overridden_by = models.CharField(max_length=150, blank=True)
    grade = models.CharField(max_length=10, choices=Grade.choices, default=Grade.NOT_RATED, db_index=True)
    computed_at = models.DateTimeField(auto_now=True)
    updated_by = models.CharField(max_length=150, blank=True)

    objects = RestrictedQuerySet.as_manager()
    restrict_through = "organisation"

    class Meta:
        ordering = ["organisation", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year"], name="assessment_one_per_organisation_year"
            )
        ]
        indexes = [models.Index(fields=["year", "grade"], name="assessment_year_grade_idx")]

    def __str__(self) -> str:
        return f"{self.organisation} {self.year}: {self.get_grade_display()}"
