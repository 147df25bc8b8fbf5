"""Hostile and huge files are refused before they are expanded into memory (their time: bench/hostile_bench.py)."""

import importlib
import io
import zipfile

import pytest
from django.core.management import CommandError, call_command

from hoptac.imports.reading import ReadError, read
from hoptac.imports.tests.hostile import huge_csv, lying, measured, zip_bomb
from hoptac.imports.tests.shapes import SheetSpec, write


def test_a_zip_bomb_is_refused_with_bounded_memory(tmp_path):
    """Refused before the sheet is expanded (the time target, ≤ 5 s, is bench/hostile_bench.py's)."""
    data = zip_bomb()
    for lie in (False, True):
        path = tmp_path / f"bomb-{lie}.xlsx"
        path.write_bytes(lying(data) if lie else data)
        assert path.stat().st_size < 3 * 1024 * 1024
        result = measured(path)
        assert result["message"] and "MB" in result["message"], result
        assert result["peak_mb"] < 300, result


def test_a_50_mb_csv_is_refused_without_filling_memory(tmp_path):
    result = measured(huge_csv(tmp_path / "huge.csv"))
    assert result["message"] and "dòng" in result["message"], result
    assert result["peak_mb"] < 400, result


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
