"""`/api/v1/support/`: support records, scoped and audited like the registry.

`/api/v1/support/summary/?by=policy|source|year|commune|province` (plus the list's filters)
gives count, money and in-kind value per group, in integer đồng.
"""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError as APIValidationError
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from hoptac.accounts.api import ChangeOrReadOnly
from hoptac.core import serializers
from hoptac.core.api import ActorMixin
from hoptac.core.audit import Actor
from hoptac.core.concurrency import ConditionalMixin
from hoptac.core.models import Source
from hoptac.registry.models import Organisation
from hoptac.support import services
from hoptac.support.filters import SupportFilterSet
from hoptac.support.models import Policy, SupportRecord


class SupportSerializer(serializers.ModelSerializer):
    organisation = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.none())
    policy = serializers.SlugRelatedField(slug_field="code", queryset=Policy.objects.all())

    class Meta:
        model = SupportRecord
        fields = ["id", "organisation", "policy", "date", "amount", "in_kind", "in_kind_value", "source",
                  "decision_number", "decision_date", "note", "version"]  # fmt: skip
        validators = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["organisation"].queryset = Organisation.objects.restrict(request.user)

    def create(self, validated_data):
        return services.record_support(self.context["actor"], validated_data)

    def update(self, instance, validated_data):
        organisation = validated_data.pop("organisation", None)
        if organisation is not None and organisation.pk != instance.organisation_id:
            raise APIValidationError({"organisation": ["Support to another beneficiary is another record."]})
        return services.update_support(
            self.context["actor"],
            instance,
            validated_data,
            expected_version=self.context.get("expected_version"),
        )


class SummaryRowSerializer(serializers.Serializer):
    key = serializers.JSONField(
        help_text="The policy code, source, year, commune or province ref of the group."
    )
    n = serializers.IntegerField()
    money = serializers.IntegerField()
    in_kind = serializers.IntegerField()
    total = serializers.IntegerField()


class SummarySerializer(serializers.Serializer):
    by = serializers.CharField()
    results = SummaryRowSerializer(many=True)


class SupportViewSet(ConditionalMixin, ActorMixin, viewsets.ModelViewSet):
    serializer_class = SupportSerializer
    permission_classes = [permissions.IsAuthenticated, ChangeOrReadOnly]
    filterset_class = SupportFilterSet

    def get_queryset(self):
        return (
            SupportRecord.objects.restrict(self.request.user).select_related("policy").order_by("-date", "id")
        )

    def perform_destroy(self, instance):
        services.delete_support(
            Actor.from_request(self.request, Source.API), instance, expected_version=self.expected_version()
        )

    @extend_schema(
        parameters=[OpenApiParameter("by", str, enum=list(services.SUMMARY_BY))], responses=SummarySerializer
    )
    @action(detail=False, methods=["get"], pagination_class=None)
    def summary(self, request):
        """Count, money and in-kind value per policy, source, year, commune or province."""
        by = request.query_params.get("by", "policy")
        if by not in services.SUMMARY_BY:
            raise APIValidationError({"by": [f"One of: {', '.join(services.SUMMARY_BY)}."]})
        records = self.filter_queryset(self.get_queryset())
        return Response({"by": by, "results": services.summary(records.order_by(), by)})


router = SimpleRouter()
router.register("support", SupportViewSet, basename="support")
urlpatterns = router.urls
