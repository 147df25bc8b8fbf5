"""Support records: money or in kind, scoped, summarised, with figures before and after."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from rest_framework.test import APIClient

from hoptac.conftest import make_organisation
from hoptac.core.audit import Actor
from hoptac.figures import services as figures
from hoptac.support import services
from hoptac.support.models import Policy, SupportRecord

pytestmark = pytest.mark.django_db


def data(org, **extra):
    return {"organisation": org, "policy": Policy.objects.get(code="credit-fund"), "date": datetime.date(2023, 6, 1),
            "amount": 300_000_000, "source": "local", **extra}  # fmt: skip


def test_support_needs_money_or_in_kind_and_scope(province_officer, other_officer, vinh_linh_htx):
    with pytest.raises(ValidationError):
        services.record_support(Actor(user=province_officer, source="web"), data(vinh_linh_htx, amount=None))
    with pytest.raises(PermissionDenied):
        services.record_support(Actor(user=other_officer, source="web"), data(vinh_linh_htx))
    services.record_support(
        Actor(user=province_officer, source="web"), data(vinh_linh_htx, amount=None, in_kind="Máy sấy")
    )
    assert SupportRecord.objects.count() == 1


def test_summaries_by_policy_source_and_year(province_officer):
    actor = Actor(user=province_officer, source="web")
    a, b = make_organisation(), make_organisation()
    services.record_support(actor, data(a))
    services.record_support(actor, data(b, amount=200_000_000, source="central"))
    by_source = {
        r["source"]: (r["n"], r["money"]) for r in services.summary(SupportRecord.objects.all(), "source")
    }
    assert by_source == {"local": (1, 300_000_000), "central": (1, 200_000_000)}
    assert services.summary(SupportRecord.objects.all(), "date__year")[0]["money"] == 500_000_000


def test_figures_before_and_after_support_on_the_page(client, province_officer, vinh_linh_htx):
    actor = Actor.command()
    for year, revenue in [(2022, 800_000_000), (2024, 1_500_000_000)]:
        f = figures.save_figures(
            actor, vinh_linh_htx, year, {"members_official": 20, "revenue": revenue}, confirm_warnings=True
        )
        figures.approve(actor, figures.submit(actor, f))
    services.record_support(actor, data(vinh_linh_htx))
    effect = services.before_and_after(vinh_linh_htx)
    assert (effect["before"].year, effect["after"].year) == (2022, 2024)
    client.force_login(province_officer)
    page = client.get(f"/registry/{vinh_linh_htx.pk}/").content.decode()
    assert "1.500.000.000" in page and "800.000.000" in page
    assert client.get("/support/", {"year": 2023}).status_code == 200
    api = APIClient()
    api.force_authenticate(province_officer)
    assert api.get("/api/v1/support/").json()["count"] == 1
