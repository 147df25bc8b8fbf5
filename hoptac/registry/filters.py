"""One filter set for organisations: the list page, its export and the API all use it."""

import django_filters
from django.utils.translation import gettext_lazy as _

from hoptac.geo.filters import UnitRefFilter
from hoptac.registry.choices import Kind, Sector, Status
from hoptac.registry.models import Organisation


class OrganisationFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Search"))
    kind = django_filters.ChoiceFilter(choices=Kind.choices, label=_("Kind"))
    sector = django_filters.ChoiceFilter(choices=Sector.choices, label=_("Sector"))
    status = django_filters.ChoiceFilter(choices=Status.choices, label=_("Status"))
    unit = UnitRefFilter(method="filter_unit", label=_("Area"))
    tax_code = django_filters.CharFilter(field_name="tax_code", label=_("Tax code"))

    class Meta:
        model = Organisation
        fields = ["q", "kind", "sector", "status", "unit", "tax_code"]

    def filter_q(self, qs, name, value):
        return qs.best_first(value)

    def filter_unit(self, qs, name, unit):
        return qs.in_unit(unit)
