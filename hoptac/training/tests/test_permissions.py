"""Managers against the persona table of hoptac.accounts.access: page, form, API and export."""

import pytest

from hoptac.accounts.tests.access_table import PERSONAS, check_register_row, persona_user
from hoptac.core.audit import Actor
from hoptac.training import services

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_manager_follows_the_table(persona, request, client, vinh_linh_htx, hanoi_htx):
    manager = services.add_manager(
        Actor.command(),
        vinh_linh_htx,
        {"name": "Lê Thị Hoa", "role": "director", "education": "intermediate"},
    )
    check_register_row(
        persona, persona_user(request, persona), client, detail=f"/training/managers/{manager.pk}/",
        edit=f"/training/managers/{manager.pk}/edit/", api=f"/api/v1/managers/{manager.pk}/",
        patch={"education": "degree"}, export="/training/export.csv", marker="Lê Thị Hoa",
    )  # fmt: skip
