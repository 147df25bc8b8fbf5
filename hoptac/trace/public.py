"""The page a consumer reaches by scanning a lot's QR code: no login, phone-first, cached, rate-limited.

It shows the minimum record of TT 02/2024/TT-BKHCN (product name and image, producer name and
address, production time, code, expiry), the events, valid certifications and whether the
chain verifies — and nothing personal: members appear as "a member household".
The rendered page is stored per lot and language (`trace.pages`, table `PublicPage`), rendered
again when an event, certification, product, lot or the producing organisation changes, and
daily for pages that show what is valid today (`hoptac render-public-pages --dated`).
"""

from __future__ import annotations

import hashlib
from urllib.parse import urlencode

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from hoptac.core import http
from hoptac.trace import chain, identifiers, labels, pages, ratelimit
from hoptac.trace.models import Event, EventInput, Lot, normalise_code
from hoptac.trace.services import LANGUAGES

# Phones and proxies may keep the page a minute; after that a re-scan asks again (a 304 when unchanged).
PAGE_CACHE = "public, max-age=60"


def over_limit(request, scope: str) -> bool:
    """Fixed one-minute window per client address, shared by every worker (within a bound) when
    Redis is set: see trace.ratelimit."""
    return ratelimit.over_limit(request, scope, settings.TRACE_RATE_PER_MINUTE)


def _too_many() -> HttpResponse:
    response = HttpResponse(_("Too many requests. Please try again in a minute."), status=429)
    response["Retry-After"] = "60"
    return response


def _language(request) -> str:
    chosen = request.GET.get("lang")
    if chosen in LANGUAGES:
        return chosen
    return request.LANGUAGE_CODE if getattr(request, "LANGUAGE_CODE", None) in LANGUAGES else "vi"


def producer_address(organisation) -> str:
    """The registered address, completed with the commune and province when it omits them."""
    parts = [organisation.address.strip()] if organisation.address.strip() else []
    for unit in (organisation.commune, organisation.commune.parent):
        if unit is not None and unit.name not in organisation.address:
            parts.append(unit.name)
    return ", ".join(parts)


def page_context(lot: Lot) -> dict:
    events = list(
        Event.objects.filter(lot=lot)
        .select_related("place__parent", "corrects", "captured")
        .prefetch_related("inputs__lot__product")
        .order_by("seq")
    )
    corrected = {e.corrects_id for e in events if e.corrects_id}
    back = [i for e in events if e.pk not in corrected for i in e.inputs.all()]
    forward = (
        EventInput.objects.filter(lot=lot)
        .select_related("event__lot__product__organisation")
        .order_by("event__event_time")
    )
    today = timezone.localdate()
    product = lot.product
    return {
        "lot": lot,
        "product": product,
        "producer": product.organisation,
        "address": producer_address(product.organisation),
        "events": events,
        "corrected": corrected,
        "back": back,
        "forward": list(forward),
        "shipped": [
            e
            for e in events
            if e.pk not in corrected
            and (e.step == "shipping" or (e.captured_id and e.captured.biz_step.endswith("BizStep-shipping")))
        ],
        "certifications": [c for c in product.certifications.all() if c.valid_on(today)],
        "ocop": product.ocop if product.ocop_id and product.ocop.is_valid else None,
        "verdict": chain.verify(lot, events=events, fresh=True),
    }


@require_GET
def lot_page(request, code):
    """The stored page (trace.pages), rendered and stored here when there is none yet.

    A label scanned again answers 304 when the phone still has this page (If-None-Match: the
    ETag is the body's hash, so it changes whenever the page is rendered differently)."""
    if over_limit(request, "trace"):
        return _too_many()
    code = normalise_code(code)
    language = _language(request)
    body = pages.stored(code, language)
    if body is None:
        try:
            lot = Lot.objects.select_related(
                "product__organisation__commune__parent", "product__ocop", "place"
            ).get(code=code)
        except Lot.DoesNotExist:
            raise http.NotFound(
                _("No lot has this trace code. Check the code printed on the label.")
            ) from None
        stored = {page.language: page.body for page in pages.store(lot)}
        body = stored.get(language) or pages.render(lot, language)
    content = body.encode()
    etag = f'"{hashlib.blake2b(content, digest_size=16).hexdigest()}"'
    response = HttpResponse(content)
    response["Content-Language"] = language
    response["Cache-Control"] = PAGE_CACHE
    response["ETag"] = etag
    if request.META.get("HTTP_IF_NONE_MATCH"):
        not_modified = get_conditional_response(request, etag=etag, response=response)
        if not_modified is not response:  # a 304 with the same caching headers, without the body
            not_modified["Content-Language"] = language
            return not_modified
    return response


@require_GET
def lot_qr(request, code):
    """The QR code alone (SVG), for a web page or a packaging designer."""
    if over_limit(request, "trace"):
        return _too_many()
    lot = Lot.objects.filter(code=normalise_code(code)).first()
    if lot is None:
        raise Http404
    base = request.build_absolute_uri("/").rstrip("/")
    url = identifiers.digital_link(lot, base) or request.build_absolute_uri(lot.get_public_url())
    response = HttpResponse(labels.qr_svg(url), content_type="image/svg+xml")
    response["Cache-Control"] = "public, max-age=86400"
    return response


@require_GET
def product_image(request, name: str):
    """Product photos are the only public uploads: re-encoded images, served with nosniff.

    Everything else under media/ (task evidence, received reports) goes through views that check
    access; see core.uploads. In production nginx may serve /media/trace/products/ itself.
    """
    from django.core.files.storage import default_storage

    from hoptac.core import uploads

    path = f"trace/products/{name}"
    if (
        "/" in name
        or name.rsplit(".", 1)[-1] not in uploads.IMAGE_FORMATS.values()
        or not default_storage.exists(path)
    ):
        raise Http404
    return uploads.serve(path, name.rsplit(".", 1)[0], inline=True)


def digital_link(request, gtin, lot, rest=""):
    """`/01/<GTIN>/10/<lot>[/…]`: the GS1 Digital Link printed in the QR of a product with a GTIN
    resolves to the lot's public page (by trace code, or by the cooperative's lot number)."""
    if not gtin.isdigit() or len(gtin) not in (8, 12, 13, 14):
        raise Http404
    gtin = identifiers.gtin14(gtin)
    forms = {gtin, gtin[1:], gtin[2:], gtin[6:]}
    lots = Lot.objects.filter(product__gtin__in=forms).select_related("product")
    found = lots.filter(code=normalise_code(lot)).first() or lots.filter(number=lot).first()
    if found is None or identifiers.gtin14(found.product.gtin) != gtin:
        raise http.NotFound(_("No lot has this trace code. Check the code printed on the label."))
    target = found.get_public_url()
    if request.GET.get("lang"):
        target += "?" + urlencode({"lang": request.GET["lang"]})
    return redirect(target)
