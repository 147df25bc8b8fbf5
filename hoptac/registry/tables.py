"""The registry list as a sortable, paged table (rendered whole or as an htmx partial)."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from hoptac.core.collation import order_by_names
from hoptac.registry.models import Organisation


class OrganisationTable(tables.Table):
    # The table is htmx-boosted for sorting and paging; opening an organisation is a normal page load.
    name = tables.Column(linkify=True, verbose_name=_("Name"), attrs={"a": {"hx-boost": "false"}})
    kind = tables.Column(verbose_name=_("Kind"))
    tax_code = tables.Column(verbose_name=_("Tax code"))
    commune = tables.Column(verbose_name=_("Commune"), order_by=("commune__name",))
    province = tables.Column(
        accessor="commune__province__name", verbose_name=_("Province"), order_by=("commune__province__code",)
    )
    sector = tables.Column(verbose_name=_("Sector"))
    status = tables.Column(verbose_name=_("Status"))

    class Meta:
        model = Organisation
        fields = ["name", "kind", "tax_code", "commune", "province", "sector", "status"]
        attrs = {"class": "table table-sm table-hover align-middle"}
        empty_text = _("No organisation matches.")

    order_name = order_by_names("name", keys={"name": "name_key"})
    order_commune = order_by_names("commune__name")
    order_province = order_by_names("commune__province__name")

    def render_commune(self, value):
        return value.name
