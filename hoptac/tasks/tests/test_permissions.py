"""Tasks against the persona table of hoptac.accounts.access: the page, its form, the list and the API."""

import pytest
from rest_framework.test import APIClient

from hoptac.accounts.tests.access_table import PERSONAS, build_world, expected, persona_user
from hoptac.tasks.models import TaskUpdate

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(vinh_linh_htx, hanoi_htx, lead_agency):
    return build_world(vinh_linh_htx, hanoi_htx, lead_agency)


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("task_name", ["district_task", "province_task", "hanoi_task"])
def test_pages_forms_and_api_agree_with_the_table(persona, task_name, request, client, world):
    user = persona_user(request, persona)
    task = world[task_name]
    if not user.is_authenticated:
        assert client.get(f"/tasks/{task.pk}/").status_code == 302
        assert APIClient().post(
            f"/api/v1/tasks/{task.pk}/updates/", {"status": "in_progress"}
        ).status_code in (401, 403)
        return
    client.force_login(user)
    api = APIClient()
    api.force_authenticate(user)
    may_see, may_update = expected(persona, "view", task_name), expected(persona, "update_task", task_name)

    assert client.get(f"/tasks/{task.pk}/").status_code == (200 if may_see else 404)
    assert (task.title in client.get("/tasks/").content.decode()) == may_see
    assert (task.pk in {t["id"] for t in api.get("/api/v1/tasks/").json()["results"]}) == may_see
    posted = client.post(f"/tasks/{task.pk}/", {"status": "in_progress", "percent": "10"}).status_code
    sent = api.post(
        f"/api/v1/tasks/{task.pk}/updates/", {"status": "in_progress", "percent": 20}, format="json"
    )
    if not may_see:
        assert (posted, sent.status_code) == (404, 404)
    elif may_update:
        assert (posted, sent.status_code) == (302, 201), sent.content
        assert TaskUpdate.objects.filter(task=task).count() == 2
    else:  # a refusal is a 403, never a 200 page with a message
        assert (posted, sent.status_code) == (403, 403)
        assert not TaskUpdate.objects.filter(task=task).exists()
