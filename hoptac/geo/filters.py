"""One filter set for administrative units, shared by the API and the unit browser."""

import django_filters
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field

from hoptac.geo.fields import UnitRefField
from hoptac.geo.models import AdministrativeUnit, Generation, Level


@extend_schema_field({"type": "string", "example": "44"})
class UnitRefFilter(django_filters.Filter):
    """Filter by a unit given as a ref; the lookup decides how (parent, in_unit…)."""

    field_class = UnitRefField


class UnitFilterSet(django_filters.FilterSet):
    level = django_filters.ChoiceFilter(choices=Level.choices)
    generation = django_filters.ChoiceFilter(choices=Generation.choices)
    on = django_filters.DateFilter(method="filter_on", label=_("valid on"))
    parent = UnitRefFilter(field_name="parent", label=_("parent unit"))
    q = django_filters.CharFilter(method="filter_q", label=_("name"))

    class Meta:
        model = AdministrativeUnit
        fields = ["level", "generation", "on", "parent", "q"]

    def filter_on(self, qs, name, value):
        return qs.valid_on(value)

    def filter_q(self, qs, name, value):
        return qs.search(value)
