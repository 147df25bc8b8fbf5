"""The permission matrix: every persona against the same organisation, in the UI, the API and exports."""

import pytest
from rest_framework.test import APIClient

from hoptac.accounts.tests.access_table import PERSONAS, expected, persona_user

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("persona", PERSONAS)
def test_ui_api_and_export_agree(persona, request, client, vinh_linh_htx, hanoi_htx):
    """The persona table of hoptac.accounts.access, for the organisation's page, API and export."""
    user = persona_user(request, persona)
    can_read, can_write = expected(persona, "view", "htx"), expected(persona, "change", "htx")
    api = APIClient()
    if user.is_authenticated:
        client.force_login(user)
        api.force_authenticate(user)
    else:  # the anonymous visitor is sent to the login page, and the API wants credentials
        assert client.get(f"/registry/{vinh_linh_htx.pk}/").status_code == 302
        assert api.get(f"/api/v1/organisations/{vinh_linh_htx.pk}/").status_code in (401, 403)
        return

    assert client.get(f"/registry/{vinh_linh_htx.pk}/").status_code == (200 if can_read else 404)
    assert api.get(f"/api/v1/organisations/{vinh_linh_htx.pk}/").status_code == (200 if can_read else 404)
    exported = b"".join(client.get("/registry/export.csv").streaming_content).decode("utf-8-sig")
    assert (vinh_linh_htx.name in exported) == can_read
    assert (hanoi_htx.name in exported) == expected(persona, "view", "hanoi_htx")

    edit = client.get(f"/registry/{vinh_linh_htx.pk}/edit/").status_code
    patch = api.patch(
        f"/api/v1/organisations/{vinh_linh_htx.pk}/", {"phone": "0912345678"}, format="json"
    ).status_code
    if can_write:
        assert (edit, patch) == (200, 200)
    else:
        expected_status = 403 if can_read else 404
        assert (edit, patch) == (expected_status, expected_status)


def test_a_cooperative_sees_only_itself(client, cooperative_user, vinh_linh_htx):
    from hoptac.conftest import make_organisation

    neighbour = make_organisation("19363")
    client.force_login(cooperative_user)
    page = client.get("/registry/").content.decode()
    assert vinh_linh_htx.name in page and neighbour.name not in page
    assert client.get(f"/registry/{neighbour.pk}/").status_code == 404
