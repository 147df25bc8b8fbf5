"""`/api/v1/units/`: administrative units of every period, addressed by ref.

`?on=DATE` (or a dated ref, `75@2026-01-01`) answers each unit as it was that day: the name,
type and parent of its version valid then, so Đồng Nai is Tỉnh Đồng Nai on 2026-01-01 and
Thành phố Đồng Nai on 2026-05-01.
"""

import datetime

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import permissions, viewsets
from rest_framework.exceptions import NotFound
from rest_framework.exceptions import ValidationError as APIValidationError
from rest_framework.routers import SimpleRouter

from hoptac.core import serializers
from hoptac.core.api import Pagination
from hoptac.geo.fields import resolve_ref
from hoptac.geo.filters import UnitFilterSet
from hoptac.geo.models import AdministrativeUnit, parse_date


def _day(unit, context) -> datetime.date | None:
    return getattr(unit, "as_of", None) or context.get("on")


class UnitSerializer(serializers.ModelSerializer):
    ref = serializers.CharField(
        read_only=True, help_text="Identity of the unit: today's code, a district code, or old:CODE."
    )
    name = serializers.SerializerMethodField()
    unit_type = serializers.SerializerMethodField()
    unit_type_label = serializers.SerializerMethodField()
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
            "unit_type_label",
            "parent",
            "province",
            "valid_from",
            "valid_to",
            "population",
        ]

    def _version(self, unit):
        """The version valid on the day asked for, else the unit itself (its latest version)."""
        day = _day(unit, self.context)
        return (unit.version_on(day) if day else None) or unit

    def get_name(self, unit) -> str:
        return self._version(unit).name

    def get_unit_type(self, unit) -> str:
        return self._version(unit).unit_type

    def get_unit_type_label(self, unit) -> str:
        return str(self._version(unit).get_unit_type_display())

    def get_parent(self, unit) -> str | None:
        version = self._version(unit)
        return version.parent.ref if version.parent_id else None

    def get_province(self, unit) -> str | None:
        version = self._version(unit)
        return version.province.ref if version.province_id else None


def _act(link) -> dict | None:
    return {"number": link.act.number, "effective_on": link.act.effective_on} if link.act_id else None


class UnitDetailSerializer(UnitSerializer):
    on = serializers.SerializerMethodField()
    versions = serializers.SerializerMethodField()
    predecessors = serializers.SerializerMethodField()
    successors = serializers.SerializerMethodField()

    class Meta(UnitSerializer.Meta):
        fields = UnitSerializer.Meta.fields + ["on", "versions", "predecessors", "successors"]

    def get_on(self, unit) -> datetime.date | None:
        return _day(unit, self.context)

    def get_versions(self, unit) -> list[dict]:
        return [
            {
                "valid_from": v.valid_from,
                "valid_to": v.valid_to,
                "name": v.name,
                "unit_type": v.unit_type,
                "parent": v.parent.ref if v.parent_id else None,
                "act": v.act.number if v.act_id else None,
            }
            for v in unit.versions.select_related("parent", "act").order_by("valid_from")
        ]

    def get_predecessors(self, unit) -> list[dict]:
        links = unit.predecessor_links.select_related("old", "act").order_by("old__code")
        return [
            {
                "ref": link.old.ref,
                "name": link.old.name,
                "is_partial": link.is_partial,
                "date": link.date,
                "act": _act(link),
            }
            for link in links
        ]

    def get_successors(self, unit) -> list[dict]:
        links = unit.successor_links.select_related("new", "act").order_by("new__code")
        return [
            {
                "ref": link.new.ref,
                "name": link.new.name,
                "is_partial": link.is_partial,
                "date": link.date,
                "act": _act(link),
            }
            for link in links
        ]


class UnitPagination(Pagination):
    page_size = 100
    max_page_size = 5000


ON_PARAMETER = OpenApiParameter(
    "on",
    {"type": "string", "format": "date"},
    description="Answer each unit as it was that day (2026-01-01 or 01/01/2026).",
)


@extend_schema_view(
    list=extend_schema(parameters=[ON_PARAMETER]), retrieve=extend_schema(parameters=[ON_PARAMETER])
)
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
    lookup_value_regex = r"(?:old:)?\d{2,5}(?:@[0-9/-]{8,10})?"

    def get_queryset(self):
        qs = super().get_queryset()
        return qs.with_versions() if self.request.query_params.get("on") else qs

    def get_serializer_class(self):
        return UnitDetailSerializer if self.action == "retrieve" else UnitSerializer

    def _on(self) -> datetime.date | None:
        text = self.request.query_params.get("on")
        if not text:
            return None
        try:
            return parse_date(text)
        except ValueError as exc:
            raise APIValidationError({"on": [str(exc)]}) from exc

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["on"] = self._on()
        return context

    def get_object(self):
        day = self._on()
        try:
            unit = resolve_ref(self.kwargs["ref"])
        except ValidationError as exc:
            if exc.code == "invalid_ref" and "@" in self.kwargs["ref"]:
                raise APIValidationError({"ref": exc.messages}) from exc
            raise Http404 from exc
        day = day or getattr(unit, "as_of", None)
        if day and not unit.exists_on(day):
            raise NotFound(
                _("%(name)s (%(ref)s) did not exist on %(day)s.")
                % {"name": unit.name, "ref": unit.ref, "day": day.strftime("%d/%m/%Y")}
            )
        return unit


router = SimpleRouter()
router.register("units", UnitViewSet, basename="unit")
urlpatterns = router.urls
