"""Is a body a valid EPCIS 2.0 document? The official JSON Schema, then the rules it cannot say.

The schema is GS1's single-file EPCIS 2.0 schema, vendored unchanged in `epcis_schema/` with
GS1's licence. Its `uri` and `date-time` formats are checked here (jsonschema checks them only
with optional packages): a URI has a scheme (`https:`, `urn:`, or a CURIE prefix such as
`gs1:`), so a bare word that is not a CBV word — `transforming`, `in_transport` — or an
extension key without a namespace is refused, as the standard means it to be.

Three tolerances, in memory only (the vendored file is unchanged), because the OpenEPCIS
conformance documents — what other EPCIS systems write — count these as valid and the schema,
once its formats are checked, does not:
- a `sensorReport` that reports an `exception` (alarm or error condition) may omit `type`
  (SensorData_with_combined_events.json);
- a measurement `type` may be a bare GS1 Web Vocabulary term newer than the schema's 2023 list
  (`EffectiveDoseRate`; TransactionEvent_with_userExtensions.json);
- an AggregationEvent may carry `persistentDisposition`, as Object and Transformation events do
  (AggregationEvent_with_persistentDisposition.json).

Rules beyond the schema (EPCIS 2.0 §7.4 and the CBV): the event type is one of the five;
times carry their offset (the `date-time` format, RFC 3339); `eventTimeZoneOffset` is between -14:00 and +14:00; a
TransformationEvent has no `action`; an AggregationEvent that ADDs or DELETEs names its
`parentID`, an AssociationEvent always does; `ilmd` only on an ObjectEvent that ADDs (and
on a TransformationEvent).
"""

from __future__ import annotations

import copy
import datetime
import functools
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import jsonschema
from django.utils.translation import gettext as _
from jsonschema.exceptions import best_match

SCHEMA_DIR = Path(__file__).parent / "epcis_schema"
EVENT_TYPES = (
    "ObjectEvent",
    "AggregationEvent",
    "TransactionEvent",
    "TransformationEvent",
    "AssociationEvent",
)
URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:[^\s<>\"{}|\\^`]*$")
DATE_TIME = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-](\d{2}):(\d{2}))$"
)
OFFSET = re.compile(r"^[+-](\d{2}):(\d{2})$")


def _is_uri(value) -> bool:
    return not isinstance(value, str) or bool(URI.match(value))


def parse_time(value) -> datetime.datetime | None:
    """An RFC 3339 date-time with its offset (EPCIS times), or None."""
    if not isinstance(value, str) or not DATE_TIME.match(value):
        return None
    try:
        return datetime.datetime.fromisoformat(value.replace("z", "Z").replace("t", "T"))
    except ValueError:
        return None


def _is_date_time(value) -> bool:
    return not isinstance(value, str) or parse_time(value) is not None


@functools.cache
def _validator() -> jsonschema.Draft7Validator:
    schema = json.loads((SCHEMA_DIR / "EPCIS-JSON-Schema.json").read_text())
    schema = copy.deepcopy(schema)
    report = schema["definitions"]["sensorReport"]
    report.pop("required", None)
    report["anyOf"] = [{"required": ["type"]}, {"required": ["exception"]}]
    schema["definitions"]["measurementType"]["anyOf"].append(
        {"type": "string", "pattern": "^[A-Za-z][A-Za-z0-9_]*$"}
    )
    aggregation = schema["definitions"]["AggregationEvent"]["allOf"][1]
    aggregation["properties"]["persistentDisposition"] = {"$ref": "#/definitions/persistentDisposition"}
    aggregation["propertyNames"]["anyOf"][1]["enum"].append("persistentDisposition")
    checker = jsonschema.FormatChecker()
    checker.checks("uri")(_is_uri)
    checker.checks("date-time")(_is_date_time)
    return jsonschema.Draft7Validator(schema, format_checker=checker)


@dataclass
class Problem:
    index: int | None  # the event's place in the document's list, None for the document itself
    field: str
    message: str

    def __str__(self) -> str:
        if self.index is None:
            return _("Document, field %(field)s: %(message)s") % {
                "field": self.field or "—",
                "message": self.message,
            }
        return _("Event %(index)s, field %(field)s: %(message)s") % {
            "index": self.index,
            "field": self.field or "—",
            "message": self.message,
        }


class DocumentInvalid(ValueError):
    """The whole document is refused; `problems` name each event (by index) and field."""

    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(map(str, problems)))
        self.problems = problems

    def as_dict(self) -> dict:
        result: dict[str, list[str]] = {}
        for p in self.problems:
            key = "document" if p.index is None else f"eventList[{p.index}]"
            result.setdefault(key, []).append(str(p))
        return result


@dataclass
class Parsed:
    """The events of a valid body, each with the JSON-LD context that applies to it."""

    form: str  # EPCISDocument, EPCISQueryDocument or the event type of a bare event
    context: list = field(default_factory=list)
    events: list[dict] = field(default_factory=list)


def _as_list(context) -> list:
    if context is None:
        return []
    return list(context) if isinstance(context, list) else [context]


def _event_path(path: list) -> tuple[int | None, list]:
    """(event index, path inside the event) for a path in a document or a bare event."""
    for i, part in enumerate(path):
        if part == "eventList" and i + 1 < len(path) and isinstance(path[i + 1], int):
            return path[i + 1], path[i + 2 :]
    return None, path


def _field(path: list) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _deepest(error):
    while error.context:
        error = best_match(error.context)
    return error


def _explain(error) -> tuple[list, str]:
    """(path of the field, message in the user's language) for one schema error."""
    path = list(error.absolute_path)
    value = json.dumps(error.instance, ensure_ascii=False)
    if len(value) > 120:
        value = value[:120] + "…"
    kind = error.validator
    if kind == "required":
        missing = re.match(r"^'([^']+)'", error.message)
        name = missing.group(1) if missing else "?"
        return path + [name], _("the required field %(name)s is missing.") % {"name": name}
    if kind in ("additionalProperties", "propertyNames"):
        extra = re.findall(r"'([^']+)'", error.message)
        name = extra[0] if extra else "?"
        if kind == "additionalProperties":
            return path + [name], _("the field %(name)s is not allowed here.") % {"name": name}
        return path, _(
            "%(name)s is neither a standard field nor an extension with a namespace (prefix:name or a URI)."
        ) % {"name": value}
    if kind == "format" and error.validator_value == "uri":
        return path, _(
            "%(value)s is neither a CBV word nor a URI (https://…, urn:…) or prefix:name with a declared namespace."
        ) % {"value": value}
    if kind == "format":
        return path, _("%(value)s is not a valid %(format)s.") % {
            "value": value,
            "format": error.validator_value,
        }
    if kind == "type":
        return path, _("%(value)s is not of type %(type)s.") % {"value": value, "type": error.validator_value}
    if kind in ("enum", "const", "pattern"):
        return path, _("%(value)s is not an allowed value.") % {"value": value}
    return path, _("%(value)s is not valid here (%(rule)s).") % {"value": value, "rule": kind}


def _schema_problems(body, bare: bool) -> list[Problem]:
    problems = []
    for error in sorted(_validator().iter_errors(body), key=lambda e: list(map(str, e.absolute_path))):
        path, message = _explain(_deepest(error))
        index, inner = _event_path(path)
        if bare:
            index = 0
        problems.append(Problem(index, _field(inner), message))
    return problems


def _offset_ok(value: str) -> bool:
    match = OFFSET.match(value or "")
    if not match:
        return False
    hours, minutes = int(match.group(1)), int(match.group(2))
    return hours * 60 + minutes <= 14 * 60 and minutes < 60


def _rule_problems(index: int, event: dict) -> list[Problem]:
    problems = []
    kind = event.get("type")
    if kind not in EVENT_TYPES:
        problems.append(
            Problem(index, "type", _("“%(type)s” is not an EPCIS 2.0 event type.") % {"type": kind})
        )
        return problems
    if isinstance(event.get("eventID"), str) and len(event["eventID"]) > 500:
        problems.append(Problem(index, "eventID", _("An event ID of more than 500 characters is not kept.")))
    offset = event.get("eventTimeZoneOffset")
    if (
        isinstance(offset, str) and OFFSET.match(offset) and not _offset_ok(offset)
    ):  # the form is the schema's
        problems.append(
            Problem(
                index,
                "eventTimeZoneOffset",
                _("“%(value)s” is not an offset between -14:00 and +14:00.") % {"value": offset},
            )  # fmt: skip
        )
    action = event.get("action")
    if kind == "TransformationEvent" and action is not None:
        problems.append(Problem(index, "action", _("A TransformationEvent has no action.")))
    if kind == "AggregationEvent" and action in ("ADD", "DELETE") and not event.get("parentID"):
        problems.append(
            Problem(index, "parentID", _("An AggregationEvent that adds or deletes names its parent."))
        )
    if kind == "AssociationEvent" and not event.get("parentID"):
        problems.append(Problem(index, "parentID", _("An AssociationEvent names its parent.")))
    if "ilmd" in event and kind == "ObjectEvent" and action != "ADD":
        problems.append(
            Problem(index, "ilmd", _("Instance/lot master data go with an ObjectEvent that adds."))
        )
    if "ilmd" in event and kind not in ("ObjectEvent", "TransformationEvent"):
        problems.append(Problem(index, "ilmd", _("Only ObjectEvent and TransformationEvent carry ilmd.")))
    return problems


def parse(body) -> Parsed:
    """The events of an EPCISDocument, an EPCISQueryDocument or a bare event; DocumentInvalid if
    anything in it is invalid (nothing of an invalid document is taken)."""
    if not isinstance(body, dict):
        raise DocumentInvalid(
            [Problem(None, "", _("The body is a JSON object (an EPCISDocument or one event)."))]
        )
    form = body.get("type")
    if form == "EPCISDocument":
        events = (
            (body.get("epcisBody") or {}).get("eventList")
            if isinstance(body.get("epcisBody"), dict)
            else None
        )
    elif form == "EPCISQueryDocument":
        results = (
            ((body.get("epcisBody") or {}).get("queryResults") or {})
            if isinstance(body.get("epcisBody"), dict)
            else {}
        )
        events = (results.get("resultsBody") or {}).get("eventList") if isinstance(results, dict) else None
    elif form in EVENT_TYPES:
        events = [body]
    else:
        raise DocumentInvalid([Problem(None, "type", _("“%(type)s” is neither an EPCISDocument, an EPCISQueryDocument nor an EPCIS event type.")
                                       % {"type": form})])  # fmt: skip
    problems = _schema_problems(body, bare=form in EVENT_TYPES)
    if not isinstance(events, list):
        problems.append(Problem(None, "epcisBody", _("The document has no list of events.")))
        raise DocumentInvalid(problems)
    for index, event in enumerate(events):
        if isinstance(event, dict):
            problems.extend(_rule_problems(index, event))
        else:
            problems.append(Problem(index, "", _("An event is a JSON object.")))
    if problems:
        unique, seen = [], set()
        for p in problems:
            if (p.index, p.field, p.message) not in seen:
                seen.add((p.index, p.field, p.message))
                unique.append(p)
        raise DocumentInvalid(unique)
    context = _as_list(body.get("@context"))
    return Parsed(form, context, events)
