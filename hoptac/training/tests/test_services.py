"""Managers and training: validation with the field named, scope, audit, the shares."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from hoptac.conftest import make_organisation
from hoptac.core.audit import Actor, history
from hoptac.support.models import Policy, SupportRecord
from hoptac.training import services

pytestmark = pytest.mark.django_db
DIRECTOR = {"name": "Lê Văn Tâm", "role": "director", "education": "degree", "birth_year": 1980}
COURSE = {"course": "Sơ cấp nghề giám đốc HTX", "level": "director", "start": datetime.date(2024, 3, 1)}


def test_managers_and_trainings_give_the_shares(province_officer, vinh_linh_htx):
    actor = Actor(user=province_officer, source="web")
    director = services.add_manager(actor, vinh_linh_htx, DIRECTOR)
    accountant = services.add_manager(
        actor,
        vinh_linh_htx,
        {"name": "Trần Thị Hoa", "role": "accountant", "education": "intermediate", "is_woman": True},
    )
    services.record_training(actor, director, COURSE)
    assert services.shares(vinh_linh_htx) == {
        "managers": 2,
        "degree": 1,
        "trained": 1,
        "directors_trained": 1,
        "directors": 1,
    }
    services.update_manager(actor, accountant, {"left_on": datetime.date(2025, 1, 1)})
    assert services.shares(vinh_linh_htx)["managers"] == 1  # in office only
    assert [e.action for e in history(accountant)] == ["update", "create"]


@pytest.mark.parametrize(
    ("data", "field"),
    [({"birth_year": 1890}, "birth_year"), ({"role": "king"}, "role"), ({"name": ""}, "name")],
)
def test_a_bad_manager_is_refused_with_the_field(province_officer, vinh_linh_htx, data, field):
    with pytest.raises(ValidationError) as exc:
        services.add_manager(Actor(user=province_officer, source="web"), vinh_linh_htx, {**DIRECTOR, **data})
    assert field in exc.value.message_dict


def test_a_course_checks_its_dates_and_that_the_support_is_the_cooperatives(province_officer, vinh_linh_htx):
    actor = Actor(user=province_officer, source="web")
    director = services.add_manager(actor, vinh_linh_htx, DIRECTOR)
    with pytest.raises(ValidationError) as exc:
        services.record_training(actor, director, {**COURSE, "end": datetime.date(2024, 1, 1)})
    assert "end" in exc.value.message_dict
    other = SupportRecord.objects.create(organisation=make_organisation(), policy=Policy.objects.get(code="human-resources"),
                                         date=datetime.date(2024, 1, 1), amount=10_000_000, source="local")  # fmt: skip
    with pytest.raises(ValidationError) as exc:
        services.record_training(actor, director, {**COURSE, "funded_by": other})
    assert "funded_by" in exc.value.message_dict
    own = SupportRecord.objects.create(
        organisation=vinh_linh_htx, policy=other.policy, date=other.date, amount=10_000_000, source="local"
    )
    assert services.record_training(actor, director, {**COURSE, "funded_by": own}).funded_by == own


def test_other_areas_and_viewers_cannot_write(other_officer, viewer, vinh_linh_htx):
    for user in (other_officer, viewer):
        with pytest.raises(PermissionDenied):
            services.add_manager(Actor(user=user, source="web"), vinh_linh_htx, DIRECTOR)
