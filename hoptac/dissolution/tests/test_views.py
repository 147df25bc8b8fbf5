"""Backlog, case and merger pages: work, scope 404, read-only 403, field-level errors, scoped exports."""

import csv
import datetime
import io

import pytest

from hoptac.conftest import make_organisation
from hoptac.core.audit import Actor
from hoptac.dissolution import services
from hoptac.dissolution.models import DissolutionCase, Merger

pytestmark = pytest.mark.django_db
OLD = datetime.date(2010, 1, 1)


def test_the_backlog_from_opening_a_case_to_dissolved(client, province_officer):
    org = make_organisation(registration_date=OLD, legal_basis="law_2012", reorganised=False)
    client.force_login(province_officer)
    page = client.get("/dissolution/").content.decode()
    assert org.name in page and "Đã giải quyết 0 trên 1" in page
    bad = client.post(f"/dissolution/open/{org.pk}/", {"kind": "voluntary", "legal_basis": "2012-54-2",
                                                      "deciding_body": "Đại hội", "opened_on": "01/05/2023"})  # fmt: skip
    assert bad.status_code == 400 and "legal_basis" in bad.context["form"].errors
    opened = client.post(f"/dissolution/open/{org.pk}/", {"kind": "voluntary", "legal_basis": "2012-54-1",
                                                         "deciding_body": "Đại hội", "opened_on": "01/05/2023"})  # fmt: skip
    case = DissolutionCase.objects.get()
    assert opened.status_code == 302 and opened["Location"] == case.get_absolute_url()
    assert (
        client.post(
            f"/dissolution/case/{case.pk}/step/", {"kind": "published", "date": "20/05/2023"}
        ).status_code
        == 302
    )
    missing = client.post(f"/dissolution/case/{case.pk}/close/", {"closed_on": "01/08/2023"})
    assert missing.status_code == 400 and "decision" in missing.context["close_form"].errors
    client.post(f"/dissolution/case/{case.pk}/close/", {"closed_on": "01/08/2023", "decision": "210/QĐ-UBND"})
    org.refresh_from_db()
    assert org.status == "dissolved"
    page = client.get("/dissolution/").content.decode()
    assert "Đã giải quyết 1 trên 1" in page and "100,0%" in page
    assert "01/08/2023" in client.get(org.get_absolute_url()).content.decode()


def test_scope_404_and_read_only_403(client, other_officer, viewer):
    org = make_organisation(registration_date=OLD)
    case = services.open_case(Actor.command(), org, {"kind": "voluntary", "legal_basis": "2012-54-1",
                                                     "deciding_body": "Đại hội", "opened_on": datetime.date(2023, 5, 1)})  # fmt: skip
    client.force_login(other_officer)
    assert client.post(f"/dissolution/open/{org.pk}/", {}).status_code == 404
    assert client.get(f"/dissolution/case/{case.pk}/").status_code == 404
    assert client.get(f"/dissolution/merge-into/{org.pk}/").status_code == 404
    client.force_login(viewer)
    assert client.get(f"/dissolution/case/{case.pk}/").status_code == 200
    assert (
        client.post(
            f"/dissolution/case/{case.pk}/step/", {"kind": "published", "date": "20/05/2023"}
        ).status_code
        == 403
    )
    assert client.get(f"/dissolution/merge-into/{org.pk}/").status_code == 403
    assert client.get(f"/dissolution/case/{case.pk}/close/").status_code == 405


def test_merging_from_the_survivors_page_keeps_the_history_reachable(client, province_officer):
    survivor = make_organisation(name="HTX xã Vĩnh Thái", operating_scale="commune", registration_date=OLD)
    villages = [
        make_organisation(name=f"HTX thôn Thái {n}", operating_scale="village", registration_date=OLD)
        for n in (1, 2)
    ]
    client.force_login(province_officer)
    form = client.get(f"/dissolution/merge-into/{survivor.pk}/").content.decode()
    assert "HTX thôn Thái 1" in form
    empty = client.post(f"/dissolution/merge-into/{survivor.pk}/", {"effective_date": "15/09/2023"})
    assert empty.status_code == 400 and "merged" in empty.context["form"].errors
    response = client.post(f"/dissolution/merge-into/{survivor.pk}/",
                           {"merged": [v.pk for v in villages], "effective_date": "15/09/2023", "decision": "125/QĐ-UBND"})  # fmt: skip
    merger = Merger.objects.get()
    assert response.status_code == 302 and response["Location"] == merger.get_absolute_url()
    page = client.get(survivor.get_absolute_url()).content.decode()
    assert "HTX thôn Thái 1" in page and "HTX thôn Thái 2" in page
    detail = client.get(merger.get_absolute_url()).content.decode()
    assert "125/QĐ-UBND" in detail and "HTX thôn Thái 2" in detail
    assert client.get(villages[0].get_absolute_url()).status_code == 200  # the merged one's page stays
    assert "HTX xã Vĩnh Thái" in client.get("/dissolution/mergers/").content.decode()


def test_the_backlog_export_is_scoped(client, commune_officer):
    here = make_organisation(registration_date=OLD, legal_basis="law_2012", reorganised=False)
    make_organisation("00004", registration_date=OLD, legal_basis="law_2012", reorganised=False)
    client.force_login(commune_officer)
    body = b"".join(client.get("/dissolution/export.csv").streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert [r[0] for r in rows[1:]] == [here.name]
    assert client.get("/dissolution/export.xlsx", {"unit": "464"}).status_code == 200
    assert client.get("/dissolution/export.xlsx", {"unit": "nowhere"}).status_code == 400
