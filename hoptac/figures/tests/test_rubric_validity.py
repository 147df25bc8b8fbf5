"""Rubrics have a legal source and a period: TT 01/2020 ends 17/09/2025; without a rubric in force, not rated."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from hoptac.conftest import make_organisation, scores_totalling, unit
from hoptac.core.audit import Actor
from hoptac.core.models import AuditEntry
from hoptac.figures import services
from hoptac.figures.models import Rubric

pytestmark = pytest.mark.django_db


def _org():
    return make_organisation("19363", registration_date=datetime.date(2020, 1, 1))


def test_tt01_2020_is_in_force_for_2024_and_lapsed_for_2025():
    tt01 = Rubric.objects.get(code="TT01/2020")
    assert tt01.valid_to == datetime.date(2025, 9, 17) and "78/2025/TT-BTC" in tt01.ended_by
    assert Rubric.for_year(2024) == tt01 and Rubric.for_year(2025) is None
    org = _org()
    assert services.assess(Actor.command(), org, 2024, self_scores=scores_totalling("90")).grade == "tot"
    with pytest.raises(ValidationError) as exc:
        services.assess(Actor.command(), org, 2025, self_scores=scores_totalling("90"))
    assert "Thông tư 01/2020/TT-BKHĐT" in str(exc.value) and "17/09/2025" in str(exc.value)


def test_an_admin_changes_the_end_date_with_a_reason_and_lapsed_grades_become_not_rated(
    admin, province_officer
):
    tt01 = Rubric.objects.get(code="TT01/2020")
    org = _org()
    graded = services.assess(Actor.command(), org, 2024, self_scores=scores_totalling("90"))
    with pytest.raises(PermissionDenied):
        services.set_rubric_validity(
            Actor(user=province_officer, source="web"), tt01, tt01.valid_from, None, "x"
        )
    with pytest.raises(ValidationError):
        services.set_rubric_validity(Actor(user=admin, source="web"), tt01, tt01.valid_from, None, "")
    services.set_rubric_validity(
        Actor(user=admin, source="web"), tt01, tt01.valid_from, datetime.date(2024, 6, 30), "Thử: văn bản gốc"
    )
    assert AuditEntry.objects.filter(content_type__model="rubric", object_id=str(tt01.pk)).exists()
    services.classify_year(Actor.command(), 2024)
    graded.refresh_from_db()
    assert graded.grade == "not_rated" and graded.score is None
    assert graded.rubric == tt01 and "30/06/2024" in graded.not_rated_reason


def test_a_province_adopts_local_criteria_for_the_years_after_the_repeal(province_officer, other_officer):
    tt01 = Rubric.objects.get(code="TT01/2020")
    actor = Actor(user=province_officer, source="web")
    with pytest.raises(PermissionDenied):
        services.adopt_local_rubric(
            Actor(user=other_officer, source="web"), unit("44"), "QĐ 1/2026", datetime.date(2025, 9, 18), tt01
        )
    local = services.adopt_local_rubric(
        actor, unit("44"), "Quyết định 99/QĐ-UBND", datetime.date(2025, 9, 18), tt01
    )
    with translation.override("vi"):
        assert local.is_local and local.label == "Quyết định 99/QĐ-UBND (tiêu chí địa phương)"
    org = _org()
    assessment = services.assess(actor, org, 2025, self_scores=scores_totalling("70"))
    assert assessment.rubric == local and assessment.grade == "kha"
    assert Rubric.for_year(2025) is None  # other provinces: still no rubric in force


def test_the_good_and_fair_share_says_which_rubric_its_grades_came_from(admin):
    from rest_framework.test import APIClient

    from hoptac.indicators.library import INDICATORS, GradeShare

    code = next(c for c, i in INDICATORS.items() if isinstance(i, GradeShare))
    services.assess(Actor.command(), _org(), 2024, self_scores=scores_totalling("90"))
    client = APIClient()
    client.force_authenticate(admin)
    data_2024 = client.get(f"/api/v1/indicators/{code}/values/", {"year": 2024}).json()
    data_2025 = client.get(f"/api/v1/indicators/{code}/values/", {"year": 2025}).json()
    assert [r["code"] for r in data_2024["basis"]["rubrics"]] == ["TT01/2020"]
    assert data_2024["basis"]["national_rubric_in_force"] == "Thông tư 01/2020/TT-BKHĐT"
    assert data_2025["basis"] == {"rubrics": [], "national_rubric_in_force": None}
