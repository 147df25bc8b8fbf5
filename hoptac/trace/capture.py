"""EPCIS 2.0 capture: any valid document in, every event stored as an EPCIS event, lots linked.

The document is validated whole (validation.py) before anything is stored, and stored whole or
not at all. Each event then:
- in hoptac's own vocabulary (a hoptac step, one hoptac lot, sent by an account that records
  for that cooperative) becomes an ordinary chain event through services.record_event, as the
  web form would make it;
- otherwise is kept as sent, as an EPCIS event of the capturing organisation, with every EPC and
  class it names indexed (identifiers.canonical). Each hoptac lot it names — by trace-code page,
  by Digital Link of the GTIN and lot, or by LGTIN — gets a chain event (step `epcis`) whose hash
  covers the EPCIS content, so it shows on the lot's public page and verifies. An event about
  objects hoptac does not know waits; `link_waiting` links it when such a lot appears.

Idempotency (EPCIS 2.0 §7.4.1): by `eventID`, else by an ID hoptac derives from the content
(`content_id`, see there). The same event again is answered as already stored; the same ID for
other content is a conflict (409) — except the standard's error declaration: the same event
re-sent with an `errorDeclaration` marks the stored one as declared in error.
"""

from __future__ import annotations

import copy
import datetime
import hashlib
import json
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from hoptac.accounts import access
from hoptac.core.audit import Actor, record
from hoptac.core.models import Action
from hoptac.core.services import Conflict
from hoptac.trace import cbv, chain, epcis, identifiers, services, validation
from hoptac.trace.models import EpcisEvent, EpcisIdentifier, Event, Lot, Party, Step, Unit

STANDARD_CONTEXTS = {
    "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld",
    "https://ref.gs1.org/standards/epcis/epcis-context.jsonld",
    "https://gs1.github.io/EPCIS/epcis-context.jsonld",
}
TIME_KEYS = {"eventTime", "recordTime", "declarationTime", "time", "startTime", "endTime"}
EPC_LISTS = {
    "epcList": EpcisIdentifier.Role.EPC,
    "childEPCs": EpcisIdentifier.Role.CHILD,
    "inputEPCList": EpcisIdentifier.Role.INPUT,
    "outputEPCList": EpcisIdentifier.Role.OUTPUT,
}
CLASS_LISTS = {
    "quantityList": EpcisIdentifier.Role.CLASS,
    "childQuantityList": EpcisIdentifier.Role.CHILD_CLASS,
    "inputQuantityList": EpcisIdentifier.Role.INPUT_CLASS,
    "outputQuantityList": EpcisIdentifier.Role.OUTPUT_CLASS,
}
IDENTIFIER_KEYS = {"parentID", "epcClass", "id", *EPC_LISTS}


@dataclass
class Result:
    event_id: str
    created: bool
    lots: list[str]

    def as_dict(self) -> dict:
        return {"eventID": self.event_id, "created": self.created, "lots": self.lots}


# Canonical content ----------------------------------------------------------------------------


def prefixes_of(context: list) -> dict:
    """The namespace prefixes a JSON-LD context declares (`{"ex": "https://example.org/"}`)."""
    found = {}
    for entry in context:
        if isinstance(entry, dict):
            found.update({k: v for k, v in entry.items() if isinstance(v, str) and not k.startswith("@")})
    return found


def _instant(value: str) -> str:
    parsed = validation.parse_time(value)
    return chain.instant(parsed)[:-4] + "Z" if parsed else value  # milliseconds, UTC


def _normal(value, key: str, prefixes: dict):
    if isinstance(value, dict):
        return {cbv.expand_curie(k, prefixes): _normal(v, k, prefixes) for k, v in value.items()}
    if isinstance(value, list):
        items = [_normal(v, key, prefixes) for v in value]
        if key in EPC_LISTS or key == "certificationInfo":
            items = sorted(items, key=str)
        elif key in CLASS_LISTS or key.endswith("List"):
            items = sorted(items, key=lambda v: json.dumps(v, sort_keys=True))
        return items
    if isinstance(value, str):
        if key in TIME_KEYS:
            return _instant(value)
        if key in IDENTIFIER_KEYS:
            return identifiers.canonical(value)
        if key in ("bizStep", "disposition", "set", "unset"):
            return cbv.canonical("bizStep" if key == "bizStep" else "disposition", value, prefixes)
        return cbv.expand_curie(value, prefixes) if ":" in value and " " not in value else value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def canonical_content(event: dict, prefixes: dict) -> dict:
    """The event as compared and hashed: without what the repository adds (eventID, recordTime,
    errorDeclaration, @context), CURIEs expanded, times in UTC to the millisecond, EPCs in
    canonical Digital Link form, unordered lists sorted."""
    body = {
        k: v for k, v in event.items() if k not in ("eventID", "recordTime", "errorDeclaration", "@context")
    }
    return _normal(body, "", prefixes)


def _digest(content: dict) -> str:
    return hashlib.sha256(
        json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()
    ).hexdigest()


def content_id(event: dict, prefixes: dict) -> str:
    """An eventID for an event sent without one: `ni:///sha-256;<hex>?ver=CBV2.0` as CBV 2.0 §8.9
    names event hashes, over hoptac's canonical JSON (canonical_content), NOT the pre-hash string
    of GS1's event-hash algorithm: two systems hashing the same event get different IDs."""
    return f"ni:///sha-256;{_digest(canonical_content(event, prefixes))}?ver=CBV2.0"


# Storing --------------------------------------------------------------------------------------


def _merged_context(document_context: list, event: dict) -> list:
    return document_context + [
        c for c in validation._as_list(event.get("@context")) if c not in document_context
    ]


def _stored_document(event: dict, context: list) -> dict:
    stored = copy.deepcopy(event)
    extra = [c for c in context if not (isinstance(c, str) and c in STANDARD_CONTEXTS)]
    stored.pop("@context", None)
    if extra:
        stored = {"@context": context, **stored}
    return stored


def _identifier_rows(event: dict) -> list[tuple[str, str]]:
    rows = []
    for key, role in EPC_LISTS.items():
        rows += [(role, identifiers.canonical(v)) for v in event.get(key) or [] if isinstance(v, str)]
    if isinstance(event.get("parentID"), str):
        rows.append((EpcisIdentifier.Role.PARENT, identifiers.canonical(event["parentID"])))
    for key, role in CLASS_LISTS.items():
        rows += [
            (role, identifiers.canonical(q.get("epcClass")))
            for q in event.get(key) or []
            if isinstance(q, dict)
        ]
    return list(dict.fromkeys(rows))


def lots_for(values: list[str]) -> dict[str, Lot]:
    """The hoptac lots that canonical identifiers name: trace-code pages, and GTIN + lot (trace
    code or the cooperative's lot number) of a product with that GTIN."""
    found: dict[str, Lot] = {}
    codes = {
        v.removeprefix(identifiers.HOPTAC_LOT): v for v in values if v.startswith(identifiers.HOPTAC_LOT)
    }
    for lot in Lot.objects.filter(code__in=codes).select_related("product"):
        found[codes[lot.code]] = lot
    for value in values:
        pair = identifiers.gtin_and_lot(value)
        if not pair:
            continue
        gtin, lot_ref = pair
        forms = {gtin, gtin[1:], gtin[2:], gtin[6:]}
        candidates = Lot.objects.filter(product__gtin__in=forms).select_related("product")
        lot = candidates.filter(code=lot_ref.upper()).first() or candidates.filter(number=lot_ref).first()
        if lot is not None and identifiers.gtin14(lot.product.gtin) == gtin:
            found[value] = lot
    return found


def _capturing_organisation(actor: Actor):
    user = actor.user
    return getattr(user, "organisation", None) if getattr(user, "role", "") == "cooperative" else None


def _quantity_for(event: dict, lot: Lot, keys: list[str]) -> tuple[Decimal | None, str]:
    total, unit = None, lot.unit
    for name in CLASS_LISTS:
        for element in event.get(name) or []:
            if isinstance(element, dict) and identifiers.canonical(element.get("epcClass")) in keys:
                if element.get("quantity") is not None:
                    total = (total or Decimal(0)) + Decimal(str(element["quantity"]))
                if element.get("uom") in Unit.values:
                    unit = element["uom"]
    return total, unit


def append_to_chain(actor: Actor, lot: Lot, stored: EpcisEvent) -> Event | None:
    """A captured event joins a lot's chain (once): step `epcis`, its content hash in the chain."""
    lot = Lot.objects.select_for_update().select_related("product__organisation").get(pk=lot.pk)
    if stored.native_id or Event.objects.filter(captured=stored, lot=lot).exists():
        return None
    event_doc = stored.document or {}
    own = access.can(actor.user, "record_trace", lot.product.organisation)
    capturer = stored.organisation
    user = stored.captured_by
    quantity, unit = _quantity_for(event_doc, lot, identifiers.lot_keys(lot))
    event_id = stored.event_id
    if Event.objects.filter(event_id=event_id).exists():
        event_id = f"{stored.event_id}#{lot.code}"
    if len(event_id) > 200:
        event_id = "urn:hoptac:captured:" + hashlib.sha256(event_id.encode()).hexdigest()
    event = Event(
        lot=lot,
        organisation=lot.product.organisation,
        event_id=event_id,
        kind=Event.Kind.OBJECT,
        action=stored.action or Event.EpcisAction.OBSERVE,
        step=Step.EPCIS,
        event_time=stored.event_time,
        time_zone=stored.time_zone,
        quantity=quantity,
        unit=unit,
        location_name=(stored.biz_location or stored.read_point)[:200],
        party=Party.COOPERATIVE if own and capturer == lot.product.organisation else Party.PARTNER,
        partner_tax_code=(capturer.tax_code or "") if capturer else "",
        partner_name=(capturer.name if capturer else (user.get_full_name() or user.username) if user else "")[
            :200
        ],
        captured=stored,
        epcis_hash=stored.content_hash,
    )
    event.seq = lot.event_count + 1
    event.prev_hash = lot.head_hash
    event.recorded_at = timezone.now()
    event.recorded_by = user
    event.hash = chain.event_hash(event.prev_hash, chain.event_content(event, [], None))
    event.save()
    Lot.objects.filter(pk=lot.pk).update(head_hash=event.hash, event_count=event.seq)
    record(actor, Action.CREATE, event, after={"event_id": event.event_id, "seq": event.seq, "hash": event.hash},
           message=_("Captured EPCIS event %(id)s") % {"id": stored.event_id})  # fmt: skip
    services._forget_public_page(lot.code)
    return event


def _index(stored: EpcisEvent, rows: list[tuple[str, str]]) -> list[Lot]:
    lots = lots_for([value for _role, value in rows])
    EpcisIdentifier.objects.bulk_create(
        EpcisIdentifier(event=stored, role=role, value=value[:500], lot=lots.get(value))
        for role, value in rows
    )
    return list({lot.pk: lot for lot in lots.values()}.values())


def index_native(event: Event) -> EpcisEvent:
    """hoptac's own event in the EPCIS repository (called by services.record_event)."""
    doc = epcis.event_document(event, "")
    location = epcis._location(event)
    event_id = event.event_id
    if EpcisEvent.objects.filter(event_id=event_id).exists():
        # hoptac's own event IDs are unique per organisation (accounts.access: another cooperative's
        # IDs are not revealed); the repository's are global (EPCIS 2.0 §7.4.1), so the second
        # organisation's copy is indexed under its organisation-qualified ID.
        event_id = f"{event.event_id}#org-{event.organisation_id}"
    stored = EpcisEvent.objects.create(
        event_id=event_id,
        event_type=doc["type"],
        action=doc.get("action", ""),
        event_time=event.event_time,
        time_zone=event.time_zone,
        record_time=event.recorded_at,
        biz_step=cbv.canonical("bizStep", doc["bizStep"]),
        disposition=cbv.canonical("disposition", doc.get("disposition")),
        read_point=location["id"] if location else "",
        biz_location=location["id"] if location else "",
        organisation=event.organisation,
        captured_by=event.recorded_by,
        native=event,
    )
    rows = _identifier_rows(doc)
    lots = {lot.pk: lot for lot in [event.lot, *[i.lot for i in event.inputs.select_related("lot__product")]]}
    by_key = {key: lot for lot in lots.values() for key in identifiers.lot_keys(lot)}
    EpcisIdentifier.objects.bulk_create(
        EpcisIdentifier(event=stored, role=role, value=value[:500], lot=by_key.get(value))
        for role, value in rows
    )
    return stored


def _hoptac_shaped(actor: Actor, event: dict):
    """(lot, data, inputs) when the event is in hoptac's own vocabulary about a lot the actor records for."""
    try:
        code, data, inputs = epcis.parse_event(event)
    except epcis.CaptureError:
        return None
    lot = Lot.objects.filter(code=code).select_related("product").first()
    if lot is None or not access.can(actor.user, "record_trace", lot.product.organisation):
        return None
    if any(not Lot.objects.filter(code=i.code).exists() for i in inputs):
        return None
    return lot, data, inputs


def _same_as_native(stored: EpcisEvent, event: dict, prefixes: dict) -> bool:
    rendered = epcis.event_document(stored.native, "")
    ours = canonical_content(rendered, {"hoptac": "urn:hoptac:"})
    theirs = canonical_content(event, prefixes)
    return ours == theirs


def capture_event(actor: Actor, context: list, event: dict) -> Result:
    merged = _merged_context(context, event)
    prefixes = prefixes_of(merged)
    shaped = _hoptac_shaped(actor, event)
    if shaped is not None:
        lot, data, inputs = shaped
        recorded, created = services.record_event(actor, lot, data, inputs)
        if created and not EpcisEvent.objects.filter(native=recorded).exists():
            index_native(recorded)
        if created:
            EpcisEvent.objects.filter(native=recorded).update(
                document=_stored_document(event if event.get("eventID") else {**event, "eventID": recorded.event_id}, merged),
                content_hash=_digest(canonical_content(event, prefixes)),
            )  # fmt: skip
        return Result(recorded.event_id, created, [lot.code])
    event_id = event.get("eventID") or content_id(event, prefixes)
    content_hash = _digest(canonical_content(event, prefixes))
    existing = EpcisEvent.objects.filter(event_id=event_id).first()
    if existing is not None:
        lots = list(
            existing.identifiers.filter(lot__isnull=False).values_list("lot__code", flat=True).distinct()
        )
        same = (
            _same_as_native(existing, event, prefixes)
            if existing.native_id
            else existing.content_hash == content_hash
        )
        declared = existing.error_declaration or (existing.document or {}).get("errorDeclaration")
        if same and event.get("errorDeclaration") and not existing.native_id and not declared:
            # EPCIS 2.0 §7.4.1.2: an error is declared by re-sending the event with errorDeclaration.
            existing.error_declaration = event["errorDeclaration"]
            existing.save(update_fields=["error_declaration"])
            return Result(event_id, True, lots)
        if same:
            return Result(event_id, False, lots)
        raise Conflict(_("The event ID %(id)s is already used by another event.") % {"id": event_id})
    when = validation.parse_time(event["eventTime"])
    stored = EpcisEvent.objects.create(
        event_id=event_id,
        event_type=event["type"],
        action=event.get("action", ""),
        event_time=when,
        time_zone=event["eventTimeZoneOffset"],
        record_time=timezone.now(),
        biz_step=cbv.canonical("bizStep", event.get("bizStep"), prefixes)[:500],
        disposition=cbv.canonical("disposition", event.get("disposition"), prefixes)[:500],
        read_point=identifiers.canonical((event.get("readPoint") or {}).get("id", ""))[:500],
        biz_location=identifiers.canonical((event.get("bizLocation") or {}).get("id", ""))[:500],
        document=_stored_document(event, merged),
        error_declaration=None,
        content_hash=content_hash,
        organisation=_capturing_organisation(actor),
        captured_by=actor.user if getattr(actor.user, "is_authenticated", False) else None,
    )
    lots = _index(stored, _identifier_rows(event))
    for lot in lots:
        append_to_chain(actor, lot, stored)
    return Result(event_id, True, [lot.code for lot in lots])


@transaction.atomic
def capture(actor: Actor, body) -> list[Result]:
    """Validate the whole body, then store every event or none (DocumentInvalid names the event
    index and field; a Conflict is the same ID for another event)."""
    parsed = validation.parse(body)
    results = []
    for index, event in enumerate(parsed.events):
        try:
            results.append(capture_event(actor, parsed.context, event))
        except (epcis.CaptureError, ValidationError) as exc:
            messages = (
                [f"{field}: {m}" for field, ms in exc.message_dict.items() for m in ms]
                if hasattr(exc, "error_dict")
                else getattr(exc, "messages", [str(exc)])
            )
            raise validation.DocumentInvalid([validation.Problem(index, "", m) for m in messages]) from exc
    return results


def link_waiting(actor: Actor, lot: Lot) -> int:
    """Events captured before this lot was known (or before its product had a GTIN) join its chain."""
    keys = identifiers.lot_keys(lot)
    waiting = EpcisIdentifier.objects.filter(lot__isnull=True, value__in=keys)
    events = list(
        EpcisEvent.objects.filter(Q(identifiers__in=waiting)).distinct().order_by("event_time", "id")
    )
    waiting.update(lot=lot)
    linked = 0
    for stored in events:
        if stored.native_id is None and append_to_chain(actor, lot, stored):
            linked += 1
    return linked


def render(stored: EpcisEvent, base_url: str) -> dict:
    """The event as the query interface returns it: as captured, with the repository's recordTime."""
    if stored.native_id and stored.document is None:
        return epcis.event_document(stored.native, base_url)
    doc = copy.deepcopy(stored.document)
    doc.setdefault("eventID", stored.event_id)
    doc["recordTime"] = (
        stored.record_time.astimezone(datetime.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    )
    if stored.error_declaration and "errorDeclaration" not in doc:
        doc["errorDeclaration"] = stored.error_declaration
    return doc
