"""A plan's province map: the 34 provinces coloured by a target's progress."""

import datetime

import pytest

from hoptac.conftest import make_organisation, unit
from hoptac.plans import progress
from hoptac.plans.models import Plan, Target

pytestmark = pytest.mark.django_db


def _plan(scope=None, key="test-map"):
    plan = Plan.objects.create(key=key, kind="plan", issuer="UBND", number="1/KH", date=datetime.date(2023, 2, 1),
                               title="Kế hoạch thử", scope_unit=unit(scope) if scope else None)  # fmt: skip
    Target.objects.create(plan=plan, code="T1", wording="Có ít nhất 2 HTX", indicator="htx_count",
                          bound="at_least", value=2, horizon=2025)  # fmt: skip
    Target.objects.create(plan=plan, code="T9", wording="Phát triển bền vững", indicator="", bound="qualitative",
                          horizon=2025)  # fmt: skip
    return plan


@pytest.fixture
def cooperatives():
    reg = datetime.date(2020, 3, 1)
    for _ in range(2):
        make_organisation("19363", former_commune="old:19363", registration_date=reg)  # Quảng Trị
    make_organisation("00004", registration_date=reg)  # Hà Nội: one


def test_a_plan_naming_no_unit_judges_each_province_against_the_target(client, admin, cooperatives):
    plan = _plan()
    client.force_login(admin)
    data = client.get(f"/plans/{plan.pk}/map.json", {"year": 2024}).json()
    regions = {r["code"]: r for r in data["regions"]}
    assert len(regions) == 34 and data["mode"] == "status"
    assert regions["44"]["status"] == progress.Status.ACHIEVED and regions["44"]["value"] == 2
    assert (
        regions["01"]["status"] == progress.Status.OFF_TRACK and regions["01"]["value"] == 1
    )  # no growth since 2022
    for code in ("44", "01"):
        own = progress.target_progress(plan.targets.get(code="T1"), unit(code), 2024)
        assert (regions[code]["status"], regions[code]["status_text"]) == (own.status, own.status_label)
    assert regions["44"]["url"] == f"/plans/{plan.pk}/?unit=44&year=2024&target=T1"
    assert {item["status"] for item in data["legend"]} >= {"achieved", "off_track", "insufficient_data"}


def test_a_former_provinces_plan_colours_todays_provinces_covering_it(client, admin, cooperatives):
    plan = _plan("old:45")  # the former Quảng Trị, today inside Tỉnh Quảng Trị (44)
    client.force_login(admin)
    regions = {
        r["code"]: r for r in client.get(f"/plans/{plan.pk}/map.json", {"year": 2024}).json()["regions"]
    }
    assert regions["44"]["state"] == "status" and regions["44"]["highlight"]
    assert (
        regions["44"]["status"]
        == progress.target_progress(plan.targets.get(code="T1"), unit("old:45"), 2024).status
    )
    assert {code for code, r in regions.items() if r["state"] == "outside"} == set(regions) - {"44"}


def test_the_plan_page_carries_the_map_and_the_endpoint_refuses_what_it_cannot_draw(
    client, admin, other_officer
):
    plan = _plan("old:45")
    client.force_login(admin)
    page = client.get(f"/plans/{plan.pk}/", {"year": 2024}).content.decode()
    assert f'data-url="/plans/{plan.pk}/map.json?year=2024&amp;unit=old%3A45"' in page
    assert (
        '<option value="T1"' in page and '<option value="T9"' not in page
    )  # a qualitative target has no map
    assert client.get(f"/plans/{plan.pk}/map.json", {"target": "T9"}).status_code == 404
    assert client.get(f"/plans/{plan.pk}/map.json", {"year": "x"}).status_code == 400
    client.force_login(other_officer)  # Hà Nội's officer measures no unit of Quảng Trị
    assert client.get(f"/plans/{plan.pk}/map.json").status_code in (403, 404)
