"""EPCIS 2.0 conformance with the OpenEPCIS test documents (Apache-2.0, `openepcis/LICENSE`).

Every valid capture document, bare event and query document is captured and comes back from
the standard query interface equivalent (extensions and their namespaces included); every
invalid one is refused whole with a message naming the event and the field.
"""

import json
import re
from pathlib import Path

import pytest
from rest_framework.test import APIClient

from hoptac.conftest import make_user
from hoptac.trace import capture, validation
from hoptac.trace.models import EpcisEvent

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).parent / "openepcis"
VALID = sorted(ROOT.glob("Capture/Documents/*.json")) + sorted(ROOT.glob("Capture/Events/*.json"))
VALID_QUERY_DOCUMENTS = sorted(ROOT.glob("Query/*.json"))
# Each invalid document, and what the refusal must name: (where, field, words of the message).
INVALID = {
    "Capture/Invalid/Combination_of_events_with_missing_mandatory_fields.json": ("eventList[0]", "action", "action"),
    "Capture/Invalid/Combination_of_multiple_invalid_fields.json": ("eventList[0]", "bizStep", "transforming"),
    "Capture/Invalid/Combination_of_non_standard_bizStep_and_disposition.json": ("eventList[1]", "disposition", "in_transport"),
    "Capture/Invalid/EPCISDocument_without_context.json": ("document", "@context", "@context"),
    "Capture/Invalid/ObjectEvent_with_ilmd_field_without_namespace.json": ("eventList[0]", "ilmd", "materialType"),
    "Capture/Invalid/ObjectEvent_with_invalid_action.json": ("eventList[0]", "action", "CREATE"),
    "Capture/Invalid/ObjectEvent_with_invalid_certificationInfo.json": ("eventList[0]", "certificationInfo", ""),
    "Capture/Invalid/ObjectEvent_with_invalid_eventTime_format.json": ("eventList[0]", "eventTime", "22-07-2026"),
    "Capture/Invalid/ObjectEvent_with_non_standard_bizStep.json": ("eventList[0]", "bizStep", "transforming"),
    "Capture/Invalid/ObjectEvent_with_non_standard_bizStep_in_second_event.json": ("eventList[1]", "bizStep", "transforming"),
    "Capture/Invalid/ObjectEvent_with_non_standard_disposition.json": ("eventList[0]", "disposition", "in_transport"),
    "Capture/Invalid/ObjectEvent_with_quantity_as_text.json": ("eventList[0]", "quantityList[0].quantity", "twenty"),
    "Capture/Invalid/ObjectEvent_with_unknown_field_in_quantityList.json": ("eventList[0]", "quantityList[0].weight", "weight"),
    "Capture/Invalid/ObjectEvent_without_action_and_eventTime.json": ("eventList[0]", "eventTime", "eventTime"),
    "Capture/Invalid/ObjectEvent_without_identifier_list.json": ("eventList[0]", "epcList", "epcList"),
    "Query/Invalid/QueryDocument_with_invalid_action.json": ("eventList[0]", "action", "INVALIDACTION"),
    "Query/Invalid/QueryDocument_with_invalid_eventType.json": ("eventList[0]", "type", "ObjectEventInvalid"),
}  # fmt: skip


def test_the_copied_documents_are_all_here_with_their_licence():
    assert (ROOT / "LICENSE").read_text().startswith("                                 Apache License")
    assert len(list(ROOT.glob("Capture/Documents/*.json"))) == 38
    assert len(list(ROOT.glob("Capture/Events/*.json"))) == 5
    assert len(list(ROOT.glob("Capture/Invalid/*.json"))) == 15
    assert len(INVALID) == len(list(ROOT.glob("*/Invalid/*.json")))
    assert (Path(validation.SCHEMA_DIR) / "LICENSE").read_text().startswith("DISCLAIMER")


@pytest.fixture
def integrator(vinh_linh_htx):
    client = APIClient()
    client.force_authenticate(make_user("htx_integrator", "cooperative", organisation=vinh_linh_htx))
    return client


def _events_of(document: dict) -> list[dict]:
    if document["type"] == "EPCISDocument":
        return document["epcisBody"]["eventList"]
    if document["type"] == "EPCISQueryDocument":
        return document["epcisBody"]["queryResults"]["resultsBody"]["eventList"]
    return [document]


def _prefixes_used(value, found: set) -> set:
    if isinstance(value, dict):
        for key, inner in value.items():
            match = re.match(r"^([A-Za-z][\w.\-]*):(?!//)", key)
            if match:
                found.add(match.group(1))
            _prefixes_used(inner, found)
    elif isinstance(value, list):
        for inner in value:
            _prefixes_used(inner, found)
    return found


def _standard_prefixes() -> set:
    context = json.loads((Path(validation.SCHEMA_DIR) / "epcis-context.jsonld").read_text())["@context"]
    return {k for k, v in context.items() if isinstance(v, str) and v.startswith("http")}


@pytest.mark.parametrize("path", VALID + VALID_QUERY_DOCUMENTS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_a_valid_document_is_captured_and_comes_back_equivalent(integrator, path):
    document = json.loads(path.read_text())
    response = integrator.post("/api/v1/epcis/capture", document, format="json")
    assert response.status_code == 202, response.json()
    assert response["Location"].startswith("capture/")
    assert integrator.get("/api/v1/epcis/" + response["Location"]).json()["success"] is True
    sent = _events_of(document)
    results = response.json()["events"]
    assert len(results) == len(sent)
    standard = _standard_prefixes()
    for original, result in zip(sent, results, strict=True):
        if "eventID" in original:
            assert result["eventID"] == original["eventID"]
        found = integrator.get("/api/v1/epcis/events", {"EQ_eventID": result["eventID"]})
        assert found.status_code == 200 and found["GS1-EPCIS-Version"] == "2.0.0"
        assert found["GS1-CBV-Version"] == "2.0.0" and found["Content-Type"] == "application/ld+json"
        body = found.json()
        validation.parse(body)  # the answer is itself a valid EPCISQueryDocument
        (returned,) = body["epcisBody"]["queryResults"]["resultsBody"]["eventList"]
        for key, value in original.items():
            if key not in ("@context", "recordTime"):
                assert returned[key] == value, key
        declared = set(
            capture.prefixes_of(
                validation._as_list(body["@context"]) + validation._as_list(returned.get("@context"))
            )
        )
        sent_context = validation._as_list(document.get("@context")) + validation._as_list(
            original.get("@context")
        )
        sent_prefixes = capture.prefixes_of(sent_context)
        used = _prefixes_used(original, set()) & (set(sent_prefixes) | standard)
        assert used <= declared | standard  # extensions keep their namespace
        assert all(capture.prefixes_of([{"x": 1}, *body["@context"][1:], *validation._as_list(returned.get("@context"))])
                   .get(p) == sent_prefixes[p] for p in used if p in sent_prefixes)  # fmt: skip
    # Captured again: the same events, nothing new.
    again = integrator.post("/api/v1/epcis/capture", document, format="json")
    assert again.status_code == 202 and not any(r["created"] for r in again.json()["events"])


@pytest.mark.parametrize("name", sorted(INVALID), ids=lambda n: n.split("/")[-1])
def test_an_invalid_document_is_refused_whole_naming_event_and_field(integrator, name):
    where, field, words = INVALID[name]
    document = json.loads((ROOT / name).read_text())
    for url in ("/api/v1/epcis/capture", "/api/v1/trace/capture/"):
        response = integrator.post(url, document, format="json")
        assert response.status_code == 400
        errors = response.json().get("errors", response.json())
        assert where in errors, errors
        assert any(f"trường {field}" in m and words in m for m in errors[where]), errors[where]
    assert EpcisEvent.objects.count() == 0  # a document with one bad event is refused whole


def test_the_tolerances_beyond_the_schema_are_narrow():
    """What the vendored schema refuses and hoptac accepts (see validation.py) stays that narrow."""
    event = {
        "@context": ["https://ref.gs1.org/standards/epcis/epcis-context.jsonld"],
        "type": "ObjectEvent", "eventTime": "2026-07-22T06:45:00+02:00", "eventTimeZoneOffset": "+02:00",
        "action": "OBSERVE", "epcList": ["https://id.gs1.org/01/09521141012345/21/2017"],
        "sensorElementList": [{"sensorReport": [{"exception": "gs1:ALARM_CONDITION", "booleanValue": True}]}],
    }  # fmt: skip
    validation.parse(event)
    no_type = json.loads(json.dumps(event))
    no_type["sensorElementList"][0]["sensorReport"][0].pop("exception")
    with pytest.raises(validation.DocumentInvalid):
        validation.parse(no_type)
    with pytest.raises(validation.DocumentInvalid, match="eventTimeZoneOffset"):
        validation.parse({**event, "eventTimeZoneOffset": "+15:00"})
    with pytest.raises(validation.DocumentInvalid, match="eventID"):
        validation.parse({**event, "eventID": "urn:uuid:" + "a" * 600})
    with pytest.raises(validation.DocumentInvalid, match="ilmd"):
        validation.parse({**event, "ilmd": {"ex:lot": "1"}})  # ilmd only when the event adds
