"""`/api/v1/ocop/`: ISO dates, computed status, scope and roles."""

import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from hoptac.core.audit import Actor
from hoptac.ocop import services
from hoptac.ocop.models import add_months
from hoptac.ocop.tests.helpers import product_data

pytestmark = pytest.mark.django_db


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_create_derives_stars_and_gives_expiry_and_status(province_officer, vinh_linh_htx):
    decided = timezone.localdate() - datetime.timedelta(days=30)
    payload = {"organisation": vinh_linh_htx.pk, "name": "Nước mắm", "group": "food", "score": 91,
               "decision_number": "9/QĐ-BNN", "decision_date": decided.isoformat()}  # fmt: skip
    response = api(province_officer).post("/api/v1/ocop/", payload, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["stars"], body["level"], body["expires_on"], body["status"]) == (
        5,
        "central",
        add_months(decided, 36).isoformat(),
        "active",
    )
    bad = api(province_officer).post("/api/v1/ocop/", {**payload, "stars": 4}, format="json")
    assert bad.status_code == 400 and "stars" in bad.json()


def test_scope_and_roles(other_officer, viewer, vinh_linh_htx):
    product = services.record_product(Actor.command(), product_data(vinh_linh_htx))
    assert api(other_officer).get("/api/v1/ocop/").json()["count"] == 0
    assert api(viewer).get("/api/v1/ocop/", {"status": "active"}).json()["count"] in (0, 1)
    assert api(viewer).patch(f"/api/v1/ocop/{product.pk}/", {"score": 80}, format="json").status_code == 403
    assert api(other_officer).delete(f"/api/v1/ocop/{product.pk}/").status_code == 404
