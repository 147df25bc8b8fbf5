"""One filter set for tasks: the task list page and the API (`/api/v1/tasks/`).

A task's status is computed for a day from its schedule and updates (`Task.status_on`), not
stored, so the status filter is applied to the rows after this filter set, in both places.
"""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hoptac.tasks.models import Task


class TaskFilterSet(django_filters.FilterSet):
    plan = django_filters.NumberFilter(field_name="plan_id", label=_("Plan"))
    agency = django_filters.NumberFilter(method="filter_agency", label=_("Lead agency"))

    class Meta:
        model = Task
        fields = ["plan", "agency"]

    def filter_agency(self, qs, name, value):
        # The lead, or an agency carrying the task today (a successor of a body that ceased).
        return qs.filter(
            Q(lead__id=value) | Q(carriers__agency_id=value, carriers__until__isnull=True)
        ).distinct()
