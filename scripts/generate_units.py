"""Generate hoptac/geo/data/{units.csv,lineage.csv,SOURCE.md} from the vietnam-provinces package.

Why this script exists: the product needs both generations of Vietnam's administrative units
(before the reform of 1 July 2025: 63 provinces / ~700 districts / ~10,000 communes; after it:
34 provinces / 3,321 communes, no districts) and the lineage old -> new between them.
vietnam-provinces is the one source with the official NSO codes of both generations and a
code-keyed ward conversion table that flags partial merges. Its 2026 releases need Python >= 3.12
and it is GPL-3.0-or-later, so it is used ONLY by this maintainer script, never imported by the
product (AGPL-3.0-or-later, Python 3.11+): a maintainer runs this script and commits the
generated files. The unit codes and names themselves are public data of the General Statistics
Office (NSO) of Vietnam.

How to run (from the repository root), with a throwaway venv outside the repository:

    ~/.pyenv/versions/3.12.1/bin/python3.12 -m venv /tmp/vp312
    /tmp/vp312/bin/pip install vietnam-provinces==2026.9.0
    /tmp/vp312/bin/python scripts/generate_units.py      # i.e. `python scripts/generate_units.py` in that venv

Output is sorted, UTF-8, LF, NFC: rerunning gives byte-identical CSV files. SOURCE.md carries the
generation date (set SOURCE_DATE_EPOCH to pin it).

Lineage kinds written to lineage.csv:
  - commune -> commune from the package's ward conversion table (is_partial from is_partly_merged:
    only part of the old commune went into the new one);
  - province -> province, derived from the commune lineage (an old province -> new province link
    exists if any of its communes went there; partial when they went to more than one new province),
    cross-checked against the package's province table (differences reported in SOURCE.md);
  - district -> commune for the five special zones (đặc khu) formed from island districts that had
    no communes, hence no ward lineage; linked here by name to their former district.
Rows whose old or new end is not in the unit lists are skipped and counted in SOURCE.md.
"""

from __future__ import annotations

import csv
import datetime
import os
import sys
import time
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path

import vietnam_provinces
import vietnam_provinces._province_conversion_2025 as province_conversion
import vietnam_provinces._ward_conversion_2025 as ward_conversion
from vietnam_provinces import Province, Ward
from vietnam_provinces.legacy import District as LegacyDistrict
from vietnam_provinces.legacy import Province as LegacyProvince
from vietnam_provinces.legacy import Ward as LegacyWard

PACKAGE = "vietnam-provinces"
EXPECTED_VERSION = "2026.9.0"
OUT = Path(__file__).resolve().parent.parent / "hoptac" / "geo" / "data"
LAST_OLD_DAY, REFORM_DAY = "2025-06-30", "2025-07-01"
WIDTH = {"province": 2, "district": 3, "commune": 5}
LEVEL_ORDER = {"province": 0, "district": 1, "commune": 2}
GENERATION_ORDER = {"new": 0, "old": 1}
UNIT_HEADER = ["generation", "level", "code", "name", "unit_type", "parent_code", "valid_from", "valid_to"]
LINEAGE_HEADER = ["old_level", "old_code", "new_level", "new_code", "is_partial"]

# The package's division-type values (VietNamDivisionType in vietnam_provinces and .legacy).
UNIT_TYPES = {
    "tỉnh": "tinh",
    "thành phố trung ương": "thanh_pho_tw",
    "huyện": "huyen",
    "quận": "quan",
    "thị xã": "thi_xa",
    "thành phố": "thanh_pho",
    "xã": "xa",
    "phường": "phuong",
    "thị trấn": "thi_tran",
    "đặc khu": "dac_khu",
}

# Special zones formed from island districts that had no communes (so no ward lineage):
# new zone name -> (former district name, old province code). Codes are looked up by name below.
SPECIAL_ZONES = {
    "Đặc khu Bạch Long Vĩ": ("Huyện Bạch Long Vĩ", 31),  # Hải Phòng
    "Đặc khu Cồn Cỏ": ("Huyện Cồn Cỏ", 45),  # old Quảng Trị
    "Đặc khu Hoàng Sa": ("Huyện Hoàng Sa", 48),  # Đà Nẵng
    "Đặc khu Lý Sơn": ("Huyện Lý Sơn", 51),  # Quảng Ngãi
    "Đặc khu Côn Đảo": ("Huyện Côn Đảo", 77),  # Bà Rịa - Vũng Tàu
}


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", str(text)).strip()


def code(value, level: str) -> str:
    return f"{int(value):0{WIDTH[level]}d}"


def unit_type(division_type) -> str:
    return UNIT_TYPES[nfc(getattr(division_type, "value", division_type))]


def generated_on() -> str:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return datetime.datetime.fromtimestamp(int(epoch), datetime.UTC).date().isoformat()
    return datetime.date.today().isoformat()


def build_units() -> list[tuple[str, ...]]:
    old, new = ("old", "", LAST_OLD_DAY), ("new", REFORM_DAY, "")
    units = []

    def add(gen, level, obj, parent):
        generation, valid_from, valid_to = gen
        units.append(
            (
                generation,
                level,
                code(obj.code, level),
                nfc(obj.name),
                unit_type(obj.division_type),
                parent,
                valid_from,
                valid_to,
            )
        )

    for p in LegacyProvince.iter_all():
        add(old, "province", p, "")
    for d in LegacyDistrict.iter_all():
        add(old, "district", d, code(d.province_code, "province"))
    for w in LegacyWard.iter_all():
        add(old, "commune", w, code(w.district_code, "district"))
    for p in Province.iter_all():
        add(new, "province", p, "")
    for w in Ward.iter_all():
        add(new, "commune", w, code(w.province_code, "province"))
    # Level first so parents come before children; then generation, then code.
    units.sort(key=lambda u: (LEVEL_ORDER[u[1]], GENERATION_ORDER[u[0]], u[2]))
    return units


def check_units(units) -> None:
    keys = [(g, lvl, c) for g, lvl, c, *_ in units]
    assert len(keys) == len(set(keys)), "duplicate (generation, level, code)"
    known = set(keys)
    for g, lvl, c, name, _t, parent, *_ in units:
        assert len(c) == WIDTH[lvl] and c.isdigit(), (g, lvl, c)
        assert name and name == nfc(name), (g, lvl, c, name)
        assert not (g == "new" and lvl == "district")
        if lvl == "province":
            assert parent == "", (g, c)
        else:
            parent_level = "province" if (lvl == "district" or g == "new") else "district"
            assert (g, parent_level, parent) in known, (g, lvl, c, parent)


def build_lineage(units):
    known = {(g, lvl, c) for g, lvl, c, *_ in units}
    parent = {(g, lvl, c): p for g, lvl, c, _n, _t, p, *_ in units}
    names = {(g, lvl, c): n for g, lvl, c, n, *_ in units}

    def old_province_of_commune(c):
        return parent[("old", "district", parent[("old", "commune", c)])]

    lineage: dict[tuple[str, str, str, str], bool] = {}
    skipped = Counter()
    skipped_codes = set()
    for old_int, entry in sorted(ward_conversion.OLD_TO_NEW.items()):
        assert entry.old_ward.code == old_int
        old = code(old_int, "commune")
        for ref in entry.new_wards:
            new = code(ref.code, "commune")
            if ("old", "commune", old) not in known:
                skipped["old commune not in the legacy list"] += 1
                skipped_codes.add(old)
            elif ("new", "commune", new) not in known:
                skipped["new commune not in the current list"] += 1
            else:
                lineage[("commune", old, "commune", new)] = bool(entry.old_ward.is_partly_merged)

    mapped_old = {k[1] for k in lineage}
    unmapped_old = sorted(c for g, lvl, c in known if g == "old" and lvl == "commune" and c not in mapped_old)

    # Province lineage, derived from the ward lineage with each old commune's province taken from the
    # legacy unit list (district -> province). The package's own province table is derived from the
    # province codes written in its ward conversion table; a few of those are wrong (e.g. 27691
    # Phường 4 of Thành phố Tân An, Long An, is tagged 82 Tiền Giang, which makes the package claim
    # Tiền Giang -> Tây Ninh). So the package table is only cross-checked, and each difference is
    # reported with the commune tags that cause it.
    targets: dict[str, set[str]] = defaultdict(set)
    for _l, old, _nl, new in lineage:
        targets[old_province_of_commune(old)].add(parent[("new", "commune", new)])
    province_notes = []
    for old_int, entry in sorted(province_conversion.OLD_TO_NEW.items()):
        old = code(old_int, "province")
        package = {code(r.code, "province") for r in entry.new_provinces}
        if package != targets.get(old, set()):
            causes = [
                f"{code(o, 'commune')} {names[('old', 'commune', code(o, 'commune'))]} is tagged province {old} "
                f"but lies in old province {old_province_of_commune(code(o, 'commune'))}"
                for o, e in sorted(ward_conversion.OLD_TO_NEW.items())
                if e.old_ward.province_code == old_int
                and ("old", "commune", code(o, "commune")) in known
                and old_province_of_commune(code(o, "commune")) != old
            ]
            province_notes.append(
                f"old {old}: package {sorted(package)}, from the communes {sorted(targets.get(old, []))}"
                + (f" ({'; '.join(causes)})" if causes else "")
            )
    assert set(targets) == {c for g, lvl, c in known if g == "old" and lvl == "province"}
    for old, news in targets.items():
        for new in news:
            lineage[("province", old, "province", new)] = len(news) > 1

    # Special zones: district -> commune by hand.
    zones = []
    for zone_name, (district_name, old_province) in SPECIAL_ZONES.items():
        zone = [k for k in known if k[0] == "new" and k[1] == "commune" and names[k] == zone_name]
        district = [
            k
            for k in known
            if k[:2] == ("old", "district")
            and names[k] == district_name
            and parent[k] == code(old_province, "province")
        ]
        assert len(zone) == 1 and len(district) == 1, (zone_name, zone, district)
        (_g, _l, zone_code), (_g2, _l2, district_code) = zone[0], district[0]
        assert unit_type_of(units, zone[0]) == "dac_khu", zone_name
        assert not any(k[3] == zone_code for k in lineage), f"{zone_name} already has ward lineage"
        assert not any(
            p == district_code for (g, lvl, _c), p in parent.items() if g == "old" and lvl == "commune"
        )
        lineage[("district", district_code, "commune", zone_code)] = False
        zones.append(
            f"{zone_name} ({zone_code}, new province {parent[zone[0]]}) ← {district_name} ({district_code}, "
            f"old province {parent[district[0]]})"
        )

    new_communes = {c for g, lvl, c in known if g == "new" and lvl == "commune"}
    orphans = sorted(new_communes - {k[3] for k in lineage if k[2] == "commune"})
    assert not orphans, f"new communes without predecessors: {orphans}"
    return lineage, skipped, sorted(skipped_codes), unmapped_old, zones, province_notes


def unit_type_of(units, key):
    for g, lvl, c, _n, t, *_ in units:
        if (g, lvl, c) == key:
            return t
    raise KeyError(key)


def write_csv(path: Path, header, rows) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def main() -> None:
    started = time.perf_counter()
    version = getattr(vietnam_provinces, "__version__", "?")
    if version != EXPECTED_VERSION:
        print(
            f"warning: {PACKAGE} {version} installed, this script was checked against {EXPECTED_VERSION}",
            file=sys.stderr,
        )
    data_version = getattr(vietnam_provinces, "__data_version__", None)

    units = build_units()
    check_units(units)
    lineage, skipped, skipped_codes, unmapped_old, zones, province_notes = build_lineage(units)

    OUT.mkdir(parents=True, exist_ok=True)
    write_csv(OUT / "units.csv", UNIT_HEADER, units)
    lineage_rows = [
        (*key, "1" if lineage[key] else "0")
        for key in sorted(lineage, key=lambda k: (LEVEL_ORDER[k[0]], k[1], LEVEL_ORDER[k[2]], k[3]))
    ]
    write_csv(OUT / "lineage.csv", LINEAGE_HEADER, lineage_rows)

    counts = Counter((g, lvl) for g, lvl, *_ in units)
    kinds = Counter(f"{o} → {n}" + (" (partial)" if p == "1" else "") for o, _oc, n, _nc, p in lineage_rows)
    partly_old = sum(1 for k, p in lineage.items() if k[0] == "commune" and p)
    partly_old_units = len({k[1] for k, p in lineage.items() if k[0] == "commune" and p})
    package_partly = sum(1 for e in ward_conversion.OLD_TO_NEW.values() if e.old_ward.is_partly_merged)
    source = (
        "# Administrative-unit data\n\n"
        f"Generated by `scripts/generate_units.py` on {generated_on()} from the PyPI package "
        f"`{PACKAGE}` {version}"
        + (f" (data version {data_version})" if data_version else "")
        + f"; ward lineage from the package's conversion table `{ward_conversion.SOURCE}` "
        f"(effective {ward_conversion.EFFECTIVE_DATE}).\n\n"
        "## Units (`units.csv`)\n\n| generation | level | units |\n|---|---|---:|\n"
        + "".join(
            f"| {g} | {lvl} | {counts[(g, lvl)]} |\n"
            for g in ("old", "new")
            for lvl in ("province", "district", "commune")
            if counts[(g, lvl)]
        )
        + "\n## Lineage (`lineage.csv`)\n\n| link | rows |\n|---|---:|\n"
        + "".join(f"| {k} | {n} |\n" for k, n in sorted(kinds.items()))
        + f"\n{partly_old_units} old communes were split or partly merged ({partly_old} partial commune links; "
        f"the package flags {package_partly}, the rest are among the skipped codes below). "
        f"{len(unmapped_old)} old communes have no successor in the package's table: "
        f"{', '.join(unmapped_old)}.\n\n"
        f"Skipped: {sum(skipped.values())} lineage rows of the package whose end is missing from the unit lists "
        "(the package's unit lists and conversion table were compiled at slightly different dates): "
        + "; ".join(f"{n} — {why}" for why, n in sorted(skipped.items()))
        + (f" (old codes {', '.join(skipped_codes)})" if skipped_codes else "")
        + ".\n\n"
        + (
            "Province links differ from the package's province table, which follows province tags in its "
            "ward table that contradict the legacy unit list; the links here follow the legacy list: "
            + "; ".join(province_notes)
            + ".\n\n"
            if province_notes
            else ""
        )
        + "Special zones formed from island districts without communes (no ward lineage), linked by hand "
        "to their former districts:\n\n" + "".join(f"- {z}\n" for z in zones) + "\n## Licence\n\n"
        f"`{PACKAGE}` is GPL-3.0-or-later; it is used only by this maintainer script and is not a "
        "dependency of hoptac. hoptac (AGPL-3.0-or-later) ships only the generated data. The unit codes "
        "and names are public data of the General Statistics Office of Vietnam.\n"
    )
    (OUT / "SOURCE.md").write_text(source, encoding="utf-8", newline="\n")

    elapsed = time.perf_counter() - started
    print("units:", {f"{g}/{lvl}": n for (g, lvl), n in sorted(counts.items())})
    print("lineage:", dict(sorted(kinds.items())))
    print("skipped:", dict(skipped), "unmapped old communes:", len(unmapped_old))
    for z in zones:
        print("zone:", z)
    for note in province_notes:
        print("province note:", note)
    print(f"done in {elapsed:.2f}s")


if __name__ == "__main__":
    main()
