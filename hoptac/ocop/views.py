"""OCOP pages: list (filtered, exported), detail, record, correct, delete.

Reads go through OcopProduct.objects.restrict() (outside scope 404); writes need a write
role (403) and go through the services.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods
from django_tables2 import RequestConfig

from hoptac.accounts import access
from hoptac.core.audit import Actor, history
from hoptac.core.concurrency import StaleVersion
from hoptac.core.export import csv_response, xlsx_response
from hoptac.core.forms import form_page
from hoptac.ocop import services
from hoptac.ocop.filters import OcopFilterSet
from hoptac.ocop.forms import OcopForm
from hoptac.ocop.models import OcopProduct
from hoptac.ocop.tables import OcopTable
from hoptac.registry.models import Organisation


def _products(request):
    return OcopProduct.objects.restrict(request.user).select_related("organisation__commune")


@login_required
@require_GET
def product_list(request):
    filterset = OcopFilterSet(request.GET, queryset=_products(request))
    table = OcopTable(filterset.qs if filterset.is_valid() else OcopProduct.objects.none())
    RequestConfig(request, paginate={"per_page": 25}).configure(table)
    return render(
        request,
        "ocop/product_list.html",
        {"filterset": filterset, "table": table, "query": request.GET.urlencode()},
    )


@login_required
@require_GET
def product_export(request, fmt):
    filterset = OcopFilterSet(request.GET, queryset=_products(request))
    if not filterset.is_valid():
        return HttpResponse(
            _("Invalid filter: %(errors)s") % {"errors": filterset.errors.as_text()}, status=400
        )
    header = [_("Product"), _("Cooperative"), _("Tax code"), _("Commune"), _("Product group"), _("Score"), _("Stars"),
              _("Recognised by"), _("Decision"), _("Decision date"), _("Valid until"), _("Status")]  # fmt: skip
    rows = (
        [
            p.name,
            p.organisation.name,
            p.organisation.tax_code,
            p.organisation.commune.name,
            p.get_group_display(),
            p.score,
            p.stars,
            p.get_level_display(),
            p.decision_number,
            p.decision_date,
            p.expires_on,
            p.get_status_display(),
        ]  # fmt: skip
        for p in filterset.qs.iterator(chunk_size=2000)
    )
    stamp = timezone.localdate().strftime("%Y%m%d")
    if fmt == "csv":
        return csv_response(f"san-pham-ocop-{stamp}.csv", header, rows)
    return xlsx_response(f"san-pham-ocop-{stamp}.xlsx", _("OCOP products"), header, rows)


@login_required
@require_GET
def product_detail(request, pk):
    product = get_object_or_404(_products(request), pk=pk)
    return render(request, "ocop/product_detail.html", {"product": product, "history": history(product)[:50]})


@login_required
@require_http_methods(["GET", "POST"])
def product_create(request, pk):
    organisation = get_object_or_404(Organisation.objects.restrict(request.user), pk=pk)
    access.require(request.user, "change")
    form = OcopForm(request.POST or None)
    return form_page(
        request,
        form,
        save=lambda data: services.record_product(
            Actor.from_request(request), {"organisation": organisation, **data}
        ),
        message=_("OCOP product recorded."),
        template="ocop/product_form.html",
        context={"organisation": organisation, "product": None},
    )


@login_required
@require_http_methods(["GET", "POST"])
def product_edit(request, pk):
    product = get_object_or_404(_products(request), pk=pk)
    access.require(request.user, "change")
    form = OcopForm(request.POST or None, instance=product)
    return form_page(
        request,
        form,
        save=lambda data: services.update_product(
            Actor.from_request(request), product, data, expected_version=form.expected_version
        ),
        message=_("OCOP product saved."),
        template="ocop/product_form.html",
        context={"organisation": product.organisation, "product": product},
    )


@login_required
@require_http_methods(["GET", "POST"])
def product_delete(request, pk):
    product = get_object_or_404(_products(request), pk=pk)
    access.require(request.user, "change")
    if request.method == "POST":
        organisation = product.organisation
        try:  # the version the confirmation page showed: a record changed meanwhile is not deleted
            services.delete_product(
                Actor.from_request(request), product, expected_version=request.POST.get("version") or None
            )
        except StaleVersion as exc:
            messages.error(request, str(exc))
            return redirect(request.path)
        messages.success(request, _("OCOP product deleted."))
        return redirect(organisation)
    return render(request, "ocop/product_confirm_delete.html", {"product": product})
