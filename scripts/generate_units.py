"""Generate hoptac/geo/data/{units,lineage}.csv from the vietnam-provinces package.

Why: the product needs both generations of administrative units (before and after
1 July 2025) and the lineage between them. vietnam-provinces (GPL-3.0-or-later) is the only
source with official NSO codes for both generations and a code-keyed lineage that flags
partial merges, and its 2026 releases need Python >= 3.12. So a maintainer runs this
script and commits the generated files; the product (Python 3.11+) only reads them.
The codes and names themselves are public data of the General Statistics Office.

Run (from the repository root):
    python3.12 -m venv /tmp/vp && /tmp/vp/bin/pip install vietnam-provinces==2026.9.0
    /tmp/vp/bin/python scripts/generate_units.py
"""

import csv
import datetime
import time
import unicodedata
from collections import defaultdict
from pathlib import Path

import vietnam_provinces
import vietnam_provinces._ward_conversion_2025 as ward_conversion
from vietnam_provinces import Province, Ward
from vietnam_provinces.legacy import District as LegacyDistrict
from vietnam_provinces.legacy import Province as LegacyProvince
from vietnam_provinces.legacy import Ward as LegacyWard

OUT = Path(__file__).resolve().parent.parent / "hoptac" / "geo" / "data"
LAST_OLD_DAY, REFORM_DAY = "2025-06-30", "2025-07-01"
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
# Special zones formed from island districts that had no communes: no ward lineage exists,
# so each is linked to its former district by name (new zone name -> former district name, province).
SPECIAL_ZONES = {
    "Đặc khu Bạch Long Vĩ": ("Huyện Bạch Long Vĩ", 31),
    "Đặc khu Cồn Cỏ": ("Huyện Cồn Cỏ", 45),
    "Đặc khu Hoàng Sa": ("Huyện Hoàng Sa", 48),
    "Đặc khu Lý Sơn": ("Huyện Lý Sơn", 51),
    "Đặc khu Côn Đảo": ("Huyện Côn Đảo", 77),
}


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text).strip()


def unit_type(division_type) -> str:
    return UNIT_TYPES[str(division_type.value if hasattr(division_type, "value") else division_type)]


def main() -> None:
    started = time.perf_counter()
    units = []
    for p in LegacyProvince.iter_all():
        units.append(
            (
                "old",
                "province",
                f"{int(p.code):02d}",
                nfc(p.name),
                unit_type(p.division_type),
                "",
                "",
                LAST_OLD_DAY,
            )
        )
    districts = list(LegacyDistrict.iter_all())
    for d in districts:
        units.append(
            (
                "old",
                "district",
                f"{int(d.code):03d}",
                nfc(d.name),
                unit_type(d.division_type),
                f"{int(d.province_code):02d}",
                "",
                LAST_OLD_DAY,
            )
        )
    for w in LegacyWard.iter_all():
        units.append(
            (
                "old",
                "commune",
                f"{int(w.code):05d}",
                nfc(w.name),
                unit_type(w.division_type),
                f"{int(w.district_code):03d}",
                "",
                LAST_OLD_DAY,
            )
        )
    for p in Province.iter_all():
        units.append(
            (
                "new",
                "province",
                f"{int(p.code):02d}",
                nfc(p.name),
                unit_type(p.division_type),
                "",
                REFORM_DAY,
                "",
            )
        )
    new_wards = list(Ward.iter_all())
    for w in new_wards:
        units.append(
            (
                "new",
                "commune",
                f"{int(w.code):05d}",
                nfc(w.name),
                unit_type(w.division_type),
                f"{int(w.province_code):02d}",
                REFORM_DAY,
                "",
            )
        )
    units.sort(key=lambda u: ({"province": 0, "district": 1, "commune": 2}[u[1]], u[0], u[2]))

    known = {(g, lvl, c) for g, lvl, c, *_ in units}
    old_ward_province = {}
    district_province = {f"{int(d.code):03d}": f"{int(d.province_code):02d}" for d in districts}
    for g, lvl, c, _n, _t, parent, *_ in units:
        if g == "old" and lvl == "commune":
            old_ward_province[c] = district_province[parent]

    lineage = {}
    skipped = 0
    for old_code, entry in ward_conversion.OLD_TO_NEW.items():
        old = f"{old_code:05d}"
        if ("old", "commune", old) not in known:
            skipped += len(entry.new_wards)
            continue
        for new_ref in entry.new_wards:
            new = f"{new_ref.code:05d}"
            if ("new", "commune", new) not in known:
                skipped += 1
                continue
            lineage[("commune", old, "commune", new)] = entry.old_ward.is_partly_merged
    # Province lineage from the ward lineage: partial if the old province's wards went to several.
    new_ward_province = {f"{int(w.code):05d}": f"{int(w.province_code):02d}" for w in new_wards}
    province_targets = defaultdict(set)
    for (_l, old, _nl, new), _partial in lineage.items():
        province_targets[old_ward_province[old]].add(new_ward_province[new])
    for old_p, targets in province_targets.items():
        for new_p in targets:
            lineage[("province", old_p, "province", new_p)] = len(targets) > 1
    by_name = {(nfc(d.name), int(d.province_code)): f"{int(d.code):03d}" for d in districts}
    zones = []
    for w in new_wards:
        name = nfc(w.name)
        if name in SPECIAL_ZONES:
            district_name, old_province = SPECIAL_ZONES[name]
            code = by_name[(district_name, old_province)]
            lineage[("district", code, "commune", f"{int(w.code):05d}")] = False
            zones.append(f"{name} ({int(w.code):05d}) <- {district_name} ({code})")

    OUT.mkdir(parents=True, exist_ok=True)
    with (OUT / "units.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(
            ["generation", "level", "code", "name", "unit_type", "parent_code", "valid_from", "valid_to"]
        )
        writer.writerows(units)
    with (OUT / "lineage.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["old_level", "old_code", "new_level", "new_code", "is_partial"])
        order = {"province": 0, "district": 1, "commune": 2}
        for key in sorted(lineage, key=lambda k: (order[k[0]], k[1], k[3])):
            writer.writerow([*key, "1" if lineage[key] else "0"])

    counts = defaultdict(int)
    for g, lvl, *_ in units:
        counts[(g, lvl)] += 1
    kinds = defaultdict(int)
    for key, partial in lineage.items():
        kinds[f"{key[0]}→{key[2]}" + (" (partial)" if partial else "")] += 1
    (OUT / "SOURCE.md").write_text(
        "# Administrative-unit data\n\n"
        f"Generated by `scripts/generate_units.py` on {datetime.date.today().isoformat()} from the PyPI package "
        f"vietnam-provinces {vietnam_provinces.__version__ if hasattr(vietnam_provinces, '__version__') else '2026.9.0'} "
        f"(data version {vietnam_provinces.__data_version__}; lineage source: {ward_conversion.SOURCE}).\n\n"
        "| generation | level | units |\n|---|---|---|\n"
        + "".join(f"| {g} | {lvl} | {n} |\n" for (g, lvl), n in sorted(counts.items()))
        + "\n| lineage link | count |\n|---|---|\n"
        + "".join(f"| {k} | {n} |\n" for k, n in sorted(kinds.items()))
        + f"\n{skipped} lineage rows of the source were skipped because one end is missing from the unit lists "
        "(the source's unit list and conversion table have slightly different dates).\n\n"
        "Special zones formed from island districts without communes, linked to their former districts by hand:\n"
        + "".join(f"- {z}\n" for z in zones)
        + "\nLicence: vietnam-provinces is GPL-3.0-or-later and is used only by this maintainer script; hoptac "
        "(AGPL-3.0-or-later) ships the generated data. Unit codes and names are public data of the General "
        "Statistics Office (QĐ 124/2004/QĐ-TTg; QĐ 19/2025/QĐ-TTg).\n",
        encoding="utf-8",
    )
    print(dict(counts), dict(kinds), f"skipped={skipped}", zones, f"{time.perf_counter() - started:.2f}s")


if __name__ == "__main__":
    main()
