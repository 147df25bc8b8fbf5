"""The four seed plans load with all their targets, tasks and obligations, and are measured."""

import pytest

from hoptac.plans.loader import load_plans
from hoptac.plans.models import Plan
from hoptac.plans.progress import Status, target_progress
from hoptac.reporting.models import Obligation
from hoptac.tasks.models import Task

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeds():
    return load_plans()


def test_every_seed_plan_and_parent_loads_idempotently(seeds):
    assert seeds.plans == Plan.objects.count() >= 11
    again = load_plans()
    assert again.created == 0 and Plan.objects.count() == seeds.plans
    keys = set(Plan.objects.values_list("key", flat=True))
    assert {
        "ctr-huyen-2022",
        "ducpho-kh-2023",
        "vinhlinh-cv-2023",
        "binhthuan-kh-1698-2021",
        "nq-20-2022",
        "qd-340-2021",
    } <= keys


def test_the_plan_tree(seeds):
    ducpho = Plan.objects.get(key="ducpho-kh-2023")
    assert [p.number for p in ducpho.ancestors()] == ["23-CTr/TU", "20-NQ/TW"]
    assert ducpho.scope_unit.name == "Thị xã Đức Phổ"
    assert Plan.objects.get(key="ctr-huyen-2022").scope_unit is None  # seed 000 names no district


def test_targets_keep_their_wording_and_bounds(seeds):
    ducpho = Plan.objects.get(key="ducpho-kh-2023")
    assert ducpho.targets.count() == 24
    t = ducpho.targets.get(code="T2")
    assert (t.wording, t.bound, int(t.value), t.horizon) == (
        "với gần 22.000 thành viên",
        "nearly",
        22000,
        2030,
    )
    assert Plan.objects.get(key="ctr-huyen-2022").targets.get(code="T1").bound == "range"
    assert Plan.objects.get(key="binhthuan-kh-1698-2021").targets.count() == 12


def test_vinh_linh_tasks_and_reports(seeds):
    plan = Plan.objects.get(key="vinhlinh-cv-2023")
    task = Task.objects.get(plan=plan, code="2.3")
    assert [a.name for a in task.lead.all()] == ["Phòng Kinh tế và Hạ tầng"]
    assert (task.due_month, task.due_day) == (12, 15)
    assert {u.name for u in Task.objects.get(plan=plan, code="1.2").target_units.all()} == {
        "Xã Vĩnh Ô",
        "Xã Vĩnh Khê",
        "Xã Vĩnh Hà",
    }
    obligation = Obligation.objects.get(plan=plan, code="R1")
    assert obligation.due_days == ["06-10", "11-30"] and obligation.reporter_units.exists()


def test_every_duc_pho_target_is_measured_on_the_registry(seeds, vinh_linh_htx):
    plan = Plan.objects.get(key="ducpho-kh-2023")
    results = [target_progress(t, plan.scope_unit, 2025) for t in plan.targets.all()]
    assert all(r.status in Status.values for r in results)
    counted = [r for r in results if r.target.indicator == "htx_count"]
    assert all(r.actual == 0 for r in counted)  # the Vĩnh Linh cooperative is not in Đức Phổ


def test_the_vinh_linh_plan_page_lists_tasks_and_reports_due(client, seeds, district_officer):
    plan = Plan.objects.get(key="vinhlinh-cv-2023")
    client.force_login(district_officer)
    page = client.get(f"/plans/{plan.pk}/", {"year": 2025}).content.decode()
    assert "Phòng Kinh tế và Hạ tầng" in page and "15/12" in page
    assert "10/06" in page and "30/11" in page and "report.docx" in page


def test_every_loaded_target_task_and_obligation_is_audited_once(seeds):
    """The plan-part loaders write like every other write: one entry per row, none on a second run."""
    from django.contrib.contenttypes.models import ContentType

    from hoptac.core.models import AuditEntry
    from hoptac.plans.models import Target

    def created(model):
        entries = AuditEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(model), action="create"
        )
        return set(entries.values_list("object_id", flat=True))

    for model in (Target, Task, Obligation):
        assert created(model) == {str(pk) for pk in model.objects.values_list("pk", flat=True)}, model
    task = Task.objects.filter(lead__isnull=False).first()
    entry = AuditEntry.objects.get(
        object_id=str(task.pk), content_type=ContentType.objects.get_for_model(Task)
    )
    assert entry.after["lead"] == sorted(task.lead.values_list("pk", flat=True))
    before = AuditEntry.objects.count()
    load_plans()
    assert AuditEntry.objects.count() == before
