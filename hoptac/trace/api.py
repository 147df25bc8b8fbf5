"""`/api/v1/trace/…`: products, lots (by trace code), events, EPCIS 2.0 export and capture.

Capturing is idempotent: an event whose `event_id` (or, when none is sent, whose content) is
already stored answers 200 with the stored event instead of 201; the same ID with different
content is 409. `POST /api/v1/trace/capture/` takes an EPCISDocument and stores all of its
events or none.
"""

from __future__ import annotations

import datetime

from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action, api_view, parser_classes, permission_classes
from rest_framework.exceptions import ValidationError as APIValidationError
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from hoptac.core import serializers
from hoptac.core.api import ActorMixin
from hoptac.core.audit import Actor
from hoptac.core.concurrency import ConditionalMixin
from hoptac.core.models import Source
from hoptac.core.validation import query_date, query_int
from hoptac.geo.models import AdministrativeUnit
from hoptac.registry.models import Organisation
from hoptac.trace import capture, chain, epcis, national, query, services, validation
from hoptac.trace.filters import LotFilterSet
from hoptac.trace.models import Event, Lot, PortalConnection, Product, normalise_code
from hoptac.trace.views import base_url

MAX_EXPORT_EVENTS = 50_000
VIETNAM = datetime.timezone(datetime.timedelta(hours=7))


class ProductSerializer(serializers.ModelSerializer):
    organisation = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.none())

    class Meta:
        model = Product
        fields = [
            "id",
            "organisation",
            "name",
            "description",
            "gtin",
            "gs1_company_prefix",
            "unit",
            "shelf_life_days",
            "ocop",
            "version",
        ]
        validators = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["organisation"].queryset = Organisation.objects.restrict(request.user)

    def create(self, validated_data):
        return services.create_product(self.context["actor"], validated_data)

    def update(self, instance, validated_data):
        organisation = validated_data.pop("organisation", None)
        if organisation is not None and organisation.pk != instance.organisation_id:
            raise serializers.ValidationError({"organisation": ["A product's cooperative cannot change."]})
        return services.update_product(
            self.context["actor"],
            instance,
            validated_data,
            expected_version=self.context.get("expected_version"),
        )


class LotSerializer(serializers.ModelSerializer):
    product = serializers.PrimaryKeyRelatedField(queryset=Product.objects.none())
    public_url = serializers.SerializerMethodField()

    class Meta:
        model = Lot
        fields = ["code", "product", "number", "produced_on", "expires_on", "quantity", "unit", "event_count",
                  "public_url", "version"]  # fmt: skip
        read_only_fields = ["code", "event_count"]
        extra_kwargs = {"quantity": {"min_value": 0}}
        read_only_hints = {"code": _("The trace code is given by hoptac when the lot is created.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["product"].queryset = Product.objects.restrict(request.user)

    def get_public_url(self, lot) -> str:
        request = self.context.get("request")
        return request.build_absolute_uri(lot.get_public_url()) if request else lot.get_public_url()

    def create(self, validated_data):
        return services.create_lot(self.context["actor"], validated_data)


class InputSerializer(serializers.Serializer):
    lot = serializers.CharField(help_text="Trace code of the lot used.")
    quantity = serializers.DecimalField(
        max_digits=14, decimal_places=3, required=False, allow_null=True, min_value=0
    )
    unit = serializers.CharField(required=False, allow_blank=True, default="")


class EventSerializer(serializers.ModelSerializer):
    lot = serializers.SlugRelatedField(slug_field="code", queryset=Lot.objects.none())
    place = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text='Commune reference: "19363" (current) or "old:19363" (before the 2025 reform).',
    )
    corrects = serializers.CharField(
        required=False,
        allow_null=True,
        allow_blank=True,
        help_text="The event ID of the event this corrects.",
    )
    inputs = InputSerializer(many=True, required=False)
    event_id = serializers.CharField(required=False, allow_blank=True, max_length=200)

    class Meta:
        model = Event
        fields = ["event_id", "lot", "seq", "kind", "action", "step", "event_time", "time_zone", "recorded_at",
                  "quantity", "unit", "place", "location_name", "gln", "party", "member_ref", "partner_tax_code",
                  "partner_name", "note", "corrects", "inputs", "hash"]  # fmt: skip
        read_only_fields = ["seq", "kind", "recorded_at", "hash"]
        extra_kwargs = {"quantity": {"min_value": 0}}
        validators = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["lot"].queryset = Lot.objects.restrict(request.user)

    def validate(self, attrs):
        """`corrects` names an event of the same cooperative (event IDs are unique per cooperative)."""
        given = attrs.pop("corrects", None)
        if given:
            corrected = (
                Event.objects.restrict(self.context["request"].user)
                .filter(organisation_id=attrs["lot"].product.organisation_id, event_id=given)
                .first()
            )
            if corrected is None:
                raise serializers.ValidationError(
                    {"corrects": [_("No event has the ID “%(id)s”.") % {"id": given}]}
                )
            attrs["corrects"] = corrected
        return attrs

    def to_representation(self, event):
        data = super().to_representation(event)
        data["corrects"] = event.corrects.event_id if event.corrects_id else None
        data["place"] = event.place.ref if event.place_id else ""
        data["inputs"] = [
            {
                "lot": i.lot.code,
                "quantity": i.quantity,
                "unit": i.unit,
            }
            for i in event.inputs.all()
        ]
        return data

    def validate_place(self, value):
        if not value:
            return None
        try:
            return AdministrativeUnit.objects.get_by_ref(value)
        except (AdministrativeUnit.DoesNotExist, ValueError):
            raise serializers.ValidationError(
                f"No unit {value}: give 19363 for a current commune, old:19363 for a former one."
            ) from None

    def create(self, validated_data):
        lot = validated_data.pop("lot")
        inputs = [
            services.InputLot(i["lot"], i.get("quantity"), i.get("unit", ""))
            for i in validated_data.pop("inputs", [])
        ]
        event, created = services.record_event(self.context["actor"], lot, validated_data, inputs)
        self.context["created"] = created
        return event


class VerifySerializer(serializers.Serializer):
    lot = serializers.CharField(help_text="The lot's trace code.")
    events = serializers.IntegerField()
    ok = serializers.BooleanField()
    problems = serializers.ListField(child=serializers.CharField())


class ProductViewSet(
    ConditionalMixin,
    ActorMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.ReadOnlyModelViewSet,
):
    permission_classes = [permissions.IsAuthenticated]  # the services decide who may record
    serializer_class = ProductSerializer

    def get_queryset(self):
        qs = Product.objects.restrict(self.request.user).order_by("id")
        organisation = query_int(self.request.query_params, "organisation")
        return qs.filter(organisation_id=organisation) if organisation is not None else qs


class LotViewSet(ConditionalMixin, ActorMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    permission_classes = [permissions.IsAuthenticated]  # the services decide who may record
    serializer_class = LotSerializer
    filterset_class = LotFilterSet
    lookup_field = "code"

    def get_queryset(self):
        return Lot.objects.restrict(self.request.user).select_related("product").order_by("id")

    @extend_schema(responses=VerifySerializer)
    @action(detail=True)
    def verify(self, request, code=None):
        """Recompute the lot's hash chain now: `ok` and the problems found."""
        verdict = chain.verify(self.get_object())
        return Response({"lot": verdict.lot_code, "events": verdict.events, "ok": verdict.ok,
                         "problems": [str(p) for p in verdict.problems]})  # fmt: skip

    @extend_schema(responses={(200, "application/ld+json"): OpenApiTypes.OBJECT})
    @action(detail=True)
    def epcis(self, request, code=None):
        """The lot's events as an EPCIS 2.0 JSON-LD document."""
        lot = self.get_object()
        doc = epcis.document(Event.objects.filter(lot=lot).order_by("seq"), base_url(request))
        return Response(doc, content_type="application/ld+json")


class EventViewSet(ActorMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Events never change: no update or delete. POST twice, stored once."""

    permission_classes = [permissions.IsAuthenticated]  # the services decide who may record
    serializer_class = EventSerializer

    def get_queryset(self):
        qs = (
            Event.objects.restrict(self.request.user)
            .select_related("lot", "place", "corrects")
            .prefetch_related("inputs__lot")
            .order_by("id")
        )
        if self.request.query_params.get("lot"):
            qs = qs.filter(lot__code=normalise_code(self.request.query_params["lot"]))
        return qs

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        event = serializer.save()
        created = serializer.context.get("created", True)
        return Response(
            self.get_serializer(event).data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK
        )


def _period_events(request):
    """Events of the organisations the user sees, in [from, to], for one organisation or lot."""
    params = request.query_params
    qs = Event.objects.restrict(request.user)
    if params.get("lot"):
        qs = qs.filter(lot__code=normalise_code(params["lot"]))
    elif (organisation := query_int(params, "organisation")) is not None:
        qs = qs.filter(organisation_id=organisation)
    else:
        raise APIValidationError({"organisation": ["Give organisation=<id> or lot=<trace code>."]})
    for name in ("from", "to"):
        day = query_date(params, name)
        if day is not None:
            # Whole days in Vietnam's time; events are stored in UTC.
            bound = datetime.datetime.combine(day, datetime.time(), tzinfo=VIETNAM)
            if name == "from":
                qs = qs.filter(event_time__gte=bound)
            else:
                qs = qs.filter(event_time__lt=bound + datetime.timedelta(days=1))
    return qs.order_by("event_time", "id")


@extend_schema(
    parameters=[OpenApiParameter("organisation", int), OpenApiParameter("lot", str),
                OpenApiParameter("from", OpenApiTypes.DATE), OpenApiParameter("to", OpenApiTypes.DATE)],
    responses={(200, "application/ld+json"): OpenApiTypes.OBJECT},
)  # fmt: skip
@api_view(["GET"])
@permission_classes([permissions.IsAuthenticated])
def epcis_export(request):
    """`?organisation=<id>` or `?lot=<code>`, optional `from`/`to` (YYYY-MM-DD): an EPCISDocument."""
    events = _period_events(request)
    if events.count() > MAX_EXPORT_EVENTS:
        raise APIValidationError({"to": [f"More than {MAX_EXPORT_EVENTS} events: choose a shorter period."]})
    return Response(epcis.document(events, base_url(request)), content_type="application/ld+json")


class CapturedEventSerializer(serializers.Serializer):
    eventID = serializers.CharField()  # noqa: N815 (EPCIS's spelling)
    lot = serializers.CharField()
    created = serializers.BooleanField(help_text="false: the event was already stored (sent again).")


class CaptureSerializer(serializers.Serializer):
    events = CapturedEventSerializer(many=True)


@extend_schema(
    request={"application/json": OpenApiTypes.OBJECT},
    responses={200: CaptureSerializer, 201: CaptureSerializer},
    description="An EPCIS 2.0 EPCISDocument (or one event) from a partner system: all events stored, or none. "
    "201 when at least one event is new, 200 when all were stored before.",
)
@api_view(["POST"])
@parser_classes(query.PARSERS)
@permission_classes([permissions.IsAuthenticated])
def epcis_capture(request):
    """Any EPCIS 2.0 document (EPCISDocument, EPCISQueryDocument or one event): all events stored, or none.

    201 when something new was stored, 200 when every event was already stored; 400 names the
    event index and field of every problem; 409 an event ID already used for another event.
    """
    actor = Actor.from_request(request, Source.API)
    try:
        results = capture.capture(actor, request.data)
    except validation.DocumentInvalid as exc:
        raise APIValidationError(exc.as_dict()) from None
    created = any(r.created for r in results)
    return Response(
        {"events": [{**r.as_dict(), "lot": r.lots[0] if r.lots else None} for r in results]},
        status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
    )


@extend_schema(responses={200: OpenApiTypes.OBJECT})
@api_view(["GET"])
@permission_classes([permissions.IsAuthenticated])
def national_lot(request, code):
    """A lot's minimum record of TT 02/2024/TT-BKHCN (the fields and their sources: national.FIELDS)."""
    lot = get_object_or_404(
        Lot.objects.restrict(request.user).select_related("product__organisation__commune__parent", "place"),
        code=normalise_code(code),
    )
    return Response(national.lot_record(lot, base_url(request)))


@extend_schema(responses={200: OpenApiTypes.OBJECT})
@api_view(["GET"])
@permission_classes([permissions.IsAuthenticated])
def national_organisation(request, pk):
    """An organisation's minimum records, the fields not mapped, and its portal enrolment."""
    organisation = get_object_or_404(Organisation.objects.restrict(request.user), pk=pk)
    return Response(national.organisation_record(organisation, base_url(request)))


class PortalConnectionSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=PortalConnection.Status.choices)
    applied_on = serializers.DateField(required=False, allow_null=True)
    connected_on = serializers.DateField(required=False, allow_null=True)
    portal_reference = serializers.CharField(required=False, allow_blank=True, max_length=100)
    note = serializers.CharField(required=False, allow_blank=True, max_length=500)


@extend_schema(request=PortalConnectionSerializer, responses={200: OpenApiTypes.OBJECT})
@api_view(["GET", "PUT"])
@permission_classes([permissions.IsAuthenticated])
def portal_connection(request, pk):
    """Where the cooperative stands with the national traceability portal (not connected / applied / connected)."""
    organisation = get_object_or_404(Organisation.objects.restrict(request.user), pk=pk)
    if request.method == "PUT":
        serializer = PortalConnectionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        national.set_portal_connection(
            Actor.from_request(request, Source.API), organisation, serializer.validated_data
        )
    connection = PortalConnection.objects.filter(organisation=organisation).first()
    return Response(national.connection_record(connection))


router = SimpleRouter()
router.register("trace/products", ProductViewSet, basename="trace-product")
router.register("trace/lots", LotViewSet, basename="trace-lot")
router.register("trace/events", EventViewSet, basename="trace-event")
urlpatterns = [
    path("trace/epcis/", epcis_export, name="trace-epcis"),
    path("trace/capture/", epcis_capture, name="trace-capture"),
    path("trace/national/lots/<str:code>/", national_lot, name="trace-national-lot"),
    path("trace/national/organisations/<int:pk>/", national_organisation, name="trace-national-organisation"),
    path("trace/portal/<int:pk>/", portal_connection, name="trace-portal"),
    *router.urls,
    *query.urlpatterns,  # the EPCIS 2.0 REST binding under /api/v1/epcis/
]
