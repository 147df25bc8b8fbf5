from django.utils.translation import gettext_lazy as _

from hoptac.core import appconfig


class IndicatorsConfig(appconfig.DomainConfig):
    name = "hoptac.indicators"
    label = "indicators"
    verbose_name = _("Indicators")
