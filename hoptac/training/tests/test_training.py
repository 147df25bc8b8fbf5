"""Managers and training: the register behind the managers' shares."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from hoptac.core.audit import Actor
from hoptac.training import services

pytestmark = pytest.mark.django_db


def test_managers_and_trainings_give_the_shares(client, province_officer, other_officer, vinh_linh_htx):
    actor = Actor(user=province_officer, source="web")
    director = services.add_manager(
        actor, vinh_linh_htx, name="Lê Văn Tâm", role="director", education="degree", birth_year=1980
    )
    services.add_manager(
        actor, vinh_linh_htx, name="Trần Thị Hoa", role="accountant", education="intermediate"
    )
    services.record_training(
        actor, director, course="Sơ cấp nghề giám đốc HTX", level="director", start=datetime.date(2024, 3, 1)
    )
    assert services.shares(vinh_linh_htx) == {
        "managers": 2,
        "degree": 1,
        "trained": 1,
        "directors_trained": 1,
        "directors": 1,
    }
    with pytest.raises(PermissionDenied):
        services.add_manager(
            Actor(user=other_officer, source="web"), vinh_linh_htx, name="X", role="board", education="none"
        )
    client.force_login(province_officer)
    assert "Sơ cấp nghề giám đốc HTX" in client.get(f"/registry/{vinh_linh_htx.pk}/").content.decode()
