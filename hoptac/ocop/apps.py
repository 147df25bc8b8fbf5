from django.utils.translation import gettext_lazy as _

from hoptac.core import appconfig


class OcopConfig(appconfig.DomainConfig):
    name = "hoptac.ocop"
    label = "ocop"
    verbose_name = _("OCOP products")
    organisation_section = "ocop/_organisation_section.html"
    demo_builder = "hoptac.ocop.demo.build"
