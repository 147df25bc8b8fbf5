"""Administrative units of both generations, before and after the reform of 1 July 2025.

Before: 63 provinces, ~700 districts, ~10,000 communes (QĐ 124/2004/QĐ-TTg codes).
From 1/7/2025: 34 provinces and 3,321 communes, no districts (QĐ 19/2025/QĐ-TTg).
Codes were reused with other meanings (19363 was Thị trấn Hồ Xá and is now Xã Vĩnh Linh;
province 44 was Quảng Bình and is now Quảng Trị), so a unit is identified by its
generation and code together, written as a *ref*: today's codes as they are ("44",
"19363"), district codes as they are (districts exist only before the reform), and former
provinces and communes as "old:45", "old:19363".
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hoptac.core.text import fold, search_words

REFORM_DATE = datetime.date(2025, 7, 1)
OLD_PREFIX = "old:"


class Generation(models.TextChoices):
    OLD = "old", _("Before 1 July 2025")
    NEW = "new", _("From 1 July 2025")


class Level(models.TextChoices):
    PROVINCE = "province", _("Province")
    DISTRICT = "district", _("District")
    COMMUNE = "commune", _("Commune")


class UnitType(models.TextChoices):
    PROVINCE = "tinh", _("Province (tỉnh)")
    CENTRAL_CITY = "thanh_pho_tw", _("Centrally governed city")
    RURAL_DISTRICT = "huyen", _("Rural district (huyện)")
    URBAN_DISTRICT = "quan", _("Urban district (quận)")
    TOWN = "thi_xa", _("Town (thị xã)")
    CITY = "thanh_pho", _("Provincial city")
    COMMUNE = "xa", _("Commune (xã)")
    WARD = "phuong", _("Ward (phường)")
    TOWNSHIP = "thi_tran", _("Township (thị trấn)")
    SPECIAL_ZONE = "dac_khu", _("Special zone (đặc khu)")


CODE_WIDTH = {Level.PROVINCE: 2, Level.DISTRICT: 3, Level.COMMUNE: 5}


class AdministrativeUnitQuerySet(models.QuerySet):
    def valid_on(self, day: datetime.date):
        return self.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day)).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=day)
        )

    def current(self):
        return self.filter(generation=Generation.NEW)

    def search(self, query: str):
        qs = self
        for word in search_words(query):
            qs = qs.filter(search_key__contains=word)
        return qs

    def descendants_of(self, unit: AdministrativeUnit, level: str | None = None, include_self: bool = True):
        """Every unit below `unit` in its own generation (one query, through the denormalised province)."""
        if unit.level == Level.PROVINCE:
            cond = Q(province=unit)
        elif unit.level == Level.DISTRICT:
            cond = Q(parent=unit)
        else:
            cond = Q(pk__in=[])
        if include_self:
            cond |= Q(pk=unit.pk)
        qs = self.filter(cond)
        return qs.filter(level=level) if level else qs

    def current_communes_covering(self, unit: AdministrativeUnit):
        """Today's communes that cover a unit of either generation, wholly or partly.

        For a current unit these are simply its communes. For a former unit they are the
        successors of its former communes, plus any unit linked to it directly (the special
        zones that came from districts without communes).
        """
        if unit.generation == Generation.NEW:
            return self.descendants_of(unit, level=Level.COMMUNE)
        old_units = AdministrativeUnit.objects.descendants_of(unit)
        return (
            self.filter(level=Level.COMMUNE, generation=Generation.NEW)
            .filter(predecessor_links__old__in=old_units)
            .distinct()
        )

    def former_units_covered_by(self, unit: AdministrativeUnit, level: str = Level.DISTRICT):
        """The reverse: former units of `level` whose communes went (wholly or partly) into `unit`."""
        new_communes = AdministrativeUnit.objects.descendants_of(unit, level=Level.COMMUNE)
        if level == Level.COMMUNE:
            cond = Q(successor_links__new__in=new_communes) | Q(successor_links__new=unit)
        elif level == Level.DISTRICT:
            cond = Q(children__successor_links__new__in=new_communes) | Q(
                successor_links__new__in=new_communes
            )
        else:
            cond = Q(province_units__successor_links__new__in=new_communes)
        return self.filter(generation=Generation.OLD, level=level).filter(cond).distinct()

    def get_by_ref(self, ref: str) -> AdministrativeUnit:
        """Resolve a ref ("44", "452", "19363", "old:45"); raises DoesNotExist or ValueError."""
        generation, level, code = parse_ref(ref)
        return self.get(generation=generation, level=level, code=code)


def parse_ref(ref: str) -> tuple[str, str, str]:
    """(generation, level, code) for a unit ref, or ValueError saying what is wrong."""
    text = (ref or "").strip()
    generation = Generation.NEW
    if text.lower().startswith(OLD_PREFIX):
        generation, text = Generation.OLD, text[len(OLD_PREFIX) :].strip()
    if not text.isdigit():
        raise ValueError(
            _("“%(ref)s” is not a unit code (digits, e.g. 44, 19363, or old:45).") % {"ref": ref}
        )
    level = {2: Level.PROVINCE, 3: Level.DISTRICT, 5: Level.COMMUNE}.get(len(text))
    if level is None:
        raise ValueError(
            _("“%(ref)s” has %(n)s digits; unit codes have 2 (province), 3 (district) or 5 (commune).")
            % {"ref": ref, "n": len(text)}
        )
    if level == Level.DISTRICT:
        generation = Generation.OLD  # districts exist only before the reform
    return generation, level, text


class AdministrativeUnit(models.Model):
    """A province, district or commune of one generation, with its period of validity."""

    generation = models.CharField(_("generation"), max_length=3, choices=Generation.choices)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    code = models.CharField(_("code"), max_length=5)
    name = models.CharField(_("name"), max_length=120)
    unit_type = models.CharField(_("type"), max_length=15, choices=UnitType.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # Denormalised so that "all units of a province" is one indexed filter, not a recursion.
    province = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="province_units", editable=False
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    search_key = models.CharField(max_length=120, db_index=True, editable=False)
    successors = models.ManyToManyField(
        "self", through="UnitLineage", symmetrical=False, related_name="predecessors", blank=True
    )

    objects = AdministrativeUnitQuerySet.as_manager()

    class Meta:
        ordering = ["generation", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["generation", "level", "code"], name="unit_code_unique_per_generation"
            ),
            models.CheckConstraint(
                condition=~Q(generation="new", level="district"), name="unit_no_district_after_reform"
            ),
        ]
        indexes = [models.Index(fields=["level", "generation"], name="unit_level_generation_idx")]
        verbose_name = _("administrative unit")
        verbose_name_plural = _("administrative units")

    def __str__(self) -> str:
        if self.generation == Generation.OLD:
            return _("%(name)s (former)") % {"name": self.name}
        return self.name

    @property
    def ref(self) -> str:
        if self.generation == Generation.OLD and self.level != Level.DISTRICT:
            return f"{OLD_PREFIX}{self.code}"
        return self.code

    @property
    def is_current(self) -> bool:
        return self.generation == Generation.NEW

    def full_name(self) -> str:
        """ "Xã Vĩnh Linh, Tỉnh Quảng Trị": the unit with its ancestors."""
        names = [self.name]
        if self.level == Level.COMMUNE and self.parent_id and self.parent.level == Level.DISTRICT:
            names.append(self.parent.name)
        if self.province_id:
            names.append(self.province.name)
        return ", ".join(names)

    def clean(self):
        width = CODE_WIDTH.get(self.level)
        if width and (len(self.code) != width or not self.code.isdigit()):
            raise ValidationError(
                {
                    "code": _("A %(level)s code has %(width)s digits.")
                    % {"level": self.get_level_display(), "width": width}
                }
            )

    def save(self, *args, **kwargs):
        self.search_key = fold(self.name)
        super().save(*args, **kwargs)


class UnitLineage(models.Model):
    """An old unit that went (wholly or partly) into a new one on 1 July 2025."""

    old = models.ForeignKey(AdministrativeUnit, on_delete=models.CASCADE, related_name="successor_links")
    new = models.ForeignKey(AdministrativeUnit, on_delete=models.CASCADE, related_name="predecessor_links")
    is_partial = models.BooleanField(
        _("partial"), default=False, help_text=_("Only part of the old unit went into the new one.")
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["old", "new"], name="lineage_edge_unique")]
        verbose_name = _("lineage link")
        verbose_name_plural = _("lineage links")

    def __str__(self) -> str:
        return f"{self.old} → {self.new}{' (partial)' if self.is_partial else ''}"
