from django.utils.translation import gettext_lazy as _

from hoptac.core import appconfig


class PlansConfig(appconfig.DomainConfig):
    name = "hoptac.plans"
    label = "plans"
    verbose_name = _("Plans and targets")
