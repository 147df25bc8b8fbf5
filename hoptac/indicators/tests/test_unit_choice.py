"""The indicator pages choose their unit with the picker, by name or code."""

import pytest

pytestmark = pytest.mark.django_db


def test_the_library_opens_a_units_dashboard_from_a_typed_name(client, province_officer):
    client.force_login(province_officer)
    page = client.get("/indicators/").content.decode()
    assert "data-unit-picker" in page
    response = client.get("/indicators/unit/", {"unit": "Huyện Vĩnh Linh", "year": "2024"})
    assert response.status_code == 302 and response["Location"] == "/indicators/unit/464/?year=2024"


def test_an_indicator_page_takes_its_unit_from_the_picker(client, province_officer):
    client.force_login(province_officer)
    page = client.get("/indicators/htx_count/", {"unit": "464", "year": "2024"}).content.decode()
    assert "Huyện Vĩnh Linh (cũ, đến 30/06/2025) — Quảng Trị" in page


def test_a_unit_outside_the_area_is_refused(client, province_officer):
    client.force_login(province_officer)
    assert client.get("/indicators/unit/", {"unit": "01"}).status_code == 403
