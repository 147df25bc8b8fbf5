"""Loading the committed unit files (geo/data/*.csv) into the database, idempotently.

The files are generated from vietnam-provinces by scripts/generate_units.py. Loading upserts
by (generation, level, code), so ids, populations and everything that points at a unit
survive a reload; lineage links are made to match the file exactly. Each unit's versions are
rebuilt from the file (its first version), then every change set is applied again: those
shipped in geo/data/changes/ and those loaded earlier from elsewhere (kept in LegalAct).
"""

from __future__ import annotations

import csv
import datetime
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from hoptac.core.text import fold, sort_text
from hoptac.geo.models import REFORM_DATE, AdministrativeUnit, Level, UnitLineage, UnitVersion

DATA_DIR = Path(__file__).resolve().parent / "data"


@dataclass
class LoadResult:
    units: int
    created: int
    lineage: int
    lineage_created: int
    lineage_deleted: int
    acts: int = 0


def _date(text: str) -> datetime.date | None:
    return datetime.date.fromisoformat(text) if text else None


def read_units(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    return rows


@transaction.atomic
def load_units(data_dir: Path = DATA_DIR) -> LoadResult:
    rows = read_units(data_dir / "units.csv")
    before = AdministrativeUnit.objects.count()
    ids: dict[tuple[str, str, str], int] = {}
    province_of: dict[int, int | None] = {}
    # Level by level, so each level's parent ids are known when it is upserted.
    for level in (Level.PROVINCE, Level.DISTRICT, Level.COMMUNE):
        units = []
        for r in rows:
            if r["level"] != level:
                continue
            parent_id = None
            if r["parent_code"]:
                parent_level = Level.PROVINCE if len(r["parent_code"]) == 2 else Level.DISTRICT
                parent_id = ids[(r["generation"], parent_level, r["parent_code"])]
            units.append(
                AdministrativeUnit(
                    generation=r["generation"],
                    level=level,
                    code=r["code"],
                    name=r["name"],
                    unit_type=r["unit_type"],
                    valid_from=_date(r["valid_from"]),
                    valid_to=_date(r["valid_to"]),
                    parent_id=parent_id,
                    # the province itself for a district or a new commune, the grandparent for an old commune
                    province_id=(province_of.get(parent_id) or parent_id) if parent_id else None,
                    search_key=fold(r["name"]),
                    name_key=sort_text(r["name"]),
                )
            )
        AdministrativeUnit.objects.bulk_create(
            units,
            batch_size=2000,
            update_conflicts=True,
            unique_fields=["generation", "level", "code"],
            update_fields=[
                "name",
                "unit_type",
                "valid_from",
                "valid_to",
                "parent",
                "province",
                "search_key",
                "name_key",
            ],  # fmt: skip
        )
        for pk, generation, code, province_id in AdministrativeUnit.objects.filter(level=level).values_list(
            "pk", "generation", "code", "province_id"
        ):
            ids[(generation, level, code)] = pk
            province_of[pk] = province_id

    lineage_created, lineage_deleted, wanted = _load_lineage(data_dir / "lineage.csv", ids)
    _base_versions([ids[(r["generation"], r["level"], r["code"])] for r in rows])
    from hoptac.geo.changes import reapply_all

    acts = reapply_all(data_dir / "changes")
    return LoadResult(
        units=len(rows),
        created=AdministrativeUnit.objects.count() - before,
        lineage=len(wanted),
        lineage_created=lineage_created,
        lineage_deleted=lineage_deleted,
        acts=acts,
    )


def _base_versions(unit_ids: list[int]) -> None:
    """Each unit of the files starts again from one version: the state the file gives it."""
    UnitVersion.objects.filter(unit_id__in=unit_ids).delete()
    fields = ("pk", "valid_from", "valid_to", "name", "unit_type", "parent_id", "province_id")
    UnitVersion.objects.bulk_create(
        [
            UnitVersion(
                unit_id=pk, valid_from=vf, valid_to=vt, name=n, unit_type=t, parent_id=p, province_id=pr
            )
            for pk, vf, vt, n, t, p, pr in AdministrativeUnit.objects.filter(pk__in=unit_ids).values_list(
                *fields
            )
        ],
        batch_size=2000,
    )


def _load_lineage(path: Path, ids: dict) -> tuple[int, int, dict]:
    wanted: dict[tuple[int, int], bool] = {}
    with path.open(encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            old = ids[("old", r["old_level"], r["old_code"])]
            new = ids[("new", r["new_level"], r["new_code"])]
            wanted[(old, new)] = r["is_partial"] == "1"
    # Only the links of the 2025 arrangement belong to this file; later ones belong to their act.
    existing = {
        (o, n): (pk, p)
        for pk, o, n, p in UnitLineage.objects.filter(act__isnull=True).values_list(
            "pk", "old_id", "new_id", "is_partial"
        )
    }
    stale = [pk for key, (pk, _p) in existing.items() if key not in wanted]
    UnitLineage.objects.filter(pk__in=stale).delete()
    fix = [
        UnitLineage(pk=existing[k][0], is_partial=v)
        for k, v in wanted.items()
        if k in existing and existing[k][1] != v
    ]
    UnitLineage.objects.bulk_update(fix, ["is_partial"], batch_size=2000)
    missing = [
        UnitLineage(old_id=o, new_id=n, is_partial=v, date=REFORM_DATE)
        for (o, n), v in wanted.items()
        if (o, n) not in existing
    ]
    UnitLineage.objects.bulk_create(missing, batch_size=2000)
    return len(missing), len(stale), wanted
