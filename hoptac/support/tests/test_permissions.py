"""Support records against the persona table of hoptac.accounts.access: page, form, API and export."""

import pytest

from hoptac.accounts.tests.access_table import PERSONAS, check_register_row, persona_user
from hoptac.core.audit import Actor
from hoptac.support import services
from hoptac.support.tests.helpers import support_data

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_support_record_follows_the_table(persona, request, client, vinh_linh_htx, hanoi_htx):
    record = services.record_support(
        Actor.command(), support_data(vinh_linh_htx, decision_number="77/QĐ-UBND")
    )
    check_register_row(
        persona, persona_user(request, persona), client, detail=f"/support/{record.pk}/", edit=f"/support/{record.pk}/edit/",
        api=f"/api/v1/support/{record.pk}/", patch={"note": "Đã giải ngân"}, export="/support/export.csv", marker="77/QĐ-UBND",
    )  # fmt: skip
