"""Links against the persona table of hoptac.accounts.access: page, form, API and export."""

import pytest

from hoptac.accounts.tests.access_table import PERSONAS, check_register_row, persona_user
from hoptac.core.audit import Actor
from hoptac.links import services
from hoptac.links.tests.helpers import link_data

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_link_follows_the_table(persona, request, client, vinh_linh_htx, hanoi_htx):
    link = services.create_link(Actor.command(), link_data(vinh_linh_htx, product="Hồ tiêu Cồn Tiên"))
    check_register_row(
        persona, persona_user(request, persona), client, detail=f"/links/{link.pk}/", edit=f"/links/{link.pk}/edit/",
        api=f"/api/v1/links/{link.pk}/", patch={"volume": "12"}, export="/links/export.csv", marker="Hồ tiêu Cồn Tiên",
    )  # fmt: skip
