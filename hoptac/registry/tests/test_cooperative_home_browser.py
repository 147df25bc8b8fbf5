"""In a real browser: a cooperative lands on its home, opens this year's figures from it, and
"Gửi duyệt" asks before sending (behaviours.js data-confirm): dismissed, nothing is sent."""

import pytest
from django.utils import timezone

from hoptac.conftest import chromium_path, make_organisation, make_user
from hoptac.core.audit import Actor
from hoptac.figures import services as figures
from hoptac.figures.models import AnnualFigures
from hoptac.geo.loader import load_units

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
VALUES = {
    "members_official": 40,
    "workers": 12,
    "workers_members": 10,
    "managers": 5,
    "revenue": 1_200_000_000,
}


def test_a_cooperative_opens_its_year_from_home_and_confirms_before_submitting(live_server):
    from playwright.sync_api import sync_playwright

    load_units()
    org = make_organisation("19363", name="Hợp tác xã Vĩnh Thái", former_commune="old:19363")
    make_user("htx_vinhthai", "cooperative", organisation=org)
    year = timezone.localdate().year
    figures.save_figures(Actor.command(), org, year, VALUES, is_estimate=True, confirm_warnings=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=chromium_path(), args=["--no-sandbox", "--disable-gpu", "--no-first-run"]
        )
        page = browser.new_page()
        page.goto(f"{live_server.url}/")
        page.fill("#id_username", "htx_vinhthai")
        page.fill("#id_password", "correct horse battery")
        page.click("button[type=submit]")
        page.wait_for_selector("#dues")
        page.click(f'[data-entry="{year}"]')
        page.wait_for_url(f"**/figures/{org.pk}/{year}/?estimate=1")
        assert page.locator("select[name=year]").input_value() == str(year)
        asked = []

        def dismiss(dialog):
            asked.append(dialog.message)
            dialog.dismiss()

        sent = []
        page.on("request", lambda r: sent.append(r.url) if r.method == "POST" else None)
        page.once("dialog", dismiss)
        page.click("text=Gửi duyệt")
        page.wait_for_timeout(500)
        assert asked and "Gửi số liệu để duyệt" in asked[0]
        assert not sent  # dismissed: the form was not sent
        page.once("dialog", lambda dialog: dialog.accept())
        with page.expect_navigation():
            page.click("text=Gửi duyệt")
        assert sent and sent[0].endswith(f"/figures/{org.pk}/{year}/submit/")
        browser.close()
    # (the database is read outside Playwright's event loop)
    assert AnnualFigures.objects.get(organisation=org, year=year).status == "submitted"
