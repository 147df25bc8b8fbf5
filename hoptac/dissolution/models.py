"""Dissolution cases and mergers: how cooperatives that exist only on paper are resolved.

Seed 002 task 3.2c: long-inactive HTX are dissolved voluntarily (Luật HTX 2012 Điều 54
khoản 1) or else compulsorily (khoản 2); village-level HTX are merged into commune-level ones.
Cases opened from 01/07/2024 fall under Luật HTX 2023 (Luật 17/2023/QH15), whose article
numbers are not yet confirmed (regulations.md §2.3). Both end through the registry's status
history, which stays the single record of whether an organisation exists.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hoptac.accounts.access import RestrictedQuerySet
from hoptac.core.concurrency import Versioned
from hoptac.registry.models import Organisation

LAW_2023_IN_FORCE = datetime.date(2024, 7, 1)


class CaseKind(models.TextChoices):
    VOLUNTARY = "voluntary", _("Voluntary")
    COMPULSORY = "compulsory", _("Compulsory")


class LegalBasis(models.TextChoices):
    LAW_2012_54_1 = "2012-54-1", _("Luật HTX 2012, Điều 54 khoản 1 (voluntary)")
    LAW_2012_54_2 = "2012-54-2", _("Luật HTX 2012, Điều 54 khoản 2 (compulsory)")
    LAW_2023 = "2023", _("Luật HTX 2023")


class StepKind(models.TextChoices):
    """The steps of Luật HTX 2012 Điều 54 k.1 (and their compulsory counterparts)."""

    RESOLUTION = "resolution", _("Resolution of the general meeting / decision to dissolve")
    COUNCIL = "council", _("Dissolution council formed")
    NOTIFY_AUTHORITY = "notify_authority", _("Registration authority notified")
    PUBLISHED = "published", _("Published in 3 consecutive newspaper issues")
    NOTIFY_CREDITORS = "notify_creditors", _("Creditors notified")
    ASSETS = "assets", _("Debts and assets settled")
    OTHER = "other", _("Other step")


class CaseQuerySet(RestrictedQuerySet):
    def open(self):
        return self.filter(closed_on__isnull=True)


class DissolutionCase(Versioned):
    """One dissolution of one organisation, from the decision to open it to the dissolved status."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("cooperative"),
        on_delete=models.PROTECT,
        related_name="dissolution_cases",
    )
    kind = models.CharField(_("kind"), max_length=10, choices=CaseKind.choices)
    legal_basis = models.CharField(_("legal basis"), max_length=10, choices=LegalBasis.choices)
    deciding_body = models.CharField(
        _("deciding body"),
        max_length=200,
        help_text=_("E.g. the general meeting, or UBND xã for a compulsory case."),
    )
    grounds = models.TextField(_("grounds"), blank=True, help_text=_("Why, e.g. no operation for 12 months."))
    opened_on = models.DateField(_("opened on"))
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    decision = models.CharField(_("decision"), max_length=120, blank=True)

    objects = CaseQuerySet.as_manager()
    restrict_through = "organisation"

    class Meta:
        ordering = ["-opened_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation"],
                condition=Q(closed_on__isnull=True),
                name="dissolution_one_open_case",
                violation_error_message=_("This organisation already has an open dissolution case."),
            ),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=F("opened_on")),
                name="dissolution_closes_after_opening",
                violation_error_message=_("A case cannot close before it was opened."),
            ),
        ]
        verbose_name = _("dissolution case")
        verbose_name_plural = _("dissolution cases")

    def __str__(self) -> str:
        return f"{self.organisation} – {self.get_kind_display()}"

    def get_absolute_url(self) -> str:
        return reverse("dissolution:case", args=[self.pk])

    def clean(self):
        errors: dict[str, list] = {}
        if self.kind == CaseKind.VOLUNTARY and self.legal_basis == LegalBasis.LAW_2012_54_2:
            errors["legal_basis"] = [_("Điều 54 khoản 2 is for compulsory dissolution.")]
        elif self.kind == CaseKind.COMPULSORY and self.legal_basis == LegalBasis.LAW_2012_54_1:
            errors["legal_basis"] = [_("Điều 54 khoản 1 is for voluntary dissolution.")]
        if self.opened_on and self.legal_basis:
            new_law = self.opened_on >= LAW_2023_IN_FORCE
            if new_law and self.legal_basis != LegalBasis.LAW_2023:
                errors.setdefault("legal_basis", []).append(
                    _("Cases opened from 01/07/2024 fall under Luật HTX 2023.")
                )
            elif not new_law and self.legal_basis == LegalBasis.LAW_2023:
                errors.setdefault("legal_basis", []).append(
                    _(
                        "Luật HTX 2023 is in force from 01/07/2024; earlier cases fall under Luật HTX 2012 Điều 54."
                    )
                )
        if self.opened_on and self.opened_on > timezone.localdate():
            errors["opened_on"] = [_("The date cannot be in the future.")]
        if errors:
            raise ValidationError(errors)


class DissolutionStep(models.Model):
    """A dated step of a case (notifications, publication, settlement…)."""

    case = models.ForeignKey(DissolutionCase, on_delete=models.PROTECT, related_name="steps")
    kind = models.CharField(_("step"), max_length=20, choices=StepKind.choices, default=StepKind.OTHER)
    name = models.CharField(_("description"), max_length=200, blank=True)
    date = models.DateField(_("date"))
    note = models.TextField(_("note"), blank=True)

    objects = RestrictedQuerySet.as_manager()
    restrict_through = "case__organisation"

    class Meta:
        ordering = ["date", "id"]
        verbose_name = _("dissolution step")
        verbose_name_plural = _("dissolution steps")

    def __str__(self) -> str:
        return self.name or self.get_kind_display()


class Merger(models.Model):
    """Cooperatives merged into a survivor by one decision (seed 002, 3.2c).

    The merged ones end as "merged into" the survivor in the registry; this record keeps the
    decision that joined them, so the survivor's page can show where it came from.
    """

    survivor = models.ForeignKey(
        Organisation,
        verbose_name=_("surviving cooperative"),
        on_delete=models.PROTECT,
        related_name="mergers",
    )
    merged = models.ManyToManyField(
        Organisation, verbose_name=_("merged cooperatives"), related_name="merged_by"
    )
    effective_date = models.DateField(_("effective date"))
    decision = models.CharField(_("decision"), max_length=120, blank=True)
    note = models.TextField(_("note"), blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()
    restrict_through = "survivor"

    class Meta:
        ordering = ["-effective_date", "-id"]
        verbose_name = _("merger")
        verbose_name_plural = _("mergers")

    def __str__(self) -> str:
        return _("Merger into %(name)s") % {"name": self.survivor.name}

    def get_absolute_url(self) -> str:
        return reverse("dissolution:merger", args=[self.pk])
