"""Link services: validation names the field, scope and role are checked, every write is audited."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from hoptac.core.audit import Actor, history
from hoptac.links import services
from hoptac.links.models import Link
from hoptac.links.tests.helpers import link_data

pytestmark = pytest.mark.django_db


def test_a_wrong_enterprise_tax_code_or_end_before_start_is_refused_with_the_field(
    province_officer, vinh_linh_htx
):
    actor = Actor(user=province_officer, source="web")
    with pytest.raises(ValidationError) as exc:
        services.create_link(actor, link_data(vinh_linh_htx, enterprise_tax_code="0100233489"))
    assert "enterprise_tax_code" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.create_link(actor, link_data(vinh_linh_htx, end_date=datetime.date(2020, 1, 1)))
    assert "end_date" in exc.value.message_dict
    assert not Link.objects.exists()


def test_the_tax_code_is_stored_in_its_official_form(province_officer, vinh_linh_htx):
    link = services.create_link(
        Actor(user=province_officer, source="web"),
        link_data(vinh_linh_htx, enterprise_tax_code=" 0100233488 "),
    )
    assert link.enterprise_tax_code == "0100233488"


def test_officers_of_other_areas_and_viewers_cannot_record(other_officer, viewer, vinh_linh_htx):
    with pytest.raises(PermissionDenied):
        services.create_link(Actor(user=other_officer, source="web"), link_data(vinh_linh_htx))
    with pytest.raises(PermissionDenied):
        services.create_link(Actor(user=viewer, source="web"), link_data(vinh_linh_htx))


def test_create_end_and_delete_leave_audit_entries(province_officer, vinh_linh_htx):
    actor = Actor(user=province_officer, source="web")
    link = services.create_link(actor, link_data(vinh_linh_htx))
    services.end_link(actor, link, datetime.date(2025, 6, 30))
    entries = list(history(link))
    assert [e.action for e in entries] == ["update", "create"]
    assert entries[0].before["end_date"] is None and entries[0].after["end_date"] == "2025-06-30"
    assert entries[0].user_name == province_officer.username
    pk = link.pk
    services.delete_link(actor, link)
    assert history(Link(pk=pk)).first().action == "delete"


def test_ending_needs_a_date(province_officer, vinh_linh_htx):
    link = services.create_link(Actor(user=province_officer, source="web"), link_data(vinh_linh_htx))
    with pytest.raises(ValidationError) as exc:
        services.end_link(Actor(user=province_officer, source="web"), link, None)
    assert "end_date" in exc.value.message_dict
