"""CBV 2.0 business steps and dispositions: their canonical URIs and their names in Vietnamese.

A step or disposition arrives as a bare CBV word (`shipping`), a CURIE (`cbv:BizStep-shipping`),
the full URI (`https://ref.gs1.org/cbv/BizStep-shipping`) or the EPCIS 1.x URN
(`urn:epcglobal:cbv:bizstep:shipping`); all four are the same step and are stored and queried
as the full URI. Anything else is an extension URI, kept as sent (hoptac's farming steps are
`urn:hoptac:bizStep:<step>`).
"""

from __future__ import annotations

import re

from django.utils.translation import gettext_lazy as _

CBV = "https://ref.gs1.org/cbv/"
GS1_VOC = "https://gs1.org/voc/"
KNOWN_PREFIXES = {"cbv": CBV, "gs1": GS1_VOC, "epcis": "https://ref.gs1.org/epcis/"}

BIZ_STEPS = {
    "accepting": _("Accepting"),
    "arriving": _("Arriving"),
    "assembling": _("Assembling"),
    "collecting": _("Collecting"),
    "commissioning": _("Commissioning (new lot created)"),
    "consigning": _("Consigning"),
    "creating_class_instance": _("Creating a lot"),
    "cycle_counting": _("Cycle counting"),
    "decommissioning": _("Decommissioning"),
    "departing": _("Departing"),
    "destroying": _("Destroying"),
    "disassembling": _("Disassembling"),
    "dispensing": _("Dispensing"),
    "encoding": _("Encoding"),
    "entering_exiting": _("Entering or exiting"),
    "holding": _("Holding"),
    "inspecting": _("Inspection"),
    "installing": _("Installing"),
    "killing": _("Slaughtering"),
    "loading": _("Loading"),
    "other": _("Other step"),
    "packing": _("Packing"),
    "picking": _("Picking"),
    "receiving": _("Receiving"),
    "removing": _("Removing"),
    "repackaging": _("Repackaging"),
    "repairing": _("Repairing"),
    "replacing": _("Replacing"),
    "reserving": _("Reserving"),
    "retail_selling": _("Retail selling"),
    "sampling": _("Sampling"),
    "sensor_reporting": _("Sensor reporting"),
    "shipping": _("Shipping"),
    "staging_outbound": _("Staging for shipment"),
    "stock_taking": _("Stock taking"),
    "stocking": _("Stocking"),
    "storing": _("Storage"),
    "transporting": _("Transporting"),
    "unloading": _("Unloading"),
    "unpacking": _("Unpacking"),
    "void_shipping": _("Shipment cancelled"),
}

DISPOSITIONS = {
    "active": _("Active"),
    "available": _("Available"),
    "completeness_inferred": _("Completeness inferred"),
    "completeness_verified": _("Completeness verified"),
    "conformant": _("Conformant"),
    "container_closed": _("Container closed"),
    "container_open": _("Container open"),
    "damaged": _("Damaged"),
    "destroyed": _("Destroyed"),
    "dispensed": _("Dispensed"),
    "disposed": _("Disposed of"),
    "encoded": _("Encoded"),
    "expired": _("Expired"),
    "in_progress": _("In progress"),
    "in_transit": _("In transit"),
    "inactive": _("Inactive"),
    "mismatch_class": _("Wrong product"),
    "mismatch_instance": _("Wrong item"),
    "mismatch_quantity": _("Wrong quantity"),
    "needs_replacement": _("Needs replacement"),
    "no_pedigree_match": _("No pedigree match"),
    "non_conformant": _("Non-conformant"),
    "non_sellable_other": _("Not for sale"),
    "partially_dispensed": _("Partially dispensed"),
    "recalled": _("Recalled"),
    "reserved": _("Reserved"),
    "retail_sold": _("Sold at retail"),
    "returned": _("Returned"),
    "sellable_accessible": _("For sale, on the shelf"),
    "sellable_not_accessible": _("For sale, in stock"),
    "stolen": _("Stolen"),
    "unavailable": _("Unavailable"),
    "unknown": _("Unknown"),
}

KINDS = {"bizStep": ("BizStep-", "bizstep", BIZ_STEPS), "disposition": ("Disp-", "disp", DISPOSITIONS)}


def expand_curie(value: str, prefixes: dict | None = None) -> str:
    """`cbv:BizStep-shipping` → its full URI, with the standard prefixes and those a document declares."""
    match = re.match(r"^([A-Za-z][\w.\-]*):(.*)$", value or "")
    if not match or match.group(2).startswith("//"):
        return value
    known = {**KNOWN_PREFIXES, **(prefixes or {})}
    base = known.get(match.group(1))
    return base + match.group(2) if isinstance(base, str) else value


def canonical(kind: str, value: str | None, prefixes: dict | None = None) -> str:
    """The full URI of a bizStep or disposition (`kind`), however it was written."""
    if not value:
        return ""
    tail, urn_kind, words = KINDS[kind]
    if value in words:
        return CBV + tail + value
    match = re.fullmatch(rf"urn:epcglobal:cbv:{urn_kind}:(\w+)", value)
    if match and match.group(1) in words:
        return CBV + tail + match.group(1)
    expanded = expand_curie(value, prefixes)
    match = re.fullmatch(rf"https?://(?:ref\.gs1\.org|ns\.gs1\.org|gs1\.org/voc)/cbv/{tail}(\w+)", expanded)
    if match and match.group(1) in words:
        return CBV + tail + match.group(1)
    match = re.fullmatch(rf"https://gs1\.org/voc/{tail}(\w+)", expanded)
    if match and match.group(1) in words:
        return CBV + tail + match.group(1)
    return expanded


def word(kind: str, uri: str) -> str | None:
    """The CBV word of a canonical URI (`shipping`), or None for an extension."""
    tail = KINDS[kind][0]
    if uri.startswith(CBV + tail):
        return uri.removeprefix(CBV + tail)
    return None


def label(kind: str, uri: str) -> str:
    """The step's or disposition's name for people (Vietnamese by default); an extension shows its last part."""
    if not uri:
        return ""
    uri = canonical(kind, uri)
    found = word(kind, uri)
    words = KINDS[kind][2]
    if found in words:
        return str(words[found])
    if kind == "bizStep" and uri.startswith("urn:hoptac:bizStep:"):
        from hoptac.trace.models import Step

        try:
            return str(Step(uri.removeprefix("urn:hoptac:bizStep:")).label)
        except ValueError:
            pass
    return re.split(r"[/:#]", uri.rstrip("/"))[-1].replace("_", " ").replace("-", " ")
