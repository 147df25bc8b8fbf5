from django.utils.translation import gettext_lazy as _

from hoptac.core import appconfig


class ImportsConfig(appconfig.DomainConfig):
    name = "hoptac.imports"
    label = "imports"
    verbose_name = _("Spreadsheet import")
