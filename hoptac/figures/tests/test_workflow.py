"""Draft → submitted → approved, locked until reopened with a reason; both versions kept."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings
from rest_framework.test import APIClient

from hoptac.conftest import make_user
from hoptac.core.audit import Actor, history
from hoptac.figures import services
from hoptac.figures.models import AnnualFigures

pytestmark = pytest.mark.django_db

GOOD = {
    "members_official": 40,
    "workers": 12,
    "workers_members": 10,
    "managers": 5,
    "managers_degree": 2,
    "revenue": 1_200_000_000,
    "profit_before_tax": 90_000_000,
}


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_cooperative_enters_and_submits_officer_approves_then_it_is_locked(
    cooperative_user, province_officer, vinh_linh_htx
):
    url = f"/api/v1/organisations/{vinh_linh_htx.pk}/figures/2024/"
    coop, officer = api(cooperative_user), api(province_officer)
    assert coop.put(url, GOOD, format="json").status_code == 200
    assert coop.post(url + "submit/").status_code == 200
    assert coop.post(url + "approve/").status_code == 403  # a cooperative does not approve itself
    response = officer.post(url + "approve/")
    assert response.status_code == 200 and response.json()["status"] == "approved"

    refused = coop.put(url, {"revenue": 1}, format="json")
    assert refused.status_code == 409 and "mở lại" in refused.json()["detail"]
    assert officer.post(url + "reopen/", {"reason": ""}, format="json").status_code == 400
    assert (
        officer.post(url + "reopen/", {"reason": "Sai doanh thu, HTX báo lại"}, format="json").status_code
        == 200
    )
    assert coop.put(url, {"revenue": 1_300_000_000}, format="json").status_code == 200
    coop.post(url + "submit/")
    officer.post(url + "approve/")

    data = officer.get(url).json()
    assert data["revenue"] == 1_300_000_000 and data["status"] == "approved"
    versions = {v["number"]: v for v in data["versions"]}
    assert (
        versions[1]["data"]["revenue"] == 1_200_000_000
        and versions[1]["reopen_reason"] == "Sai doanh thu, HTX báo lại"
    )
    assert versions[2]["data"]["revenue"] == 1_300_000_000
    figures = AnnualFigures.objects.get(organisation=vinh_linh_htx, year=2024)
    actions = [e.action for e in history(figures)]
    assert actions.count("status") >= 5 and "update" in actions


def test_a_cooperative_edits_only_its_own_figures(cooperative_user, hanoi_htx, vinh_linh_htx):
    from hoptac.conftest import make_organisation

    neighbour = make_organisation("19363")
    assert (
        api(cooperative_user)
        .put(f"/api/v1/organisations/{neighbour.pk}/figures/2024/", GOOD, format="json")
        .status_code
        == 404
    )
    assert (
        api(cooperative_user)
        .put(f"/api/v1/organisations/{hanoi_htx.pk}/figures/2024/", GOOD, format="json")
        .status_code
        == 404
    )


def test_viewer_reads_but_cannot_enter(viewer, vinh_linh_htx):
    services.save_figures(Actor.command(), vinh_linh_htx, 2024, GOOD)
    client = api(viewer)
    assert client.get(f"/api/v1/organisations/{vinh_linh_htx.pk}/figures/2024/").status_code == 200
    assert (
        client.put(f"/api/v1/organisations/{vinh_linh_htx.pk}/figures/2024/", GOOD, format="json").status_code
        == 403
    )


def test_other_province_gets_404(other_officer, vinh_linh_htx):
    services.save_figures(Actor.command(), vinh_linh_htx, 2024, GOOD)
    assert (
        api(other_officer).get(f"/api/v1/organisations/{vinh_linh_htx.pk}/figures/2024/").status_code == 404
    )


def test_returning_needs_a_reason_and_unlocks(province_officer, vinh_linh_htx):
    actor = Actor(user=province_officer, source="web")
    figures = services.submit(actor, services.save_figures(actor, vinh_linh_htx, 2024, GOOD))
    with pytest.raises(ValidationError):
        services.return_for_correction(actor, figures, "")
    figures = services.return_for_correction(actor, figures, "Thiếu số lao động")
    assert figures.status == "draft"


@override_settings(HOPTAC_APPROVAL_LEVELS=2)
def test_two_levels_commune_reviews_then_province_approves(commune_officer, province_officer, vinh_linh_htx):
    commune, province = Actor(user=commune_officer, source="web"), Actor(user=province_officer, source="web")
    figures = services.submit(commune, services.save_figures(commune, vinh_linh_htx, 2024, GOOD))
    with pytest.raises(ValidationError):
        services.approve(province, figures)  # the commune has not reviewed yet
    assert services.approve(commune, figures).status == "reviewed"
    with pytest.raises(ValidationError):
        services.approve(commune, figures)  # the commune cannot give the final approval
    assert services.approve(province, figures).status == "approved"


def test_bulk_approval_approves_what_it_can(province_officer, vinh_linh_htx):
    from hoptac.conftest import make_organisation

    actor = Actor(user=province_officer, source="web")
    other = make_organisation("19363")
    a = services.submit(actor, services.save_figures(actor, vinh_linh_htx, 2024, GOOD))
    b = services.save_figures(actor, other, 2024, GOOD)  # still a draft
    done, refused = services.bulk_approve(actor, [a.pk, b.pk])
    assert done == 1 and list(refused) == [b.pk]


def test_estimate_is_replaced_by_final_without_being_lost(vinh_linh_htx):
    actor = Actor.command()
    services.save_figures(actor, vinh_linh_htx, 2025, {**GOOD, "revenue": 1_000_000_000}, is_estimate=True)
    assert AnnualFigures.objects.best_for_year(2025).get(organisation=vinh_linh_htx).revenue == 1_000_000_000
    services.save_figures(actor, vinh_linh_htx, 2025, {**GOOD, "revenue": 1_100_000_000})
    best = AnnualFigures.objects.best_for_year(2025).get(organisation=vinh_linh_htx)
    assert (best.revenue, best.is_estimate) == (1_100_000_000, False)
    assert AnnualFigures.objects.filter(organisation=vinh_linh_htx, year=2025).count() == 2


def test_review_queue_lists_submitted_figures_in_scope(client, province_officer, vinh_linh_htx, hanoi_htx):
    actor = Actor.command()
    services.submit(actor, services.save_figures(actor, vinh_linh_htx, 2024, GOOD))
    services.submit(actor, services.save_figures(actor, hanoi_htx, 2024, GOOD))
    client.force_login(province_officer)
    page = client.get("/figures/review/", {"year": 2024}).content.decode()
    assert vinh_linh_htx.name in page and hanoi_htx.name not in page
    assert "15/12/2024" in page
    figures = AnnualFigures.objects.get(organisation=vinh_linh_htx)
    client.post("/figures/review/?year=2024", {"figures": [figures.pk]})
    figures.refresh_from_db()
    assert figures.status == "approved"


def test_cooperative_cannot_open_the_review_queue(client, cooperative_user):
    client.force_login(cooperative_user)
    assert client.get("/figures/review/").status_code == 403


def test_permission_denied_for_an_unrelated_cooperative_account(vinh_linh_htx):
    from hoptac.conftest import make_organisation

    other = make_organisation("19363")
    stranger = make_user("htx_khac", "cooperative", organisation=other)
    with pytest.raises(PermissionDenied):
        services.save_figures(Actor(user=stranger, source="web"), vinh_linh_htx, 2024, GOOD)
