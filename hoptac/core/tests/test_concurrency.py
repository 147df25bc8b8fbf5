"""Two people editing the same record: the second is told, and nothing the first saved is lost.

API: every single-record response carries a strong ETag; PUT/PATCH/DELETE with a stale
`If-Match` answer 412 with the current version and record. Forms: the version travels in a
hidden field; a stale save is shown again with the other person's values beside the user's.
"""

import datetime

import pytest
from rest_framework.test import APIClient

from hoptac.conftest import make_organisation, scores_totalling
from hoptac.core.audit import Actor
from hoptac.core.concurrency import StaleVersion, check_version, parse_if_match
from hoptac.dissolution import services as dissolution
from hoptac.figures import services as figures
from hoptac.links import services as links
from hoptac.links.tests.helpers import link_data
from hoptac.ocop import services as ocop
from hoptac.ocop.tests.helpers import product_data
from hoptac.registry.models import Organisation
from hoptac.support import services as support
from hoptac.support.tests.helpers import support_data
from hoptac.trace.tests.helpers import product as trace_product
from hoptac.training import services as training

pytestmark = pytest.mark.django_db
COMMAND = Actor.command()


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_if_match_is_read_strictly():
    assert parse_if_match(None) is None and parse_if_match("  ") is None
    assert parse_if_match("*") == "*"
    assert parse_if_match('"3"') == "3"
    assert parse_if_match('W/"3", "4"') == "4"  # the first strong tag
    assert parse_if_match('W/"3"') == "W/3"  # a weak tag never matches (strong comparison)
    assert parse_if_match("3") == "3" or parse_if_match("3") is not None


def test_check_version_refuses_a_stale_or_unreadable_version(vinh_linh_htx):
    check_version(vinh_linh_htx, None)
    check_version(vinh_linh_htx, "*")
    check_version(vinh_linh_htx, str(vinh_linh_htx.version))
    for stale in (vinh_linh_htx.version + 1, "W/1", "abc"):
        with pytest.raises(StaleVersion) as caught:
            check_version(vinh_linh_htx, stale)
        assert caught.value.current == vinh_linh_htx.version


def test_every_save_raises_the_version(vinh_linh_htx):
    first = vinh_linh_htx.version
    vinh_linh_htx.save()
    vinh_linh_htx.save(update_fields=["name"])
    vinh_linh_htx.refresh_from_db()
    assert vinh_linh_htx.version == first + 2


def test_two_stale_puts_on_an_organisation_200_then_412_and_nothing_lost(province_officer, vinh_linh_htx):
    url = f"/api/v1/organisations/{vinh_linh_htx.pk}/"
    alice, bob = api(province_officer), api(province_officer)
    read = alice.get(url)
    tag = read["ETag"]
    assert tag == f'"{read.json()["version"]}"'
    body = {k: v for k, v in read.json().items() if k in ("kind", "name", "tax_code", "commune")}

    first = alice.put(url, {**body, "director_name": "Trần Thị Hoa"}, format="json", HTTP_IF_MATCH=tag)
    assert first.status_code == 200 and first["ETag"] != tag
    second = bob.put(url, {**body, "phone": "0912345678"}, format="json", HTTP_IF_MATCH=tag)
    assert second.status_code == 412
    data = second.json()
    assert data["code"] == "stale_version" and "Người khác" in data["detail"]
    assert data["current_version"] == first.json()["version"] and second["ETag"] == first["ETag"]
    assert data["current"]["director_name"] == "Trần Thị Hoa"  # the other change, to compare
    vinh_linh_htx.refresh_from_db()
    assert vinh_linh_htx.director_name == "Trần Thị Hoa" and vinh_linh_htx.phone == ""

    # Bob, told, starts again from the current version: both changes stand.
    again = bob.patch(url, {"phone": "0912345678"}, format="json", HTTP_IF_MATCH=second["ETag"])
    assert again.status_code == 200
    vinh_linh_htx.refresh_from_db()
    assert (vinh_linh_htx.director_name, vinh_linh_htx.phone) == ("Trần Thị Hoa", "0912345678")


def test_without_if_match_the_write_is_accepted(province_officer, vinh_linh_htx):
    url = f"/api/v1/organisations/{vinh_linh_htx.pk}/"
    response = api(province_officer).patch(url, {"phone": "0911111111"}, format="json")
    assert response.status_code == 200 and response["ETag"] == f'"{vinh_linh_htx.version + 1}"'


def test_stale_delete_is_refused_and_the_record_stays(province_officer):
    org = make_organisation()
    url = f"/api/v1/organisations/{org.pk}/"
    client = api(province_officer)
    tag = client.get(url)["ETag"]
    client.patch(url, {"phone": "0911111111"}, format="json")
    assert client.delete(url, HTTP_IF_MATCH=tag).status_code == 412
    assert Organisation.objects.filter(pk=org.pk).exists()
    assert client.delete(url, HTTP_IF_MATCH=client.get(url)["ETag"]).status_code == 204


def _records(org):
    manager = training.add_manager(
        COMMAND, org, {"name": "Lê Văn Tâm", "role": "director", "education": "degree"}
    )
    return {
        "links": (links.create_link(COMMAND, link_data(org)), {"product": "Cà phê"}),
        "ocop": (ocop.record_product(COMMAND, product_data(org)), {"name": "Tiêu đen"}),
        "support": (support.record_support(COMMAND, support_data(org)), {"note": "Đợt 2"}),
        "managers": (manager, {"name": "Lê Văn Tám"}),
        "trace/products": (trace_product(org), {"name": "Gạo ST24"}),
    }


@pytest.mark.parametrize("resource", ["links", "ocop", "support", "managers", "trace/products"])
def test_each_editable_resource_has_an_etag_and_refuses_a_stale_patch(
    resource, province_officer, vinh_linh_htx
):
    record, change = _records(vinh_linh_htx)[resource]
    url = f"/api/v1/{resource}/{record.pk}/"
    client = api(province_officer)
    read = client.get(url)
    assert read.status_code == 200 and read["ETag"] == f'"{record.version}"'
    stale = f'"{record.version}"'
    assert client.patch(url, change, format="json", HTTP_IF_MATCH=stale).status_code == 200
    refused = client.patch(url, change, format="json", HTTP_IF_MATCH=stale)
    assert refused.status_code == 412 and refused.json()["current_version"] == record.version + 1


@pytest.mark.parametrize("resource", ["links", "ocop", "support"])
def test_stale_delete_of_a_record_is_refused(resource, province_officer, vinh_linh_htx):
    record, change = _records(vinh_linh_htx)[resource]
    url = f"/api/v1/{resource}/{record.pk}/"
    client = api(province_officer)
    client.patch(url, change, format="json")
    assert client.delete(url, HTTP_IF_MATCH=f'"{record.version}"').status_code == 412
    assert type(record).objects.filter(pk=record.pk).exists()


def test_training_delete_honours_if_match(province_officer, vinh_linh_htx):
    manager = training.add_manager(
        COMMAND, vinh_linh_htx, {"name": "Lê Văn Tâm", "role": "director", "education": "degree"}
    )
    course = training.record_training(
        COMMAND,
        manager,
        {"course": "Sơ cấp giám đốc HTX", "level": "director", "start": datetime.date(2024, 3, 1)},
    )
    client = api(province_officer)
    url = f"/api/v1/trainings/{course.pk}/"
    assert client.get(url)["ETag"] == '"1"'
    assert client.delete(url, HTTP_IF_MATCH='"2"').status_code == 412
    assert client.delete(url, HTTP_IF_MATCH='"1"').status_code == 204


def test_figures_and_assessment_refuse_stale_puts(cooperative_user, vinh_linh_htx):
    client = api(cooperative_user)
    url = f"/api/v1/organisations/{vinh_linh_htx.pk}/figures/2024/"
    client.put(url, {"members_official": 40}, format="json")
    tag = client.get(url)["ETag"]
    assert client.put(url, {"members_official": 41}, format="json", HTTP_IF_MATCH=tag).status_code == 200
    refused = client.put(url, {"members_official": 99}, format="json", HTTP_IF_MATCH=tag)
    assert refused.status_code == 412 and refused.json()["current"]["members_official"] == 41

    url = f"/api/v1/organisations/{vinh_linh_htx.pk}/assessment/2024/"
    client.put(url, {"criteria": scores_totalling("70")}, format="json")
    tag = client.get(url)["ETag"]
    assert (
        client.put(url, {"criteria": scores_totalling("85")}, format="json", HTTP_IF_MATCH=tag).status_code
        == 200
    )
    refused = client.put(url, {"criteria": scores_totalling("40")}, format="json", HTTP_IF_MATCH=tag)
    assert refused.status_code == 412 and refused.json()["current"]["score"] == 85.0


def test_dissolution_steps_honour_if_match(province_officer, vinh_linh_htx):
    case = dissolution.open_case(
        COMMAND, vinh_linh_htx,
        {"kind": "voluntary", "legal_basis": "2023", "deciding_body": "Đại hội thành viên",
         "opened_on": datetime.date(2025, 3, 1)},
    )  # fmt: skip
    client = api(province_officer)
    url = f"/api/v1/dissolution-cases/{case.pk}/"
    tag = client.get(url)["ETag"]
    step = {"kind": "other", "name": "Thông báo", "date": "2025-03-05"}
    assert client.post(url + "steps/", step, format="json", HTTP_IF_MATCH=tag).status_code == 201
    assert client.post(url + "steps/", step, format="json", HTTP_IF_MATCH=tag).status_code == 412
    assert case.steps.count() == 1


# ---- web forms ----------------------------------------------------------------------------


def _edit_data(client, url, **changes):
    form = client.get(url).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(changes)
    return {k: ("true" if v is True else "" if v is False else getattr(v, "pk", v)) for k, v in data.items()}


def test_two_stale_organisation_forms_the_second_is_shown_the_conflict(
    client, province_officer, vinh_linh_htx
):
    client.force_login(province_officer)
    url = f"/registry/{vinh_linh_htx.pk}/edit/"
    page = client.get(url).content.decode()
    assert f'name="version" value="{vinh_linh_htx.version}"' in page  # the form carries the version
    alice = _edit_data(client, url, director_name="Trần Thị Hoa")
    bob = _edit_data(client, url, director_name="Nguyễn Văn Bình", phone="0912345678")

    assert client.post(url, alice).status_code == 302
    shown = client.post(url, bob)
    assert shown.status_code == 409
    html = shown.content.decode()
    assert "Người khác" in html and 'id="edit-conflict"' in html
    rows = {r["label"]: (r["theirs"], r["yours"]) for r in shown.context["conflict"]["rows"]}
    director_label = str(shown.context["form"]["director_name"].label)  # the label the user reads
    assert director_label != "director_name"
    assert rows[director_label] == ("Trần Thị Hoa", "Nguyễn Văn Bình")  # by label, side by side
    assert "director_name" not in rows
    assert len(rows) == 2 and ("—", "0912345678") in rows.values()  # only what differs: director, phone
    vinh_linh_htx.refresh_from_db()
    assert vinh_linh_htx.director_name == "Trần Thị Hoa" and vinh_linh_htx.phone == ""
    # The form keeps Bob's values at the current version: saving again is a conscious choice.
    assert f'name="version" value="{vinh_linh_htx.version}"' in html and "Nguyễn Văn Bình" in html
    bob["version"] = str(vinh_linh_htx.version)
    assert client.post(url, bob).status_code == 302
    vinh_linh_htx.refresh_from_db()
    assert vinh_linh_htx.director_name == "Nguyễn Văn Bình"


def test_stale_link_form_is_shown_the_conflict(client, province_officer, vinh_linh_htx):
    link = links.create_link(COMMAND, link_data(vinh_linh_htx))
    client.force_login(province_officer)
    url = f"/links/{link.pk}/edit/"
    mine = _edit_data(client, url, product="Cà phê")
    links.update_link(COMMAND, link, {"product": "Hạt điều"})
    shown = client.post(url, mine)
    assert shown.status_code == 409
    assert [(r["theirs"], r["yours"]) for r in shown.context["conflict"]["rows"]] == [("Hạt điều", "Cà phê")]
    link.refresh_from_db()
    assert link.product == "Hạt điều"


def test_stale_figures_form_is_shown_the_conflict(client, cooperative_user, vinh_linh_htx):
    figures.save_figures(COMMAND, vinh_linh_htx, 2024, {"members_official": 40})
    client.force_login(cooperative_user)
    url = f"/figures/{vinh_linh_htx.pk}/2024/"
    page = client.get(url)
    version = page.context["form"].initial["version"]
    figures.save_figures(COMMAND, vinh_linh_htx, 2024, {"members_official": 45})
    shown = client.post(url, {"members_official": "50", "version": version, "is_estimate": "0"})
    assert shown.status_code == 409
    rows = shown.context["conflict"]["rows"]
    assert [(r["theirs"], r["yours"]) for r in rows] == [("45", "50")]
    assert vinh_linh_htx.annual_figures.get(year=2024).members_official == 45


def test_the_openapi_documents_if_match_412_and_etag(client, admin):
    client.force_login(admin)
    schema = client.get("/api/v1/schema/?format=json").json()
    put = schema["paths"]["/api/v1/organisations/{id}/"]["put"]
    assert any(p["name"] == "If-Match" and p["in"] == "header" for p in put["parameters"])
    assert put["responses"]["412"]["content"]["application/json"]["schema"]["$ref"].endswith("/StaleVersion")
    assert "ETag" in schema["paths"]["/api/v1/organisations/{id}/"]["get"]["responses"]["200"]["headers"]
    assert "412" in schema["paths"]["/api/v1/organisations/{id}/assessment/{year}/"]["put"]["responses"]


def test_status_change_honours_if_match(province_officer, vinh_linh_htx):
    client = api(province_officer)
    url = f"/api/v1/organisations/{vinh_linh_htx.pk}/"
    tag = client.get(url)["ETag"]
    client.patch(url, {"phone": "0911111111"}, format="json")
    change = {"status": "suspended", "effective_date": "2025-03-01"}
    assert client.post(url + "status/", change, format="json", HTTP_IF_MATCH=tag).status_code == 412
    vinh_linh_htx.refresh_from_db()
    assert vinh_linh_htx.status == "active"
    ok = client.post(url + "status/", change, format="json", HTTP_IF_MATCH=client.get(url)["ETag"])
    assert ok.status_code == 200 and ok.json()["status"] == "suspended"


def test_a_delete_page_opened_before_a_change_does_not_delete(client, province_officer, vinh_linh_htx):
    link = links.create_link(COMMAND, link_data(vinh_linh_htx))
    client.force_login(province_officer)
    url = f"/links/{link.pk}/delete/"
    assert f'name="version" value="{link.version}"' in client.get(url).content.decode()
    links.update_link(COMMAND, link, {"product": "Hạt điều"})
    refused = client.post(url, {"version": "1"}, follow=True)
    assert "Người khác" in refused.content.decode()
    assert type(link).objects.filter(pk=link.pk).exists()
    client.post(url, {"version": "2"})
    assert not type(link).objects.filter(pk=link.pk).exists()


def test_dissolution_step_form_opened_before_another_step_is_told(client, province_officer, vinh_linh_htx):
    case = dissolution.open_case(
        COMMAND, vinh_linh_htx,
        {"kind": "voluntary", "legal_basis": "2023", "deciding_body": "Đại hội thành viên",
         "opened_on": datetime.date(2025, 3, 1)},
    )  # fmt: skip
    client.force_login(province_officer)
    page = client.get(f"/dissolution/case/{case.pk}/").content.decode()
    assert f'name="version" value="{case.version}"' in page
    dissolution.add_step(COMMAND, case, "other", datetime.date(2025, 3, 5), name="Thông báo")
    step = {"kind": "other", "name": "Thông báo", "date": "05/03/2025", "version": str(case.version)}
    refused = client.post(f"/dissolution/case/{case.pk}/step/", step)
    assert refused.status_code == 409 and "Người khác" in refused.content.decode()
    assert case.steps.count() == 1
