"""Indicator values on a small hand-made dataset equal what a person computes by hand."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from hoptac.conftest import make_organisation, scores_totalling, unit
from hoptac.core.audit import Actor
from hoptac.figures import services as figures
from hoptac.indicators import rollup
from hoptac.indicators.library import INDICATORS
from hoptac.registry import services as registry

pytestmark = pytest.mark.django_db
ACTOR = Actor.command()


def approved(org, year, **values):
    f = figures.save_figures(ACTOR, org, year, values, confirm_warnings=True)
    return figures.approve(ACTOR, figures.submit(ACTOR, f))


@pytest.fixture
def dataset():
    """Three active HTX in Xã Vĩnh Linh (formerly Hồ Xá, in the former Vĩnh Linh district), one
    dissolved in 2024, one cooperative group, and one HTX in Hà Nội that must never count."""
    reg = datetime.date(2020, 3, 1)
    a = make_organisation("19363", former_commune="old:19363", registration_date=reg, sector="agriculture")
    b = make_organisation("19363", former_commune="old:19363", registration_date=reg, sector="fisheries")
    c = make_organisation("19363", registration_date=datetime.date(2024, 5, 1), sector="trade_services")
    gone = make_organisation("19363", former_commune="old:19363", registration_date=reg)
    registry.change_status(ACTOR, gone, "dissolved", datetime.date(2024, 6, 30))
    group = make_organisation(
        "19363", kind="tht", tax_code="", name="Tổ hợp tác rau sạch", registration_date=reg
    )
    hanoi = make_organisation("00004", registration_date=reg)
    approved(
        a,
        2024,
        members_official=10,
        revenue=1_000_000_000,
        profit_before_tax=100_000_000,
        managers=4,
        managers_degree=1,
        high_tech=True,
    )
    approved(
        b,
        2024,
        members_official=20,
        revenue=3_000_000_000,
        profit_before_tax=-50_000_000,
        managers=6,
        managers_degree=3,
    )
    figures.submit(
        ACTOR, figures.save_figures(ACTOR, c, 2024, {"members_official": 999, "revenue": 9})
    )  # not approved: ignored
    approved(group, 2024, members_official=15)
    approved(hanoi, 2024, members_official=500, revenue=50_000_000_000, managers=10, managers_degree=10)
    return {"a": a, "b": b, "c": c, "gone": gone, "group": group, "hanoi": hanoi}


@pytest.mark.parametrize("ref", ["464", "19363", "old:19363"])
def test_counts_and_sums_for_the_former_district_and_todays_commune(dataset, ref):
    u = unit(ref)
    assert INDICATORS["htx_count"].measure(u, 2024).value == 3  # a, b, c; the dissolved one is gone
    assert (
        INDICATORS["htx_count"].measure(u, 2023).value == 3
    )  # a, b and the one dissolved in 2024; c not yet founded
    assert INDICATORS["tht_count"].measure(u, 2024).value == 1
    assert INDICATORS["htx_members"].measure(u, 2024).value == 30
    assert INDICATORS["tht_members"].measure(u, 2024).value == 15


def test_averages_and_shares(dataset):
    u = unit("464")
    assert INDICATORS["avg_revenue_htx"].measure(u, 2024).value == 2_000_000_000
    assert INDICATORS["avg_profit_htx"].measure(u, 2024).value == 25_000_000
    assert INDICATORS["share_managers_degree"].measure(u, 2024).value == 40.0
    assert INDICATORS["share_htx_hightech"].measure(u, 2024).value == 50.0
    assert INDICATORS["share_effective"].measure(u, 2024).value == 50.0
    assert INDICATORS["htx_founded"].measure(u, 2024, period_start=2023).value == 1


def test_no_figures_is_no_data_not_zero(dataset):
    m = INDICATORS["avg_revenue_htx"].measure(unit("464"), 2019)
    assert m.value is None and not m.has_data


def test_the_province_holds_the_commune_and_not_hanoi(dataset):
    assert INDICATORS["htx_count"].measure(unit("44"), 2024).value == 3
    assert INDICATORS["htx_members"].measure(None, 2024).value == 530


def test_grades_share_among_rated(dataset):
    for org, total in [(dataset["a"], "85"), (dataset["b"], "55")]:
        # The 2024 figures are approved, which locks the grade: reopen, assess, approve again.
        approved_set = org.annual_figures.get(year=2024)
        figures.reopen(ACTOR, approved_set, "Chấm điểm đánh giá năm 2024")
        figures.assess(ACTOR, org, 2024, self_scores=scores_totalling(total))
        figures.approve(ACTOR, figures.submit(ACTOR, approved_set))
    figures.assess(ACTOR, dataset["c"], 2024, self_scores={"1": "7"})  # founded 2024: not rated
    m = INDICATORS["share_good_fair"].measure(unit("464"), 2024)
    assert (m.numerator, m.denominator, m.value) == (1, 2, 50.0)
    assert INDICATORS["htx_weak"].measure(unit("464"), 2024).value == 0


def test_one_grouped_query_per_measure_and_one_for_its_coverage(dataset):
    """Live (no rollup built): which years the rollup holds (asked once, then memoised), then
    the grouped query and its coverage; from the rollup: the question again (a rebuild forgets
    the answer), then one query over the unit's cells."""
    u = unit("19363")
    with CaptureQueriesContext(connection) as ctx:
        INDICATORS["htx_members"].measure(u, 2024)
    assert len(ctx.captured_queries) == 3
    with CaptureQueriesContext(connection) as ctx:
        INDICATORS["htx_count"].measure(u, 2024)  # counted from the register: no coverage query
    assert len(ctx.captured_queries) == 1
    rollup.rebuild([2024])
    with CaptureQueriesContext(connection) as ctx:
        m = INDICATORS["htx_members"].measure(u, 2024)
    assert len(ctx.captured_queries) == 2
    assert m == INDICATORS["htx_members"].measure_live(u, 2024)


def test_every_value_carries_its_coverage(dataset):
    """a and b approved, c submitted only: 2 of the 3 active HTX reported, both final."""
    m = INDICATORS["htx_members"].measure(unit("464"), 2024)
    c = m.coverage
    assert (c.expected, c.reported, c.final, c.estimated, c.missing) == (3, 2, 2, 0, 1)
    assert not c.is_final and not c.sufficient  # 2 < 3 organisations, 67 % < 80 %
    assert c.ratio_text == "2/3"
    registry_count = INDICATORS["htx_count"].measure(unit("464"), 2024).coverage
    assert registry_count.source == "registry" and registry_count.is_final and registry_count.sufficient


def test_estimates_and_finals_are_told_apart(dataset):
    c_figures = figures.save_figures(
        ACTOR, dataset["c"], 2025, {"members_official": 5}, is_estimate=True, confirm_warnings=True
    )
    figures.approve(ACTOR, figures.submit(ACTOR, c_figures))
    approved(dataset["a"], 2025, members_official=11)
    approved(dataset["b"], 2025, members_official=21)
    m = INDICATORS["htx_members"].measure(unit("464"), 2025)
    assert m.value == 37
    assert (m.coverage.final, m.coverage.estimated, m.coverage.missing) == (2, 1, 0)
    assert m.coverage.sufficient and not m.coverage.is_final
    children = dict((ch.ref, mm) for ch, mm in INDICATORS["htx_members"].measure_children(unit("44"), 2025))
    assert children["19363"].coverage.reported == 3 and children["19363"].coverage.estimated == 1


def test_the_thresholds_are_settings(dataset, settings):
    settings.INDICATOR_COVERAGE = {"min_share": 0.5, "min_organisations": 2}
    assert INDICATORS["htx_members"].measure(unit("464"), 2024).coverage.sufficient


def test_children_breakdown_of_a_province(dataset):
    rows = dict((c.ref, m) for c, m in INDICATORS["htx_count"].measure_children(unit("44"), 2024))
    assert rows["19363"].value == 3
    assert sum(m.value for m in rows.values()) == 3


def test_children_of_a_former_district_are_its_former_communes(dataset):
    rows = {c.ref: m for c, m in INDICATORS["htx_count"].measure_children(unit("464"), 2024)}
    # two active HTX recorded with their former commune Hồ Xá; the third has no former commune
    # and is counted in every former commune that went into Xã Vĩnh Linh
    assert rows["old:19363"].value == 3
    assert all(r.startswith("old:") for r in rows)


def test_api_values_equal_the_hand_computed_ones(dataset, district_officer, other_officer):
    client = APIClient()
    client.force_authenticate(district_officer)
    data = client.get("/api/v1/indicators/avg_revenue_htx/values/", {"unit": "464", "year": 2024}).json()
    assert (data["value"], data["numerator"], data["denominator"]) == (2e9, 4e9, 2)
    data = client.get(
        "/api/v1/indicators/htx_count/values/", {"unit": "464", "year": 2024, "breakdown": "children"}
    ).json()
    assert data["value"] == 3 and data["children"]
    assert client.get("/api/v1/indicators/").json()["count"] >= 25
    other = APIClient()
    other.force_authenticate(other_officer)
    assert other.get("/api/v1/indicators/htx_count/values/", {"unit": "464", "year": 2024}).status_code == 403
    assert client.get("/api/v1/indicators/nope/values/").status_code == 404
    assert client.get("/api/v1/indicators/htx_count/values/", {"unit": "12x"}).status_code == 400


def test_drilldown_lists_the_organisations_behind_a_figure(client, dataset, province_officer):
    client.force_login(province_officer)
    page = client.get("/indicators/htx_count/", {"unit": "464", "year": 2024}).content.decode()
    assert (
        dataset["a"].name in page and dataset["gone"].name not in page and dataset["hanoi"].name not in page
    )
    dashboard = client.get("/indicators/unit/464/", {"year": 2024})
    assert dashboard.status_code == 200
    export = client.get("/indicators/unit/464/", {"year": 2024, "export": "xlsx"})
    import io

    import openpyxl

    sheet = openpyxl.load_workbook(io.BytesIO(export.content)).active
    header = [c.value for c in sheet[3]]
    rows = {r[0]: dict(zip(header, r, strict=True)) for r in sheet.iter_rows(min_row=4, values_only=True)}
    members = rows["Thành viên hợp tác xã"]
    assert members["2024"] == 30 and members["Phải báo cáo 2024"] == 3 and members["Chính thức 2024"] == 2


def test_cached_values_are_dropped_by_the_next_write(settings, dataset, django_capture_on_commit_callbacks):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "indicators-test"}
    }
    from django.core.cache import cache
    from django.db import connection

    cache.clear()
    # The dataset's writes registered one bump for the test transaction's commit, which never
    # comes; a transaction bumps once, so drop it to see the next write's own.
    connection.run_on_commit.clear()
    u = unit("464")
    assert INDICATORS["htx_count"].measure(u, 2024).value == 3
    with django_capture_on_commit_callbacks(execute=True):
        make_organisation("19363", former_commune="old:19363", registration_date=datetime.date(2021, 1, 1))
    assert INDICATORS["htx_count"].measure(u, 2024).value == 4


def test_many_indicators_at_once_equal_one_by_one_in_few_queries(dataset):
    from hoptac.indicators.library import measure_many

    codes = ["htx_count", "tht_count", "htx_members", "avg_revenue_htx", "avg_profit_htx", "share_managers_degree",
             "share_htx_hightech", "share_effective", "tht_members"]  # fmt: skip
    u = unit("464")
    with CaptureQueriesContext(connection) as ctx:
        together = measure_many(codes, u, 2024)
    assert len(ctx.captured_queries) <= 5  # which years the rollup holds (none), then 4
    for code in codes:
        assert together[code] == INDICATORS[code].measure(u, 2024), code
    rollup.rebuild([2024])
    from django.core.cache import cache

    cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        served = measure_many(codes, u, 2024)
    assert len(ctx.captured_queries) <= 3  # the years held, the cells, the unit's population
    for code in codes:
        assert served[code] == INDICATORS[code].measure_live(u, 2024), code


def test_the_api_gives_coverage_and_the_half_up_display(dataset, district_officer):
    client = APIClient()
    client.force_authenticate(district_officer)
    data = client.get(
        "/api/v1/indicators/share_managers_degree/values/", {"unit": "464", "year": 2024}
    ).json()
    assert data["value"] == 40.0 and data["display"] == "40,0%"
    assert {k: data["coverage"][k] for k in ("expected", "reported", "final", "estimated")} == {
        "expected": 3, "reported": 2, "final": 2, "estimated": 0,
    }  # fmt: skip
    money = client.get("/api/v1/indicators/avg_revenue_htx/values/", {"unit": "464", "year": 2024}).json()
    assert money["display"] == "2 tỷ đồng" and money["value"] == 2e9


def test_the_drilldown_marks_the_numerator_and_filters_to_each_part(client, dataset, province_officer):
    """High technology: a (yes) and b (no) reported; c did not report."""
    import io

    import openpyxl

    client.force_login(province_officer)
    url = "/indicators/share_htx_hightech/"
    page = client.get(url, {"unit": "464", "year": 2024}).content.decode()
    assert page.count('class="in-numerator"') == 1
    assert dataset["a"].name in page and dataset["b"].name in page
    numerator = client.get(url, {"unit": "464", "year": 2024, "part": "numerator"}).content.decode()
    assert dataset["a"].name in numerator and dataset["b"].name not in numerator
    rest = client.get(url, {"unit": "464", "year": 2024, "part": "rest"}).content.decode()
    assert dataset["b"].name in rest and dataset["a"].name not in rest
    missing = client.get(url, {"unit": "464", "year": 2024, "part": "missing"}).content.decode()
    assert dataset["c"].name in missing and dataset["a"].name not in missing
    export = client.get(url, {"unit": "464", "year": 2024, "export": "xlsx"})
    assert export["Content-Disposition"].endswith('share_htx_hightech-464-2024.xlsx"')
    sheet = openpyxl.load_workbook(io.BytesIO(export.content)).active
    marks = {row[0]: row[-1] for row in sheet.iter_rows(min_row=4, values_only=True)}
    assert marks == {dataset["a"].name: "có", dataset["b"].name: "không"}
    only = client.get(url, {"unit": "464", "year": 2024, "export": "xlsx", "part": "numerator"})
    assert only["Content-Disposition"].endswith('-numerator.xlsx"')
    sheet = openpyxl.load_workbook(io.BytesIO(only.content)).active
    assert [r[0] for r in sheet.iter_rows(min_row=4, values_only=True)] == [dataset["a"].name]
