"""Strict input (issue 14, h14b) meets versions (h14a): a GET body sent back keeps working, a 412 keeps its shape."""

import pytest
from rest_framework.test import APIClient

from hoptac.core.audit import Actor
from hoptac.registry import services as registry_services

pytestmark = pytest.mark.django_db


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_a_stale_version_in_the_body_is_a_412_with_the_current_record(province_officer, vinh_linh_htx):
    client = api(province_officer)
    url = f"/api/v1/organisations/{vinh_linh_htx.pk}/"
    document = client.get(url).json()
    registry_services.update_organisation(Actor.command(), vinh_linh_htx, {"phone": "0233 1"})
    response = client.put(url, {**document, "phone": "0233 2"}, format="json")
    assert response.status_code == 412
    body = response.json()
    assert body["code"] == body["error"] == "stale_version" and body["current"]["phone"] == "0233 1"
    vinh_linh_htx.refresh_from_db()
    assert vinh_linh_htx.phone == "0233 1"


def test_a_version_that_is_no_number_is_named(province_officer, vinh_linh_htx):
    client = api(province_officer)
    url = f"/api/v1/organisations/{vinh_linh_htx.pk}/"
    response = client.patch(url, {"version": "x", "phone": "0233 2"}, format="json")
    assert response.status_code == 400
    assert "If-Match" in response.json()["version"][0]


def test_a_stale_if_match_is_412_with_the_current_record(province_officer, vinh_linh_htx):
    client = api(province_officer)
    url = f"/api/v1/organisations/{vinh_linh_htx.pk}/"
    response = client.get(url)
    document, tag = response.json(), response["ETag"]
    registry_services.update_organisation(Actor.command(), vinh_linh_htx, {"phone": "0233 1"})
    document.pop("version")
    response = client.put(url, {**document, "phone": "0233 2"}, format="json", HTTP_IF_MATCH=tag)
    assert response.status_code == 412
    body = response.json()
    assert body["code"] == body["error"] == "stale_version"
    assert body["current"]["phone"] == "0233 1" and body["current_version"] == body["current"]["version"]


def test_figures_sent_back_with_their_version_are_accepted(cooperative_user):
    client = api(cooperative_user)
    url = f"/api/v1/organisations/{cooperative_user.organisation_id}/figures/2024/"
    created = client.put(url, {"members_official": 10}, format="json")
    assert created.status_code == 200, created.json()
    again = client.put(url, {"members_official": 12, "version": created.json()["version"]}, format="json")
    assert again.status_code == 200, again.json()
    assert again.json()["members_official"] == 12
