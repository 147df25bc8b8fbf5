"""`/api/v1/links/`: value-chain links, scoped and audited like the registry."""

from django.core.exceptions import PermissionDenied
from rest_framework import serializers, viewsets
from rest_framework.routers import SimpleRouter

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


class LinkViewSet(viewsets.ModelViewSet):
    serializer_class = LinkSerializer

    def get_queryset(self):
        qs = Link.objects.visible_to(self.request.user).order_by("-start_date", "id")
        year = self.request.query_params.get("year", "")
        return qs.active_in(int(year)) if year.isdigit() else qs

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "actor": Actor.from_request(self.request, Source.API)}

    def check_permissions(self, request):
        super().check_permissions(request)
        if request.method not in ("GET", "HEAD", "OPTIONS") and not request.user.can_write:
            raise PermissionDenied("Your account can read but not change this data.")

    def perform_destroy(self, instance):
        services.delete_link(Actor.from_request(self.request, Source.API), instance)


router = SimpleRouter()
router.register("links", LinkViewSet, basename="link")
urlpatterns = router.urls
