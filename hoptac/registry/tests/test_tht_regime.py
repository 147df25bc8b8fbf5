"""Registration after Luật HTX 2023: the THT regime, and local cooperative funds as a kind."""

import pytest
from django.core.exceptions import ValidationError

from hoptac.conftest import make_organisation

pytestmark = pytest.mark.django_db


def test_a_cooperative_group_records_its_regime_and_only_a_group_does():
    group = make_organisation(
        kind="tht", tax_code="", name="THT Rau sạch", tht_regime="nd77_contract", in_commune_register=True
    )
    group.refresh_from_db()
    assert group.tht_regime == "nd77_contract"
    assert group.get_tht_regime_display() == "Hợp đồng hợp tác theo NĐ 77/2019 (sửa đổi bởi NĐ 113/2024)"
    with pytest.raises(ValidationError) as exc:
        make_organisation(tht_regime="luat_htx_2023")
    assert "tht_regime" in exc.value.message_dict


def test_a_local_cooperative_fund_is_a_kind_registered_with_a_code():
    fund = make_organisation(kind="qhtx", name="Quỹ hợp tác xã tỉnh Quảng Trị")
    fund.refresh_from_db()
    assert fund.kind == "qhtx" and fund.get_kind_display() == "Quỹ hợp tác xã địa phương"
