"""The EPCIS 2.0 query interface: each parameter, pagination, scope; partners' events about lots."""

import json
from pathlib import Path

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from hoptac.conftest import make_user
from hoptac.trace import chain, validation
from hoptac.trace.epcis import CONTEXT
from hoptac.trace.models import EpcisEvent, Event, Step
from hoptac.trace.tests.helpers import event, harvest_to_shipping, lot, product

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).parent / "openepcis"
EVENTS = "/api/v1/epcis/events"


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def event_list(response) -> list[dict]:
    assert response.status_code == 200, response.json()
    return response.json()["epcisBody"]["queryResults"]["resultsBody"]["eventList"]


def ids(response) -> list[str]:
    return [e["eventID"] for e in event_list(response)]


def shipping_by_buyer(
    epc_class: str, event_id="urn:uuid:6f1a3c0e-3b8e-4d7e-9c55-0a1b2c3d4e5f", **extra
) -> dict:
    return {
        "@context": [*CONTEXT, {"sm": "https://sieuthi.example/epcis/"}],
        "type": "ObjectEvent", "eventID": event_id, "action": "OBSERVE", "bizStep": "cbv:BizStep-shipping",
        "disposition": "in_transit", "eventTime": "2025-10-02T09:30:00.000+07:00", "eventTimeZoneOffset": "+07:00",
        "epcList": [], "quantityList": [{"epcClass": epc_class, "quantity": 200, "uom": "KGM"}],
        "readPoint": {"id": "urn:epc:id:sgln:8930000.00001.0"},
        "sm:store": "Đông Hà", **extra,
    }  # fmt: skip


@pytest.fixture
def coop_a(vinh_linh_htx):
    return client_for(make_user("htx_a", "cooperative", organisation=vinh_linh_htx))


@pytest.fixture
def coop_b(hanoi_htx):
    return client_for(make_user("htx_b", "cooperative", organisation=hanoi_htx))


@pytest.fixture
def world(coop_a, coop_b, vinh_linh_htx, hanoi_htx):
    """Cooperative A's rice lot (with GTIN) and its own chain; B captured the OpenEPCIS combination."""
    rice = lot(product(vinh_linh_htx, name="Gạo", gtin="8930000000019"))
    harvest_to_shipping(rice)
    combination = json.loads((ROOT / "Capture/Documents/Combination_of_different_event.json").read_text())
    response = coop_b.post("/api/v1/epcis/capture", combination, format="json")
    assert response.status_code == 202
    for sent, result in zip(combination["epcisBody"]["eventList"], response.json()["events"], strict=True):
        sent["eventID"] = result["eventID"]  # the repository's ID for those sent without one
    return rice, combination


def test_a_cooperative_never_sees_another_cooperatives_events(
    world, coop_a, coop_b, province_officer, other_officer
):
    rice, combination = world
    sent_by_b = [e["eventID"] for e in combination["epcisBody"]["eventList"]]
    theirs = ids(coop_b.get(EVENTS))
    assert theirs == sent_by_b  # B sees its own captures, not A's lot events
    ours = ids(coop_a.get(EVENTS))
    assert len(ours) == 5 and not set(ours) & set(sent_by_b)
    assert coop_a.get(f"{EVENTS}/{sent_by_b[0]}").status_code == 404
    assert coop_b.get(f"{EVENTS}/{ours[0]}").status_code == 404
    # Officers see what is in their area: Quảng Trị holds A, Hà Nội holds B.
    assert set(ids(client_for(province_officer).get(EVENTS))) == set(ours)
    assert set(ids(client_for(other_officer).get(EVENTS))) == set(sent_by_b)


def test_each_query_parameter_narrows_the_answer(world, coop_b):
    _rice, combination = world
    sent = {e["type"]: e for e in reversed(combination["epcisBody"]["eventList"])}  # the first of each type
    q = lambda **params: ids(coop_b.get(EVENTS, params))  # noqa: E731
    assert q(eventType="ObjectEvent") == [sent["ObjectEvent"]["eventID"]]
    assert q(eventType="TransformationEvent") == [sent["TransformationEvent"]["eventID"]]
    assert len(q(eventType="ObjectEvent,AggregationEvent")) == 2
    assert len(ids(coop_b.get("/api/v1/epcis/eventTypes/AssociationEvent/events"))) == 2
    transaction = sent["TransactionEvent"]
    assert q(EQ_eventID=transaction["eventID"]) == [transaction["eventID"]]
    assert q(GE_eventTime="2099-01-01T00:00:00Z") == []
    assert len(q(LT_eventTime="2099-01-01T00:00:00+07:00")) == 6
    assert len(q(GE_recordTime="2000-01-01T00:00:00Z")) == 6 and q(GE_recordTime="2099-01-01T00:00:00Z") == []
    with_step = [e for e in sent.values() if e.get("bizStep")]
    step = with_step[0]["bizStep"]
    expected = [e["eventID"] for e in combination["epcisBody"]["eventList"] if e.get("bizStep") == step]
    assert q(EQ_bizStep=step) == expected
    full = "https://ref.gs1.org/cbv/BizStep-" + step if ":" not in step else step
    assert q(EQ_bizStep=full) == expected  # the word and the URI are one step
    with_disposition = [e for e in sent.values() if e.get("disposition")][0]
    assert with_disposition["eventID"] in q(EQ_disposition=with_disposition["disposition"])
    with_read_point = [e for e in sent.values() if e.get("readPoint")][0]
    assert with_read_point["eventID"] in q(EQ_readPoint=with_read_point["readPoint"]["id"])
    with_location = [e for e in sent.values() if e.get("bizLocation")][0]
    assert with_location["eventID"] in q(EQ_bizLocation=with_location["bizLocation"]["id"])
    epc = sent["ObjectEvent"]["epcList"][0]
    assert sent["ObjectEvent"]["eventID"] in q(MATCH_epc=epc)
    parent = sent["AggregationEvent"]["parentID"]
    assert sent["AggregationEvent"]["eventID"] not in q(MATCH_epc=parent)  # a parent is not an epc
    assert sent["AggregationEvent"]["eventID"] in q(MATCH_anyEPC=parent)
    child = sent["AggregationEvent"]["childEPCs"][0]
    assert sent["AggregationEvent"]["eventID"] in q(MATCH_epc=child)
    transformation = sent["TransformationEvent"]
    assert (
        q(MATCH_epcClass=transformation["inputQuantityList"][0]["epcClass"]) == []
    )  # inputs are not epcClass
    assert q(MATCH_anyEPCClass=transformation["inputQuantityList"][0]["epcClass"]) == [
        transformation["eventID"]
    ]
    assert coop_b.get(EVENTS, {"EQ_quantity": "1"}).status_code == 400  # not supported: said, not ignored
    assert coop_b.get(EVENTS, {"GE_eventTime": "yesterday"}).status_code == 400


def test_an_epc_urn_and_its_digital_link_are_one_identifier(coop_b):
    body = shipping_by_buyer("urn:epc:class:lgtin:4012345.012345.998877")
    body["epcList"] = ["urn:epc:id:sgtin:0614141.107346.2017"]
    assert coop_b.post("/api/v1/epcis/capture", body, format="json").status_code == 202
    assert ids(coop_b.get(EVENTS, {"MATCH_epc": "https://example.com/01/10614141073464/21/2017"})) == [
        body["eventID"]
    ]
    assert ids(coop_b.get(EVENTS, {"MATCH_epc": "urn:epc:idpat:sgtin:0614141.107346.*"})) == [body["eventID"]]
    assert ids(coop_b.get(EVENTS, {"MATCH_epcClass": "https://id.gs1.org/01/04012345123456/10/998877"})) == [
        body["eventID"]
    ]


def test_pages_resume_where_they_ended(coop_a, vinh_linh_htx):
    the_lot = lot(product(vinh_linh_htx))
    for day in range(1, 8):
        event(the_lot, Step.STORING, f"2025-09-{20 + day}")
    seen, url, params = [], EVENTS, {"perPage": 3, "eventType": "ObjectEvent"}
    while url:
        response = coop_a.get(url, params)
        seen += ids(response)
        link = response.headers.get("Link")
        url, params = (link[1 : link.index(">")], None) if link else (None, None)
        if url:  # an event recorded between pages is not lost nor seen twice
            event(the_lot, Step.STORING, "2025-09-30") if len(seen) == 3 else None
    assert len(seen) == 8 == len(set(seen))
    assert coop_a.get(EVENTS, {"perPage": 0}).status_code == 400
    assert coop_a.get(EVENTS, {"nextPageToken": "forged"}).status_code == 400


def test_a_buyers_shipping_event_about_a_lot_shows_on_its_public_page(world, coop_a, coop_b, client):
    rice, _ = world
    dl = f"https://id.gs1.org/01/08930000000019/10/{rice.code}"
    response = coop_b.post("/api/v1/epcis/capture", shipping_by_buyer(dl), format="json")
    assert response.status_code == 202 and response.json()["events"][0]["lots"] == [rice.code]
    joined = Event.objects.get(lot=rice, seq=6)
    assert (
        joined.step == Step.EPCIS and joined.partner_name == "HTX Dịch vụ Ba Đình" and joined.quantity == 200
    )
    assert chain.verify(rice).ok
    export = coop_a.get(f"/api/v1/trace/lots/{rice.code}/epcis/").json()
    validation.parse(export)
    assert export["epcisBody"]["eventList"][-1]["sm:store"] == "Đông Hà"
    assert export["epcisBody"]["eventList"][0]["bizStep"] == "commissioning"  # harvesting, in CBV words
    cache.clear()
    page = client.get(f"/t/{rice.code}/").content.decode()
    assert "Vận chuyển, xuất bán" in page and "HTX Dịch vụ Ba Đình" in page and "Đang vận chuyển" in page
    # The cooperative whose lot it is sees the buyer's event; the stored content is in the chain.
    assert EpcisEvent.objects.get(event_id=joined.event_id).document["sm:store"] == "Đông Hà"
    EpcisEvent.objects.filter(event_id=joined.event_id).update(content_hash="0" * 64)
    Event.objects.filter(pk=joined.pk).update(epcis_hash="0" * 64)
    assert not chain.verify(rice).ok


def test_an_event_about_an_unknown_lot_waits_and_is_linked_when_the_lot_appears(
    coop_b, coop_a, vinh_linh_htx
):
    body = shipping_by_buyer("https://id.gs1.org/01/08930000000019/10/VT-2025-09")
    assert coop_b.post("/api/v1/epcis/capture", body, format="json").json()["events"][0]["lots"] == []
    assert ids(coop_a.get(EVENTS)) == []  # a partner's event about nobody's lot is the partner's
    rice = lot(product(vinh_linh_htx, name="Gạo", gtin="8930000000019"), number="VT-2025-09")
    assert [e.step for e in Event.objects.filter(lot=rice)] == [Step.EPCIS]
    assert chain.verify(rice).ok
    assert body["eventID"] in ids(coop_a.get(EVENTS))  # now it is about A's lot


def test_the_same_event_again_is_stored_once_and_an_error_can_be_declared(coop_b):
    body = shipping_by_buyer("urn:epc:class:lgtin:4012345.012345.998877")
    del body["eventID"]
    first = coop_b.post("/api/v1/epcis/capture", body, format="json").json()["events"][0]
    assert first["eventID"].startswith("ni:///sha-256;") and first["created"]
    reordered = dict(reversed(list(body.items())))
    reordered["eventTime"] = "2025-10-02T02:30:00Z"  # the same instant, written in UTC
    again = coop_b.post("/api/v1/epcis/capture", reordered, format="json").json()["events"][0]
    assert again == {**first, "created": False}
    declared = {**body, "eventID": first["eventID"],
                "errorDeclaration": {"declarationTime": "2025-10-03T08:00:00+07:00", "reason": "incorrect_data"}}  # fmt: skip
    assert coop_b.post("/api/v1/epcis/capture", declared, format="json").status_code == 202
    (stored,) = event_list(coop_b.get(EVENTS, {"EQ_eventID": first["eventID"]}))
    assert stored["errorDeclaration"]["reason"] == "incorrect_data"
    assert len(ids(coop_b.get(EVENTS, {"EXISTS_errorDeclaration": ""}))) == 1
    clash = {**body, "eventID": first["eventID"], "eventTime": "2025-10-05T09:30:00+07:00"}
    assert coop_b.post("/api/v1/epcis/capture", clash, format="json").status_code == 409


def test_hoptacs_own_exports_validate_against_the_official_schema(coop_a, vinh_linh_htx):
    from hoptac.trace import validation

    rice = lot(product(vinh_linh_htx, name="Gạo", gtin="8930000000019"))
    harvest_to_shipping(rice)
    validation.parse(coop_a.get(f"/api/v1/trace/lots/{rice.code}/epcis/").json())
    validation.parse(coop_a.get(EVENTS).json())
    assert coop_a.get("/api/v1/epcis/eventTypes").json()[0] == "ObjectEvent"


def test_a_product_with_a_gtin_gives_its_lots_a_digital_link_and_an_lgtin(client, vinh_linh_htx, admin):
    from hoptac.trace import identifiers

    rice = lot(product(vinh_linh_htx, name="Gạo", gtin="8930000000019", gs1_company_prefix="8930000"))
    assert identifiers.digital_link(rice) == f"https://id.gs1.org/01/08930000000019/10/{rice.code}"
    assert identifiers.lgtin(rice) == f"urn:epc:class:lgtin:8930000.000001.{rice.code}"
    assert identifiers.canonical(identifiers.lgtin(rice)) == identifiers.digital_link(rice)
    # The QR on labels carries the Digital Link on hoptac's address, and it opens the lot's page.
    client.force_login(admin)
    sheet = client.get(
        f"/trace/lots/{rice.pk}/labels.svg?confirm=1"
    ).content.decode()  # no public URL: confirmed
    assert f"http://testserver/01/08930000000019/10/{rice.code}" in sheet
    response = client.get(f"/01/08930000000019/10/{rice.code}?lang=en")
    assert response.status_code == 302 and response["Location"] == f"/t/{rice.code}/?lang=en"
    assert client.get(f"/01/8930000000019/10/{rice.code}").status_code == 302  # GTIN-13 as printed
    assert client.get(f"/01/08930000000026/10/{rice.code}").status_code == 404  # another GTIN
    without = lot(product(vinh_linh_htx, name="Lúa"))
    assert identifiers.digital_link(without) is None and identifiers.lgtin(without) is None
    sheet = client.get(f"/trace/lots/{without.pk}/labels.svg?confirm=1").content.decode()
    assert f"/t/{without.code}/" in sheet


def test_a_lot_without_gtin_is_found_by_its_page_address(coop_a, vinh_linh_htx):
    paddy = lot(product(vinh_linh_htx, name="Lúa"))
    harvest_to_shipping(paddy)
    found = ids(coop_a.get(EVENTS, {"MATCH_epcClass": f"https://hoptac.example.vn/t/{paddy.code}/"}))
    assert len(found) == 5


def test_json_ld_in_and_out(coop_b):
    body = json.dumps(shipping_by_buyer("urn:epc:class:lgtin:4012345.012345.998877"))
    sent = coop_b.post(
        "/api/v1/epcis/capture", body, content_type="application/ld+json", HTTP_ACCEPT="application/ld+json"
    )
    assert sent.status_code == 202 and sent["Content-Type"] == "application/ld+json"
    again = coop_b.post("/api/v1/trace/capture/", body, content_type="application/ld+json")
    assert again.status_code == 200
    answer = coop_b.get(EVENTS, HTTP_ACCEPT="application/ld+json")
    assert answer.status_code == 200 and answer["Content-Type"] == "application/ld+json"
    assert coop_b.get(EVENTS, HTTP_ACCEPT="application/json").status_code == 200
