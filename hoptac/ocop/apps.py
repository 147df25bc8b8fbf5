from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OcopConfig(AppConfig):
    name = "hoptac.ocop"
    label = "ocop"
    verbose_name = _("OCOP products")
