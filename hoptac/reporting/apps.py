from django.utils.translation import gettext_lazy as _

from hoptac.core import appconfig


class ReportingConfig(appconfig.DomainConfig):
    name = "hoptac.reporting"
    label = "reporting"
    verbose_name = _("Reporting")
    demo_builder = "hoptac.reporting.demo.build"
    demo_stage = 4
    plan_part_loader = "hoptac.reporting.loader.load"
    plan_section = "reporting/_plan_section.html"
    cooperative_home_section = "reporting/_cooperative_home.html"
    # TT 09/2024/TT-BKHĐT: the annual update each cooperative owes, on its own page
    organisation_section = "reporting/_organisation_section.html"
