"""Hostile and huge files, built for the tests and for bench/hostile_bench.py (the time target).

`measured(path)`: the refusal of one file by `reading.read`, in a process of its own, with its
time and its own peak memory."""

import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

from hoptac.imports.reading import MAX_UNCOMPRESSED

ROOT = Path(__file__).resolve().parents[3]
HEAD = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
ROW = b'<row><c t="inlineStr"><is><t>x</t></is></c></row>'


def bomb(megabytes: int) -> bytes:
    """A small .xlsx whose sheet expands to `megabytes`."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(
            "xl/workbook.xml",
            '<workbook xmlns:r="r"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        with archive.open("xl/worksheets/sheet1.xml", "w") as fh:
            fh.write(HEAD)
            block = ROW * 20000
            for _i in range(megabytes * 1024 * 1024 // len(block)):
                fh.write(block)
            fh.write(b"</sheetData></worksheet>")
    return buffer.getvalue()


def lying(data: bytes) -> bytes:
    """The same archive, its directory (local header and central directory) claiming 1 KB."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        real = archive.getinfo("xl/worksheets/sheet1.xml").file_size.to_bytes(4, "little")
    forged = data.replace(real, (1024).to_bytes(4, "little"))
    with zipfile.ZipFile(io.BytesIO(forged)) as archive:
        assert archive.getinfo("xl/worksheets/sheet1.xml").file_size == 1024
    return forged


MEASURE = """
import json, os, sys, time
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hoptac.settings_test")
import django; django.setup()
from hoptac.imports.reading import ReadError, read
data = open(sys.argv[1], "rb").read()
started = time.perf_counter()
try:
    read(data, sys.argv[1]); message = None
except ReadError as exc:
    message = str(exc)
# VmHWM is this process's own peak; ru_maxrss would carry over the (larger) pytest parent's after exec.
hwm = next(l for l in open("/proc/self/status") if l.startswith("VmHWM:"))
print(json.dumps({"seconds": time.perf_counter() - started, "message": message,
                  "peak_mb": int(hwm.split()[1]) / 1024}))
"""


def measured(path: Path) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", MEASURE, str(path)], capture_output=True, text=True, cwd=ROOT, check=True
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def zip_bomb() -> bytes:
    """An .xlsx of under 3 MB whose sheet expands 180 MB beyond the limit."""
    return bomb(MAX_UNCOMPRESSED // (1024 * 1024) + 180)


def huge_csv(path: Path) -> Path:
    """A 50 MB CSV of short rows (more rows than the limit)."""
    line = ",".join(["Tên HTX", "0100233488", "Xã Vĩnh Thái"] * 4) + "\n"
    path.write_bytes((line * (50 * 1024 * 1024 // len(line.encode()))).encode())
    return path
