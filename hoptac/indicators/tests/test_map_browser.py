"""A real browser draws the province map: 34 regions, and hovering one tells its value and coverage."""

import datetime

import pytest

from hoptac.conftest import chromium_path, make_organisation, make_user
from hoptac.core.audit import Actor
from hoptac.figures import services as figures
from hoptac.geo.loader import load_units

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

QUANG_TRI = [107.0, 16.8]  # a point inside Tỉnh Quảng Trị (near Đông Hà)


def test_the_map_draws_34_provinces_and_hover_shows_value_and_coverage(live_server):
    from playwright.sync_api import sync_playwright

    load_units()  # the live server's transactional database starts empty
    make_user("admin", "admin")
    actor = Actor.command()
    reg = datetime.date(2020, 3, 1)
    orgs = [make_organisation("19363", registration_date=reg) for _ in range(2)]
    f = figures.save_figures(actor, orgs[0], 2024, {"members_official": 12}, confirm_warnings=True)
    figures.approve(actor, figures.submit(actor, f))
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=chromium_path(),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run"],
        )  # fmt: skip
        page = browser.new_page(viewport={"width": 1366, "height": 768})
        failed, errors = [], []
        page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(f"{live_server.url}/login/")
        page.fill("#id_username", "admin")
        page.fill("#id_password", "correct horse battery")
        page.click("button[type=submit]")
        page.wait_for_load_state("networkidle")
        page.goto(f"{live_server.url}/indicators/htx_members/?year=2024")
        page.wait_for_selector(".province-map[data-ready='true']", timeout=30_000)
        assert page.get_attribute(".province-map", "data-regions") == "34"
        drawn = page.evaluate(
            "() => echarts.getInstanceByDom(document.querySelector('.province-map-canvas')).getOption().series[0].data.length"
        )
        assert drawn == 34
        assert page.locator(".province-map-table tbody tr").count() == 34
        page.locator(".province-map-canvas").scroll_into_view_if_needed()
        x, y = page.evaluate(
            "(at) => echarts.getInstanceByDom(document.querySelector('.province-map-canvas'))"
            ".convertToPixel({geoIndex: 0}, at)",
            QUANG_TRI,
        )
        box = page.locator(".province-map-canvas").bounding_box()
        page.mouse.move(box["x"] + x, box["y"] + y)
        tip = page.locator(".province-map-canvas div", has_text="Tỉnh Quảng Trị").last
        tip.wait_for(timeout=5_000)
        text = tip.inner_text()
        assert "Giá trị: 12" in text  # the value
        assert "Số liệu đã có: 1/2 HTX" in text  # its coverage
        assert "Chưa đủ số liệu (1/2 HTX)" in text  # too few reported: not judged
        page.mouse.click(box["x"] + x, box["y"] + y)  # a click opens the province's page
        page.wait_for_url("**/indicators/htx_members/?unit=44*")
        assert "Tỉnh Quảng Trị" in page.content()
        assert not failed, failed
        assert not errors, errors
        browser.close()
