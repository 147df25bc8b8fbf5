"""The drafted report: a narrative from the data with coverage, the target table, the official's
difficulties and proposals, the layout of NĐ 30/2020, an annex with numbers; rendered to PDF."""

import datetime
import io
import shutil
import subprocess

import openpyxl
import pytest
from docx import Document

from hoptac.conftest import make_organisation, unit
from hoptac.core.audit import Actor
from hoptac.figures import services as figures
from hoptac.plans.models import Plan, Target
from hoptac.reporting.models import ReportDraft

pytestmark = pytest.mark.django_db
ACTOR = Actor.command()


def _approve(org, year, **values):
    f = figures.save_figures(ACTOR, org, year, values, confirm_warnings=True)
    return figures.approve(ACTOR, figures.submit(ACTOR, f))


@pytest.fixture
def plan():
    """13 cooperatives (12 before 2026), all reporting 2025; in 2026 only one has approved figures."""
    p = Plan.objects.create(key="test-report", kind="plan", issuer="UBND huyện Vĩnh Linh", number="5/KH-UBND",
                            date=datetime.date(2023, 2, 1), title="phát triển kinh tế tập thể", scope_unit=unit("464"))  # fmt: skip
    Target.objects.create(plan=p, code="T1", wording="Có ít nhất 15 hợp tác xã", indicator="htx_count",
                          bound="at_least", value=15, horizon=2030, sort=1)  # fmt: skip
    Target.objects.create(plan=p, code="T5", wording="100% cán bộ quản lý hợp tác xã được đào tạo",
                          indicator="share_managers_trained", bound="at_least", value=100, horizon=2030, sort=2)  # fmt: skip
    orgs = [
        make_organisation("19363", former_commune="old:19363", registration_date=datetime.date(2020, 1, 1))
        for _ in range(12)
    ]
    orgs.append(
        make_organisation("19363", former_commune="old:19363", registration_date=datetime.date(2026, 2, 1))
    )
    for org in orgs[:12]:
        _approve(
            org, 2025, members_official=10, workers=5, managers=8, managers_trained=4, revenue=1_390_000_000
        )
    _approve(
        orgs[0], 2026, members_official=12, workers=5, managers=5, managers_trained=0, revenue=1_500_000_000
    )
    return p


def _text(doc) -> str:
    return (
        "\n".join(p.text for p in doc.paragraphs)
        + "\n"
        + "\n".join(c.text for t in doc.tables for row in t.rows for c in row.cells)
    )


def test_the_report_tells_the_sector_from_the_data_with_coverage(client, plan, province_officer):
    client.force_login(province_officer)
    response = client.get(f"/reporting/plan/{plan.pk}/report.docx", {"unit": "464", "period": "2026"})
    assert response.status_code == 200
    doc = Document(io.BytesIO(response.content))
    text = _text(doc)
    assert "I. TÌNH HÌNH PHÁT TRIỂN KINH TẾ TẬP THỂ" in text
    assert "Số hợp tác xã đang hoạt động: 13 HTX (năm 2025: 12, tăng 1); chỉ tiêu đến năm 2030: ≥ 15." in text
    assert "Hợp tác xã thành lập mới trong năm: 1 HTX" in text
    assert (
        "Thành viên hợp tác xã: chưa đủ số liệu để đánh giá (mới có 1/13 HTX có số liệu năm 2026 được duyệt)"
        in text
    )
    # the target table: bound, coverage, and no 0,0 % from one cooperative
    table = doc.tables[1]
    header = [c.text for c in table.rows[0].cells]
    assert header == ["Mã", "Chỉ tiêu", "Mức chỉ tiêu", "Năm gốc", "Thực hiện 2026", "Số liệu", "Đánh giá"]
    t5 = [c.text for c in table.rows[2].cells]
    assert t5[0] == "T5" and t5[4] == "Chưa đủ số liệu" and t5[5] == "1/13 HTX"
    assert t5[6] == "Chưa đủ số liệu (1/13 HTX)" and "0,0%" not in " ".join(t5)
    assert t5[2] == "≥ 100% (đến năm 2030)"
    # rows are not split across pages, the header row repeats
    assert (
        table.rows[0]._tr.trPr.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}tblHeader")
        is not None
    )
    assert all(
        r._tr.trPr.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}cantSplit") is not None
        for r in table.rows
    )
    # the official's sections are marked until written
    assert "IV. KHÓ KHĂN, VƯỚNG MẮC" in text and "[Cán bộ bổ sung nội dung trước khi trình ký.]" in text


def test_the_annual_report_compares_with_the_previous_year(client, plan, province_officer):
    client.force_login(province_officer)
    doc = Document(
        io.BytesIO(
            client.get(f"/reporting/plan/{plan.pk}/report.docx", {"unit": "464", "period": "2025"}).content
        )
    )
    text = _text(doc)
    assert "Thành viên hợp tác xã: 120 thành viên; số liệu của 12/12 HTX" in text
    assert "Doanh thu bình quân một hợp tác xã: 1,39 tỷ đồng" in text
    assert "50,0% (48/96)" in text  # managers trained in 2025


def test_difficulties_and_proposals_are_written_in_the_app_and_kept(client, plan, province_officer):
    client.force_login(province_officer)
    url = f"/reporting/plan/{plan.pk}/report/"
    page = client.get(url, {"unit": "464", "period": "2026-H1"})
    assert page.status_code == 200 and "1/13 HTX" in page.content.decode()
    client.post(
        f"{url}?unit=464&period=2026-H1",
        {"difficulties": "Thiếu vốn.\nThiếu cán bộ.", "proposals": "Hỗ trợ đào tạo."},
    )
    draft = ReportDraft.objects.get(plan=plan, period_key="2026-H1")
    assert draft.difficulties == "Thiếu vốn.\nThiếu cán bộ."
    response = client.get(f"/reporting/plan/{plan.pk}/report.docx", {"unit": "464", "period": "2026-H1"})
    text = _text(Document(io.BytesIO(response.content)))
    assert "Thiếu vốn." in text and "Thiếu cán bộ." in text and "Hỗ trợ đào tạo." in text
    assert "[Cán bộ bổ sung" not in text
    # the annual report of the same year keeps its own sections
    annual = client.get(f"/reporting/plan/{plan.pk}/report.docx", {"unit": "464", "period": "2026"})
    assert "Thiếu vốn." not in _text(Document(io.BytesIO(annual.content)))
    # and the two never share a file name
    h1_name = response["Content-Disposition"]
    year_name = annual["Content-Disposition"]
    assert h1_name != year_name and "huyen-vinh-linh" in h1_name and "6-thang-dau-nam" in h1_name
    today = datetime.date.today().strftime("%Y%m%d")
    assert today in year_name and "nam-2026" in year_name


def test_a_viewer_cannot_write_the_report(client, plan):
    from hoptac.conftest import make_user

    viewer = make_user("xem", "viewer", "44")
    client.force_login(viewer)
    client.post(f"/reporting/plan/{plan.pk}/report/?unit=464&period=2026", {"difficulties": "x"})
    assert not ReportDraft.objects.exists()


def test_the_annex_has_numbers_that_sum(client, plan, province_officer):
    client.force_login(province_officer)
    response = client.get(f"/reporting/plan/{plan.pk}/report.xlsx", {"unit": "464", "period": "2025"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content))["Chỉ tiêu"]
    header = [c.value for c in sheet[3]]
    rows = {r[0]: dict(zip(header, r, strict=True)) for r in sheet.iter_rows(min_row=4, values_only=True)}
    assert rows["T1"]["Thực hiện 2025"] == 12 and rows["T1"]["Đến năm"] == 2030
    assert rows["T5"]["Thực hiện 2025"] == 50.0 and rows["T5"]["Đơn vị tính"] == "%"
    assert rows["T5"]["Số tổ chức phải báo cáo"] == 12 and rows["T5"]["Chính thức"] == 12
    cell = next(c for c in sheet[5] if c.value == 50.0)
    assert cell.number_format == "0.0" and cell.data_type == "n"
    assert sheet.auto_filter.ref == f"A3:M{sheet.max_row}" and sheet.freeze_panes == "C4"


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is installed by .ci/run")
def test_the_report_renders_to_pdf_with_page_numbers(client, plan, province_officer, tmp_path):
    from pypdf import PdfReader

    client.force_login(province_officer)
    response = client.get(f"/reporting/plan/{plan.pk}/report.docx", {"unit": "464", "period": "2026"})
    source = tmp_path / "report.docx"
    source.write_bytes(response.content)
    subprocess.run(
        ["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(source)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    pdf = PdfReader(tmp_path / "report.pdf")
    assert 2 <= len(pdf.pages) <= 6
    first = pdf.pages[0].extract_text()
    assert "BÁO CÁO" in first and "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in first
    whole = "\n".join(page.extract_text() for page in pdf.pages)
    assert "Chưa đủ số liệu (1/13 HTX)" in " ".join(whole.split())
    assert pdf.pages[1].extract_text().strip().splitlines()[-1].strip() == "2"  # page number in the footer


def test_a_solid_rule_stands_under_the_issuing_body(client, plan, province_officer):
    client.force_login(province_officer)
    response = client.get(f"/reporting/plan/{plan.pk}/report.docx", {"unit": "464", "period": "2026-H1"})
    assert response.status_code == 200
    doc = Document(io.BytesIO(response.content))
    left = doc.tables[0].rows[0].cells[0]
    texts = [p.text for p in left.paragraphs]
    ruled = [i for i, p in enumerate(left.paragraphs) if p._p.find(".//{*}pBdr/{*}bottom") is not None]
    assert (
        len(ruled) == 1 and texts[ruled[0]] == "" and texts[ruled[0] - 1].isupper()
    )  # under the body's name
    assert texts[ruled[0] + 1].startswith("Số:")  # and above the number


def test_support_is_told_against_the_previous_year_with_how_many_organisations_received_it(plan):
    from hoptac.registry.models import Organisation
    from hoptac.reporting.narrative import sector_narrative
    from hoptac.support import services as support
    from hoptac.support.models import Policy

    orgs = list(Organisation.objects.order_by("pk"))
    credit = Policy.objects.get(code="credit-fund")

    def give(org, day, amount):
        support.record_support(
            ACTOR, {"organisation": org, "policy": credit, "date": day, "amount": amount, "source": "central"}
        )

    give(orgs[0], datetime.date(2025, 3, 1), 200_000_000)
    give(orgs[1], datetime.date(2025, 4, 1), 100_000_000)
    for org in orgs[:4]:
        give(org, datetime.date(2026, 5, 1), 150_000_000)

    def sentence(year):
        section = dict(sector_narrative(plan, unit("464"), year))
        return next(s for s in section["5. Liên kết, ứng dụng công nghệ, đào tạo"] if s.startswith("Hỗ trợ"))

    assert sentence(2026) == (
        "Hỗ trợ trong năm: 4 lượt cho 4 tổ chức (4/13 tổ chức trên địa bàn, 30,8%), tổng kinh phí 600 triệu đồng "
        "(năm 2025: 2 lượt cho 2 tổ chức (2/12 tổ chức trên địa bàn, 16,7%), tổng kinh phí 300 triệu đồng; "
        "số tổ chức được hỗ trợ tăng 2, kinh phí tăng 100,0%)."
    )
    assert sentence(2027).startswith(
        "Hỗ trợ trong năm: chưa ghi nhận lượt hỗ trợ nào năm 2027 (năm 2026: 4 lượt"
    )
    assert sentence(2024) == (
        "Hỗ trợ trong năm: chưa ghi nhận lượt hỗ trợ nào năm 2024 (năm 2023: chưa ghi nhận lượt hỗ trợ nào)."
    )


def test_the_reports_of_every_unit_under_one_are_drafted_by_a_job(client, plan, province_officer, settings):
    import zipfile

    from hoptac.core.models import Job

    settings.MEDIA_ROOT = settings.VAR_DIR / "test-media"
    client.force_login(province_officer)
    response = client.post(f"/reporting/plan/{plan.pk}/report/children/", {"unit": "464", "period": "2025"})
    job = Job.objects.get()
    assert response.url == f"/jobs/{job.pk}/" and job.state == "done", job.message
    download = client.get(f"/jobs/{job.pk}/download/")
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    names = archive.namelist()
    assert len(names) == 2 * job.done and job.done > 1
    assert all(n.endswith((".docx", ".xlsx")) for n in names) and job.result_name.endswith(".zip")
