"""A real browser types a few letters in the registry's area box and chooses the former district."""

import pytest

from hoptac.conftest import chromium_path, make_organisation, make_user
from hoptac.geo.loader import load_units

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_officer_picks_an_area_by_name(live_server, tmp_path):
    from playwright.sync_api import sync_playwright

    load_units()
    make_user("quangtri", "officer", "44")
    make_organisation("19363", name="Hợp tác xã Vĩnh Thái", former_commune="old:19363")
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=chromium_path(), args=["--no-sandbox", "--disable-gpu", "--no-first-run"]
        )
        page = browser.new_page(viewport={"width": 1366, "height": 768})
        errors = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on(
            "response",
            lambda r: (
                errors.append(f"{r.status} {r.url}") if r.status >= 400 and "favicon" not in r.url else None
            ),
        )
        page.goto(f"{live_server.url}/registry/")
        page.fill("#id_username", "quangtri")
        page.fill("#id_password", "correct horse battery")
        page.click("button[type=submit]")
        page.wait_for_url(f"{live_server.url}/registry/")
        page.locator("#id_unit").press_sequentially("huyen vinh linh", delay=20)
        option = page.locator("#id_unit-choices [role=option]").first
        option.wait_for()
        assert "Huyện Vĩnh Linh (cũ, đến 30/06/2025) — Quảng Trị" in option.inner_text()
        with page.expect_response(lambda r: "unit=464" in r.url):
            page.keyboard.press("ArrowDown")
            page.keyboard.press("Enter")
        page.wait_for_load_state("networkidle")
        assert page.input_value("#id_unit") == "464"
        assert "Huyện Vĩnh Linh (cũ" in page.locator(".unit-picker-label").first.inner_text()
        table = page.locator("#registry-table").inner_text()
        assert "Hợp tác xã Vĩnh Thái" in table
        page.locator("#id_unit").fill("")
        page.locator("#id_unit").press_sequentially("vinh linh", delay=20)
        page.locator("#id_unit-choices [role=option]").first.wait_for()
        page.screenshot(path="/tmp/h18a_picker.png")
        assert not errors, errors
        browser.close()
