from django.utils.translation import gettext_lazy as _

from hoptac.core import appconfig


class PlansConfig(appconfig.DomainConfig):
    name = "hoptac.plans"
    label = "plans"
    verbose_name = _("Plans and targets")
    # The province map of the plan's targets (plans/maps.py), on the plan page itself.
    plan_section = "plans/_map_section.html"
