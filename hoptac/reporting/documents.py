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
from django.utils import timezone
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from hoptac.core import numbers
from hoptac.plans import progress, wording
from hoptac.reporting import issuer
from hoptac.reporting.narrative import sector_narrative
from hoptac.tasks.models import Task, TaskStatus

FONT = "Times New Roman"


def target_rows(plan, unit, year: int) -> list[dict]:
    """Each target with its full wording, bound, baseline, actual, coverage and status: the
    report's table and its annex share these (the .docx writes them, the .xlsx keeps numbers)."""
    rows = progress.plan_progress(plan.targets.select_related("clause", "plan"), unit, year)
    wording.describe(rows)
    result = []
    for p in rows:
        c = p.coverage
        judged = p.status != progress.Status.INSUFFICIENT
        result.append({
            "code": p.target.code, "wording": p.full_wording, "horizon": p.target.horizon, "unit": p.unit_kind,
            "bound": p.bound_text, "baseline_year": p.baseline_year, "baseline": p.baseline,
            "actual": p.actual if judged else None, "expected": c.expected, "reported": c.reported,
            "final": c.final if c.expected is not None else None,
            "estimated": c.estimated if c.expected is not None else None,
            "coverage": (f"{c.ratio_text} {p.organisation_label}" + (f" ({c.estimated} ước tính)" if c.estimated else ""))
            if c.expected is not None else "Sổ đăng ký",
            "status": p.status_label,
        })  # fmt: skip
    return result


def report_rows(plan, unit, year: int):
    """The tables the report and its annex share: targets against actuals, and tasks."""
    targets = []
    for r in target_rows(plan, unit, year):
        actual = numbers.value(r["actual"], r["unit"]) if r["actual"] is not None else "Chưa đủ số liệu"
        if r["actual"] is None and r["expected"] is None:
            actual = "—"
        baseline = numbers.value(r["baseline"], r["unit"])
        if r["baseline_year"]:
            baseline = f"{baseline} ({r['baseline_year']})"
        targets.append(
            [
                r["code"],
                r["wording"],
                f"{r['bound']} (đến năm {r['horizon']})",
                baseline,
                actual,
                r["coverage"],
                r["status"],
            ]
        )
    return targets, task_rows(plan, year)


def task_rows(plan, year: int) -> list[list[str]]:
    """The plan's tasks with their lead, schedule and status at the end of the period."""
    today = datetime.date(year, 12, 31) if year < timezone.localdate().year else timezone.localdate()
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
    return tasks


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
    _keep_rows_whole(table)
    return table


def _keep_rows_whole(table) -> None:
    """No row split across pages (w:cantSplit); the header row repeats on each page (w:tblHeader)."""
    for i, row in enumerate(table.rows):
        properties = row._tr.get_or_add_trPr()
        properties.append(OxmlElement("w:cantSplit"))
        if i == 0:
            properties.append(OxmlElement("w:tblHeader"))


def _indented(container, text, size=13, italic=False, bold=False, space_after=3):
    """A body paragraph: justified, first line indented 12,7 mm (NĐ 30/2020, Phụ lục I)."""
    p = _para(
        container,
        text,
        size,
        bold=bold,
        italic=italic,
        align=WD_ALIGN_PARAGRAPH.JUSTIFY,
        space_after=space_after,
    )
    p.paragraph_format.first_line_indent = Mm(12.7)
    return p


def _page_numbers(section) -> None:
    """Page numbers centred in the footer, from page 2 on (a PAGE field)."""
    section.different_first_page_header_footer = True
    p = section.footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = _font(p.add_run(), 12)
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)


PLACEHOLDER = "[Cán bộ bổ sung nội dung trước khi trình ký.]"


def _opening(plan, unit, period_label: str, block, today: datetime.date) -> str:
    """The plan named by number, date and issuer (noting a former issuer), then the body reporting."""
    return (
        f"Thực hiện {issuer.plan_reference(plan, today)} về {plan.title[:200]}; {block.in_sentence} báo cáo kết quả "
        f"thực hiện {period_label} trên địa bàn {issuer.area_in_sentence(unit, today)} như sau:"
    )


def write_body(doc, plan, unit, year: int, period_label: str, opening: str, draft=None) -> None:
    """The report's body: the opening, I. the sector from the data, II. the targets, III. the
    tasks, IV. difficulties and V. proposals (the official's text, kept with the report)."""
    targets, tasks = report_rows(plan, unit, year)
    _indented(doc, opening, space_after=6)
    _para(doc, "I. TÌNH HÌNH PHÁT TRIỂN KINH TẾ TẬP THỂ", 13, bold=True, space_after=6)
    if period_label.startswith("6 tháng"):
        _indented(
            doc,
            f"Số liệu năm {year} tổng hợp đến thời điểm báo cáo (gồm số ước tính của các tổ chức), so sánh với năm {year - 1}.",
            italic=True,
        )
    for heading, sentences in sector_narrative(plan, unit, year):
        _indented(doc, heading, bold=True)
        for sentence in sentences:
            _indented(doc, f"- {sentence}")
    _para(doc, "", space_after=6)
    _para(doc, "II. KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU", 13, bold=True, space_after=6)
    _table(
        doc,
        ["Mã", "Chỉ tiêu", "Mức chỉ tiêu", "Năm gốc", f"Thực hiện {year}", "Số liệu", "Đánh giá"],
        targets,
        [10, 55, 25, 19, 19, 18, 19],
    )
    _indented(doc, (
        "Ghi chú: “Chưa đủ số liệu” là chỉ tiêu tính từ số liệu của dưới 80% số tổ chức phải báo cáo "
        "(hoặc dưới 3 tổ chức), chưa đánh giá; cột “Số liệu” ghi số tổ chức đã có số liệu được duyệt "
        "trên số phải báo cáo."
    ), size=11, italic=True)  # fmt: skip
    _para(doc, "", space_after=6)
    _para(doc, "III. TÌNH HÌNH THỰC HIỆN NHIỆM VỤ", 13, bold=True, space_after=6)
    _table(
        doc,
        ["Mã", "Nhiệm vụ", "Cơ quan chủ trì", "Thời gian", "Loại", "Tình trạng"],
        tasks,
        [12, 55, 35, 30, 15, 18],
    )
    _para(doc, "", space_after=6)
    for title, text in (
        ("IV. KHÓ KHĂN, VƯỚNG MẮC", getattr(draft, "difficulties", "")),
        ("V. ĐỀ XUẤT, KIẾN NGHỊ", getattr(draft, "proposals", "")),
    ):
        _para(doc, title, 13, bold=True, space_after=6)
        paragraphs = [t.strip() for t in (text or "").splitlines() if t.strip()]
        for t in paragraphs or [PLACEHOLDER]:
            _indented(doc, t, italic=not paragraphs, space_after=6)


def _widths(table, widths) -> None:
    """Fixed column widths: Word reads the cells', LibreOffice the grid's."""
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Mm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = Mm(width)


def _rule_under(paragraph, indent_mm: int) -> None:
    """The solid line under the issuing body (NĐ 30/2020 Phụ lục I: a third to a half of the name's
    length), drawn as the bottom border of an empty, indented paragraph."""
    paragraph.paragraph_format.left_indent = paragraph.paragraph_format.right_indent = Mm(indent_mm)
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().append(borders)


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
    _rule_under(_para(left, "", 4, align=WD_ALIGN_PARAGRAPH.CENTER), indent_mm=20)
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


def build_docx(
    plan, unit, year: int, period_label: str, block, today: datetime.date | None = None, draft=None
) -> bytes:
    """`block` (reporting.issuer.IssuerBlock): the issuing body, which exists on the report's date."""
    today = today or timezone.localdate()
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
    _page_numbers(section)

    _issuer_header(doc, block, today)

    _para(doc, "", space_after=6)
    _para(doc, "BÁO CÁO", 14, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    summary = issuer.summary_line(plan, today, period_label)
    _para(doc, summary, 14, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=12)
    write_body(doc, plan, unit, year, period_label, _opening(plan, unit, period_label, block, today), draft)
    _para(doc, "", space_after=12)
    _signature_block(doc, block)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def build_xlsx(plan, unit, year: int, period_label: str) -> bytes:
    """The annex: the targets with real numbers (shares to 0,1 %, counts whole, money in exact
    đồng) in number formats, so the columns sum in a spreadsheet; the unit of each row in its
    own column; the tasks on a second sheet."""
    tasks = task_rows(plan, year)
    rows = target_rows(plan, unit, year)
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"strings_to_formulas": False, "strings_to_urls": False})
    base = {"font_name": FONT, "text_wrap": True, "border": 1, "valign": "top"}
    bold = book.add_format({**base, "bold": True})
    cell = book.add_format(base)
    formats = {
        unit_: book.add_format({**base, "num_format": fmt}) for unit_, fmt in numbers.XLSX_FORMATS.items()
    }
    title = book.add_format({"bold": True, "font_name": FONT, "font_size": 13})
    unit_names = {"percent": "%", "dong": "đồng", "count": "", "people": "người"}

    sheet = book.add_worksheet("Chỉ tiêu")
    sheet.write_string(0, 0, f"{plan.number} – {unit.name} – {period_label}", title)
    header = ["Mã", "Chỉ tiêu", "Đơn vị tính", "Mức chỉ tiêu", "Đến năm", "Năm gốc", "Giá trị năm gốc",
              f"Thực hiện {year}", "Số tổ chức phải báo cáo", "Đã báo cáo", "Chính thức", "Ước tính", "Đánh giá"]  # fmt: skip
    widths = [6, 60, 10, 22, 9, 9, 16, 16, 12, 11, 11, 10, 24]
    for col, (text, width) in enumerate(zip(header, widths, strict=True)):
        sheet.set_column(col, col, width)
        sheet.write_string(2, col, text, bold)
    for r, row in enumerate(rows, start=3):
        places = numbers.display_places(row["unit"])
        number_format = formats.get(row["unit"], formats["decimal"])
        values = [row["code"], row["wording"], unit_names.get(row["unit"], ""), row["bound"], row["horizon"],
                  row["baseline_year"], numbers.rounded(row["baseline"], places), numbers.rounded(row["actual"], places),
                  row["expected"], row["reported"], row["final"], row["estimated"], row["status"]]  # fmt: skip
        for col, value in enumerate(values):
            if value is None:
                sheet.write_blank(r, col, None, cell)
            elif isinstance(value, (int, float)) and not isinstance(value, bool):
                fmt = number_format if col in (6, 7) else formats["count"]
                if col in (4, 5):
                    fmt = cell  # years: no grouping
                sheet.write_number(r, col, value, fmt)
            else:
                sheet.write_string(r, col, str(value), cell)
    sheet.autofilter(2, 0, max(2, 2 + len(rows)), len(header) - 1)
    sheet.freeze_panes(3, 2)

    sheet = book.add_worksheet("Nhiệm vụ")
    sheet.write_string(0, 0, f"{plan.number} – {unit.name} – {period_label}", title)
    for col, (text, width) in enumerate(
        zip(
            ["Mã", "Nhiệm vụ", "Cơ quan chủ trì", "Thời gian", "Loại", "Tình trạng"],
            [6, 50, 30, 26, 16, 16],
            strict=True,
        )
    ):
        sheet.set_column(col, col, width)
        sheet.write_string(2, col, text, bold)
    for r, row in enumerate(tasks, start=3):
        for col, value in enumerate(row):
            sheet.write_string(r, col, str(value), cell)
    sheet.autofilter(2, 0, max(2, 2 + len(tasks)), 5)
    sheet.freeze_panes(3, 0)
    book.close()
    return buffer.getvalue()


def report_filename(plan, unit, period_key: str, today: datetime.date, ext: str) -> str:
    """bao-cao-<plan>-<unit>-<period>-<date>.<ext>: the first half and the year never share a name."""
    from django.utils.text import slugify

    from hoptac.core.text import fold

    period = period_key.replace("-H1", "-6-thang-dau-nam") if "-H1" in period_key else f"nam-{period_key}"
    return f"bao-cao-{plan.key}-{slugify(fold(unit.name))}-{period}-{today:%Y%m%d}.{ext}"
