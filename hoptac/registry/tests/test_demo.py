"""`make demo`'s loaders on an empty database: what a first-time visitor signs in to.

The loaders are where a domain app that forgot to register its demo builder would show
(`AppConfig.demo_builder`), so the test runs them as `make demo` does: load-units, load-plans,
load-demo, here with a smaller demo (`--communes`) to keep the suite fast.
"""

import pytest
from django.core.management import call_command

from hoptac.accounts.models import User
from hoptac.figures.models import AnnualFigures
from hoptac.plans.models import Plan
from hoptac.registry.models import Organisation
from hoptac.tasks.models import Task
from hoptac.trace.models import Event, Lot

DEMO_PASSWORD = "hoptac-demo"


@pytest.mark.django_db
def test_load_demo_builds_the_demo_on_an_empty_database(client, capsys):
    assert not Organisation.objects.exists() and not User.objects.exists()
    call_command("load-units")  # already loaded for the test database: a no-op, as on a second `make demo`
    call_command("load-plans")
    call_command("load-demo", "--communes", "3")
    out = capsys.readouterr().out
    assert "Demo registry:" in out

    organisations = Organisation.objects.all()
    assert organisations.filter(kind="htx").count() >= 3
    assert organisations.filter(kind="tht").exists()
    # Each area of the demo (two former districts and a former province) has organisations.
    assert set(organisations.values_list("commune__province__code", flat=True)) >= {"44", "51", "68"}
    assert AnnualFigures.objects.filter(status="approved").exists()
    assert Task.objects.filter(plan__in=Plan.objects.all()).exists()

    # The demo accounts sign in with the printed password.
    for username in ("admin", "quangtri", "vinhlinh", "lamdong", "pktht", "htx"):
        assert User.objects.get(username=username).check_password(DEMO_PASSWORD), username
        assert f"  {username}" in out

    # A traced lot with its events, shown on its public page.
    lot = Lot.objects.filter(events__isnull=False).order_by("pk").first()
    assert lot is not None and Event.objects.filter(lot=lot).count() >= 2
    page = client.get(f"/t/{lot.code}/")
    assert page.status_code == 200 and lot.product.name in page.content.decode()

    # Each organisation's products are of its own trade: no aquaculture cooperative selling organic rice.
    from hoptac.ocop.models import OcopProduct
    from hoptac.registry.demo import trade_of
    from hoptac.trace.models import Product

    traced = list(Product.objects.select_related("organisation"))
    assert traced and all(trade_of(p.organisation.name) for p in traced)
    assert all(trade_of(p.organisation.name) == "farming" for p in traced if "ST25" in p.name)
    assert all(trade_of(p.organisation.name) for p in OcopProduct.objects.select_related("organisation"))
    # The home card counts the active cooperatives and opens the list of those.
    client.force_login(User.objects.get(username="admin"))
    assert "?kind=htx&amp;status=active" in client.get("/").content.decode()

    # A second run (the next `make demo`) reuses the data instead of failing on it.
    count = organisations.count()
    call_command("load-demo", "--communes", "3")
    assert "already loaded" in capsys.readouterr().out
    assert Organisation.objects.count() == count
