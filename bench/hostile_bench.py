"""Hostile files: how fast they are refused and with how much memory (target: ≤ 5 s each).

Usage: python bench/hostile_bench.py
The files are the tests' (`hoptac/imports/tests/hostile.py`): a zip bomb (an .xlsx under 3 MB
whose sheet expands beyond the limit), the same with its zip directory lying about the size, and
a 50 MB CSV. Each is read by `reading.read` in a process of its own (its own peak memory); the
floor beside it is the time that process takes to read a 1 KB spreadsheet. Writes
bench/results-hostile.json.
"""

import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TARGET_SECONDS, TARGET_MB = 5, 400


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hoptac.settings_test")
    import django

    django.setup()
    from hoptac.imports.tests.hostile import huge_csv, lying, measured, zip_bomb
    from hoptac.imports.tests.shapes import SheetSpec, write

    results = {}
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        small = base / "small.xlsx"
        small.write_bytes(write("xlsx", [SheetSpec("x", [["Tên HTX", "Xã"], ["HTX A", "Vĩnh Thái"]])]))
        bomb = zip_bomb()
        (base / "bomb.xlsx").write_bytes(bomb)
        (base / "bomb-lying.xlsx").write_bytes(lying(bomb))
        huge_csv(base / "huge.csv")
        for name in ("small.xlsx", "bomb.xlsx", "bomb-lying.xlsx", "huge.csv"):
            path = base / name
            result = measured(path)
            result["file_mb"] = round(path.stat().st_size / 1024 / 1024, 2)
            if name != "small.xlsx":
                result["met"] = (
                    bool(result["message"])
                    and result["seconds"] <= TARGET_SECONDS
                    and result["peak_mb"] <= TARGET_MB
                )
            results[name] = result
            print(f"{name}: {result['file_mb']} MB, {result['seconds']:.2f} s, peak {result['peak_mb']:.0f} MB, "
                  f"{result['message'] or 'read'}", flush=True)  # fmt: skip
    results["target"] = f"refused in ≤ {TARGET_SECONDS} s, peak ≤ {TARGET_MB} MB"
    results["date"] = time.strftime("%Y-%m-%d")
    (ROOT / "bench" / "results-hostile.json").write_text(json.dumps(results, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
