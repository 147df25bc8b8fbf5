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


def test_two_browser_sessions_edit_the_same_organisation_the_second_is_told(live_server):
    """Two officers open the same edit form; the second to save sees both values, nothing is lost."""
    from playwright.sync_api import sync_playwright

    load_units()
    make_user("quangtri", "officer", "44")
    org = make_organisation("19363", name="Hợp tác xã Vĩnh Thái", former_commune="old:19363")
    edit_url = f"{live_server.url}/registry/{org.pk}/edit/"
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=chromium_path(), args=["--no-sandbox", "--disable-gpu", "--no-first-run"]
        )
        pages = []
        for _ in range(2):  # two separate sessions (separate cookie jars)
            page = browser.new_context().new_page()
            page.goto(edit_url)
            page.fill("#id_username", "quangtri")
            page.fill("#id_password", "correct horse battery")
            page.click("button[type=submit]")
            page.wait_for_url(edit_url)
            pages.append(page)
        alice, bob = pages
        alice.fill("#id_director_name", "Trần Thị Hoa")
        bob.fill("#id_director_name", "Nguyễn Văn Bình")
        alice.click("button.btn-success")
        alice.wait_for_url(f"{live_server.url}/registry/{org.pk}/")
        bob.click("button.btn-success")
        bob.wait_for_selector("#edit-conflict")
        conflict = bob.locator("#edit-conflict").inner_text()
        assert "Trần Thị Hoa" in conflict and "Nguyễn Văn Bình" in conflict and "Giám đốc" in conflict
        assert "Người khác đã sửa" in bob.content()
        bob.click("button.btn-success")  # Bob, having compared, saves his value on purpose
        bob.wait_for_url(f"{live_server.url}/registry/{org.pk}/")
        browser.close()
    # (The database is read outside Playwright's event loop.) Both saves are in the trail, in order.
    from hoptac.core.audit import history

    org.refresh_from_db()
    assert org.director_name == "Nguyễn Văn Bình"
    names = [e.after["director_name"] for e in history(org).filter(action="update").order_by("id")]
    assert names == ["Trần Thị Hoa", "Nguyễn Văn Bình"]
