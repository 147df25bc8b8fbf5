"""Dissolution cases end in the dissolved status; mergers leave one survivor and the history intact."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from hoptac.conftest import make_organisation
from hoptac.core.audit import Actor, history
from hoptac.dissolution import services
from hoptac.dissolution.models import Merger
from hoptac.registry.models import Organisation, StatusChange

pytestmark = pytest.mark.django_db
OLD = datetime.date(2010, 1, 1)


def case_data(**extra):
    return {"kind": "compulsory", "legal_basis": "2012-54-2", "deciding_body": "UBND huyện Vĩnh Linh",
            "opened_on": datetime.date(2023, 5, 1), **extra}  # fmt: skip


def test_a_compulsory_dissolution_from_opening_to_decision(province_officer):
    org = make_organisation(registration_date=OLD, legal_basis="law_2012", reorganised=False)
    actor = Actor(user=province_officer, source="web")
    case = services.open_case(actor, org, case_data())
    org.refresh_from_db()
    assert org.status == "dissolving"
    services.add_step(actor, case, "published", datetime.date(2023, 5, 20))
    services.close_case(actor, case, datetime.date(2023, 8, 1), "210/QĐ-UBND")
    org.refresh_from_db()
    assert (org.status, org.status_since) == ("dissolved", datetime.date(2023, 8, 1))
    assert [c.status for c in org.status_changes.all()] == ["dissolved", "dissolving"]
    assert [e.action for e in history(case)] == ["update", "update", "create"]


@pytest.mark.parametrize(
    ("extra", "field"),
    [({"kind": "voluntary"}, "legal_basis"), ({"opened_on": datetime.date(2024, 9, 1)}, "legal_basis"),
     ({"legal_basis": "2023"}, "legal_basis"), ({"deciding_body": ""}, "deciding_body"),
     ({"opened_on": datetime.date(2099, 1, 1), "legal_basis": "2023"}, "opened_on")],
)  # fmt: skip
def test_a_wrong_legal_basis_or_missing_fields_are_refused_with_the_field(province_officer, extra, field):
    org = make_organisation(registration_date=OLD)
    with pytest.raises(ValidationError) as exc:
        services.open_case(Actor(user=province_officer, source="web"), org, case_data(**extra))
    assert field in exc.value.message_dict
    org.refresh_from_db()
    assert org.status == "active"


def test_steps_and_closing_check_their_dates_and_decision(province_officer):
    actor = Actor(user=province_officer, source="web")
    case = services.open_case(actor, make_organisation(registration_date=OLD), case_data())
    with pytest.raises(ValidationError) as exc:
        services.add_step(actor, case, "published", datetime.date(2023, 4, 1))
    assert "date" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.add_step(actor, case, "other", datetime.date(2023, 6, 1))
    assert "name" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.close_case(actor, case, datetime.date(2023, 8, 1), " ")
    assert "decision" in exc.value.message_dict
    with pytest.raises(ValidationError):
        services.open_case(actor, case.organisation, case_data())  # one open case at a time


def test_officers_of_other_areas_cannot_open_a_case(other_officer, viewer):
    org = make_organisation(registration_date=OLD)
    for user in (other_officer, viewer):
        with pytest.raises(PermissionDenied):
            services.open_case(Actor(user=user, source="web"), org, case_data())


def test_a_merger_of_two_village_cooperatives_leaves_one_active_survivor(province_officer):
    actor = Actor(user=province_officer, source="web")
    survivor = make_organisation(
        name="HTX Nông nghiệp xã Vĩnh Thái", operating_scale="commune", registration_date=OLD
    )
    villages = [
        make_organisation(name=f"HTX thôn {n}", operating_scale="village", registration_date=OLD)
        for n in (1, 2)
    ]
    merger = services.merge_into(
        actor, survivor, villages, datetime.date(2023, 9, 15), decision="125/QĐ-UBND"
    )
    survivor.refresh_from_db()
    assert survivor.status == "active"
    merged = Organisation.objects.filter(pk__in=[v.pk for v in villages])
    assert {(o.status, o.merged_into_id) for o in merged} == {("merged", survivor.pk)}
    assert set(survivor.merged_from.all()) == set(merged) == set(merger.merged.all())
    # the history of each merged cooperative stays: its status changes and its audit trail
    for village in villages:
        assert StatusChange.objects.filter(
            organisation=village, status="merged", decision="125/QĐ-UBND"
        ).exists()
        assert history(village).first().action == "status"
    assert history(merger).get().after["merged"] == sorted(v.pk for v in villages)


def test_a_merger_is_all_or_nothing(province_officer):
    actor = Actor(user=province_officer, source="web")
    survivor = make_organisation(operating_scale="commune", registration_date=OLD)
    village = make_organisation(operating_scale="village", registration_date=OLD)
    wider = make_organisation(operating_scale="district", registration_date=OLD)
    with pytest.raises(ValidationError) as exc:
        services.merge_into(actor, survivor, [village, wider], datetime.date(2023, 9, 15))
    assert "merged" in exc.value.message_dict
    assert not Merger.objects.exists()
    assert Organisation.objects.filter(status="merged").count() == 0
    with pytest.raises(ValidationError) as exc:
        services.merge_into(actor, village, [survivor], datetime.date(2023, 9, 15))
    assert "merged" in exc.value.message_dict or "survivor" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.merge_into(actor, survivor, [village], datetime.date(2009, 1, 1))
    assert "effective_date" in exc.value.message_dict


def test_a_merger_across_provinces_or_out_of_scope_is_refused(commune_officer, other_officer):
    survivor = make_organisation(registration_date=OLD)
    hanoi = make_organisation("00004", registration_date=OLD)
    with pytest.raises(PermissionDenied):
        services.merge_into(
            Actor(user=commune_officer, source="web"), survivor, [hanoi], datetime.date(2023, 9, 15)
        )
    with pytest.raises(ValidationError) as exc:
        services.merge_into(Actor.command(), survivor, [hanoi], datetime.date(2023, 9, 15))
    assert "merged" in exc.value.message_dict
