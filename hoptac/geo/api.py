"""`/api/v1/units/`: administrative units of both generations, addressed by ref."""

from django.core.exceptions import ValidationError
from django.http import Http404
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import permissions, viewsets
from rest_framework.routers import SimpleRouter

from hoptac.core import serializers
from hoptac.core.api import Pagination
from hoptac.geo.fields import resolve_ref
from hoptac.geo.filters import UnitFilterSet
from hoptac.geo.models import AdministrativeUnit


class UnitSerializer(serializers.ModelSerializer):
    ref = serializers.CharField(
        read_only=True, help_text="Identity of the unit: today's code, a district code, or old:CODE."
    )
    parent = serializers.SerializerMethodField()
    province = serializers.SerializerMethodField()

    class Meta:
        model = AdministrativeUnit
        fields = [
            "ref",
            "code",
            "generation",
            "level",
            "name",
            "unit_type",
            "parent",
            "province",
            "valid_from",
            "valid_to",
            "population",
        ]

    def get_parent(self, unit) -> str | None:
        return unit.parent.ref if unit.parent_id else None

    def get_province(self, unit) -> str | None:
        return unit.province.ref if unit.province_id else None


class UnitDetailSerializer(UnitSerializer):
    predecessors = serializers.SerializerMethodField()
    successors = serializers.SerializerMethodField()

    class Meta(UnitSerializer.Meta):
        fields = UnitSerializer.Meta.fields + ["predecessors", "successors"]

    def get_predecessors(self, unit) -> list[dict]:
        links = unit.predecessor_links.select_related("old").order_by("old__code")
        return [{"ref": link.old.ref, "name": link.old.name, "is_partial": link.is_partial} for link in links]

    def get_successors(self, unit) -> list[dict]:
        links = unit.successor_links.select_related("new").order_by("new__code")
        return [{"ref": link.new.ref, "name": link.new.name, "is_partial": link.is_partial} for link in links]


class UnitPagination(Pagination):
    page_size = 100
    max_page_size = 5000


class UnitViewSet(viewsets.ReadOnlyModelViewSet):
    """Units are public statistical data (NSO codes): readable without an account."""

    queryset = AdministrativeUnit.objects.select_related("parent", "province").order_by(
        "generation", "level", "code"
    )
    permission_classes = [permissions.AllowAny]
    filter_backends = [DjangoFilterBackend]
    filterset_class = UnitFilterSet
    pagination_class = UnitPagination
    lookup_field = "ref"
    lookup_value_regex = r"(?:old:)?\d{2,5}"

    def get_serializer_class(self):
        return UnitDetailSerializer if self.action == "retrieve" else UnitSerializer

    def get_object(self):
        try:
            return resolve_ref(self.kwargs["ref"])
        except ValidationError as exc:
            raise Http404 from exc


router = SimpleRouter()
router.register("units", UnitViewSet, basename="unit")
urlpatterns = router.urls
