"""OCOP products: stars agree with the score bands, certificates run 36 months."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from rest_framework.test import APIClient

from hoptac.core.audit import Actor
from hoptac.ocop import services
from hoptac.ocop.models import add_months, stars_for

pytestmark = pytest.mark.django_db


def data(org, **extra):
    return {"organisation": org, "name": "Hồ tiêu Vĩnh Linh", "group": "food", "score": 72, "stars": 4, "level": "province",
            "decision_number": "123/QĐ-UBND", "decision_date": datetime.date(2023, 5, 31), **extra}  # fmt: skip


def test_bands_and_expiry():
    assert [stars_for(s) for s in (49, 50, 69, 70, 89, 90, 100)] == [None, 3, 3, 4, 4, 5, 5]
    assert add_months(datetime.date(2023, 5, 31), 36) == datetime.date(2026, 5, 31)
    assert add_months(datetime.date(2024, 2, 29), 36) == datetime.date(2027, 2, 28)


def test_a_product_is_recorded_with_its_expiry(province_officer, vinh_linh_htx):
    product = services.record_product(Actor(user=province_officer, source="web"), data(vinh_linh_htx))
    assert product.expires_on == datetime.date(2026, 5, 31) and product.stars == 4


def test_wrong_stars_and_scope_are_refused(province_officer, other_officer, vinh_linh_htx):
    with pytest.raises(ValidationError) as exc:
        services.record_product(Actor(user=province_officer, source="web"), data(vinh_linh_htx, stars=5))
    assert "stars" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.record_product(
            Actor(user=province_officer, source="web"), data(vinh_linh_htx, score=95, stars=5)
        )
    assert "level" in exc.value.message_dict
    with pytest.raises(PermissionDenied):
        services.record_product(Actor(user=other_officer, source="web"), data(vinh_linh_htx))


def test_api_and_the_cooperatives_page(client, province_officer, vinh_linh_htx):
    api = APIClient()
    api.force_authenticate(province_officer)
    payload = {**data(vinh_linh_htx), "organisation": vinh_linh_htx.pk, "decision_date": "2023-05-31"}
    response = api.post("/api/v1/ocop/", payload, format="json")
    assert response.status_code == 201 and response.json()["expires_on"] == "2026-05-31"
    client.force_login(province_officer)
    assert "Hồ tiêu Vĩnh Linh" in client.get(f"/registry/{vinh_linh_htx.pk}/").content.decode()
