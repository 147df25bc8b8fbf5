"""The managers' list page, its export and the API filter through one ManagerFilterSet."""

import csv
import io

import pytest
from rest_framework.test import APIClient

from hoptac.conftest import make_organisation
from hoptac.core.audit import Actor
from hoptac.training import services

pytestmark = pytest.mark.django_db


def test_page_export_and_api_answer_the_same_filter(client, province_officer, vinh_linh_htx):
    actor = Actor.command()
    director = services.add_manager(
        actor, vinh_linh_htx, {"name": "Lê Văn Tâm", "role": "director", "education": "degree"}
    )
    services.record_training(
        actor,
        director,
        {"course": "Quản trị HTX", "level": "director", "start": "2024-05-01", "end": "2024-05-03"},
    )
    second_htx = make_organisation("19363", name="HTX Nông nghiệp Vĩnh Thái 2")
    services.add_manager(
        actor, second_htx, {"name": "Trần Thị Lan", "role": "accountant", "education": "degree"}
    )
    client.force_login(province_officer)
    api = APIClient()
    api.force_authenticate(province_officer)
    for params, expected in (
        ({"trained": "yes"}, ["Lê Văn Tâm"]),
        ({"role": "accountant"}, ["Trần Thị Lan"]),
    ):
        page = client.get("/training/", params).content.decode()
        assert expected[0] in page and ({"Lê Văn Tâm", "Trần Thị Lan"} - set(expected)).pop() not in page
        body = b"".join(client.get("/training/export.csv", params).streaming_content).decode("utf-8-sig")
        assert [r[2] for r in list(csv.reader(io.StringIO(body)))[1:]] == expected
        assert [m["name"] for m in api.get("/api/v1/managers/", params).json()["results"]] == expected
    # A bad area is named, on the page and in the API (400), never all managers.
    assert "alert-danger" in client.get("/training/", {"unit": "99999"}).content.decode()
    assert api.get("/api/v1/managers/", {"unit": "99999"}).status_code == 400
