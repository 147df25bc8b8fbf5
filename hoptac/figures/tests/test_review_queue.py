"""The review queue helps the reviewer: plausibility flags to acknowledge, confirmation, who has
not started, a page at a time."""

import pytest

from hoptac.conftest import make_organisation, make_user
from hoptac.core.audit import Actor, history
from hoptac.figures import plausibility, services
from hoptac.figures.models import AnnualFigures
from hoptac.reporting.models import Notification

pytestmark = pytest.mark.django_db
ACTOR = Actor.command()
BASE = {"members_official": 40, "workers": 12, "workers_members": 10, "managers": 5, "revenue": 1_200_000_000,
        "average_income": 5_000_000}  # fmt: skip


def _approved(org, year, **values):
    f = services.save_figures(ACTOR, org, year, {**BASE, **values}, confirm_warnings=True)
    return services.approve(ACTOR, services.submit(ACTOR, f))


def _submitted(org, year, **values):
    return services.submit(
        ACTOR, services.save_figures(ACTOR, org, year, {**BASE, **values}, confirm_warnings=True)
    )


def test_flags_from_the_organisations_history(vinh_linh_htx):
    _approved(vinh_linh_htx, 2025)
    f = _submitted(
        vinh_linh_htx, 2026, average_income=9_100_000, members_official=16, members_joined=7, members_left=6
    )
    flags = plausibility.flags_for_many([f])[f.pk]
    codes = {(fl.code, fl.field) for fl in flags}
    assert ("year_on_year", "average_income") in codes  # +82 %
    assert ("member_balance", "members_official") in codes  # −24 while +7 −6
    income = next(fl for fl in flags if fl.field == "average_income")
    assert "82%" in income.message
    plain = _submitted(make_organisation("19363"), 2026)
    assert plausibility.flags_for_many([plain])[plain.pk] == []  # nothing to compare with: no flag


def test_thresholds_are_data(vinh_linh_htx, settings):
    _approved(vinh_linh_htx, 2025)
    f = _submitted(vinh_linh_htx, 2026, average_income=9_100_000)
    settings.FIGURES_PLAUSIBILITY = {"year_on_year": {"average_income": 1.0}}
    assert not [fl for fl in plausibility.flags_for_many([f])[f.pk] if fl.field == "average_income"]


def test_revenue_per_member_far_from_the_peers(vinh_linh_htx):
    for _ in range(5):
        _approved(make_organisation("19363"), 2026)  # 30 million per member
    f = _submitted(vinh_linh_htx, 2026, revenue=60_000_000_000)  # 1,5 tỷ per member
    assert [fl.code for fl in plausibility.flags_for_many([f])[f.pk]] == ["peer_outlier"]


def test_a_flagged_set_is_approved_only_with_a_note(client, province_officer, vinh_linh_htx):
    _approved(vinh_linh_htx, 2025)
    f = _submitted(vinh_linh_htx, 2026, average_income=9_100_000)
    client.force_login(province_officer)
    page = client.get("/figures/review/", {"year": 2026}).content.decode()
    assert (
        'data-flag="year_on_year"' in page
        and f"note_{f.pk}" in page
        and 'id="review-form" data-confirm=' in page
    )
    client.post("/figures/review/?year=2026", {"figures": [f.pk]})
    f.refresh_from_db()
    assert f.status == "submitted"  # refused without a note
    client.post(
        "/figures/review/?year=2026", {"figures": [f.pk], f"note_{f.pk}": "Đã gọi điện: tăng lương thật."}
    )
    f.refresh_from_db()
    assert f.status == "approved"
    assert any("Đã gọi điện" in (e.message or "") for e in history(f))


def test_the_entry_page_asks_for_the_note_too(client, province_officer, vinh_linh_htx):
    _approved(vinh_linh_htx, 2025)
    f = _submitted(vinh_linh_htx, 2026, average_income=9_100_000)
    client.force_login(province_officer)
    page = client.get(f"/figures/{vinh_linh_htx.pk}/2026/").content.decode()
    assert 'id="plausibility-flags"' in page
    client.post(f"/figures/{vinh_linh_htx.pk}/2026/approve/", {"is_estimate": "0"})
    f.refresh_from_db()
    assert f.status == "submitted"
    client.post(
        f"/figures/{vinh_linh_htx.pk}/2026/approve/", {"is_estimate": "0", "note": "Đã kiểm tra sổ lương."}
    )
    f.refresh_from_db()
    assert f.status == "approved"


def test_organisations_that_have_not_started_are_listed_and_reminded(client, province_officer, vinh_linh_htx):
    idle = make_organisation("19363", name="HTX Chưa Nhập")
    make_user("htx_idle", "cooperative", organisation=idle)
    _submitted(vinh_linh_htx, 2026)
    client.force_login(province_officer)
    page = client.get("/figures/review/", {"year": 2026}).content.decode()
    listed = page[page.index('id="not-started"') :]
    assert "HTX Chưa Nhập" in listed and vinh_linh_htx.name not in listed
    client.post("/figures/review/?year=2026", {"action": "remind", "organisations": [idle.pk]})
    note = Notification.objects.get(user__username="htx_idle")
    assert "2026" in note.message and note.url == f"/figures/{idle.pk}/2026/"


def test_the_queue_is_paginated_and_filtered(client, province_officer):
    for i in range(54):
        _submitted(make_organisation("19363", name=f"HTX Số {i:02d}"), 2026)
    _submitted(make_organisation("19363", name="HTX Rau Sạch Đông Hà"), 2026)
    client.force_login(province_officer)
    first = client.get("/figures/review/", {"year": 2026}).content.decode()
    assert first.count('name="figures"') == 50 and "1 / 2" in first
    second = client.get("/figures/review/", {"year": 2026, "page": 2}).content.decode()
    assert second.count('name="figures"') == 5
    one = client.get("/figures/review/", {"year": 2026, "q": "rau sach"}).content.decode()
    assert one.count('name="figures"') == 1 and "HTX Rau Sạch Đông Hà" in one
    assert AnnualFigures.objects.filter(year=2026).count() == 55


def test_the_queue_costs_the_same_queries_for_more_waiting_sets(client, province_officer):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(province_officer)

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/figures/review/", {"year": 2026}).status_code == 200
        return len(ctx.captured_queries)

    for i in range(3):
        _submitted(make_organisation("19363", name=f"HTX A{i}"), 2026)
    few = queries()
    for i in range(20):
        _submitted(make_organisation("19363", name=f"HTX B{i}"), 2026)
    assert queries() == few
