"""Registry pages: each works, checks scope (404), requires a write role (403), rejects bad input."""

import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hoptac.conftest import make_organisation, unit
from hoptac.geo.models import AdministrativeUnit
from hoptac.registry.models import Organisation, make_tax_code

pytestmark = pytest.mark.django_db


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get("/registry/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_the_list_shows_only_the_officers_area(client, commune_officer, vinh_linh_htx, hanoi_htx):
    client.force_login(commune_officer)
    page = client.get("/registry/").content.decode()
    assert vinh_linh_htx.name in page
    assert hanoi_htx.name not in page


def test_the_page_is_in_vietnamese_by_default(client, commune_officer):
    client.force_login(commune_officer)
    page = client.get("/registry/").content.decode()
    assert "Sổ đăng ký" in page or "Danh bạ" in page or "tổ chức kinh tế tập thể" in page.lower()


def test_search_without_accents_finds_the_cooperative(client, province_officer, vinh_linh_htx):
    make_organisation(name="HTX Nông nghiệp Vĩnh Giang")
    client.force_login(province_officer)
    page = client.get("/registry/", {"q": "hop tac xa vinh thai"}).content.decode()
    assert vinh_linh_htx.name in page and "Vĩnh Giang" not in page


def test_filter_by_a_former_district(client, province_officer, vinh_linh_htx):
    district = unit("464")  # the former Vĩnh Linh district
    covering = AdministrativeUnit.objects.current_communes_covering(district)
    outside = (
        AdministrativeUnit.objects.descendants_of(unit("44"), level="commune")
        .exclude(pk__in=covering)
        .first()
    )
    elsewhere = make_organisation(outside.code)
    client.force_login(province_officer)
    page = client.get("/registry/", {"unit": district.ref}).content.decode()
    assert vinh_linh_htx.name in page and elsewhere.name not in page


def test_the_list_costs_the_same_queries_for_5_or_30_rows(client, admin):
    client.force_login(admin)
    for _ in range(5):
        make_organisation()
    with CaptureQueriesContext(connection) as few:
        client.get("/registry/")
    for _ in range(25):
        make_organisation()
    with CaptureQueriesContext(connection) as many:
        client.get("/registry/")
    assert len(many.captured_queries) == len(few.captured_queries)
    assert len(few.captured_queries) <= 12


def test_htmx_sorting_returns_only_the_table(client, admin, vinh_linh_htx):
    client.force_login(admin)
    response = client.get(
        "/registry/", {"sort": "-name"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="registry-table"
    )
    body = response.content.decode()
    assert response.status_code == 200 and 'id="registry-table"' in body and "<html" not in body


def test_detail_is_404_outside_scope(client, other_officer, vinh_linh_htx):
    client.force_login(other_officer)
    assert client.get(f"/registry/{vinh_linh_htx.pk}/").status_code == 404


def test_detail_shows_status_and_history(client, province_officer, vinh_linh_htx):
    client.force_login(province_officer)
    page = client.get(f"/registry/{vinh_linh_htx.pk}/").content.decode()
    assert vinh_linh_htx.tax_code in page and "Thị trấn Hồ Xá" in page


def test_a_viewer_may_not_open_the_create_form(client, viewer):
    client.force_login(viewer)
    assert client.get("/registry/new/").status_code == 403
    assert client.post("/registry/new/", {"name": "x"}).status_code == 403


def test_create_with_a_wrong_tax_code_names_the_field(client, province_officer):
    client.force_login(province_officer)
    response = client.post(
        "/registry/new/",
        {
            "kind": "htx",
            "name": "HTX Mới",
            "tax_code": "0100233489",
            "commune": unit("19363").ref,
            "sector": "agriculture",
        },
    )
    assert response.status_code == 400
    assert "tax_code" in response.context["form"].errors
    assert "Mã số thuế" in response.content.decode()
    assert not Organisation.objects.filter(name="HTX Mới").exists()


def test_create_reads_dates_day_first(client, province_officer):
    client.force_login(province_officer)
    response = client.post(
        "/registry/new/",
        {
            "kind": "htx", "name": "HTX Ngày Tháng", "tax_code": make_tax_code("32", 4242) or make_tax_code("32", 4243),
            "commune": unit("19363").ref, "sector": "agriculture", "registration_date": "01/07/2025",
        },
    )  # fmt: skip
    org = Organisation.objects.get(name="HTX Ngày Tháng")
    assert response.status_code == 302
    assert (org.registration_date.day, org.registration_date.month) == (1, 7)


def test_edit_changes_and_audits(client, province_officer, vinh_linh_htx):
    client.force_login(province_officer)
    form = client.get(f"/registry/{vinh_linh_htx.pk}/edit/").context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(
        {
            "director_name": "Trần Thị Hoa",
            "commune": vinh_linh_htx.commune.ref,
            "former_commune": vinh_linh_htx.former_commune_id,
        }
    )
    data = {k: ("true" if v is True else "" if v is False else v) for k, v in data.items()}
    response = client.post(f"/registry/{vinh_linh_htx.pk}/edit/", data)
    assert response.status_code == 302, response.context["form"].errors if response.context else ""
    vinh_linh_htx.refresh_from_db()
    assert vinh_linh_htx.director_name == "Trần Thị Hoa"
    assert "Trần Thị Hoa" in client.get(f"/registry/{vinh_linh_htx.pk}/").content.decode()


def test_status_change_from_the_detail_page(client, province_officer, vinh_linh_htx):
    client.force_login(province_officer)
    client.post(
        f"/registry/{vinh_linh_htx.pk}/status/", {"status": "suspended", "effective_date": "15/03/2025"}
    )
    vinh_linh_htx.refresh_from_db()
    assert vinh_linh_htx.status == "suspended" and vinh_linh_htx.status_since.month == 3


def test_wrong_method_is_refused(client, province_officer, vinh_linh_htx):
    client.force_login(province_officer)
    assert client.post("/registry/").status_code == 405
    assert client.get(f"/registry/{vinh_linh_htx.pk}/status/").status_code == 405


def test_former_commune_options_follow_the_chosen_commune(client, province_officer):
    client.force_login(province_officer)
    body = client.get("/registry/new/former-communes/", {"commune": unit("19363").ref}).content.decode()
    assert "Thị trấn Hồ Xá" in body


def test_export_xlsx_has_only_scope_and_neutralises_formulas(client, commune_officer, hanoi_htx):
    make_organisation(name='=HYPERLINK("http://x")', kind="tht", tax_code="")
    client.force_login(commune_officer)
    response = client.get("/registry/export.xlsx")
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    names = [row[0] for row in sheet.iter_rows(min_row=4, values_only=True)]
    assert '\'=HYPERLINK("http://x")' in names
    assert hanoi_htx.name not in names


def test_export_csv_follows_the_filters(client, province_officer, vinh_linh_htx):
    make_organisation(name="HTX Khác")
    client.force_login(province_officer)
    response = client.get("/registry/export.csv", {"q": "vinh thai"})
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert vinh_linh_htx.name in body and "HTX Khác" not in body


def _body_rows(page: str) -> list[str]:
    body = page[page.index("<tbody") : page.index("</tbody>")]
    return body.split("<tr")[1:]


def test_every_row_has_a_cell_per_column_and_a_dash_for_no_tax_code(client, admin):
    """The table's body is written without django-tables2's cells (OrganisationTable.cells)."""
    group = make_organisation(kind="tht", name="Tổ hợp tác Rau Sạch", tax_code="")
    make_organisation(name="HTX Bến Quan")
    client.force_login(admin)
    page = client.get("/registry/").content.decode()
    headers = page.count('scope="col"')
    rows = _body_rows(page)
    assert headers == 7 and len(rows) == 2 and all(row.count("<td") == headers for row in rows)
    tht = next(row for row in rows if "Tổ hợp tác Rau Sạch" in row)
    assert f'href="/registry/{group.pk}/"' in tht and 'hx-boost="false"' in tht
    assert "<td>—</td>" in tht and "Xã Vĩnh Linh" in tht and "Tỉnh Quảng Trị" in tht


def test_a_page_past_the_end_shows_the_last_page(client, admin, settings):
    settings.LIST_PAGE_CAP = 1
    for i in range(30):
        make_organisation(name=f"HTX Số {i:02d}")
    client.force_login(admin)
    last = client.get("/registry/", {"page": 999}).content.decode()
    rows = _body_rows(last)
    assert len(rows) == 25 and "HTX Số 24" in rows[-1]  # the cap: one page of 25
    assert 'id="list-capped"' in last and "30 tổ chức" in last  # the count is the real one
    settings.LIST_PAGE_CAP = 200
    last = client.get("/registry/", {"page": 999}).content.decode()
    assert len(_body_rows(last)) == 5 and "HTX Số 29" in last
    assert len(_body_rows(client.get("/registry/", {"page": "x"}).content.decode())) == 25


def test_the_page_reads_its_ids_from_the_order_alone(client, admin):
    """The page's ids come from the organisation table alone (its name index serves the order
    and the offset); the rows with their communes are then read by id."""
    for i in range(3):
        make_organisation(name=f"HTX {i}")
    client.force_login(admin)
    with CaptureQueriesContext(connection) as ctx:
        client.get("/registry/", {"page": 1})
    paged = [q["sql"] for q in ctx.captured_queries if "LIMIT 25" in q["sql"]]
    assert (
        len(paged) == 1
        and "JOIN" not in paged[0]
        and paged[0].startswith('SELECT "registry_organisation"."id"')
    )


def test_the_count_follows_a_registration_when_cached(
    client, admin, settings, django_capture_on_commit_callbacks
):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "h20"}
    }
    from django.core.cache import cache

    cache.clear()
    connection.run_on_commit.clear()  # the fixtures' writes wait for a commit that never comes
    make_organisation(name="HTX Một")
    connection.run_on_commit.clear()
    client.force_login(admin)
    assert "1 tổ chức" in client.get("/registry/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        make_organisation(name="HTX Hai")
    assert "2 tổ chức" in client.get("/registry/").content.decode()
    assert "1 tổ chức" in client.get("/registry/", {"q": "hai"}).content.decode()
