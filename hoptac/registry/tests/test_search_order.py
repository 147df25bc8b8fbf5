"""Search as Vietnamese users write, and names in Vietnamese alphabetical order (pages, API, export)."""

import pytest
from rest_framework.test import APIClient

from hoptac.conftest import make_organisation
from hoptac.registry.models import Organisation

pytestmark = pytest.mark.django_db

NAMES = ["HTX Võ Xu", "HTX Bình Thạnh 3", "HTX Vĩnh Thái", "HTX Bến Quan", "HTX Ân Phú", "HTX An Lạc"]
IN_ORDER = ["HTX An Lạc", "HTX Ân Phú", "HTX Bến Quan", "HTX Bình Thạnh 3", "HTX Vĩnh Thái", "HTX Võ Xu"]


@pytest.fixture
def named(db):
    return [make_organisation(name=name) for name in NAMES]


def _positions(text, names):
    return [text.index(name) for name in names]


def test_the_database_orders_names_as_vietnamese_do(named):
    assert [o.name for o in Organisation.objects.filter(pk__in=[o.pk for o in named])] == IN_ORDER


def test_the_list_page_and_its_sort_are_in_vietnamese_order(client, admin, named):
    client.force_login(admin)
    page = client.get("/registry/").content.decode()
    positions = _positions(page, IN_ORDER)
    assert positions == sorted(positions)
    page = client.get("/registry/", {"sort": "-name"}).content.decode()
    positions = _positions(page, IN_ORDER)
    assert positions == sorted(positions, reverse=True)


def test_the_api_default_order_is_vietnamese(admin, named):
    api = APIClient()
    api.force_authenticate(admin)
    names = [r["name"] for r in api.get("/api/v1/organisations/", {"page_size": 100}).json()["results"]]
    assert [n for n in names if n in IN_ORDER] == IN_ORDER


def test_the_export_is_in_vietnamese_order(client, admin, named):
    client.force_login(admin)
    body = b"".join(client.get("/registry/export.csv").streaming_content).decode("utf-8-sig")
    positions = _positions(body, IN_ORDER)
    assert positions == sorted(positions)


def test_hop_tac_xa_finds_the_cooperatives_named_htx(client, province_officer, named):
    other = make_organisation(name="Tổ hợp tác Vĩnh Hoà")
    client.force_login(province_officer)
    page = client.get("/registry/", {"q": "hop tac xa vinh"}).content.decode()
    assert "HTX Vĩnh Thái" in page and "HTX Bến Quan" not in page and other.name not in page
    page = client.get("/registry/", {"q": "tht vinh hoa"}).content.decode()
    assert other.name in page and "HTX Vĩnh Thái" not in page
    page = client.get("/registry/", {"q": "Hợp tác xã Vinh"}).content.decode()
    assert "HTX Vĩnh Thái" in page


def test_results_are_ranked_exact_then_starts_with_then_contains(province_officer):
    contains = make_organisation(name="HTX Dịch vụ Vĩnh Long")
    starts = make_organisation(name="Hợp tác xã Vĩnh Long Bắc")
    exact = make_organisation(name="HTX Vĩnh Long")
    found = list(Organisation.objects.restrict(province_officer).best_first("hợp tác xã vĩnh long"))
    assert found[:3] == [exact, starts, contains]


def test_the_list_query_sorts_by_the_stored_key_or_the_icu_collation(named):
    from django.db import connection

    from hoptac.core.text import sort_text

    assert all(
        o.name_key == sort_text(o.name) for o in Organisation.objects.filter(pk__in=[o.pk for o in named])
    )
    sql = str(Organisation.objects.all().query)
    if connection.vendor == "sqlite":
        assert "name_key" in sql.split("ORDER BY")[1]  # indexed, no Python call per comparison
    else:
        assert 'COLLATE "vi"' in sql.split("ORDER BY")[1]


def test_pagination_speaks_vietnamese(client, admin):
    for _ in range(26):
        make_organisation()
    client.force_login(admin)
    page = client.get("/registry/").content.decode()
    import re

    shown = re.sub(r"<[^>]+>", " ", page.split("pagination", 1)[1])
    assert "trang sau" in shown and "next" not in shown and "previous" not in shown


def test_sorting_by_commune_follows_vietnamese_order(client, admin):
    from hoptac.conftest import unit

    binh = make_organisation("00004", name="HTX Một")  # Phường Ba Đình (Hà Nội)
    vinh = make_organisation("19363", name="HTX Hai")  # Xã Vĩnh Linh
    assert unit("00004").name_key < unit("19363").name_key
    client.force_login(admin)
    page = client.get("/registry/", {"sort": "commune"}).content.decode()
    assert page.index(binh.name) < page.index(vinh.name)
