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
