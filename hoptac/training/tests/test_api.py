"""`/api/v1/managers/` and `/api/v1/trainings/`: scoped, written through the services."""

import pytest
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_managers_and_trainings_through_the_api(province_officer, other_officer, viewer, vinh_linh_htx):
    client = api(province_officer)
    created = client.post("/api/v1/managers/", {"organisation": vinh_linh_htx.pk, "name": "Lê Văn Tâm", "role": "director",
                                                "education": "degree", "birth_year": 1990}, format="json")  # fmt: skip
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    bad = client.post("/api/v1/trainings/", {"manager": pk, "course": "Sơ cấp", "level": "director",
                                            "start": "2024-03-01", "end": "2024-01-01"}, format="json")  # fmt: skip
    assert bad.status_code == 400 and "end" in bad.json()
    assert (
        client.post(
            "/api/v1/trainings/",
            {"manager": pk, "course": "Sơ cấp", "level": "director", "start": "2024-03-01"},
            format="json",
        ).status_code
        == 201
    )
    assert client.get(f"/api/v1/managers/{pk}/").json()["trainings"][0]["start"] == "2024-03-01"
    assert api(other_officer).get("/api/v1/managers/").json()["count"] == 0
    assert (
        api(viewer).patch(f"/api/v1/managers/{pk}/", {"education": "none"}, format="json").status_code == 403
    )
