"""`/api/v1/ocop/`: OCOP products, scoped and audited like the registry.

`stars` and `level` may be omitted: they follow from the score and the decision date.
`status` ("active" or "expired") is computed from `expires_on` (decision date + 36 months).
"""

from rest_framework import permissions, viewsets
from rest_framework.exceptions import ValidationError as APIValidationError
from rest_framework.routers import SimpleRouter

from hoptac.accounts.api import ChangeOrReadOnly
from hoptac.core import serializers
from hoptac.core.api import ActorMixin
from hoptac.core.audit import Actor
from hoptac.core.concurrency import ConditionalMixin
from hoptac.core.models import Source
from hoptac.ocop import services
from hoptac.ocop.filters import OcopFilterSet
from hoptac.ocop.models import OcopProduct, OcopStatus
from hoptac.registry.models import Organisation


class OcopSerializer(serializers.ModelSerializer):
    organisation = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.none())
    status = serializers.ChoiceField(choices=OcopStatus.choices, read_only=True)

    class Meta:
        model = OcopProduct
        fields = ["id", "organisation", "name", "group", "score", "stars", "level", "decision_number",
                  "decision_date", "expires_on", "status", "version"]  # fmt: skip
        read_only_fields = ["expires_on"]
        extra_kwargs = {
            "stars": {"required": False, "allow_null": True},
            "level": {"required": False, "allow_blank": True},
        }
        validators = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["organisation"].queryset = Organisation.objects.restrict(request.user)

    def create(self, validated_data):
        validated_data.setdefault("stars", None)
        return services.record_product(self.context["actor"], validated_data)

    def update(self, instance, validated_data):
        organisation = validated_data.pop("organisation", None)
        if organisation is not None and organisation.pk != instance.organisation_id:
            raise APIValidationError(
                {"organisation": ["A product's cooperative cannot change; record it anew."]}
            )
        return services.update_product(
            self.context["actor"],
            instance,
            validated_data,
            expected_version=self.context.get("expected_version"),
        )


class OcopViewSet(ConditionalMixin, ActorMixin, viewsets.ModelViewSet):
    serializer_class = OcopSerializer
    permission_classes = [permissions.IsAuthenticated, ChangeOrReadOnly]
    filterset_class = OcopFilterSet

    def get_queryset(self):
        return OcopProduct.objects.restrict(self.request.user).order_by("-decision_date", "id")

    def perform_destroy(self, instance):
        services.delete_product(
            Actor.from_request(self.request, Source.API), instance, expected_version=self.expected_version()
        )


router = SimpleRouter()
router.register("ocop", OcopViewSet, basename="ocop")
urlpatterns = router.urls
