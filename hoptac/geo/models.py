"""Administrative units of both generations, before and after the reform of 1 July 2025.

Before: 63 provinces, ~700 districts, ~10,000 communes (QĐ 124/2004/QĐ-TTg codes).
From 1/7/2025: 34 provinces and 3,321 communes, no districts (QĐ 19/2025/QĐ-TTg).
Codes were reused with other meanings (19363 was Thị trấn Hồ Xá and is now Xã Vĩnh Linh;
province 44 was Quảng Bình and is now Quảng Trị), so a unit is identified by its
generation and code together, written as a *ref*: today's codes as they are ("44",
"19363"), district codes as they are (districts exist only before the reform), and former
provinces and communes as "old:45", "old:19363".

Units keep changing after 2025 (Đồng Nai became a centrally governed city on 30/04/2026 under
NQ 30/2026/QH16, ten of its communes became wards under NQ 237/NQ-UBTVQH16, codes unchanged).
So a unit has *versions*, each with its own validity, name, type and parent; its own name,
type and parent are those of its latest version, so callers that ignore dates keep working.
A unit as it was on a date is written "75@2026-01-01". Changes are data: one change-set file
per legal act (geo/data/changes/), loaded by `hoptac load-unit-changes`, see geo/changes.py.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from hoptac.core.text import fold, sort_text

REFORM_DATE = datetime.date(2025, 7, 1)
OLD_PREFIX = "old:"
DATE_SEPARATOR = "@"


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


# What offices abbreviate in unit names.
UNIT_ABBREVIATIONS = {
    "tp": "thanh pho",
    "tx": "thi xa",
    "tt": "thi tran",
    "h": "huyen",
    "q": "quan",
    "p": "phuong",
}


def unit_query_words(query: str) -> list[str]:
    """The folded words of a unit search, abbreviations written out ("TP. Huế" → thanh, pho, hue)."""
    words = fold(query).replace(".", " ").replace(",", " ").split()
    return " ".join(UNIT_ABBREVIATIONS.get(w, w) for w in words).split()


class AdministrativeUnitQuerySet(models.QuerySet):
    def valid_on(self, day: datetime.date):
        return self.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day)).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=day)
        )

    def current(self):
        return self.filter(generation=Generation.NEW)

    def with_versions(self):
        return self.prefetch_related(
            models.Prefetch("versions", queryset=UnitVersion.objects.select_related("parent", "province"))
        )

    def search(self, query: str):
        """Units whose folded name holds every word; "TP", "TX", "TT" read as thành phố, thị xã, thị trấn."""
        qs = self
        for word in unit_query_words(query):
            qs = qs.filter(search_key__contains=word)
        return qs

    def descendants_of(
        self,
        unit: AdministrativeUnit,
        level: str | None = None,
        include_self: bool = True,
        on: datetime.date | None = None,
    ):
        """Every unit below `unit` in its own generation (one query, through the denormalised province).

        With `on`, the hierarchy valid that day: the units whose version valid that day lies
        below `unit` (and that exist that day).
        """
        if on is not None:
            version_q = Q(versions__valid_from__isnull=True) | Q(versions__valid_from__lte=on)
            version_q &= Q(versions__valid_to__isnull=True) | Q(versions__valid_to__gte=on)
            if unit.level == Level.PROVINCE:
                below = Q(versions__province=unit) | Q(versions__parent=unit)
            elif unit.level == Level.DISTRICT:
                below = Q(versions__parent=unit)
            else:
                below = Q(pk__in=[])
            ids = AdministrativeUnit.objects.filter(version_q & below).values("pk")
            cond = Q(pk__in=ids)
            if include_self:
                cond |= Q(pk=unit.pk)
            qs = self.filter(cond).valid_on(on)
            return qs.filter(level=level) if level else qs
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

    def current_communes_covering(self, unit: AdministrativeUnit, on: datetime.date | None = None):
        """The communes that cover a unit of any period, wholly or partly (on `on`, if given).

        For a unit that still exists these are simply its communes. For a former unit they are
        the units its communes went into, following the lineage across any number of changes
        (one recursive query); this includes units linked to it directly (the special zones
        that came from districts without communes).
        """
        exists = unit.valid_to is None if on is None else unit.exists_on(on)
        if exists:
            return self.descendants_of(unit, level=Level.COMMUNE, on=on)
        start = AdministrativeUnit.objects.descendants_of(unit).order_by().values_list("pk")
        # Without a day, every unit of 1/7/2025 or later it reached, also those that ended since
        # (records still point at them); with a day, those that existed that day.
        reached = self.filter(level=Level.COMMUNE, generation=Generation.NEW, pk__in=_lineage_closure(start))
        return reached if on is None else reached.valid_on(on)

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

    def children_on(self, unit: AdministrativeUnit | None, day: datetime.date) -> list[AdministrativeUnit]:
        """The units directly under `unit` on `day` (None: the provinces of that day), by the
        versions valid that day, each named and typed as it was then (`as_of` set).

        The hierarchy of 31/12/2025 has Xã Long Thành under Tỉnh Đồng Nai; that of 31/12/2026
        Phường Long Thành under Thành phố Đồng Nai (same codes); that of 31/12/2024 the 63
        provinces and their districts. A unit that did not exist on `day` answers its children
        of today (a current province asked about 2024 still lists its communes).
        """
        if unit is not None and not unit.exists_on(day):
            found: list[AdministrativeUnit] = list(
                AdministrativeUnit.objects.filter(parent=unit).order_by("code")
            )
        else:
            on_day = (Q(valid_from__isnull=True) | Q(valid_from__lte=day)) & (
                Q(valid_to__isnull=True) | Q(valid_to__gte=day)
            )
            if unit is None:
                qs = AdministrativeUnit.objects.filter(level=Level.PROVINCE)
            else:
                qs = AdministrativeUnit.objects.filter(
                    pk__in=UnitVersion.objects.filter(on_day, parent=unit).values("unit_id")
                )
            found = list(qs.valid_on(day).with_versions().order_by("code"))
        for child in found:
            setattr(child, "as_of", day)  # noqa: B010  (a display attribute, not a field)
            version = child.version_on(day)
            if version is not None:  # named as it was that day, for display (never saved)
                child.name, child.unit_type = version.name, version.unit_type
        return found

    def get_by_ref(self, ref: str) -> AdministrativeUnit:
        """Resolve a ref ("44", "452", "19363", "old:45", "75@2026-01-01"); raises DoesNotExist or ValueError.

        A dated ref answers the unit with that code that existed on the day, with `as_of` set
        so that `version` is the version of that day.
        """
        if DATE_SEPARATOR in (ref or ""):
            level, code, day = parse_dated_ref(ref)
            found = self.filter(level=level, code=code).valid_on(day).get()
            found.as_of = day
            return found
        generation, level, code = parse_ref(ref)
        return self.get(generation=generation, level=level, code=code)


def _lineage_closure(start):
    """Ids of `start` (a values_list("pk") queryset) and of every unit reached from them by lineage."""
    from django.db.models.expressions import RawSQL

    sql, params = start.query.sql_with_params()
    lineage = UnitLineage._meta.db_table
    return RawSQL(
        f"WITH RECURSIVE reach(id) AS ({sql} UNION "  # noqa: S608 - table name and compiled SQL, values as params
        f"SELECT l.new_id FROM {lineage} l JOIN reach r ON l.old_id = r.id) SELECT id FROM reach",
        params,
    )


def parse_date(text: str) -> datetime.date:
    """An ISO date (2026-04-30) or a Vietnamese one (30/04/2026); ValueError otherwise."""
    text = (text or "").strip()
    try:
        if "/" in text:
            day, month, year = (int(p) for p in text.split("/"))
            return datetime.date(year, month, day)
        return datetime.date.fromisoformat(text)
    except (ValueError, TypeError):
        raise ValueError(
            _("“%(text)s” is not a date (write 2026-04-30 or 30/04/2026).") % {"text": text}
        ) from None


def parse_dated_ref(ref: str) -> tuple[str, str, datetime.date]:
    """(level, code, day) for a ref "CODE@DATE", e.g. "75@2026-01-01"; ValueError otherwise."""
    code, _sep, day = (ref or "").strip().partition(DATE_SEPARATOR)
    if code.lower().startswith(OLD_PREFIX):
        raise ValueError(
            _("“%(ref)s”: a dated ref needs no “old:”; the date says which unit (e.g. 45@2025-01-01).")
            % {"ref": ref}
        )
    _generation, level, code = parse_ref(code)
    return level, code, parse_date(day)


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
    # The name's Vietnamese sort key (core.text.sort_key), for lists sorted by commune on SQLite.
    name_key = models.CharField(max_length=300, db_index=True, editable=False, default="")
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

    def exists_on(self, day: datetime.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or self.valid_to >= day
        )

    def version_on(self, day: datetime.date) -> UnitVersion | None:
        """The version valid on `day` (name, type and parent that day), or None."""
        for version in self.versions.all():
            if version.covers(day):
                return version
        return None

    @property
    def version(self) -> UnitVersion | AdministrativeUnit:
        """The version of the day the unit was asked for (a dated ref), else the unit itself (its latest)."""
        day = getattr(self, "as_of", None)
        return (self.version_on(day) if day else None) or self

    def name_on(self, day: datetime.date) -> str:
        version = self.version_on(day)
        return version.name if version else self.name

    def dated_ref(self, day: datetime.date) -> str:
        return f"{self.code}{DATE_SEPARATOR}{day.isoformat()}"

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
        self.name_key = sort_text(self.name)
        super().save(*args, **kwargs)


class LegalAct(models.Model):
    """The act that changes units (a resolution of the National Assembly or its Standing Committee)."""

    number = models.CharField(_("number"), max_length=60, unique=True)
    title = models.CharField(_("title"), max_length=300, blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    effective_on = models.DateField(_("effective on"))
    source = models.CharField(_("source"), max_length=300, blank=True)
    note = models.TextField(_("note"), blank=True)
    file_name = models.CharField(max_length=200, blank=True)
    # The change set as loaded, so that reloading the base unit files can apply it again.
    text = models.TextField(blank=True)
    loaded_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["effective_on", "number"]
        verbose_name = _("legal act")
        verbose_name_plural = _("legal acts")

    def __str__(self) -> str:
        return self.number


class UnitVersion(models.Model):
    """A unit as it was during a period: name, type and parent (e.g. Tỉnh Đồng Nai until 29/04/2026)."""

    unit = models.ForeignKey(AdministrativeUnit, on_delete=models.CASCADE, related_name="versions")
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    name = models.CharField(_("name"), max_length=120)
    unit_type = models.CharField(_("type"), max_length=15, choices=UnitType.choices)
    parent = models.ForeignKey(
        AdministrativeUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="child_versions"
    )
    province = models.ForeignKey(
        AdministrativeUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="province_versions"
    )
    act = models.ForeignKey(
        LegalAct,
        verbose_name=_("legal act"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="versions",
        help_text=_("The act that made the unit so; empty for the state the unit files start from."),
    )

    class Meta:
        ordering = ["unit", "valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "valid_from"], name="unit_version_unique_start"),
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True)
                | Q(valid_to__isnull=True)
                | Q(valid_to__gte=F("valid_from")),
                name="unit_version_ends_after_start",
            ),
        ]
        verbose_name = _("unit version")
        verbose_name_plural = _("unit versions")

    def __str__(self) -> str:
        return f"{self.name} ({self.valid_from or '…'} – {self.valid_to or '…'})"

    def covers(self, day: datetime.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or self.valid_to >= day
        )

    @property
    def level(self) -> str:
        return self.unit.level


class UnitLineage(models.Model):
    """A unit that went (wholly or partly) into another on a date, by a legal act (1/7/2025 and after)."""

    old = models.ForeignKey(AdministrativeUnit, on_delete=models.CASCADE, related_name="successor_links")
    new = models.ForeignKey(AdministrativeUnit, on_delete=models.CASCADE, related_name="predecessor_links")
    is_partial = models.BooleanField(
        _("partial"), default=False, help_text=_("Only part of the old unit went into the new one.")
    )
    date = models.DateField(_("date"), null=True, blank=True, help_text=_("The day the change took effect."))
    act = models.ForeignKey(
        LegalAct,
        verbose_name=_("legal act"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="lineage_links",
        help_text=_("Empty for the links of the 2025 arrangement shipped with the unit files."),
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["old", "new"], name="lineage_edge_unique")]
        verbose_name = _("lineage link")
        verbose_name_plural = _("lineage links")

    def __str__(self) -> str:
        return f"{self.old} → {self.new}{' (partial)' if self.is_partial else ''}"
