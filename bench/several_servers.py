"""Load on the two-server setup (docs/deploy.md): two gunicorn servers and a worker on one
PostgreSQL and one Redis, on loopback, loaded with wrk (apt install wrk) at the same time.

    .venv/bin/python bench/several_servers.py [--seconds 10] [--out bench/results-several-servers.json]

Scenarios, each first on server A alone, then on A and B at once (half the connections each):
- /livez: the servers' own ceiling (no database, no session);
- an indicator value through the API (token, a value cached in Redis and shared by both servers);
- the organisations list through the API (token, a database query per request);
- the same indicator value right after a write through the other server (the cache is invalidated
  for both: the first answer recomputes, the next ones are cached again).
The deployment is the one of hoptac/core/tests/test_several_servers.py (a fresh database with the
administrative units and a few organisations). Requests go to 127.0.0.1 only, for a bounded time.
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _ms(text: str) -> float:
    value, unit = re.match(r"([\d.]+)(us|ms|s)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]


def wrk(urls: list[str], seconds: int, token: str | None, connections: int = 16) -> dict:
    """wrk on every URL at once (connections shared out); summed throughput, worst p99."""
    command = ["wrk", "-t1", f"-c{connections // len(urls)}", f"-d{seconds}s", "--latency", "--timeout", "5s"]
    if token:
        command += ["-H", f"Authorization: Token {token}"]
    runs = [subprocess.Popen([*command, url], stdout=subprocess.PIPE, text=True) for url in urls]
    outs = [run.communicate(timeout=seconds + 60)[0] for run in runs]
    rps = sum(float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)) for out in outs)
    p99 = max(_ms(re.search(r"99%\s+(\S+)", out).group(1)) for out in outs)
    errors = sum(
        sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", out)) for out in outs
    )
    errors += sum(
        int(m.group(1)) for out in outs if (m := re.search(r"Non-2xx or 3xx responses: (\d+)", out))
    )
    return {"rps": round(rps, 1), "p99_ms": round(p99, 1), "errors": errors}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--out", default=str(ROOT / "bench" / "results-several-servers.json"))
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is needed (apt-get install wrk).")
    import django
    import requests

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hoptac.settings_test")  # the test module imports models
    django.setup()
    from hoptac.core.tests.test_several_servers import Deployment, _admin_url
    from hoptac.registry.models import make_tax_code

    with tempfile.TemporaryDirectory() as tmp:
        deployment = Deployment(Path(tmp), _admin_url())
        deployment.env["HOPTAC_TRACE_RATE_PER_MINUTE"] = "1000000"
        try:
            deployment.manage("migrate", "--noinput", "-v0")
            deployment.manage("load-units")
            deployment.manage("user", "add", "ops", "--role", "officer", "--unit", "44", "--password-stdin",
                              stdin="a long enough password 21\n")  # fmt: skip
            a, b = deployment.server(), deployment.server()
            deployment.worker()
            token = deployment.manage("token", "ops").strip()
            api = {"Authorization": f"Token {token}"}
            tax_codes = [c for c in (make_tax_code("33", i) for i in range(1, 200)) if c][:51]
            for i in range(1, 51):
                requests.post(
                    f"{a}/api/v1/organisations/", headers=api, timeout=30,
                    json={"kind": "htx", "name": f"HTX tải {i}", "commune": "19363", "tax_code": tax_codes[i - 1],
                          "registration_date": "2020-01-02"},
                ).raise_for_status()  # fmt: skip
            value = "/api/v1/indicators/htx_count/values/?unit=44&year=2024"
            listing = "/api/v1/organisations/?page_size=50"
            results = {}
            for name, path, auth in (("livez", "/livez", None), ("indicator (cached)", value, token),
                                     ("organisations list", listing, token)):  # fmt: skip
                requests.get(f"{a}{path}", headers=api, timeout=30)  # warm the cache
                results[name] = {
                    "one server": wrk([f"{a}{path}"], args.seconds, auth),
                    "two servers": wrk([f"{a}{path}", f"{b}{path}"], args.seconds, auth),
                }
            # A write through A, then the first read through B: recomputed, not stale.
            started = time.perf_counter()
            before = requests.get(f"{b}{value}", headers=api, timeout=30).json()["value"]
            requests.post(
                f"{a}/api/v1/organisations/", headers=api, timeout=30,
                json={"kind": "htx", "name": "HTX sau cùng", "commune": "19363", "tax_code": tax_codes[50],
                      "registration_date": "2020-01-02"},
            ).raise_for_status()  # fmt: skip
            first = time.perf_counter()
            after = requests.get(f"{b}{value}", headers=api, timeout=30).json()["value"]
            results["write through A, read through B"] = {
                "before": before, "after": after, "first_read_ms": round((time.perf_counter() - first) * 1000, 1),
                "total_ms": round((time.perf_counter() - started) * 1000, 1),
            }  # fmt: skip
        finally:
            deployment.close()
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    print(json.dumps(results, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
