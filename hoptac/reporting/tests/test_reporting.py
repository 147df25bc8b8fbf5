"""Reports due 10/6 and 30/11 for every agency and commune; who has reported; reminders; the drafted report."""

import datetime
import io
import json

import pytest
from django.core import mail
from django.core.management import call_command
from docx import Document
from rest_framework.test import APIClient

from hoptac.conftest import make_user, unit
from hoptac.core.audit import Actor
from hoptac.geo.models import AdministrativeUnit
from hoptac.plans.loader import load_plans
from hoptac.plans.models import Plan
from hoptac.reporting import services
from hoptac.reporting.models import Notification, Obligation, ReportDue
from hoptac.tasks.tests.test_tasks import PLAN

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(tmp_path):
    path = tmp_path / "plans.json"
    path.write_text(json.dumps([PLAN], ensure_ascii=False), encoding="utf-8")
    load_plans(path)
    return Plan.objects.get(key=PLAN["key"])


def test_reports_are_due_on_10_june_and_30_november_for_each_reporter(plan):
    obligation = Obligation.objects.get(plan=plan)
    created = services.generate_dues(obligation, 2025)
    communes = AdministrativeUnit.objects.current_communes_covering(unit("464")).count()
    reporters = obligation.reporter_agencies.count() + communes
    # the district bodies report the first half of 2025; they ceased on 30/06/2025, so not the year
    assert created == reporters + communes and reporters > communes
    assert not ReportDue.objects.filter(
        obligation=obligation, period_key="2025", agency__isnull=False
    ).exists()
    dues = ReportDue.objects.filter(obligation=obligation)
    assert set(dues.values_list("due_date", flat=True)) == {
        datetime.date(2025, 6, 10),
        datetime.date(2025, 11, 30),
    }
    first = dues.filter(period_key="2025-H1").first()
    assert first.is_estimate  # due before the half-year ends
    assert services.generate_dues(obligation, 2025) == 0  # idempotent


def test_completeness_names_who_has_not_reported(client, plan, district_officer):
    obligation = Obligation.objects.get(plan=plan)
    services.generate_dues(obligation, 2025)
    dues = ReportDue.objects.filter(obligation=obligation, period_key="2025-H1")
    on_time, late = dues[0], dues[1]
    services.submit_report(
        Actor.command(),
        on_time,
        note="Báo cáo 6 tháng",
        when=datetime.datetime(2025, 6, 9, 9, tzinfo=datetime.UTC),
    )
    services.submit_report(
        Actor.command(),
        late,
        note="Báo cáo muộn",
        when=datetime.datetime(2025, 6, 20, 9, tzinfo=datetime.UTC),
    )
    stats = services.completeness(dues)
    assert (stats.expected, stats.received, stats.on_time, stats.late) == (dues.count(), 2, 1, 1)
    assert on_time not in stats.missing and len(stats.missing) == dues.count() - 2
    client.force_login(district_officer)
    page = client.get("/reporting/", {"year": 2025}).content.decode()
    assert str(stats.missing[0].reporter) in page


def test_remind_sends_once_before_and_once_after(plan):
    obligation = Obligation.objects.get(plan=plan)
    commune = obligation.reporter_units.first()
    officer = make_user("xa1", "officer", commune.ref)
    officer.email = "xa1@example.vn"
    officer.save()
    call_command("remind", "--today", "2025-06-05", stdout=io.StringIO())
    assert any("xa1@example.vn" in m.to for m in mail.outbox)
    assert Notification.objects.filter(user=officer).count() == 1
    call_command("remind", "--today", "2025-06-06", stdout=io.StringIO())
    assert Notification.objects.filter(user=officer).count() == 1  # not repeated
    call_command("remind", "--today", "2025-06-12", stdout=io.StringIO())
    assert Notification.objects.filter(user=officer).count() == 2  # now overdue


def test_submissions_api(plan, district_officer):
    services.generate_dues(Obligation.objects.get(plan=plan), 2025)
    client = APIClient()
    client.force_authenticate(district_officer)
    data = client.get("/api/v1/submissions/", {"period": "2025-H1", "page_size": 500}).json()
    assert data["count"] > 0 and all(i["submitted_at"] is None for i in data["results"])
    assert client.get("/api/v1/obligations/").json()["count"] >= 1


def test_the_report_docx_has_the_title_block_and_the_target_table(plan, district_officer, province_officer):
    client = APIClient()
    client.force_authenticate(district_officer)
    # the district and its bodies ceased on 30/06/2025: its account cannot issue a report today
    refused = client.get(f"/api/v1/plans/{plan.pk}/report.docx", {"unit": "464", "period": "2025-H1"})
    assert refused.status_code == 400 and refused.content.decode().strip()
    client.force_authenticate(province_officer)
    response = client.get(f"/api/v1/plans/{plan.pk}/report.docx", {"unit": "464", "period": "2025-H1"})
    assert response.status_code == 200
    doc = Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in doc.paragraphs) + "\n".join(
        c.text for t in doc.tables for row in t.rows for c in row.cells
    )
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "Độc lập - Tự do - Hạnh phúc" in text
    assert "BÁO CÁO" in text and "6 tháng đầu năm 2025" in text and "Nơi nhận" in text
    assert "Ít nhất 50% HTX tham gia liên kết chuỗi giá trị" in text
    assert doc.sections[0].left_margin.mm == pytest.approx(30, abs=0.5)
    xlsx = client.get(f"/api/v1/plans/{plan.pk}/report.xlsx", {"unit": "464", "period": "2025"})
    assert xlsx.status_code == 200
    assert (
        client.get(f"/api/v1/plans/{plan.pk}/report.docx", {"unit": "464", "period": "x"}).status_code == 400
    )


def test_reminders_show_in_the_app(client, plan):
    obligation = Obligation.objects.get(plan=plan)
    commune = obligation.reporter_units.first()
    officer = make_user("xa2", "officer", commune.ref)
    call_command("remind", "--today", "2025-06-05", stdout=io.StringIO())
    client.force_login(officer)
    assert 'badge text-bg-warning">1<' in client.get("/reporting/").content.decode()
    page = client.get("/reporting/notifications/").content.decode()
    assert "06/2025" in page or "10/06/2025" in page
    assert 'text-bg-warning">1<' not in client.get("/reporting/").content.decode()  # read now
