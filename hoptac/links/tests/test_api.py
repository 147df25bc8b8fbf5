"""`/api/v1/links/`: scoped lists, writes through the services, the share endpoint."""

import pytest
from rest_framework.test import APIClient

from hoptac.conftest import make_organisation
from hoptac.core.audit import Actor
from hoptac.links import services
from hoptac.links.tests.helpers import ENTERPRISE, link_data

pytestmark = pytest.mark.django_db


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_create_list_by_year_and_update(province_officer, vinh_linh_htx):
    client = api(province_officer)
    response = client.post("/api/v1/links/", {"organisation": vinh_linh_htx.pk, "enterprise_name": "Công ty A",
                                              "enterprise_tax_code": ENTERPRISE, "product": "Lúa", "start_date": "2025-01-01",
                                              "value": 120000000}, format="json")  # fmt: skip
    assert response.status_code == 201, response.json()
    assert response.json()["value"] == 120000000 and response.json()["start_date"] == "2025-01-01"
    assert client.get("/api/v1/links/", {"year": 2024}).json()["count"] == 0
    assert client.get("/api/v1/links/", {"year": 2025}).json()["count"] == 1
    pk = response.json()["id"]
    bad = client.patch(f"/api/v1/links/{pk}/", {"end_date": "2020-01-01"}, format="json")
    assert bad.status_code == 400 and "end_date" in bad.json()
    assert client.patch(f"/api/v1/links/{pk}/", {"end_date": "2025-12-31"}, format="json").status_code == 200


def test_scope_and_roles(other_officer, viewer, vinh_linh_htx):
    link = services.create_link(Actor.command(), link_data(vinh_linh_htx))
    assert api(other_officer).get("/api/v1/links/").json()["count"] == 0
    assert api(other_officer).get(f"/api/v1/links/{link.pk}/").status_code == 404
    assert api(viewer).get("/api/v1/links/").json()["count"] == 1
    assert api(viewer).delete(f"/api/v1/links/{link.pk}/").status_code == 403
    outside = api(other_officer).post("/api/v1/links/", {"organisation": vinh_linh_htx.pk, "enterprise_name": "X",
                                      "enterprise_tax_code": ENTERPRISE, "product": "Lúa", "start_date": "2025-01-01"}, format="json")  # fmt: skip
    assert outside.status_code == 400 and "organisation" in outside.json()


def test_the_share_endpoint(province_officer, other_officer):
    farm = make_organisation("19363", sector="agriculture")
    make_organisation("19363", sector="agriculture")
    services.create_link(Actor.command(), link_data(farm))
    body = api(province_officer).get("/api/v1/links/share/", {"year": 2024, "unit": "464"}).json()
    assert body == {"unit": "464", "year": 2024, "numerator": 1, "denominator": 2, "share": 50.0}
    assert api(province_officer).get("/api/v1/links/share/").status_code == 400
    assert api(other_officer).get("/api/v1/links/share/", {"year": 2024, "unit": "464"}).status_code == 404
