"""The registry's export as a background job (core.jobs) when it is large (a national export):
the same filter, columns and file as `views.organisation_export`, with progress."""

from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _

from hoptac.core.export import csv_bytes, xlsx_bytes
from hoptac.core.jobs import JobFailed, Outcome, job_task
from hoptac.registry.filters import OrganisationFilterSet
from hoptac.registry.models import Organisation


def export_header() -> list[str]:
    return [
        _("Name"), _("Kind"), _("Tax code"), _("Registration date"), _("Commune"), _("Province"), _("Former commune"),
        _("Address"), _("Sector"), _("Status"), _("Status since"), _("Director"), _("Phone"),
    ]  # fmt: skip


def export_rows(organisations, progress=None, total=None):
    for i, o in enumerate(organisations.iterator(chunk_size=2000)):
        if progress is not None and i % 1000 == 0:
            progress.step(i, total, _("Writing the rows…"))
        yield [
            o.name, o.get_kind_display(), o.tax_code, o.registration_date, o.commune.name, o.commune.province.name,
            o.former_commune.name if o.former_commune_id else "", o.address, o.get_sector_display(),
            o.get_status_display(), o.status_since, o.director_name, o.phone,
        ]  # fmt: skip


def export_names(fmt: str) -> tuple[str, str]:
    """(file name, title) of an export made today."""
    stamp = timezone.localdate().strftime("%Y%m%d")
    title = _("Collective-economy organisations, exported %(date)s") % {
        "date": timezone.localdate().strftime("%d/%m/%Y")
    }
    return f"to-chuc-ktt-{stamp}.{'csv' if fmt == 'csv' else 'xlsx'}", title


def filtered(user, query: str):
    visible = Organisation.objects.restrict(user).select_related(
        "commune", "commune__province", "former_commune"
    )
    return OrganisationFilterSet(QueryDict(query), queryset=visible)


@job_task
def export_organisations(job, progress, query: str, fmt: str):
    """The organisations a user may see, filtered as on the list page, as .xlsx or .csv."""
    filterset = filtered(job.owner, query)
    if not filterset.is_valid():
        raise JobFailed(_("Invalid filter: %(errors)s") % {"errors": filterset.errors.as_text()})
    total = filterset.qs.count()
    rows = export_rows(filterset.qs, progress, total)
    name, title = export_names(fmt)
    data = csv_bytes(export_header(), rows) if fmt == "csv" else xlsx_bytes(title, export_header(), rows)
    return Outcome(file_name=name, file_bytes=data, message=_("%(n)s organisations exported.") % {"n": total})
