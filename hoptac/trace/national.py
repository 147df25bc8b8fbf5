"""The national minimum record of TT 02/2024/TT-BKHCN, and each cooperative's portal enrolment.

The data every product must show on the national portal (TT 02/2024, Điều 6 as summarised in
docs/traceability.md): name and image; producer name and address; production time; brand, code
and serial number if any; expiry if any — plus the four principles' data (one step back and
forward, key data of each event). `FIELDS` maps each to hoptac; `UNMAPPED` lists what hoptac
does not hold. The portal has no public API, so this is an export and an enrolment record,
not a push.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hoptac.accounts.access import require
from hoptac.core.audit import Actor, record, snapshot
from hoptac.core.models import Action
from hoptac.core.services import apply_fields, validate
from hoptac.trace import identifiers, public
from hoptac.trace.models import Lot, PortalConnection

# (field of the record, what it is in TT 02/2024, where hoptac takes it from)
FIELDS = [
    ("product_name", gettext_lazy("Product name"), "Product.name"),
    ("product_image", gettext_lazy("Product image"), "Product.image"),
    ("producer_name", gettext_lazy("Producer name"), "Organisation.name"),
    ("producer_address", gettext_lazy("Producer address"), "Organisation.address, commune, province"),
    ("producer_tax_code", gettext_lazy("Producer tax code"), "Organisation.tax_code"),
    ("production_date", gettext_lazy("Production time"), "Lot.produced_on"),
    ("trace_code", gettext_lazy("Trace code"), "Lot.code"),
    ("lot_number", gettext_lazy("Lot number"), "Lot.number"),
    ("gtin", gettext_lazy("Barcode (GTIN)"), "Product.gtin"),
    ("digital_link", gettext_lazy("GS1 Digital Link"), "identifiers.digital_link"),
    ("lgtin", gettext_lazy("LGTIN"), "identifiers.lgtin"),
    ("expiry_date", gettext_lazy("Expiry date"), "Lot.expires_on"),
    ("certifications", gettext_lazy("Valid certifications"), "Certification"),
    ("one_step_back", gettext_lazy("One step back (inputs)"), "EventInput of the lot's events"),
    (
        "one_step_forward",
        gettext_lazy("One step forward (where it went)"),
        "EventInput using the lot; shipping events",
    ),
    ("events", gettext_lazy("Key data of each event"), "Event (what, when, where, why, who)"),
]
UNMAPPED = [
    ("brand", gettext_lazy("Brand (nhãn hiệu): hoptac keeps the product's name only")),
    ("serial_number", gettext_lazy("Serial number: hoptac traces lots, not single items")),
    (
        "production_conditions",
        gettext_lazy("Production conditions beyond certifications (area, inputs register)"),
    ),
    (
        "customers_suppliers",
        gettext_lazy("Static data on customers and suppliers beyond the names in events"),
    ),
]


def lot_record(lot: Lot, base_url: str) -> dict:
    """One lot's minimum record (no personal data: members appear as a household)."""
    context = public.page_context(lot)
    product, producer = context["product"], context["producer"]
    forward = [f"{i.event.lot.product.name} ({i.event.lot.code})" for i in context["forward"]]
    forward += [e.partner_name for e in context["shipped"] if e.partner_name]
    return {
        "product_name": product.name,
        "product_image": base_url.rstrip("/") + product.image.url if product.image else "",
        "producer_name": producer.name,
        "producer_address": context["address"],
        "producer_tax_code": producer.tax_code or "",
        "production_date": lot.produced_on.isoformat(),
        "trace_code": lot.code,
        "lot_number": lot.number,
        "gtin": product.gtin,
        "digital_link": identifiers.digital_link(lot) or "",
        "lgtin": identifiers.lgtin(lot) or "",
        "expiry_date": lot.expires_on.isoformat() if lot.expires_on else "",
        "certifications": [str(c) for c in context["certifications"]],
        "one_step_back": [f"{i.lot.product.name} ({i.lot.code})" for i in context["back"]],
        "one_step_forward": forward,
        "events": [
            {
                "seq": e.seq,
                "step": e.step_label,
                "time": e.event_time.isoformat(),
                "corrected": e.pk in context["corrected"],
                "by": _("A member household") if e.party == "member" else (e.partner_name or producer.name),
            }
            for e in context["events"]
        ],  # fmt: skip
        "chain_ok": context["verdict"].ok,
    }


def organisation_record(organisation, base_url: str) -> dict:
    lots = Lot.objects.filter(product__organisation=organisation).select_related(
        "product__organisation__commune__parent", "product__ocop", "place"
    )
    connection = PortalConnection.objects.filter(organisation=organisation).first()
    return {
        "regulation": "TT 02/2024/TT-BKHCN",
        "organisation": organisation.name,
        "tax_code": organisation.tax_code or "",
        "portal": connection_record(connection),
        "fields": [
            {"field": key, "meaning": str(meaning), "source": source} for key, meaning, source in FIELDS
        ],
        "unmapped": [{"field": key, "why": str(why)} for key, why in UNMAPPED],
        "lots": [lot_record(lot, base_url) for lot in lots.order_by("id")],
    }


def connection_record(connection: PortalConnection | None) -> dict:
    if connection is None:
        return {"status": PortalConnection.Status.NOT_CONNECTED, "applied_on": None, "connected_on": None,
                "portal_reference": "", "note": ""}  # fmt: skip
    return {
        "status": connection.status,
        "applied_on": connection.applied_on.isoformat() if connection.applied_on else None,
        "connected_on": connection.connected_on.isoformat() if connection.connected_on else None,
        "portal_reference": connection.portal_reference,
        "note": connection.note,
    }


CONNECTION_FIELDS = {"status", "applied_on", "connected_on", "portal_reference", "note"}


@transaction.atomic
def set_portal_connection(actor: Actor, organisation, data: dict) -> PortalConnection:
    """Record where the cooperative stands with the national portal (audited)."""
    require(actor, "record_trace", organisation)
    connection, _created = PortalConnection.objects.select_for_update().get_or_create(
        organisation=organisation
    )
    before = snapshot(connection)
    apply_fields(connection, data, CONNECTION_FIELDS)
    if connection.status not in PortalConnection.Status.values:
        raise ValidationError({"status": _("The status is not_connected, applied or connected.")})
    validate(connection)
    connection.save()
    record(actor, Action.UPDATE, connection, before=before, after=snapshot(connection))
    return connection
