"""Every registry write goes through a service: permission, validation, transaction, audit."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from hoptac.conftest import make_organisation, unit
from hoptac.core.audit import Actor, history
from hoptac.core.models import AuditEntry
from hoptac.registry import services
from hoptac.registry.models import Organisation, make_tax_code

pytestmark = pytest.mark.django_db


def web(user):
    return Actor(user=user, source="web")


def test_create_is_audited_with_user_source_and_values(province_officer):
    org = services.create_organisation(
        web(province_officer),
        {
            "kind": "htx",
            "name": "HTX Vĩnh Thạch",
            "tax_code": make_tax_code("32", 77),
            "commune": unit("19363"),
        },
    )
    entry = history(org).get()
    assert (entry.action, entry.source, entry.user, entry.user_name) == (
        "create",
        "web",
        province_officer,
        "quangtri",
    )
    assert entry.after["name"] == "HTX Vĩnh Thạch" and entry.before is None


def test_update_records_before_and_after(vinh_linh_htx, province_officer):
    services.update_organisation(web(province_officer), vinh_linh_htx, {"director_name": "Lê Văn Tâm"})
    entry = history(vinh_linh_htx).first()
    assert entry.action == "update"
    assert ("director_name", "", "Lê Văn Tâm") in entry.changes()


def test_an_update_that_changes_nothing_leaves_no_entry(vinh_linh_htx, province_officer):
    count = AuditEntry.objects.count()
    services.update_organisation(web(province_officer), vinh_linh_htx, {"name": vinh_linh_htx.name})
    assert AuditEntry.objects.count() == count


def test_invalid_update_writes_nothing(vinh_linh_htx, province_officer):
    count = AuditEntry.objects.count()
    with pytest.raises(ValidationError):
        services.update_organisation(web(province_officer), vinh_linh_htx, {"tax_code": "123"})
    vinh_linh_htx.refresh_from_db()
    assert vinh_linh_htx.tax_code != "123" and AuditEntry.objects.count() == count


def test_a_viewer_cannot_write(vinh_linh_htx, viewer):
    with pytest.raises(PermissionDenied):
        services.update_organisation(web(viewer), vinh_linh_htx, {"director_name": "X"})


def test_an_officer_cannot_place_an_organisation_outside_their_scope(commune_officer):
    with pytest.raises(ValidationError) as exc:
        services.create_organisation(
            web(commune_officer), {"kind": "tht", "name": "THT Ba Đình", "commune": unit("00004")}
        )
    assert "commune" in exc.value.message_dict
    assert not Organisation.objects.filter(name="THT Ba Đình").exists()


def test_status_changes_keep_a_dated_history_and_dissolution_is_final(vinh_linh_htx, province_officer):
    services.change_status(web(province_officer), vinh_linh_htx, "stopped", datetime.date(2024, 3, 1))
    services.change_status(
        web(province_officer), vinh_linh_htx, "dissolved", datetime.date(2025, 2, 1), decision="12/QĐ-UBND"
    )
    vinh_linh_htx.refresh_from_db()
    assert (vinh_linh_htx.status, vinh_linh_htx.status_since) == ("dissolved", datetime.date(2025, 2, 1))
    assert [c.status for c in vinh_linh_htx.status_changes.all()] == ["dissolved", "stopped"]
    with pytest.raises(ValidationError) as exc:
        services.change_status(web(province_officer), vinh_linh_htx, "active", datetime.date(2025, 3, 1))
    assert "status" in exc.value.message_dict


def test_a_merger_names_the_successor(province_officer):
    a, b = make_organisation(), make_organisation()
    with pytest.raises(ValidationError) as exc:
        services.change_status(web(province_officer), a, "merged", datetime.date(2025, 1, 1))
    assert "merged_into" in exc.value.message_dict
    services.change_status(web(province_officer), a, "merged", datetime.date(2025, 1, 1), merged_into=b)
    assert list(b.merged_from.all()) == [a]


def test_a_future_status_date_is_refused(vinh_linh_htx, province_officer):
    with pytest.raises(ValidationError) as exc:
        services.change_status(
            web(province_officer),
            vinh_linh_htx,
            "suspended",
            datetime.date.today() + datetime.timedelta(days=3),
        )
    assert "effective_date" in exc.value.message_dict


def test_delete_is_audited(province_officer):
    org = make_organisation()
    pk = org.pk
    services.delete_organisation(web(province_officer), org)
    assert not Organisation.objects.filter(pk=pk).exists()
    entry = AuditEntry.objects.filter(object_id=str(pk), action="delete").get()
    assert entry.before["name"] == org.name


def test_union_members_must_be_cooperatives(province_officer):
    union = make_organisation(kind="lhhtx", name="Liên hiệp HTX Vĩnh Linh")
    members = [make_organisation(), make_organisation()]
    services.set_union_members(web(province_officer), union, members)
    assert set(union.member_cooperatives.all()) == set(members)
    group = make_organisation(kind="tht", tax_code="", name="Tổ hợp tác X")
    with pytest.raises(ValidationError):
        services.set_union_members(web(province_officer), union, [group])


def test_merging_village_cooperatives_leaves_one_active_survivor_with_the_history(client, province_officer):
    survivor = make_organisation(name="HTX Nông nghiệp xã Vĩnh Linh")
    villages = [make_organisation(name=f"HTX thôn {n}") for n in (1, 2)]
    api = __import__("rest_framework.test", fromlist=["APIClient"]).APIClient()
    api.force_authenticate(province_officer)
    response = api.post(f"/api/v1/organisations/{survivor.pk}/merge/",
                        {"merged": [v.pk for v in villages], "effective_date": "2023-09-30", "decision": "45/QĐ-UBND"}, format="json")  # fmt: skip
    assert response.status_code == 200, response.json()
    survivor.refresh_from_db()
    assert survivor.status == "active"
    for v in villages:
        v.refresh_from_db()
        assert (v.status, v.merged_into_id, v.status_since) == (
            "merged",
            survivor.pk,
            datetime.date(2023, 9, 30),
        )
        assert v.status_changes.get().decision == "45/QĐ-UBND"
    client.force_login(province_officer)
    page = client.get(f"/registry/{survivor.pk}/").content.decode()
    assert "HTX thôn 1" in page and "HTX thôn 2" in page
    refused = api.post(
        f"/api/v1/organisations/{survivor.pk}/merge/",
        {"merged": [survivor.pk], "effective_date": "2023-09-30"},
        format="json",
    )
    assert refused.status_code == 400
    # One merge service (dissolution.services.merge_into): the decision is kept as a Merger record…
    from hoptac.dissolution.models import Merger

    merger = Merger.objects.get(survivor=survivor)
    assert set(merger.merged.all()) == set(villages) and merger.decision == "45/QĐ-UBND"


def test_the_organisation_merge_endpoint_refuses_a_cooperative_of_another_province(
    admin, vinh_linh_htx, hanoi_htx
):
    """…and its rules: a cooperative of another province does not merge (it used to, without a record)."""
    api = __import__("rest_framework.test", fromlist=["APIClient"]).APIClient()
    api.force_authenticate(admin)
    response = api.post(f"/api/v1/organisations/{vinh_linh_htx.pk}/merge/",
                        {"merged": [hanoi_htx.pk], "effective_date": "2023-09-30"}, format="json")  # fmt: skip
    assert response.status_code == 400 and "merged" in response.json()
    hanoi_htx.refresh_from_db()
    assert hanoi_htx.status != "merged"


def test_many_organisations_are_created_checked_and_audited_together(province_officer, vinh_linh_htx):
    actor = Actor(user=province_officer, source="import")
    commune = unit("19363")
    rows = [{"name": f"HTX Mới {i}", "tax_code": make_tax_code("32", 900 + i) or "", "commune": commune}
            for i in range(3)]  # fmt: skip
    rows = [r for r in rows if r["tax_code"]]
    clash = [*rows, {"name": "HTX Trùng", "tax_code": vinh_linh_htx.tax_code, "commune": commune}]
    with pytest.raises(ValidationError) as exc:
        services.create_organisations(actor, clash)
    assert f"Dòng {len(clash)} trên {len(clash)}" in str(exc.value)  # the row is named
    twice = [*rows, dict(rows[0])]
    with pytest.raises(ValidationError):
        services.create_organisations(actor, twice)
    outside = [{"name": "HTX Hà Nội", "tax_code": "", "kind": "tht", "commune": unit("00004")}]
    with pytest.raises(ValidationError):
        services.create_organisations(actor, outside)
    assert not Organisation.objects.filter(name__startswith="HTX Mới").exists()
    created = services.create_organisations(actor, rows)
    assert [o.name for o in created] == [r["name"] for r in rows] and all(o.pk for o in created)
    entries = AuditEntry.objects.filter(object_id__in=[str(o.pk) for o in created], action="create")
    assert entries.count() == len(rows) and {e.user for e in entries} == {province_officer}
    assert Organisation.objects.get(pk=created[0].pk).search_key.startswith("htx moi")
