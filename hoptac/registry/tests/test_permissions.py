"""The permission matrix: every persona against the same organisation, in the UI, the API and exports."""

import pytest
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db

# persona → can read the Vĩnh Linh cooperative? can change it?
MATRIX = {
    "admin": (True, True),
    "province_officer": (True, True),
    "district_officer": (True, True),
    "commune_officer": (True, True),
    "viewer": (True, False),
    "cooperative_user": (True, False),
    "other_officer": (False, False),
}


@pytest.mark.parametrize("persona", MATRIX)
def test_ui_api_and_export_agree(persona, request, client, vinh_linh_htx, hanoi_htx):
    user = request.getfixturevalue(persona)
    can_read, can_write = MATRIX[persona]
    client.force_login(user)
    api = APIClient()
    api.force_authenticate(user)

    assert client.get(f"/registry/{vinh_linh_htx.pk}/").status_code == (200 if can_read else 404)
    assert api.get(f"/api/v1/organisations/{vinh_linh_htx.pk}/").status_code == (200 if can_read else 404)
    exported = b"".join(client.get("/registry/export.csv").streaming_content).decode("utf-8-sig")
    assert (vinh_linh_htx.name in exported) == can_read
    assert (hanoi_htx.name in exported) == (persona in ("admin", "other_officer"))

    edit = client.get(f"/registry/{vinh_linh_htx.pk}/edit/").status_code
    patch = api.patch(
        f"/api/v1/organisations/{vinh_linh_htx.pk}/", {"phone": "0912345678"}, format="json"
    ).status_code
    if can_write:
        assert (edit, patch) == (200, 200)
    else:
        expected = 403 if can_read else 404
        assert (edit, patch) == (expected, expected)


def test_a_cooperative_sees_only_itself(client, cooperative_user, vinh_linh_htx):
    from hoptac.conftest import make_organisation

    neighbour = make_organisation("19363")
    client.force_login(cooperative_user)
    page = client.get("/registry/").content.decode()
    assert vinh_linh_htx.name in page and neighbour.name not in page
    assert client.get(f"/registry/{neighbour.pk}/").status_code == 404
