from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DissolutionConfig(AppConfig):
    name = "hoptac.dissolution"
    label = "dissolution"
    verbose_name = _("Dissolution")
