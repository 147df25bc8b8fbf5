from django.utils.translation import gettext_lazy as _

from hoptac.core import appconfig


class RegistryConfig(appconfig.DomainConfig):
    name = "hoptac.registry"
    label = "registry"
    verbose_name = _("Registry")
