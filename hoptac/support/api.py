"""`/api/v1/support/`: support records, scoped and audited like the registry."""

from rest_framework import mixins, permissions, serializers, viewsets
from rest_framework.routers import SimpleRouter

from hoptac.core.api import ActorMixin, CanWriteOrReadOnly
from hoptac.registry.models import Organisation
from hoptac.support import services
from hoptac.support.models import SupportRecord


class SupportSerializer(serializers.ModelSerializer):
    organisation = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.none())

    class Meta:
        model = SupportRecord
        fields = [
            "id",
            "organisation",
            "policy",
            "date",
            "amount",
            "in_kind",
            "in_kind_value",
            "source",
            "decision_number",
            "decision_date",
            "note",
        ]
        validators = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["organisation"].queryset = Organisation.objects.visible_to(request.user)

    def create(self, validated_data):
        return services.record_support(self.context["actor"], validated_data)


class SupportViewSet(ActorMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = SupportSerializer
    permission_classes = [permissions.IsAuthenticated, CanWriteOrReadOnly]

    def get_queryset(self):
        qs = SupportRecord.objects.visible_to(self.request.user).order_by("-date", "id")
        year = self.request.query_params.get("year", "")
        return qs.filter(date__year=int(year)) if year.isdigit() else qs


router = SimpleRouter()
router.register("support", SupportViewSet, basename="support")
urlpatterns = router.urls
