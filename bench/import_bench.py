"""Import benchmark: a generated .xlsx of N organisation rows, dry run + commit, on a fresh database.

Usage: python bench/import_bench.py [--rows 100000] [--db sqlite|postgres|both]
Each database gets a fresh database (migrated, units loaded) in one process, then a second
process measures python-calamine's bare read of the same file (three times before the import and
three times after it, the best of the six is the floor), the dry run and the commit; peak memory is that process's getrusage peak. Beside wall time, CPU time (this
process's and, on PostgreSQL, its server backend's) and the load average are recorded: on a
shared machine the ratio of CPU times is the fair comparison. Writes bench/results-import.json (the SQLite run
at the top level, as bench/report.py reads it, and the PostgreSQL run under "postgres").
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_URL = os.environ.get("BENCH_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/hoptac_bench_import")
TARGET = {"seconds": 10, "ratio": 15, "peak_mb": 350}


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


def database_url(db: str) -> str:
    if db == "postgres":
        return PG_URL
    return f"sqlite:///{ROOT / 'var' / 'bench' / 'import.sqlite3'}"


def fresh(db: str) -> None:
    if db == "postgres":
        import psycopg

        base, name = PG_URL.rsplit("/", 1)
        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
    else:
        path = ROOT / "var" / "bench" / "import.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)


def setup_django(db: str) -> None:
    os.environ.update(HOPTAC_SECRET_KEY="bench-only", HOPTAC_DEBUG="0", DATABASE_URL=database_url(db),
                      HOPTAC_CACHE_DIR=str(ROOT / "var" / "bench" / f"cache-import-{db}"), DJANGO_SETTINGS_MODULE="hoptac.settings")  # fmt: skip
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def prepare_database(db: str, rows: int) -> None:
    """Step 1 (own process): a fresh database with the units, and the file."""
    fresh(db)
    setup_django(db)
    from django.core.management import call_command

    from hoptac.geo.models import AdministrativeUnit

    call_command("migrate", verbosity=0)
    call_command("load-units", stdout=open(os.devnull, "w"))
    province = AdministrativeUnit.objects.get(generation="new", level="province", code="44")
    communes = list(
        AdministrativeUnit.objects.filter(province=province, level="commune").values_list("name", flat=True)
    )
    path = ROOT / "var" / "bench" / f"import-{rows}.xlsx"
    if not path.exists():
        make_file(path, rows, communes)


def _server_cpu(connection) -> float | None:
    """CPU seconds of this session's PostgreSQL backend so far (a local server: /proc), else None."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def _clocks():
    return time.perf_counter(), time.process_time()


def measure(db: str, rows: int) -> dict:
    """Step 2 (own process, so its peak memory is the import's): bare read, dry run, commit.

    Wall time is the target's measure. On a shared machine it also counts the time other
    processes held the CPU, so CPU time is recorded beside it: this process's, plus (PostgreSQL)
    its server backend's; the ratios of both to the bare read measured here are given."""
    setup_django(db)
    from python_calamine import CalamineWorkbook

    from hoptac.geo.models import AdministrativeUnit
    from hoptac.imports import importer
    from hoptac.imports.reading import read

    province = AdministrativeUnit.objects.get(generation="new", level="province", code="44")
    path = ROOT / "var" / "bench" / f"import-{rows}.xlsx"
    load_before = os.getloadavg()
    bare_runs = []

    def bare_reads() -> int:
        for _run in range(3):
            wall, cpu = _clocks()
            count = sum(1 for _ in CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).iter_rows())
            wall2, cpu2 = _clocks()
            bare_runs.append((wall2 - wall, cpu2 - cpu))
        return count

    read_rows = bare_reads()  # the floor: three before the import and three after, the best of six
    data = path.read_bytes()
    from django.db import connection

    connection.ensure_connection()
    server_start = _server_cpu(connection)
    wall, cpu = _clocks()
    plan = importer.prepare("organisations", read(data, path.name), path.name, context=province)
    wall2, cpu2 = _clocks()
    server_dry = _server_cpu(connection)
    batch = importer.commit(plan)
    wall3, cpu3 = _clocks()
    server_end = _server_cpu(connection)
    dry, commit = wall2 - wall, wall3 - wall2
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    bare_reads()  # after: a host that sped up meanwhile does not flatter the ratio
    bare, bare_cpu = min(r[0] for r in bare_runs), min(r[1] for r in bare_runs)
    total = dry + commit
    server = (server_end - server_start) if server_start is not None and server_end is not None else None
    cpu_total = (cpu3 - cpu) + (server or 0)
    from hoptac.core.models import AuditEntry
    from hoptac.imports.models import BatchItem
    from hoptac.registry.models import Organisation

    written = {"organisations": Organisation.objects.count(), "audit_entries": AuditEntry.objects.filter(request_id=batch.request_id).count(),
               "batch_items": BatchItem.objects.filter(batch=batch).count()}  # fmt: skip
    met = total <= TARGET["seconds"] and total <= TARGET["ratio"] * bare and peak_mb <= TARGET["peak_mb"]
    version = (
        connection.pg_version if connection.vendor == "postgresql" else __import__("sqlite3").sqlite_version
    )
    return {"database": f"{connection.vendor} {version}",
            "rows": rows, "read_rows": read_rows, "bare_read": bare, "bare_read_runs": [round(r[0], 3) for r in bare_runs], "dry_run": dry, "commit": commit, "measured": total,
            "ratio_to_bare": total / bare, "peak_mb": peak_mb, "created": batch.created, "errors": plan.count("error"),
            "cpu": {"bare_read": bare_cpu, "dry_run": cpu2 - cpu, "commit": cpu3 - cpu2,
                    "server_dry_run": (server_dry - server_start) if server is not None else None,
                    "server_commit": (server_end - server_dry) if server is not None else None,
                    "total": cpu_total, "ratio_to_bare": cpu_total / bare_cpu},
            "load_average": {"before": [round(x, 2) for x in load_before], "after": [round(x, 2) for x in os.getloadavg()]},
            "cores": os.cpu_count(),
            "written": written, "target": "≤ 10 s, ≤ 15× bare read, ≤ 350 MB", "met": met,
            "date": time.strftime("%Y-%m-%d")}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--step", choices=["prepare", "measure"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    (ROOT / "var" / "bench").mkdir(parents=True, exist_ok=True)
    if args.step == "prepare":
        prepare_database(args.db, args.rows)
        return
    if args.step == "measure":
        print(json.dumps(measure(args.db, args.rows)))
        return
    results = {}
    for db in ["sqlite", "postgres"] if args.db == "both" else [args.db]:
        base = [sys.executable, __file__, "--rows", str(args.rows), "--db", db]
        subprocess.run([*base, "--step", "prepare"], check=True)
        done = subprocess.run([*base, "--step", "measure"], check=True, capture_output=True, text=True)
        results[db] = json.loads(done.stdout.strip().splitlines()[-1])
        print(db, json.dumps(results[db], indent=2), flush=True)
    out = ROOT / "bench" / "results-import.json"
    previous = json.loads(out.read_text(encoding="utf-8")) if out.exists() else {}
    merged = {**previous, **results.get("sqlite", {})}
    if "postgres" in results:
        merged["postgres"] = results["postgres"]
    out.write_text(json.dumps(merged, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
