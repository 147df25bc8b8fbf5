"""The registry list as a sortable, paged table (rendered whole or as an htmx partial)."""

import django_tables2 as tables
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.utils.translation import gettext_lazy as _

from hoptac.core.collation import order_by_names
from hoptac.registry.choices import Kind, Sector, Status
from hoptac.registry.models import Organisation

EMPTY = "—"  # what django-tables2 shows for an empty value (Column.default)


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
        # The header (sort links) and the pagination are django-tables2's; the body is `cells`.
        template_name = "registry/_organisation_table.html"

    order_name = order_by_names("name", keys={"name": "name_key"})
    order_commune = order_by_names("commune__name")
    order_province = order_by_names("commune__province__name")

    def render_commune(self, value):
        return value.name

    def paginate(self, *args, **kwargs):
        """The page's organisations in two cheap reads instead of one that does not stay cheap
        nationally (issue 20): the page's ids from the list's order alone (on the name's index,
        OFFSET included, no join, nothing sorted: with the joins PostgreSQL sorted all 116,300
        organisations by ICU collation to serve page 200), then those rows with their commune
        and province by id. `page.object_list` is then the organisations, not table rows.
        A page number past the end shows the last page, one not a number the first (as
        RequestConfig does, which would otherwise set a page of unread rows)."""
        try:
            super().paginate(*args, **kwargs)
        except PageNotAnInteger:
            self.page = self.paginator.page(1)
        except EmptyPage:
            self.page = self.paginator.page(self.paginator.num_pages)
        start = self.page.start_index() - 1 if self.paginator.count else 0
        ordered = self.data.data  # the filtered queryset in the order asked (django-tables2 sorted it)
        ids = list(ordered.values_list("pk", flat=True)[start : start + self.paginator.per_page])
        found = Organisation.objects.select_related("commune__province").order_by().in_bulk(ids)
        self.page.object_list = [found[pk] for pk in ids if pk in found]
        return self

    def cells(self) -> list[tuple]:
        """The page's rows as plain values, one per column in the order of `Meta.fields`.

        django-tables2 renders each cell through an accessor, a signature inspection and a
        choices lookup: about 2 ms a row, half of the national list page's time. Here the labels
        are looked up once per page. A column added above needs its value here (test_views
        checks one cell per column).
        """
        labels = {
            field: {value: str(label) for value, label in choices.choices}
            for field, choices in (("kind", Kind), ("sector", Sector), ("status", Status))
        }
        rows = []
        for o in self.page.object_list if getattr(self, "page", None) else []:
            commune = o.commune
            province = commune.province if commune.province_id else None
            rows.append((
                o.get_absolute_url(), o.name, labels["kind"].get(o.kind, o.kind), o.tax_code or EMPTY,
                commune.name, province.name if province else EMPTY,
                labels["sector"].get(o.sector, o.sector), labels["status"].get(o.status, o.status),
            ))  # fmt: skip
        return rows
