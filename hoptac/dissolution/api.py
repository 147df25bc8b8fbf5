"""`/api/v1/dissolution-cases/` and `/api/v1/mergers/`: scoped and audited like the registry.

POST a case to open it (the organisation becomes "dissolving"); POST `…/steps/` to record a
step and `…/close/` with the decision to end it (the organisation becomes "dissolved").
POST a merger with `survivor` and `merged` ids: all of them end as "merged into" the survivor.
"""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from hoptac.core import serializers
from hoptac.core.api import ActorMixin, CanWriteOrReadOnly
from hoptac.core.audit import Actor
from hoptac.core.models import Source
from hoptac.dissolution import services
from hoptac.dissolution.models import DissolutionCase, DissolutionStep, Merger, StepKind
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
                  "closed_on", "decision", "steps"]  # fmt: skip
        read_only_fields = ["closed_on", "decision"]
        validators = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["organisation"].queryset = Organisation.objects.visible_to(request.user)

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


class CaseViewSet(ActorMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    permission_classes = [permissions.IsAuthenticated, CanWriteOrReadOnly]
    serializer_class = CaseSerializer

    def get_queryset(self):
        return (
            DissolutionCase.objects.visible_to(self.request.user)
            .prefetch_related("steps")
            .order_by("-opened_on", "id")
        )

    @extend_schema(request=StepInput, responses=CaseSerializer)
    @action(detail=True, methods=["post"])
    def steps(self, request, pk=None):
        case = self.get_object()
        payload = StepInput(data=request.data)
        payload.is_valid(raise_exception=True)
        services.add_step(Actor.from_request(request, Source.API), case, **payload.validated_data)
        return Response(self.get_serializer(self.get_queryset().get(pk=case.pk)).data, status=201)

    @extend_schema(request=CloseInput, responses=CaseSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        case = self.get_object()
        payload = CloseInput(data=request.data)
        payload.is_valid(raise_exception=True)
        services.close_case(Actor.from_request(request, Source.API), case, **payload.validated_data)
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
            visible = Organisation.objects.visible_to(request.user)
            self.fields["survivor"].queryset = visible
            self.fields["merged"].child_relation.queryset = visible

    def create(self, validated_data):
        return services.merge_into(
            self.context["actor"], validated_data["survivor"], list(validated_data["merged"]),
            validated_data["effective_date"], validated_data.get("decision", ""), validated_data.get("note", ""),
        )  # fmt: skip


class MergerViewSet(ActorMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    permission_classes = [permissions.IsAuthenticated, CanWriteOrReadOnly]
    serializer_class = MergerSerializer

    def get_queryset(self):
        return (
            Merger.objects.visible_to(self.request.user)
            .prefetch_related("merged")
            .order_by("-effective_date", "id")
        )


router = SimpleRouter()
router.register("dissolution-cases", CaseViewSet, basename="dissolution-case")
router.register("mergers", MergerViewSet, basename="merger")
urlpatterns = router.urls
