"""Import benchmark: a generated .xlsx of N organisation rows, dry run + commit, on a fresh SQLite database.

Usage: python bench/import_bench.py [--rows 100000]
Measured beside python-calamine's bare read of the same file; peak memory from getrusage.
Writes bench/results-import.json (bench/report.py adds it to docs/benchmarks.md).
"""

import argparse
import json
import os
import resource
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def make_file(path: Path, rows: int, communes: list[str]) -> None:
    import xlsxwriter

    from hoptac.registry.models import make_tax_code

    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, ["DANH SÁCH HỢP TÁC XÃ"])
    sheet.write_row(
        2,
        0,
        [
            "TT",
            "Tên hợp tác xã",
            "Mã số thuế",
            "Xã, phường",
            "Địa chỉ",
            "Ngày đăng ký",
            "Giám đốc",
            "Lĩnh vực",
        ],
    )
    seq = 0
    for i in range(rows):
        code = None
        while code is None:
            seq += 1
            code = make_tax_code("32", seq)
        sheet.write_row(3 + i, 0, [i + 1, f"HTX Thử nghiệm {i + 1}", code, communes[i % len(communes)], f"Thôn {i % 12 + 1}",
                                   f"{(i % 28) + 1:02d}/0{(i % 9) + 1}/20{10 + i % 15}", "Nguyễn Văn A", "Nông nghiệp"])  # fmt: skip
    book.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    db = ROOT / "var" / "bench" / "import.sqlite3"
    db.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    os.environ.update(HOPTAC_SECRET_KEY="bench-only", HOPTAC_DEBUG="0", DATABASE_URL=f"sqlite:///{db}",
                      HOPTAC_CACHE_DIR=str(ROOT / "var" / "bench" / "cache-import"), DJANGO_SETTINGS_MODULE="hoptac.settings")  # fmt: skip
    import django

    django.setup()
    from django.core.management import call_command

    from hoptac.geo.models import AdministrativeUnit
    from hoptac.imports import importer
    from hoptac.imports.reading import read

    call_command("migrate", verbosity=0)
    call_command("load-units", stdout=open(os.devnull, "w"))
    province = AdministrativeUnit.objects.get(generation="new", level="province", code="44")
    communes = list(
        AdministrativeUnit.objects.filter(province=province, level="commune").values_list("name", flat=True)
    )
    path = ROOT / "var" / "bench" / f"import-{args.rows}.xlsx"
    if not path.exists():
        make_file(path, args.rows, communes)
    from python_calamine import CalamineWorkbook

    started = time.perf_counter()
    rows = sum(1 for _ in CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).iter_rows())
    bare = time.perf_counter() - started
    data = path.read_bytes()
    started = time.perf_counter()
    plan = importer.prepare("organisations", read(data, path.name), path.name, context=province)
    dry = time.perf_counter() - started
    started = time.perf_counter()
    batch = importer.commit(plan)
    commit = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    total = dry + commit
    result = {"rows": args.rows, "read_rows": rows, "bare_read": bare, "dry_run": dry, "commit": commit, "measured": total,
              "ratio_to_bare": total / bare, "peak_mb": peak_mb, "created": batch.created, "errors": plan.count("error"),
              "target": "≤ 15 s, ≤ 3× bare read, ≤ 500 MB", "met": total <= 15 and total <= 3 * bare and peak_mb <= 500}  # fmt: skip
    (ROOT / "bench" / "results-import.json").write_text(json.dumps(result, indent=2), encoding="utf-8")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
