"""The national minimum record (TT 02/2024/TT-BKHCN) and the portal enrolment."""

import pytest
from rest_framework.test import APIClient

from hoptac.conftest import make_user
from hoptac.trace.tests.helpers import harvest_to_shipping, lot, product

pytestmark = pytest.mark.django_db


def test_a_lots_minimum_record_and_the_organisations_export(vinh_linh_htx, hanoi_htx):
    rice = lot(product(vinh_linh_htx, name="Gạo ST25", gtin="8930000000019"), number="VT-01")
    harvest_to_shipping(rice)
    client = APIClient()
    client.force_authenticate(make_user("htx_a", "cooperative", organisation=vinh_linh_htx))
    record = client.get(f"/api/v1/trace/national/lots/{rice.display_code}/").json()
    assert record["product_name"] == "Gạo ST25" and record["producer_name"] == "Hợp tác xã Vĩnh Thái"
    assert record["production_date"] == "2025-09-20" and record["lot_number"] == "VT-01"
    assert record["digital_link"] == f"https://id.gs1.org/01/08930000000019/10/{rice.code}"
    assert record["one_step_forward"] == ["Công ty CP Lương thực Quảng Trị"] and record["chain_ok"]
    assert [e["seq"] for e in record["events"]] == [1, 2, 3, 4, 5]
    whole = client.get(f"/api/v1/trace/national/organisations/{vinh_linh_htx.pk}/").json()
    assert [r["trace_code"] for r in whole["lots"]] == [rice.code]
    assert {u["field"] for u in whole["unmapped"]} >= {"brand", "serial_number"}
    assert whole["portal"]["status"] == "not_connected"
    assert client.get(f"/api/v1/trace/national/organisations/{hanoi_htx.pk}/").status_code == 404


def test_the_portal_enrolment_is_recorded_with_its_dates(vinh_linh_htx, province_officer, viewer):
    client = APIClient()
    client.force_authenticate(province_officer)
    url = f"/api/v1/trace/portal/{vinh_linh_htx.pk}/"
    assert client.get(url).json()["status"] == "not_connected"
    assert (
        client.put(url, {"status": "connected", "applied_on": "2025-03-01"}, format="json").status_code == 400
    )
    assert (
        client.put(url, {"status": "applied", "applied_on": "2025-03-01"}, format="json").json()["status"]
        == "applied"
    )
    done = client.put(url, {"status": "connected", "applied_on": "2025-03-01", "connected_on": "2025-04-15",
                            "portal_reference": "TXNG-44-0001"}, format="json")  # fmt: skip
    assert done.json() == {"status": "connected", "applied_on": "2025-03-01", "connected_on": "2025-04-15",
                           "portal_reference": "TXNG-44-0001", "note": ""}  # fmt: skip
    client.force_authenticate(viewer)
    assert client.put(url, {"status": "not_connected"}, format="json").status_code == 403


def test_events_recorded_before_the_repository_are_indexed_once(vinh_linh_htx):
    from django.core.management import call_command

    from hoptac.trace.models import EpcisEvent

    rice = lot(product(vinh_linh_htx))
    harvest_to_shipping(rice)
    EpcisEvent.objects.all().delete()  # as before migration 0002
    call_command("epcis-index")
    call_command("epcis-index")
    assert EpcisEvent.objects.filter(native__lot=rice).count() == 5
    assert EpcisEvent.objects.filter(identifiers__lot=rice).count() == 5
