"""The hash chain of a lot: how a change made behind the application's back is found.

genesis = SHA-256 of the lot's key data; each event's hash = SHA-256(previous hash + its
canonical content, inputs included). The lot keeps the last hash and the number of events, so
an edited, inserted or deleted row, or an edited lot, breaks the chain at a named place.
The chain proves integrity against edits of single rows; someone able to rewrite a lot and all
its events consistently is caught only by comparing with an earlier copy (the audit log keeps
each event's hash).
"""

from __future__ import annotations

import datetime
import hashlib
import json
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _


def decimal_text(value) -> str | None:
    return None if value is None else format(Decimal(value).quantize(Decimal("0.001")), "f")


def instant(value: datetime.datetime) -> str:
    return value.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _digest(*parts: str) -> str:
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _canonical(data: dict) -> str:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def lot_content(lot) -> dict:
    return {
        "code": lot.code,
        "product": lot.product_id,
        "number": lot.number,
        "produced_on": lot.produced_on.isoformat(),
        "expires_on": lot.expires_on.isoformat() if lot.expires_on else None,
        "quantity": decimal_text(lot.quantity),
        "unit": lot.unit,
        "place": lot.place_id,
    }


def genesis_hash(lot) -> str:
    return _digest("hoptac-lot-v1", _canonical(lot_content(lot)))


def event_content(event, inputs: list[tuple[str, object, str]], corrects_id: str | None) -> dict:
    """What the hash covers: every field of the event, and its inputs as (lot code, quantity, unit);
    for an event captured from another system, the hash of its EPCIS content too."""
    content = {
        "lot": event.lot.code,
        "seq": event.seq,
        "event_id": event.event_id,
        "kind": event.kind,
        "action": event.action,
        "step": event.step,
        "event_time": instant(event.event_time),
        "time_zone": event.time_zone,
        "recorded_at": instant(event.recorded_at),
        "quantity": decimal_text(event.quantity),
        "unit": event.unit,
        "place": event.place_id,
        "location_name": event.location_name,
        "gln": event.gln,
        "organisation": event.organisation_id,
        "party": event.party,
        "member_ref": event.member_ref,
        "partner_tax_code": event.partner_tax_code,
        "partner_name": event.partner_name,
        "note": event.note,
        "corrects": corrects_id,
        "inputs": sorted([code, decimal_text(qty), unit] for code, qty, unit in inputs),
    }
    if getattr(event, "epcis_hash", ""):  # absent from earlier events, so their hashes still verify
        content["epcis"] = event.epcis_hash
    return content


def event_hash(prev_hash: str, content: dict) -> str:
    return _digest(prev_hash, _canonical(content))


@dataclass
class Verdict:
    """The result of checking one lot's chain; `problems` name the event and what is wrong."""

    lot_code: str
    events: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def verify(lot, events=None, fresh: bool = False) -> Verdict:
    """Recompute a lot's chain from the database rows (3 queries, whatever the length).

    `events`: the lot's events already read in seq order with `corrects` and `inputs__lot`
    (the public page has them); `fresh`: the lot itself was just read from the database.
    """
    from hoptac.trace.models import Event, EventInput

    if not fresh:
        lot.refresh_from_db(fields=["code", "product", "number", "produced_on", "expires_on", "quantity", "unit",
                                    "place", "genesis_hash", "head_hash", "event_count"])  # fmt: skip
    verdict = Verdict(lot.code)
    if genesis_hash(lot) != lot.genesis_hash:
        verdict.problems.append(_("The lot's own data (code, dates, quantity) was changed."))
    inputs: dict[int, list] = {}
    if events is None:
        events = list(Event.objects.filter(lot=lot).select_related("corrects").order_by("seq"))
        rows = EventInput.objects.filter(event__lot=lot).values_list(
            "event_id", "lot__code", "quantity", "unit"
        )
        for row in rows:
            inputs.setdefault(row[0], []).append(row[1:])
    else:
        for event in events:
            inputs[event.pk] = [(i.lot.code, i.quantity, i.unit) for i in event.inputs.all()]
    running = lot.genesis_hash
    for expected_seq, event in enumerate(events, start=1):
        event.lot = lot
        if event.seq != expected_seq:
            verdict.problems.append(
                _("Event %(seq)s is missing: the chain jumps to %(found)s.")
                % {"seq": expected_seq, "found": event.seq}
            )
            break
        if event.prev_hash != running:
            verdict.problems.append(
                _("Event %(seq)s no longer follows the one before it.") % {"seq": event.seq}
            )
        content = event_content(
            event, inputs.get(event.pk, []), event.corrects.event_id if event.corrects else None
        )
        if event_hash(event.prev_hash, content) != event.hash:
            verdict.problems.append(
                _("Event %(seq)s was changed after it was recorded.") % {"seq": event.seq}
            )
        running = event.hash
    verdict.events = len(events)
    if not verdict.problems:
        if lot.event_count > len(events):
            verdict.problems.append(
                _("The lot records %(count)s events but %(found)s are stored: an event was deleted.")
                % {"count": lot.event_count, "found": len(events)}
            )
        elif lot.event_count < len(events):
            verdict.problems.append(
                _(
                    "The lot records %(count)s events but %(found)s are stored: an event was added outside hoptac."
                )
                % {"count": lot.event_count, "found": len(events)}
            )
        elif lot.head_hash != running:
            verdict.problems.append(_("The last event was replaced."))
    return verdict
