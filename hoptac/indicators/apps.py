from django.utils.translation import gettext_lazy as _

from hoptac.core import appconfig


class IndicatorsConfig(appconfig.DomainConfig):
    name = "hoptac.indicators"
    label = "indicators"
    verbose_name = _("Indicators")

    def ready(self):
        from hoptac.core import changes
        from hoptac.indicators import areas, rollup

        changes.listen(rollup.on_write)  # the rollup, in the write's transaction
        changes.locate_with(areas.locate)  # cached values invalidated by area
