"""`/api/v1/ocop/`: OCOP products, scoped like the registry."""

from rest_framework import mixins, permissions, serializers, viewsets
from rest_framework.routers import SimpleRouter

from hoptac.core.api import ActorMixin, CanWriteOrReadOnly
from hoptac.ocop import services
from hoptac.ocop.models import OcopProduct
from hoptac.registry.models import Organisation


class OcopSerializer(serializers.ModelSerializer):
    organisation = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.none())

    class Meta:
        model = OcopProduct
        fields = [
            "id",
            "organisation",
            "name",
            "group",
            "score",
            "stars",
            "level",
            "decision_number",
            "decision_date",
            "expires_on",
        ]
        read_only_fields = ["expires_on"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["organisation"].queryset = Organisation.objects.visible_to(request.user)

    def create(self, validated_data):
        return services.record_product(self.context["actor"], validated_data)


class OcopViewSet(ActorMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = OcopSerializer
    permission_classes = [permissions.IsAuthenticated, CanWriteOrReadOnly]

    def get_queryset(self):
        return OcopProduct.objects.visible_to(self.request.user).order_by("-decision_date", "id")


router = SimpleRouter()
router.register("ocop", OcopViewSet, basename="ocop")
urlpatterns = router.urls
