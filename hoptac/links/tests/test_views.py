"""Link pages: each works, checks scope (404), requires a write role (403), rejects bad input."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hoptac.conftest import make_organisation
from hoptac.core.audit import Actor
from hoptac.links import services
from hoptac.links.models import Link
from hoptac.links.tests.helpers import ENTERPRISE, link_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def link(vinh_linh_htx):
    return services.create_link(Actor.command(), link_data(vinh_linh_htx))


def test_the_list_shows_only_the_officers_area_and_the_share(client, commune_officer, link, hanoi_htx):
    services.create_link(Actor.command(), link_data(hanoi_htx, enterprise_name="Công ty Hà Nội"))
    client.force_login(commune_officer)
    page = client.get("/links/", {"year": 2024}).content.decode()
    assert "Công ty TNHH Nông sản Việt" in page and "Công ty Hà Nội" not in page
    assert "1 trên 1 HTX nông nghiệp liên kết với doanh nghiệp trong năm 2024" in page


def test_the_cooperatives_page_shows_its_links(client, province_officer, link):
    client.force_login(province_officer)
    assert "Công ty TNHH Nông sản Việt" in client.get(link.organisation.get_absolute_url()).content.decode()


def test_other_areas_get_404_and_viewers_403(client, other_officer, viewer, link):
    client.force_login(other_officer)
    assert client.get(f"/links/{link.pk}/").status_code == 404
    assert client.post(f"/links/{link.pk}/end/", {"end_date": "31/12/2025"}).status_code == 404
    assert client.get(f"/links/new/{link.organisation_id}/").status_code == 404
    client.force_login(viewer)
    assert client.get(f"/links/{link.pk}/").status_code == 200
    assert client.get(f"/links/{link.pk}/edit/").status_code == 403
    assert client.post(f"/links/{link.pk}/end/", {"end_date": "31/12/2025"}).status_code == 403


def test_a_bad_tax_code_is_shown_beside_its_field(client, province_officer, vinh_linh_htx):
    client.force_login(province_officer)
    response = client.post(f"/links/new/{vinh_linh_htx.pk}/", {"enterprise_name": "Công ty B", "enterprise_tax_code": "123",
                                                                "product": "Rau", "start_date": "01/07/2025"})  # fmt: skip
    assert response.status_code == 400 and "enterprise_tax_code" in response.context["form"].errors
    ok = client.post(f"/links/new/{vinh_linh_htx.pk}/", {"enterprise_name": "Công ty B", "enterprise_tax_code": ENTERPRISE,
                                                          "product": "Rau", "start_date": "01/07/2025"})  # fmt: skip
    assert ok.status_code == 302 and Link.objects.get().start_date == datetime.date(2025, 7, 1)


def test_edit_end_and_delete(client, province_officer, link):
    client.force_login(province_officer)
    data = {
        "enterprise_name": "Công ty mới",
        "enterprise_tax_code": ENTERPRISE,
        "product": "Tiêu",
        "start_date": "01/03/2024",
        "value": "5000000",
    }
    assert client.post(f"/links/{link.pk}/edit/", data).status_code == 302
    assert (
        client.post(f"/links/{link.pk}/end/", {"end_date": "01/01/2020"}).status_code == 302
    )  # before start: message
    link.refresh_from_db()
    assert (link.enterprise_name, link.end_date) == ("Công ty mới", None)
    client.post(f"/links/{link.pk}/end/", {"end_date": "31/12/2025"})
    link.refresh_from_db()
    assert link.end_date == datetime.date(2025, 12, 31)
    assert "31/12/2025" in client.get(f"/links/{link.pk}/").content.decode()
    assert client.post(f"/links/{link.pk}/delete/").status_code == 302 and not Link.objects.exists()


def test_wrong_methods_are_refused(client, province_officer, link):
    client.force_login(province_officer)
    assert client.get(f"/links/{link.pk}/end/").status_code == 405
    assert client.post("/links/").status_code == 405


def test_exports_are_scoped(client, commune_officer, link, hanoi_htx):
    services.create_link(Actor.command(), link_data(hanoi_htx, enterprise_name="=HYPERLINK(1)"))
    client.force_login(commune_officer)
    response = client.get("/links/export.csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert len(rows) == 2 and rows[1][0] == link.organisation.name
    assert client.get("/links/export.xlsx").status_code == 200


def test_the_list_costs_the_same_queries_for_3_or_20_links(client, admin):
    client.force_login(admin)
    orgs = [make_organisation() for _ in range(20)]
    for org in orgs[:3]:
        services.create_link(Actor.command(), link_data(org))
    with CaptureQueriesContext(connection) as few:
        client.get("/links/")
    for org in orgs[3:]:
        services.create_link(Actor.command(), link_data(org))
    with CaptureQueriesContext(connection) as many:
        client.get("/links/")
    assert len(many) == len(few)
