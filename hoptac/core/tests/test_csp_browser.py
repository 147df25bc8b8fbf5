"""The Content-Security-Policy is on every page and the pages work under it: a real browser opens
the main pages (the public lot page included) and the browser reports no violation."""

import pytest

from hoptac.conftest import chromium_path, make_organisation, make_user
from hoptac.geo.loader import load_units

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Recorded in the page before any of its scripts run, so a violation at load time is seen too.
LISTEN = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__violations.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " " + e.sourceFile + ":" + e.lineNumber);
});
"""


def test_the_main_pages_load_with_no_csp_violation(live_server, settings):
    from playwright.sync_api import sync_playwright

    from hoptac.trace.tests.helpers import harvest_to_shipping, lot, product

    settings.EXPORT_JOB_ROWS = 0  # the export becomes a job, so its progress page is opened too
    load_units()
    make_user("quangtri", "officer", "44")
    org = make_organisation("19363", name="Hợp tác xã Vĩnh Thái", former_commune="old:19363")
    from hoptac.core.audit import Actor
    from hoptac.figures import services as figures

    for year in (2023, 2024):  # two years of figures: the organisation page draws its chart
        saved = figures.save_figures(Actor.command(), org, year, {"members_official": 10 + year % 10, "revenue": 100_000_000},
                                     confirm_warnings=True)  # fmt: skip
        figures.approve(Actor.command(), figures.submit(Actor.command(), saved))
    import datetime

    from hoptac.conftest import unit
    from hoptac.plans.models import Plan, Target

    plan = Plan.objects.create(key="csp", kind="plan", issuer="UBND huyện Vĩnh Linh", number="5/KH-UBND",
                               date=datetime.date(2023, 2, 1), title="phát triển kinh tế tập thể", scope_unit=unit("464"))  # fmt: skip
    Target.objects.create(plan=plan, code="T1", wording="Có ít nhất 15 hợp tác xã", indicator="htx_count",
                          bound="at_least", value=15, horizon=2030, sort=1)  # fmt: skip
    the_lot = lot(product(org))
    harvest_to_shipping(the_lot)
    pages = [
        "/", "/registry/", f"/registry/{org.pk}/", f"/figures/{org.pk}/2024/", f"/figures/{org.pk}/2024/assessment/",
        "/figures/review/", "/figures/classify/", "/imports/", "/reporting/", "/dissolution/", "/links/", "/tasks/",
        "/plans/", "/indicators/", "/trace/", "/registry/export.xlsx", "/jobs/", "/api/v1/docs/",
    ]  # fmt: skip
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=chromium_path(), args=["--no-sandbox", "--disable-gpu", "--no-first-run"]
        )
        context = browser.new_context()
        context.add_init_script(LISTEN)
        page = context.new_page()
        console = []
        page.on("console", lambda m: console.append(m.text) if "Content Security Policy" in m.text else None)
        headers = {}
        page.on("response", lambda r: headers.setdefault(r.url, r.headers.get("content-security-policy")))

        def visit(path):
            page.goto(f"{live_server.url}{path}")
            page.wait_for_load_state("networkidle")
            found = page.evaluate("window.__violations")
            assert found == [] and console == [], (path, found, console)
            assert "script-src 'self'" in (headers.get(page.url) or ""), page.url

        visit(f"/t/{the_lot.code}/")  # the public page, signed out
        visit("/login/")
        page.fill("#id_username", "quangtri")
        page.fill("#id_password", "correct horse battery")
        page.click("button[type=submit]")
        page.wait_for_load_state("networkidle")
        for path in pages:
            visit(path)
        visit(f"/plans/{plan.pk}/?unit=464")
        visit(f"/reporting/plan/{plan.pk}/report/?unit=464&period=2024")
        visit(f"/registry/{org.pk}/")
        assert page.locator("#figures-chart canvas").count() == 1  # ECharts drew under the policy
        page.locator("#figures-chart").hover()  # the chart's tooltip, drawn under the policy
        page.mouse.move(
            *(lambda b: (b["x"] + b["width"] / 2, b["y"] + b["height"] / 2))(
                page.locator("#figures-chart").bounding_box()
            )
        )
        page.wait_for_timeout(500)
        assert page.evaluate("window.__violations") == [] and console == [], console
        page.goto(f"{live_server.url}/registry/export.xlsx")  # redirected to the job's page
        page.wait_for_selector("[data-job-state=done]")
        assert page.locator(".progress-bar").evaluate("el => el.style.width") == "100%"  # behaviours.js ran
        browser.close()
