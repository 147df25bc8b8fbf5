"""`/api/v1/trace/`: idempotent capture, EPCIS 2.0 export that validates, and scope."""

import datetime
import json

import pytest
from rest_framework.test import APIClient

from hoptac.conftest import make_user
from hoptac.trace import validation
from hoptac.trace.epcis import CONTEXT
from hoptac.trace.models import Event, Step
from hoptac.trace.services import InputLot
from hoptac.trace.tests.helpers import event, harvest_to_shipping, lot, product

pytestmark = pytest.mark.django_db


def validate_epcis(doc: dict) -> list[str]:
    """Problems by GS1's official EPCIS 2.0 JSON Schema (vendored) and the rules beyond it."""
    try:
        validation.parse(doc)
    except validation.DocumentInvalid as exc:
        return [str(p) for p in exc.problems]
    return []


@pytest.fixture
def api(province_officer):
    client = APIClient()
    client.force_authenticate(province_officer)
    return client


@pytest.fixture
def milled(vinh_linh_htx):
    """Paddy harvested and milled into rice that was packed and shipped, with a corrected weighing."""
    paddy = lot(product(vinh_linh_htx, name="Lúa"))
    harvest = event(paddy, Step.HARVESTING, "2025-09-20", place=paddy.place)
    event(paddy, Step.HARVESTING, "2025-09-20", place=paddy.place, quantity=950, corrects=harvest)
    rice = lot(product(vinh_linh_htx, name="Gạo", gtin="8930000000019"))
    event(rice, Step.PROCESSING, "2025-09-22", inputs=[InputLot(paddy.code, 950, "KGM")], quantity=600)
    harvest_to_shipping(rice)
    return paddy, rice


def test_posting_an_event_twice_stores_it_once(api, vinh_linh_htx):
    the_lot = lot(product(vinh_linh_htx))
    body = {"lot": the_lot.code, "step": "harvesting", "event_time": "2025-09-20T08:00:00+07:00",
            "quantity": "1000", "unit": "KGM", "place": "19363"}  # fmt: skip
    first = api.post("/api/v1/trace/events/", body, format="json")
    assert first.status_code == 201, first.json()
    again = api.post("/api/v1/trace/events/", body, format="json")
    assert again.status_code == 200 and again.json()["event_id"] == first.json()["event_id"]
    assert Event.objects.count() == 1
    clash = api.post("/api/v1/trace/events/", {**body, "event_id": first.json()["event_id"], "quantity": "5"},
                     format="json")  # fmt: skip
    assert clash.status_code == 409
    assert first.json()["place"] == "19363" and first.json()["hash"]


def test_events_cannot_be_changed_or_deleted(api, vinh_linh_htx):
    recorded = event(lot(product(vinh_linh_htx)))
    assert (
        api.patch(f"/api/v1/trace/events/{recorded.pk}/", {"quantity": "1"}, format="json").status_code == 405
    )
    assert api.delete(f"/api/v1/trace/events/{recorded.pk}/").status_code == 405


def test_the_epcis_export_validates_against_the_official_schema(api, milled):
    paddy, rice = milled
    doc = api.get(f"/api/v1/trace/lots/{rice.code}/epcis/").json()
    assert validate_epcis(doc) == []
    events = doc["epcisBody"]["eventList"]
    assert [e["type"] for e in events] == ["TransformationEvent"] + ["ObjectEvent"] * 5
    milling = events[0]
    assert milling["inputQuantityList"][0]["epcClass"].endswith(f"/t/{paddy.code}")
    assert (
        milling["outputQuantityList"][0]["epcClass"] == f"https://id.gs1.org/01/08930000000019/10/{rice.code}"
    )
    shipping = events[-1]
    assert shipping["bizStep"] == "shipping" and shipping["disposition"] == "in_transit"
    assert shipping["destinationList"] == [
        {"type": "owning_party", "destination": "urn:hoptac:mst:3200114345"}
    ]
    assert shipping["eventTime"].endswith("+07:00") and shipping["eventTimeZoneOffset"] == "+07:00"
    paddy_doc = api.get(f"/api/v1/trace/lots/{paddy.code}/epcis/").json()
    assert validate_epcis(paddy_doc) == []
    wrong, fixed = paddy_doc["epcisBody"]["eventList"]
    assert wrong["errorDeclaration"]["correctiveEventIDs"] == [fixed["eventID"]]  # corrected, never edited
    assert wrong["bizLocation"] == {"id": "urn:hoptac:unit:new:19363"}  # the generation is part of the code


def test_the_rules_reject_what_epcis_2_rejects(api, milled):
    doc = api.get(f"/api/v1/trace/lots/{milled[1].code}/epcis/").json()
    broken = json.loads(json.dumps(doc))
    broken["epcisBody"]["eventList"][1]["bizStep"] = "harvesting"  # not a CBV word and not a URI
    broken["epcisBody"]["eventList"][2]["eventTimeZoneOffset"] = "+7"
    broken["epcisBody"]["eventList"][3]["quantityList"][0]["quantity"] = "600"
    problems = validate_epcis(broken)
    assert {p.split(":")[0] for p in problems} >= {
        "Sự kiện số 1, trường bizStep", "Sự kiện số 2, trường eventTimeZoneOffset",
        "Sự kiện số 3, trường quantityList[0].quantity"}  # fmt: skip


def test_a_period_export_for_an_organisation(api, milled, vinh_linh_htx):
    response = api.get(f"/api/v1/trace/epcis/?organisation={vinh_linh_htx.pk}&from=2025-09-21&to=2025-09-22")
    assert response.status_code == 200 and validate_epcis(response.json()) == []
    assert [e["bizStep"] for e in response.json()["epcisBody"]["eventList"]] == [
        "inspecting", "urn:hoptac:bizStep:processing", "packing"]  # fmt: skip
    assert api.get("/api/v1/trace/epcis/").status_code == 400


def test_capturing_an_epcis_document_is_idempotent_and_atomic(api, milled, vinh_linh_htx):
    paddy, rice = milled
    doc = api.get(f"/api/v1/trace/lots/{rice.code}/epcis/").json()
    again = api.post("/api/v1/trace/capture/", doc, format="json")
    assert again.status_code == 200 and not any(e["created"] for e in again.json()["events"])
    assert Event.objects.filter(lot=rice).count() == 6
    # A partner's receiving event, without an ID: stored once however often it is sent.
    received = {"@context": CONTEXT, "type": "ObjectEvent", "action": "OBSERVE", "bizStep": "receiving", "eventTime": "2025-09-27T10:00:00+07:00",
                "eventTimeZoneOffset": "+07:00", "quantityList": [{"epcClass": f"https://x.example/t/{rice.code}",
                                                                   "quantity": 600, "uom": "KGM"}],
                "sourceList": [{"type": "owning_party", "source": "urn:hoptac:mst:3200114345"}],
                "hoptac:partnerName": "Siêu thị Đông Hà"}  # fmt: skip
    bad = {**received, "bizStep": "dancing"}
    body = {"type": "EPCISDocument", "epcisBody": {"eventList": [received, bad]}}
    response = api.post("/api/v1/trace/capture/", body, format="json")
    assert response.status_code == 400 and "eventList[1]" in response.json()
    assert Event.objects.filter(lot=rice).count() == 6  # nothing of a rejected document is kept
    assert api.post("/api/v1/trace/capture/", received, format="json").status_code == 201
    assert api.post("/api/v1/trace/capture/", received, format="json").status_code == 200
    stored = Event.objects.get(lot=rice, step=Step.RECEIVING)
    assert stored.partner_tax_code == "3200114345" and stored.party == "partner"


def test_scope_in_the_api(vinh_linh_htx, other_officer, viewer):
    the_lot = lot(product(vinh_linh_htx))
    client = APIClient()
    client.force_authenticate(other_officer)
    assert client.get(f"/api/v1/trace/lots/{the_lot.code}/").status_code == 404
    body = {"lot": the_lot.code, "step": "harvesting", "event_time": "2025-09-20T08:00:00+07:00"}
    assert (
        client.post("/api/v1/trace/events/", body, format="json").status_code == 400
    )  # no such lot for them
    client.force_authenticate(viewer)
    assert client.get(f"/api/v1/trace/lots/{the_lot.code}/").status_code == 200
    assert client.post("/api/v1/trace/events/", body, format="json").status_code == 403
    own = make_user("htx_api", "cooperative", organisation=vinh_linh_htx)
    client.force_authenticate(own)
    assert client.post("/api/v1/trace/events/", body, format="json").status_code == 201
    verify = client.get(f"/api/v1/trace/lots/{the_lot.code}/verify/").json()
    assert verify == {"lot": the_lot.code, "events": 1, "ok": True, "problems": []}


def test_a_lot_is_created_by_api_with_its_public_url(api, vinh_linh_htx):
    prod = product(vinh_linh_htx)
    response = api.post(
        "/api/v1/trace/lots/", {"product": prod.pk, "produced_on": "2025-09-20"}, format="json"
    )
    assert response.status_code == 201
    code = response.json()["code"]
    assert response.json()["public_url"] == f"http://testserver/t/{code}/"
    assert datetime.date.fromisoformat(response.json()["produced_on"]) == datetime.date(2025, 9, 20)
