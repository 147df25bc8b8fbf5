"""Blank import templates, and a unit's full export (registry, figures, grades) that re-imports.

Sheets use the Vietnamese headers the importer recognises, a frozen header row, number and
date formats, and neutralised formulas (hoptac.core.export.safe_cell).
"""

from __future__ import annotations

import datetime
import io

import xlsxwriter

from hoptac.core.export import safe_cell
from hoptac.figures.models import AnnualFigures, Assessment

REGISTRY_HEADERS = [
    "Tên hợp tác xã",
    "Loại hình",
    "Mã số thuế",
    "Ngày đăng ký",
    "Xã, phường",
    "Xã cũ",
    "Địa chỉ",
    "Lĩnh vực",
    "Giám đốc",
    "Điện thoại",
]
FIGURE_HEADERS = ["Mã số thuế", "Tên hợp tác xã", "Năm", "Số thành viên", "Lao động thường xuyên", "Cán bộ quản lý",
                  "Doanh thu (đồng)", "Lợi nhuận trước thuế (đồng)", "Lợi nhuận sau thuế (đồng)", "Tổng nguồn vốn (đồng)"]  # fmt: skip
INSTRUCTIONS = {
    "organisations": [
        "Mỗi dòng là một tổ chức kinh tế tập thể. Giữ nguyên dòng tiêu đề; có thể thêm dòng tiêu đề, tên đơn vị phía trên bảng.",
        "Mã số thuế: 10 chữ số (hoặc 13 chữ số dạng 0100233488-001). Tổ hợp tác chưa có mã số thuế để trống.",
        "Xã, phường: tên hoặc mã xã, phường hiện nay; hoặc ghi xã cũ (trước 01/07/2025) ở cột “Xã cũ”.",
        "Ngày ghi dạng dd/mm/yyyy. Loại hình: Hợp tác xã, Liên hiệp hợp tác xã, Tổ hợp tác, Quỹ tín dụng nhân dân.",
        "Nhập lại cùng một tệp không tạo bản ghi trùng: tổ chức được nhận ra theo mã số thuế.",
    ],
    "figures": [
        "Mỗi dòng là số liệu một năm của một tổ chức, nhận ra theo mã số thuế.",
        "Số ghi kiểu Việt Nam: 1.234.567; đơn vị tiền ghi trong tiêu đề cột (đồng, nghìn, triệu, tỷ).",
        "Số liệu đã duyệt bị khóa: cần mở lại trên hệ thống trước khi nhập đè.",
    ],
}


def _book():
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"strings_to_formulas": False, "strings_to_urls": False})
    formats = {
        "head": book.add_format(
            {"bold": True, "text_wrap": True, "valign": "top", "border": 1, "bg_color": "#E8F3EC"}
        ),
        "date": book.add_format({"num_format": "dd/mm/yyyy"}),
        "money": book.add_format({"num_format": "#,##0"}),
        "title": book.add_format({"bold": True, "font_size": 13}),
    }
    return buffer, book, formats


def _sheet(book, formats, name, title, headers, rows, widths=18):
    sheet = book.add_worksheet(name)
    sheet.write_string(0, 0, title, formats["title"])
    for col, header in enumerate(headers):
        sheet.write_string(2, col, header, formats["head"])
        sheet.set_column(col, col, 34 if col in (0, 1) else widths)
    sheet.freeze_panes(3, 0)
    for r, row in enumerate(rows, start=3):
        for col, value in enumerate(row):
            if value is None or value == "":
                continue
            if isinstance(value, datetime.date):
                sheet.write_datetime(
                    r, col, datetime.datetime(value.year, value.month, value.day), formats["date"]
                )
            elif isinstance(value, bool):
                sheet.write_string(r, col, "có" if value else "không")
            elif isinstance(value, (int, float)):
                sheet.write_number(r, col, value, formats["money"])
            else:
                sheet.write_string(r, col, safe_cell(str(value)))
    return sheet


# The kinds a registry file names, as the importer reads them back (cells.kind_of).
KIND_NAMES = ["Hợp tác xã", "Liên hiệp hợp tác xã", "Tổ hợp tác", "Quỹ tín dụng nhân dân"]
TEMPLATE_ROWS = 5000  # rows under the header that offer the lists


def _sector_names() -> list[str]:
    """The sectors in Vietnamese, as the importer reads them back (their labels, folded)."""
    from django.utils import translation

    from hoptac.registry.choices import Sector

    with translation.override("vi"):
        return [str(label) for _value, label in Sector.choices]


def template(kind: str, communes: list[str] | None = None) -> bytes:
    """A blank sheet to fill: the header the importer reads, frozen, with an autofilter; lists to
    choose the kind and the sector from, and the communes of the user's unit (`communes`), kept on
    a hidden sheet "Danh mục" (a list written in the rule itself holds at most 255 characters)."""
    buffer, book, formats = _book()
    headers = FIGURE_HEADERS if kind == "figures" else REGISTRY_HEADERS
    sheet = _sheet(
        book,
        formats,
        "Dữ liệu",
        "MẪU NHẬP DỮ LIỆU" if kind != "figures" else "MẪU NHẬP SỐ LIỆU HẰNG NĂM",
        headers,
        [],
    )
    sheet.autofilter(2, 0, 2, len(headers) - 1)
    text = book.add_format({"num_format": "@"})
    sheet.set_column(
        headers.index("Mã số thuế"), headers.index("Mã số thuế"), 18, text
    )  # keeps leading zeros
    guide = book.add_worksheet("Hướng dẫn")
    guide.set_column(0, 0, 110)
    for r, line in enumerate(INSTRUCTIONS["figures" if kind == "figures" else "organisations"]):
        guide.write_string(r, 0, line)
    lists = {"Xã, phường": communes or []}
    if kind == "figures":
        lists = {}
        year = headers.index("Năm")
        sheet.data_validation(
            3, year, TEMPLATE_ROWS + 2, year,
            {"validate": "integer", "criteria": "between", "minimum": 2000, "maximum": 2100,
             "error_title": "Năm", "error_message": "Ghi năm bằng bốn chữ số, ví dụ 2024."},
        )  # fmt: skip
    else:
        lists = {"Loại hình": KIND_NAMES, "Lĩnh vực": _sector_names(), **lists}
    lists = {header: values for header, values in lists.items() if values}
    if lists:
        hidden = book.add_worksheet("Danh mục")
        for c, (header, values) in enumerate(lists.items()):
            for r, value in enumerate(values):  # no header row: the importer never takes it for a table
                hidden.write_string(r, c, value)
            column = headers.index(header)
            letter = chr(ord("A") + c)
            strict = header == "Loại hình"
            sheet.data_validation(
                3, column, TEMPLATE_ROWS + 2, column,
                {"validate": "list", "source": f"='Danh mục'!${letter}$1:${letter}${len(values)}",
                 "error_type": "stop" if strict else "warning", "error_title": header,
                 "error_message": "Chọn trong danh sách." if strict else
                 "Giá trị không có trong danh sách; vẫn có thể nhập (ví dụ tên xã cũ)."},
            )  # fmt: skip
        hidden.hide()
    book.close()
    return buffer.getvalue()


def unit_archive(organisations, title: str) -> bytes:
    """Registry (first sheet, importable as is), approved figures and grades of the organisations."""
    organisations = organisations.select_related("commune", "former_commune").order_by("name", "pk")
    buffer, book, formats = _book()
    registry = [
        [o.name, o.get_kind_display(), o.tax_code, o.registration_date, o.commune.name,
         o.former_commune.name if o.former_commune_id else "", o.address, o.get_sector_display(), o.director_name, o.phone]
        for o in organisations.iterator(chunk_size=2000)
    ]  # fmt: skip
    _sheet(book, formats, "Tổ chức", title, REGISTRY_HEADERS, registry)
    figures = (
        AnnualFigures.objects.filter(organisation__in=organisations)
        .select_related("organisation")
        .order_by("organisation__name", "year")
    )
    rows = [
        [f.organisation.tax_code, f.organisation.name, f.year, f.members_total, f.workers, f.managers, f.revenue,
         f.profit_before_tax, f.profit_after_tax, f.total_capital]
        for f in figures.iterator(chunk_size=2000)
    ]  # fmt: skip
    _sheet(book, formats, "Số liệu", title, FIGURE_HEADERS, rows)
    grades = (
        Assessment.objects.filter(organisation__in=organisations)
        .select_related("organisation")
        .order_by("organisation__name", "year")
    )
    _sheet(book, formats, "Xếp loại", title, ["Mã số thuế", "Tên hợp tác xã", "Năm", "Điểm", "Xếp loại"],
           [[a.organisation.tax_code, a.organisation.name, a.year, float(a.score) if a.score is not None else None, a.get_grade_display()] for a in grades])  # fmt: skip
    book.close()
    return buffer.getvalue()
