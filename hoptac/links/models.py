"""Value-chain links between cooperatives and enterprises.

The single source for "HTX liên kết với doanh nghiệp theo chuỗi giá trị": the indicators read
the links active in a year, and no yearly form asks the question again.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hoptac.accounts.access import RestrictedQuerySet
from hoptac.core.concurrency import Versioned
from hoptac.registry.models import Organisation, normalise_tax_code


class LinkQuerySet(RestrictedQuerySet):
    def active_in(self, year: int):
        """Links in force at some point of `year`."""
        start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
        return self.filter(start_date__lte=end).filter(Q(end_date__isnull=True) | Q(end_date__gte=start))


class Link(Versioned):
    """A cooperative's production or consumption link with an enterprise."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("cooperative"), on_delete=models.PROTECT, related_name="links"
    )
    enterprise_name = models.CharField(_("enterprise"), max_length=255)
    enterprise_tax_code = models.CharField(_("enterprise tax code"), max_length=14)
    product = models.CharField(_("product"), max_length=200)
    contract_number = models.CharField(_("contract number"), max_length=60, blank=True)
    contract_date = models.DateField(_("contract date"), null=True, blank=True)
    start_date = models.DateField(_("start"))
    end_date = models.DateField(_("end"), null=True, blank=True)
    volume = models.CharField(_("volume"), max_length=120, blank=True, help_text=_("E.g. 300 tấn/năm."))
    value = models.PositiveBigIntegerField(_("value (đồng)"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = LinkQuerySet.as_manager()
    restrict_through = "organisation"

    class Meta:
        ordering = ["-start_date", "id"]
        indexes = [
            models.Index(fields=["organisation", "start_date", "end_date"], name="link_org_period_idx")
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="link_ends_after_it_starts",
                violation_error_message=_("A link cannot end before it starts."),
            )
        ]
        verbose_name = _("value-chain link")
        verbose_name_plural = _("value-chain links")

    def __str__(self) -> str:
        return f"{self.organisation} ↔ {self.enterprise_name} ({self.product})"

    def get_absolute_url(self) -> str:
        return reverse("links:detail", args=[self.pk])

    def in_force_on(self, day: datetime.date) -> bool:
        return self.start_date <= day and (self.end_date is None or self.end_date >= day)

    def clean(self):
        errors = {}
        if self.enterprise_tax_code:
            try:
                self.enterprise_tax_code = normalise_tax_code(self.enterprise_tax_code)
            except ValidationError as exc:
                errors["enterprise_tax_code"] = exc.messages
        if self.end_date and self.start_date and self.end_date < self.start_date:
            errors["end_date"] = [_("A link cannot end before it starts.")]
        if errors:
            raise ValidationError(errors)
