"""Bodies that ceased and their successors: an administrator records them (dated, with the act,
audited); the accounts of the ceased body are then told where to move."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from hoptac.accounts import services
from hoptac.accounts.models import Agency, AgencySuccession
from hoptac.accounts.structure import ended_agency_notice
from hoptac.conftest import unit
from hoptac.core.audit import Actor
from hoptac.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_the_list_shows_a_ceased_district_body_without_successor(client, viewer, lead_agency):
    client.force_login(viewer)
    response = client.get("/agencies/", {"missing": "1"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Phòng Kinh tế và Hạ tầng huyện Vĩnh Linh" in page and "30/06/2025" in page
    assert client.get("/agencies/", {"q": "Hạ tầng"}).status_code == 200
    assert client.get("/agencies/", {"q": "a\x00b"}).status_code == 400


def test_an_administrator_records_the_communes_economic_offices_as_successors(
    client, admin, lead_agency_officer, lead_agency
):
    client.force_login(admin)
    page = client.get(f"/agencies/{lead_agency.pk}/").content.decode()
    assert "19363|Phòng Kinh tế" in page  # the offices of the communes covering the former district
    response = client.post(
        f"/agencies/{lead_agency.pk}/",
        {
            "successors": ["19363|Phòng Kinh tế", "44|Sở Tài chính"],
            "since": "01/07/2025",
            "act": "NĐ 150/2025/NĐ-CP",
        },
        follow=True,
    )
    assert response.status_code == 200
    successors = AgencySuccession.objects.filter(predecessor=lead_agency).select_related("successor__unit")
    assert {(s.successor.name, s.successor.unit.code) for s in successors} == {
        ("Phòng Kinh tế", "19363"), ("Sở Tài chính", "44"),
    }  # fmt: skip
    assert all(s.date == datetime.date(2025, 7, 1) and s.act == "NĐ 150/2025/NĐ-CP" for s in successors)
    assert AuditEntry.objects.filter(content_type__model="agency", object_id=str(lead_agency.pk)).exists()
    notice = ended_agency_notice(lead_agency_officer, datetime.date(2026, 1, 1))
    assert "Phòng Kinh tế xã Vĩnh Linh" in notice
    page = client.get(f"/agencies/{lead_agency.pk}/").content.decode()
    assert "NĐ 150/2025/NĐ-CP" in page


def test_only_an_administrator_records_successors(client, province_officer, lead_agency):
    client.force_login(province_officer)
    assert 'name="successors"' not in client.get(f"/agencies/{lead_agency.pk}/").content.decode()
    response = client.post(
        f"/agencies/{lead_agency.pk}/", {"successors": ["44|Sở Tài chính"], "since": "01/07/2025"}
    )
    assert response.status_code == 403
    with pytest.raises(PermissionDenied):
        services.record_succession(Actor(province_officer, "web"), lead_agency, [], datetime.date(2025, 7, 1))
    assert client.get("/agencies/999999/").status_code == 404


def test_a_successor_must_exist_then_and_not_repeat(lead_agency):
    actor = Actor.command()
    other_district_body = Agency.objects.create(unit=unit("464"), name="Phòng Nông nghiệp và PTNT")
    with pytest.raises(ValidationError) as exc:  # a body that had itself ceased
        services.record_succession(actor, lead_agency, [other_district_body], datetime.date(2025, 7, 1))
    assert "successors" in exc.value.message_dict
    with pytest.raises(ValidationError):  # before the body ceased
        services.record_succession(actor, lead_agency, [other_district_body], datetime.date(2025, 6, 1))
    with pytest.raises(ValidationError):
        services.record_succession(actor, lead_agency, [], None)
    open_body = Agency.objects.create(unit=unit("44"), name="Ban Thử nghiệm")
    successor = Agency.objects.create(unit=unit("44"), name="Ban Kế thừa")
    services.record_succession(actor, open_body, [successor], datetime.date(2026, 1, 1), "QĐ 1/2026")
    open_body.refresh_from_db()
    assert open_body.valid_to == datetime.date(2025, 12, 31)  # closed the day before
