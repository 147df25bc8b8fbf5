from django.utils.translation import gettext_lazy as _

from hoptac.core import appconfig


class DissolutionConfig(appconfig.DomainConfig):
    name = "hoptac.dissolution"
    label = "dissolution"
    verbose_name = _("Dissolution")
    organisation_section = "dissolution/_organisation_section.html"
    demo_builder = "hoptac.dissolution.demo.build"
    demo_stage = 1
