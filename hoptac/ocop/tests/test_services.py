"""OCOP services: derived stars and level, refusals that name the field, scope, audit, status."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from hoptac.core.audit import Actor, history
from hoptac.ocop import services
from hoptac.ocop.models import OcopProduct
from hoptac.ocop.tests.helpers import product_data

pytestmark = pytest.mark.django_db


def test_a_product_is_recorded_with_its_expiry_and_audited(province_officer, vinh_linh_htx):
    product = services.record_product(Actor(user=province_officer, source="web"), product_data(vinh_linh_htx))
    assert product.expires_on == datetime.date(2026, 5, 31) and product.stars == 4
    assert history(product).get().action == "create"


def test_stars_and_level_left_blank_follow_from_score_and_date(province_officer, vinh_linh_htx):
    actor = Actor(user=province_officer, source="web")
    old = services.record_product(
        actor,
        product_data(vinh_linh_htx, score=60, stars=None, level="", decision_date=datetime.date(2024, 3, 1)),
    )
    new = services.record_product(
        actor,
        product_data(vinh_linh_htx, score=60, stars=None, level="", decision_date=datetime.date(2025, 8, 1)),
    )
    assert (old.stars, old.level, new.level) == (3, "district", "province")


@pytest.mark.parametrize(
    ("extra", "field"),
    [({"stars": 5}, "stars"), ({"score": 95, "stars": 5}, "level"), ({"score": 45, "stars": 3}, "score"),
     ({"score": 101, "stars": 5, "level": "central"}, "score"), ({"decision_date": datetime.date(2099, 1, 1)}, "decision_date"),
     ({"score": 60, "stars": 3, "level": "province", "decision_date": datetime.date(2024, 1, 1)}, "level")],
)  # fmt: skip
def test_disagreements_are_refused_with_the_field_named(province_officer, vinh_linh_htx, extra, field):
    with pytest.raises(ValidationError) as exc:
        services.record_product(
            Actor(user=province_officer, source="web"), product_data(vinh_linh_htx, **extra)
        )
    assert field in exc.value.message_dict
    assert not OcopProduct.objects.exists()


def test_other_areas_and_viewers_cannot_record(other_officer, viewer, vinh_linh_htx):
    for user in (other_officer, viewer):
        with pytest.raises(PermissionDenied):
            services.record_product(Actor(user=user, source="web"), product_data(vinh_linh_htx))


def test_status_is_active_until_the_expiry_then_expired(province_officer, vinh_linh_htx):
    actor = Actor(user=province_officer, source="web")
    expired = services.record_product(
        actor, product_data(vinh_linh_htx, decision_date=datetime.date(2021, 3, 1))
    )
    recent = timezone.localdate() - datetime.timedelta(days=10)
    valid = services.record_product(actor, product_data(vinh_linh_htx, decision_date=recent))
    assert (expired.status, valid.status) == ("expired", "active")
    assert list(OcopProduct.objects.with_status("active")) == [valid]
    assert (
        OcopProduct.objects.with_status(
            "expired", today=valid.expires_on + datetime.timedelta(days=1)
        ).count()
        == 2
    )


def test_a_correction_is_audited_and_moves_the_expiry(province_officer, vinh_linh_htx):
    actor = Actor(user=province_officer, source="web")
    product = services.record_product(actor, product_data(vinh_linh_htx))
    product = services.update_product(actor, product, {"decision_date": datetime.date(2023, 6, 30)})
    assert product.expires_on == datetime.date(2026, 6, 30)
    entry = history(product).first()
    assert entry.action == "update" and entry.after["decision_date"] == "2023-06-30"
