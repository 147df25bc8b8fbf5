"""A cooperative's own account lands on its home: what is due and when, each year's figures in
one place with one entry point per year, and confirmations before submitting or undoing (issue 18)."""

from pathlib import Path

import pytest
from django.utils import timezone

from hoptac.core.audit import Actor
from hoptac.figures import services as figures

pytestmark = pytest.mark.django_db
ACTOR = Actor.command()
VALUES = {
    "members_official": 40,
    "workers": 12,
    "workers_members": 10,
    "managers": 5,
    "revenue": 1_200_000_000,
}


def _page(client, user, url="/"):
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def _row(page, year):
    start = page.index(f'data-year="{year}"')
    return page[start : page.index("</tr>", start)]


def test_a_cooperative_sees_what_is_due_and_each_years_state(client, cooperative_user, vinh_linh_htx):
    year = timezone.localdate().year
    approved = figures.save_figures(ACTOR, vinh_linh_htx, year - 1, VALUES, confirm_warnings=True)
    figures.approve(ACTOR, figures.submit(ACTOR, approved))
    figures.save_figures(ACTOR, vinh_linh_htx, year, VALUES, is_estimate=True, confirm_warnings=True)
    page = _page(client, cooperative_user)
    assert "Hợp tác xã Vĩnh Thái" in page and "Việc cần làm và thời hạn" in page
    assert "LHHTX" not in page  # not the national dashboard's cards by kind
    dues = page[page.index('id="dues"') : page.index('id="figures-by-year"')]
    assert f"Gửi số liệu năm {year}" in dues and f"hạn 15/12/{year}" in dues
    assert f"Số liệu chính thức năm {year - 1}" not in dues  # approved: nothing due for it
    this_year = _row(page, year)
    assert "Nháp" in this_year or "nháp" in this_year  # the estimate's state
    assert f'/figures/{vinh_linh_htx.pk}/{year}/?estimate=1"' in this_year  # the entry opens the estimate
    assert f"Tiếp tục bản nháp năm {year}" in this_year
    assert "Đã duyệt" in _row(page, year - 1)
    assert f'/figures/{vinh_linh_htx.pk}/{year - 2}/?estimate=0"' in _row(
        page, year - 2
    )  # past year: final form
    assert f"Số liệu chính thức năm {year - 2}" in dues  # and it is listed as missing


def test_an_ended_years_estimate_is_the_entry_and_the_final_form_is_offered(
    client, cooperative_user, vinh_linh_htx
):
    year = timezone.localdate().year - 1
    figures.submit(
        ACTOR,
        figures.save_figures(ACTOR, vinh_linh_htx, year, VALUES, is_estimate=True, confirm_warnings=True),
    )
    row = _row(_page(client, cooperative_user), year)
    assert f"Xem số liệu năm {year}" in row and f"/{year}/?estimate=1" in row
    assert "nhập số liệu chính thức" in row and f"/{year}/?estimate=0" in row


def test_an_officers_home_is_still_the_areas_dashboard(client, province_officer):
    page = _page(client, province_officer)
    assert 'id="dues"' not in page and "LHHTX" in page


def test_the_figures_page_opens_the_estimate_rather_than_an_empty_official_form(
    client, cooperative_user, vinh_linh_htx
):
    year = timezone.localdate().year
    figures.save_figures(ACTOR, vinh_linh_htx, year, VALUES, is_estimate=True, confirm_warnings=True)
    page = _page(client, cooperative_user, f"/figures/{vinh_linh_htx.pk}/{year}/")
    assert 'name="is_estimate" value="1"' in page and 'value="40"' in page
    final = _page(client, cooperative_user, f"/figures/{vinh_linh_htx.pk}/{year}/?estimate=0")
    assert 'id="other-set"' in final and "Mở số liệu ước thực hiện" in final


def test_enter_figures_opens_the_year_it_names_with_the_year_box_matching(
    client, cooperative_user, vinh_linh_htx
):
    year = timezone.localdate().year
    for past in (year - 2, year - 1):
        figures.save_figures(ACTOR, vinh_linh_htx, past, VALUES, confirm_warnings=True)
    page = _page(client, cooperative_user, vinh_linh_htx.get_absolute_url())
    button = page[page.index('id="enter-figures"') :]
    button = button[: button.index("</a>")]
    assert f'href="/figures/{vinh_linh_htx.pk}/{year}/"' in button and f"Nhập số liệu năm {year}" in button
    entry = _page(client, cooperative_user, f"/figures/{vinh_linh_htx.pk}/{year}/")
    assert f'<option value="{year}" selected>' in entry
    ahead = _page(client, cooperative_user, f"/figures/{vinh_linh_htx.pk}/{year + 1}/")
    assert f'<option value="{year + 1}" selected>' in ahead  # the box always holds the year shown


def test_submit_asks_for_confirmation_through_the_pages_behaviours(client, cooperative_user, vinh_linh_htx):
    year = timezone.localdate().year
    figures.save_figures(ACTOR, vinh_linh_htx, year, VALUES, is_estimate=True, confirm_warnings=True)
    page = _page(client, cooperative_user, f"/figures/{vinh_linh_htx.pk}/{year}/?estimate=1")
    form = page[page.rindex("<form", 0, page.index("Gửi duyệt")) : page.index("Gửi duyệt")]
    assert "data-confirm=" in form and "onsubmit" not in form
    assert "/static/hoptac/behaviours.js" in page
    script = (Path(__file__).parents[2] / "static" / "hoptac" / "behaviours.js").read_text()
    assert "form[data-confirm]" in script and "window.confirm" in script


def test_undoing_an_import_asks_for_confirmation(client, district_officer):
    from hoptac.imports import importer
    from hoptac.imports.tests.test_import import ROWS, codes, district_file, plan_for

    rows = [(n, code, f, c, m) for (n, _c, f, c, m), code in zip(ROWS, codes(len(ROWS)), strict=True)]
    batch = importer.commit(plan_for(district_file(rows), district_officer), user=district_officer)
    page = _page(client, district_officer, f"/imports/batch/{batch.pk}/")
    start = page.index(f'action="/imports/batch/{batch.pk}/undo/"')
    assert "data-confirm=" in page[start : page.index(">", start)] and "Hoàn tác lần nhập này?" in page


def test_a_reminder_from_the_review_queue_shows_on_the_home(client, cooperative_user, vinh_linh_htx):
    from hoptac.figures import reminders

    year = timezone.localdate().year
    assert reminders.remind_not_started(ACTOR, year, [vinh_linh_htx.pk]) == 1
    page = _page(client, cooperative_user)
    section = page[page.index('id="reminders"') :]
    assert "Nhắc việc" in section and f'href="/figures/{vinh_linh_htx.pk}/{year}/"' in section
