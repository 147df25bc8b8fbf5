"""Hostile and huge files are refused quickly, before they are expanded into memory."""

import importlib
import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from hoptac.imports.reading import MAX_UNCOMPRESSED, ReadError, read
from hoptac.imports.tests.shapes import SheetSpec, write

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


def test_a_zip_bomb_is_refused_in_seconds_with_bounded_memory(tmp_path):
    data = bomb(MAX_UNCOMPRESSED // (1024 * 1024) + 180)
    for lie in (False, True):
        path = tmp_path / f"bomb-{lie}.xlsx"
        path.write_bytes(lying(data) if lie else data)
        assert path.stat().st_size < 3 * 1024 * 1024
        result = measured(path)
        assert result["message"] and "MB" in result["message"], result
        assert result["seconds"] < 5 and result["peak_mb"] < 300, result


def test_a_50_mb_csv_is_refused_without_filling_memory(tmp_path):
    path = tmp_path / "huge.csv"
    line = ",".join(["Tên HTX", "0100233488", "Xã Vĩnh Thái"] * 4) + "\n"
    path.write_bytes((line * (50 * 1024 * 1024 // len(line.encode()))).encode())
    result = measured(path)
    assert result["message"] and "dòng" in result["message"], result
    assert result["seconds"] < 5 and result["peak_mb"] < 400, result


def test_a_sheet_declaring_too_many_rows_is_refused_before_reading():
    data = bytearray(write("xlsx", [SheetSpec("x", [["Tên HTX", "Xã"], ["HTX A", "Vĩnh Thái"]])]))
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        files = {n: archive.read(n) for n in archive.namelist()}
    files["xl/worksheets/sheet1.xml"] = files["xl/worksheets/sheet1.xml"].replace(
        b'<dimension ref="A1:B2"/>', b'<dimension ref="A1:B900000"/>'
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    with pytest.raises(ReadError, match="900.000"):
        read(out.getvalue(), "x.xlsx")


@pytest.mark.django_db
def test_the_error_report_goes_where_asked_or_beside_a_writable_file(tmp_path, monkeypatch):
    rows = [["Tên HTX", "Mã số thuế", "Xã"], ["HTX A", "123", "Vĩnh Thái"]]
    path = tmp_path / "in" / "a.csv"
    path.parent.mkdir()
    path.write_bytes(write("csv", [SheetSpec("x", rows)]))
    asked = tmp_path / "reports" / "loi.csv"
    asked.parent.mkdir()
    args = ["import", str(path), "--kind", "organisations", "--within", "464", "--dry-run"]
    with pytest.raises(CommandError):
        call_command(*args, "--report", str(asked), stdout=io.StringIO())
    assert asked.exists() and not (path.parent / "a.errors.csv").exists()
    assert "dòng,lỗi" in asked.read_text(encoding="utf-8-sig").splitlines()[0]
    with pytest.raises(CommandError):
        call_command(*args, stdout=io.StringIO())
    assert (path.parent / "a.errors.csv").exists()
    (path.parent / "a.errors.csv").unlink()
    command = importlib.import_module("hoptac.imports.management.commands.import")
    monkeypatch.setattr(command.os, "access", lambda *_a: False)  # a read-only folder (root ignores modes)
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command(*args, stdout=out)
    assert not (path.parent / "a.errors.csv").exists() and "--report" in out.getvalue()
