"""A dissolution case runs from opening to the dissolved status; the backlog shows the progress."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from hoptac.conftest import make_organisation
from hoptac.core.audit import Actor
from hoptac.dissolution import services

pytestmark = pytest.mark.django_db


def test_a_compulsory_dissolution_from_opening_to_decision(client, province_officer):
    org = make_organisation(
        registration_date=datetime.date(2010, 1, 1), legal_basis="law_2012", reorganised=False
    )
    actor = Actor(user=province_officer, source="web")
    client.force_login(province_officer)
    assert org.name in client.get("/dissolution/").content.decode()
    with pytest.raises(ValidationError):
        services.open_case(actor, org, "voluntary", "2012-54-2", "UBND huyện", datetime.date(2023, 5, 1))
    case = services.open_case(
        actor, org, "compulsory", "2012-54-2", "UBND huyện Vĩnh Linh", datetime.date(2023, 5, 1)
    )
    org.refresh_from_db()
    assert org.status == "dissolving"
    services.add_step(actor, case, "Thông báo trên báo 3 số liên tiếp", datetime.date(2023, 5, 20))
    with pytest.raises(ValidationError):
        services.close_case(actor, case, datetime.date(2023, 8, 1), "")
    services.close_case(actor, case, datetime.date(2023, 8, 1), "210/QĐ-UBND")
    org.refresh_from_db()
    assert (org.status, org.status_since) == ("dissolved", datetime.date(2023, 8, 1))
    page = client.get("/dissolution/").content.decode()
    assert org.name not in page and "100,0%" in page
    assert "Thông báo trên báo" in client.get(f"/dissolution/case/{case.pk}/").content.decode()


def test_out_of_scope_officers_cannot_open_a_case(client, other_officer):
    org = make_organisation()
    client.force_login(other_officer)
    assert (
        client.post(
            f"/dissolution/open/{org.pk}/",
            {"kind": "voluntary", "legal_basis": "2023", "opened_on": "01/06/2025"},
        ).status_code
        == 404
    )
