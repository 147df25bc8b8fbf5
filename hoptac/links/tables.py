"""The links register as a sortable, paged table."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from hoptac.core.collation import order_by_names
from hoptac.links.models import Link


class LinkTable(tables.Table):
    organisation = tables.Column(
        verbose_name=_("Cooperative"), linkify=lambda record: record.organisation.get_absolute_url()
    )
    enterprise_name = tables.Column(verbose_name=_("Enterprise"), linkify=True)
    enterprise_tax_code = tables.Column(verbose_name=_("Enterprise tax code"))
    product = tables.Column(verbose_name=_("Product"))
    start_date = tables.DateColumn(verbose_name=_("Start"), short=True)
    end_date = tables.DateColumn(verbose_name=_("End"), short=True)
    value = tables.Column(verbose_name=_("Value (đồng)"), attrs={"td": {"class": "text-end"}})

    class Meta:
        model = Link
        fields = ["organisation", "enterprise_name", "enterprise_tax_code", "product", "start_date", "end_date", "value"]  # fmt: skip
        attrs = {"class": "table table-sm table-hover align-middle"}
        empty_text = _("No link recorded.")

    order_organisation = order_by_names("organisation__name")
    order_enterprise_name = order_by_names("enterprise_name")

    def render_value(self, value):
        from hoptac.core.templatetags.vn import number

        return number(value)
