"""EPCIS 2.0 JSON-LD: lots' events out (export) and partners' events in (capture).

Identifiers: a lot is the class `https://id.gs1.org/01/<GTIN>/10/<trace code>` (GS1 Digital
Link) when its product has a GTIN, otherwise its public page URL. Places are GLNs as Digital
Links, or `urn:hoptac:unit:<generation>:<code>` — the generation is part of the identifier
because unit codes were reused after the 2025 reform. Partners are `urn:hoptac:mst:<tax code>`.
Steps map to CBV 2.0 where it has the word: harvesting is `commissioning` (the harvested lot
comes into existence), inspection `inspecting`, packing, storing, shipping, receiving; farming
steps CBV 2.0 has no word for (planting, inputs applied, processing — a TransformationEvent,
whose CBV step would be `commissioning` of the output but which hoptac keeps distinct) are
`urn:hoptac:bizStep:<step>` extension URIs, as the standard allows.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal, InvalidOperation

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from hoptac.geo.models import AdministrativeUnit
from hoptac.trace.models import Event, Party, Step
from hoptac.trace.services import InputLot

CONTEXT = ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld", {"hoptac": "urn:hoptac:"}]
CUSTOM_STEP = "urn:hoptac:bizStep:"
# Our step → CBV 2.0 bizStep word, or None for a hoptac URI.
BIZ_STEPS = {
    Step.PLANTING: None,
    Step.GROWING: None,
    Step.HARVESTING: "commissioning",
    Step.INSPECTING: "inspecting",
    Step.PROCESSING: None,
    Step.PACKING: "packing",
    Step.STORING: "storing",
    Step.SHIPPING: "shipping",
    Step.RECEIVING: "receiving",
}
DISPOSITIONS = {
    Step.PLANTING: "in_progress",
    Step.GROWING: "in_progress",
    Step.HARVESTING: "active",
    Step.INSPECTING: "conformant",
    Step.PROCESSING: "active",
    Step.PACKING: "sellable_not_accessible",
    Step.STORING: "sellable_not_accessible",
    Step.SHIPPING: "in_transit",
    Step.RECEIVING: "sellable_accessible",
}
STEP_FROM_URI = {(word or CUSTOM_STEP + step.value): step for step, word in BIZ_STEPS.items()}
STEP_FROM_URI[CUSTOM_STEP + "harvesting"] = Step.HARVESTING  # as exported before 12/2026
LOT_CODE = re.compile(r"(?:/t/|/10/)([0-9A-Z]{10})/?$")


def bizstep_of(step: str) -> str:
    return BIZ_STEPS[Step(step)] or CUSTOM_STEP + step


def lot_class(lot, base_url: str) -> str:
    gtin = lot.product.gtin
    if gtin:
        return f"https://id.gs1.org/01/{gtin.zfill(14)}/10/{lot.code}"
    return f"{base_url.rstrip('/')}/t/{lot.code}"


def _time(value: datetime.datetime, offset: str) -> str:
    sign = -1 if offset.startswith("-") else 1
    hours, minutes = offset[1:].split(":")
    zone = datetime.timezone(sign * datetime.timedelta(hours=int(hours), minutes=int(minutes)))
    return value.astimezone(zone).isoformat(timespec="milliseconds")


def _quantity(lot, quantity, unit: str, base_url: str) -> dict:
    element = {"epcClass": lot_class(lot, base_url)}
    element["quantity"] = float(quantity) if quantity is not None else 0
    element["uom"] = unit
    return element


def _location(event) -> dict | None:
    if event.gln:
        return {"id": f"https://id.gs1.org/414/{event.gln}"}
    if event.place_id:
        return {"id": f"urn:hoptac:unit:{event.place.generation}:{event.place.code}"}
    return None


def event_document(event, base_url: str) -> dict:
    """One event as EPCIS 2.0 JSON (no personal data: a member appears by role only)."""
    if event.step == Step.EPCIS and event.captured_id:  # a partner's event: as it was captured
        from hoptac.trace import capture

        return capture.render(event.captured, base_url)
    doc: dict = {
        "type": "ObjectEvent" if event.kind == Event.Kind.OBJECT else "TransformationEvent",
        "eventID": event.event_id,
        "eventTime": _time(event.event_time, event.time_zone),
        "eventTimeZoneOffset": event.time_zone,
        "recordTime": event.recorded_at.astimezone(datetime.UTC).isoformat(timespec="milliseconds"),
    }
    own = [_quantity(event.lot, event.quantity, event.unit, base_url)]
    if event.kind == Event.Kind.OBJECT:
        doc["action"] = event.action
        doc["quantityList"] = own
    else:
        doc["inputQuantityList"] = [
            _quantity(i.lot, i.quantity, i.unit, base_url) for i in event.inputs.all()
        ]
        doc["outputQuantityList"] = own
        doc["transformationID"] = f"urn:hoptac:transformation:{event.lot.code}:{event.seq}"
    doc["bizStep"] = bizstep_of(event.step)
    doc["disposition"] = DISPOSITIONS[Step(event.step)]
    location = _location(event)
    if location:
        doc["readPoint"] = location
        doc["bizLocation"] = dict(location)
    party = f"urn:hoptac:mst:{event.partner_tax_code}" if event.partner_tax_code else None
    owner = f"urn:hoptac:mst:{event.organisation.tax_code}" if event.organisation.tax_code else None
    if event.step == Step.SHIPPING:
        if owner:
            doc["sourceList"] = [{"type": "owning_party", "source": owner}]
        if party:
            doc["destinationList"] = [{"type": "owning_party", "destination": party}]
    elif event.step == Step.RECEIVING:
        if party:
            doc["sourceList"] = [{"type": "owning_party", "source": party}]
        if owner:
            doc["destinationList"] = [{"type": "owning_party", "destination": owner}]
    doc["hoptac:lotCode"] = event.lot.code
    doc["hoptac:party"] = event.party
    if event.partner_name:
        doc["hoptac:partnerName"] = event.partner_name
    if event.location_name:
        doc["hoptac:placeName"] = event.location_name
    if event.note:
        doc["hoptac:note"] = event.note
    corrections = list(event.corrections.all())
    if corrections:
        doc["errorDeclaration"] = {
            "declarationTime": min(c.recorded_at for c in corrections)
            .astimezone(datetime.UTC)
            .isoformat(timespec="milliseconds"),
            "reason": "incorrect_data",
            "correctiveEventIDs": [c.event_id for c in corrections],
        }
    return doc


def document(events, base_url: str) -> dict:
    """An EPCISDocument with the given events (pass a queryset: it is prefetched here)."""
    events = events.select_related("lot__product", "place", "organisation", "captured").prefetch_related(
        "inputs__lot__product", "corrections"
    )
    return {
        "@context": CONTEXT,
        "type": "EPCISDocument",
        "schemaVersion": "2.0",
        "creationDate": timezone.now().astimezone(datetime.UTC).isoformat(timespec="milliseconds"),
        "epcisBody": {"eventList": [event_document(e, base_url) for e in events.iterator(chunk_size=2000)]},
    }


# Capture -----------------------------------------------------------------------------------------


class CaptureError(ValueError):
    """An EPCIS event hoptac cannot take, with the reason in the user's language."""


def lot_code_of(element: dict) -> str:
    match = LOT_CODE.search(str(element.get("epcClass", "")))
    if not match:
        raise CaptureError(_("%(cls)s is not a hoptac lot (…/t/<trace code> or a Digital Link with /10/<trace code>).")
                           % {"cls": element.get("epcClass")})  # fmt: skip
    return match.group(1)


def _place(location: dict | None) -> dict:
    uri = (location or {}).get("id", "")
    if uri.startswith("https://id.gs1.org/414/"):
        return {"gln": uri.rsplit("/", 1)[1]}
    match = re.fullmatch(r"urn:hoptac:unit:(old|new):(\d{2,5})", uri)
    if match:
        unit = AdministrativeUnit.objects.filter(generation=match.group(1), code=match.group(2)).first()
        if unit is None:
            raise CaptureError(_("No administrative unit %(uri)s.") % {"uri": uri})
        return {"place": unit}
    return {}


def _tax_code(entries: list | None, key: str) -> str:
    for entry in entries or []:
        value = str(entry.get(key, ""))
        if value.startswith("urn:hoptac:mst:"):
            return value.removeprefix("urn:hoptac:mst:")
    return ""


def parse_event(doc: dict) -> tuple[str, dict, list[InputLot]]:
    """(lot code, data for services.record_event, inputs) from one EPCIS event."""
    kind = doc.get("type")
    step = STEP_FROM_URI.get(doc.get("bizStep", ""))
    if step is None:
        raise CaptureError(_("Unknown business step %(step)s.") % {"step": doc.get("bizStep")})
    if kind == "ObjectEvent":
        elements, inputs = doc.get("quantityList") or [], []
    elif kind == "TransformationEvent":
        elements = doc.get("outputQuantityList") or []
        inputs = [
            InputLot(lot_code_of(e), _decimal(e.get("quantity")), e.get("uom", ""))
            for e in doc.get("inputQuantityList") or []
        ]
    else:
        raise CaptureError(
            _("hoptac takes ObjectEvent and TransformationEvent, not %(type)s.") % {"type": kind}
        )
    if len(elements) != 1:
        raise CaptureError(_("An event names exactly one hoptac lot in its quantity list."))
    when = parse_datetime(str(doc.get("eventTime", "")))
    if when is None or when.tzinfo is None:
        raise CaptureError(_("eventTime must be a date and time with its offset."))
    partner = (
        _tax_code(doc.get("destinationList"), "destination")
        if step == Step.SHIPPING
        else _tax_code(doc.get("sourceList"), "source")
    )
    data = {
        "event_id": doc.get("eventID", ""),
        "step": step,
        "action": doc.get("action", "ADD" if kind == "TransformationEvent" else "OBSERVE"),
        "event_time": when,
        "time_zone": doc.get("eventTimeZoneOffset", "+07:00"),
        "quantity": _decimal(elements[0].get("quantity")),
        "unit": elements[0].get("uom", "KGM"),
        "location_name": doc.get("hoptac:placeName", ""),
        "party": doc.get("hoptac:party")
        or (Party.PARTNER if partner and step != Step.SHIPPING else Party.COOPERATIVE),
        "partner_tax_code": partner,
        "partner_name": doc.get("hoptac:partnerName", ""),
        "member_ref": doc.get("hoptac:memberRef", ""),
        "note": doc.get("hoptac:note", ""),
        **_place(doc.get("bizLocation") or doc.get("readPoint")),
    }
    return lot_code_of(elements[0]), data, inputs


def _decimal(value) -> Decimal | None:
    if value is None:
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        raise CaptureError(_("%(value)s is not a quantity.") % {"value": value}) from None
