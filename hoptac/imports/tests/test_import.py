"""Importing the files offices keep: title blocks, merged headers, TCVN3 fonts, former communes."""

import datetime
import io
import unicodedata

import pytest
import xlsxwriter
from django.core.management import CommandError, call_command
from viparse.normalize import tcvn3

from hoptac.conftest import make_organisation, unit
from hoptac.core.models import AuditEntry
from hoptac.figures.models import AnnualFigures
from hoptac.imports import importer
from hoptac.imports.models import ImportBatch
from hoptac.imports.places import PlaceMatcher
from hoptac.imports.reading import ReadError, parse_number, read
from hoptac.registry.models import Organisation, make_tax_code

pytestmark = pytest.mark.django_db
TO_TCVN3 = {unicode: legacy for legacy, unicode in tcvn3._ENTRIES}


def as_tcvn3(text: str) -> str:
    """How a .VnTime user's text is stored: each Vietnamese letter as its TCVN3 byte."""
    return "".join(TO_TCVN3.get(ch, ch) for ch in unicodedata.normalize("NFC", text))


def codes(n):
    out, i = [], 500
    while len(out) < n:
        i += 1
        if code := make_tax_code("32", i):
            out.append(code)
    return out


def district_file(rows, legacy=True) -> bytes:
    """A district's registry as typed in Excel: title block, merged two-row header, .VnTime names."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer)
    sheet = book.add_worksheet()
    vn = book.add_format({"font_name": ".VnTime"})
    vnh = book.add_format({"font_name": ".VnTimeH", "bold": True})
    sheet.merge_range(
        0,
        0,
        0,
        5,
        as_tcvn3("UBND HUYỆN VĨNH LINH") if legacy else "UBND HUYỆN VĨNH LINH",
        vnh if legacy else None,
    )
    sheet.merge_range(1, 0, 1, 5, "DANH SÁCH HỢP TÁC XÃ TRÊN ĐỊA BÀN HUYỆN VĨNH LINH")
    sheet.write_row(3, 0, ["TT", "Tên hợp tác xã", "Mã số thuế", "Địa bàn", "", "Số thành viên"])
    sheet.write_row(4, 0, ["", "", "", "Xã cũ", "Xã hiện nay", ""])
    for r, (name, code, former, current, members) in enumerate(rows, start=5):
        sheet.write_number(r, 0, r - 4)
        sheet.write_string(r, 1, as_tcvn3(name) if legacy else name, vn if legacy else None)
        sheet.write_string(r, 2, code)
        sheet.write_string(r, 3, former)
        sheet.write_string(r, 4, current)
        sheet.write_number(r, 5, members)
    book.close()
    return buffer.getvalue()


ROWS = [
    ("HTX Nông nghiệp Vĩnh Thái", None, "X. Vĩnh Thái", "", 120),
    ("HTX Dịch vụ tổng hợp Hồ Xá", None, "TT Hồ Xá", "", 300),
    ("Hợp tác xã Thủy sản Vĩnh Tú", None, "xa Vinh Tu", "", 80),
]


@pytest.fixture
def rows():
    return [
        (name, code, former, current, members)
        for (name, _c, former, current, members), code in zip(ROWS, codes(len(ROWS)), strict=True)
    ]


def plan_for(data, user=None, kind="organisations", **kw):
    return importer.prepare(
        kind, read(data, "vinh-linh.xlsx"), "vinh-linh.xlsx", context=unit("464"), user=user, **kw
    )


def test_a_district_file_imports_after_a_dry_run(rows, district_officer):
    plan = plan_for(district_file(rows), district_officer)
    assert plan.header_row == 5 and not plan.has_errors, [r.errors for r in plan.rows]
    assert [r.outcome for r in plan.rows] == ["new", "new", "new"]
    first = plan.rows[0].data
    assert first["name"] == "HTX Nông nghiệp Vĩnh Thái"  # repaired from TCVN3
    assert first["former_commune"].name == "Xã Vĩnh Thái" and first["commune"].generation == "new"
    assert not Organisation.objects.exists()  # a dry run writes nothing
    batch = importer.commit(plan, user=district_officer)
    assert batch.created == 3 and Organisation.objects.count() == 3
    assert AuditEntry.objects.filter(source="import", request_id=batch.request_id).count() == 3


def test_importing_the_same_file_twice_changes_nothing(rows, district_officer):
    data = district_file(rows)
    importer.commit(plan_for(data, district_officer), user=district_officer)
    again = plan_for(data, district_officer)
    assert [r.outcome for r in again.rows] == ["unchanged"] * 3
    assert importer.commit(again, user=district_officer).created == 0 and Organisation.objects.count() == 3


def test_a_broken_row_refuses_the_whole_file_unless_asked(rows, district_officer):
    rows[1] = (rows[1][0], "0100233489", rows[1][2], "", 10)
    plan = plan_for(district_file(rows), district_officer)
    assert plan.rows[1].outcome == "error"
    assert "C" in plan.rows[1].errors[0] and "0100233489" in plan.rows[1].errors[0]
    with pytest.raises(importer.ImportRefused):
        importer.commit(plan, user=district_officer)
    assert not Organisation.objects.exists()
    batch = importer.commit(plan, user=district_officer, valid_only=True)
    assert (batch.created, batch.skipped) == (2, 1)


def test_undo_restores_the_registry(rows, district_officer):
    batch = importer.commit(plan_for(district_file(rows), district_officer), user=district_officer)
    importer.undo(batch, user=district_officer)
    assert not Organisation.objects.exists() and ImportBatch.objects.get().undone_at


def test_places_tolerate_accents_prefixes_and_name_former_communes():
    matcher = PlaceMatcher(unit("464"))
    assert matcher.commune("", matcher.former_commune("tt ho xa")).code == "19363"
    assert matcher.commune("Xã Vĩnh Linh").code == "19363"
    assert matcher.commune("19363").name == "Xã Vĩnh Linh"
    with pytest.raises(ValueError):
        matcher.commune("Phường Ba Đình")  # not in the former Vĩnh Linh district


def test_out_of_scope_rows_are_errors(rows, other_officer):
    plan = importer.prepare(
        "organisations",
        read(district_file(rows), "f.xlsx"),
        "f.xlsx",
        context=unit("464"),
        user=other_officer,
    )
    assert all(r.outcome == "error" for r in plan.rows)


def test_figures_in_million_dong(district_officer):
    org = make_organisation("19363", former_commune="old:19363")
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer)
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, ["BÁO CÁO SỐ LIỆU HTX NĂM 2024"])
    sheet.write_row(2, 0, ["Mã số thuế", "Số thành viên", "Doanh thu (triệu đồng)", "Lợi nhuận (triệu đồng)"])
    sheet.write_row(3, 0, [org.tax_code, "1.250", "1.234,5", -20])
    book.close()
    plan = importer.prepare(
        "figures", read(buffer.getvalue(), "so-lieu.xlsx"), "so-lieu.xlsx", user=district_officer, year=2024
    )
    assert not plan.has_errors, plan.rows[0].errors
    importer.commit(plan, user=district_officer)
    figures = AnnualFigures.objects.get(organisation=org, year=2024)
    assert (figures.members_official, figures.revenue, figures.profit_before_tax) == (
        1250,
        1_234_500_000,
        -20_000_000,
    )


def test_malformed_files_say_why():
    for data, name in [
        (b"", "a.xlsx"),
        (b"not a spreadsheet at all", "a.xlsx"),
        (b"PK\x03\x04broken", "a.xlsx"),
        (b"x", "a.pdf"),
    ]:
        with pytest.raises(ReadError):
            read(data, name)
    with pytest.raises(Exception) as exc:
        importer.prepare("organisations", read(b"a,b\n1,2\n", "a.csv"), "a.csv")
    assert "header" in str(exc.value).lower() or "tiêu đề" in str(exc.value).lower()


def test_vietnamese_numbers():
    assert (
        parse_number("1.234.567") == 1234567
        and parse_number("1.234,5") == 1234.5
        and parse_number("1,5") == 1.5
    )
    assert parse_number(12.0) == 12 and parse_number("") is None
    with pytest.raises(ValueError):
        parse_number("nhiều")


def test_the_command_exits_non_zero_with_a_report(tmp_path, rows):
    rows[0] = (rows[0][0], "123", rows[0][2], "", 1)
    path = tmp_path / "vinh-linh.xlsx"
    path.write_bytes(district_file(rows))
    with pytest.raises(CommandError):
        call_command("import", str(path), "--kind", "organisations", "--within", "464", stdout=io.StringIO())
    assert (tmp_path / "vinh-linh.errors.csv").exists() and not Organisation.objects.exists()
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import", str(path), "--kind", "organisations", "--within", "464", "--valid-only", stdout=out
        )
    assert Organisation.objects.count() == 2


def test_upload_page_dry_run_then_commit(client, district_officer, rows):
    client.force_login(district_officer)
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        "/imports/",
        {
            "kind": "organisations",
            "within": "464",
            "file": SimpleUploadedFile("vl.xlsx", district_file(rows)),
        },
    )
    assert response.status_code == 200 and "HTX Nông nghiệp Vĩnh Thái" in response.content.decode()
    token = response.context["token"]
    done = client.post(
        "/imports/",
        {"kind": "organisations", "within": "464", "token": token, "filename": "vl.xlsx", "commit": "1"},
    )
    assert done.status_code == 302 and Organisation.objects.count() == 3
    _ = datetime


def test_a_current_commune_name_is_not_read_as_a_former_one():
    matcher = PlaceMatcher(unit("44"))
    assert matcher.names_current("Xã Vĩnh Linh") and matcher.commune("Xã Vĩnh Linh").code == "19363"
    assert not matcher.names_current("Thị trấn Hồ Xá")


def test_an_export_reimports_to_the_same_data(client, province_officer):
    make_organisation("19363", former_commune="old:19363", name="HTX Vận tải Vĩnh Linh", sector="waterway_transport",
                      registration_date=datetime.date(2015, 4, 2), director_name="Lê Văn Tâm", phone="0912345678", address="Thôn 3")  # fmt: skip
    make_organisation("19363", kind="tht", tax_code="", name="Tổ hợp tác rau sạch", sector="consumer")
    make_organisation("19363", kind="qtdnd", name="Quỹ tín dụng nhân dân Hồ Xá", sector="credit")
    client.force_login(province_officer)
    exported = client.get("/registry/export.xlsx").content
    plan = importer.prepare(
        "organisations",
        read(exported, "export.xlsx"),
        "export.xlsx",
        context=unit("44"),
        user=province_officer,
    )
    assert [r.outcome for r in plan.rows] == ["unchanged"] * 3, [(r.errors, r.changes) for r in plan.rows]


def test_a_filled_template_imports(client, district_officer):
    client.force_login(district_officer)
    blank = client.get("/imports/template/organisations.xlsx").content
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(blank))
    sheet = book["Dữ liệu"]
    sheet.append(
        [
            "HTX Mẫu Vĩnh Linh",
            "Hợp tác xã",
            codes(1)[0],
            "02/03/2020",
            "Xã Vĩnh Linh",
            "",
            "Thôn 1",
            "Nông nghiệp",
            "",
            "",
        ]
    )
    out = io.BytesIO()
    book.save(out)
    plan = importer.prepare(
        "organisations", read(out.getvalue(), "mau.xlsx"), "mau.xlsx", user=district_officer
    )
    assert [r.outcome for r in plan.rows] == ["new"], plan.rows[0].errors
    assert plan.rows[0].data["registration_date"] == datetime.date(2020, 3, 2)


def test_a_units_full_export_reimports_unchanged(client, district_officer, other_officer):
    make_organisation(
        "19363", former_commune="old:19363", name="HTX Lưu trữ", registration_date=datetime.date(2012, 1, 5)
    )
    client.force_login(district_officer)
    archive = client.get("/imports/export/464.xlsx")
    assert archive.status_code == 200
    plan = importer.prepare(
        "organisations", read(archive.content, "a.xlsx"), "a.xlsx", context=unit("464"), user=district_officer
    )
    assert [r.outcome for r in plan.rows] == ["unchanged"]
    client.force_login(other_officer)
    assert client.get("/imports/export/464.xlsx").status_code == 403


def test_a_corrected_column_is_remembered(district_officer, rows):
    data = district_file(rows)
    first = plan_for(data, district_officer)
    members = next(c for c in first.columns if c.field == "members_official")
    importer.save_mapping(district_officer, "organisations", first.columns, {members.index: "phone"})
    again = plan_for(data, district_officer)
    assert next(c for c in again.columns if c.index == members.index).field == "phone"
