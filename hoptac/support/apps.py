from django.utils.translation import gettext_lazy as _

from hoptac.core import appconfig


class SupportConfig(appconfig.DomainConfig):
    name = "hoptac.support"
    label = "support"
    verbose_name = _("Support policies")
    organisation_section = "support/_organisation_section.html"
    demo_builder = "hoptac.support.demo.build"
