"""A real browser draws the target cards' sparklines from machine numbers (Playwright, Debian's Chromium)."""

import datetime

import pytest

from hoptac.conftest import chromium_path, make_organisation, make_user, unit
from hoptac.geo.loader import load_units
from hoptac.plans.models import Plan, Target

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_constant_series_draws_a_flat_sparkline_and_a_rising_one_rises(live_server):
    from playwright.sync_api import sync_playwright

    load_units()
    make_user("huyen", "officer", "44")
    plan = Plan.objects.create(key="test-browser", kind="plan", issuer="UBND huyện Vĩnh Linh", number="9/KH",
                               date=datetime.date(2021, 2, 1), title="Kế hoạch thử", scope_unit=unit("464"))  # fmt: skip
    Target.objects.create(plan=plan, code="T1", wording="Có 1 liên hiệp hợp tác xã", indicator="lhhtx_count",
                          bound="at_least", value=1, horizon=2030)  # fmt: skip
    Target.objects.create(plan=plan, code="T2", wording="Có ít nhất 10 hợp tác xã", indicator="htx_count",
                          bound="at_least", value=10, horizon=2030)  # fmt: skip
    # one union since 2019: 1 every year; one HTX founded each year 2020..2024: 1, 2, 3, 4, 5
    make_organisation(
        "19363", kind="lhhtx", former_commune="old:19363", registration_date=datetime.date(2019, 1, 1)
    )
    for year in range(2020, 2025):
        make_organisation("19363", former_commune="old:19363", registration_date=datetime.date(year, 3, 1))
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page()
        page.goto(f"{live_server.url}/plans/{plan.pk}/?year=2024")
        page.fill("#id_username", "huyen")
        page.fill("#id_password", "correct horse battery")
        page.click("button[type=submit]")
        page.wait_for_selector("svg.sparkline polyline", state="attached")

        def points(code):
            raw = page.get_attribute(f'.target-card[data-code="{code}"] svg.sparkline polyline', "points")
            return [tuple(float(n) for n in pair.split(",")) for pair in raw.split()]

        flat = points("T1")
        assert len(flat) == 5 and len({y for _x, y in flat}) == 1  # 1, 1, 1, 1, 1: one height
        rising = points("T2")
        heights = [y for _x, y in rising]
        assert len(rising) == 5 and heights == sorted(heights, reverse=True) and heights[0] > heights[-1]
        steps = [round(a - b, 1) for a, b in zip(heights, heights[1:], strict=False)]
        assert len(set(steps)) == 1  # evenly spaced: 1, 2, 3, 4, 5 read as numbers, not "1,0"
        values = page.get_attribute('.target-card[data-code="T1"] svg.sparkline', "data-values")
        assert values == "[1.0, 1.0, 1.0, 1.0, 1.0]"
        browser.close()
