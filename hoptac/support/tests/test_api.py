"""`/api/v1/support/`: integer đồng, ISO dates, policy by code, scoped, summaries."""

import pytest
from rest_framework.test import APIClient

from hoptac.core.audit import Actor
from hoptac.support import services
from hoptac.support.tests.helpers import support_data

pytestmark = pytest.mark.django_db


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_create_update_and_summary(province_officer, vinh_linh_htx):
    client = api(province_officer)
    created = client.post("/api/v1/support/", {"organisation": vinh_linh_htx.pk, "policy": "trade-promotion", "date": "2024-05-02",
                                               "amount": 45000000, "source": "ntp"}, format="json")  # fmt: skip
    assert created.status_code == 201, created.json()
    assert created.json()["amount"] == 45000000 and created.json()["policy"] == "trade-promotion"
    pk = created.json()["id"]
    bad = client.patch(f"/api/v1/support/{pk}/", {"amount": None}, format="json")
    assert bad.status_code == 400 and "amount" in bad.json()
    summary = client.get("/api/v1/support/summary/", {"by": "source", "year": 2024}).json()
    assert summary["results"] == [{"key": "ntp", "n": 1, "money": 45000000, "in_kind": 0, "total": 45000000}]
    assert client.get("/api/v1/support/summary/", {"by": "colour"}).status_code == 400


def test_scope_and_roles(other_officer, viewer, vinh_linh_htx):
    support = services.record_support(Actor.command(), support_data(vinh_linh_htx))
    assert api(other_officer).get("/api/v1/support/").json()["count"] == 0
    assert api(other_officer).get(f"/api/v1/support/{support.pk}/").status_code == 404
    assert api(viewer).get("/api/v1/support/", {"year": 2023}).json()["count"] == 1
    assert api(viewer).delete(f"/api/v1/support/{support.pk}/").status_code == 403
