"""One filter set for managers: the register list page, its export and the API (`/api/v1/managers/`)."""

import django_filters
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from hoptac.geo.filters import UnitRefFilter
from hoptac.registry.models import Organisation
from hoptac.training.models import Manager, ManagerRole, Training


class ManagerFilterSet(django_filters.FilterSet):
    unit = UnitRefFilter(method="filter_unit", label=_("Area"))
    role = django_filters.ChoiceFilter(choices=ManagerRole.choices, label=_("Role"))
    trained = django_filters.ChoiceFilter(
        choices=[("yes", _("Yes")), ("no", _("No"))], method="filter_trained", label=_("Trained")
    )
    organisation = django_filters.NumberFilter(field_name="organisation_id", label=_("Cooperative"))

    class Meta:
        model = Manager
        fields = ["unit", "role", "trained", "organisation"]

    def filter_unit(self, qs, name, unit):
        return qs.filter(organisation__in=Organisation.objects.in_unit(unit))

    def filter_trained(self, qs, name, value):
        trained = Exists(Training.objects.filter(manager=OuterRef("pk")))
        return qs.filter(trained if value == "yes" else ~trained)
