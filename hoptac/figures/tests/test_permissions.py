"""Annual figures against the persona table of hoptac.accounts.access: entry page, API, approval."""

import pytest
from rest_framework.test import APIClient

from hoptac.accounts.tests.access_table import PERSONAS, expected, persona_user
from hoptac.core.audit import Actor
from hoptac.figures import services
from hoptac.figures.tests.test_workflow import GOOD

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("persona", PERSONAS)
def test_entering_and_approving_figures_follow_the_table(persona, request, client, vinh_linh_htx, hanoi_htx):
    user = persona_user(request, persona)
    url = f"/api/v1/organisations/{vinh_linh_htx.pk}/figures/2024/"
    rest = APIClient()
    if not user.is_authenticated:
        assert client.get(f"/figures/{vinh_linh_htx.pk}/2024/").status_code == 302
        assert rest.put(url, GOOD, format="json").status_code in (401, 403)
        return
    client.force_login(user)
    rest.force_authenticate(user)
    may_see = expected(persona, "view", "htx")
    assert client.get(f"/figures/{vinh_linh_htx.pk}/2024/").status_code == (200 if may_see else 404)
    entered = rest.put(url, GOOD, format="json").status_code
    assert entered == (200 if expected(persona, "enter_figures", "htx") else 403 if may_see else 404)
    services.save_figures(Actor.command(), vinh_linh_htx, 2024, GOOD)
    services.submit(Actor.command(), vinh_linh_htx.annual_figures.get(year=2024))
    approved = rest.post(url + "approve/").status_code
    assert approved == (200 if expected(persona, "approve_figures", "htx") else 403 if may_see else 404)
