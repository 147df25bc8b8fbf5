"""Tasks from a plan: loaded with their agencies and schedules, updated by the lead agency, overdue when late."""

import datetime
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from rest_framework.test import APIClient

from hoptac.accounts import access
from hoptac.accounts.models import Agency
from hoptac.conftest import make_user, unit
from hoptac.core.audit import Actor
from hoptac.plans.loader import load_plans
from hoptac.plans.models import Plan
from hoptac.tasks import services
from hoptac.tasks.models import Task

pytestmark = pytest.mark.django_db

PLAN = {
    "key": "test-vinh-linh-2023", "kind": "instruction", "issuer": "UBND huyện Vĩnh Linh", "number": "…/UBND-NN", "date": None,
    "date_text": "tháng 02 năm 2023", "title": "Triển khai Kế hoạch 67-KH/HU", "scope_unit": "464", "parent": None, "seed": None,
    "clauses": [{"ref": "1", "title": "Tuyên truyền", "text": ""}, {"ref": "2", "title": "Chính sách", "text": ""}],
    "targets": [{"code": "T1", "clause": "2", "wording": "Ít nhất 50% HTX tham gia liên kết chuỗi giá trị", "indicator": "share_agri_htx_linked",
                 "bound": "at_least", "value": 50, "value_max": None, "horizon": 2030}],
    "tasks": [
        {"code": "1.2", "clause": "1", "title": "Tuyên truyền tại Vĩnh Ô, Vĩnh Khê, Vĩnh Hà", "text": "…", "lead": ["Phòng Văn hóa và Thông tin"],
         "partners": [], "directing": [], "target_units": ["old:19426"], "indicators": [],
         "schedule": {"kind": "quarter", "year": 2023, "quarter": 1, "wording": "hoàn thành trong quý I năm 2023"}},
        {"code": "2.3", "clause": "2", "title": "Hỗ trợ liên kết sản xuất - tiêu thụ", "text": "…", "lead": ["Phòng Kinh tế và Hạ tầng"],
         "partners": ["UBND các xã"], "directing": [], "target_units": [], "indicators": ["share_agri_htx_linked"],
         "schedule": {"kind": "yearly", "due_month": 12, "due_day": 15, "start_year": 2023, "wording": "báo cáo trước ngày 15/12 hằng năm"}},
    ],
    "obligations": [{"code": "R1", "clause": "2", "wording": "Định kỳ trước ngày 10/6 và 30/11 hằng năm", "reporters": "Các phòng; UBND các xã",
                     "recipient": "UBND huyện (qua Phòng Nông nghiệp và PTNT)", "frequency": "six_monthly", "due": ["06-10", "11-30"], "days_after_period": None}],
}  # fmt: skip


@pytest.fixture
def plan(tmp_path):
    path = tmp_path / "plans.json"
    path.write_text(json.dumps([PLAN], ensure_ascii=False), encoding="utf-8")
    result = load_plans(path)
    assert result.plans == 1
    return Plan.objects.get(key=PLAN["key"])


def test_loading_twice_changes_nothing(plan, tmp_path):
    path = tmp_path / "again.json"
    path.write_text(json.dumps([PLAN], ensure_ascii=False), encoding="utf-8")
    counts = (Task.objects.count(), Agency.objects.count(), plan.targets.count())
    load_plans(path)
    assert (Task.objects.count(), Agency.objects.count(), plan.targets.count()) == counts


def test_tasks_keep_agencies_schedules_and_target_units(plan):
    task = plan.tasks.get(code="1.2")
    assert [a.name for a in task.lead.all()] == ["Phòng Văn hóa và Thông tin"]
    assert task.lead.first().unit == unit("464")
    assert task.due_on(2023) == datetime.date(2023, 3, 31)
    assert list(task.target_units.all()) == [unit("old:19426")]
    yearly = plan.tasks.get(code="2.3")
    assert yearly.due_on(2025) == datetime.date(2025, 12, 15) and yearly.due_on(2022) is None


def test_overdue_is_computed_from_the_schedule(plan):
    task = plan.tasks.get(code="1.2")
    assert task.status_on(datetime.date(2023, 3, 1)) == "not_started"
    assert task.status_on(datetime.date(2023, 4, 1)) == "overdue"


def test_the_lead_agency_marks_a_task_done_with_evidence(plan):
    task = plan.tasks.get(code="1.2")
    officer = make_user("vhtt", "officer", "464")
    officer.agency = task.lead.first()
    officer.save()
    with pytest.raises(ValidationError):
        services.add_update(Actor(user=officer, source="web"), task, "done")  # no evidence
    services.add_update(
        Actor(user=officer, source="web"), task, "done", note="Đã tổ chức 3 hội nghị tuyên truyền"
    )
    assert task.status_on(datetime.date(2023, 4, 1)) == "done"
    stranger = make_user("khac", "officer", "01")
    with pytest.raises(PermissionDenied):
        services.add_update(Actor(user=stranger, source="web"), task, "in_progress")


def test_task_api_lists_and_accepts_updates(plan, district_officer, viewer):
    client = APIClient()
    client.force_authenticate(district_officer)
    data = client.get("/api/v1/tasks/", {"plan": plan.pk}).json()
    assert data["count"] == 2 and {t["code"] for t in data["results"]} == {"1.2", "2.3"}
    yearly = next(t for t in data["results"] if t["code"] == "2.3")
    assert yearly["lead"] == ["Phòng Kinh tế và Hạ tầng"] and yearly["schedule"]["wording"].startswith(
        "báo cáo trước"
    )
    task = plan.tasks.get(code="2.3")
    response = client.post(
        f"/api/v1/tasks/{task.pk}/updates/",
        {"status": "in_progress", "percent": 40, "note": "Đang làm"},
        format="json",
    )
    assert response.status_code == 201
    assert (
        client.post(f"/api/v1/tasks/{task.pk}/updates/", {"status": "maybe"}, format="json").status_code
        == 400
    )
    ro = APIClient()
    ro.force_authenticate(viewer)
    assert (
        ro.post(
            f"/api/v1/tasks/{task.pk}/updates/", {"status": "done", "note": "x"}, format="json"
        ).status_code
        == 403
    )


def test_task_pages(client, plan, district_officer):
    client.force_login(district_officer)
    assert "Hỗ trợ liên kết" in client.get("/tasks/").content.decode()
    task = plan.tasks.get(code="2.3")
    assert "15/12" in client.get(f"/tasks/{task.pk}/").content.decode()
    client.post(f"/tasks/{task.pk}/", {"status": "done", "note": "Đã báo cáo UBND huyện"})
    assert task.updates.count() == 1


def test_a_task_of_a_ceased_body_asks_for_a_successor_and_shows_former_and_current_carrier(
    client, plan, province_officer, commune_officer
):
    task = plan.tasks.get(code="2.3")
    client.force_login(province_officer)
    page = client.get(f"/tasks/{task.pk}/").content.decode()
    assert "alert-warning" in page and "Phòng Kinh tế và Hạ tầng huyện Vĩnh Linh" in page
    response = client.post(
        f"/tasks/{task.pk}/",
        {
            "action": "carriers",
            "bodies": ["19363|Phòng Kinh tế"],
            "since": "01/07/2025",
            "note": "QĐ phân công",
        },
    )
    assert response.status_code == 302
    page = client.get(f"/tasks/{task.pk}/").content.decode()
    assert "alert-warning" not in page
    carriers = page.split('id="carriers">')[1].split("</dd>")[0]
    assert (
        carriers.startswith("Phòng Kinh tế xã Vĩnh Linh")
        and "Phòng Kinh tế và Hạ tầng huyện Vĩnh Linh" in carriers
    )
    # the new carrier's officer updates the task and finds it in the list by agency
    office = Agency.objects.get(unit=unit("19363"), name="Phòng Kinh tế")
    commune_officer.agency = office
    commune_officer.unit = None
    commune_officer.save()
    assert access.can(commune_officer, "update_task", task)
    # a commune officer cannot record carriers, and a ceased body cannot be one
    client.force_login(commune_officer)
    client.post(
        f"/tasks/{task.pk}/", {"action": "carriers", "bodies": ["19366|Phòng Kinh tế"], "since": "01/08/2025"}
    )
    assert list(task.carriers.filter(until__isnull=True).values_list("agency", flat=True)) == [office.pk]
    with pytest.raises(ValidationError):
        services.set_carriers(
            Actor(user=province_officer, source="web"), task, list(task.lead.all()), datetime.date(2026, 1, 1)
        )


def test_an_account_of_a_ceased_body_reads_its_history_and_is_told_to_move(client, plan):
    old_body = plan.tasks.get(code="2.3").lead.first()
    user = make_user("pkthuyen", "officer")
    user.agency = old_body
    user.save()
    successor = Agency.objects.create(unit=unit("19363"), name="Phòng Kinh tế", kind="phong")
    from hoptac.accounts.models import AgencySuccession

    AgencySuccession.objects.create(predecessor=old_body, successor=successor, date=datetime.date(2025, 7, 1))
    response = client.post(
        "/login/", {"username": "pkthuyen", "password": "correct horse battery"}, follow=True
    )
    page = response.content.decode()
    assert "30/06/2025" in page and "Phòng Kinh tế xã Vĩnh Linh" in page
    assert client.get("/tasks/").status_code == 200
