"""`/api/v1/organisations/`: CRUD with the UI's scope, roles and validation."""

import json

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from hoptac.conftest import make_organisation
from hoptac.core.models import AuditEntry
from hoptac.registry.models import Organisation, make_tax_code

pytestmark = pytest.mark.django_db


def api(user=None, token=False):
    client = APIClient()
    if user and token:
        client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    elif user:
        client.force_authenticate(user)
    return client


def new_payload(**extra):
    return {
        "kind": "htx",
        "name": "HTX Qua API",
        "tax_code": make_tax_code("32", 9001) or make_tax_code("32", 9002),
        "commune": "19363",
        **extra,
    }


def test_anonymous_gets_401():
    assert api().get("/api/v1/organisations/").status_code == 401


def test_list_is_scoped_and_shaped(vinh_linh_htx, hanoi_htx, commune_officer):
    data = api(commune_officer, token=True).get("/api/v1/organisations/").json()
    assert data["count"] == 1
    item = data["results"][0]
    assert (item["name"], item["commune"], item["former_commune"], item["province"]) == (
        vinh_linh_htx.name,
        "19363",
        "old:19363",
        "44",
    )


def test_filters_and_search_match_the_ui(admin, vinh_linh_htx, hanoi_htx):
    client = api(admin)
    assert client.get("/api/v1/organisations/", {"q": "hop tac xa vinh thai"}).json()["count"] == 1
    assert client.get("/api/v1/organisations/", {"unit": "01"}).json()["results"][0]["name"] == hanoi_htx.name
    assert client.get("/api/v1/organisations/", {"unit": "464"}).json()["count"] == 1
    response = client.get("/api/v1/organisations/", {"unit": "old:9"})
    assert response.status_code == 400 and "unit" in response.json()


def test_other_province_is_404(vinh_linh_htx, other_officer):
    assert api(other_officer).get(f"/api/v1/organisations/{vinh_linh_htx.pk}/").status_code == 404
    assert (
        api(other_officer)
        .patch(f"/api/v1/organisations/{vinh_linh_htx.pk}/", {"name": "x"}, format="json")
        .status_code
        == 404
    )


def test_create_through_the_api_is_audited(province_officer):
    response = api(province_officer).post(
        "/api/v1/organisations/", new_payload(former_commune="19363"), format="json"
    )
    assert response.status_code == 201, response.json()
    org = Organisation.objects.get(pk=response.json()["id"])
    assert org.former_commune.ref == "old:19363"
    assert AuditEntry.objects.filter(object_id=str(org.pk), source="api", action="create").exists()


def test_wrong_tax_code_is_400_naming_the_field(province_officer):
    response = api(province_officer).post(
        "/api/v1/organisations/", new_payload(tax_code="0100233489"), format="json"
    )
    assert response.status_code == 400
    assert "tax_code" in response.json()
    assert not Organisation.objects.filter(name="HTX Qua API").exists()


def test_unknown_commune_wrong_types_and_bad_json_are_400(province_officer):
    client = api(province_officer)
    response = client.post("/api/v1/organisations/", new_payload(commune="99999"), format="json")
    assert response.status_code == 400 and "commune" in response.json()
    response = client.post(
        "/api/v1/organisations/", new_payload(commune=19363, led_by_woman="perhaps"), format="json"
    )
    assert response.status_code == 400 and {"commune", "led_by_woman"} <= set(response.json())
    response = client.post("/api/v1/organisations/", data="{not json", content_type="application/json")
    assert response.status_code == 400
    assert not Organisation.objects.exists()


def test_outside_scope_create_is_400_on_commune(commune_officer):
    response = api(commune_officer).post(
        "/api/v1/organisations/", new_payload(commune="00004"), format="json"
    )
    assert response.status_code == 400 and "commune" in response.json()


def test_viewer_can_read_but_not_write(vinh_linh_htx, viewer):
    client = api(viewer)
    assert client.get(f"/api/v1/organisations/{vinh_linh_htx.pk}/").status_code == 200
    assert (
        client.patch(f"/api/v1/organisations/{vinh_linh_htx.pk}/", {"name": "x"}, format="json").status_code
        == 403
    )
    assert client.post("/api/v1/organisations/", new_payload(), format="json").status_code == 403
    assert client.delete(f"/api/v1/organisations/{vinh_linh_htx.pk}/").status_code == 403


def test_status_cannot_be_patched_but_has_its_own_action(vinh_linh_htx, province_officer):
    client = api(province_officer)
    client.patch(f"/api/v1/organisations/{vinh_linh_htx.pk}/", {"status": "dissolved"}, format="json")
    vinh_linh_htx.refresh_from_db()
    assert vinh_linh_htx.status == "active"
    response = client.post(
        f"/api/v1/organisations/{vinh_linh_htx.pk}/status/",
        {"status": "suspended", "effective_date": "2025-03-01"},
        format="json",
    )
    assert response.status_code == 200 and response.json()["status_since"] == "2025-03-01"
    response = client.post(
        f"/api/v1/organisations/{vinh_linh_htx.pk}/status/",
        {"status": "suspended", "effective_date": "01/03/2025"},
        format="json",
    )
    assert response.status_code == 400 and "effective_date" in response.json()


def test_delete(province_officer):
    org = make_organisation()
    assert api(province_officer).delete(f"/api/v1/organisations/{org.pk}/").status_code == 204
    assert not Organisation.objects.filter(pk=org.pk).exists()


def test_schema_and_docs_are_served_offline(client, admin):
    schema = client.get("/api/v1/schema/")
    assert schema.status_code == 200 and b"/api/v1/organisations/" in schema.content
    for path in (b"/api/v1/indicators/{code}/values/", b"/api/v1/tasks/", b"/api/v1/trace/capture/",
                 b"/api/v1/trace/lots/{code}/epcis/", b"/api/v1/mergers/"):  # fmt: skip
        assert path in schema.content, path  # every endpoint is described for partner systems
    client.force_login(admin)
    docs = client.get("/api/v1/docs/").content.decode()
    assert "swagger" in docs.lower() and "cdn" not in docs.lower() and "https://" not in docs


def test_api_speaks_iso_dates_and_plain_numbers(admin, vinh_linh_htx):
    org = api(admin).get(f"/api/v1/organisations/{vinh_linh_htx.pk}/").json()
    json.dumps(org)
    assert org["created_at"][:4].isdigit() and "T" in org["created_at"]
