"""Traceability pages for officers and cooperatives: products, lots, events, labels, EPCIS.

Reads go through restrict() (outside scope: 404); writes need a write role and go through
the services. The public page a consumer sees is in public.py.
"""

from __future__ import annotations

import json
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from hoptac.accounts.access import can, require
from hoptac.core.audit import Actor, history
from hoptac.core.export import csv_response, xlsx_response
from hoptac.core.forms import add_service_errors, form_page
from hoptac.core.paging import CappedPaginator
from hoptac.core.services import Conflict
from hoptac.registry.models import Organisation
from hoptac.trace import chain, epcis, identifiers, labels, services
from hoptac.trace.filters import LotFilterSet
from hoptac.trace.forms import CertificationForm, EventForm, LotForm, ProductForm
from hoptac.trace.models import Event, Lot, Product, Step


def _require_write(request, organisation_id: int):
    require(request.user, "record_trace", Organisation(pk=organisation_id))


def public_url(request, lot: Lot) -> str:
    """The address printed in the QR code, on HOPTAC_PUBLIC_URL when set, else this site: the lot's
    GS1 Digital Link (`/01/<GTIN-14>/10/<trace code>`, TCVN 13274:2020 / GS1 Digital Link 1.2)
    when its product has a GTIN, its trace page otherwise. Both open the public page."""
    base = (
        settings.PUBLIC_URL.rstrip("/")
        if settings.PUBLIC_URL
        else request.build_absolute_uri("/").rstrip("/")
    )
    return identifiers.digital_link(lot, base) or f"{base}{lot.get_public_url()}"


LOCAL_HOSTS = {"localhost", "127.0.0.1", "0.0.0.0", "::1", "[::1]"}


def label_problem(request) -> str:
    """Why a printed label would not open for a buyer, or "": the QR code must carry the public
    address (HOPTAC_PUBLIC_URL), not this machine's (localhost, 127.0.0.1) nor a guess from the request."""
    base = settings.PUBLIC_URL or request.build_absolute_uri("/")
    host = (urlsplit(base).hostname or "").lower()
    if host in LOCAL_HOSTS or host.startswith("127.") or host.endswith(".localhost"):
        return _(
            "The labels would carry %(url)s, an address of this computer only: a buyer scanning them would "
            "open nothing. The administrator must set HOPTAC_PUBLIC_URL to the public address of the site "
            "(e.g. https://hoptac.quangtri.gov.vn) before labels are printed."
        ) % {"url": base}
    if not settings.PUBLIC_URL:
        return _(
            "HOPTAC_PUBLIC_URL is not set, so the labels would carry the address this page was opened with "
            "(%(url)s). Check that buyers can open it from the internet, or ask the administrator to set "
            "HOPTAC_PUBLIC_URL, before printing."
        ) % {"url": base}
    return ""


def base_url(request) -> str:
    return settings.PUBLIC_URL or request.build_absolute_uri("/")


def _lots(request):
    """The lots the user may see, narrowed by the search box (code, lot number, product, cooperative)."""
    lots = Lot.objects.restrict(request.user).select_related("product__organisation__commune")
    return LotFilterSet(request.GET, queryset=lots).qs, request.GET.get("q", "").strip()


@login_required
@require_GET
def lot_list(request):
    lots, query = _lots(request)
    # The page's ids from the list's order alone (the (produced_on, id) index), then those lots
    # with their product and cooperative: joining first made SQLite walk the joins for deep
    # pages (319 ms for page 200 of 100,000 lots, 2 ms this way). Deep pages: search instead.
    page = CappedPaginator(lots.values_list("pk", flat=True), 25).get_page(request.GET.get("page"))
    ids = list(page.object_list)
    found = Lot.objects.select_related("product__organisation__commune").order_by().in_bulk(ids)
    page.object_list = [found[pk] for pk in ids if pk in found]
    products = Product.objects.restrict(request.user).select_related("organisation")[:200]
    return render(request, "trace/lot_list.html", {"page": page, "query": query, "products": products})


@login_required
@require_GET
def lot_export(request, fmt):
    """The visible lots (as searched) with their latest event, as .xlsx or .csv."""
    lots, _query = _lots(request)
    latest = {}
    events = (
        Event.objects.filter(lot__in=lots.values("pk"))
        .order_by("lot_id", "seq")
        .values_list("lot_id", "step", "event_time")
    )
    for lot_id, step, when in events.iterator(chunk_size=5000):
        latest[lot_id] = (step, when)
    steps = dict(Step.choices)
    header = [_("Trace code"), _("Lot number"), _("Product"), _("Cooperative"), _("Tax code"), _("Commune"),
              _("Production date"), _("Expiry date"), _("Quantity"), _("Unit"), _("Events"), _("Last step"),
              _("Last event")]  # fmt: skip
    rows = (
        [
            lot.display_code,
            lot.number,
            lot.product.name,
            lot.product.organisation.name,
            lot.product.organisation.tax_code,
            lot.product.organisation.commune.name,
            lot.produced_on,
            lot.expires_on,
            lot.quantity,
            lot.get_unit_display(),
            lot.event_count,
            steps.get(latest.get(lot.pk, ("", None))[0], ""),
            timezone.localtime(latest[lot.pk][1]).replace(tzinfo=None) if lot.pk in latest else None,
        ]  # fmt: skip
        for lot in lots.iterator(chunk_size=2000)
    )
    stamp = timezone.localdate().strftime("%Y%m%d")
    if fmt == "csv":
        return csv_response(f"lo-hang-truy-xuat-{stamp}.csv", header, rows)
    return xlsx_response(f"lo-hang-truy-xuat-{stamp}.xlsx", _("Traced lots"), header, rows)


@login_required
@require_http_methods(["GET", "POST"])
def product_create(request, pk):
    organisation = get_object_or_404(Organisation.objects.restrict(request.user), pk=pk)
    _require_write(request, organisation.pk)
    form = ProductForm(request.POST or None, request.FILES or None, organisation=organisation)
    return form_page(
        request,
        form,
        save=lambda data: services.create_product(
            Actor.from_request(request), {"organisation": organisation, **data}
        ),
        message=_("Product recorded."),
        template="trace/form.html",
        context={"organisation": organisation, "title": _("New traced product")},
    )


@login_required
@require_http_methods(["GET", "POST"])
def product_edit(request, pk):
    product = get_object_or_404(Product.objects.restrict(request.user), pk=pk)
    _require_write(request, product.organisation_id)
    form = ProductForm(
        request.POST or None, request.FILES or None, instance=product, organisation=product.organisation
    )
    return form_page(
        request,
        form,
        save=lambda data: services.update_product(
            Actor.from_request(request), product, data, expected_version=form.expected_version
        ),
        message=_("Product saved."),
        template="trace/form.html",
        context={
            "organisation": product.organisation,
            "title": product.name,
            "cancel_url": product.get_absolute_url(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def product_detail(request, pk):
    product = get_object_or_404(
        Product.objects.restrict(request.user).select_related("organisation", "ocop"), pk=pk
    )
    form = CertificationForm(request.POST or None)
    if request.method == "POST":
        _require_write(request, product.organisation_id)
        if form.is_valid():
            try:
                services.add_certification(Actor.from_request(request), product, form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Certification recorded."))
                return redirect(product)
    context = {
        "product": product,
        "lots": product.lots.all()[:100],
        "certifications": product.certifications.all(),
        "form": form,
        "history": history(product)[:30],
        "can_record": can(request.user, "record_trace", product.organisation),
    }
    return render(request, "trace/product_detail.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def lot_create(request, pk):
    product = get_object_or_404(Product.objects.restrict(request.user).select_related("organisation"), pk=pk)
    _require_write(request, product.organisation_id)
    form = LotForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            lot = services.create_lot(Actor.from_request(request), {"product": product, **form.cleaned_data})
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("Lot recorded: its trace code is %(code)s.") % {"code": lot.display_code}
            )
            return redirect(lot)
    context = {"form": form, "organisation": product.organisation, "title": _("New lot of %(name)s") % {"name": product.name},
               "cancel_url": product.get_absolute_url()}  # fmt: skip
    return render(request, "trace/form.html", context, status=400 if form.errors else 200)


def _lot(request, pk) -> Lot:
    return get_object_or_404(
        Lot.objects.restrict(request.user).select_related("product__organisation", "place"), pk=pk
    )


@login_required
@require_GET
def lot_detail(request, pk):
    lot = _lot(request, pk)
    events = list(
        Event.objects.filter(lot=lot)
        .select_related("place", "corrects", "recorded_by", "captured")
        .prefetch_related("inputs__lot")
    )
    context = {
        "lot": lot,
        "events": events,
        "corrected": {e.corrects_id for e in events if e.corrects_id},
        "forward": lot.used_in.select_related("event__lot__product"),
        "verdict": chain.verify(lot),  # never cached here: the officer sees the chain as it is now
        "public_url": public_url(request, lot),
        "qr": labels.qr_svg(public_url(request, lot), 32),
        "sheets": labels.SHEETS,
        "label_problem": label_problem(request),
        "can_record": can(request.user, "record_trace", lot.product.organisation),
    }
    return render(request, "trace/lot_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def event_create(request, pk):
    lot = _lot(request, pk)
    _require_write(request, lot.product.organisation_id)
    corrects = None
    if request.GET.get("corrects") or request.POST.get("corrects"):
        corrects = get_object_or_404(
            Event, lot=lot, pk=request.GET.get("corrects") or request.POST.get("corrects")
        )
    initial = {}
    if corrects is not None:
        initial = {f: getattr(corrects, f) for f in ("step", "event_time", "quantity", "unit", "location_name", "gln",
                                                      "party", "member_ref", "partner_tax_code", "partner_name")}  # fmt: skip
    form = EventForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "inputs"}
        if corrects is not None:
            data["corrects"] = corrects
        try:
            services.record_event(Actor.from_request(request), lot, data, form.cleaned_data["inputs"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        except Conflict as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Event recorded."))
            return redirect(lot)
    context = {"form": form, "lot": lot, "corrects": corrects}
    return render(request, "trace/event_form.html", context, status=400 if form.errors else 200)


@login_required
@require_GET
def lot_labels(request, pk):
    """A printable sheet of QR labels (SVG in mm: print at actual size)."""
    lot = _lot(request, pk)
    sheet = request.GET.get("sheet", labels.DEFAULT_SHEET)
    if sheet not in labels.SHEETS:
        return HttpResponse(_("Unknown label size."), status=400)
    try:
        count = int(request.GET["count"]) if request.GET.get("count") else None
    except ValueError:
        return HttpResponse(_("The number of labels must be a whole number."), status=400)
    problem = label_problem(request)
    if problem and request.GET.get("confirm") != "1":
        # Printed labels cannot be recalled: refused until the person printing says they know.
        confirm = request.GET.copy()
        confirm["confirm"] = "1"
        context = {"lot": lot, "problem": problem, "confirm_url": f"{request.path}?{confirm.urlencode()}"}
        return render(request, "trace/labels_refused.html", context, status=409)
    svg = labels.label_sheet(lot, public_url(request, lot), sheet, count)
    response = HttpResponse(svg, content_type="image/svg+xml")
    response["Content-Disposition"] = f'inline; filename="nhan-{lot.code}-{sheet}.svg"'
    return response


@login_required
@require_GET
def lot_epcis(request, pk):
    lot = _lot(request, pk)
    doc = epcis.document(Event.objects.filter(lot=lot).order_by("seq"), base_url(request))
    response = HttpResponse(json.dumps(doc, ensure_ascii=False, indent=2), content_type="application/ld+json")
    response["Content-Disposition"] = f'attachment; filename="epcis-{lot.code}.jsonld"'
    return response
