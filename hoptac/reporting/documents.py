"""The periodic report drafted as a .docx in the format of Nghị định 30/2020/NĐ-CP, with an .xlsx annex.

Phụ lục I of NĐ 30/2020: A4, margins top and bottom 20-25 mm, left 30-35 mm, right 15-20 mm;
Times New Roman 13-14 pt; the issuing body top left with the number and symbol below it; the
national title and motto top right, the motto underlined; place and date in italics; the
document type in bold capitals with its summary; "Nơi nhận" and the signature block at the end.
"""

from __future__ import annotations

import datetime
import io

import xlsxwriter
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from hoptac.indicators.library import INDICATORS
from hoptac.plans import progress
from hoptac.reporting import issuer
from hoptac.tasks.models import Task, TaskStatus

FONT = "Times New Roman"


def _number(value, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "percent":
        return f"{value:,.1f}%".replace(",", "X").replace(".", ",").replace("X", ".")
    return f"{round(value):,}".replace(",", ".")


def report_rows(plan, unit, year: int):
    """The tables the report and its annex share: targets against actuals, and tasks."""
    targets = []
    for p in progress.plan_progress(plan.targets.select_related("clause", "plan"), unit, year):
        t = p.target
        ind = INDICATORS.get(t.indicator)
        unit_kind = ind.unit if ind else "count"
        targets.append(
            [
                t.code,
                t.wording,
                str(t.horizon),
                _number(p.baseline, unit_kind),
                _number(p.actual, unit_kind),
                str(p.status_label),
            ]
        )
    today = datetime.date(year, 12, 31) if year < datetime.date.today().year else datetime.date.today()
    tasks = []
    for task in Task.objects.filter(plan=plan).prefetch_related("updates"):
        tasks.append(
            [
                task.code,
                task.title,
                "; ".join(task.lead_names),
                task.schedule_wording,
                str(dict(task._meta.get_field("schedule_kind").choices).get(task.schedule_kind, "")),
                _status_label(task, today),
            ]
        )
    return targets, tasks


def _status_label(task, today):
    return str(TaskStatus(task.status_on(today)).label)


def _font(run, size=13, bold=False, italic=False, underline=False):
    run.font.name = FONT
    run._element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    run.font.size = Pt(size)
    run.bold, run.italic, run.underline = bold, italic, underline
    return run


def _para(container, text="", size=13, bold=False, italic=False, underline=False, align=None, space_after=0):
    p = container.add_paragraph()
    if text:
        _font(p.add_run(text), size, bold, italic, underline)
    if align is not None:
        p.alignment = align
    p.paragraph_format.space_after = Pt(space_after)
    return p


def _table(doc, header, rows, widths):
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = ""
        _font(cell.paragraphs[0].add_run(text), 12, bold=True)
    for row in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            cell.text = ""
            _font(cell.paragraphs[0].add_run(str(text)), 12)
    _widths(table, widths)
    return table


def _widths(table, widths) -> None:
    """Fixed column widths: Word reads the cells', LibreOffice the grid's."""
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Mm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = Mm(width)


def _issuer_header(doc, block, today: datetime.date) -> None:
    """Top of the page: managing body and issuing body, number and symbol; title, motto, place and date."""
    head = doc.add_table(rows=1, cols=2)
    left, right = head.rows[0].cells
    _widths(head, [62, 103])
    left.text = right.text = ""
    first = left.paragraphs[0]
    if block.managing_line:
        _font(first.add_run(block.managing_line), 12)
        first.alignment = WD_ALIGN_PARAGRAPH.CENTER
        first = _para(left, align=WD_ALIGN_PARAGRAPH.CENTER)
    _font(first.add_run("\n".join(block.body_lines)), 13, bold=True)
    first.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _para(left, block.number, align=WD_ALIGN_PARAGRAPH.CENTER)
    _font(right.paragraphs[0].add_run("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"), 12, bold=True)
    right.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    _para(
        right, "Độc lập - Tự do - Hạnh phúc", 13, bold=True, underline=True, align=WD_ALIGN_PARAGRAPH.CENTER
    )
    _para(
        right,
        f"{block.place}, ngày {today.day:02d} tháng {today.month:02d} năm {today.year}",
        13,
        italic=True,
        align=WD_ALIGN_PARAGRAPH.CENTER,
    )


def _signature_block(doc, block) -> None:
    """End of the page: "Nơi nhận" (the duty's current recipients) and the signer of the issuing body."""
    sign = doc.add_table(rows=1, cols=2)
    receive, signer = sign.rows[0].cells
    receive.text = signer.text = ""
    _font(receive.paragraphs[0].add_run("Nơi nhận:"), 12, bold=True, italic=True)
    for line in [f"- {name};" for name in block.recipients] + ["- Lưu: VT."]:
        _para(receive, line, 11)
    _font(signer.paragraphs[0].add_run(block.signer[0]), 13, bold=True)
    signer.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    for line in block.signer[1:]:
        _para(signer, line, 13, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    _para(signer, "(Ký, ghi rõ họ tên và đóng dấu)", 12, italic=True, align=WD_ALIGN_PARAGRAPH.CENTER)


def build_docx(plan, unit, year: int, period_label: str, block, today: datetime.date | None = None) -> bytes:
    """`block` (reporting.issuer.IssuerBlock): the issuing body, which exists on the report's date."""
    today = today or datetime.date.today()
    targets, tasks = report_rows(plan, unit, year)
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin, section.left_margin, section.right_margin = (
        Mm(20),
        Mm(20),
        Mm(30),
        Mm(15),
    )
    style = doc.styles["Normal"]
    style.font.name, style.font.size = FONT, Pt(13)

    _issuer_header(doc, block, today)

    _para(doc, "", space_after=6)
    _para(doc, "BÁO CÁO", 14, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    summary = issuer.summary_line(plan, today, period_label)
    _para(doc, summary, 14, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=12)
    _para(
        doc,
        f"Thực hiện {issuer.plan_reference(plan, today)} về {plan.title[:200]}; {block.in_sentence} báo cáo kết quả thực hiện {period_label} trên địa bàn {issuer.area_in_sentence(unit, today)} như sau:",
        space_after=6,
    )
    _para(doc, "I. KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU", 13, bold=True, space_after=6)
    _table(
        doc,
        ["Mã", "Chỉ tiêu", "Đến năm", "Năm gốc", f"Thực hiện {year}", "Đánh giá"],
        targets,
        [12, 75, 18, 20, 22, 18],
    )
    _para(doc, "", space_after=6)
    _para(doc, "II. TÌNH HÌNH THỰC HIỆN NHIỆM VỤ", 13, bold=True, space_after=6)
    _table(
        doc,
        ["Mã", "Nhiệm vụ", "Cơ quan chủ trì", "Thời gian", "Loại", "Tình trạng"],
        tasks,
        [12, 55, 35, 30, 15, 18],
    )
    _para(doc, "", space_after=6)
    _para(doc, "III. KHÓ KHĂN, VƯỚNG MẮC VÀ ĐỀ XUẤT, KIẾN NGHỊ", 13, bold=True, space_after=6)
    _para(doc, "(Cán bộ bổ sung nội dung trước khi trình ký.)", 13, italic=True, space_after=12)

    _signature_block(doc, block)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def build_xlsx(plan, unit, year: int, period_label: str) -> bytes:
    targets, tasks = report_rows(plan, unit, year)
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"strings_to_formulas": False, "strings_to_urls": False})
    bold = book.add_format({"bold": True, "font_name": FONT, "text_wrap": True, "border": 1, "valign": "top"})
    cell = book.add_format({"font_name": FONT, "text_wrap": True, "border": 1, "valign": "top"})
    title = book.add_format({"bold": True, "font_name": FONT, "font_size": 13})
    for name, header, rows, widths in [
        (
            "Chỉ tiêu",
            ["Mã", "Chỉ tiêu", "Đến năm", "Năm gốc", f"Thực hiện {year}", "Đánh giá"],
            targets,
            [6, 60, 10, 14, 16, 20],
        ),
        (
            "Nhiệm vụ",
            ["Mã", "Nhiệm vụ", "Cơ quan chủ trì", "Thời gian", "Loại", "Tình trạng"],
            tasks,
            [6, 50, 30, 26, 16, 16],
        ),
    ]:
        sheet = book.add_worksheet(name)
        sheet.write_string(0, 0, f"{plan.number} – {unit.name} – {period_label}", title)
        for col, (text, width) in enumerate(zip(header, widths, strict=True)):
            sheet.set_column(col, col, width)
            sheet.write_string(2, col, text, bold)
        for r, row in enumerate(rows, start=3):
            for col, value in enumerate(row):
                sheet.write_string(r, col, str(value), cell)
        sheet.freeze_panes(3, 0)
    book.close()
    return buffer.getvalue()
