"""`/api/v1/dissolution-cases/` and `/api/v1/mergers/`: scoped and audited like the registry.

POST a case to open it (the organisation becomes "dissolving"); POST `…/steps/` to record a
step and `…/close/` with the decision to end it (the organisation becomes "dissolved").
POST a merger with `survivor` and `merged` ids: all of them end as "merged into" the survivor.
"""

from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, viewsets
from rest_framework.decorators import action, api_view, permission_classes
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from hoptac.accounts.api import ChangeOrReadOnly
from hoptac.core import serializers
from hoptac.core.api import ActorMixin
from hoptac.core.audit import Actor
from hoptac.core.concurrency import ConditionalMixin
from hoptac.core.models import Source
from hoptac.core.validation import MAX_INT
from hoptac.dissolution import services
from hoptac.dissolution.models import DissolutionCase, DissolutionStep, Merger, StepKind
from hoptac.registry.api import OrganisationSerializer
from hoptac.registry.models import Organisation


class StepSerializer(serializers.ModelSerializer):
    class Meta:
        model = DissolutionStep
        fields = ["id", "kind", "name", "date", "note"]


class CaseSerializer(serializers.ModelSerializer):
    organisation = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.none())
    steps = StepSerializer(many=True, read_only=True)

    class Meta:
        model = DissolutionCase
        fields = ["id", "organisation", "kind", "legal_basis", "deciding_body", "grounds", "opened_on",
                  "closed_on", "decision", "steps", "version"]  # fmt: skip
        read_only_fields = ["closed_on", "decision"]
        validators = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["organisation"].queryset = Organisation.objects.restrict(request.user)

    def create(self, validated_data):
        organisation = validated_data.pop("organisation")
        return services.open_case(self.context["actor"], organisation, validated_data)


class StepInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=StepKind.choices)
    name = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")
    date = serializers.DateField()
    note = serializers.CharField(required=False, allow_blank=True, default="")


class CloseInput(serializers.Serializer):
    closed_on = serializers.DateField()
    decision = serializers.CharField(max_length=120)


class CaseViewSet(ConditionalMixin, ActorMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    permission_classes = [permissions.IsAuthenticated, ChangeOrReadOnly]
    serializer_class = CaseSerializer
    if_match_actions = ("steps", "close")  # a step or the closing is a new version of the case

    def get_queryset(self):
        return (
            DissolutionCase.objects.restrict(self.request.user)
            .prefetch_related("steps")
            .order_by("-opened_on", "id")
        )

    @extend_schema(request=StepInput, responses=CaseSerializer)
    @action(detail=True, methods=["post"])
    def steps(self, request, pk=None):
        case = self.get_object()
        payload = StepInput(data=request.data)
        payload.is_valid(raise_exception=True)
        services.add_step(
            Actor.from_request(request, Source.API), case, **payload.validated_data,
            expected_version=self.expected_version(),
        )  # fmt: skip
        return Response(self.get_serializer(self.get_queryset().get(pk=case.pk)).data, status=201)

    @extend_schema(request=CloseInput, responses=CaseSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        case = self.get_object()
        payload = CloseInput(data=request.data)
        payload.is_valid(raise_exception=True)
        services.close_case(
            Actor.from_request(request, Source.API), case, **payload.validated_data,
            expected_version=self.expected_version(),
        )  # fmt: skip
        return Response(self.get_serializer(self.get_queryset().get(pk=case.pk)).data)


class MergerSerializer(serializers.ModelSerializer):
    survivor = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.none())
    merged = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.none(), many=True)

    class Meta:
        model = Merger
        fields = ["id", "survivor", "merged", "effective_date", "decision", "note", "recorded_at"]
        read_only_fields = ["recorded_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            visible = Organisation.objects.restrict(request.user)
            self.fields["survivor"].queryset = visible
            self.fields["merged"].child_relation.queryset = visible

    def create(self, validated_data):
        return services.merge_into(
            self.context["actor"], validated_data["survivor"], list(validated_data["merged"]),
            validated_data["effective_date"], validated_data.get("decision", ""), validated_data.get("note", ""),
        )  # fmt: skip


class MergerViewSet(ActorMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    permission_classes = [permissions.IsAuthenticated, ChangeOrReadOnly]
    serializer_class = MergerSerializer

    def get_queryset(self):
        return (
            Merger.objects.restrict(self.request.user)
            .prefetch_related("merged")
            .order_by("-effective_date", "id")
        )


class OrganisationMergeSerializer(serializers.Serializer):
    merged = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_INT), allow_empty=False, max_length=1000
    )
    effective_date = serializers.DateField()
    decision = serializers.CharField(required=False, allow_blank=True, max_length=120)
    note = serializers.CharField(required=False, allow_blank=True)


@extend_schema(request=OrganisationMergeSerializer, responses=OrganisationSerializer)
@api_view(["POST"])
@permission_classes([permissions.IsAuthenticated, ChangeOrReadOnly])
def organisation_merge(request, pk):
    """`POST /api/v1/organisations/<id>/merge/`: the listed cooperatives merge into this one.

    The same service as `POST /api/v1/mergers/` (same province, scale, a Merger record); kept at
    the organisation's address for the clients that used it.
    """
    survivor = get_object_or_404(Organisation.objects.restrict(request.user), pk=pk)
    payload = OrganisationMergeSerializer(data=request.data)
    payload.is_valid(raise_exception=True)
    ids = payload.validated_data["merged"]
    merged = list(Organisation.objects.restrict(request.user).filter(pk__in=ids))
    if len(merged) != len(set(ids)):
        raise serializers.ValidationError(
            {"merged": [_("Some of these organisations do not exist or are outside your area.")]}
        )
    services.merge_into(
        Actor.from_request(request, Source.API), survivor, merged, payload.validated_data["effective_date"],
        payload.validated_data.get("decision", ""), payload.validated_data.get("note", ""),
    )  # fmt: skip
    survivor.refresh_from_db()
    return Response(OrganisationSerializer(survivor, context={"request": request}).data)


router = SimpleRouter()
router.register("dissolution-cases", CaseViewSet, basename="dissolution-case")
router.register("mergers", MergerViewSet, basename="merger")
urlpatterns = [
    path("organisations/<int:pk>/merge/", organisation_merge, name="organisation-merge"),
    *router.urls,
]
