"""The province map: 34 regions keyed like the boundaries, each saying what the engine says."""

import datetime
import json
from pathlib import Path

import pytest

from hoptac.conftest import make_organisation, unit
from hoptac.core import numbers
from hoptac.core.audit import Actor
from hoptac.figures import services as figures
from hoptac.geo.models import AdministrativeUnit
from hoptac.indicators.library import INDICATORS

pytestmark = pytest.mark.django_db
ACTOR = Actor.command()


def _geo_file() -> Path:
    return Path(__file__).resolve().parents[2] / "static" / "hoptac" / "geo" / "provinces-2025.json"


def approved(org, year, **values):
    f = figures.save_figures(ACTOR, org, year, values, confirm_warnings=True)
    return figures.approve(ACTOR, figures.submit(ACTOR, f))


@pytest.fixture
def dataset():
    """Quảng Trị: three HTX, one with approved 2024 figures (1/3: not enough); Hà Nội: three HTX,
    all three approved; Lâm Đồng (the former Bình Thuận): one HTX approved (1/1, fewer than 3)."""
    reg = datetime.date(2020, 3, 1)
    qt = [make_organisation("19363", former_commune="old:19363", registration_date=reg) for _ in range(3)]
    hn = [make_organisation("00004", registration_date=reg) for _ in range(3)]
    approved(qt[0], 2024, members_official=10, revenue=1_000_000_000)
    for i, org in enumerate(hn):
        approved(org, 2024, members_official=20 + i, revenue=(i + 1) * 1_000_000_000)
    return {"qt": qt, "hn": hn}


def _map(client, code, year=2024, **query):
    response = client.get(f"/indicators/{code}/map.json", {"year": year, **query})
    assert response.status_code == 200, response.content[:300]
    return response.json()


def test_the_boundaries_are_the_34_provinces_of_today_and_small():
    geo = json.loads(_geo_file().read_text(encoding="utf-8"))
    codes = sorted(f["properties"]["code"] for f in geo["features"])
    provinces = AdministrativeUnit.objects.filter(generation="new", level="province").values_list(
        "code", flat=True
    )
    assert codes == sorted(provinces) and len(codes) == 34
    assert _geo_file().stat().st_size < 400_000  # a few hundred kB for all 34
    assert "thanglequoc/vietnamese-provinces-database (MIT)" in geo["attribution"]
    assert (_geo_file().parent / "LICENSE").exists() and (_geo_file().parent / "SOURCE.md").exists()


@pytest.mark.parametrize("code", ["htx_count", "htx_members", "avg_revenue_htx"])
def test_every_region_says_what_the_engine_says_for_that_province(client, admin, dataset, code):
    client.force_login(admin)
    data = _map(client, code)
    indicator = INDICATORS[code]
    assert len(data["regions"]) == 34
    for region in data["regions"]:
        measure = indicator.measure(unit(region["code"]), 2024)
        assert region["value"] == numbers.rounded(measure.value, numbers.display_places(indicator.unit))
        assert region["value_text"] == numbers.value(measure.value, indicator.unit)
        assert region["coverage"]["expected"] == measure.coverage.expected
        assert region["coverage"]["reported"] == measure.coverage.reported
        assert region["coverage"]["sufficient"] == measure.coverage.sufficient
        assert region["url"].startswith(f"/indicators/{code}/?unit={region['ref']}")


def test_a_province_with_too_few_reports_is_shown_as_insufficient_with_the_count(client, admin, dataset):
    client.force_login(admin)
    regions = {r["code"]: r for r in _map(client, "htx_members")["regions"]}
    assert regions["44"]["state"] == "insufficient"
    assert regions["44"]["coverage_text"] == "1/3 HTX"
    assert "1/3 HTX" in regions["44"]["status_text"]
    assert regions["01"]["state"] == "value" and regions["01"]["value"] == 63
    assert regions["01"]["status_text"] == "Chính thức"  # all three reported final figures
    assert regions["96"]["state"] == "no_data"  # Cà Mau: no cooperative, no value
    none_yet = {r["code"]: r for r in _map(client, "htx_members", year=2023)["regions"]}["44"]
    assert none_yet["state"] == "insufficient" and none_yet["value"] is None
    assert none_yet["status_text"] == "Chưa đủ số liệu (0/3 HTX)"


def test_a_former_province_is_shown_through_todays_provinces_covering_it(client, admin, dataset):
    client.force_login(admin)
    regions = _map(client, "htx_count", unit="old:45")["regions"]  # the former Quảng Trị
    assert {r["code"] for r in regions if r["highlight"]} == {"44"}
    regions = _map(client, "htx_count", unit="old:60")["regions"]  # the former Bình Thuận
    assert {r["code"] for r in regions if r["highlight"]} == {"68"}


def test_an_officer_sees_only_the_provinces_of_the_area_measured(client, province_officer, dataset):
    client.force_login(province_officer)
    regions = {r["code"]: r for r in _map(client, "htx_count")["regions"]}
    assert regions["44"]["state"] == "value" and regions["44"]["value"] == 3
    assert regions["01"]["state"] == "hidden" and regions["01"]["value"] is None
    assert regions["01"]["url"] is None  # its page would be refused
    assert client.get("/indicators/htx_count/map.json", {"unit": "01"}).status_code == 403


def test_the_dashboard_map_links_to_the_provinces_dashboards_and_lists_the_key_indicators(client, admin):
    client.force_login(admin)
    data = _map(client, "htx_count", link="dashboard", choices="key")
    assert data["regions"][0]["url"].startswith("/indicators/unit/01/")
    assert ["htx_count", str(INDICATORS["htx_count"].name)] in data["choices"]


def test_bad_input_is_a_400_or_404(client, admin):
    client.force_login(admin)
    assert client.get("/indicators/htx_count/map.json", {"year": "1800"}).status_code == 400
    assert client.get("/indicators/htx_count/map.json", {"unit": "zz"}).status_code == 400
    assert client.get("/indicators/nothing/map.json").status_code == 404
    assert client.post("/indicators/htx_count/map.json").status_code == 405


def test_the_pages_carry_the_map(client, admin):
    client.force_login(admin)
    for url in ["/", "/indicators/htx_count/?year=2024", "/indicators/unit/44/?year=2024"]:
        page = client.get(url).content.decode()
        assert 'class="province-map' in page and "province-map.js" in page, url
        assert "<script>" not in page  # no inline script: data comes from the JSON endpoint
    page = client.get("/indicators/unit/44/?year=2024").content.decode()
    assert 'data-url="/indicators/htx_count/map.json?year=2024&amp;unit=44&amp;link=dashboard"' in page
