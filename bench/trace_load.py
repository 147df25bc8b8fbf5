"""Traceability at scale: a million events, and the public QR page under load.

Usage: python bench/trace_load.py [--lots 100000] [--events-per-lot 10] [--seconds 10]

1. Generates lots with hash-chained events in bulk into var/bench/trace.sqlite3 (reused), and
   times it; then times a lot's chain verification and the traceability indicator's query.
2. Starts gunicorn (2 sync workers, 127.0.0.1 only) and loads it with wrk (or, without wrk,
   a Python client) for a fixed time: /livez (a minimal Django view through the same
   middleware: the reference), one lot's page (a label scanned over and over), pages of 1,000
   lots, pages of random lots among --stored lots whose pages were stored (trace.pages; no
   process cache holds them: each request reads the table), and one lot's page asked again
   with the ETag it had (a 304). The workers' CPU time per request is recorded beside each rate
   (on a shared machine the rates also count the time others held the CPU). The server is
   stopped at the end.
Writes bench/results-trace.json (bench/report.py adds it to docs/benchmarks.md).
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import uuid
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "var" / "bench"
ICT = datetime.timezone(datetime.timedelta(hours=7))
STEPS = ["planting", "growing", "harvesting", "inspecting", "packing", "storing", "shipping", "receiving"]


def environment(db: Path) -> dict:
    return {
        **os.environ,
        "HOPTAC_SECRET_KEY": "bench-only-not-secret",
        "HOPTAC_DEBUG": "0",
        "HOPTAC_ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "DATABASE_URL": f"sqlite:///{db}",
        "HOPTAC_STATIC_ROOT": str(BENCH / "static"),
        "HOPTAC_CACHE_DIR": str(BENCH / "cache-trace"),
        # The limiter runs on every request, with a ceiling above this test's traffic from one address.
        "HOPTAC_TRACE_RATE_PER_MINUTE": str(10**9),
        "DJANGO_SETTINGS_MODULE": "hoptac.settings",
    }


def generate(lots: int, per_lot: int) -> dict:
    """Organisations, products, lots and their chained events, with bulk inserts."""
    from django.db import transaction

    from hoptac.geo.models import AdministrativeUnit
    from hoptac.registry.models import Organisation, make_tax_code
    from hoptac.trace import chain
    from hoptac.trace.models import Event, Lot, Product, new_trace_code

    rng = random.Random(7)
    communes = list(AdministrativeUnit.objects.filter(generation="new", level="commune"))
    started = time.perf_counter()
    with transaction.atomic():
        orgs, seq = [], 0
        for i in range(max(1, lots // 50)):
            code = None
            while code is None:
                seq += 1
                code = make_tax_code("39", seq)
            commune = communes[i % len(communes)]
            orgs.append(Organisation(kind="htx", name=f"HTX Truy xuất {i}", search_key=f"htx truy xuat {i}",
                                     tax_code=code, commune=commune, sector="agriculture"))  # fmt: skip
        Organisation.objects.bulk_create(orgs, batch_size=2000)
        products = Product.objects.bulk_create(
            [Product(organisation=o, name=f"Sản phẩm {i}", unit="KGM") for i, o in enumerate(orgs)],
            batch_size=2000,
        )
        recorded = datetime.datetime(2025, 12, 1, tzinfo=datetime.UTC)
        for start in range(0, lots, 5000):
            batch = []
            for i in range(start, min(lots, start + 5000)):
                product = products[i % len(products)]
                day = datetime.date(2025, 1, 1) + datetime.timedelta(days=rng.randrange(300))
                lot = Lot(product=product, code=new_trace_code(), produced_on=day, quantity=Decimal(1000),
                          unit="KGM", place_id=product.organisation.commune_id, created_at=recorded)  # fmt: skip
                lot.genesis_hash = chain.genesis_hash(lot)
                batch.append(lot)
            Lot.objects.bulk_create(batch, batch_size=5000)
            events = []
            for lot in batch:
                running = lot.genesis_hash
                base = datetime.datetime.combine(lot.produced_on, datetime.time(7), tzinfo=ICT)
                for n in range(per_lot):
                    event = Event(lot=lot, seq=n + 1, event_id=f"urn:uuid:{uuid.uuid4()}", step=STEPS[n % len(STEPS)],
                                  event_time=base + datetime.timedelta(hours=6 * n), recorded_at=recorded,
                                  quantity=Decimal(1000), unit="KGM", place_id=lot.place_id,
                                  organisation_id=lot.product.organisation_id, prev_hash=running,
                                  partner_name="Công ty A" if STEPS[n % len(STEPS)] in ("shipping", "receiving") else "")  # fmt: skip
                    event.hash = running = chain.event_hash(running, chain.event_content(event, [], None))
                    events.append(event)
                lot.head_hash, lot.event_count = running, per_lot
            Event.objects.bulk_create(events, batch_size=5000)
            Lot.objects.bulk_update(batch, ["head_hash", "event_count"], batch_size=5000)
    seconds = time.perf_counter() - started
    return {"lots": lots, "events": lots * per_lot, "seconds": seconds}


def measure_queries(runs: int = 200) -> dict:
    from hoptac.trace import chain
    from hoptac.trace.indicators import traced_organisation_ids
    from hoptac.trace.models import Lot

    ids = list(Lot.objects.values_list("pk", flat=True))
    sample = random.Random(3).sample(ids, min(runs, len(ids)))
    times = []
    for pk in sample:
        lot = Lot.objects.get(pk=pk)
        started = time.perf_counter()
        assert chain.verify(lot).ok
        times.append(time.perf_counter() - started)
    started = time.perf_counter()
    traced = traced_organisation_ids(2025).count()
    indicator = time.perf_counter() - started
    return {
        "verify_median": statistics.median(times),
        "traced_query": indicator,
        "traced_organisations": traced,
    }


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(env: dict, port: int) -> subprocess.Popen:
    gunicorn = Path(sys.executable).parent / "gunicorn"
    server = subprocess.Popen(
        [str(gunicorn), "hoptac.wsgi", "--workers", "2", "--bind", f"127.0.0.1:{port}", "--log-level", "warning"],
        env=env, cwd=ROOT, start_new_session=True,
    )  # fmt: skip
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/livez", timeout=1).read()
            return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise RuntimeError("gunicorn did not start")


def workers_cpu(server_pid: int) -> float:
    """CPU seconds used so far by the server's worker processes (from /proc): beside wall-clock
    rates, which on a shared machine count the time other processes held the CPU."""
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == server_pid:  # ppid
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def measured(load, server_pid: int, *args) -> dict:
    cpu = workers_cpu(server_pid)
    result = load(*args)
    result["worker_cpu_ms_per_request"] = (workers_cpu(server_pid) - cpu) * 1000 / max(1, result["requests"])
    return result


WRK_SCRIPT = """
codes = {}
for line in io.lines(os.getenv("TRACE_CODES")) do codes[#codes + 1] = line end
request = function() return wrk.format("GET", "/t/" .. codes[math.random(#codes)] .. "/") end
"""


def _ms(text: str) -> float:
    value, unit = re.match(r"([\d.]+)(us|ms|s)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]


def wrk(url: str, seconds: int, codes: list[str] | None, headers: dict | None = None) -> dict:
    command = ["wrk", "-t2", "-c16", f"-d{seconds}s", "--latency", "--timeout", "5s"]
    for name, value in (headers or {}).items():
        command += ["-H", f"{name}: {value}"]
    env = dict(os.environ)
    with tempfile.TemporaryDirectory() as tmp:
        if codes:
            (Path(tmp) / "codes.txt").write_text("\n".join(codes))
            (Path(tmp) / "random.lua").write_text(WRK_SCRIPT)
            env["TRACE_CODES"] = str(Path(tmp) / "codes.txt")
            command += ["-s", str(Path(tmp) / "random.lua")]
        out = subprocess.run(
            [*command, url], capture_output=True, text=True, env=env, timeout=seconds + 30
        ).stdout
    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", out))
    errors += int(m.group(1)) if (m := re.search(r"Non-2xx or 3xx responses: (\d+)", out)) else 0
    return {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
            "requests": int(re.search(r"(\d+) requests in", out).group(1)),
            "p99_ms": _ms(re.search(r"^\s+99%\s+(\S+)", out, re.MULTILINE).group(1)), "errors": errors, "tool": "wrk"}  # fmt: skip


def python_load(url: str, seconds: int, codes: list[str] | None, headers: dict | None = None) -> dict:
    """Fallback without wrk: 16 threads, one request at a time each (client cost included)."""
    import http.client

    host, port = url.split("//")[1].split("/")[0].split(":")
    latencies, errors, stop = [], [0], time.perf_counter() + seconds

    def worker(seed):
        rng = random.Random(seed)
        while time.perf_counter() < stop:
            path = f"/t/{rng.choice(codes)}/" if codes else "/" + url.split("/", 3)[3]
            started = time.perf_counter()
            try:
                conn = http.client.HTTPConnection(host, int(port), timeout=5)
                conn.request("GET", path, headers=headers or {})
                response = conn.getresponse()
                response.read()
                if response.status not in (200, 304):
                    errors[0] += 1
                conn.close()
            except OSError:
                errors[0] += 1
            latencies.append(time.perf_counter() - started)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    latencies.sort()
    return {"rps": len(latencies) / seconds, "requests": len(latencies), "p99_ms": latencies[int(0.99 * (len(latencies) - 1))] * 1000,
            "errors": errors[0], "tool": "python http.client (16 threads)"}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lots", type=int, default=100_000)
    parser.add_argument("--events-per-lot", type=int, default=10)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--stored", type=int, default=5_000, help="random lots whose pages are stored first")
    args = parser.parse_args()
    BENCH.mkdir(parents=True, exist_ok=True)
    db = BENCH / "trace.sqlite3"
    env = environment(db)
    os.environ.update(env)
    import django

    django.setup()
    from django.core.management import call_command

    from hoptac.registry.models import Organisation
    from hoptac.trace.models import Certification, Event, EventInput, Lot, Product

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    call_command("load-units", stdout=open(os.devnull, "w"))
    generated = None
    if Event.objects.count() < args.lots * args.events_per_lot:
        for model in (EventInput, Event, Lot, Certification, Product, Organisation):  # a smaller earlier run
            model.objects.all()._raw_delete(model.objects.db)
        generated = generate(args.lots, args.events_per_lot)
        print(f"generated {generated['events']:,} events in {generated['seconds']:.0f} s", flush=True)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    queries = measure_queries()
    codes = list(Lot.objects.values_list("code", flat=True))
    hot = codes[:1]
    warm = random.Random(1).sample(codes, 1000)
    # Stored pages (trace.pages, as `hoptac render-public-pages` makes them) for a random sample.
    from hoptac.trace import pages
    from hoptac.trace.models import PublicPage

    stored = random.Random(2).sample(codes, min(args.stored, len(codes)))
    missing = set(stored) - set(PublicPage.objects.filter(language="vi").values_list("code", flat=True))
    started = time.perf_counter()
    rendered = pages.render_now(missing)
    render_seconds = time.perf_counter() - started
    if rendered:
        print(f"stored {rendered:,} lots' pages in {render_seconds:.0f} s", flush=True)
    load = wrk if shutil.which("wrk") else python_load
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    shutil.rmtree(BENCH / "cache-trace", ignore_errors=True)
    load_before = os.getloadavg()
    server = start_server(env, port)
    scenarios = {}
    try:
        scenarios["livez"] = measured(load, server.pid, f"{base}/livez", args.seconds, None)
        for code in warm:  # the 1,000 lots' pages are stored before the warm run, as after a day of scanning
            urllib.request.urlopen(f"{base}/t/{code}/").read()
        scenarios["one_lot"] = measured(load, server.pid, f"{base}/t/{hot[0]}/", args.seconds, None)
        # The same label scanned again by a phone that kept the page: If-None-Match, 304.
        etag = urllib.request.urlopen(f"{base}/t/{hot[0]}/").headers["ETag"]
        scenarios["one_lot_304"] = measured(load, server.pid, f"{base}/t/{hot[0]}/", args.seconds, None,
                                            {"If-None-Match": etag})  # fmt: skip
        scenarios["thousand_lots"] = measured(load, server.pid, base, args.seconds, warm)
        # stored pages, no process cache
        scenarios["random_lots"] = measured(load, server.pid, base, args.seconds, stored)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    # The staff list of lots, national (an administrator): first page and page 4,000 (capped).
    from django.test import Client

    from hoptac.accounts.models import User

    admin, _ = User.objects.get_or_create(
        username="bench-admin", defaults={"role": "admin", "is_superuser": True, "is_staff": True}
    )
    client = Client()
    client.force_login(admin)
    list_pages = {}
    for name, path in (("trace_first", "/trace/"), ("trace_deep", "/trace/?page=4000")):
        client.get(path)
        times = []
        for _ in range(10):
            started = time.perf_counter()
            assert client.get(path).status_code == 200
            times.append(time.perf_counter() - started)
        list_pages[name] = sorted(times)[int(round(0.95 * (len(times) - 1)))]
    reference = scenarios["livez"]["rps"]
    result = {
        "events": Event.objects.count(),
        "lots": len(codes),
        "generated": generated,
        **queries,
        "scenarios": scenarios,
        "list_pages_p95": list_pages,
        "stored_pages": PublicPage.objects.count(),
        "stored_lots_sampled": len(stored),
        "render_seconds_per_lot": render_seconds / rendered if rendered else None,
        "load_average_before": load_before,
        "load_average": os.getloadavg(),
        "target": "random lots ≥ 2,000 requests/s, p99 ≤ 20 ms, 0 errors; ≥ 0.5× a minimal Django view",
    }
    for name in ("one_lot", "one_lot_304", "thousand_lots", "random_lots"):
        s = scenarios[name]
        s["ratio_to_minimal"] = s["rps"] / reference
        s["cpu_ratio_to_minimal"] = (
            scenarios["livez"]["worker_cpu_ms_per_request"] / s["worker_cpu_ms_per_request"]
        )
        s["met"] = s["rps"] >= 2000 and s["p99_ms"] <= 20 and s["errors"] == 0 and s["rps"] >= 0.5 * reference
    (ROOT / "bench" / "results-trace.json").write_text(
        json.dumps(result, indent=2, default=str), encoding="utf-8"
    )
    print(f"load average {load_before} before, {os.getloadavg()} after the loads")
    print(
        f"lot list p95: first page {list_pages['trace_first'] * 1000:.0f} ms, page 4,000 {list_pages['trace_deep'] * 1000:.0f} ms"
    )
    for name, s in scenarios.items():
        print(
            f"{name:14} {s['rps']:8.0f} req/s  p99 {s['p99_ms']:6.1f} ms  errors {s['errors']}  "
            f"workers' CPU {s['worker_cpu_ms_per_request']:.2f} ms/request  ({s['tool']})"
        )
    print(f"verify one lot (median): {queries['verify_median'] * 1000:.1f} ms; traced organisations query: "
          f"{queries['traced_query'] * 1000:.0f} ms")  # fmt: skip


if __name__ == "__main__":
    main()
