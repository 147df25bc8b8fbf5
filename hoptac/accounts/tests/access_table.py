"""The persona × action × object table of hoptac.accounts.access, shared by every app's permission tests.

Objects (built by `build_world`):
- `htx`: Hợp tác xã Vĩnh Thái, Xã Vĩnh Linh (19363), formerly Thị trấn Hồ Xá (old:19363);
- `hanoi_htx`: a cooperative of Hà Nội;
- `district_task`: a task of the former Vĩnh Linh district's plan (464), led by nobody in particular;
- `province_task`: a task of Quảng Trị's (44) plan, led by the district's Phòng Kinh tế và Hạ tầng
  (so the officers whose area holds that agency update it, as well as the province's; a commune
  officer does not);
- `hanoi_task`: a task of Hà Nội's plan;
- `commune_due`: the report Xã Vĩnh Linh owes under the district plan;
- `unit_19363`, `unit_44`: units to measure;
- `htx_lot`, `hanoi_lot`: lots of the two cooperatives, as inputs of a processing step.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from hoptac.conftest import unit
from hoptac.plans.models import Plan
from hoptac.reporting.models import Obligation, ReportDue
from hoptac.tasks.models import Task
from hoptac.trace.tests.helpers import lot, product

PERSONAS = [
    "admin", "province_officer", "commune_officer", "district_officer", "other_officer", "viewer",
    "cooperative_user", "second_cooperative_user", "lead_agency_officer", "anonymous",
]  # fmt: skip

CELLS = [
    ("view", "htx"), ("change", "htx"), ("enter_figures", "htx"), ("approve_figures", "htx"), ("assess", "htx"),
    ("record_trace", "htx"), ("view", "hanoi_htx"), ("change", "hanoi_htx"),
    ("view", "district_task"), ("update_task", "district_task"), ("view", "province_task"),
    ("update_task", "province_task"), ("view", "hanoi_task"), ("update_task", "hanoi_task"),
    ("view", "commune_due"), ("submit_report", "commune_due"),
    ("measure_unit", "unit_19363"), ("measure_unit", "unit_44"),
    ("use_as_input", "htx_lot"), ("use_as_input", "hanoi_lot"),
]  # fmt: skip

T, F = True, False
# One row per persona, one column per CELLS entry, in that order.
ROWS = {
    #                         htx: view chg fig apr ass trc | hanoi: v c | dtask v u | ptask v u | htask v u | due v s | 19363 44 | lots own hanoi
    "admin":                   [T, T, T, T, T, T,  T, T,  T, T,  T, T,  T, T,  T, T,  T, T,  T, T],
    "province_officer":        [T, T, T, T, T, T,  F, F,  T, T,  T, T,  F, F,  T, T,  T, T,  T, F],
    "commune_officer":         [T, T, T, T, T, T,  F, F,  T, F,  T, F,  F, F,  T, T,  T, F,  T, F],
    "district_officer":        [T, T, T, T, T, T,  F, F,  T, T,  T, T,  F, F,  T, T,  T, F,  T, F],
    "other_officer":           [F, F, F, F, F, F,  T, T,  F, F,  F, F,  T, T,  F, F,  F, F,  F, T],
    "viewer":                  [T, F, F, F, F, F,  F, F,  T, F,  T, F,  F, F,  T, F,  T, T,  F, F],
    "cooperative_user":        [T, F, T, F, T, T,  F, F,  F, F,  F, F,  F, F,  F, F,  F, F,  T, F],
    "second_cooperative_user": [F, F, F, F, F, F,  T, F,  F, F,  F, F,  F, F,  F, F,  F, F,  F, T],
    "lead_agency_officer":     [T, T, T, T, T, T,  F, F,  T, T,  T, T,  F, F,  T, T,  T, F,  T, F],
    "anonymous":               [F, F, F, F, F, F,  F, F,  F, F,  F, F,  F, F,  F, F,  F, F,  F, F],
}  # fmt: skip

TABLE = {persona: dict(zip(CELLS, row, strict=True)) for persona, row in ROWS.items()}


def expected(persona: str, action: str, name: str) -> bool:
    return TABLE[persona][(action, name)]


@dataclass
class World:
    htx: object
    hanoi_htx: object
    district_task: Task
    province_task: Task
    hanoi_task: Task
    commune_due: ReportDue
    unit_19363: object
    unit_44: object
    htx_lot: object
    hanoi_lot: object

    def __getitem__(self, name):
        return getattr(self, name)


def _plan(key: str, ref: str) -> Plan:
    return Plan.objects.create(
        key=key, kind="plan", issuer="UBND", title=f"Kế hoạch {ref}", scope_unit=unit(ref)
    )


def build_world(vinh_linh_htx, hanoi_htx, lead_agency) -> World:
    district_plan, province_plan, hanoi_plan = _plan("d", "464"), _plan("p", "44"), _plan("h", "01")
    district_task = Task.objects.create(
        plan=district_plan, code="1", title="Tuyên truyền Luật Hợp tác xã", schedule_kind="ongoing"
    )
    province_task = Task.objects.create(
        plan=province_plan, code="1", title="Hỗ trợ liên kết chuỗi giá trị", schedule_kind="ongoing"
    )
    province_task.lead.set([lead_agency])
    hanoi_task = Task.objects.create(
        plan=hanoi_plan, code="1", title="Chuyển đổi số hợp tác xã", schedule_kind="ongoing"
    )
    obligation = Obligation.objects.create(
        plan=district_plan, code="R1", wording="Báo cáo", frequency="yearly"
    )
    day = datetime.date(2025, 12, 31)
    due = ReportDue.objects.create(
        obligation=obligation, period_key="2025", period_label="năm 2025", period_start=datetime.date(2025, 1, 1),
        period_end=day, due_date=day, unit=unit("19363"),
    )  # fmt: skip
    return World(
        htx=vinh_linh_htx, hanoi_htx=hanoi_htx, district_task=district_task, province_task=province_task,
        hanoi_task=hanoi_task, commune_due=due, unit_19363=unit("19363"), unit_44=unit("44"),
        htx_lot=lot(product(vinh_linh_htx, name="Lúa")), hanoi_lot=lot(product(hanoi_htx, name="Lúa Hà Nội")),
    )  # fmt: skip


def persona_user(request, persona: str):
    """The persona's user (the anonymous visitor is Django's AnonymousUser)."""
    if persona == "anonymous":
        from django.contrib.auth.models import AnonymousUser

        return AnonymousUser()
    return request.getfixturevalue(persona)


def check_register_row(persona: str, user, client, *, detail: str, edit: str, api: str, patch: dict,
                       export: str, marker: str) -> None:  # fmt: skip
    """One row of a register kept per cooperative (links, support, OCOP, managers…), owned by `htx`.

    Its page, edit form, API record, API change and export must follow the table's view/change of `htx`.
    """
    from rest_framework.test import APIClient

    can_read, can_write = expected(persona, "view", "htx"), expected(persona, "change", "htx")
    rest = APIClient()
    if not user.is_authenticated:
        assert client.get(detail).status_code == 302
        assert rest.get(api).status_code in (401, 403)
        return
    client.force_login(user)
    rest.force_authenticate(user)
    assert client.get(detail).status_code == (200 if can_read else 404), detail
    assert rest.get(api).status_code == (200 if can_read else 404), api
    response = client.get(export)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert (marker in body.decode("utf-8-sig")) == can_read, export
    outcome = (client.get(edit).status_code, rest.patch(api, patch, format="json").status_code)
    if can_write:
        assert outcome == (200, 200), (persona, outcome)
    else:
        assert outcome == ((403, 403) if can_read else (404, 404)), (persona, outcome)
