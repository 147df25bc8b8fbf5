"""A dashboard's child units are those of the hierarchy on 31/12 of its year, named as then
(Đồng Nai: Xã Long Thành in 2025, Phường Long Thành in 2026; the country: 63 provinces in 2024)."""

import datetime

import pytest
from rest_framework.test import APIClient

from hoptac.conftest import make_organisation, unit
from hoptac.geo.models import AdministrativeUnit
from hoptac.indicators.engine import UnitIndex
from hoptac.indicators.library import INDICATORS

pytestmark = pytest.mark.django_db


def test_the_children_of_dong_nai_are_named_as_on_the_years_last_day():
    dong_nai = unit("75")
    before = {c.code: c for c in UnitIndex(on=datetime.date(2025, 12, 31)).children(dong_nai)}
    after = {c.code: c for c in UnitIndex(on=datetime.date(2026, 12, 31)).children(dong_nai)}
    assert before["26368"].name == "Xã Long Thành" and before["26368"].unit_type != after["26368"].unit_type
    assert after["26368"].name == "Phường Long Thành"
    assert set(before) == set(after)  # codes unchanged: the same communes


def test_the_country_in_2024_is_the_63_former_provinces_and_in_2025_the_34():
    in_2024 = UnitIndex(on=datetime.date(2024, 12, 31)).children(None)
    in_2025 = UnitIndex(on=datetime.date(2025, 12, 31)).children(None)
    assert len(in_2024) == 63 and all(not p.is_current for p in in_2024)
    assert len(in_2025) == 34 and all(p.is_current for p in in_2025)


def test_a_former_district_in_2024_lists_its_communes_of_that_day():
    vinh_linh = AdministrativeUnit.objects.get(generation="old", level="district", name="Huyện Vĩnh Linh")
    children = UnitIndex(on=datetime.date(2024, 12, 31)).children(vinh_linh)
    assert children and all(c.level == "commune" and not c.is_current for c in children)
    assert {c.pk for c in children} == set(vinh_linh.children.values_list("pk", flat=True))


def test_the_api_breakdown_of_2025_measures_the_communes_named_as_then(admin):
    make_organisation("26368", name="HTX Long Thành")
    client = APIClient()
    client.force_authenticate(admin)
    for year, name in ((2025, "Xã Long Thành"), (2026, "Phường Long Thành")):
        data = client.get(
            "/api/v1/indicators/htx_count/values/", {"unit": "75", "year": year, "breakdown": "children"}
        ).json()
        row = next(c for c in data["children"] if c["unit"] == "26368")
        assert row["name"] == name and row["value"] == 1


def test_measured_children_of_2024_add_up_to_the_countrys_value():
    make_organisation("19363", former_commune="old:19363", registration_date=datetime.date(2020, 1, 1))
    measured = INDICATORS["htx_count"].measure_children(None, 2024)
    quang_tri_before = next(m for c, m in measured if c.name == "Tỉnh Quảng Trị")
    assert quang_tri_before.value == 1
    assert sum(m.value or 0 for _c, m in measured) == INDICATORS["htx_count"].measure(None, 2024).value


def test_the_unit_page_of_a_dated_ref_lists_the_units_within_of_that_day(client, admin):
    client.force_login(admin)
    response = client.get("/units/75@2026-01-01/")
    names = {c.code: c.name for c in response.context["children"]}
    assert names["26368"] == "Xã Long Thành" and "Xã Long Thành" in response.content.decode()
    later = client.get("/units/75@2026-05-01/")
    assert {c.code: c.name for c in later.context["children"]}["26368"] == "Phường Long Thành"
