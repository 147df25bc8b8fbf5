"""Every .xlsx list is a table people can work with: a frozen header, an autofilter over the
table, columns sized to their content, and numbers as numbers with the product's formats."""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.utils import timezone

from hoptac.core import numbers
from hoptac.core.audit import Actor
from hoptac.core.export import xlsx_response
from hoptac.links import services as link_services
from hoptac.links.tests.helpers import link_data

pytestmark = pytest.mark.django_db


def _sheet(response):
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return openpyxl.load_workbook(io.BytesIO(response.content)).active


def test_the_helper_freezes_the_header_filters_the_table_and_keeps_numbers():
    moment = timezone.make_aware(datetime.datetime(2026, 3, 1, 1, 30), datetime.UTC)
    rows = [
        ["HTX Vĩnh Thái", 12, Decimal("1390000000"), 23.1, datetime.date(2025, 7, 1), moment, "=1+1"],
        ["HTX Bến Quan", 3, Decimal("0"), 5.0, None, None, ""],
    ]
    header = ["Tên", "Số thành viên", "Doanh thu (đồng)", "Tỷ lệ (%)", "Ngày", "Lúc", "Ghi chú"]
    sheet = _sheet(xlsx_response("t.xlsx", "Thử", header, rows, kinds=[None, "people", "dong", "percent"]))
    assert sheet.freeze_panes == "A4"  # title, blank line and header stay in view
    assert sheet.auto_filter.ref == "A3:G5"
    assert [c.value for c in sheet[3]] == header
    members, revenue, share = sheet["B4"], sheet["C4"], sheet["D4"]
    assert members.data_type == "n" and members.value == 12
    assert members.number_format == numbers.XLSX_FORMATS["people"]
    assert revenue.data_type == "n" and revenue.value == 1390000000
    assert revenue.number_format == numbers.XLSX_FORMATS["dong"]
    assert share.value == 23.1 and share.number_format == numbers.XLSX_FORMATS["percent"]
    assert sheet["D5"].value == 5 and sheet["D5"].number_format == "0.0"  # the column's format, not inferred
    assert sheet["E4"].is_date and sheet["E4"].number_format == "dd/mm/yyyy"
    assert sheet["F4"].value == datetime.datetime(2026, 3, 1, 8, 30)  # local time (Asia/Ho_Chi_Minh)
    assert sheet["G4"].value == "'=1+1"
    assert sheet.column_dimensions["A"].width >= len("HTX Vĩnh Thái")
    assert sheet.column_dimensions["C"].width >= len("1,390,000,000")


def test_an_empty_list_still_has_its_filter_and_frozen_header():
    sheet = _sheet(xlsx_response("t.xlsx", "Thử", ["A", "B"], []))
    assert sheet.auto_filter.ref == "A3:B3" and sheet.freeze_panes == "A4"


EXPORTS = [
    "/registry/export.xlsx",
    "/links/export.xlsx",
    "/ocop/export.xlsx",
    "/support/export.xlsx",
    "/training/export.xlsx",
    "/trace/export.xlsx",
    "/dissolution/export.xlsx",
    "/indicators/unit/44/?year=2025&export=xlsx",
    "/indicators/htx_count/?unit=44&year=2025&export=xlsx",
]


@pytest.mark.parametrize("url", EXPORTS)
def test_every_list_export_has_a_filter_and_a_frozen_header(client, admin, vinh_linh_htx, url):
    link_services.create_link(Actor.command(), link_data(vinh_linh_htx))
    client.force_login(admin)
    sheet = _sheet(client.get(url))
    assert sheet.freeze_panes == "A4"
    first, last = sheet.auto_filter.ref.split(":")
    assert first == "A3" and last.rstrip("0123456789") == openpyxl.utils.get_column_letter(sheet.max_column)
    assert int(last.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")) == sheet.max_row


def test_the_link_export_writes_the_value_as_a_number(client, admin, vinh_linh_htx):
    link = link_services.create_link(Actor.command(), link_data(vinh_linh_htx, value=250_000_000))
    client.force_login(admin)
    sheet = _sheet(client.get("/links/export.xlsx"))
    header = [c.value for c in sheet[3]]
    cell = sheet.cell(row=4, column=header.index("Giá trị (đồng)") + 1)
    assert cell.data_type == "n" and cell.value == link.value == 250_000_000
    assert cell.number_format == "#,##0"


def test_the_key_indicators_export_keeps_counts_as_numbers(client, admin, vinh_linh_htx):
    client.force_login(admin)
    sheet = _sheet(client.get("/indicators/unit/44/", {"year": 2025, "export": "xlsx"}))
    row = next(r for r in sheet.iter_rows(min_row=4) if r[1].value == "count")
    assert row[-4].data_type == "n" and row[-4].value >= 1  # the year's active HTX count
