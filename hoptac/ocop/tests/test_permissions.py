"""OCOP products against the persona table of hoptac.accounts.access: page, form, API and export."""

import pytest

from hoptac.accounts.tests.access_table import PERSONAS, check_register_row, persona_user
from hoptac.core.audit import Actor
from hoptac.ocop import services
from hoptac.ocop.tests.helpers import product_data

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("persona", PERSONAS)
def test_an_ocop_product_follows_the_table(persona, request, client, vinh_linh_htx, hanoi_htx):
    product = services.record_product(Actor.command(), product_data(vinh_linh_htx, name="Nước mắm Cửa Tùng"))
    check_register_row(
        persona, persona_user(request, persona), client, detail=f"/ocop/{product.pk}/", edit=f"/ocop/{product.pk}/edit/",
        api=f"/api/v1/ocop/{product.pk}/", patch={"score": 75}, export="/ocop/export.csv", marker="Nước mắm Cửa Tùng",
    )  # fmt: skip
