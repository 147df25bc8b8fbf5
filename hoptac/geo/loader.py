"""Loading the committed unit files (geo/data/*.csv) into the database, idempotently.

The files are generated from vietnam-provinces by scripts/generate_units.py. Loading upserts
by (generation, level, code), so ids, populations and everything that points at a unit
survive a reload; lineage links are made to match the file exactly.
"""

from __future__ import annotations

import csv
import datetime
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from hoptac.core.text import fold
from hoptac.geo.models import AdministrativeUnit, Level, UnitLineage

DATA_DIR = Path(__file__).resolve().parent / "data"
LEVEL_ORDER = {Level.PROVINCE: 0, Level.DISTRICT: 1, Level.COMMUNE: 2}


@dataclass
class LoadResult:
    units: int
    created: int
    lineage: int
    lineage_created: int
    lineage_deleted: int


def _date(text: str) -> datetime.date | None:
    return datetime.date.fromisoformat(text) if text else None


def read_units(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    rows.sort(key=lambda r: (LEVEL_ORDER[r["level"]], r["generation"], r["code"]))
    return rows


@transaction.atomic
def load_units(data_dir: Path = DATA_DIR) -> LoadResult:
    rows = read_units(data_dir / "units.csv")
    before = AdministrativeUnit.objects.count()
    units = [
        AdministrativeUnit(
            generation=r["generation"],
            level=r["level"],
            code=r["code"],
            name=r["name"],
            unit_type=r["unit_type"],
            valid_from=_date(r["valid_from"]),
            valid_to=_date(r["valid_to"]),
            search_key=fold(r["name"]),
        )
        for r in rows
    ]
    AdministrativeUnit.objects.bulk_create(
        units,
        batch_size=2000,
        update_conflicts=True,
        unique_fields=["generation", "level", "code"],
        update_fields=["name", "unit_type", "valid_from", "valid_to", "search_key"],
    )
    ids = {
        (g, lvl, c): pk for pk, g, lvl, c in AdministrativeUnit.objects.values_list("pk", "generation", "level", "code")
    }
    current = {pk: (parent, province) for pk, parent, province in AdministrativeUnit.objects.values_list("pk", "parent_id", "province_id")}

    def parent_key(r):
        code = r["parent_code"]
        if not code:
            return None
        level = {2: Level.PROVINCE, 3: Level.DISTRICT}[len(code)]
        return (r["generation"], level, code)

    parent_of = {}
    changed = []
    for r in rows:
        pk = ids[(r["generation"], r["level"], r["code"])]
        pkey = parent_key(r)
        parent_id = ids[pkey] if pkey else None
        parent_of[pk] = parent_id
    for r in rows:
        pk = ids[(r["generation"], r["level"], r["code"])]
        parent_id = parent_of[pk]
        province_id = None
        if parent_id is not None:
            grand = parent_of.get(parent_id)
            province_id = grand if grand is not None else parent_id
        if current[pk] != (parent_id, province_id):
            changed.append(AdministrativeUnit(pk=pk, parent_id=parent_id, province_id=province_id))
    AdministrativeUnit.objects.bulk_update(changed, ["parent", "province"], batch_size=2000)

    lineage_created, lineage_deleted, wanted = _load_lineage(data_dir / "lineage.csv", ids)
    return LoadResult(
        units=len(rows),
        created=AdministrativeUnit.objects.count() - before,
        lineage=len(wanted),
        lineage_created=lineage_created,
        lineage_deleted=lineage_deleted,
    )


def _load_lineage(path: Path, ids: dict) -> tuple[int, int, dict]:
    wanted: dict[tuple[int, int], bool] = {}
    with path.open(encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            old = ids[("old", r["old_level"], r["old_code"])]
            new = ids[("new", r["new_level"], r["new_code"])]
            wanted[(old, new)] = r["is_partial"] == "1"
    existing = {(o, n): (pk, p) for pk, o, n, p in UnitLineage.objects.values_list("pk", "old_id", "new_id", "is_partial")}
    stale = [pk for key, (pk, _p) in existing.items() if key not in wanted]
    UnitLineage.objects.filter(pk__in=stale).delete()
    fix = [UnitLineage(pk=existing[k][0], is_partial=v) for k, v in wanted.items() if k in existing and existing[k][1] != v]
    UnitLineage.objects.bulk_update(fix, ["is_partial"], batch_size=2000)
    missing = [UnitLineage(old_id=o, new_id=n, is_partial=v) for (o, n), v in wanted.items() if (o, n) not in existing]
    UnitLineage.objects.bulk_create(missing, batch_size=2000)
    return len(missing), len(stale), wanted
