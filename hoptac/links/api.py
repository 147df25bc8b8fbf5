"""`/api/v1/links/`: value-chain links, scoped and audited like the registry."""

from rest_framework import permissions, serializers, viewsets
from rest_framework.routers import SimpleRouter

from hoptac.core.api import ActorMixin, CanWriteOrReadOnly
from hoptac.core.audit import Actor
from hoptac.core.models import Source
from hoptac.links import services
from hoptac.links.models import Link
from hoptac.registry.models import Organisation


class LinkSerializer(serializers.ModelSerializer):
    organisation = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.none())

    class Meta:
        model = Link
        fields = ["id", "organisation", "enterprise_name", "enterprise_tax_code", "product", "contract_number",
                  "contract_date", "start_date", "end_date", "volume", "value"]  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["organisation"].queryset = Organisation.objects.visible_to(request.user)

    def create(self, validated_data):
        return services.create_link(self.context["actor"], validated_data)

    def update(self, instance, validated_data):
        validated_data.pop("organisation", None)
        return services.update_link(self.context["actor"], instance, validated_data)


class LinkViewSet(ActorMixin, viewsets.ModelViewSet):
    permission_classes = [permissions.IsAuthenticated, CanWriteOrReadOnly]
    serializer_class = LinkSerializer

    def get_queryset(self):
        qs = Link.objects.visible_to(self.request.user).order_by("-start_date", "id")
        year = self.request.query_params.get("year", "")
        return qs.active_in(int(year)) if year.isdigit() else qs

    def perform_destroy(self, instance):
        services.delete_link(Actor.from_request(self.request, Source.API), instance)


router = SimpleRouter()
router.register("links", LinkViewSet, basename="link")
urlpatterns = router.urls
