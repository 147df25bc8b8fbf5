"""Finding a unit by a few letters of its name, in either generation, and saying which one it is.

`describe(unit)` is how every picker shows a unit: "Huyện Vĩnh Linh (cũ, đến 30/06/2025) — Quảng
Trị", with its level, type and code beside. `pick()` answers the units whose folded name holds
every typed word, best first: the name itself (without its type word) equal to the query, then
starting with it, then the rest; today's units before former ones, higher levels first.
"""

from __future__ import annotations

from django.db.models import Case, IntegerField, Q, Value, When
from django.utils.translation import gettext as _

from hoptac.core.numbers import date as vn_date
from hoptac.core.text import fold, sort_key
from hoptac.geo.models import REFORM_DATE, AdministrativeUnit, Generation, Level, unit_query_words

# Type words at the start of names, folded, longest first ("thi xa" before "xa").
TYPE_WORDS = ("thanh pho", "thi tran", "dac khu", "thi xa", "phuong", "huyen", "tinh", "quan", "xa")
LEVEL_ORDER = {Level.PROVINCE: 0, Level.DISTRICT: 1, Level.COMMUNE: 2}
CANDIDATES = 400


def without_type(folded: str) -> str:
    for word in TYPE_WORDS:
        if folded.startswith(word + " "):
            return folded[len(word) + 1 :]
    return folded


def short_province_name(unit: AdministrativeUnit | None) -> str:
    """ "Quảng Trị" for Tỉnh Quảng Trị, "Hà Nội" for Thành phố Hà Nội."""
    if unit is None:
        return ""
    folded = fold(unit.name)
    for word in ("tinh", "thanh pho"):
        if folded.startswith(word + " "):
            return unit.name.split(" ", len(word.split()))[-1]
    return unit.name


def period(unit: AdministrativeUnit) -> str:
    """ "cũ, đến 30/06/2025" for a former unit, "từ 30/04/2026" for a recent one, else ""."""
    if unit.generation == Generation.OLD or unit.valid_to:
        if unit.valid_to:
            return _("former, until %(date)s") % {"date": vn_date(unit.valid_to)}
        return _("former")
    if unit.valid_from and unit.valid_from > REFORM_DATE:
        return _("from %(date)s") % {"date": vn_date(unit.valid_from)}
    return ""


def parents(unit: AdministrativeUnit) -> str:
    """ "Huyện Vĩnh Linh, Quảng Trị" for a former commune; the province for a district or commune."""
    names = []
    if unit.level == Level.COMMUNE and unit.parent_id and unit.parent.level == Level.DISTRICT:
        names.append(unit.parent.name)
    if unit.level != Level.PROVINCE and unit.province_id:
        names.append(short_province_name(unit.province))
    return ", ".join(names)


def label(unit: AdministrativeUnit) -> str:
    text = unit.name
    when = period(unit)
    if when:
        text = f"{text} ({when})"
    above = parents(unit)
    return f"{text} — {above}" if above else text


def describe(unit: AdministrativeUnit) -> dict:
    return {
        "ref": unit.ref,
        "code": unit.code,
        "name": unit.name,
        "label": label(unit),
        "level": unit.level,
        "level_label": str(unit.get_level_display()),
        "type_label": str(unit.get_unit_type_display()),
        "generation": unit.generation,
        "period": period(unit),
        "parent": parents(unit),
    }


def within_q(area: AdministrativeUnit) -> Q:
    """Units of either generation lying in `area` (wholly or partly, through the 2025 lineage)."""
    units = AdministrativeUnit.objects
    own = units.descendants_of(area).values("pk")
    if area.generation == Generation.NEW:
        new_communes = units.descendants_of(area, level=Level.COMMUNE).values("pk")
        old_communes = units.filter(
            generation=Generation.OLD, level=Level.COMMUNE, successor_links__new__in=new_communes
        ).values("pk")
        other = (
            Q(pk__in=old_communes)
            | Q(generation=Generation.OLD, level=Level.DISTRICT, children__in=old_communes)
            | Q(generation=Generation.OLD, level=Level.DISTRICT, successor_links__new__in=new_communes)
            | Q(generation=Generation.OLD, level=Level.PROVINCE, province_units__in=old_communes)
        )
    else:
        covering = units.current_communes_covering(area)
        other = Q(pk__in=covering.values("pk")) | Q(
            generation=Generation.NEW, level=Level.PROVINCE, province_units__in=covering.values("pk")
        )
    return Q(pk__in=own) | other


def pick(
    query: str,
    levels: list[str] | None = None,
    generation: str | None = None,
    within: AdministrativeUnit | None = None,
    limit: int = 15,
) -> list[AdministrativeUnit]:
    words = unit_query_words(query)
    if not words:
        return []
    qs = AdministrativeUnit.objects.select_related("parent", "province")
    for word in words:
        qs = qs.filter(search_key__contains=word)
    if levels:
        qs = qs.filter(level__in=levels)
    if generation:
        qs = qs.filter(generation=generation)
    if within is not None:
        qs = qs.filter(within_q(within)).distinct()
    phrase = " ".join(words)

    def rank(unit: AdministrativeUnit):
        folded = fold(unit.name)
        bare = without_type(folded)
        if phrase in (folded, bare):
            closeness = 0
        elif folded.startswith(phrase) or bare.startswith(phrase):
            closeness = 1
        else:
            closeness = 2
        return (
            closeness,
            unit.generation != Generation.NEW,
            LEVEL_ORDER.get(unit.level, 3),
            sort_key(bare),
            unit.code,
        )

    # A first ranking in the database, so that a common word ("an", "xa") keeps the best candidates.
    closeness = Case(
        When(Q(search_key=phrase) | Q(search_key__endswith=f" {phrase}"), then=Value(0)),
        When(Q(search_key__startswith=phrase) | Q(search_key__contains=f" {phrase}"), then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    candidates = list(
        qs.annotate(closeness=closeness).order_by("closeness", "-generation", "code")[:CANDIDATES]
    )
    return sorted(candidates, key=rank)[:limit]
