"""Support given to collective-economy organisations, by policy and funding source.

The policy catalogue follows the seeds (seed 000 §III.2, seed 002 task 2.2, seed 004 §III and
§IV): human resources, land, finance and credit, science and technology, infrastructure,
social insurance, trade promotion, new cooperatives, women-led cooperatives, ethnic-minority
and mountain areas. Seed 004 §IV names the funding sources.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hoptac.accounts.access import RestrictedQuerySet
from hoptac.core.collation import vi
from hoptac.core.concurrency import Versioned
from hoptac.registry.models import Organisation


class FundingSource(models.TextChoices):
    """Seed 004 §IV: the sources a support can be paid from."""

    CENTRAL = "central", _("Central budget")
    LOCAL = "local", _("Local budget")
    NATIONAL_PROGRAMME = "ntp", _("National target programme")
    DONOR = "donor", _("Donors")
    CONTRIBUTIONS = "contributions", _("Contributions of organisations and enterprises")


class Policy(models.Model):
    """A support policy of the catalogue (loaded by a data migration, extendable by an administrator)."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(_("policy"), max_length=200)
    basis = models.CharField(_("legal basis"), max_length=200, blank=True)

    class Meta:
        ordering = [vi("name")]
        verbose_name = _("support policy")
        verbose_name_plural = _("support policies")

    def __str__(self) -> str:
        return self.name


class SupportRecord(Versioned):
    """One support given: to whom, under which policy, when, how much, from which source."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("beneficiary"), on_delete=models.PROTECT, related_name="support_records"
    )
    policy = models.ForeignKey(
        Policy, verbose_name=_("policy"), on_delete=models.PROTECT, related_name="records"
    )
    date = models.DateField(_("date"))
    amount = models.PositiveBigIntegerField(_("amount (đồng)"), null=True, blank=True)
    in_kind = models.CharField(
        _("in kind"), max_length=200, blank=True, help_text=_("What was given, when not money.")
    )
    in_kind_value = models.PositiveBigIntegerField(_("estimated value (đồng)"), null=True, blank=True)
    source = models.CharField(_("funding source"), max_length=14, choices=FundingSource.choices)
    decision_number = models.CharField(_("decision"), max_length=60, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    objects = RestrictedQuerySet.as_manager()
    restrict_through = "organisation"

    class Meta:
        ordering = ["-date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__isnull=False) | ~Q(in_kind=""),
                name="support_has_money_or_in_kind",
                violation_error_message=_("Give the amount, or what was given in kind."),
            )
        ]
        verbose_name = _("support record")
        verbose_name_plural = _("support records")

    def __str__(self) -> str:
        return f"{self.organisation} – {self.policy} ({self.date:%d/%m/%Y})"

    def get_absolute_url(self) -> str:
        return reverse("support:detail", args=[self.pk])

    @property
    def value(self) -> int:
        """Money and the estimated value of what was given in kind, in đồng."""
        return (self.amount or 0) + (self.in_kind_value or 0)

    def clean(self):
        errors: dict[str, list] = {}
        self.in_kind = (self.in_kind or "").strip()
        if self.amount is None and not self.in_kind:
            errors["amount"] = [_("Give the amount, or what was given in kind.")]
        if self.in_kind and self.in_kind_value is None:
            errors["in_kind_value"] = [_("Estimate the value of what was given in kind.")]
        if self.in_kind_value is not None and not self.in_kind:
            errors["in_kind"] = [_("Say what was given in kind.")]
        if self.date and self.date > timezone.localdate():
            errors["date"] = [_("Record support once it has been given.")]
        if self.decision_date and self.date and self.decision_date > self.date:
            errors["decision_date"] = [_("The decision comes before the support it grants.")]
        if errors:
            raise ValidationError(errors)
