"""The import page: a workbook of several sheets offers the choice of sheet, carried to the commit."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from hoptac.imports.tests.shapes import SheetSpec, write
from hoptac.registry.models import Organisation, make_tax_code

pytestmark = pytest.mark.django_db


def codes(n, start=1200):
    out, i = [], start
    while len(out) < n:
        i += 1
        if code := make_tax_code("32", i):
            out.append(code)
    return out


def workbook() -> bytes:
    """A summary sheet, a list of 3 cooperatives (found by itself) and a list of 2 others."""
    summary = SheetSpec("Tổng hợp", [["BÁO CÁO TỔNG HỢP"], ["Xã", "Số HTX"], ["Vĩnh Thái", 5]])
    first, second = codes(3), codes(2, start=1400)
    detail = SheetSpec(
        "Chi tiết",
        [["Tên HTX", "Mã số thuế", "Xã", "Giám đốc"]]
        + [[f"HTX Nông nghiệp Chi tiết {i}", c, "Vĩnh Thái", "Lê Văn Hải"] for i, c in enumerate(first)],
    )
    added = SheetSpec(
        "Bổ sung",
        [["Tên HTX", "Mã số thuế", "Xã"]] + [[f"HTX Bổ sung {i}", c, "Hồ Xá"] for i, c in enumerate(second)],
    )
    return write("xlsx", [summary, detail, added])


def upload(client):
    return client.post(
        "/imports/",
        {"kind": "organisations", "within": "464", "file": SimpleUploadedFile("ds.xlsx", workbook())},
    )


def test_a_workbook_of_several_sheets_offers_its_sheets_with_the_list_chosen(client, district_officer):
    client.force_login(district_officer)
    response = upload(client)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Trang tính cần nhập" in page and "Đọc trang tính này" in page
    assert '<option value="Chi tiết" selected>Chi tiết</option>' in page
    assert '<option value="Tổng hợp">' in page and '<option value="Bổ sung">' in page
    assert "HTX Nông nghiệp Chi tiết 0" in page and "HTX Bổ sung 0" not in page


def test_the_chosen_sheet_is_read_and_is_the_one_imported(client, district_officer):
    client.force_login(district_officer)
    token = upload(client).context["token"]
    fields = {
        "kind": "organisations",
        "within": "464",
        "token": token,
        "filename": "ds.xlsx",
        "sheet": "Bổ sung",
    }
    response = client.post("/imports/", fields)
    page = response.content.decode()
    assert (
        response.status_code == 200 and "HTX Bổ sung 1" in page and "HTX Nông nghiệp Chi tiết 0" not in page
    )
    assert '<option value="Bổ sung" selected>Bổ sung</option>' in page
    assert page.count('name="sheet" value="Bổ sung"') == 2  # carried by the mapping and the commit forms
    done = client.post("/imports/", {**fields, "commit": "1"})
    assert done.status_code == 302
    assert sorted(Organisation.objects.values_list("name", flat=True)) == ["HTX Bổ sung 0", "HTX Bổ sung 1"]


def test_an_unknown_sheet_is_refused_naming_the_sheets(client, district_officer):
    client.force_login(district_officer)
    token = upload(client).context["token"]
    response = client.post(
        "/imports/",
        {
            "kind": "organisations",
            "within": "464",
            "token": token,
            "filename": "ds.xlsx",
            "sheet": "Không có",
        },
    )
    page = response.content.decode()
    assert response.status_code == 400 and "Không có" in page and "Bổ sung" in page
    assert not Organisation.objects.exists()


def test_a_single_sheet_offers_no_choice(client, district_officer):
    client.force_login(district_officer)
    rows = [["Tên HTX", "Mã số thuế", "Xã"], ["HTX Một mình", codes(1, start=1600)[0], "Vĩnh Thái"]]
    response = client.post(
        "/imports/",
        {
            "kind": "organisations",
            "within": "464",
            "file": SimpleUploadedFile("a.xlsx", write("xlsx", [SheetSpec("DS", rows)])),
        },
    )
    assert response.status_code == 200 and "Trang tính cần nhập" not in response.content.decode()


def _template(client, url):
    import io

    import openpyxl

    response = client.get(url)
    assert response.status_code == 200
    return openpyxl.load_workbook(io.BytesIO(response.content))


def _validations(sheet) -> dict[str, str]:
    """Header above the validated column -> the rule's list or type."""
    found = {}
    for rule in sheet.data_validations.dataValidation:
        column = str(rule.sqref).split(":")[0].rstrip("0123456789")
        found[sheet[f"{column}3"].value] = rule.formula1 if rule.type == "list" else rule.type
    return found


def test_the_registry_template_offers_lists_of_kinds_sectors_and_the_units_communes(client, district_officer):
    client.force_login(district_officer)
    book = _template(client, "/imports/template/organisations.xlsx")
    sheet, lists = book["Dữ liệu"], book["Danh mục"]
    assert lists.sheet_state == "hidden" and sheet.freeze_panes == "A4" and sheet.auto_filter.ref == "A3:J3"
    rules = _validations(sheet)
    assert rules == {
        "Loại hình": "'Danh mục'!$A$1:$A$4",
        "Lĩnh vực": rules["Lĩnh vực"],
        "Xã, phường": rules["Xã, phường"],
    }
    column = {cell.value: cell.column for cell in sheet[3]}
    kinds = [lists.cell(r, 1).value for r in range(1, 5)]
    assert kinds == ["Hợp tác xã", "Liên hiệp hợp tác xã", "Tổ hợp tác", "Quỹ tín dụng nhân dân"]
    sectors = [c.value for c in lists["B"] if c.value]
    assert "Nông nghiệp" in sectors and rules["Lĩnh vực"] == f"'Danh mục'!$B$1:$B${len(sectors)}"
    communes = [c.value for c in lists["C"] if c.value]
    assert len(communes) > 1 and communes == sorted(communes)  # the communes of the officer's area
    assert column["Mã số thuế"] == 3


def test_a_template_for_a_chosen_unit_lists_its_communes_and_reads_back(client, district_officer):
    import io

    from hoptac.imports import importer
    from hoptac.imports.reading import read

    client.force_login(district_officer)
    book = _template(client, "/imports/template/organisations.xlsx?within=464")
    communes = [c.value for c in book["Danh mục"]["C"] if c.value]
    assert communes and all(name.startswith(("Xã", "Phường", "Thị trấn", "Đặc khu")) for name in communes)
    sheet = book["Dữ liệu"]
    sheet.append(
        ["HTX Chọn từ danh sách", "Tổ hợp tác", "", "", communes[0], "", "", book["Danh mục"]["B2"].value]
    )
    out = io.BytesIO()
    book.save(out)
    data = read(out.getvalue(), "mau.xlsx")
    assert data.name == "Dữ liệu" and data.sheet_names == ["Dữ liệu", "Hướng dẫn"]  # the list sheet is hidden
    plan = importer.prepare("organisations", data, "mau.xlsx", user=district_officer)
    assert [r.outcome for r in plan.rows] == ["new"], plan.rows[0].errors
    assert plan.rows[0].data["kind"] == "tht" and plan.rows[0].data["commune"].name == communes[0]


def test_the_figures_template_checks_the_year(client, district_officer):
    client.force_login(district_officer)
    sheet = _template(client, "/imports/template/figures.xlsx")["Dữ liệu"]
    assert _validations(sheet) == {"Năm": "whole"} and sheet.auto_filter.ref and sheet.freeze_panes == "A4"
