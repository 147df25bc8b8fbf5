"""Administrative units across the 2025 reform: identity, lineage and the queries the product relies on."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hoptac.conftest import unit
from hoptac.geo.loader import load_units
from hoptac.geo.models import AdministrativeUnit, Generation, Level, UnitLineage, parse_ref

pytestmark = pytest.mark.django_db


def vinh_linh_district():
    return AdministrativeUnit.objects.get(generation="old", level="district", name="Huyện Vĩnh Linh")


def test_both_generations_are_loaded_with_their_official_counts():
    provinces = AdministrativeUnit.objects.filter(level=Level.PROVINCE)
    assert provinces.valid_on(datetime.date(2025, 6, 30)).count() == 63
    assert provinces.valid_on(datetime.date(2025, 7, 1)).count() == 34
    assert AdministrativeUnit.objects.filter(generation="new", level="commune").count() == 3321
    assert 690 <= AdministrativeUnit.objects.filter(level="district").count() <= 710
    assert 10000 <= AdministrativeUnit.objects.filter(generation="old", level="commune").count() <= 10100


def test_a_reused_code_means_different_units_in_each_generation():
    assert unit("19363").name == "Xã Vĩnh Linh"
    assert unit("old:19363").name == "Thị trấn Hồ Xá"
    assert unit("44").name.endswith("Quảng Trị")
    assert unit("old:44").name.endswith("Quảng Bình")
    assert unit("old:19363").parent == vinh_linh_district()


def test_refs_are_parsed_strictly():
    assert parse_ref("44") == (Generation.NEW, Level.PROVINCE, "44")
    assert parse_ref("old:45") == (Generation.OLD, Level.PROVINCE, "45")
    assert parse_ref(" 464 ") == (Generation.OLD, Level.DISTRICT, "464")
    for bad in ["", "abc", "1234", "old:", "4"]:
        with pytest.raises(ValueError):
            parse_ref(bad)


def test_descendants_of_a_former_district_is_one_query():
    district = vinh_linh_district()
    with CaptureQueriesContext(connection) as ctx:
        communes = list(AdministrativeUnit.objects.descendants_of(district, level=Level.COMMUNE))
    assert len(ctx.captured_queries) == 1
    assert unit("old:19363") in communes
    assert all(c.parent_id == district.pk for c in communes)
    assert len(communes) >= 15


def test_descendants_of_a_current_province_are_its_communes():
    communes = AdministrativeUnit.objects.descendants_of(unit("44"), level=Level.COMMUNE)
    assert unit("19363") in communes
    assert unit("00004") not in communes  # Phường Ba Đình, Hà Nội


def test_a_former_district_is_covered_by_todays_communes_and_back():
    district = vinh_linh_district()
    with CaptureQueriesContext(connection) as ctx:
        covering = list(AdministrativeUnit.objects.current_communes_covering(district))
    assert len(ctx.captured_queries) == 1
    assert unit("19363") in covering
    assert all(c.generation == Generation.NEW and c.province == unit("44") for c in covering)
    former = AdministrativeUnit.objects.former_units_covered_by(unit("19363"), Level.DISTRICT)
    assert list(former) == [district]


def test_partial_merges_are_flagged():
    partial = UnitLineage.objects.filter(is_partial=True, old__level="commune")
    assert partial.count() > 400
    split = partial.first().old
    assert split.successor_links.count() >= 1


def test_special_zones_are_linked_to_their_former_districts():
    con_co = AdministrativeUnit.objects.get(generation="new", name="Đặc khu Cồn Cỏ")
    predecessors = list(con_co.predecessors.all())
    assert [p.level for p in predecessors] == ["district"]
    assert "Cồn Cỏ" in predecessors[0].name


def test_old_province_lineage_follows_the_merger():
    assert set(unit("44").predecessors.values_list("code", flat=True)) == {
        "44",
        "45",
    }  # Quảng Bình + Quảng Trị
    assert unit("68") in unit("old:60").successors.all()  # Bình Thuận went into Lâm Đồng


def test_loading_again_changes_nothing_and_keeps_ids():
    before = dict(AdministrativeUnit.objects.values_list("pk", "name"))
    result = load_units()
    assert result.created == 0 and result.lineage_created == 0 and result.lineage_deleted == 0
    assert dict(AdministrativeUnit.objects.values_list("pk", "name")) == before


def test_accent_insensitive_unit_search():
    assert unit("19363") in AdministrativeUnit.objects.current().search("vinh linh")
