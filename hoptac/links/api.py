"""`/api/v1/links/`: value-chain links, scoped and audited like the registry.

`/api/v1/links/share/?year=2024&unit=464` gives the share of agricultural cooperatives linked
with an enterprise, from the same function the pages and the indicators use.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.exceptions import ValidationError as APIValidationError
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from hoptac.accounts import access
from hoptac.accounts.api import ChangeOrReadOnly
from hoptac.core import serializers
from hoptac.core.api import ActorMixin
from hoptac.core.audit import Actor
from hoptac.core.concurrency import ConditionalMixin
from hoptac.core.models import Source
from hoptac.core.openapi import YEAR_PARAMETER
from hoptac.core.validation import query_year
from hoptac.geo.fields import resolve_ref
from hoptac.links import services
from hoptac.links.filters import LinkFilterSet
from hoptac.links.indicators import linked_share
from hoptac.links.models import Link
from hoptac.registry.models import Organisation


class LinkSerializer(serializers.ModelSerializer):
    organisation = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.none())

    class Meta:
        model = Link
        fields = ["id", "organisation", "enterprise_name", "enterprise_tax_code", "product", "contract_number",
                  "contract_date", "start_date", "end_date", "volume", "value", "created_at", "version"]  # fmt: skip
        read_only_fields = ["created_at"]
        validators = []  # the model's constraints, reported by the service with the field named

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["organisation"].queryset = Organisation.objects.restrict(request.user)

    def create(self, validated_data):
        return services.create_link(self.context["actor"], validated_data)

    def update(self, instance, validated_data):
        organisation = validated_data.pop("organisation", None)
        if organisation is not None and organisation.pk != instance.organisation_id:
            raise APIValidationError(
                {"organisation": ["A link's cooperative cannot change; record a new link."]}
            )
        return services.update_link(
            self.context["actor"],
            instance,
            validated_data,
            expected_version=self.context.get("expected_version"),
        )


class ShareSerializer(serializers.Serializer):
    unit = serializers.CharField(allow_null=True)
    year = serializers.IntegerField()
    numerator = serializers.IntegerField()
    denominator = serializers.IntegerField()
    share = serializers.FloatField(allow_null=True)


class LinkViewSet(ConditionalMixin, ActorMixin, viewsets.ModelViewSet):
    permission_classes = [permissions.IsAuthenticated, ChangeOrReadOnly]
    serializer_class = LinkSerializer
    filterset_class = LinkFilterSet

    def get_queryset(self):
        return Link.objects.restrict(self.request.user).order_by("-start_date", "id")

    def perform_destroy(self, instance):
        services.delete_link(
            Actor.from_request(self.request, Source.API), instance, expected_version=self.expected_version()
        )

    @extend_schema(
        parameters=[YEAR_PARAMETER, OpenApiParameter("unit", str)],
        responses=ShareSerializer,
    )
    @action(detail=False, methods=["get"], filterset_class=None, pagination_class=None)
    def share(self, request):
        """Agricultural cooperatives linked with an enterprise in the year: numerator, denominator, %."""
        year = query_year(request.query_params)
        if year is None:
            raise APIValidationError({"year": ["Give the year, e.g. 2024."]})
        ref = request.query_params.get("unit", "")
        unit = None
        if ref:
            try:
                unit = resolve_ref(ref)
            except DjangoValidationError as exc:
                raise APIValidationError({"unit": exc.messages}) from exc
        elif not request.user.is_national:
            unit = request.user.scope_unit
        if not access.can(request.user, "measure_unit", unit):
            raise NotFound()
        result = linked_share(unit, year)
        data = {"unit": unit.ref if unit else None, "year": year, **result._asdict()}
        return Response(ShareSerializer(data).data)


router = SimpleRouter()
router.register("links", LinkViewSet, basename="link")
urlpatterns = router.urls
