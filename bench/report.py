"""Write docs/benchmarks.md from bench/results-*.json (run after bench/run.py)."""

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = [
    ("province_targets", "All targets of a province plan for one year, national data",
     "≤ 1.5× one hand-written SQL aggregate returning the same numbers; ≥ 20× faster than pandas on a full export"),
    ("provinces_x_10_years", "Indicator values for every province × 10 years", "≤ 1 s"),
    ("plan_dashboard_p95", "A plan dashboard page (server time), national data", "p95 ≤ 100 ms"),
    ("classify_year", "Classify every HTX for a year", "≤ 5 s"),
    ("import_100k", "Import 100,000 organisation rows from .xlsx (dry run + commit)", "≤ 10 s and ≤ 15× calamine's bare read; ≤ 350 MB"),
    ("trace_page_load", "Public traceability page under load", "≥ 500 req/s, p99 ≤ 50 ms, 0 errors"),
    ("province_report", "Generate a province's six-monthly report (.docx + .xlsx)", "≤ 2 s"),
]  # fmt: skip
NOT_BUILT = {
    "trace_page_load": "SQLite only (below)",
}


def cell(result: dict | None, key: str) -> str:
    if result is None:
        return NOT_BUILT.get(key, "not run")
    text = f"{result['measured'] * 1000:,.0f} ms"
    if "reference" in result:
        text += f" (SQL {result['reference'] * 1000:,.0f} ms, ×{result['ratio']:.2f}{', same numbers' if result.get('same_numbers') else ', NUMBERS DIFFER'})"
    if "pandas" in result:
        same = "same numbers" if result.get("pandas_same_numbers") else "NUMBERS DIFFER"
        text += f"; pandas on the CSV export {result['pandas'] * 1000:,.0f} ms (engine {result['pandas_ratio']:.0f}× faster, {same})"
    if "scan" in result:
        text += f" (one full scan of the figures in the same run: {result['scan'] * 1000:,.0f} ms)"
    if "cached" in result:
        text += f"; from the cache {result['cached'] * 1000:,.1f} ms"
    if "cold" in result:
        text += f"; first request {result['cold'] * 1000:,.0f} ms"
    if "assessments" in result:
        text += f"; {result['assessments']:,} assessments"
    return text + (" — met" if result["met"] else " — **missed**")


def import_cell(r: dict) -> str:
    text = (f"{r['rows']:,} rows in {r['measured']:.1f} s = {r['ratio_to_bare']:.1f}× the bare read "
            f"({r['bare_read']:.2f} s), peak {r['peak_mb']:.0f} MB")  # fmt: skip
    if r.get("cpu"):
        text += f"; CPU {r['cpu']['total']:.1f} s = {r['cpu']['ratio_to_bare']:.1f}× the bare read's"
    if r.get("load_average"):
        text += f"; load {r['load_average']['before'][0]:.1f} on {r.get('cores', '?')} cores"
    return text + (" — met" if r["met"] else " — **missed**")


def import_line(r: dict) -> str:
    """One database's import run in words: wall times, CPU times, load, memory, what was written."""
    text = (f"{r['rows']:,} organisation rows (.xlsx), {r['database']}: bare python-calamine read {r['bare_read']:.2f} s "
            f"(best of 3); dry run {r['dry_run']:.1f} s; commit {r['commit']:.1f} s; total {r['measured']:.1f} s = "
            f"{r['ratio_to_bare']:.1f}× the bare read; peak memory {r['peak_mb']:.0f} MB; {r['created']:,} created, "
            f"{r['errors']} errors")  # fmt: skip
    cpu = r.get("cpu")
    if cpu:
        server = ""
        if cpu.get("server_commit") is not None:
            server = f" + server backend {cpu['server_dry_run'] + cpu['server_commit']:.1f} s"
        text += (f". CPU: bare read {cpu['bare_read']:.2f} s; dry run {cpu['dry_run']:.1f} s, commit {cpu['commit']:.1f} s"
                 f"{server}; total {cpu['total']:.1f} s = {cpu['ratio_to_bare']:.1f}× the bare read's")  # fmt: skip
    if r.get("load_average"):
        text += f". Load average {r['load_average']['before'][0]:.1f} before, {r['load_average']['after'][0]:.1f} after, {r.get('cores', '?')} cores"
    return text + f"; {r['date']} — {'met' if r['met'] else '**missed**'}."


def trace_cell(trace: dict) -> str:
    s = trace["scenarios"]
    parts = [f"{label} {s[k]['rps']:,.0f} req/s, p99 {s[k]['p99_ms']:.0f} ms ({s[k]['ratio_to_minimal']:.2f}× `/livez`)"
             + (" — met" if s[k]["met"] else " — **missed**")
             for k, label in (("one_lot", "one lot"), ("thousand_lots", "1,000 lots"), ("random_lots", "random lots"))]  # fmt: skip
    return "; ".join(parts)


def main() -> None:
    runs = {}
    for db in ("sqlite", "postgres"):
        path = ROOT / "bench" / f"results-{db}.json"
        if path.exists():
            runs[db] = json.loads(path.read_text(encoding="utf-8"))
    lines = ["# Benchmarks", "", "Produced by `make bench` (bench/run.py, then bench/report.py). Each scenario runs on data made by",
             "`hoptac synth --scale national --seed 1` in a database of its own; times are medians of several runs",
             "(p95 for the page), measured beside a reference in the same run: the reference the target names, or,",
             "for targets in seconds, one full scan of the figures table, which shows how fast the machine was.", ""]  # fmt: skip
    for db, data in runs.items():
        m = data["meta"]
        lines.append(f"- **{db}**: {m['database_version']}, Python {m['python']}, {m['cpu']} ({m['cores']} cores), "
                     f"{m['organisations']:,} organisations, {m['runs']} runs, {m['date']}")  # fmt: skip
    imp_path = ROOT / "bench" / "results-import.json"
    imp = json.loads(imp_path.read_text(encoding="utf-8")) if imp_path.exists() else None
    trace_path = ROOT / "bench" / "results-trace.json"
    trace = json.loads(trace_path.read_text(encoding="utf-8")) if trace_path.exists() else None
    lines += ["", "| scenario | target | SQLite | PostgreSQL |", "|---|---|---|---|"]
    for key, name, target in SCENARIOS:
        values = [
            cell(runs.get(db, {}).get("results", {}).get(key), key) if db in runs else "not run"
            for db in ("sqlite", "postgres")
        ]
        if key == "import_100k" and imp:
            values[0] = import_cell(imp)
            values[1] = import_cell(imp.get("postgres")) if imp.get("postgres") else "not run"
        if key == "trace_page_load" and trace:
            values[0] = trace_cell(trace)
        lines.append(f"| {name} | {target} | {values[0]} | {values[1]} |")
    if imp:
        lines += ["", "### Import (bench/import_bench.py)", ""]
        for label, r in (("SQLite", imp), ("PostgreSQL", imp.get("postgres"))):
            if r:
                lines.append(f"- **{label}**: " + import_line(r))
    if trace:
        s = trace["scenarios"]
        lines += ["", "### Traceability (SQLite, bench/trace_load.py)", "",
                  f"{trace['events']:,} events on {trace['lots']:,} lots"
                  + (f", generated with hash chains in {trace['generated']['seconds']:.0f} s" if trace.get("generated") else "")
                  + f"; a lot's chain verified in {trace['verify_median'] * 1000:.1f} ms (median);"
                  f" the traceability indicator's query over all events {trace['traced_query'] * 1000:.0f} ms.",
                  f"Load: gunicorn with 2 sync workers on 127.0.0.1, {s['livez']['tool']}, 16 connections.", "",
                  "| requests | req/s | p99 | errors | vs. minimal view |", "|---|---|---|---|---|"]  # fmt: skip
        labels = {"livez": "`/livez` (minimal Django view: the reference)", "one_lot": "one lot's page (cached)",
                  "thousand_lots": "1,000 lots' pages (cached)", "random_lots": "random lots among all (mostly not cached)"}  # fmt: skip
        for name, label in labels.items():
            r = s[name]
            ratio = f"{r['ratio_to_minimal']:.2f}×" if "ratio_to_minimal" in r else "—"
            verdict = "" if "met" not in r else (" — met" if r["met"] else " — **missed**")
            lines.append(
                f"| {label} | {r['rps']:,.0f} | {r['p99_ms']:.1f} ms | {r['errors']} | {ratio}{verdict} |"
            )
    lines += ["", "## Reproduce", "", "```sh", "make bench                      # both databases (PostgreSQL if reachable)",
              ".venv/bin/python bench/run.py --db sqlite --scale national --runs 5",
              "BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/hoptac_bench .venv/bin/python bench/run.py --db postgres",
              ".venv/bin/python bench/import_bench.py --rows 100000 --db both   # BENCH_DATABASE_URL for PostgreSQL",
              ".venv/bin/python bench/trace_load.py",
              ".venv/bin/python bench/report.py", "```", ""]  # fmt: skip
    notes = ROOT / "bench" / "NOTES.md"
    if notes.exists():
        lines += [notes.read_text(encoding="utf-8").strip(), ""]
    (ROOT / "docs" / "benchmarks.md").write_text("\n".join(lines), encoding="utf-8")
    print("wrote docs/benchmarks.md")


if __name__ == "__main__":
    main()
