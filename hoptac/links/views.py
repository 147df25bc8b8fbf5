"""The links register: list (filtered, exported), detail, record, change, end, delete.

Reads go through Link.objects.restrict(); outside the user's scope is 404, a read-only user
who tries to write gets 403. Writes go through the services.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_tables2 import RequestConfig

from hoptac.accounts import access
from hoptac.core.audit import Actor, history
from hoptac.core.concurrency import StaleVersion
from hoptac.core.export import csv_response, xlsx_response
from hoptac.core.forms import form_page
from hoptac.links import services
from hoptac.links.filters import LinkFilterSet
from hoptac.links.forms import EndForm, LinkForm
from hoptac.links.indicators import linked_share
from hoptac.links.models import Link
from hoptac.links.tables import LinkTable
from hoptac.registry.models import Organisation


def _links(request):
    return Link.objects.restrict(request.user).select_related("organisation__commune__province")


@login_required
@require_GET
def link_list(request):
    filterset = LinkFilterSet(request.GET, queryset=_links(request))
    table = LinkTable(filterset.qs if filterset.is_valid() else Link.objects.none())
    RequestConfig(request, paginate={"per_page": 25}).configure(table)
    share, year = None, filterset.form.cleaned_data.get("year") if filterset.is_valid() else None
    if year:  # the share of the filtered area, else of the user's own; only where all of it is in scope
        unit = filterset.form.cleaned_data.get("unit") or (
            None if request.user.is_national else request.user.scope_unit
        )
        if access.can(request.user, "measure_unit", unit):
            share = linked_share(unit, int(year))
    context = {"filterset": filterset, "table": table, "share": share, "query": request.GET.urlencode()}
    return render(request, "links/link_list.html", context)


@login_required
@require_GET
def link_export(request, fmt):
    filterset = LinkFilterSet(request.GET, queryset=_links(request))
    if not filterset.is_valid():
        return HttpResponse(
            _("Invalid filter: %(errors)s") % {"errors": filterset.errors.as_text()}, status=400
        )
    header = [_("Cooperative"), _("Tax code"), _("Commune"), _("Enterprise"), _("Enterprise tax code"), _("Product"),
              _("Contract number"), _("Contract date"), _("Start"), _("End"), _("Volume"), _("Value (đồng)")]  # fmt: skip
    rows = (
        [
            k.organisation.name,
            k.organisation.tax_code,
            k.organisation.commune.name,
            k.enterprise_name,
            k.enterprise_tax_code,
            k.product,
            k.contract_number,
            k.contract_date,
            k.start_date,
            k.end_date,
            k.volume,
            k.value,
        ]  # fmt: skip
        for k in filterset.qs.iterator(chunk_size=2000)
    )
    stamp = timezone.localdate().strftime("%Y%m%d")
    if fmt == "csv":
        return csv_response(f"lien-ket-chuoi-gia-tri-{stamp}.csv", header, rows)
    return xlsx_response(f"lien-ket-chuoi-gia-tri-{stamp}.xlsx", _("Value-chain links"), header, rows)


@login_required
@require_GET
def link_detail(request, pk):
    link = get_object_or_404(_links(request), pk=pk)
    in_force = link.in_force_on(timezone.localdate())
    context = {"link": link, "history": history(link)[:50], "end_form": EndForm(), "in_force": in_force}
    return render(request, "links/link_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def link_create(request, pk):
    organisation = get_object_or_404(Organisation.objects.restrict(request.user), pk=pk)
    access.require(request.user, "change")
    form = LinkForm(request.POST or None)
    return form_page(
        request,
        form,
        save=lambda data: services.create_link(
            Actor.from_request(request), {"organisation": organisation, **data}
        ),
        message=_("Link recorded."),
        template="links/link_form.html",
        context={"organisation": organisation, "link": None},
    )


@login_required
@require_http_methods(["GET", "POST"])
def link_edit(request, pk):
    link = get_object_or_404(_links(request), pk=pk)
    access.require(request.user, "change")
    form = LinkForm(request.POST or None, instance=link)
    return form_page(
        request,
        form,
        save=lambda data: services.update_link(
            Actor.from_request(request), link, data, expected_version=form.expected_version
        ),
        message=_("Link saved."),
        template="links/link_form.html",
        context={"organisation": link.organisation, "link": link},
    )


@login_required
@require_POST
def link_end(request, pk):
    link = get_object_or_404(_links(request), pk=pk)
    access.require(request.user, "change")
    form = EndForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(form.errors["end_date"])
        services.end_link(Actor.from_request(request), link, form.cleaned_data["end_date"])
        messages.success(request, _("Link ended."))
    except ValidationError as exc:
        messages.error(request, _("End date: %(errors)s") % {"errors": " ".join(exc.messages)})
    return redirect(link.organisation if request.POST.get("next") == "organisation" else link)


@login_required
@require_http_methods(["GET", "POST"])
def link_delete(request, pk):
    link = get_object_or_404(_links(request), pk=pk)
    access.require(request.user, "change")
    if request.method == "POST":
        organisation = link.organisation
        try:  # the version the confirmation page showed: a record changed meanwhile is not deleted
            services.delete_link(
                Actor.from_request(request), link, expected_version=request.POST.get("version") or None
            )
        except StaleVersion as exc:
            messages.error(request, str(exc))
            return redirect(request.path)
        messages.success(request, _("Link deleted."))
        return redirect(organisation)
    return render(request, "links/link_confirm_delete.html", {"link": link})
