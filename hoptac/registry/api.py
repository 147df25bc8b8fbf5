"""`/api/v1/organisations/`: the registry over REST, scoped and audited like the UI.

Units are given by ref: `commune` takes today's code ("19363"), `former_commune` the former
code as "old:19363" (a bare code is read as former there, since the field can hold nothing else).
"""

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from hoptac.accounts.api import ChangeOrReadOnly
from hoptac.core import serializers
from hoptac.core.api import ActorMixin
from hoptac.core.audit import Actor
from hoptac.core.concurrency import ConditionalMixin
from hoptac.core.models import Source
from hoptac.core.validation import MAX_INT
from hoptac.geo.fields import resolve_ref
from hoptac.geo.models import OLD_PREFIX, AdministrativeUnit
from hoptac.registry import services
from hoptac.registry.choices import Status
from hoptac.registry.filters import OrganisationFilterSet
from hoptac.registry.models import Organisation


@extend_schema_field({"type": "string", "example": "19363"})
class UnitRefField(serializers.Field):
    """A unit written as its ref; `former=True` reads a bare code as a former (pre-2025) unit."""

    default_error_messages = {"invalid": "{message}"}

    def __init__(self, former=False, **kwargs):
        self.former = former
        super().__init__(**kwargs)

    def to_representation(self, unit: AdministrativeUnit) -> str:
        return unit.ref

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid", message='Give the unit code as a string, e.g. "19363" or "old:19363".')
        ref = data.strip()
        if self.former and not ref.lower().startswith(OLD_PREFIX):
            ref = OLD_PREFIX + ref
        try:
            return resolve_ref(ref)
        except ValidationError as exc:
            self.fail("invalid", message=exc.messages[0])


class OrganisationSerializer(serializers.ModelSerializer):
    commune = UnitRefField()
    former_commune = UnitRefField(former=True, required=False, allow_null=True)
    commune_name = serializers.CharField(source="commune.name", read_only=True)
    province = serializers.CharField(source="commune.province.ref", read_only=True)
    merged_into = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    status_since = serializers.DateField(read_only=True, allow_null=True)

    class Meta:
        model = Organisation
        fields = [
            "id", "kind", "name", "tax_code", "registration_date", "registration_authority", "legal_basis",
            "reorganised", "commune", "commune_name", "province", "former_commune", "address", "sector",
            "service_type", "operating_scale", "status", "status_since", "merged_into", "led_by_woman",
            "ethnic_minority_area", "founding_mass_organisation", "has_party_cell", "has_mass_organisations",
            "director_name", "phone", "email", "tht_regime", "contract_date", "contract_end_date", "in_commune_register",
            "commune_register_date", "created_at", "updated_at", "version",
        ]  # fmt: skip
        read_only_fields = ["status", "status_since", "created_at", "updated_at"]
        read_only_hints = {
            "status": _("The status is changed through POST /api/v1/organisations/{id}/status/."),
            "status_since": _("The status is changed through POST /api/v1/organisations/{id}/status/."),
            "merged_into": _("A merger is recorded through POST /api/v1/organisations/{id}/merge/."),
        }
        # Uniqueness and cross-field rules are the model's; the service reports them as 400s.
        validators = []
        extra_kwargs = {"tax_code": {"validators": []}}

    def create(self, validated_data):
        return services.create_organisation(self.context["actor"], validated_data)

    def update(self, instance, validated_data):
        return services.update_organisation(
            self.context["actor"],
            instance,
            validated_data,
            expected_version=self.context.get("expected_version"),
        )


class StatusChangeSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Status.choices)
    effective_date = serializers.DateField()
    decision = serializers.CharField(required=False, allow_blank=True, max_length=120)
    note = serializers.CharField(required=False, allow_blank=True)
    merged_into = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=MAX_INT)


class OrganisationViewSet(ConditionalMixin, ActorMixin, viewsets.ModelViewSet):
    permission_classes = [permissions.IsAuthenticated, ChangeOrReadOnly]
    serializer_class = OrganisationSerializer
    filterset_class = OrganisationFilterSet
    if_match_actions = ("status",)  # a status change is a new version of the organisation

    def get_queryset(self):
        return (
            Organisation.objects.restrict(self.request.user)
            .select_related("commune", "commune__province", "former_commune")
            .order_by(*Organisation._meta.ordering)
        )

    def perform_destroy(self, instance):
        services.delete_organisation(
            Actor.from_request(self.request, Source.API), instance, expected_version=self.expected_version()
        )

    @extend_schema(request=StatusChangeSerializer, responses=OrganisationSerializer)
    @action(detail=True, methods=["post"])
    def status(self, request, pk=None):
        organisation = self.get_object()
        payload = StatusChangeSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        merged_into = data.pop("merged_into", None)
        if merged_into is not None:
            merged_into = get_object_or_404(Organisation.objects.restrict(request.user), pk=merged_into)
        services.change_status(
            Actor.from_request(request, Source.API), organisation, merged_into=merged_into, **data,
            expected_version=self.expected_version(),
        )  # fmt: skip
        organisation.refresh_from_db()
        return Response(self.get_serializer(organisation).data, status=status.HTTP_200_OK)


router = SimpleRouter()
router.register("organisations", OrganisationViewSet, basename="organisation")
urlpatterns = router.urls
