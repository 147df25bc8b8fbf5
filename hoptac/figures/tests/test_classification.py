"""Thông tư 01/2020: bands at their edges, who is not rated, overrides, bulk reclassification."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from rest_framework.test import APIClient

from hoptac.conftest import make_organisation, scores_totalling
from hoptac.core.audit import Actor
from hoptac.figures import classification, services
from hoptac.figures.models import Assessment, Rubric

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "total, grade",
    [
        ("100", "tot"),
        ("80", "tot"),
        ("79.99", "kha"),
        ("65", "kha"),
        ("64.5", "trung_binh"),
        ("50", "trung_binh"),
        ("49.99", "yeu"),
        ("0", "yeu"),
    ],
)
def test_bands_at_their_edges(total, grade):
    org = make_organisation(registration_date=datetime.date(2015, 5, 1))
    client = APIClient()
    client.force_authenticate(None)
    assessment = services.assess(Actor.command(), org, 2024, self_scores=scores_totalling(total))
    assert assessment.score == Decimal(total) and assessment.grade == grade


def test_api_put_returns_score_grade_and_criteria(province_officer):
    org = make_organisation(registration_date=datetime.date(2015, 5, 1))
    client = APIClient()
    client.force_authenticate(province_officer)
    response = client.put(
        f"/api/v1/organisations/{org.pk}/assessment/2024/",
        {"criteria": scores_totalling("65")},
        format="json",
    )
    assert response.status_code == 200
    data = response.json()
    assert (data["score"], data["grade"]) == (65.0, "kha") and len(data["criteria"]) == 15
    too_many = client.put(
        f"/api/v1/organisations/{org.pk}/assessment/2024/", {"criteria": {"1": 9}}, format="json"
    )
    assert too_many.status_code == 400 and "criteria" in too_many.json()


def test_the_supervisory_boards_check_decides(province_officer):
    org = make_organisation(registration_date=datetime.date(2015, 5, 1))
    assessment = services.assess(
        Actor.command(), org, 2024, self_scores=scores_totalling("82"), board_scores=scores_totalling("78")
    )
    assert assessment.grade == "kha"
    assert assessment.self_scores and assessment.board_scores


def test_a_cooperative_founded_eight_months_earlier_is_not_rated():
    org = make_organisation(registration_date=datetime.date(2024, 4, 20))
    assessment = services.assess(Actor.command(), org, 2024, self_scores=scores_totalling("90"))
    assert assessment.grade == "not_rated" and "12" in assessment.not_rated_reason
    older = make_organisation(registration_date=datetime.date(2023, 12, 31))
    assert services.assess(Actor.command(), older, 2024, self_scores=scores_totalling("90")).grade == "tot"


def test_suspended_more_than_three_months_is_not_rated(province_officer):
    org = make_organisation(registration_date=datetime.date(2010, 1, 1))
    from hoptac.registry import services as registry

    actor = Actor(user=province_officer, source="web")
    registry.change_status(actor, org, "suspended", datetime.date(2024, 3, 1))
    registry.change_status(actor, org, "active", datetime.date(2024, 7, 1))
    assessment = services.assess(Actor.command(), org, 2024, self_scores=scores_totalling("90"))
    assert assessment.grade == "not_rated" and "3" in assessment.not_rated_reason
    assert services.assess(Actor.command(), org, 2023, self_scores=scores_totalling("90")).grade == "tot"


def test_suspended_days_count_only_the_year():
    history = [(datetime.date(2023, 11, 1), "suspended"), (datetime.date(2024, 2, 1), "active")]
    assert classification.suspended_days(history, 2024, "active") == 31
    assert classification.suspended_days(history, 2023, "active") == 61


def test_credit_funds_and_groups_are_marked_not_rated():
    fund = make_organisation(kind="qtdnd", name="Quỹ tín dụng nhân dân Vĩnh Linh")
    assessment = services.assess(Actor.command(), fund, 2024, self_scores=scores_totalling("90"))
    assert (
        assessment.grade == "not_rated"
        and "Ngân hàng Nhà nước" in assessment.not_rated_reason
        or "State Bank" in assessment.not_rated_reason
    )


def test_an_officer_can_override_with_a_reason(province_officer):
    org = make_organisation(registration_date=datetime.date(2015, 5, 1))
    assessment = services.assess(Actor.command(), org, 2024, self_scores=scores_totalling("70"))
    actor = Actor(user=province_officer, source="web")
    with pytest.raises(ValidationError):
        services.override_grade(actor, assessment, "yeu", "")
    assessment = services.override_grade(actor, assessment, "yeu", "Vi phạm pháp luật trong năm")
    assert (assessment.grade, assessment.computed_grade) == ("yeu", "kha")


def test_rubric_group_totals_are_enforced():
    rubric = Rubric.for_year(2024)
    services.check_rubric(rubric)
    rubric.criteria.filter(number=15).update(max_points=Decimal(5))
    with pytest.raises(ValidationError):
        services.check_rubric(rubric)


def test_classify_command_recomputes_in_bulk():
    orgs = [make_organisation(registration_date=datetime.date(2015, 5, 1)) for _ in range(3)]
    for org in orgs:
        services.assess(Actor.command(), org, 2024, self_scores=scores_totalling("70"))
    Assessment.objects.update(grade="yeu", computed_grade="yeu")  # stale grades, e.g. after a rubric fix
    out = io.StringIO()
    call_command("classify", "--year", "2024", "--unit", "44", stdout=out)
    assert set(Assessment.objects.values_list("grade", flat=True)) == {"kha"}
    assert "3" in out.getvalue()


def test_reclassification_keeps_each_score():
    orgs = [make_organisation(registration_date=datetime.date(2015, 5, 1)) for _ in range(3)]
    for org, total in zip(orgs, ["82", "70", "40"], strict=True):
        services.assess(Actor.command(), org, 2024, self_scores=scores_totalling(total))
    Assessment.objects.update(grade="tot", computed_grade="tot")
    Assessment.objects.filter(organisation=orgs[2]).update(score=Decimal("1"))  # a stale score too
    services.classify_year(Actor.command(), 2024)
    got = dict(Assessment.objects.values_list("organisation_id", "score"))
    assert [got[o.pk] for o in orgs] == [Decimal("82"), Decimal("70"), Decimal("40")]
    assert list(Assessment.objects.order_by("organisation_id").values_list("grade", flat=True)) == [
        "tot",
        "kha",
        "yeu",
    ]
