"""OCOP products as a sortable, paged table."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from hoptac.core.collation import order_by_names
from hoptac.ocop.models import OcopProduct


class OcopTable(tables.Table):
    name = tables.Column(verbose_name=_("Product"), linkify=True)
    organisation = tables.Column(
        verbose_name=_("Cooperative"), linkify=lambda record: record.organisation.get_absolute_url()
    )
    group = tables.Column(verbose_name=_("Product group"))
    stars = tables.Column(verbose_name=_("Stars"))
    score = tables.Column(verbose_name=_("Score"))
    decision_date = tables.DateColumn(verbose_name=_("Decision date"), short=True)
    expires_on = tables.DateColumn(verbose_name=_("Valid until"), short=True)
    status = tables.Column(verbose_name=_("Status"), empty_values=(), orderable=False)

    class Meta:
        model = OcopProduct
        fields = ["name", "organisation", "group", "stars", "score", "decision_date", "expires_on", "status"]
        attrs = {"class": "table table-sm table-hover align-middle"}
        empty_text = _("No OCOP product recorded.")

    order_name = order_by_names("name")
    order_organisation = order_by_names("organisation__name")

    def render_stars(self, value):
        return "★" * value

    def render_status(self, record):
        return record.get_status_display()
