"""Plans, their clauses and their targets, held as data.

Plans form a tree (Nghị quyết 20-NQ/TW → province programme → district plan → instructions),
and each target keeps its original wording beside the structured bound that is measured.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hoptac.accounts.access import RestrictedQuerySet
from hoptac.geo.models import AdministrativeUnit, Generation, Level


class PlanKind(models.TextChoices):
    RESOLUTION = "resolution", _("Resolution")
    STRATEGY = "strategy", _("Strategy")
    PROGRAMME = "programme", _("Action programme")
    PLAN = "plan", _("Plan")
    INSTRUCTION = "instruction", _("Instruction")


class Bound(models.TextChoices):
    """How a target's number is worded, and so how it is judged."""

    ABOUT = "about", _("about (khoảng)")
    NEARLY = "nearly", _("nearly (gần)")
    AT_LEAST = "at_least", _("at least (ít nhất, từ … trở lên)")
    MORE_THAN = "more_than", _("more than (trên)")
    AT_MOST = "at_most", _("at most (tối đa)")
    NONE = "none", _("none (không còn)")
    RANGE = "range", _("range (từ … đến …)")
    QUALITATIVE = "qualitative", _("done / not done")


def related_provinces(unit: AdministrativeUnit) -> list[int]:
    """Province ids, of both generations, that share ground with the unit."""
    province = unit if unit.level == Level.PROVINCE else unit.province
    if province is None:
        return []
    links = province.predecessor_links if province.generation == Generation.NEW else province.successor_links
    other = links.values_list("old_id" if province.generation == Generation.NEW else "new_id", flat=True)
    return [province.pk, *other]


class Plan(models.Model):
    """A plan, programme or resolution with its issuer, number, date and the unit it covers."""

    key = models.SlugField(max_length=60, unique=True, help_text=_("Stable identifier used by load-plans."))
    kind = models.CharField(_("kind"), max_length=12, choices=PlanKind.choices)
    issuer = models.CharField(_("issuer"), max_length=200)
    number = models.CharField(_("number and symbol"), max_length=60, blank=True)
    date = models.DateField(_("date"), null=True, blank=True)
    date_text = models.CharField(_("date as written"), max_length=60, blank=True)
    title = models.TextField(_("title"))
    scope_unit = models.ForeignKey(
        AdministrativeUnit, verbose_name=_("unit"), null=True, blank=True, on_delete=models.PROTECT, related_name="plans",
        help_text=_("The unit the plan covers; a plan that names none is attached by an officer."),
    )  # fmt: skip
    parent = models.ForeignKey(
        "self",
        verbose_name=_("implements"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="children",
    )
    seed = models.CharField(max_length=60, blank=True)

    objects = RestrictedQuerySet.as_manager()
    restrict_through = ""

    class Meta:
        ordering = ["-date", "key"]
        verbose_name = _("plan")
        verbose_name_plural = _("plans")

    def __str__(self) -> str:
        return f"{self.number or self.get_kind_display()} – {self.issuer}"

    def get_absolute_url(self) -> str:
        return reverse("plans:detail", args=[self.pk])

    @property
    def baseline_year(self) -> int:
        """The year before the plan was issued: the situation the plan starts from."""
        return (self.date.year if self.date else 2023) - 1

    def ancestors(self) -> list[Plan]:
        chain, plan, seen = [], self.parent, set()
        while plan is not None and plan.pk not in seen:
            seen.add(plan.pk)
            chain.append(plan)
            plan = plan.parent
        return chain


class Clause(models.Model):
    """A numbered part of a plan (I.2, III.2.1, 2.3) that sets targets or tasks."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="clauses")
    ref = models.CharField(max_length=20)
    title = models.CharField(max_length=300, blank=True)
    text = models.TextField(blank=True)

    objects = RestrictedQuerySet.as_manager()
    restrict_through = "plan"

    class Meta:
        ordering = ["plan", "id"]
        constraints = [models.UniqueConstraint(fields=["plan", "ref"], name="clause_ref_unique_per_plan")]

    def __str__(self) -> str:
        return f"{self.ref} {self.title}".strip()


class Target(models.Model):
    """One target of a plan: its wording as issued, and the bound that is measured."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="targets")
    clause = models.ForeignKey(
        Clause, null=True, blank=True, on_delete=models.SET_NULL, related_name="targets"
    )
    code = models.CharField(max_length=10)
    wording = models.TextField(_("wording"))
    indicator = models.CharField(_("indicator"), max_length=40)
    bound = models.CharField(_("bound"), max_length=12, choices=Bound.choices)
    value = models.DecimalField(_("value"), max_digits=18, decimal_places=2, null=True, blank=True)
    value_max = models.DecimalField(_("upper value"), max_digits=18, decimal_places=2, null=True, blank=True)
    approximate = models.BooleanField(default=False, help_text=_("“khoảng” before a range."))
    horizon = models.PositiveSmallIntegerField(_("horizon"))
    period_start = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text=_("First year counted, for targets over a period.")
    )
    note = models.TextField(blank=True)
    sort = models.PositiveSmallIntegerField(default=0)

    objects = RestrictedQuerySet.as_manager()
    restrict_through = "plan"

    class Meta:
        ordering = ["plan", "horizon", "sort"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="target_code_unique_per_plan"),
            models.CheckConstraint(
                condition=~Q(bound="range") | Q(value_max__isnull=False),
                name="target_range_has_upper_value",
                violation_error_message=_("A range needs its upper value."),
            ),  # fmt: skip
        ]
        verbose_name = _("target")
        verbose_name_plural = _("targets")

    def __str__(self) -> str:
        return f"{self.code}: {self.wording}"
