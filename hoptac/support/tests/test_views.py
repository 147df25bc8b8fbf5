"""Support pages: list with summaries, forms naming the field, scope 404, read-only 403, scoped exports,
and the figures before and after support on the cooperative's page."""

import csv
import io

import pytest

from hoptac.core.audit import Actor
from hoptac.figures import services as figures
from hoptac.support import services
from hoptac.support.models import Policy, SupportRecord
from hoptac.support.tests.helpers import support_data

pytestmark = pytest.mark.django_db


def test_recording_support_from_the_cooperatives_page(client, province_officer, vinh_linh_htx):
    client.force_login(province_officer)
    assert (
        f"/support/new/{vinh_linh_htx.pk}/" in client.get(vinh_linh_htx.get_absolute_url()).content.decode()
    )
    policy = Policy.objects.get(code="land").pk
    bad = client.post(
        f"/support/new/{vinh_linh_htx.pk}/",
        {"policy": policy, "date": "01/06/2024", "source": "local", "in_kind": "Đất thuê"},
    )
    assert bad.status_code == 400 and "in_kind_value" in bad.context["form"].errors
    ok = client.post(
        f"/support/new/{vinh_linh_htx.pk}/",
        {"policy": policy, "date": "01/06/2024", "source": "local", "amount": "1234567"},
    )
    support = SupportRecord.objects.get()
    assert ok.status_code == 302 and ok["Location"] == support.get_absolute_url()
    assert "1.234.567 đồng" in client.get(vinh_linh_htx.get_absolute_url()).content.decode()
    assert "01/06/2024" in client.get(support.get_absolute_url()).content.decode()


def test_scope_404_and_read_only_403(client, other_officer, viewer, vinh_linh_htx):
    support = services.record_support(Actor.command(), support_data(vinh_linh_htx))
    client.force_login(other_officer)
    assert client.get(f"/support/{support.pk}/").status_code == 404
    assert client.get(f"/support/new/{vinh_linh_htx.pk}/").status_code == 404
    client.force_login(viewer)
    assert client.get(f"/support/{support.pk}/").status_code == 200
    assert client.post(f"/support/{support.pk}/edit/", {}).status_code == 403
    assert client.post("/support/").status_code == 405


def test_the_list_summarises_and_the_exports_are_scoped(client, commune_officer, vinh_linh_htx, hanoi_htx):
    services.record_support(Actor.command(), support_data(vinh_linh_htx))
    services.record_support(Actor.command(), support_data(hanoi_htx, amount=999_000_000))
    client.force_login(commune_officer)
    page = client.get("/support/", {"year": 2023}).content.decode()
    assert "300.000.000 đồng" in page and "999.000.000" not in page
    body = b"".join(client.get("/support/export.csv").streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert [r[0] for r in rows[1:]] == [vinh_linh_htx.name] and rows[1][5] == "300000000"
    assert client.get("/support/export.xlsx", {"source": "local"}).status_code == 200


def test_figures_before_and_after_support_on_the_page(client, province_officer, vinh_linh_htx):
    actor = Actor.command()
    for year, revenue in [(2022, 800_000_000), (2024, 1_500_000_000)]:
        f = figures.save_figures(
            actor, vinh_linh_htx, year, {"members_official": 20, "revenue": revenue}, confirm_warnings=True
        )
        figures.approve(actor, figures.submit(actor, f))
    services.record_support(actor, support_data(vinh_linh_htx))
    effect = services.before_and_after(vinh_linh_htx)
    assert (effect["before"].year, effect["after"].year) == (2022, 2024)
    client.force_login(province_officer)
    page = client.get(f"/registry/{vinh_linh_htx.pk}/").content.decode()
    assert "1.500.000.000" in page and "800.000.000" in page
