"""Which administrative units a write touches, so only their cached values are invalidated.

A value cached for a unit depends on the organisations `Organisation.objects.in_unit(unit)`
holds (and, for a year, the hierarchy of that year's end). A write about an organisation in
commune C, recorded with former commune F, touches:

- C and the provinces C belongs or belonged to (today's and its dated versions);
- F and its ancestors (the former district and province);
- every unit from which C descends by lineage (the former communes, and the units that ended,
  whose "current communes covering" include C) and their ancestors;
- the country (core.cache.COUNTRY).

Both the state before and after the write are placed, so a move from one commune to another
invalidates both areas. A write that names no organisation is not placed (None): it
invalidates every cached value.
"""

from __future__ import annotations

from django.db import connection

from hoptac.geo.models import AdministrativeUnit, UnitLineage, UnitVersion
from hoptac.registry.models import Organisation


def _predecessors(unit_ids: set[int]) -> set[int]:
    """The units and every unit they descend from by lineage, in one recursive query."""
    if not unit_ids:
        return set()
    lineage, units = UnitLineage._meta.db_table, AdministrativeUnit._meta.db_table
    marks = ", ".join(["%s"] * len(unit_ids))
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH RECURSIVE back(id) AS (SELECT id FROM {units} WHERE id IN ({marks}) UNION "  # noqa: S608 - table names only
            f"SELECT l.old_id FROM {lineage} l JOIN back b ON l.new_id = b.id) SELECT id FROM back",
            sorted(unit_ids),
        )
        return {row[0] for row in cursor.fetchall()}


def _with_ancestors(ids: set[int]) -> set[int]:
    found = set(ids)
    for parent, province in AdministrativeUnit.objects.filter(pk__in=ids).values_list(
        "parent_id", "province_id"
    ):
        found.update(u for u in (parent, province) if u)
    for parent, province in UnitVersion.objects.filter(unit_id__in=ids).values_list(
        "parent_id", "province_id"
    ):
        found.update(u for u in (parent, province) if u)
    # a district's own parent (the province is denormalised, but old districts keep a parent chain)
    for parent in AdministrativeUnit.objects.filter(pk__in=found - ids).values_list("parent_id", flat=True):
        if parent:
            found.add(parent)
    return found


def _areas(places) -> set[int]:
    """The units whose values depend on organisations of these (commune, former commune) places:
    four queries whatever their number (an import's or an undo's hundreds of places asked four
    queries each)."""
    ids = _predecessors({commune for commune, _former in places if commune})
    ids |= {former for _commune, former in places if former}
    return _with_ancestors(ids) if ids else set()


def _place(snapshot) -> tuple[int | None, int | None] | None:
    if not snapshot:
        return None
    return snapshot.get("commune"), snapshot.get("former_commune")


# Above this many distinct places (a national import) a write invalidates every cached value.
PLACES_AT_MOST = 200


def locate(changes) -> set[int] | None:
    """core.changes locator: the units the writes touch, or None when one names no organisation
    (or they are spread over more than PLACES_AT_MOST places)."""
    places: set[tuple[int | None, int | None]] = set()
    organisation_ids = set()
    for instance, before, after in changes:
        if instance._meta.label == "registry.Organisation":
            found = [p for p in (_place(before), _place(after)) if p]
            if getattr(instance, "commune_id", None):
                found.append((instance.commune_id, instance.former_commune_id))
            if not found:
                return None
            places.update(found)
        else:
            organisation_id = getattr(instance, "organisation_id", None)
            if organisation_id is None:
                return None
            organisation_ids.add(organisation_id)
        if len(places) > PLACES_AT_MOST:
            return None
    if organisation_ids:
        located = set(
            Organisation.objects.filter(pk__in=organisation_ids).values_list(
                "commune_id", "former_commune_id"
            )
        )
        if not located:
            return None
        places |= located
    if len(places) > PLACES_AT_MOST:
        return None
    return _areas(places)
