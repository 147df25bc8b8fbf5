"""OCOP products (Chương trình Mỗi xã một sản phẩm) of a cooperative.

QĐ 148/QĐ-TTg (24/02/2023): 100 points, stars by score band, six product groups; the
certificate is valid 36 months, then the product is re-evaluated (a new record). Who
recognises which rank: under QĐ 148 the district 3★, the province 4★, the centre 5★;
QĐ 1489/QĐ-TTg (06/07/2025) moved 3★ to the province (regulations.md §7).
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hoptac.accounts.access import RestrictedQuerySet
from hoptac.core.concurrency import Versioned
from hoptac.registry.models import Organisation

VALID_MONTHS = 36
# (lowest score, stars): 90-100 → 5★, 70-89 → 4★, 50-69 → 3★; 1★ and 2★ are not recognised.
STAR_BANDS = [(90, 5), (70, 4), (50, 3)]
QD_1489_2025 = datetime.date(2025, 7, 6)  # 3★ recognised by the province from this day


class ProductGroup(models.TextChoices):
    """The six OCOP product groups (QĐ 148/QĐ-TTg, Phụ lục)."""

    FOOD = "food", _("Food")
    DRINKS = "drinks", _("Drinks")
    HERBS = "herbs", _("Herbs")
    HANDICRAFTS = "handicrafts", _("Handicrafts and decorations")
    PLANTS_ANIMALS = "plants_animals", _("Flowers, ornamental plants and animals")
    TOURISM = "tourism", _("Community tourism and services")


class Level(models.TextChoices):
    """The body that recognised the rank."""

    DISTRICT = "district", _("District (3★ before QĐ 1489/2025)")
    PROVINCE = "province", _("Province")
    CENTRAL = "central", _("Central")


class OcopStatus(models.TextChoices):
    ACTIVE = "active", _("Valid")
    EXPIRED = "expired", _("Expired")


def stars_for(score: int) -> int | None:
    for lowest, stars in STAR_BANDS:
        if score >= lowest:
            return stars
    return None


def level_for(stars: int, decided: datetime.date) -> str:
    """The recognising level the rules in force on the decision date give for `stars`."""
    if stars == 5:
        return Level.CENTRAL
    if stars == 3 and decided < QD_1489_2025:
        return Level.DISTRICT
    return Level.PROVINCE


def add_months(day: datetime.date, months: int) -> datetime.date:
    """Same day `months` later, or the month's last day (29/02 + 36 months → 28/02)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return datetime.date(year, month, d)
        except ValueError:
            continue
    raise ValueError(day)


class OcopProductQuerySet(RestrictedQuerySet):
    def valid_on(self, day: datetime.date):
        return self.filter(decision_date__lte=day, expires_on__gte=day)

    def with_status(self, status: str, today: datetime.date | None = None):
        today = today or timezone.localdate()
        if status == OcopStatus.ACTIVE:
            return self.filter(expires_on__gte=today)
        return self.filter(expires_on__lt=today)


class OcopProduct(Versioned):
    """A product recognised under OCOP, with its score, stars, decision and expiry."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("cooperative"), on_delete=models.PROTECT, related_name="ocop_products"
    )
    name = models.CharField(_("product"), max_length=200)
    group = models.CharField(_("product group"), max_length=20, choices=ProductGroup.choices)
    score = models.PositiveSmallIntegerField(_("score"), help_text=_("Out of 100 (QĐ 148/QĐ-TTg)."))
    stars = models.PositiveSmallIntegerField(_("stars"), help_text=_("3 to 5; must agree with the score."))
    level = models.CharField(_("recognised by"), max_length=10, choices=Level.choices)
    decision_number = models.CharField(_("decision"), max_length=60)
    decision_date = models.DateField(_("decision date"))
    expires_on = models.DateField(_("valid until"), editable=False)

    objects = OcopProductQuerySet.as_manager()
    restrict_through = "organisation"

    class Meta:
        ordering = ["-decision_date", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(score__lte=100),
                name="ocop_score_at_most_100",
                violation_error_message=_("The score is out of 100."),
            ),
            models.CheckConstraint(
                condition=Q(stars__gte=3, stars__lte=5),
                name="ocop_stars_3_to_5",
                violation_error_message=_("OCOP products have 3 to 5 stars."),
            ),
        ]
        indexes = [models.Index(fields=["organisation", "expires_on"], name="ocop_org_expiry_idx")]
        verbose_name = _("OCOP product")
        verbose_name_plural = _("OCOP products")

    def __str__(self) -> str:
        return f"{self.name} ({self.stars}★)"

    def get_absolute_url(self) -> str:
        return reverse("ocop:detail", args=[self.pk])

    @property
    def is_valid(self) -> bool:
        return self.expires_on >= timezone.localdate()

    @property
    def status(self) -> str:
        return OcopStatus.ACTIVE if self.is_valid else OcopStatus.EXPIRED

    def get_status_display(self) -> str:
        return OcopStatus(self.status).label

    def clean(self):
        errors: dict[str, list] = {}
        expected = stars_for(self.score) if self.score is not None else None
        if self.score is not None and self.score > 100:
            errors["score"] = [_("The score is out of 100.")]
        elif self.score is not None and expected is None:
            errors["score"] = [_("Under 50 points a product is not recognised as OCOP.")]
        elif expected is not None and self.stars != expected:
            errors["stars"] = [
                _("%(score)s points give %(expected)s stars (QĐ 148/QĐ-TTg).")
                % {"score": self.score, "expected": expected}
            ]
        if self.decision_date and self.decision_date > timezone.localdate():
            errors["decision_date"] = [_("The decision date cannot be in the future.")]
        if self.decision_date and self.stars in (3, 4, 5) and self.level:
            wanted = level_for(self.stars, self.decision_date)
            if self.level != wanted:
                errors["level"] = [
                    _("On %(date)s a %(stars)s-star product is recognised by: %(level)s.")
                    % {
                        "date": self.decision_date.strftime("%d/%m/%Y"),
                        "stars": self.stars,
                        "level": Level(wanted).label,
                    }
                ]
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        self.expires_on = add_months(self.decision_date, VALID_MONTHS)
        super().save(*args, **kwargs)
