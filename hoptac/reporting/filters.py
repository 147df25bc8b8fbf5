"""One filter set for reporting dues: the reporting dashboard and the API (`/api/v1/reporting/submissions/`)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from hoptac.reporting.models import ReportDue


class ReportDueFilterSet(django_filters.FilterSet):
    year = django_filters.NumberFilter(field_name="due_date__year", label=_("Year"))
    period = django_filters.CharFilter(field_name="period_key", label=_("Period"))

    class Meta:
        model = ReportDue
        fields = ["year", "period"]
