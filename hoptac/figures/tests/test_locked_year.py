"""A locked year is locked for everything derived from it: scores, grade and override.

Once a year's figures are approved, the assessment of that year changes only after an officer
reopens the figures with a reason, like the figures themselves.
"""

import pytest
from rest_framework.test import APIClient

from hoptac.conftest import scores_totalling
from hoptac.core.audit import Actor
from hoptac.figures import services
from hoptac.figures.models import Assessment

pytestmark = pytest.mark.django_db
COMMAND = Actor.command()


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def approved_weak_2024(vinh_linh_htx):
    """Assessed weak (yếu), then the 2024 figures approved."""
    services.assess(COMMAND, vinh_linh_htx, 2024, self_scores=scores_totalling("40"))
    figures = services.save_figures(COMMAND, vinh_linh_htx, 2024, {"members_official": 20})
    return services.approve(COMMAND, services.submit(COMMAND, figures))


def test_cooperative_cannot_regrade_an_approved_year(cooperative_user, vinh_linh_htx, approved_weak_2024):
    url = f"/api/v1/organisations/{vinh_linh_htx.pk}/assessment/2024/"
    response = api(cooperative_user).put(url, {"criteria": scores_totalling("55")}, format="json")
    assert response.status_code == 409 and "mở lại" in response.json()["detail"]
    assessment = Assessment.objects.get(organisation=vinh_linh_htx, year=2024)
    assert assessment.grade == "yeu" and assessment.score == 40


def test_officer_override_of_an_approved_year_is_refused_until_reopened(
    province_officer, vinh_linh_htx, approved_weak_2024
):
    actor = Actor(user=province_officer, source="web")
    assessment = Assessment.objects.get(organisation=vinh_linh_htx, year=2024)
    with pytest.raises(services.FiguresLocked):
        services.override_grade(actor, assessment, "kha", "Kiểm tra thực tế tốt hơn")
    assessment.refresh_from_db()
    assert assessment.grade == "yeu"

    services.reopen(actor, approved_weak_2024, "Đánh giá lại sau kiểm tra")
    services.override_grade(actor, assessment, "kha", "Kiểm tra thực tế tốt hơn")
    assessment.refresh_from_db()
    assert assessment.grade == "kha"


def test_reopening_the_figures_unlocks_the_assessment(
    cooperative_user, province_officer, vinh_linh_htx, approved_weak_2024
):
    url = f"/api/v1/organisations/{vinh_linh_htx.pk}/assessment/2024/"
    api(province_officer).post(
        f"/api/v1/organisations/{vinh_linh_htx.pk}/figures/2024/reopen/",
        {"reason": "Chấm lại"},
        format="json",
    )
    response = api(cooperative_user).put(url, {"criteria": scores_totalling("55")}, format="json")
    assert response.status_code == 200 and response.json()["grade"] == "trung_binh"


def test_other_years_stay_open(cooperative_user, vinh_linh_htx, approved_weak_2024):
    url = f"/api/v1/organisations/{vinh_linh_htx.pk}/assessment/2023/"
    assert (
        api(cooperative_user).put(url, {"criteria": scores_totalling("55")}, format="json").status_code == 200
    )


def test_the_assessment_page_shows_the_lock_and_refuses(
    client, cooperative_user, vinh_linh_htx, approved_weak_2024
):
    client.force_login(cooperative_user)
    url = f"/figures/{vinh_linh_htx.pk}/2024/assessment/"
    page = client.get(url)
    assert page.status_code == 200 and "đã bị khóa" in page.content.decode()
    refused = client.post(url, {f"self_{n}": v for n, v in scores_totalling("55").items()}, follow=True)
    assert refused.status_code == 409 and "mở lại" in refused.content.decode()
    assert Assessment.objects.get(organisation=vinh_linh_htx, year=2024).grade == "yeu"


def test_bulk_reclassification_leaves_an_approved_year_alone(vinh_linh_htx, approved_weak_2024):
    Assessment.objects.update(grade="tot", computed_grade="tot")  # as if a rule changed after approval
    counts = services.classify_year(COMMAND, 2024)
    assert counts["locked"] == 1 and counts["changed"] == 0
    assert Assessment.objects.get(organisation=vinh_linh_htx, year=2024).grade == "tot"
