"""A real browser signs in and opens the registry (Playwright driving Debian's Chromium)."""

import pytest

from hoptac.conftest import chromium_path, make_organisation, make_user
from hoptac.geo.loader import load_units

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_officer_signs_in_and_finds_a_cooperative(live_server, tmp_path):
    from playwright.sync_api import sync_playwright

    load_units()  # the live server's transactional database starts empty
    make_user("quangtri", "officer", "44")
    make_organisation("19363", name="Hợp tác xã Vĩnh Thái", former_commune="old:19363")
    make_organisation("00004", name="HTX Dịch vụ Ba Đình")
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=chromium_path(),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run"],
        )  # fmt: skip
        page = browser.new_page()
        failed = []
        # htmx cancels a search request when a newer one starts: an aborted request is not an error.
        page.on("requestfailed", lambda r: None if "ABORTED" in (r.failure or "") else failed.append(r.url))
        page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
        page.goto(f"{live_server.url}/registry/")
        page.fill("#id_username", "quangtri")
        page.fill("#id_password", "correct horse battery")
        page.click("button[type=submit]")
        page.wait_for_url(f"{live_server.url}/registry/")
        assert "Hợp tác xã Vĩnh Thái" in page.content()
        assert "HTX Dịch vụ Ba Đình" not in page.content()
        with page.expect_response(lambda r: "q=vinh+thai" in r.url or "q=vinh%20thai" in r.url):
            page.fill("#id_q", "vinh thai")  # htmx searches after a 400 ms pause in typing
        page.wait_for_load_state("networkidle")
        assert page.locator("#registry-table").inner_text().count("Vĩnh Thái") == 1
        page.click("text=Hợp tác xã Vĩnh Thái")
        page.wait_for_url("**/registry/*/")
        assert "Thị trấn Hồ Xá" in page.content()
        page.screenshot(path=str(tmp_path / "detail.png"))
        assert page.evaluate("document.documentElement.lang") == "vi"
        assert page.evaluate("typeof htmx") == "object"  # the vendored scripts loaded
        assert not failed, failed  # every asset came from the app, none is missing
        browser.close()
