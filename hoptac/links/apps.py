from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LinksConfig(AppConfig):
    name = "hoptac.links"
    label = "links"
    verbose_name = _("Value-chain links")
