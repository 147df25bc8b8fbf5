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
        and 'data-confirm="' in page
        and "onsubmit" not in page
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


def _flagged(org):
    _approved(org, 2025)
    return _submitted(org, 2026, average_income=9_100_000)  # +82 %: flagged


def test_the_service_refuses_a_flagged_set_without_a_note(province_officer, vinh_linh_htx):
    from django.core.exceptions import ValidationError

    f = _flagged(vinh_linh_htx)
    officer = Actor.command(province_officer)
    with pytest.raises(ValidationError) as refused:
        services.approve(officer, f, note="ok")  # too short to say anything
    assert list(refused.value.message_dict) == ["note"]
    assert "ghi chú" in refused.value.message_dict["note"][0].lower()
    f.refresh_from_db()
    assert f.status == "submitted"
    services.approve(officer, f, note="Đã xác minh bảng lương.")
    f.refresh_from_db()
    assert f.status == "approved"
    approval = next(e for e in history(f) if e.after and e.after.get("status") == "approved")
    assert "Đã xác minh bảng lương." in approval.message and "82%" in approval.message


def test_the_api_requires_the_note_naming_the_field(province_officer, vinh_linh_htx):
    from rest_framework.test import APIClient

    f = _flagged(vinh_linh_htx)
    client = APIClient()
    client.force_authenticate(province_officer)
    url = f"/api/v1/organisations/{vinh_linh_htx.pk}/figures/2026/approve/"
    response = client.post(url, {}, format="json")
    assert response.status_code == 400 and "note" in response.json()
    assert "ghi chú" in response.json()["note"][0].lower()
    f.refresh_from_db()
    assert f.status == "submitted"
    response = client.post(url, {"note": "Đã gọi điện cho giám đốc HTX."}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "approved"


def test_an_unflagged_set_needs_no_note_through_the_api(province_officer, vinh_linh_htx):
    from rest_framework.test import APIClient

    _submitted(vinh_linh_htx, 2026)
    client = APIClient()
    client.force_authenticate(province_officer)
    response = client.post(
        f"/api/v1/organisations/{vinh_linh_htx.pk}/figures/2026/approve/", {}, format="json"
    )
    assert response.status_code == 200


def test_bulk_approval_refuses_the_flagged_set_without_a_note_and_approves_the_rest(
    province_officer, vinh_linh_htx
):
    flagged = _flagged(vinh_linh_htx)
    plain = _submitted(make_organisation("19363"), 2026)
    officer = Actor.command(province_officer)
    done, refused = services.bulk_approve(officer, [flagged.pk, plain.pk])
    assert done == 1 and list(refused) == [flagged.pk]
    assert "ghi chú" in refused[flagged.pk].lower()
    done, refused = services.bulk_approve(
        officer, [flagged.pk], {flagged.pk: "Tăng lương thật, đã kiểm tra."}
    )
    assert (done, refused) == (1, {})
    assert AnnualFigures.objects.get(pk=flagged.pk).status == "approved"


def test_only_flagged_filters_the_whole_queue_with_its_pages_and_count(client, province_officer):
    """64 waiting sets, 12 of them flagged and named so that they sort after the first page of
    unflagged ones: the filter finds all 12, on one page, and says how many."""
    for i in range(52):
        _submitted(make_organisation("19363", name=f"HTX A {i:02d}"), 2026)
    flagged = []
    for i in range(12):
        org = make_organisation("19363", name=f"HTX Z {i:02d}")
        _approved(org, 2025)
        flagged.append(_submitted(org, 2026, average_income=9_100_000))
    client.force_login(province_officer)
    first = client.get("/figures/review/", {"year": 2026}).content.decode()
    assert first.count('name="figures"') == 50 and "HTX Z" not in first  # flagged ones on page 2
    only = client.get("/figures/review/", {"year": 2026, "flagged": "1"}).content.decode()
    assert only.count('name="figures"') == 12 and "HTX A" not in only
    assert all(f'value="{f.pk}"' in only for f in flagged)
    assert "Số bộ số liệu có cảnh báo trong danh sách chờ: 12." in only


def test_only_flagged_pages_through_more_than_fifty(client, province_officer, settings):
    settings.FIGURES_PLAUSIBILITY = {"year_on_year": {"average_income": 0.1}}  # +20 % is flagged
    for i in range(55):
        org = make_organisation("19363", name=f"HTX F {i:02d}")
        _approved(org, 2025)
        _submitted(org, 2026, average_income=6_000_000 + i)
    _submitted(make_organisation("19363", name="HTX Mới Lập"), 2026)  # no previous year: no flag
    client.force_login(province_officer)
    first = client.get("/figures/review/", {"year": 2026, "flagged": "1"}).content.decode()
    assert first.count('name="figures"') == 50 and "1 / 2 (55)" in first
    second = client.get("/figures/review/", {"year": 2026, "flagged": "1", "page": 2}).content.decode()
    assert second.count('name="figures"') == 5 and "HTX Mới Lập" not in second
    assert "flagged=1" in first[first.index("pagination") :]  # the next page keeps the filter
    narrowed = client.get("/figures/review/", {"year": 2026, "flagged": "1", "q": "F 07"}).content.decode()
    assert "HTX F 07" in narrowed and "HTX F 08" not in narrowed


def _names_in_order(page: str, names: list[str]) -> list[str]:
    table = page[page.index('id="review-table"') : page.index("</table>")]
    return sorted(names, key=table.index)


def test_the_queue_is_oldest_submission_first_or_by_name(client, province_officer):
    """What a reviewer works through: the figures in the order they came in; by name on request."""
    for name in ("HTX Cuối", "HTX Đầu", "HTX Bình"):  # submitted in this order
        _submitted(make_organisation("19363", name=name), 2026)
    client.force_login(province_officer)
    names = ["HTX Bình", "HTX Cuối", "HTX Đầu"]
    page = client.get("/figures/review/", {"year": 2026}).content.decode()
    assert _names_in_order(page, names) == ["HTX Cuối", "HTX Đầu", "HTX Bình"]
    page = client.get("/figures/review/", {"year": 2026, "order": "name"}).content.decode()
    assert _names_in_order(page, names) == ["HTX Bình", "HTX Cuối", "HTX Đầu"]  # Vietnamese order
    assert '<option value="name" selected>' in page
    page = client.get("/figures/review/", {"year": 2026, "order": "nonsense"}).content.decode()
    assert _names_in_order(page, names) == ["HTX Cuối", "HTX Đầu", "HTX Bình"]


def test_the_page_count_follows_the_filters(client, province_officer):
    for name in ("HTX Số Một", "HTX Số Hai", "HTX Số Ba"):
        _submitted(make_organisation("19363", name=name), 2026)
    estimate = services.save_figures(
        ACTOR, make_organisation("19363", name="HTX Ước"), 2026, BASE, is_estimate=True, confirm_warnings=True
    )
    services.submit(ACTOR, estimate)
    client.force_login(province_officer)

    def shown(**query):
        page = client.get("/figures/review/", {"year": 2026, **query}).content.decode()
        return page.count('name="figures"')

    assert shown() == 4 and shown(status="submitted") == 4 and shown(status="reviewed") == 0
    assert shown(estimate="1") == 1 and shown(estimate="0") == 3 and shown(q="so hai") == 1


def test_the_queue_is_read_from_the_waiting_index():
    """SQLite uses the partial index only when the query writes its condition as literals
    (AnnualFigures.objects.waiting(), models.LiteralIn); PostgreSQL proves either."""
    from django.db import connection

    queue = AnnualFigures.objects.waiting().filter(year=2026).order_by("submitted_at", "pk")[:50]
    sql, params = queue.query.sql_with_params()
    assert "IN ('submitted', 'reviewed')" in sql and "submitted" not in map(str, params)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
            plan = " ".join(str(row) for row in cursor.fetchall())
        assert "figures_waiting_idx" in plan and "TEMP B-TREE" not in plan


def test_cached_counts_follow_submissions_and_approvals(
    client, province_officer, settings, django_capture_on_commit_callbacks
):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "h20q"}
    }
    from django.core.cache import cache
    from django.db import connection

    cache.clear()
    first = _submitted(make_organisation("19363", name="HTX Một"), 2026)
    idle = make_organisation("19363", name="HTX Chưa Nhập")
    connection.run_on_commit.clear()  # the fixtures' writes wait for a commit that never comes
    client.force_login(province_officer)

    def page():
        return client.get("/figures/review/", {"year": 2026}).content.decode()

    before = page()
    assert "Đã gửi: 1" in before and 'id="not-started"' in before and "1 tổ chức chưa" in before
    with django_capture_on_commit_callbacks(execute=True):
        _submitted(idle, 2026)
    after = page()
    assert "Đã gửi: 2" in after and "0 tổ chức chưa" in after and after.count('name="figures"') == 2
    with django_capture_on_commit_callbacks(execute=True):
        services.approve(Actor.command(province_officer), first, "")
    assert "Đã gửi: 1" in page() and "Đã duyệt: 1" in page()
