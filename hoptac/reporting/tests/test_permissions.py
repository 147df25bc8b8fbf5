"""Reporting against the persona table of hoptac.accounts.access: the dashboard, submitting, the API."""

import pytest
from rest_framework.test import APIClient

from hoptac.accounts.tests.access_table import PERSONAS, build_world, expected, persona_user
from hoptac.reporting.models import Submission

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(vinh_linh_htx, hanoi_htx, lead_agency):
    return build_world(vinh_linh_htx, hanoi_htx, lead_agency)


@pytest.mark.parametrize("persona", PERSONAS)
def test_submitting_a_commune_report_follows_the_table(persona, request, client, world):
    user = persona_user(request, persona)
    due = world.commune_due
    if not user.is_authenticated:
        assert client.post(f"/reporting/due/{due.pk}/submit/", {"note": "x"}).status_code == 302
        return
    client.force_login(user)
    api = APIClient()
    api.force_authenticate(user)
    may_see, may_submit = (
        expected(persona, "view", "commune_due"),
        expected(persona, "submit_report", "commune_due"),
    )
    rows = api.get("/api/v1/submissions/", {"period": "2025"}).json()["results"]
    assert (due.pk in {r["due_id"] for r in rows}) == may_see
    status = client.post(f"/reporting/due/{due.pk}/submit/", {"note": "Báo cáo năm 2025"}).status_code
    if not may_see:
        assert status == 404
    elif may_submit:
        assert status == 302 and Submission.objects.filter(due=due).count() == 1
    else:  # refused with 403, not a redirect with a message
        assert status == 403 and not Submission.objects.exists()
