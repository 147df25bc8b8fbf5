"""Nothing approved or audited disappears by cascade when an organisation is deleted.

An organisation holding approved figures, assessments, trace events, links, support… is
refused (409, naming what holds it: dissolve or merge it instead); a mistaken entry may go, and
every row that goes with it leaves its own audit entry.
"""

import datetime

import pytest
from django.db.models import ProtectedError
from rest_framework.test import APIClient

from hoptac.conftest import make_organisation, scores_totalling
from hoptac.core.audit import Actor
from hoptac.core.models import AuditEntry
from hoptac.figures import services as figures
from hoptac.figures.models import AnnualFigures, Assessment, FiguresVersion
from hoptac.links import services as links
from hoptac.links.tests.helpers import link_data
from hoptac.registry import services
from hoptac.registry.models import Organisation, UnionMembership
from hoptac.support import services as support
from hoptac.support.tests.helpers import support_data
from hoptac.trace.tests.helpers import event, lot, product
from hoptac.training import services as training
from hoptac.training.models import Manager, Training

pytestmark = pytest.mark.django_db
COMMAND = Actor.command()


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def approved_years(org, years):
    for year in years:
        f = figures.save_figures(COMMAND, org, year, {"members_official": 20})
        figures.approve(COMMAND, figures.submit(COMMAND, f))


def test_delete_with_five_years_of_approved_figures_is_409_and_the_figures_remain(province_officer):
    org = make_organisation(registration_date=datetime.date(2018, 1, 1))
    # 2024: assessed before its figures are approved (approval locks the grade; no national rubric for 2025)
    figures.assess(COMMAND, org, 2024, self_scores=scores_totalling("70"))
    approved_years(org, range(2020, 2025))
    response = api(province_officer).delete(f"/api/v1/organisations/{org.pk}/")
    assert response.status_code == 409
    detail = response.json()["detail"]
    assert "số liệu đã gửi hoặc đã duyệt (5)" in detail and "đánh giá" in detail
    assert "giải thể" in detail  # told what to do instead
    assert Organisation.objects.filter(pk=org.pk).exists()
    assert AnnualFigures.objects.filter(organisation=org).count() == 5
    assert FiguresVersion.objects.filter(figures__organisation=org).count() == 5
    assert Assessment.objects.filter(organisation=org).count() == 1
    assert not AuditEntry.objects.filter(action="delete").exists()


@pytest.mark.parametrize("holder", ["link", "support", "trace", "assessment", "status", "reopened"])
def test_each_kind_of_record_holds_the_organisation(holder, province_officer):
    org = make_organisation(registration_date=datetime.date(2020, 1, 1))
    if holder == "link":
        links.create_link(COMMAND, link_data(org))
    elif holder == "support":
        support.record_support(COMMAND, support_data(org))
    elif holder == "trace":
        event(lot(product(org)))
    elif holder == "assessment":
        figures.assess(COMMAND, org, 2024, self_scores=scores_totalling("70"))
    elif holder == "status":
        services.change_status(COMMAND, org, "suspended", datetime.date(2024, 5, 1))
    else:  # approved once, reopened to a draft: its approved version is history
        approved_years(org, [2024])
        figures.reopen(COMMAND, org.annual_figures.get(), "Sửa lại doanh thu")
    response = api(province_officer).delete(f"/api/v1/organisations/{org.pk}/")
    assert response.status_code == 409, response.content
    assert Organisation.objects.filter(pk=org.pk).exists()


def test_the_delete_page_names_what_holds_it_and_refuses_with_409(client, province_officer):
    org = make_organisation()
    approved_years(org, [2024])
    client.force_login(province_officer)
    page = client.get(f"/registry/{org.pk}/delete/").content.decode()
    assert "số liệu đã gửi hoặc đã duyệt: 1" in page and "btn btn-danger" not in page  # no delete button
    refused = client.post(f"/registry/{org.pk}/delete/")
    assert refused.status_code == 409 and "giải thể" in refused.content.decode()
    assert Organisation.objects.filter(pk=org.pk).exists()


def test_a_mistaken_entry_goes_and_each_row_with_it_is_audited(province_officer):
    org = make_organisation()
    union = make_organisation(kind="lhhtx", name="Liên hiệp HTX Vĩnh Linh")
    services.set_union_members(COMMAND, union, [org])
    draft = figures.save_figures(COMMAND, org, 2024, {"members_official": 20})
    manager = training.add_manager(
        COMMAND, org, {"name": "Lê Văn Tâm", "role": "director", "education": "degree"}
    )
    course = training.record_training(
        COMMAND,
        manager,
        {"course": "Sơ cấp giám đốc HTX", "level": "director", "start": datetime.date(2024, 3, 1)},
    )
    membership = UnionMembership.objects.get(member=org)
    assert api(province_officer).delete(f"/api/v1/organisations/{org.pk}/").status_code == 204
    assert not Organisation.objects.filter(pk=org.pk).exists()
    assert (
        not Manager.objects.filter(pk=manager.pk).exists()
        and not Training.objects.filter(pk=course.pk).exists()
    )
    deleted = set(AuditEntry.objects.filter(action="delete").values_list("content_type__model", "object_id"))
    assert deleted == {
        ("organisation", str(org.pk)),
        ("annualfigures", str(draft.pk)),
        ("manager", str(manager.pk)),
        ("training", str(course.pk)),
        ("unionmembership", str(membership.pk)),
    }
    entry = AuditEntry.objects.get(action="delete", content_type__model="annualfigures")
    assert entry.before["members_official"] == 20 and entry.user == province_officer


def test_the_schema_itself_protects_approved_rows(vinh_linh_htx):
    """A delete that bypasses the service (admin, shell) cannot cascade them away either."""
    approved_years(vinh_linh_htx, [2024])
    with pytest.raises(ProtectedError):
        Organisation.objects.filter(pk=vinh_linh_htx.pk).delete()
    with pytest.raises(ProtectedError):
        AnnualFigures.objects.filter(organisation=vinh_linh_htx).delete()  # its approved version holds it


def test_a_reopened_draft_is_not_discarded(vinh_linh_htx):
    approved_years(vinh_linh_htx, [2024])
    f = figures.reopen(COMMAND, vinh_linh_htx.annual_figures.get(), "Sửa lại doanh thu")
    with pytest.raises(figures.FiguresLocked):
        figures.discard_draft(COMMAND, f)
    assert FiguresVersion.objects.filter(figures=f).exists()
