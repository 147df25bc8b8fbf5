"""One filter set for plans: the plan list page and the API (`/api/v1/plans/`)."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hoptac.geo.filters import UnitRefFilter
from hoptac.plans.models import Plan, related_provinces


class PlanFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Search"))
    unit = UnitRefFilter(method="filter_unit", label=_("Area"))

    class Meta:
        model = Plan
        fields = ["q", "unit", "kind"]

    def filter_q(self, qs, name, value):
        """Every word in the title, the number or the issuer."""
        for word in value.split():
            qs = qs.filter(Q(title__icontains=word) | Q(number__icontains=word) | Q(issuer__icontains=word))
        return qs

    def filter_unit(self, qs, name, unit):
        """Plans of the unit and of its province (today's or former)."""
        provinces = related_provinces(unit)
        return qs.filter(
            Q(scope_unit=unit) | Q(scope_unit__in=provinces) | Q(scope_unit__province__in=provinces)
        )
