"""Targets judged against their bounds and trend, after Open SDG's progress method."""

import datetime
from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from hoptac.conftest import make_organisation, unit
from hoptac.plans.models import Plan, Target
from hoptac.plans.progress import Status, bounds, judge, meets

pytestmark = pytest.mark.django_db


def target(bound, value=None, value_max=None, horizon=2030, approximate=False):
    return Target(code="T", wording="", indicator="htx_count", bound=bound, value=value and Decimal(value),
                  value_max=value_max and Decimal(value_max), horizon=horizon, approximate=approximate)  # fmt: skip


@pytest.mark.parametrize(
    "bound, value, value_max, actual, met",
    [
        ("at_least", "80", None, 80, True), ("at_least", "80", None, 79.9, False),
        ("more_than", "60", None, 60, False), ("more_than", "60", None, 60.5, True),
        ("about", "40", None, 36, True), ("about", "40", None, 35.9, False),
        ("nearly", "22000", None, 20900, True), ("nearly", "22000", None, 20800, False),
        ("range", "20", "25", 20, True), ("range", "20", "25", 19, False),
        ("none", None, None, 0, True), ("none", None, None, 1, False),
        ("at_most", "5", None, 5, True), ("at_most", "5", None, 6, False),
    ],
)  # fmt: skip
def test_bounds_are_judged_as_worded(bound, value, value_max, actual, met):
    assert meets(target(bound, value, value_max), actual) is met


def test_about_a_range_widens_both_ends():
    assert bounds(target("range", "50", "70", approximate=True)) == (45.0, 77.0)


def test_on_track_when_growth_matches_the_needed_rate():
    t = target("at_least", "40")
    # from 20 in 2022 to 40 in 2030 needs ~9.05 % a year; 2022→2025 observed 20→26 ≈ 9.1 %
    status, projection, ratio, base_year, base = judge(
        t, [(2022, 20), (2023, 22), (2024, 24), (2025, 26)], 2025
    )
    assert status == Status.ON_TRACK and ratio >= 0.95 and projection > 39
    assert (base_year, base) == (2022, 20)


def test_acceleration_needed_and_off_track():
    t = target("at_least", "40")
    assert judge(t, [(2022, 20), (2025, 24)], 2025)[0] == Status.ACCELERATE  # ≈ 6.3 % vs 9 % needed
    assert judge(t, [(2022, 20), (2025, 21)], 2025)[0] == Status.OFF_TRACK
    assert judge(t, [(2022, 20), (2025, 18)], 2025)[0] == Status.OFF_TRACK  # deterioration


def test_a_none_target_needs_the_count_to_fall():
    t = target("none")
    assert judge(t, [(2022, 10), (2025, 6)], 2025)[0] == Status.ON_TRACK  # −4/3 a year vs −1.25 needed
    assert judge(t, [(2022, 10), (2025, 10)], 2025)[0] == Status.OFF_TRACK
    assert judge(t, [(2022, 10), (2025, 0)], 2025)[0] == Status.ACHIEVED


def test_no_data_and_past_horizon():
    t = target("at_least", "40", horizon=2025)
    assert judge(t, [(2022, None), (2025, None)], 2025)[0] == Status.NO_DATA
    assert judge(t, [(2022, 20), (2025, 39)], 2025)[0] == Status.OFF_TRACK


@pytest.fixture
def plan():
    p = Plan.objects.create(key="test-vinh-linh", kind="plan", issuer="UBND huyện Vĩnh Linh", number="1/KH", date=datetime.date(2023, 2, 1),
                            title="Kế hoạch thử", scope_unit=unit("464"))  # fmt: skip
    Target.objects.create(
        plan=p,
        code="T1",
        wording="Có ít nhất 3 HTX",
        indicator="htx_count",
        bound="at_least",
        value=3,
        horizon=2030,
    )
    Target.objects.create(
        plan=p,
        code="T2",
        wording="Khoảng 10 HTX",
        indicator="htx_count",
        bound="about",
        value=10,
        horizon=2030,
    )
    return p


def test_plan_progress_api(plan, district_officer, other_officer):
    for _ in range(3):
        make_organisation("19363", former_commune="old:19363", registration_date=datetime.date(2020, 1, 1))
    client = APIClient()
    client.force_authenticate(district_officer)
    data = client.get(f"/api/v1/plans/{plan.pk}/progress/", {"year": 2024}).json()
    assert data["unit"] == "464" and data["count"] == 2
    t1, t2 = data["results"]
    assert {k: t1[k] for k in ("code", "wording", "indicator", "horizon", "actual", "status")} == {
        "code": "T1", "wording": "Có ít nhất 3 HTX", "indicator": "htx_count", "horizon": 2030, "actual": 3.0, "status": "achieved",
    }  # fmt: skip
    assert t1["bounds"]["kind"] == "at_least" and t1["baseline"] == 3.0
    assert t2["status"] in ("acceleration_needed", "off_track") and "projection" in t2
    listing = client.get("/api/v1/plans/", {"unit": "464"}).json()
    assert plan.pk in [p["id"] for p in listing["results"]]
    other = APIClient()
    other.force_authenticate(other_officer)
    assert other.get(f"/api/v1/plans/{plan.pk}/progress/", {"year": 2024}).status_code == 404


def test_plan_page_renders_cards_and_a_chart(client, plan, district_officer):
    make_organisation("19363", former_commune="old:19363", registration_date=datetime.date(2020, 1, 1))
    client.force_login(district_officer)
    page = client.get(f"/plans/{plan.pk}/", {"year": 2024}).content.decode()
    assert "Có ít nhất 3 HTX" in page and "trajectory-chart" in page and "plan-chart-data" in page
    export = client.get(f"/plans/{plan.pk}/", {"year": 2024, "export": "progress"})
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")


def test_a_plan_without_a_unit_is_attached_by_an_officer(client, province_officer):
    p = Plan.objects.create(
        key="test-000", kind="programme", issuer="Huyện ủy", title="Chương trình hành động"
    )
    client.force_login(province_officer)
    assert (
        "does not name" in client.get(f"/plans/{p.pk}/").content.decode()
        or "không" in client.get(f"/plans/{p.pk}/").content.decode()
    )
    client.post(f"/plans/{p.pk}/attach/", {"unit": "464"})
    p.refresh_from_db()
    assert p.scope_unit == unit("464")


def _approve(org, year, **values):
    from hoptac.core.audit import Actor
    from hoptac.figures import services as figures

    actor = Actor.command()
    f = figures.save_figures(actor, org, year, values, confirm_warnings=True)
    return figures.approve(actor, figures.submit(actor, f))


@pytest.fixture
def training_plan():
    """13 cooperatives; all 13 reported for 2025 (43 of 104 managers trained), 1 for 2026 (0 of 5)."""
    p = Plan.objects.create(key="test-vl-training", kind="plan", issuer="UBND huyện Vĩnh Linh", number="2/KH",
                            date=datetime.date(2025, 2, 1), title="Kế hoạch thử", scope_unit=unit("464"))  # fmt: skip
    Target.objects.create(plan=p, code="T5", wording="đảm bảo đến năm 2030 có 100% cán bộ quản lý hợp tác xã được đào tạo",
                          indicator="share_managers_trained", bound="at_least", value=100, horizon=2030)  # fmt: skip
    orgs = [
        make_organisation("19363", former_commune="old:19363", registration_date=datetime.date(2020, 1, 1))
        for _ in range(13)
    ]
    for i, org in enumerate(orgs):
        _approve(org, 2024, managers=8, managers_trained=3)
        _approve(org, 2025, managers=8, managers_trained=3 + (i < 9))  # 48 of 104
    _approve(orgs[0], 2026, managers=5, managers_trained=0)
    return p


def test_a_value_from_too_few_organisations_is_not_judged(training_plan, district_officer, client):
    api = APIClient()
    api.force_authenticate(district_officer)
    (t5,) = api.get(f"/api/v1/plans/{training_plan.pk}/progress/", {"year": 2026}).json()["results"]
    assert t5["status"] == "insufficient_data" and t5["projection"] is None
    assert t5["status_label"] == "Chưa đủ số liệu (1/13 HTX)"
    assert {k: t5["coverage"][k] for k in ("expected", "reported", "final", "estimated")} == {
        "expected": 13, "reported": 1, "final": 1, "estimated": 0,
    }  # fmt: skip
    assert t5["series"][-1]["coverage"]["sufficient"] is False
    # 2025 stands on all 13 and is judged
    (t5_2025,) = api.get(f"/api/v1/plans/{training_plan.pk}/progress/", {"year": 2025}).json()["results"]
    assert t5_2025["status"] != "insufficient_data" and t5_2025["coverage"]["is_final"] is True
    client.force_login(district_officer)
    page = client.get(f"/plans/{training_plan.pk}/", {"year": 2026}).content.decode()
    assert "Chưa đủ số liệu (1/13 HTX)" in page and "0,0%" not in page
    assert "1/13 HTX" in page
    chart = client.get(f"/plans/{training_plan.pk}/", {"year": 2026, "target": "T5"}).context["chart"]
    assert chart["actual"][-1] is None and chart["actual"][-2] == pytest.approx(48 * 100 / 104)  # not drawn


def test_a_share_is_rounded_half_up_everywhere(training_plan, district_officer, client):
    """48/104 = 46,15…% reads 46,2% on the page, in the API's display and in the export."""
    import io

    import openpyxl

    api = APIClient()
    api.force_authenticate(district_officer)
    (t5,) = api.get(f"/api/v1/plans/{training_plan.pk}/progress/", {"year": 2025}).json()["results"]
    assert t5["actual"] == pytest.approx(48 * 100 / 104)
    assert t5["display"]["actual"] == "46,2%" and t5["actual_rounded"] == 46.2
    client.force_login(district_officer)
    page = client.get(f"/plans/{training_plan.pk}/", {"year": 2025}).content.decode()
    assert "46,2%" in page and "46,1%" not in page
    assert "≥ 100%" in page  # the bound beside the actual
    sheet = openpyxl.load_workbook(
        io.BytesIO(client.get(f"/plans/{training_plan.pk}/", {"year": 2025, "export": "progress"}).content)
    ).active
    header = [c.value for c in sheet[3]]
    row = [c.value for c in sheet[4]]
    assert row[header.index("Thực hiện")] == 46.2
    assert row[header.index("Đã báo cáo")] == 13


def test_no_projection_for_a_past_deadline():
    t = target("at_least", "40", horizon=2025)
    status, projection, *_rest = judge(t, [(2022, 20), (2025, 30)], 2025)
    assert status == Status.OFF_TRACK and projection is None


def test_bounds_are_written_as_numbers():
    from hoptac.plans.wording import bound_text

    assert bound_text(target("at_least", "50"), "percent") == "≥ 50%"
    assert bound_text(target("range", "20", "25"), "count") == "20–25"
    assert bound_text(target("about", "95"), "percent") == "khoảng 95% (±10%: đạt từ 85,5%)"
    assert bound_text(target("nearly", "1000000000"), "dong") == "gần 1 tỷ đồng (đạt từ 95%: 950 triệu đồng)"


def test_a_fragment_is_shown_with_its_sentence():
    from hoptac.plans.wording import full_wordings

    p = Plan.objects.create(key="test-frag", kind="plan", issuer="UBND", title="KH")
    clause = p.clauses.create(ref="I.2")
    a = Target.objects.create(plan=p, clause=clause, code="T1", wording="Cả tỉnh có khoảng 5.412 tổ hợp tác",
                              indicator="tht_count", bound="about", value=5412, horizon=2025, sort=1)  # fmt: skip
    b = Target.objects.create(plan=p, clause=clause, code="T2", wording="với 210 nghìn thành viên",
                              indicator="tht_members", bound="at_least", value=210000, horizon=2025, sort=2)  # fmt: skip
    c = Target.objects.create(plan=p, clause=clause, code="T3", wording="248 hợp tác xã",
                              indicator="htx_count", bound="at_least", value=248, horizon=2025, sort=3)  # fmt: skip
    full = full_wordings([a, b, c])
    assert full[a.pk] == "Cả tỉnh có khoảng 5.412 tổ hợp tác"
    assert full[b.pk] == "Cả tỉnh có khoảng 5.412 tổ hợp tác với 210 nghìn thành viên"
    assert full[c.pk] == "Cả tỉnh có khoảng 5.412 tổ hợp tác với 210 nghìn thành viên, 248 hợp tác xã"
