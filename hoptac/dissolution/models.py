"""Dissolution cases: voluntary or compulsory, with their steps, ending in the dissolved status.

Luật Hợp tác xã 2012 Điều 54 (k.1 voluntary by the general meeting, k.2 compulsory by the
People's Committee) for older cases; the 2023 Law for new ones (seed 002, task 3.2c).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from hoptac.registry.models import Organisation


class CaseKind(models.TextChoices):
    VOLUNTARY = "voluntary", _("Voluntary")
    COMPULSORY = "compulsory", _("Compulsory")


class LegalBasis(models.TextChoices):
    LAW_2012_54_1 = "2012-54-1", _("Luật HTX 2012, Điều 54 khoản 1 (voluntary)")
    LAW_2012_54_2 = "2012-54-2", _("Luật HTX 2012, Điều 54 khoản 2 (compulsory)")
    LAW_2023 = "2023", _("Luật HTX 2023")


class DissolutionCase(models.Model):
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("cooperative"),
        on_delete=models.CASCADE,
        related_name="dissolution_cases",
    )
    kind = models.CharField(_("kind"), max_length=10, choices=CaseKind.choices)
    legal_basis = models.CharField(_("legal basis"), max_length=10, choices=LegalBasis.choices)
    deciding_body = models.CharField(_("deciding body"), max_length=200)
    opened_on = models.DateField(_("opened on"))
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    decision = models.CharField(_("decision"), max_length=120, blank=True)

    class Meta:
        ordering = ["-opened_on", "id"]
        verbose_name = _("dissolution case")
        verbose_name_plural = _("dissolution cases")

    def __str__(self) -> str:
        return f"{self.organisation} – {self.get_kind_display()}"


class DissolutionStep(models.Model):
    case = models.ForeignKey(DissolutionCase, on_delete=models.CASCADE, related_name="steps")
    name = models.CharField(_("step"), max_length=200)
    date = models.DateField(_("date"))
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["date", "id"]

    def __str__(self) -> str:
        return f"{self.case}: {self.name}"
