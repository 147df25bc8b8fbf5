"""The unit picker: a few letters of a name, in either generation, show which unit is which."""

import pytest

from hoptac.conftest import unit
from hoptac.geo.fields import UnitRefField
from hoptac.geo.picker import label
from hoptac.geo.widgets import render_picker

pytestmark = pytest.mark.django_db


def test_a_former_district_is_labelled_with_its_period_and_province():
    assert label(unit("464")) == "Huyện Vĩnh Linh (cũ, đến 30/06/2025) — Quảng Trị"
    assert label(unit("19363")) == "Xã Vĩnh Linh — Quảng Trị"


def test_letters_without_accents_find_both_generations(client):
    results = client.get("/units/pick/", {"q": "vinh linh"}).json()["results"]
    refs = [r["ref"] for r in results]
    assert "19363" in refs and "464" in refs
    assert refs.index("19363") < refs.index("464")  # today's unit before the former one
    district = next(r for r in results if r["ref"] == "464")
    assert district["level_label"] == "Cấp huyện" or district["level_label"]
    assert district["period"].startswith("cũ")


def test_levels_and_area_narrow_the_choice(client):
    results = client.get("/units/pick/", {"q": "vinh", "levels": "district", "within": "44"}).json()[
        "results"
    ]
    assert results and all(r["level"] == "district" for r in results)
    assert "464" in [r["ref"] for r in results]
    elsewhere = client.get("/units/pick/", {"q": "vinh linh", "within": "01"}).json()["results"]
    assert "464" not in [r["ref"] for r in elsewhere]


def test_a_code_is_described(client):
    assert (
        client.get("/units/pick/", {"ref": "old:45"})
        .json()["results"][0]["label"]
        .startswith("Tỉnh Quảng Trị (cũ")
    )
    assert client.get("/units/pick/", {"ref": "99999"}).json() == {"results": []}
    assert client.get("/units/pick/", {"q": "vinh", "within": "abc"}).status_code == 400


def test_a_typed_name_that_names_one_unit_is_accepted():
    field = UnitRefField(levels=["district"])
    assert field.clean("Huyện Vĩnh Linh").ref == "464"
    assert field.clean("464").ref == "464"
    with pytest.raises(Exception, match="464"):
        UnitRefField().clean("vinh linh")  # a commune and a district: the message lists both codes


def test_the_widget_keeps_the_code_visible_with_the_label():
    html = render_picker("unit", "464")
    assert 'value="464"' in html and "Huyện Vĩnh Linh (cũ, đến 30/06/2025) — Quảng Trị" in html
    assert "unit-picker.js" in html and "<script>" not in html


def test_offices_abbreviations_of_unit_types_are_understood(client):
    results = client.get("/units/pick/", {"q": "TX Quảng Trị"}).json()["results"]
    assert results and results[0]["name"] == "Thị xã Quảng Trị"
