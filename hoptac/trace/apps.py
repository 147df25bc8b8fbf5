from django.utils.translation import gettext_lazy as _

from hoptac.core import appconfig


class TraceConfig(appconfig.DomainConfig):
    name = "hoptac.trace"
    label = "trace"
    verbose_name = _("Traceability")
    organisation_section = "trace/_organisation_section.html"
    demo_builder = "hoptac.trace.demo.build"
    indicators_module = "hoptac.trace.indicators"

    def ready(self):
        from hoptac.core import changes
        from hoptac.trace import pages

        changes.listen(pages.on_write)  # stored public pages of the lots a write touches
