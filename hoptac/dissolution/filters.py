"""One filter set for the dissolution backlog: its page and its export narrow organisations alike."""

import django_filters
from django.utils.translation import gettext_lazy as _

from hoptac.geo.filters import UnitRefFilter
from hoptac.registry.models import Organisation


class BacklogFilterSet(django_filters.FilterSet):
    unit = UnitRefFilter(method="filter_unit", label=_("Area"))

    class Meta:
        model = Organisation
        fields = ["unit"]

    def filter_unit(self, qs, name, unit):
        return qs.in_unit(unit)
