"""One filter set for OCOP products: the list page, its exports and the API."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hoptac.core.validation import IdFilter, YearFilter
from hoptac.geo.filters import UnitRefFilter
from hoptac.ocop.models import Level, OcopProduct, OcopStatus, ProductGroup
from hoptac.registry.models import Organisation


class OcopFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Search"))
    unit = UnitRefFilter(method="filter_unit", label=_("Area"))
    group = django_filters.ChoiceFilter(choices=ProductGroup.choices, label=_("Product group"))
    stars = django_filters.ChoiceFilter(choices=[(3, "3★"), (4, "4★"), (5, "5★")], label=_("Stars"))
    level = django_filters.ChoiceFilter(choices=Level.choices, label=_("Recognised by"))
    status = django_filters.ChoiceFilter(
        choices=OcopStatus.choices, method="filter_status", label=_("Status")
    )
    year = YearFilter(field_name="decision_date__year", label=_("Year of the decision"))
    organisation = IdFilter(field_name="organisation_id", label=_("Cooperative"))

    class Meta:
        model = OcopProduct
        fields = ["q", "unit", "group", "stars", "level", "status", "year", "organisation"]

    def filter_q(self, qs, name, value):
        for word in value.split():
            qs = qs.filter(
                Q(name__icontains=word)
                | Q(organisation__in=Organisation.objects.search(word))
                | Q(decision_number__icontains=word)
            )
        return qs

    def filter_unit(self, qs, name, unit):
        return qs.filter(organisation__in=Organisation.objects.in_unit(unit))

    def filter_status(self, qs, name, value):
        return qs.with_status(value)
