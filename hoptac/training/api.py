"""`/api/v1/managers/` and `/api/v1/trainings/`: the managers and training register, scoped and audited."""

from rest_framework import mixins, permissions, viewsets
from rest_framework.exceptions import ValidationError as APIValidationError
from rest_framework.routers import SimpleRouter

from hoptac.accounts.api import ChangeOrReadOnly
from hoptac.core import serializers
from hoptac.core.api import ActorMixin
from hoptac.core.audit import Actor
from hoptac.core.concurrency import ConditionalMixin
from hoptac.core.models import Source
from hoptac.registry.models import Organisation
from hoptac.support.models import SupportRecord
from hoptac.training import services
from hoptac.training.filters import ManagerFilterSet
from hoptac.training.models import Manager, Training


class TrainingSerializer(serializers.ModelSerializer):
    manager = serializers.PrimaryKeyRelatedField(queryset=Manager.objects.none())
    funded_by = serializers.PrimaryKeyRelatedField(
        queryset=SupportRecord.objects.none(), required=False, allow_null=True
    )

    class Meta:
        model = Training
        fields = ["id", "manager", "course", "level", "provider", "start", "end", "funded_by", "version"]
        validators = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["manager"].queryset = Manager.objects.restrict(request.user)
            self.fields["funded_by"].queryset = SupportRecord.objects.restrict(request.user)

    def create(self, validated_data):
        manager = validated_data.pop("manager")
        return services.record_training(self.context["actor"], manager, validated_data)


class ManagerSerializer(serializers.ModelSerializer):
    organisation = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.none())
    trainings = TrainingSerializer(many=True, read_only=True)

    class Meta:
        model = Manager
        fields = [
            "id",
            "organisation",
            "name",
            "role",
            "education",
            "birth_year",
            "is_woman",
            "left_on",
            "trainings",
            "version",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["organisation"].queryset = Organisation.objects.restrict(request.user)

    def create(self, validated_data):
        organisation = validated_data.pop("organisation")
        return services.add_manager(self.context["actor"], organisation, validated_data)

    def update(self, instance, validated_data):
        organisation = validated_data.pop("organisation", None)
        if organisation is not None and organisation.pk != instance.organisation_id:
            raise APIValidationError(
                {"organisation": ["A manager's cooperative cannot change; record them anew."]}
            )
        return services.update_manager(
            self.context["actor"],
            instance,
            validated_data,
            expected_version=self.context.get("expected_version"),
        )


class ManagerViewSet(
    ConditionalMixin,
    ActorMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.ReadOnlyModelViewSet,
):
    permission_classes = [permissions.IsAuthenticated, ChangeOrReadOnly]
    serializer_class = ManagerSerializer
    filterset_class = ManagerFilterSet

    def get_queryset(self):
        qs = (
            Manager.objects.restrict(self.request.user)
            .prefetch_related("trainings")
            .order_by("organisation_id", "id")
        )
        return qs


class TrainingViewSet(
    ConditionalMixin,
    ActorMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.ReadOnlyModelViewSet,
):
    permission_classes = [permissions.IsAuthenticated, ChangeOrReadOnly]
    serializer_class = TrainingSerializer

    def get_queryset(self):
        return Training.objects.filter(manager__in=Manager.objects.restrict(self.request.user)).order_by(
            "-start", "id"
        )

    def perform_destroy(self, instance):
        services.delete_training(
            Actor.from_request(self.request, Source.API), instance, expected_version=self.expected_version()
        )


router = SimpleRouter()
router.register("managers", ManagerViewSet, basename="manager")
router.register("trainings", TrainingViewSet, basename="training")
urlpatterns = router.urls
