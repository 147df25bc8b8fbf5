"""The organisation form takes its commune with the unit picker: by code or by name, within the area."""

import pytest

from hoptac.conftest import unit
from hoptac.registry.models import Organisation, make_tax_code

pytestmark = pytest.mark.django_db


def _post(client, commune, name):
    return client.post(
        "/registry/new/",
        {"kind": "htx", "name": name, "tax_code": make_tax_code("32", 5151) or make_tax_code("32", 5152),
         "commune": commune, "sector": "agriculture"},
    )  # fmt: skip


def test_the_commune_box_is_a_picker_within_the_area(client, province_officer):
    client.force_login(province_officer)
    page = client.get("/registry/new/").content.decode()
    assert "data-unit-picker" in page and 'data-within="44"' in page and 'data-levels="commune"' in page
    assert page.count("<option") < 100  # no longer every commune of the area in one list


def test_a_commune_named_by_name_is_accepted(client, province_officer):
    client.force_login(province_officer)
    assert _post(client, "Xã Vĩnh Linh", "HTX Theo Tên").status_code == 302
    assert Organisation.objects.get(name="HTX Theo Tên").commune == unit("19363")


def test_a_commune_outside_the_area_is_refused(client, province_officer):
    client.force_login(province_officer)
    response = _post(client, "00004", "HTX Ngoài Tỉnh")  # a ward of Hà Nội
    assert response.status_code == 400 and "commune" in response.context["form"].errors


def test_the_edit_form_shows_the_commune_code_and_label(client, province_officer, vinh_linh_htx):
    client.force_login(province_officer)
    page = client.get(f"/registry/{vinh_linh_htx.pk}/edit/").content.decode()
    assert 'value="19363"' in page and "Xã Vĩnh Linh — Quảng Trị" in page
