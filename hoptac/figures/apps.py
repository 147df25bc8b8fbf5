from django.utils.translation import gettext_lazy as _

from hoptac.core import appconfig


class FiguresConfig(appconfig.DomainConfig):
    name = "hoptac.figures"
    label = "figures"
    verbose_name = _("Annual figures and classification")
    organisation_section = "figures/_organisation_section.html"
    cooperative_home_section = "figures/_cooperative_home.html"
    demo_builder = "hoptac.figures.demo.build"
    demo_stage = 3
