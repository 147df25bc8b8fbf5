"""`/api/v1/dissolution-cases/` and `/api/v1/mergers/`: scoped, audited, field-named errors."""

import datetime

import pytest
from rest_framework.test import APIClient

from hoptac.conftest import make_organisation

pytestmark = pytest.mark.django_db
OLD = datetime.date(2010, 1, 1)


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_a_case_through_the_api(province_officer, other_officer):
    org = make_organisation(registration_date=OLD)
    client = api(province_officer)
    payload = {"organisation": org.pk, "kind": "compulsory", "legal_basis": "2023", "deciding_body": "UBND xã",
               "opened_on": "2024-09-01"}  # fmt: skip
    created = client.post("/api/v1/dissolution-cases/", payload, format="json")
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    step = client.post(
        f"/api/v1/dissolution-cases/{pk}/steps/",
        {"kind": "notify_creditors", "date": "2024-09-10"},
        format="json",
    )
    assert step.status_code == 201 and step.json()["steps"][0]["kind"] == "notify_creditors"
    bad = client.post(
        f"/api/v1/dissolution-cases/{pk}/close/",
        {"closed_on": "2024-08-01", "decision": "1/QĐ"},
        format="json",
    )
    assert bad.status_code == 400 and "closed_on" in bad.json()
    closed = client.post(
        f"/api/v1/dissolution-cases/{pk}/close/",
        {"closed_on": "2024-12-01", "decision": "1/QĐ"},
        format="json",
    )
    assert closed.json()["closed_on"] == "2024-12-01"
    assert client.get(f"/api/v1/organisations/{org.pk}/").json()["status"] == "dissolved"
    assert api(other_officer).get(f"/api/v1/dissolution-cases/{pk}/").status_code == 404


def test_a_merger_through_the_api(province_officer, viewer):
    survivor = make_organisation(operating_scale="commune", registration_date=OLD)
    villages = [make_organisation(operating_scale="village", registration_date=OLD) for _ in range(2)]
    payload = {"survivor": survivor.pk, "merged": [v.pk for v in villages], "effective_date": "2023-09-15"}
    assert api(viewer).post("/api/v1/mergers/", payload, format="json").status_code == 403
    response = api(province_officer).post("/api/v1/mergers/", payload, format="json")
    assert response.status_code == 201, response.json()
    assert sorted(response.json()["merged"]) == sorted(v.pk for v in villages)
    again = api(province_officer).post("/api/v1/mergers/", payload, format="json")
    assert again.status_code == 400 and "merged" in again.json()
    assert api(viewer).get("/api/v1/mergers/").json()["count"] == 1
