"""Units as dated versions: the 30/04/2026 Đồng Nai change and change sets written by hand."""

import datetime

import pytest
from django.core.management import CommandError, call_command

from hoptac.conftest import unit
from hoptac.geo import changes
from hoptac.geo.loader import load_units
from hoptac.geo.models import AdministrativeUnit, LegalAct, Level, UnitLineage, UnitVersion

pytestmark = pytest.mark.django_db

BEFORE, AFTER = datetime.date(2026, 1, 1), datetime.date(2026, 5, 1)


def test_dong_nai_is_a_province_until_29_april_2026_and_a_city_from_30_april(client):
    before = client.get("/api/v1/units/75/", {"on": "2026-01-01"}).json()
    after = client.get("/api/v1/units/75/", {"on": "2026-05-01"}).json()
    assert (before["name"], before["unit_type"]) == ("Tỉnh Đồng Nai", "tinh")
    assert (after["name"], after["unit_type"]) == ("Thành phố Đồng Nai", "thanh_pho_tw")
    assert [(v["valid_from"], v["valid_to"], v["act"]) for v in after["versions"]] == [
        ("2025-07-01", "2026-04-29", None),
        ("2026-04-30", None, "30/2026/QH16"),
    ]
    # the same answer through a dated ref, and today's name without a date
    assert client.get("/api/v1/units/75@2026-01-01/").json()["name"] == "Tỉnh Đồng Nai"
    assert client.get("/api/v1/units/75/").json()["name"] == "Thành phố Đồng Nai"


def test_long_thanh_is_a_commune_then_a_ward(client):
    assert client.get("/api/v1/units/26368/", {"on": "2026-01-01"}).json()["name"] == "Xã Long Thành"
    data = client.get("/api/v1/units/26368/", {"on": "2026-05-01"}).json()
    assert (data["name"], data["unit_type"], data["parent"]) == ("Phường Long Thành", "phuong", "75")
    wards = {"25270", "25357", "25363", "26116", "26170", "26248", "26326", "26368", "26425", "26485"}
    for code in wards:
        u = unit(code)
        assert u.version_on(BEFORE).unit_type == "xa" and u.unit_type == "phuong"
    listed = client.get("/api/v1/units/", {"parent": "75", "on": "2026-05-01", "page_size": 500}).json()
    assert {u["ref"] for u in listed["results"] if u["unit_type"] == "phuong"} >= wards


def test_a_unit_that_did_not_exist_on_the_day_is_404_and_a_bad_date_400(client):
    response = client.get("/api/v1/units/19363/", {"on": "2025-01-01"})
    assert response.status_code == 404 and "01/01/2025" in response.json()["detail"]
    assert client.get("/api/v1/units/75/", {"on": "2026-13-01"}).status_code == 400
    assert client.get("/api/v1/units/75@2026-13-01/").status_code == 400
    # a dated ref finds the unit of that day even where the code was reused
    assert client.get("/api/v1/units/19363@2025-01-01/").json()["name"] == "Thị trấn Hồ Xá"


def test_dated_refs_and_old_refs_resolve():
    assert unit("75@2026-01-01").version.name == "Tỉnh Đồng Nai"
    assert unit("45@2025-06-30") == unit("old:45")
    assert unit("75@30/04/2026").version.name == "Thành phố Đồng Nai"
    with pytest.raises(AdministrativeUnit.DoesNotExist):
        unit("99999@2026-01-01")
    with pytest.raises(ValueError):
        unit("old:45@2025-01-01")


def test_loading_the_units_again_keeps_the_changes_and_changes_nothing():
    versions = set(UnitVersion.objects.values_list("unit__code", "valid_from", "valid_to", "name"))
    result = load_units()
    assert result.acts >= 2 and result.created == 0
    assert set(UnitVersion.objects.values_list("unit__code", "valid_from", "valid_to", "name")) == versions
    call_command("load-unit-changes", str(changes.shipped_files()[0]))
    assert set(UnitVersion.objects.values_list("unit__code", "valid_from", "valid_to", "name")) == versions


def test_the_hierarchy_of_a_day_is_exact():
    province = unit("75")
    communes_before = AdministrativeUnit.objects.descendants_of(province, level=Level.COMMUNE, on=BEFORE)
    assert unit("26368") in communes_before
    june_2025 = datetime.date(2025, 6, 1)
    assert not AdministrativeUnit.objects.descendants_of(unit("44"), on=june_2025).exists()  # not yet formed
    assert unit("old:19363") in AdministrativeUnit.objects.descendants_of(unit("old:45"), on=june_2025)


MERGE = """
act: 999/NQ-UBTVQH16
title: Thử nghiệm
issued: 01/06/2027
effective: 2027-07-01

rename 19363: Xã Vĩnh Linh -> Xã Vĩnh Linh Mới
new 19999: Phường Hồ Xá in 44 from 19363 partial
merge 19366 -> 19363
"""


def test_a_change_set_renames_merges_and_creates_and_coverage_follows_any_number_of_changes(tmp_path):
    path = tmp_path / "test.txt"
    path.write_text(MERGE, encoding="utf-8")
    vinh_linh = AdministrativeUnit.objects.get(generation="old", level="district", name="Huyện Vĩnh Linh")
    absorbed = unit("19366")
    call_command("load-unit-changes", str(path))
    call_command("load-unit-changes", str(path))  # idempotent
    new = unit("19999")
    assert new.name == "Phường Hồ Xá" and new.unit_type == "phuong" and new.province == unit("44")
    assert unit("19363").name == "Xã Vĩnh Linh Mới"
    assert unit("19363").name_on(datetime.date(2027, 6, 30)) == "Xã Vĩnh Linh"
    assert unit("19366@2027-06-30").valid_to == datetime.date(2027, 6, 30)
    link = UnitLineage.objects.get(old=absorbed, new=unit("19363"))
    assert link.date == datetime.date(2027, 7, 1) and link.act.number == "999/NQ-UBTVQH16"
    # the former district is measured through the units that cover it now, two changes later
    covering = set(AdministrativeUnit.objects.current_communes_covering(vinh_linh))
    assert unit("19363") in covering and new in covering
    assert absorbed in covering  # ended, but records registered there still belong to the district
    on_2027 = set(
        AdministrativeUnit.objects.current_communes_covering(vinh_linh, on=datetime.date(2027, 12, 31))
    )
    assert unit("19363") in on_2027 and new in on_2027 and absorbed not in on_2027
    on_2026 = set(
        AdministrativeUnit.objects.current_communes_covering(vinh_linh, on=datetime.date(2026, 12, 31))
    )
    assert unit("19363") in on_2026 and new not in on_2026
    # load-units keeps a change set loaded from elsewhere
    load_units()
    assert unit("19363").name == "Xã Vĩnh Linh Mới" and unit("19366").valid_to == datetime.date(2027, 6, 30)
    assert LegalAct.objects.filter(number="999/NQ-UBTVQH16").exists()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "act: 1/NQ\neffective: 2027-01-01\nrename 99999: Xã A -> Xã B\n",
            "dòng 3: không có đơn vị nào mã 99999 vào ngày 31/12/2026",
        ),
        (
            "act: 1/NQ\neffective: 2027-01-01\nrename 26368: Xã Khác -> Xã B\n",
            "dòng 3: ngày 31/12/2026 đơn vị 26368 có tên “Phường Long Thành”, không phải “Xã Khác”",
        ),
        # before 1/7/2025 the code 19363 was Thị trấn Hồ Xá: the change names the unit of its day
        (
            "act: 1/NQ\neffective: 2025-01-01\nrename 19363: Xã A -> Xã B\n",
            "dòng 3: ngày 31/12/2024 đơn vị 19363 có tên “Thị trấn Hồ Xá”",
        ),
        (
            "act: 1/NQ\neffective: 2027-01-01\nmerge 19366 -> 12345\n",
            "dòng 3: không có đơn vị nào mã 12345 vào ngày 01/01/2027",
        ),
        (
            "act: 1/NQ\neffective: 2027-01-01\n\nrenam 19363: A -> B\n",
            "dòng 4: “renam 19363: A -> B” không phải là một thay đổi",
        ),
        (
            "act: 1/NQ\neffective: 2027-01-01\nrename 19363: Khu A -> Khu B\n",
            "dòng 3: không suy ra được loại đơn vị của “Khu A”",
        ),
        (
            "act: 1/NQ\neffective: 2027-02-30\nrename 19363: Xã A -> Xã B\n",
            "dòng 2: “2027-02-30” không phải là ngày",
        ),
        ("act: 1/NQ\nrename 19363: Xã A -> Xã B\n", "thiếu “effective:”"),
        (
            "act: 1/NQ\neffective: 2027-01-01\nnew 19363: Xã X in 44\n",
            "dòng 3: mã 19363 đã được dùng cho Xã Vĩnh Linh",
        ),
        ("act: 1/NQ\neffective: 2027-01-01\nmerge old:19363 -> 19366\n", "dòng 3: “old:19363”"),
    ],
)
def test_a_wrong_change_set_is_refused_naming_the_line_and_changes_nothing(tmp_path, text, message):
    path = tmp_path / "bad.txt"
    path.write_text(text, encoding="utf-8")
    before = UnitVersion.objects.count()
    with pytest.raises(CommandError) as exc:
        call_command("load-unit-changes", str(path))
    assert message in str(exc.value)
    assert UnitVersion.objects.count() == before
    assert not LegalAct.objects.filter(number="1/NQ").exists()


def test_tone_marks_placed_either_way_are_the_same_name(tmp_path):
    path = tmp_path / "t.txt"
    path.write_text(
        "act: 2/NQ\neffective: 2027-01-01\nrename 75: Thành phố Đồng Nai -> Thành phố Đồng Nai Mới\n"
    )
    call_command("load-unit-changes", str(path))
    hoa = AdministrativeUnit.objects.filter(level="commune", generation="new", name__contains="Hòa").first()
    path.write_text(
        f"act: 3/NQ\neffective: 2027-01-01\nrename {hoa.code}: {hoa.name.replace('Hòa', 'Hoà')} -> Xã Thử\n"
    )
    call_command("load-unit-changes", str(path))
    assert unit(hoa.code).name == "Xã Thử"


def test_a_years_indicators_use_the_hierarchy_at_that_years_end(tmp_path):
    from hoptac.indicators.engine import UnitIndex

    path = tmp_path / "move.txt"
    path.write_text("act: 5/NQ\neffective: 2027-07-01\nmove 19366: 44 -> 46\n", encoding="utf-8")
    call_command("load-unit-changes", str(path))
    ben_quan = unit("19366")
    assert ben_quan.province == unit("46")
    assert UnitIndex(on=datetime.date(2026, 12, 31)).province_of[ben_quan.pk] == unit("44").pk
    assert UnitIndex(on=datetime.date(2027, 12, 31)).province_of[ben_quan.pk] == unit("46").pk
    assert ben_quan not in AdministrativeUnit.objects.descendants_of(
        unit("44"), on=datetime.date(2027, 12, 31)
    )
    assert ben_quan in AdministrativeUnit.objects.descendants_of(unit("44"), on=datetime.date(2026, 12, 31))


def test_the_unit_page_shows_the_versions_and_the_name_of_the_day(client, province_officer):
    client.force_login(province_officer)
    page = client.get("/units/75@2026-01-01/").content.decode()
    assert '<h1 class="h3">Tỉnh Đồng Nai' in page and "30/2026/QH16" in page
    assert '<h1 class="h3">Thành phố Đồng Nai' in client.get("/units/75/").content.decode()
