"""The links register is the single source of "cooperatives linked with enterprises"."""

import datetime

import pytest
from rest_framework.test import APIClient

from hoptac.conftest import make_organisation, unit
from hoptac.core.audit import Actor, history
from hoptac.indicators.library import INDICATORS
from hoptac.links import services
from hoptac.links.models import Link
from hoptac.registry.models import make_tax_code

pytestmark = pytest.mark.django_db
ENTERPRISE = make_tax_code("01", 123) or make_tax_code("01", 124)


def link_data(org, **extra):
    return {"organisation": org, "enterprise_name": "Công ty TNHH Nông sản Việt", "enterprise_tax_code": ENTERPRISE,
            "product": "Hồ tiêu", "start_date": datetime.date(2024, 3, 1), **extra}  # fmt: skip


def test_the_linked_share_changes_when_a_link_is_added_and_when_it_ends(province_officer):
    farms = [
        make_organisation("19363", sector="agriculture", registration_date=datetime.date(2015, 1, 1))
        for _ in range(4)
    ]
    share = INDICATORS["share_agri_htx_linked"]
    assert share.measure(unit("464"), 2024).value == 0
    actor = Actor(user=province_officer, source="web")
    link = services.create_link(actor, link_data(farms[0]))
    assert share.measure(unit("464"), 2024).value == 25.0
    services.end_link(actor, link, datetime.date(2024, 12, 31))
    assert share.measure(unit("464"), 2024).value == 25.0  # in force during 2024
    assert share.measure(unit("464"), 2025).value == 0  # ended
    assert history(link).first().action == "update"


def test_a_wrong_enterprise_tax_code_is_refused(province_officer, vinh_linh_htx):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as exc:
        services.create_link(
            Actor(user=province_officer, source="web"),
            link_data(vinh_linh_htx, enterprise_tax_code="0100233489"),
        )
    assert "enterprise_tax_code" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.create_link(
            Actor(user=province_officer, source="web"),
            link_data(vinh_linh_htx, end_date=datetime.date(2020, 1, 1)),
        )
    assert "end_date" in exc.value.message_dict
    assert not Link.objects.exists()


def test_scope_and_roles(other_officer, viewer, vinh_linh_htx, province_officer):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.create_link(Actor(user=other_officer, source="web"), link_data(vinh_linh_htx))
    with pytest.raises(PermissionDenied):
        services.create_link(Actor(user=viewer, source="web"), link_data(vinh_linh_htx))
    services.create_link(Actor(user=province_officer, source="web"), link_data(vinh_linh_htx))
    client = APIClient()
    client.force_authenticate(other_officer)
    assert client.get("/api/v1/links/").json()["count"] == 0


def test_api_and_pages(client, province_officer, vinh_linh_htx):
    api = APIClient()
    api.force_authenticate(province_officer)
    response = api.post("/api/v1/links/", {"organisation": vinh_linh_htx.pk, "enterprise_name": "Công ty A", "enterprise_tax_code": ENTERPRISE,
                                            "product": "Lúa", "start_date": "2025-01-01"}, format="json")  # fmt: skip
    assert response.status_code == 201, response.json()
    assert api.get("/api/v1/links/", {"year": 2024}).json()["count"] == 0
    assert api.get("/api/v1/links/", {"year": 2025}).json()["count"] == 1
    client.force_login(province_officer)
    page = client.get(f"/registry/{vinh_linh_htx.pk}/").content.decode()
    assert "Công ty A" in page
    created = client.post(
        f"/links/new/{vinh_linh_htx.pk}/",
        {
            "enterprise_name": "Công ty B",
            "enterprise_tax_code": "123",
            "product": "Rau",
            "start_date": "01/07/2025",
        },
    )
    assert created.status_code == 400 and "enterprise_tax_code" in created.context["form"].errors
    link = Link.objects.get()
    client.post(f"/links/{link.pk}/end/", {"end_date": "31/12/2025"})
    link.refresh_from_db()
    assert link.end_date == datetime.date(2025, 12, 31)
    assert client.get("/links/", {"export": "xlsx"}).status_code == 200
