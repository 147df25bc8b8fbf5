from django.utils.translation import gettext_lazy as _

from hoptac.core import appconfig


class LinksConfig(appconfig.DomainConfig):
    name = "hoptac.links"
    label = "links"
    verbose_name = _("Value-chain links")
    organisation_section = "links/_organisation_section.html"
    demo_builder = "hoptac.links.demo.build"
    indicators_module = "hoptac.links.indicators"
