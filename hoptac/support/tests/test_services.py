"""Support records: money or in kind, validated with the field named, scoped, audited, summarised."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from hoptac.conftest import make_organisation
from hoptac.core.audit import Actor, history
from hoptac.support import services
from hoptac.support.models import Policy, SupportRecord
from hoptac.support.tests.helpers import support_data

pytestmark = pytest.mark.django_db


def test_the_policy_catalogue_comes_from_the_seeds():
    assert {"human-resources", "land", "credit-fund", "credit-internal", "science-technology", "infrastructure",
            "social-insurance", "trade-promotion", "new-cooperatives", "women-led", "ethnic-mountain"} <= set(
        Policy.objects.values_list("code", flat=True))  # fmt: skip


@pytest.mark.parametrize(
    ("extra", "field"),
    [({"amount": None}, "amount"), ({"amount": None, "in_kind": "Máy sấy"}, "in_kind_value"),
     ({"in_kind_value": 5_000_000}, "in_kind"), ({"date": datetime.date(2099, 1, 1)}, "date"),
     ({"decision_date": datetime.date(2023, 7, 1)}, "decision_date"), ({"source": "lottery"}, "source")],
)  # fmt: skip
def test_bad_records_are_refused_with_the_field_named(province_officer, vinh_linh_htx, extra, field):
    with pytest.raises(ValidationError) as exc:
        services.record_support(
            Actor(user=province_officer, source="web"), support_data(vinh_linh_htx, **extra)
        )
    assert field in exc.value.message_dict
    assert not SupportRecord.objects.exists()


def test_in_kind_support_and_its_audit(province_officer, vinh_linh_htx):
    actor = Actor(user=province_officer, source="web")
    support = services.record_support(
        actor, support_data(vinh_linh_htx, amount=None, in_kind="Máy sấy", in_kind_value=150_000_000)
    )
    assert support.value == 150_000_000
    services.update_support(actor, support, {"decision_number": "12/QĐ-UBND"})
    assert [e.action for e in history(support)] == ["update", "create"]


def test_other_areas_and_viewers_cannot_record(other_officer, viewer, vinh_linh_htx):
    for user in (other_officer, viewer):
        with pytest.raises(PermissionDenied):
            services.record_support(Actor(user=user, source="web"), support_data(vinh_linh_htx))


def test_summaries_by_policy_source_year_and_unit(province_officer):
    actor = Actor(user=province_officer, source="web")
    a, b = make_organisation(), make_organisation()
    services.record_support(actor, support_data(a))
    services.record_support(
        actor, support_data(b, amount=200_000_000, source="central", date=datetime.date(2024, 2, 1))
    )
    services.record_support(actor, support_data(b, amount=None, in_kind="Máy sấy", in_kind_value=50_000_000))
    records = SupportRecord.objects.all()
    by_source = {r["key"]: (r["n"], r["money"], r["in_kind"]) for r in services.summary(records, "source")}
    assert by_source == {"local": (2, 300_000_000, 50_000_000), "central": (1, 200_000_000, 0)}
    assert [(r["key"], r["total"]) for r in services.summary(records, "year")] == [
        (2023, 350_000_000),
        (2024, 200_000_000),
    ]
    assert services.summary(records, "province")[0]["total"] == 550_000_000
