"""The page of a reporting duty: its ceased body and the request for a successor, the province
officer recording the current carriers (history kept), others refused."""

import datetime

import pytest

from hoptac.plans.loader import load_plans
from hoptac.plans.models import Plan
from hoptac.reporting.models import CarrierRole, DutyCarrier

pytestmark = pytest.mark.django_db


@pytest.fixture
def obligation():
    load_plans()
    return Plan.objects.get(key="vinhlinh-cv-2023").obligations.first()


def test_the_duty_shows_its_ceased_body_and_the_province_records_the_communes_office(
    client, province_officer, obligation
):
    client.force_login(province_officer)
    page = client.get(f"/reporting/obligations/{obligation.pk}/").content.decode()
    assert "alert-warning" in page and "huyện Vĩnh Linh" in page  # the district body ceased, asks for one
    assert "19363|Phòng Kinh tế" in page
    response = client.post(
        f"/reporting/obligations/{obligation.pk}/",
        {
            "role": "reporter",
            "bodies": ["19363|Phòng Kinh tế"],
            "since": "01/07/2025",
            "note": "QĐ phân công",
        },
        follow=True,
    )
    assert response.status_code == 200
    carrier = DutyCarrier.objects.get(obligation=obligation, role=CarrierRole.REPORTER)
    assert carrier.agency.name == "Phòng Kinh tế" and carrier.since == datetime.date(2025, 7, 1)
    page = response.content.decode()
    assert "Phòng Kinh tế xã Vĩnh Linh" in page and "trước đây" in page  # the former body kept as history
    plan_page = client.get(obligation.plan.get_absolute_url()).content.decode()
    assert f"/reporting/obligations/{obligation.pk}/" in plan_page


def test_others_read_it_but_do_not_record(client, commune_officer, other_officer, obligation):
    client.force_login(commune_officer)
    page = client.get(f"/reporting/obligations/{obligation.pk}/").content.decode()
    assert 'name="bodies"' not in page
    assert client.post(f"/reporting/obligations/{obligation.pk}/", {"since": "01/07/2025"}).status_code == 403
    assert client.put(f"/reporting/obligations/{obligation.pk}/").status_code == 405
    client.force_login(other_officer)  # Hà Nội reads Quảng Trị's district plan? no: 404
    assert client.get(f"/reporting/obligations/{obligation.pk}/").status_code == 404
