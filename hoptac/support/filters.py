"""One filter set for support records: the list page, its exports, its summaries and the API."""

import django_filters
from django.utils.translation import gettext_lazy as _

from hoptac.core.validation import IdFilter, YearFilter
from hoptac.geo.filters import UnitRefFilter
from hoptac.registry.models import Organisation
from hoptac.support.models import FundingSource, Policy, SupportRecord


class SupportFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        field_name="organisation__name", lookup_expr="icontains", label=_("Beneficiary")
    )
    unit = UnitRefFilter(method="filter_unit", label=_("Area"))
    year = YearFilter(field_name="date__year", label=_("Year"))
    policy = django_filters.ModelChoiceFilter(queryset=Policy.objects.all(), label=_("Policy"))
    source = django_filters.ChoiceFilter(choices=FundingSource.choices, label=_("Funding source"))
    organisation = IdFilter(field_name="organisation_id", label=_("Beneficiary"))

    class Meta:
        model = SupportRecord
        fields = ["q", "unit", "year", "policy", "source", "organisation"]

    def filter_unit(self, qs, name, unit):
        return qs.filter(organisation__in=Organisation.objects.in_unit(unit))
