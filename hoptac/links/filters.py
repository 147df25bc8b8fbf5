"""One filter set for links: the list page, its exports and the API all use it."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hoptac.core.validation import IdFilter, YearFilter
from hoptac.geo.filters import UnitRefFilter
from hoptac.links.models import Link
from hoptac.registry.models import Organisation


class LinkFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Search"))
    unit = UnitRefFilter(method="filter_unit", label=_("Area"))
    year = YearFilter(method="filter_year", label=_("In force in year"))
    organisation = IdFilter(field_name="organisation_id", label=_("Cooperative"))

    class Meta:
        model = Link
        fields = ["q", "unit", "year", "organisation"]

    def filter_q(self, qs, name, value):
        for word in value.split():
            qs = qs.filter(
                Q(enterprise_name__icontains=word)
                | Q(enterprise_tax_code__contains=word)
                | Q(product__icontains=word)
                | Q(organisation__in=Organisation.objects.search(word))
            )
        return qs

    def filter_unit(self, qs, name, unit):
        return qs.filter(organisation__in=Organisation.objects.in_unit(unit))

    def filter_year(self, qs, name, value):
        return qs.active_in(int(value))
