"""One filter set for lots: the officers' list page, its export and the API (`/api/v1/trace/lots/`)."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hoptac.registry.models import Organisation
from hoptac.trace.models import Lot, normalise_code


class LotFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Search"))
    product = django_filters.NumberFilter(field_name="product_id", label=_("Product"))

    class Meta:
        model = Lot
        fields = ["q", "product"]

    def filter_q(self, qs, name, value):
        """A lot's code (as printed, any case or hyphens), its number, product or cooperative."""
        query = value.strip()
        return qs.filter(
            Q(code=normalise_code(query)) | Q(number__icontains=query) | Q(product__name__icontains=query)
            | Q(product__organisation__in=Organisation.objects.search(query))
        )  # fmt: skip
