"""OCOP pages: list, detail, forms with the field named, scope 404, read-only 403, scoped exports."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hoptac.conftest import make_organisation
from hoptac.core.audit import Actor
from hoptac.ocop import services
from hoptac.ocop.models import OcopProduct
from hoptac.ocop.tests.helpers import product_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def product(vinh_linh_htx):
    return services.record_product(Actor.command(), product_data(vinh_linh_htx))


def test_the_cooperatives_page_and_the_list_show_the_product(client, commune_officer, product, hanoi_htx):
    services.record_product(Actor.command(), product_data(hanoi_htx, name="Bánh cốm Hà Nội"))
    client.force_login(commune_officer)
    assert "Hồ tiêu Vĩnh Linh" in client.get(product.organisation.get_absolute_url()).content.decode()
    page = client.get("/ocop/").content.decode()
    assert "Hồ tiêu Vĩnh Linh" in page and "Bánh cốm" not in page
    assert client.get(f"/ocop/{product.pk}/").status_code == 200


def test_scope_404_and_read_only_403(client, other_officer, viewer, product):
    client.force_login(other_officer)
    assert client.get(f"/ocop/{product.pk}/").status_code == 404
    assert client.get(f"/ocop/new/{product.organisation_id}/").status_code == 404
    client.force_login(viewer)
    assert client.get(f"/ocop/{product.pk}/edit/").status_code == 403
    assert client.post(f"/ocop/{product.pk}/delete/").status_code == 403


def test_the_form_names_the_field_and_derives_the_stars(client, province_officer, vinh_linh_htx):
    client.force_login(province_officer)
    data = {
        "name": "Trà khổ qua",
        "group": "drinks",
        "score": "75",
        "stars": "5",
        "level": "",
        "decision_number": "1/QĐ",
        "decision_date": "10/08/2025",
    }
    response = client.post(f"/ocop/new/{vinh_linh_htx.pk}/", data)
    assert response.status_code == 400 and "stars" in response.context["form"].errors
    assert client.post(f"/ocop/new/{vinh_linh_htx.pk}/", {**data, "stars": ""}).status_code == 302
    product = OcopProduct.objects.get()
    assert (product.stars, product.level) == (4, "province")
    assert "10/08/2028" in client.get(f"/ocop/{product.pk}/").content.decode()


def test_exports_are_scoped(client, commune_officer, product, hanoi_htx):
    services.record_product(Actor.command(), product_data(hanoi_htx, name="Bánh cốm Hà Nội"))
    client.force_login(commune_officer)
    body = b"".join(client.get("/ocop/export.csv").streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert len(rows) == 2 and rows[1][0] == "Hồ tiêu Vĩnh Linh" and rows[1][9] == "31/05/2023"
    assert client.get("/ocop/export.xlsx", {"status": "active"}).status_code == 200


def test_the_list_costs_the_same_queries_for_2_or_12_products(client, admin):
    client.force_login(admin)
    orgs = [make_organisation() for _ in range(12)]
    for org in orgs[:2]:
        services.record_product(Actor.command(), product_data(org))
    with CaptureQueriesContext(connection) as few:
        client.get("/ocop/")
    for org in orgs[2:]:
        services.record_product(Actor.command(), product_data(org))
    with CaptureQueriesContext(connection) as many:
        client.get("/ocop/")
    assert len(many) == len(few)
