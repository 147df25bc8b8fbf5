"""Writes to traceability: products, certifications, lots and events (scoped, audited).

`record_event` is the one way an event enters a chain — from the web form, the API, the EPCIS
capture and the demo — so locking, idempotency and hashing live in one place.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from hoptac.accounts.access import can, refusal, require
from hoptac.core.audit import Actor, record, snapshot
from hoptac.core.concurrency import check_version
from hoptac.core.models import Action
from hoptac.core.services import Conflict, apply_fields, validate
from hoptac.registry.models import normalise_tax_code
from hoptac.trace import chain
from hoptac.trace.models import Certification, Event, EventInput, Lot, Party, Product, Step, normalise_code

PRODUCT_FIELDS = {
    "organisation",
    "name",
    "description",
    "image",
    "gtin",
    "gs1_company_prefix",
    "ocop",
    "unit",
    "shelf_life_days",
}
CERTIFICATION_FIELDS = {"kind", "number", "issuer", "valid_from", "valid_until"}
LOT_FIELDS = {"product", "number", "produced_on", "expires_on", "quantity", "unit", "place"}
EVENT_FIELDS = {
    "event_id", "action", "step", "event_time", "time_zone", "quantity", "unit", "place", "location_name", "gln",
    "party", "member_ref", "partner_tax_code", "partner_name", "note", "corrects",
}  # fmt: skip
LANGUAGES = ("vi", "en")


def public_page_keys(code: str) -> list[str]:
    return [f"trace:page:{code}:{lang}" for lang in LANGUAGES]


def _forget_public_page(code: str) -> None:
    """The lot's stored public page no longer shows its data: re-rendered after commit (trace.pages)."""
    from hoptac.trace import pages  # pages renders through the public view's context

    pages.stale([code])


# Products and certifications ---------------------------------------------------------------


@transaction.atomic
def create_product(actor: Actor, data: dict) -> Product:
    product = Product()
    apply_fields(product, data, PRODUCT_FIELDS)
    if not product.organisation_id:
        raise ValidationError({"organisation": _("Choose the cooperative.")})
    require(actor, "record_trace", product.organisation)
    validate(product)
    product.save()
    record(actor, Action.CREATE, product, after=snapshot(product))
    return product


@transaction.atomic
def update_product(actor: Actor, product: Product, data: dict, expected_version=None) -> Product:
    """Name, image, GTIN…: the lots keep their own key data, so their chains are untouched."""
    product = Product.objects.select_for_update().get(pk=product.pk)
    check_version(product, expected_version)
    require(actor, "record_trace", product.organisation)
    before = snapshot(product)
    apply_fields(product, data, PRODUCT_FIELDS - {"organisation"})
    validate(product)
    product.save()
    after = snapshot(product)
    if after != before:
        record(actor, Action.UPDATE, product, before=before, after=after)
        for code in product.lots.values_list("code", flat=True).iterator():
            _forget_public_page(code)
        if product.gtin and after.get("gtin") != before.get("gtin"):
            from hoptac.trace import capture

            for lot in product.lots.all():
                capture.link_waiting(actor, lot)  # events that named its GTIN and lot
    return product


@transaction.atomic
def add_certification(actor: Actor, product: Product, data: dict) -> Certification:
    require(actor, "record_trace", product.organisation)
    certification = Certification(product=product)
    apply_fields(certification, data, CERTIFICATION_FIELDS)
    validate(certification)
    certification.save()
    record(
        actor,
        Action.UPDATE,
        product,
        after={"certification": snapshot(certification)},
        message=str(certification),
    )
    for code in product.lots.values_list("code", flat=True).iterator():
        _forget_public_page(code)
    return certification


# Lots -------------------------------------------------------------------------------------------


@transaction.atomic
def create_lot(actor: Actor, data: dict) -> Lot:
    """A new lot with a fresh public code; its key data are fixed from now on (they seed the chain)."""
    lot = Lot()
    apply_fields(lot, data, LOT_FIELDS)
    if not lot.product_id:
        raise ValidationError({"product": _("Choose the product.")})
    require(actor, "record_trace", lot.product.organisation)
    if lot.place_id is None:
        lot.place = lot.product.organisation.commune
    if lot.expires_on is None and lot.product.shelf_life_days and lot.produced_on:
        lot.expires_on = lot.produced_on + datetime.timedelta(days=lot.product.shelf_life_days)
    validate(lot, exclude=["genesis_hash", "head_hash"])
    lot.genesis_hash = lot.head_hash = chain.genesis_hash(lot)
    lot.save()
    record(actor, Action.CREATE, lot, after=snapshot(lot))
    from hoptac.trace import capture

    capture.link_waiting(actor, lot)  # partners' events about it captured before it was recorded
    lot.refresh_from_db()
    return lot


# Events ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class InputLot:
    code: str
    quantity: Decimal | None = None
    unit: str = ""


def content_event_id(lot_code: str, data: dict, inputs: list[InputLot]) -> str:
    """An ID derived from what/when/where/why, for partners that send none: the same event sent
    twice gets the same ID. (Named like CBV's hash IDs; the canonical form is hoptac's own.)"""
    keys = ("action", "step", "event_time", "time_zone", "quantity", "unit", "place", "location_name", "gln",
            "party", "member_ref", "partner_tax_code", "note")  # fmt: skip
    body: dict[str, object] = {
        k: str(getattr(data.get(k), "pk", data.get(k))) for k in keys if data.get(k) not in (None, "")
    }
    if isinstance(data.get("event_time"), datetime.datetime):
        body["event_time"] = chain.instant(data["event_time"])
    if data.get("quantity") is not None:
        body["quantity"] = chain.decimal_text(data["quantity"])  # 600, 600.0 and "600.000" are one quantity
    body["lot"] = lot_code
    body["inputs"] = sorted([normalise_code(i.code), chain.decimal_text(i.quantity), i.unit] for i in inputs)
    digest = hashlib.sha256(json.dumps(body, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
    return f"ni:///sha-256;{digest}?ver=CBV2.0"


def _same_event(existing: Event, event: Event, inputs: list[InputLot]) -> bool:
    """Whether a re-sent event is the one already stored (ignoring when each copy was received)."""
    stored = chain.event_content(existing, [(i.lot.code, i.quantity, i.unit) for i in existing.inputs.all()],
                                 existing.corrects.event_id if existing.corrects else None)  # fmt: skip
    sent = chain.event_content(event, [(normalise_code(i.code), i.quantity, i.unit or event.unit) for i in inputs],
                               event.corrects.event_id if event.corrects else None)  # fmt: skip
    ignore = {"seq", "recorded_at", "organisation"}
    return {k: v for k, v in stored.items() if k not in ignore} == {
        k: v for k, v in sent.items() if k not in ignore
    }


def _resolve_inputs(actor: Actor, inputs: list[InputLot], output: Lot) -> list[tuple[Lot, InputLot]]:
    """The lots an event used; a lot the actor may not use reads exactly like an unknown code.

    A cooperative uses its own lots (an officer: lots in their area): naming another
    cooperative's lot would put "shipped to …" on that lot's public page, and a different
    answer would tell the caller the lot exists.
    """
    codes = [normalise_code(i.code) for i in inputs]
    found = {lot.code: lot for lot in Lot.objects.filter(code__in=codes).select_related("product")}
    resolved, errors = [], []
    for given, code in zip(inputs, codes, strict=True):
        lot = found.get(code)
        if lot is None or not can(actor.user, "use_as_input", lot):
            errors.append(refusal("use_as_input", code=given.code))
        elif lot.pk == output.pk:
            errors.append(_("A lot cannot be made from itself."))
        else:
            resolved.append((lot, given))
    if errors:
        raise ValidationError({"inputs": errors})
    return resolved


def _validate_event(event: Event, lot: Lot, inputs: list[InputLot]) -> None:
    errors: dict[str, list] = {}
    if event.step == Step.EPCIS:
        errors["step"] = [_("This step is only for events captured from another EPCIS system.")]
    if event.event_time and event.event_time > timezone.now() + datetime.timedelta(minutes=5):
        errors["event_time"] = [_("An event is recorded once it has happened.")]
    if event.event_time and event.event_time.date() < lot.produced_on - datetime.timedelta(days=366):
        errors["event_time"] = [_("The event is more than a year before the lot's production date.")]
    if event.kind == Event.Kind.TRANSFORMATION and not inputs:
        errors["inputs"] = [_("Processing names the lots it used (one step back).")]
    if event.kind == Event.Kind.OBJECT and inputs:
        errors["inputs"] = [_("Only a processing step uses other lots.")]
    if event.party == Party.MEMBER and not event.member_ref:
        errors["member_ref"] = [_("Give the member's reference (kept private).")]
    if event.party == Party.PARTNER or event.step in (Step.SHIPPING, Step.RECEIVING):
        if event.partner_tax_code:
            try:
                event.partner_tax_code = normalise_tax_code(event.partner_tax_code)
            except ValidationError as exc:
                errors["partner_tax_code"] = exc.messages
        if event.party == Party.PARTNER and not event.partner_name:
            errors["partner_name"] = [_("Name the partner enterprise.")]
        if event.step in (Step.SHIPPING, Step.RECEIVING) and not event.partner_name:
            errors["partner_name"] = [
                _("Name who the lot was shipped to or received from (one step forward).")
            ]
    if event.corrects is not None and event.corrects.lot_id != lot.pk:
        errors["corrects"] = [_("A correction belongs to the same lot as the event it corrects.")]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def record_event(actor: Actor, lot: Lot, data: dict, inputs: Sequence[InputLot] = ()) -> tuple[Event, bool]:
    """Append an event to the lot's chain; (event, False) when the same event was already stored.

    The lot row is locked, so two writers never take the same place in the chain; an event ID
    already used for a different event is a conflict, never an overwrite.
    """
    lot = Lot.objects.select_for_update().select_related("product__organisation").get(pk=lot.pk)
    require(actor, "record_trace", lot.product.organisation)
    inputs = list(inputs)
    event = Event(lot=lot, organisation=lot.product.organisation)
    apply_fields(event, {k: v for k, v in data.items() if k != "event_id"}, EVENT_FIELDS)
    event.kind = Event.Kind.TRANSFORMATION if event.step == Step.PROCESSING else Event.Kind.OBJECT
    if event.kind == Event.Kind.TRANSFORMATION:
        event.action = Event.EpcisAction.ADD
    if event.unit == "" or event.unit is None:
        event.unit = lot.unit
    if event.partner_tax_code:  # the stored form, so a re-sent event compares equal (errors come later)
        try:
            event.partner_tax_code = normalise_tax_code(event.partner_tax_code)
        except ValidationError:
            pass
    event.event_id = (data.get("event_id") or "").strip() or content_event_id(
        lot.code, {**data, "partner_tax_code": event.partner_tax_code}, inputs
    )
    existing = (  # event IDs are unique per organisation: another's is neither seen nor refused
        Event.objects.filter(organisation=event.organisation, event_id=event.event_id)
        .select_related("lot", "corrects")
        .prefetch_related("inputs__lot")
    ).first()
    if existing is not None:
        if existing.lot_id == lot.pk and _same_event(existing, event, inputs):
            return existing, False
        raise Conflict(_("The event ID %(id)s is already used by another event.") % {"id": event.event_id})
    _validate_event(event, lot, inputs)
    resolved = _resolve_inputs(actor, inputs, lot)
    event.seq = lot.event_count + 1
    event.prev_hash = lot.head_hash
    event.recorded_at = timezone.now()
    event.recorded_by = actor.account
    validate(event, exclude=["lot", "organisation", "seq", "prev_hash", "hash", "event_id"])
    rows: list[tuple[str, object, str]] = [
        (src.code, given.quantity, given.unit or event.unit) for src, given in resolved
    ]
    event.hash = chain.event_hash(
        event.prev_hash,
        chain.event_content(event, rows, event.corrects.event_id if event.corrects is not None else None),
    )
    event.save()
    EventInput.objects.bulk_create(
        EventInput(event=event, lot=src, quantity=given.quantity, unit=given.unit or event.unit)
        for src, given in resolved
    )
    Lot.objects.filter(pk=lot.pk).update(
        head_hash=event.hash, event_count=event.seq, version=F("version") + 1
    )
    record(
        actor, Action.CREATE, event, after={"event_id": event.event_id, "seq": event.seq, "hash": event.hash}
    )
    _forget_public_page(lot.code)
    for src, _given in resolved:
        _forget_public_page(src.code)  # its page shows one step forward
    from hoptac.trace import capture  # the EPCIS repository holds every event (capture imports us)

    capture.index_native(event)
    return event, True
