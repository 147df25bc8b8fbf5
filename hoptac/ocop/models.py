"""OCOP products (Chương trình Mỗi xã một sản phẩm) of a cooperative.

QĐ 148/QĐ-TTg (2023): 100 points, stars by score band; certificates valid 36 months; since
QĐ 1489/QĐ-TTg (2025) 3★ and 4★ are recognised by the province, 5★ centrally.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hoptac.registry.models import Organisation

VALID_MONTHS = 36
# (lowest score, stars): 90-100 → 5★, 70-89 → 4★, 50-69 → 3★ (lower bands are not recognised).
STAR_BANDS = [(90, 5), (70, 4), (50, 3)]


class ProductGroup(models.TextChoices):
    FOOD = "food", _("Food")
    DRINKS = "drinks", _("Drinks")
    HERBS = "herbs", _("Herbs")
    HANDICRAFTS = "handicrafts", _("Handicrafts and decorations")
    PLANTS_ANIMALS = "plants_animals", _("Flowers, ornamental plants and animals")
    TOURISM = "tourism", _("Community tourism and services")


class Level(models.TextChoices):
    PROVINCE = "province", _("Province")
    CENTRAL = "central", _("Central")


def stars_for(score: int) -> int | None:
    for lowest, stars in STAR_BANDS:
        if score >= lowest:
            return stars
    return None


def add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return datetime.date(year, month, d)
        except ValueError:
            continue
    raise ValueError(day)


class OcopProductQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(organisation__in=Organisation.objects.visible_to(user))

    def valid_on(self, day: datetime.date):
        return self.filter(decision_date__lte=day, expires_on__gte=day)


class OcopProduct(models.Model):
    """A product recognised under OCOP, with its score, stars, decision and expiry."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("cooperative"), on_delete=models.CASCADE, related_name="ocop_products"
    )
    name = models.CharField(_("product"), max_length=200)
    group = models.CharField(_("product group"), max_length=20, choices=ProductGroup.choices)
    score = models.PositiveSmallIntegerField(_("score"))
    stars = models.PositiveSmallIntegerField(_("stars"))
    level = models.CharField(_("recognised by"), max_length=10, choices=Level.choices)
    decision_number = models.CharField(_("decision"), max_length=60)
    decision_date = models.DateField(_("decision date"))
    expires_on = models.DateField(_("valid until"), editable=False)

    objects = OcopProductQuerySet.as_manager()

    class Meta:
        ordering = ["-decision_date", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(score__lte=100), name="ocop_score_at_most_100"),
            models.CheckConstraint(condition=Q(stars__gte=3, stars__lte=5), name="ocop_stars_3_to_5"),
        ]
        verbose_name = _("OCOP product")
        verbose_name_plural = _("OCOP products")

    def __str__(self) -> str:
        return f"{self.name} ({self.stars}★)"

    @property
    def is_valid(self) -> bool:
        return self.expires_on >= timezone.localdate()

    def clean(self):
        errors = {}
        expected = stars_for(self.score) if self.score is not None else None
        if self.score is not None and self.score > 100:
            errors["score"] = [_("The score is out of 100.")]
        elif expected is None:
            errors["score"] = [_("Under 50 points a product is not recognised as OCOP.")]
        elif self.stars != expected:
            errors["stars"] = [
                _("%(score)s points give %(expected)s stars (QĐ 148/QĐ-TTg).")
                % {"score": self.score, "expected": expected}
            ]
        if self.stars == 5 and self.level != Level.CENTRAL:
            errors["level"] = [_("Five-star products are recognised centrally.")]
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        self.expires_on = add_months(self.decision_date, VALID_MONTHS)
        super().save(*args, **kwargs)
