"""`/api/v1/units/`: the unit API answers by date, level, parent and name."""

import pytest

pytestmark = pytest.mark.django_db


def test_provinces_on_a_date(client):
    before = client.get("/api/v1/units/", {"level": "province", "on": "2025-06-30"}).json()
    after = client.get("/api/v1/units/", {"level": "province", "on": "2025-07-01"}).json()
    assert before["count"] == 63 and len(before["results"]) == 63
    assert after["count"] == 34
    assert {"ref": "44", "name": "Tỉnh Quảng Trị"}.items() <= next(
        u for u in after["results"] if u["code"] == "44"
    ).items()
    assert next(u for u in before["results"] if u["code"] == "44")["ref"] == "old:44"


def test_children_of_a_former_district_by_its_code(client):
    data = client.get("/api/v1/units/", {"parent": "464", "page_size": 500}).json()
    refs = {u["ref"] for u in data["results"]}
    assert "old:19363" in refs
    assert all(u["generation"] == "old" and u["level"] == "commune" for u in data["results"])


def test_accent_insensitive_search(client):
    data = client.get("/api/v1/units/", {"q": "vinh linh", "generation": "new"}).json()
    assert "19363" in {u["ref"] for u in data["results"]}


def test_detail_shows_the_lineage(client):
    data = client.get("/api/v1/units/old:19363/").json()
    assert data["name"] == "Thị trấn Hồ Xá"
    assert {"ref": "19363", "name": "Xã Vĩnh Linh"}.items() <= data["successors"][0].items()
    new = client.get("/api/v1/units/19363/").json()
    assert "old:19363" in {p["ref"] for p in new["predecessors"]}


def test_unknown_unit_is_404_and_bad_filters_are_400(client):
    assert client.get("/api/v1/units/99999/").status_code == 404
    response = client.get("/api/v1/units/", {"parent": "12ab"})
    assert response.status_code == 400
    assert "parent" in response.json()
    assert client.get("/api/v1/units/", {"on": "30/06/2025x"}).status_code == 400
