"""Issue 14: nothing silently ignored, no 500 on a hostile parameter, one error body, a truthful schema."""

from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from hoptac.core.audit import Actor
from hoptac.registry.models import Organisation, make_tax_code
from hoptac.tasks.models import TaskUpdate
from hoptac.tasks.tests.test_tasks import plan  # noqa: F401  (the fixture)
from hoptac.trace import services
from hoptac.trace.tests.helpers import at, event, lot, product

pytestmark = pytest.mark.django_db


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_a_read_only_field_is_refused_with_the_way_to_change_it(province_officer, vinh_linh_htx):
    response = api(province_officer).patch(
        f"/api/v1/organisations/{vinh_linh_htx.pk}/", {"status": "dissolved"}, format="json"
    )
    assert response.status_code == 400
    body = response.json()
    assert body["error"] == "invalid" and "/status/" in body["status"][0]
    vinh_linh_htx.refresh_from_db()
    assert vinh_linh_htx.status == "active"


def test_the_document_as_read_can_be_sent_back(province_officer, vinh_linh_htx):
    client = api(province_officer)
    document = client.get(f"/api/v1/organisations/{vinh_linh_htx.pk}/").json()
    response = client.put(
        f"/api/v1/organisations/{vinh_linh_htx.pk}/", {**document, "phone": "0233 3820 000"}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["phone"] == "0233 3820 000"


def test_an_unknown_field_is_refused_by_name(province_officer):
    payload = {"kind": "htx", "name": "HTX Qua API", "tax_code": make_tax_code("32", 9101) or make_tax_code("32", 9102),
               "commune": "19363", "founded_on": "2020-01-01"}  # fmt: skip
    response = api(province_officer).post("/api/v1/organisations/", payload, format="json")
    assert response.status_code == 400 and list(response.json()) == ["error", "founded_on"]
    assert not Organisation.objects.filter(name="HTX Qua API").exists()


def test_a_registration_date_in_the_future_is_refused(province_officer, vinh_linh_htx):
    response = api(province_officer).patch(
        f"/api/v1/organisations/{vinh_linh_htx.pk}/", {"registration_date": "9999-12-31"}, format="json"
    )
    assert response.status_code == 400 and "registration_date" in response.json()


def test_a_task_update_keeps_its_year_or_is_refused(plan, district_officer):  # noqa: F811
    client = api(district_officer)
    yearly, once = plan.tasks.get(code="2.3"), plan.tasks.get(code="1.2")
    response = client.post(
        f"/api/v1/tasks/{yearly.pk}/updates/", {"status": "in_progress", "year": 2024}, format="json"
    )
    assert response.status_code == 201 and response.json()["year"] == 2024
    assert TaskUpdate.objects.get(pk=response.json()["id"]).year == 2024
    refused = client.post(
        f"/api/v1/tasks/{once.pk}/updates/", {"status": "in_progress", "year": 2024}, format="json"
    )
    assert refused.status_code == 400 and "year" in refused.json()


def test_the_task_page_shows_an_update_without_agency_nor_author(client, plan, district_officer):  # noqa: F811
    task = plan.tasks.get(code="2.3")
    TaskUpdate.objects.create(task=task, status="in_progress", percent=10, note="Nhập từ báo cáo giấy")
    client.force_login(district_officer)
    response = client.get(f"/tasks/{task.pk}/")
    assert response.status_code == 200 and "Nhập từ báo cáo giấy" in response.content.decode()


@pytest.mark.parametrize("year", ["0", "-1", "99999999", "2025.5", "x", "²"])
@pytest.mark.parametrize("path", ["/api/v1/links/", "/api/v1/ocop/", "/api/v1/support/", "/api/v1/links/share/",
                                  "/api/v1/figures/"])  # fmt: skip
def test_a_year_out_of_range_is_a_400(province_officer, path, year):
    response = api(province_officer).get(path, {"year": year})
    assert response.status_code == 400 and response.json()["error"] == "invalid" and "year" in response.json()


@pytest.mark.parametrize(
    "path", ["/api/v1/organisations/", "/api/v1/links/", "/api/v1/support/", "/api/v1/ocop/"]
)
def test_a_percent_in_a_unit_is_not_formatted_twice(province_officer, path):
    response = api(province_officer).get(path, {"unit": "%s"})
    assert response.status_code == 400 and "%s" in response.json()["unit"][0]


def test_merge_with_an_identifier_out_of_range_is_a_400(province_officer, vinh_linh_htx):
    response = api(province_officer).post(
        f"/api/v1/organisations/{vinh_linh_htx.pk}/merge/",
        {"merged": [2**70], "effective_date": "2025-01-01"},
        format="json",
    )
    assert response.status_code == 400 and "merged[0]" in response.json()


def test_a_year_in_the_path_is_validated(province_officer, vinh_linh_htx, client):
    response = api(province_officer).get(f"/api/v1/organisations/{vinh_linh_htx.pk}/figures/1/")
    assert response.status_code == 404 and response.json()["error"] == "not_found"
    response = api(province_officer).put(
        f"/api/v1/organisations/{vinh_linh_htx.pk}/figures/1/", {"members_official": 9}, format="json"
    )
    assert response.status_code == 404
    client.force_login(province_officer)
    assert client.get(f"/figures/{vinh_linh_htx.pk}/1/").status_code == 404


def test_an_impossible_date_on_the_epcis_export_is_a_400(province_officer, vinh_linh_htx):
    response = api(province_officer).get(
        "/api/v1/trace/epcis/", {"organisation": vinh_linh_htx.pk, "from": "2025-02-31"}
    )
    assert response.status_code == 400 and "from" in response.json()


def test_a_lot_quantity_below_zero_is_refused(province_officer, vinh_linh_htx):
    prod = product(vinh_linh_htx)
    response = api(province_officer).post(
        "/api/v1/trace/lots/",
        {"product": prod.pk, "produced_on": "2025-09-20", "quantity": -5},
        format="json",
    )
    assert response.status_code == 400 and "quantity" in response.json()


def test_event_input_quantities_are_numbers(province_officer, vinh_linh_htx):
    prod = product(vinh_linh_htx)
    source, made = lot(prod), lot(prod)
    event(source)
    services.record_event(
        Actor.command(), made, {"step": "processing", "event_time": at("2025-09-22")},
        [services.InputLot(source.code, Decimal("11850.000"), "KGM")],
    )  # fmt: skip
    events = api(province_officer).get("/api/v1/trace/events/", {"lot": made.code}).json()["results"]
    assert events[0]["inputs"][0]["quantity"] == 11850


def test_verify_documents_what_it_returns(province_officer, vinh_linh_htx):
    made = lot(product(vinh_linh_htx))
    body = api(province_officer).get(f"/api/v1/trace/lots/{made.code}/verify/").json()
    schema = APIClient().get("/api/v1/schema/", {"format": "json"}).json()
    documented = schema["paths"]["/api/v1/trace/lots/{code}/verify/"]["get"]["responses"]["200"]
    ref = documented["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    assert set(body) == set(schema["components"]["schemas"][ref]["properties"])


@pytest.mark.parametrize(
    "url",
    ["/links/?year=0", "/links/?year=99999999", "/reporting/?year=0", "/reporting/?year=99999999",
     "/support/?year=-1", "/ocop/?year=x", "/registry/?unit=%25s"],
)  # fmt: skip
def test_ui_filters_never_answer_500(client, province_officer, url):
    """A list page shows the filter's error (200 or 400 by page); the reporting calendar answers 400."""
    client.force_login(province_officer)
    response = client.get(url)
    assert response.status_code < 500
    if url.startswith("/reporting/"):
        assert response.status_code == 400


def test_the_report_of_period_zero_is_a_400(client, province_officer, plan):  # noqa: F811
    client.force_login(province_officer)
    assert client.get(f"/reporting/plan/{plan.pk}/report.docx?period=0").status_code == 400
    response = api(province_officer).get(f"/api/v1/plans/{plan.pk}/report.docx", {"period": "0"})
    assert response.status_code == 400 and "period" in response.json()


def test_the_schema_is_public_only_and_documents_the_error_body():
    schema = APIClient().get("/api/v1/schema/", {"format": "json"}).json()
    text = str(schema)
    assert "Gives serializers the Actor" not in text
    assert "Error" in schema["components"]["schemas"]
    listing = schema["paths"]["/api/v1/organisations/"]["get"]["responses"]
    assert {"200", "400", "401", "403", "404"} <= set(listing)
    assert APIClient().get("/api/v1/redoc/").status_code == 404


def test_an_unknown_api_url_answers_the_error_body(province_officer):
    response = api(province_officer).get("/api/v1/organisations/x/")
    assert response.status_code == 404 and response["Content-Type"].startswith("application/json")
    assert response.json()["error"] == "not_found"


@pytest.mark.parametrize("url", ["/api/v1/trace/events/?lot=A%00B", "/api/v1/units/%00/", "/registry/?q=%00"])
def test_a_nul_character_in_the_address_is_a_400(province_officer, url):
    """PostgreSQL refuses NUL in text: without this check the same request is a 500 there only."""
    assert api(province_officer).get(url).status_code == 400


def test_a_nul_character_in_a_json_body_is_a_400(province_officer, vinh_linh_htx):
    response = api(province_officer).put(
        f"/api/v1/organisations/{vinh_linh_htx.pk}/assessment/2024/",
        {"criteria": {"1\x00": "3"}},
        format="json",
    )
    assert response.status_code == 400 and response.json()["error"] == "parse_error"
