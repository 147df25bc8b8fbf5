"""List pages on national data (issue 20): /registry/ first and last page, the review queue.

Usage: DATABASE_URL=... python bench/lists_bench.py [--runs 10] [--explain] [--year 2024]

Measures as bench/run.py's section "3b. list pages" does (django.test.Client, an administrator,
100,000 sets of `--year` marked submitted inside a transaction rolled back afterwards), and
beside it a floor: the registry page with a filter that matches nothing (the same template,
session and user, no rows). Prints p95 wall time, median CPU time (time.process_time), the
number of queries and the slowest of them; `--explain` prints each query's plan.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WAITING = 100_000


def setup() -> None:
    os.environ.setdefault("HOPTAC_SECRET_KEY", "bench-only-not-secret")
    os.environ["HOPTAC_DEBUG"] = "0"
    os.environ["HOPTAC_ALLOWED_HOSTS"] = "testserver"
    os.environ["HOPTAC_STATIC_ROOT"] = str(ROOT / "var" / "bench" / "static")
    os.environ["DJANGO_SETTINGS_MODULE"] = "hoptac.settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)


def measure(client, path: str, runs: int) -> dict:
    from hoptac.core.cache import bump

    client.get(path)  # warm the templates and the planner's first look
    bump()  # as after a write somewhere: the cached counts and medians are computed again
    started = time.perf_counter()
    client.get(path)
    cold = time.perf_counter() - started
    walls, cpus = [], []
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        response = client.get(path)
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
        assert response.status_code == 200, (path, response.status_code)
    walls.sort()
    return {
        "p95": walls[min(len(walls) - 1, int(round(0.95 * (len(walls) - 1))))],
        "median": statistics.median(walls),
        "cpu": statistics.median(cpus),
        "cold": cold,
    }


def queries(client, path: str, explain: bool) -> list[tuple[float, str]]:
    """The page's queries with their times; `explain`: each SELECT's plan, asked with the same
    bound parameters (a plan of the SQL with the values written in can differ: SQLite uses a
    partial index only for a literal condition)."""
    from django.db import connection

    captured: list[tuple[float, str, object]] = []

    def wrapper(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            captured.append((time.perf_counter() - started, sql, params))

    with connection.execute_wrapper(wrapper):
        client.get(path)
    if explain:
        prefix = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN (ANALYZE, BUFFERS) "
        for took, sql, params in captured:
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            with connection.cursor() as cursor:
                cursor.execute(prefix + sql, params)
                plan = "\n    ".join(" ".join(str(c) for c in row) for row in cursor.fetchall())
            print(f"  [{took * 1000:.1f} ms] {sql[:300]}\n    {plan}")
    return [(took, sql) for took, sql, _params in captured]


def report(name: str, result: dict, captured: list, floor: dict | None) -> None:
    slowest = sorted(captured, reverse=True)[:3]
    ratio = f" ({result['p95'] / floor['p95']:.1f}x floor)" if floor else ""
    print(
        f"{name}: p95 {result['p95'] * 1000:.0f} ms{ratio}, median {result['median'] * 1000:.0f} ms, "
        f"cpu {result['cpu'] * 1000:.0f} ms, first after a write {result['cold'] * 1000:.0f} ms, "
        f"{len(captured)} queries; slowest: "
        + "; ".join(f"{t * 1000:.1f} ms {sql[:90]}" for t, sql in slowest),
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--year", type=int, default=2024)
    parser.add_argument("--explain", action="store_true")
    parser.add_argument(
        "--only", choices=["registry", "review"], help="measure only these pages (and the floor)"
    )
    parser.add_argument(
        "--analyze", action="store_true", help="PostgreSQL: ANALYZE after marking (run.py does not)"
    )
    args = parser.parse_args()
    setup()
    from django.db import connection, transaction
    from django.test import Client

    from hoptac.accounts.models import User
    from hoptac.figures.models import AnnualFigures
    from hoptac.registry.models import Organisation

    print("uptime before:", subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())
    print(
        f"{connection.vendor}: {Organisation.objects.count()} organisations, "
        f"{AnnualFigures.objects.count()} sets of figures",
        flush=True,
    )
    admin, _ = User.objects.get_or_create(
        username="bench-admin", defaults={"role": "admin", "is_superuser": True, "is_staff": True}
    )
    client = Client()
    client.force_login(admin)
    pages = {
        "floor (no rows)": "/registry/?status=none",
        "registry first": "/registry/",
        "registry last": "/registry/?page=999999",
    }
    floor = None
    for name, path in pages.items():
        if args.only == "review" and name.startswith("registry"):
            continue
        result = measure(client, path, args.runs)
        report(name, result, queries(client, path, args.explain), floor)
        floor = floor or result
    if args.only == "registry":
        return
    with transaction.atomic():  # 100,000 sets waiting for review, rolled back after measuring
        ids = list(
            AnnualFigures.objects.filter(year=args.year).order_by("pk").values_list("pk", flat=True)[:WAITING]
        )
        for i in range(0, len(ids), 5000):
            AnnualFigures.objects.filter(pk__in=ids[i : i + 5000]).update(status="submitted")
        if args.analyze and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE figures_annualfigures")
        waiting = AnnualFigures.objects.filter(year=args.year, status__in=["submitted", "reviewed"]).count()
        print(f"{waiting} sets waiting for review in {args.year}", flush=True)
        for name, path in (
            ("review queue", f"/figures/review/?year={args.year}"),
            ("review queue page 2", f"/figures/review/?year={args.year}&page=2"),
        ):
            result = measure(client, path, args.runs)
            report(name, result, queries(client, path, args.explain), floor)
        transaction.set_rollback(True)
    print("uptime after:", subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())


if __name__ == "__main__":
    main()
