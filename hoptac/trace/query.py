"""The EPCIS 2.0 REST binding (GS1's OpenAPI, `epcis-rest-openapi.json`) under `/api/v1/epcis/`.

- `POST capture`: a document or one event, processed synchronously: 202 with `Location:
  capture/<captureID>` when every event is stored (the job is finished when the answer comes),
  400 naming event index and field when anything is invalid (nothing stored), 409 an event ID
  used for another event. `GET capture/<captureID>` is the job document.
- `GET events` (and `eventTypes/<type>/events`): the SimpleEventQuery parameters listed in
  SUPPORTED; any other query parameter is refused with 400 (never silently ignored).
  Pagination is by keyset on the repository's own order (record order): `nextPageToken` is
  signed, carries the query and the last row's id, so a page resumes exactly where the last
  ended however many events are stored or arrive meanwhile; `perPage` 1–1000 (30 by default).
- `GET events/<eventID>`, `GET eventTypes`, `GET` (top-level resources).
- Answers are EPCISQueryDocuments (JSON-LD) with `GS1-EPCIS-Version` and `GS1-CBV-Version`.
- Scope: EpcisEvent.objects.restrict — a cooperative sees the events it captured and those
  about its own lots, never another cooperative's.
"""

from __future__ import annotations

import datetime
from urllib.parse import urlencode

from django.core import signing
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, status
from rest_framework.decorators import api_view, parser_classes, permission_classes, renderer_classes
from rest_framework.exceptions import ValidationError as APIValidationError
from rest_framework.parsers import JSONParser
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from hoptac.core.audit import Actor
from hoptac.core.models import Source
from hoptac.trace import capture, cbv, epcis, identifiers, validation
from hoptac.trace.models import EpcisEvent, EpcisIdentifier
from hoptac.trace.views import base_url

HEADERS = {"GS1-EPCIS-Version": "2.0.0", "GS1-CBV-Version": "2.0.0"}
JSON_LD = "application/ld+json"
PER_PAGE, MAX_PER_PAGE = 30, 1000
TOKEN_SALT = "hoptac.trace.epcis.page"
CAPTURE_SALT = "hoptac.trace.epcis.capture"
Role = EpcisIdentifier.Role
MATCH = {
    "MATCH_epc": [Role.EPC, Role.CHILD],
    "MATCH_parentID": [Role.PARENT],
    "MATCH_inputEPC": [Role.INPUT],
    "MATCH_outputEPC": [Role.OUTPUT],
    "MATCH_anyEPC": [Role.EPC, Role.CHILD, Role.PARENT, Role.INPUT, Role.OUTPUT],
    "MATCH_epcClass": [Role.CLASS, Role.CHILD_CLASS],
    "MATCH_inputEPCClass": [Role.INPUT_CLASS],
    "MATCH_outputEPCClass": [Role.OUTPUT_CLASS],
    "MATCH_anyEPCClass": [Role.CLASS, Role.CHILD_CLASS, Role.INPUT_CLASS, Role.OUTPUT_CLASS],
}
TIMES = {
    "GE_eventTime": ("event_time", "gte"),
    "LT_eventTime": ("event_time", "lt"),
    "GE_recordTime": ("record_time", "gte"),
    "LT_recordTime": ("record_time", "lt"),
}
EQUALS = {
    "EQ_bizStep": ("biz_step", "bizStep"),
    "EQ_disposition": ("disposition", "disposition"),
    "EQ_readPoint": ("read_point", None),
    "EQ_bizLocation": ("biz_location", None),
    "EQ_action": ("action", ""),
    "EQ_eventID": ("event_id", ""),
    "eventType": ("event_type", ""),
}
SUPPORTED = {"perPage", "nextPageToken", "EXISTS_errorDeclaration", *MATCH, *TIMES, *EQUALS}


# The standard query and capture interface is documented by GS1's EPCIS 2.0 REST binding
# (epcis-rest-openapi.json, shared by every EPCIS repository), not by hoptac's OpenAPI: its
# JSON-LD bodies are the standard's schema, which hoptac's schema would only repeat loosely.
EXCLUDED_FROM_SCHEMA = True


class JSONLDParser(JSONParser):
    """EPCIS documents are sent as application/ld+json as well as application/json."""

    media_type = "application/ld+json"


class JSONLDRenderer(JSONRenderer):
    media_type = "application/ld+json"


PARSERS = [JSONParser, JSONLDParser]
RENDERERS = [JSONLDRenderer, JSONRenderer]


def _values(raw: str) -> list[str]:
    """A list parameter: comma- or pipe-separated (the binding's form style)."""
    return [v.strip() for v in raw.replace("|", ",").split(",") if v.strip()]


def _pattern(value: str) -> Q | None:
    """An EPC pattern (`urn:epc:idpat:sgtin:0614141.107346.*`) as a prefix of canonical forms."""
    if not value.startswith("urn:epc:idpat:") or not value.endswith(".*"):
        return None
    base = identifiers.canonical(value)
    return Q(value__startswith=base + "/") | Q(value=base)


def _filter(params: dict, events):
    unknown = sorted(set(params) - SUPPORTED)
    if unknown:
        raise APIValidationError(
            {
                name: [_("hoptac does not support the query parameter %(name)s.") % {"name": name}]
                for name in unknown
            }
        )
    for name, (column, lookup) in TIMES.items():
        if name in params:
            when = validation.parse_time(params[name])
            if when is None:
                raise APIValidationError(
                    {name: [_("A date and time with its offset, e.g. 2026-07-22T06:45:00+07:00.")]}
                )
            events = events.filter(**{f"{column}__{lookup}": when})
    for name, (column, kind) in EQUALS.items():
        if name in params:
            values = _values(params[name])
            if kind in ("bizStep", "disposition"):
                values = [cbv.canonical(kind, v) for v in values]
            elif kind is None:
                values = [identifiers.canonical(v) for v in values]
            events = events.filter(**{f"{column}__in": values})
    for name, roles in MATCH.items():
        if name in params:
            condition = Q()
            for value in _values(params[name]):
                condition |= _pattern(value) or Q(value=identifiers.canonical(value))
            # by the identifier index (value, event), not row by row
            events = events.filter(
                pk__in=EpcisIdentifier.objects.filter(condition, role__in=roles).values("event_id")
            )
    if "EXISTS_errorDeclaration" in params:
        declared = Q(error_declaration__isnull=False) | Q(native__corrections__isnull=False)
        events = events.filter(declared).distinct()
    return events


def query_document(events: list[dict]) -> dict:
    return {
        "@context": epcis.CONTEXT,
        "type": "EPCISQueryDocument",
        "schemaVersion": "2.0",
        "creationDate": timezone.now().astimezone(datetime.UTC).isoformat(timespec="milliseconds"),
        "epcisBody": {
            "queryResults": {"queryName": "SimpleEventQuery", "resultsBody": {"eventList": events}}
        },
    }


def _answer(data, status_code=200, headers=None) -> Response:
    return Response(data, status=status_code, content_type=JSON_LD, headers={**HEADERS, **(headers or {})})


def _page(request, extra: dict | None = None) -> Response:
    params = {k: v for k, v in request.query_params.items()}
    after = 0
    if "nextPageToken" in params:
        try:
            token = signing.loads(params.pop("nextPageToken"), salt=TOKEN_SALT)
        except signing.BadSignature:
            raise APIValidationError(
                {"nextPageToken": [_("This page token is not one hoptac issued.")]}
            ) from None
        if token.get("user") != request.user.pk:
            raise APIValidationError({"nextPageToken": [_("This page token is not one hoptac issued.")]})
        params, after = (
            {**token["q"], **({"perPage": params["perPage"]} if "perPage" in params else {})},
            token["after"],
        )
    params.update(extra or {})
    try:
        per_page = int(params.get("perPage", PER_PAGE))
    except ValueError:
        per_page = 0
    if not 1 <= per_page <= MAX_PER_PAGE:
        raise APIValidationError(
            {"perPage": [_("perPage is a whole number from 1 to %(max)s.") % {"max": MAX_PER_PAGE}]}
        )
    query = {k: v for k, v in params.items() if k != "perPage"}
    events = _filter(query, EpcisEvent.objects.restrict(request.user))
    rows = list(
        events.filter(pk__gt=after).select_related("native__lot__product", "native__place", "native__organisation")
        .order_by("pk")[: per_page + 1]
    )  # fmt: skip
    more = len(rows) > per_page
    rows = rows[:per_page]
    base = base_url(request)
    headers = {}
    if more:
        token = signing.dumps({"q": query, "after": rows[-1].pk, "user": request.user.pk}, salt=TOKEN_SALT)
        link = (
            request.build_absolute_uri(request.path)
            + "?"
            + urlencode({"nextPageToken": token, "perPage": per_page})
        )
        headers["Link"] = f'<{link}>; rel="next"'
    return _answer(query_document([capture.render(e, base) for e in rows]), headers=headers)


@extend_schema(exclude=True)  # described by GS1's own binding (EXCLUDED_FROM_SCHEMA)
@api_view(["GET"])
@renderer_classes(RENDERERS)
@permission_classes([permissions.IsAuthenticated])
def events(request):
    """SimpleEventQuery over the events the account may see (see the module's docstring)."""
    return _page(request)


@extend_schema(exclude=True)  # described by GS1's own binding (EXCLUDED_FROM_SCHEMA)
@api_view(["GET"])
@renderer_classes(RENDERERS)
@permission_classes([permissions.IsAuthenticated])
def events_of_type(request, event_type: str):
    if event_type not in validation.EVENT_TYPES:
        return _answer(
            {"type": "epcisException:ResourceNotFoundException", "title": _("No such event type.")}, 404
        )
    if "eventType" in request.query_params:
        raise APIValidationError({"eventType": [_("The event type is already in the address.")]})
    return _page(request, {"eventType": event_type})


@extend_schema(exclude=True)  # described by GS1's own binding (EXCLUDED_FROM_SCHEMA)
@api_view(["GET"])
@renderer_classes(RENDERERS)
@permission_classes([permissions.IsAuthenticated])
def event(request, event_id: str):
    stored = get_object_or_404(EpcisEvent.objects.restrict(request.user), event_id=event_id)
    return _answer(query_document([capture.render(stored, base_url(request))]))


@extend_schema(exclude=True)  # described by GS1's own binding (EXCLUDED_FROM_SCHEMA)
@api_view(["GET"])
@renderer_classes(RENDERERS)
@permission_classes([permissions.IsAuthenticated])
def event_types(request):
    return _answer(list(validation.EVENT_TYPES))


@extend_schema(exclude=True)  # described by GS1's own binding (EXCLUDED_FROM_SCHEMA)
@api_view(["GET"])
@renderer_classes(RENDERERS)
@permission_classes([permissions.IsAuthenticated])
def top_level(request):
    return _answer(["capture", "events", "eventTypes"])


@extend_schema(exclude=True)  # described by GS1's own binding (EXCLUDED_FROM_SCHEMA)
@api_view(["POST"])
@parser_classes(PARSERS)
@renderer_classes(RENDERERS)
@permission_classes([permissions.IsAuthenticated])
def capture_endpoint(request):
    """EPCIS 2.0 capture (synchronous): 202 and the finished capture job's address."""
    actor = Actor.from_request(request, Source.API)
    try:
        results = capture.capture(actor, request.data)
    except validation.DocumentInvalid as exc:
        return _answer(
            {"type": "epcisException:ValidationException", "title": _("The document is not valid EPCIS 2.0; nothing was stored."),
             "status": 400, "errors": exc.as_dict()}, 400)  # fmt: skip
    job = {
        "user": request.user.pk,
        "at": timezone.now().isoformat(),
        "events": len(results),
        "created": sum(r.created for r in results),
    }
    capture_id = signing.dumps(job, salt=CAPTURE_SALT, compress=True)
    return _answer(
        {"captureID": capture_id, "events": [r.as_dict() for r in results]},
        status.HTTP_202_ACCEPTED,
        {"Location": f"capture/{capture_id}"},
    )


@extend_schema(exclude=True)  # described by GS1's own binding (EXCLUDED_FROM_SCHEMA)
@api_view(["GET"])
@renderer_classes(RENDERERS)
@permission_classes([permissions.IsAuthenticated])
def capture_job(request, capture_id: str):
    try:
        job = signing.loads(capture_id, salt=CAPTURE_SALT)
    except signing.BadSignature:
        job = None
    if not job or job.get("user") != request.user.pk:
        return _answer(
            {"type": "epcisException:ResourceNotFoundException", "title": _("No such capture job.")}, 404
        )
    return _answer({"captureID": capture_id, "createdAt": job["at"], "finishedAt": job["at"], "running": False,
                    "success": True, "captureErrorBehaviour": "rollback", "errors": [],
                    "events": job["events"], "created": job["created"]})  # fmt: skip


urlpatterns = [
    path("epcis/", top_level, name="epcis-top"),
    path("epcis/capture", capture_endpoint, name="epcis-capture"),
    path("epcis/capture/<str:capture_id>", capture_job, name="epcis-capture-job"),
    path("epcis/events", events, name="epcis-events"),
    path("epcis/events/<path:event_id>", event, name="epcis-event"),
    path("epcis/eventTypes", event_types, name="epcis-event-types"),
    path("epcis/eventTypes/<str:event_type>/events", events_of_type, name="epcis-events-of-type"),
]
