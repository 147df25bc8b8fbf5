"""The main pages on an office laptop (1366 × 768) and a phone (390 × 844): no serious or critical
accessibility violation found by axe-core (vendored for the tests in tests/vendor/axe-core, MPL-2.0),
no sideways scrolling and a header on one line, also at 360 and 1920 px (Playwright, Chromium)."""

from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from hoptac.conftest import chromium_path
from hoptac.geo.loader import load_units

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = (Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js").read_text(encoding="utf-8")
LAPTOP, PHONE = (1366, 768), (390, 844)
LAYOUT_ONLY = [(360, 740), (1440, 900), (1920, 1080)]

RUN_AXE = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.filter(v => v.impact === "serious" || v.impact === "critical")
    .map(v => `${v.impact} ${v.id}: ${v.help} — ` + v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(" | "));
}"""
LAYOUT = """() => {
  const bar = document.querySelector("#site-header .header-bar") || document.querySelector("header");
  const items = bar ? [...bar.children].filter(el => el.offsetParent !== null && !el.classList.contains("navbar-collapse")) : [];
  const tops = items.map(el => Math.round(el.getBoundingClientRect().top + el.getBoundingClientRect().height / 2));
  const links = [...document.querySelectorAll("#site-header .nav-link, #site-header .btn")].filter(el => el.offsetParent !== null);
  const lineHeight = el => parseFloat(getComputedStyle(el).lineHeight) || 24;
  return {
    scroll: document.scrollingElement.scrollWidth, width: window.innerWidth,
    headerRows: new Set(tops.map(t => Math.round(t / 12))).size,
    wrapped: links.filter(el => el.getBoundingClientRect().height > 2.2 * lineHeight(el)).map(el => el.innerText.trim()),
    header: document.querySelector("#site-header")?.getBoundingClientRect().height || 0,
  };
}"""


def main_pages(username: str) -> list[str]:
    """The pages the issue names, with records the account may open."""
    from hoptac.accounts.models import User
    from hoptac.figures.models import AnnualFigures
    from hoptac.indicators.library import INDICATORS
    from hoptac.plans.models import Plan
    from hoptac.registry.models import Organisation
    from hoptac.trace.models import Lot

    user = User.objects.get(username=username)
    organisation = Organisation.objects.restrict(user).filter(kind="htx").order_by("pk").first()
    plan = Plan.objects.order_by("pk").first()
    indicator = next(iter(INDICATORS))
    lots = Lot.objects.restrict(user).order_by("pk")
    the_lot = lots.first()
    expired = lots.filter(
        expires_on__lt=timezone.localdate()
    ).first()  # the demo's packed rice, with its warning
    assert organisation and plan and the_lot and expired and AnnualFigures.objects.exists()
    return [
        "/", "/registry/", organisation.get_absolute_url(), f"/plans/{plan.pk}/", f"/indicators/{indicator}/",
        "/figures/review/", "/imports/", the_lot.get_absolute_url(), the_lot.get_public_url(),
        expired.get_absolute_url(), expired.get_public_url(), "/trace/",
    ]  # fmt: skip


def audit(browser, base: str, paths: list[str], username: str, password: str) -> list[str]:
    """Every problem found on `paths` (signed in as `username`), one line each."""
    problems = []
    for width, height in [LAPTOP, PHONE, *LAYOUT_ONLY]:
        context = browser.new_context(
            viewport={"width": width, "height": height}, locale="vi-VN", bypass_csp=True
        )
        page = context.new_page()
        page.goto(f"{base}/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        page.click("button[type=submit]")
        page.wait_for_load_state("load")
        for path in paths:
            response = page.goto(f"{base}{path}")
            assert response is not None and response.status == 200, f"{path}: {response and response.status}"
            page.wait_for_load_state("networkidle")
            where = f"{path} at {width}×{height}"
            layout = page.evaluate(LAYOUT)
            if layout["scroll"] > layout["width"]:
                problems.append(f"{where}: scrolls sideways ({layout['scroll']} px > {layout['width']} px)")
            if layout["headerRows"] > 1 or layout["wrapped"]:
                problems.append(f"{where}: the header wraps ({layout})")
            if (width, height) != (360, 740):  # axe at the laptop, the phone and with the menu expanded
                page.add_script_tag(content=AXE)
                problems += [f"{where}: {v}" for v in page.evaluate(RUN_AXE)]
        context.close()
    return problems


def test_main_pages_pass_axe_and_hold_their_layout_on_a_laptop_and_a_phone(live_server):
    from playwright.sync_api import sync_playwright

    load_units()  # the live server's transactional database starts empty
    call_command("load-plans")
    call_command("load-demo", "--communes", "2")
    paths = main_pages("vinhlinh")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=["--no-sandbox", "--disable-gpu"])
        # The former district's officer: the longest account line in the header (it scrolled sideways).
        problems = audit(browser, live_server.url, paths, "vinhlinh", "hoptac-demo")
        browser.close()
    assert not problems, "\n".join(problems)
