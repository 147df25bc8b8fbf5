"""The shapes of real office files: the issue's reproducer and the cells and places as typed."""

import datetime
import io

import pytest
from django.core.management import call_command

from hoptac.conftest import make_organisation, unit
from hoptac.core.models import AuditEntry
from hoptac.figures.models import AnnualFigures
from hoptac.imports import importer
from hoptac.imports.columns import detect
from hoptac.imports.reading import parse_date, parse_number, read
from hoptac.imports.tests.shapes import Legacy, SheetSpec, write
from hoptac.registry.models import Organisation, make_tax_code

pytestmark = pytest.mark.django_db


def codes(n, start=700):
    out, i = [], start
    while len(out) < n:
        i += 1
        if code := make_tax_code("32", i):
            out.append(code)
    return out


def registry_sheet(tax_codes) -> SheetSpec:
    """The district office's registry of the issue: .VnTimeH title, two-row merged header with
    "Thành viên" over "Tổng số"/"Trong đó: chính thức", (1)…(12), TCVN3 names, former communes,
    a total row and a signature block."""
    vnh = ".VnTimeH"
    names = [
        ("Hợp tác xã Nông nghiệp Vĩnh Thái", "Thôn 3, xã Vĩnh Thái"),
        ("HTX Dịch vụ tổng hợp Hồ Xá", "TT Hồ Xá"),
        ("Hợp tác xã Thủy sản Vĩnh Tú", "x. Vĩnh Tú"),
        ("HTX Nông nghiệp Vĩnh Hoà", "xã Vĩnh Hòa"),
    ]
    rows = [
        [Legacy("UBND HUYỆN VĨNH LINH", vnh), None, None, None, None, None,
         Legacy("CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM", vnh)],
        [Legacy("PHÒNG NÔNG NGHIỆP VÀ PTNT", vnh), None, None, None, None, None, "Độc lập - Tự do - Hạnh phúc"],
        [],
        [Legacy("DANH SÁCH HỢP TÁC XÃ TRÊN ĐỊA BÀN HUYỆN NĂM 2024", vnh)],
        ["(Kèm theo Báo cáo số 125/BC-NN ngày 20/11/2024)"],
        [],
        ["TT", "Tên HTX", "Mã số thuế", "Địa chỉ (xã, thị trấn)", "Ngày thành lập", "Giám đốc", "Lĩnh vực",
         "Thành viên", None, "Lao động (người)", "Vốn điều lệ (triệu đồng)", "Ghi chú"],
        [None, None, None, None, None, None, None, "Tổng số", "Trong đó: chính thức", None, None, None],
        [f"({i})" for i in range(1, 13)],
    ]  # fmt: skip
    founded = ["12/03/2008", 40123, datetime.date(2015, 6, 1), "1.7.2019"]
    for i, ((name, place), code) in enumerate(zip(names, tax_codes, strict=True)):
        rows.append([i + 1, Legacy(name), int(code) if i == 1 else code, Legacy(place), founded[i],
                     Legacy("Nguyễn Văn An"), Legacy("Nông nghiệp"), 120 + i, 100 + i, "25", "1.250,5", None])  # fmt: skip
    rows += [
        [None, Legacy("Tổng cộng"), None, None, None, None, None, 486, 406, 100, None, None],
        [],
        [None, None, None, None, None, None, None, None, Legacy("Vĩnh Linh, ngày 20 tháng 11 năm 2024")],
        [
            None,
            Legacy("NGƯỜI LẬP BIỂU", vnh),
            None,
            None,
            None,
            None,
            None,
            None,
            Legacy("TRƯỞNG PHÒNG", vnh),
        ],
        [],
        [None, Legacy("Lê Thị Hoa"), None, None, None, None, None, None, Legacy("Trần Văn Bình")],
    ]
    merges = [(0, 0, 0, 5), (0, 6, 0, 11), (1, 0, 1, 5), (1, 6, 1, 11), (3, 0, 3, 11), (4, 0, 4, 11),
              (7 - 1, 7, 6, 8)] + [(6, c, 7, c) for c in (0, 1, 2, 3, 4, 5, 6, 9, 10, 11)]  # fmt: skip
    return SheetSpec("Danh sách", rows, merges)


def test_the_issues_district_registry_imports(tmp_path):
    tax = codes(4)
    path = tmp_path / "danh-sach-htx-vinh-linh.xlsx"
    path.write_bytes(write("xlsx", [registry_sheet(tax)]))
    out = io.StringIO()
    call_command("import", str(path), "--kind", "organisations", "--within", "464", "--dry-run", stdout=out)
    text = out.getvalue()
    assert "7, 8" in text and "(1) (2)" in text and "TRƯỞNG PHÒNG" in text and "Tổng cộng" in text, text
    assert "“Địa chỉ (xã, thị trấn)” → Xã" in text, text
    assert not Organisation.objects.exists()
    call_command("import", str(path), "--kind", "organisations", "--within", "464", stdout=io.StringIO())
    orgs = {o.tax_code: o for o in Organisation.objects.select_related("commune", "former_commune")}
    assert len(orgs) == 4
    first = orgs[tax[0]]
    assert first.name == "Hợp tác xã Nông nghiệp Vĩnh Thái"  # repaired from TCVN3
    assert (first.commune.name, first.former_commune.name) == ("Xã Vĩnh Hoàng", "Xã Vĩnh Thái")
    assert first.address == "Thôn 3, xã Vĩnh Thái" and first.director_name == "Nguyễn Văn An"
    assert (
        orgs[tax[1]].commune.name == "Xã Vĩnh Linh" and orgs[tax[1]].former_commune.name == "Thị trấn Hồ Xá"
    )
    assert orgs[tax[3]].former_commune.name == "Xã Vĩnh Hòa"  # "Hoà" and "Hòa" alike
    assert [o.registration_date for o in (orgs[c] for c in tax)] == [
        datetime.date(2008, 3, 12), datetime.date(2009, 11, 6), datetime.date(2015, 6, 1), datetime.date(2019, 7, 1)
    ]  # fmt: skip
    assert AuditEntry.objects.filter(source="import").count() == 4
    again = io.StringIO()
    call_command("import", str(path), "--kind", "organisations", "--within", "464", stdout=again)
    assert Organisation.objects.count() == 4 and "4 không đổi" in again.getvalue(), again.getvalue()


def test_the_dry_run_names_header_rows_skipped_rows_and_mapping():
    sheet = read(write("xlsx", [registry_sheet(codes(4))]), "f.xlsx")
    table = detect(sheet.rows, sheet.merges)
    assert table.header_rows == [7, 8]
    assert {s.number: s.reason for s in table.skipped} == {
        1: "title", 2: "title", 4: "title", 5: "title", 9: "number", 14: "total", 16: "footer", 17: "footer", 19: "footer"
    }  # fmt: skip
    names = {c.header: c.field for c in table.columns if c.header}
    assert names["Thành viên / Trong đó: chính thức"] == "members_official"
    assert names["Thành viên / Tổng số"] is None  # the official members win the field
    assert sheet.rows[0][0] == "UBND HUYỆN VĨNH LINH"  # .VnTimeH capitals repaired


@pytest.mark.parametrize("fmt", ["xls", "ods", "csv"])
def test_the_same_registry_in_other_formats(fmt):
    data = write(fmt, [registry_sheet(codes(4))])
    plan = importer.prepare("organisations", read(data, f"f.{fmt}"), f"f.{fmt}", context=unit("464"))
    assert plan.header_rows == [7, 8] and not plan.has_errors, [r.errors for r in plan.rows]
    assert [r.data["name"] for r in plan.rows][0] == "Hợp tác xã Nông nghiệp Vĩnh Thái"
    assert plan.rows[0].data["commune"].name == "Xã Vĩnh Hoàng"


def test_a_missing_name_column_lists_the_columns_found():
    data = write(
        "csv", [SheetSpec("x", [["Mã số thuế", "Xã", "Điện thoại"], ["0100233488", "Vĩnh Thái", "1"]])]
    )
    with pytest.raises(Exception) as exc:
        importer.prepare("organisations", read(data, "a.csv"), "a.csv", context=unit("464"))
    message = " ".join(exc.value.messages)
    assert "Tên" in message and "“Mã số thuế”" in message and "“Điện thoại”" in message, message


def test_errors_name_the_row_and_the_column_in_vietnamese():
    rows = [["Tên HTX", "Xã", "Ngày thành lập"], ["HTX A", "Phường Ba Đình", "31/02/2020"]]
    plan = importer.prepare("organisations", read(write("csv", [SheetSpec("x", rows)]), "a.csv"), "a.csv",
                            context=unit("464"))  # fmt: skip
    errors = plan.rows[0].errors
    assert plan.rows[0].number == 2
    assert any(e.startswith("cột B (Xã)") for e in errors) and any(
        e.startswith("cột C (Ngày thành lập)") for e in errors
    ), errors
    assert not any("commune" in e for e in errors)


def test_groups_name_the_commune_of_the_rows_under_them():
    rows = [
        ["STT", "Tên hợp tác xã", "MST", "Ghi chú"],
        ["I. Xã Vĩnh Thái", None, None],
        [1, "HTX Nông nghiệp A", None],
        ["II", "Thị trấn Hồ Xá"],
        ["II. Thị trấn Hồ Xá"],
        [2, "HTX Nông nghiệp B", None],
        ["Cộng", None, None],
    ]
    plan = importer.prepare("organisations", read(write("csv", [SheetSpec("x", rows)]), "a.csv"), "a.csv",
                            context=unit("464"))  # fmt: skip
    by_name = {r.data["name"]: r for r in plan.rows}
    assert by_name["HTX Nông nghiệp A"].data["former_commune"].name == "Xã Vĩnh Thái"
    assert by_name["HTX Nông nghiệp B"].data["commune"].name == "Xã Vĩnh Linh"


def test_cells_as_offices_type_them():
    assert parse_number("1.234.567") == 1234567 and parse_number("1.234,5") == 1234.5
    assert parse_number("(12)") == -12 and parse_number("-") is None and parse_number("1,234,567") == 1234567
    assert parse_number(" 12 500 ") == 12500
    assert (
        parse_date("02/03/2020") == parse_date(43892) == parse_date("2.3.2020") == datetime.date(2020, 3, 2)
    )
    assert parse_date("ngày 2 tháng 3 năm 2020") == datetime.date(2020, 3, 2)
    assert importer.tax_code_text(100233488.0) == "0100233488"
    assert importer.tax_code_text("0100 233 488") == "0100233488"


def test_csv_in_windows_1258_with_semicolons():
    rows = [["Tên HTX", "Mã số thuế", "Xã"], ["Hợp tác xã Vĩnh Hòa", codes(1)[0], "Xã Vĩnh Hòa"]]
    data = write("csv", [SheetSpec("x", rows)], encoding="cp1258", delimiter=";")
    plan = importer.prepare("organisations", read(data, "a.csv"), "a.csv", context=unit("464"))
    assert plan.rows[0].data["name"] == "Hợp tác xã Vĩnh Hòa" and not plan.has_errors, plan.rows[0].errors


def test_a_workbook_with_a_summary_beside_the_list():
    summary = SheetSpec("Tổng hợp", [["TỔNG HỢP"], ["Xã", "Số HTX", "Thành viên"], ["Vĩnh Thái", 3, 200]])
    detail = SheetSpec("Chi tiết", [["Tên HTX", "Mã số thuế", "Xã"], ["HTX Một", "", "Vĩnh Thái"]])
    sheet = read(write("xlsx", [summary, detail]), "b.xlsx")
    assert sheet.name == "Chi tiết" and "Tổng hợp" in sheet.choice
    assert read(write("xlsx", [summary, detail]), "b.xlsx", sheet="Tổng hợp").name == "Tổng hợp"


def test_figures_match_by_name_within_the_commune_and_convert_money(district_officer):
    one = make_organisation(
        "19372", former_commune="old:19369", name="Hợp tác xã Dịch vụ nông nghiệp Vĩnh Thái"
    )
    make_organisation("19372", name="HTX Thủy sản Vĩnh Tú")
    make_organisation("19363", name="HTX Thủy sản Vĩnh Tú")
    rows = [["BÁO CÁO KẾT QUẢ HOẠT ĐỘNG NĂM 2024"],
            ["Tên HTX", "Xã", "Doanh thu (tr.đ)", "Lợi nhuận (nghìn đồng)", "Vốn điều lệ (tỷ đồng)"],
            ["HTX DV NN Vĩnh Thái", "Vĩnh Thái", "1.250,5", "(120)", "1,5"],
            ["HTX Thủy sản Vĩnh Tú", "", "10", "1", "1"]]  # fmt: skip
    plan = importer.prepare("figures", read(write("xlsx", [SheetSpec("x", rows)]), "a.xlsx"), "a.xlsx",
                            context=unit("464"), user=district_officer, year=2024)  # fmt: skip
    assert plan.rows[0].outcome == "new", plan.rows[0].errors
    assert "Xã Vĩnh Hoàng" in plan.rows[1].errors[0] and "Xã Vĩnh Linh" in plan.rows[1].errors[0]
    importer.commit(plan, user=district_officer, valid_only=True)
    figures = AnnualFigures.objects.get(organisation=one, year=2024)
    assert (figures.revenue, figures.profit_before_tax, figures.charter_capital) == (
        1_250_500_000, -120_000, 1_500_000_000
    )  # fmt: skip


def test_the_upload_page_shows_what_was_skipped_and_forgets_old_dry_runs(
    client, district_officer, settings, tmp_path
):
    import os
    import time

    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = str(tmp_path)
    old = tmp_path / "imports" / "0123abcd"
    old.parent.mkdir()
    old.write_bytes(b"checked two days ago")
    os.utime(old, (time.time() - 2 * 86400,) * 2)
    client.force_login(district_officer)
    data = write("xlsx", [registry_sheet(codes(4))])
    response = client.post(
        "/imports/", {"kind": "organisations", "within": "464", "file": SimpleUploadedFile("d.xlsx", data)}
    )
    page = response.content.decode()
    assert response.status_code == 200 and "Dòng tiêu đề: 7, 8." in page
    assert "dòng đánh số cột" in page and "ghi chú hoặc chữ ký dưới bảng" in page and "TRƯỞNG PHÒNG" in page
    assert "Thành viên / Trong đó: chính thức" in page and ">Xã cũ (trước 01/07/2025)</option>" in page, page[
        page.find("map_") :
    ][:3000]
    assert not old.exists() and (tmp_path / "imports" / response.context["token"]).exists()


def _written(batch):
    skip = {"id", "created_at", "updated_at"}
    orgs = sorted(
        ({k: v for k, v in o.items() if k not in skip} for o in Organisation.objects.values()),
        key=lambda o: o["tax_code"],
    )
    entries = sorted(
        (
            {**{k: v for k, v in e.items() if k not in {"id", "timestamp", "object_id", "request_id", "after"}},
             "after": {k: v for k, v in e["after"].items() if k not in skip}}
            for e in AuditEntry.objects.filter(request_id=batch.request_id).values()
        ),
        key=lambda e: e["after"]["tax_code"],
    )  # fmt: skip
    items = sorted((i.action, i.before, i.content_type_id) for i in batch.items.all())
    return orgs, entries, items, (batch.created, batch.updated, batch.unchanged, batch.skipped)


def test_the_fast_commit_writes_what_the_service_path_writes(district_officer):
    data = write("xlsx", [registry_sheet(codes(4))])

    def plan():
        return importer.prepare(
            "organisations", read(data, "d.xlsx"), "d.xlsx", context=unit("464"), user=district_officer
        )

    slow = importer.commit(plan(), user=district_officer, fast=False)
    expected = _written(slow)
    importer.undo(slow, user=district_officer)
    assert not Organisation.objects.exists()
    fast = importer.commit(plan(), user=district_officer)
    assert _written(fast) == expected and len(expected[0]) == 4
    importer.undo(fast, user=district_officer)  # the batch items let the fast path be undone too
    assert not Organisation.objects.exists()


def test_the_fast_update_writes_what_the_service_path_writes(district_officer):
    tax_codes = codes(4, start=900)

    def sheet(director, place):
        rows = [["Tên HTX", "Mã số thuế", "Xã", "Giám đốc", "Địa chỉ"]]
        rows += [
            [f"HTX Nông nghiệp số {i}", code, place, director, f"Thôn {i}"]
            for i, code in enumerate(tax_codes)
        ]
        return write("xlsx", [SheetSpec("DS", rows)])

    def plan(data):
        return importer.prepare(
            "organisations", read(data, "u.xlsx"), "u.xlsx", context=unit("464"), user=district_officer
        )

    importer.commit(plan(sheet("Nguyễn Văn An", "Vĩnh Thái")), user=district_officer)
    changed = sheet("Trần Thị Bình", "Hồ Xá")
    first = plan(changed)
    assert first.count("changed") == 4
    slow = importer.commit(first, user=district_officer, fast=False)
    expected = _written_update(slow)
    importer.undo(slow, user=district_officer)
    assert set(Organisation.objects.values_list("director_name", flat=True)) == {"Nguyễn Văn An"}
    fast = importer.commit(plan(changed), user=district_officer)
    assert _written_update(fast) == expected and len(expected[1]) == 4
    assert {o.director_name for o in Organisation.objects.all()} == {"Trần Thị Bình"}
    assert all(o.version == 4 for o in Organisation.objects.all())  # created, updated, undone, updated
    importer.undo(fast, user=district_officer)  # its batch items carry the state before
    assert {o.director_name for o in Organisation.objects.all()} == {"Nguyễn Văn An"}


def _written_update(batch):
    skip = {"updated_at", "version"}
    orgs = sorted(
        (
            {k: v for k, v in o.items() if k not in skip | {"search_key"}} | {"key": o["search_key"]}
            for o in Organisation.objects.values()
        ),
        key=lambda o: o["tax_code"],
    )
    entries = sorted(
        (
            {"action": e.action, "user_name": e.user_name, "source": e.source, "object_id": e.object_id,
             "object_repr": e.object_repr, "before": e.before, "after": e.after}
            for e in AuditEntry.objects.filter(request_id=batch.request_id)
        ),
        key=lambda e: e["object_id"],
    )  # fmt: skip
    items = sorted((i.action, i.object_id, i.before) for i in batch.items.all())
    return orgs, entries, items, (batch.created, batch.updated, batch.unchanged, batch.skipped)
