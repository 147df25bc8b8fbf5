"""Stored public lot pages (`PublicPage`): rendered when the data changes, served as stored.

A write that changes what a lot's page shows calls `stale(codes)` inside its transaction: the
stored pages go with the transaction, and once it commits they are rendered again (both
languages; at most RENDER_ON_COMMIT lots, the rest on their first read). The view serves the
stored page, rendering and storing it when there is none, so a page is never older than the
last change that reached it.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import IntegrityError, connection, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from hoptac.trace.models import Lot, PublicPage
from hoptac.trace.services import LANGUAGES

RENDER_ON_COMMIT = 200


def _lots():
    return Lot.objects.select_related("product__organisation__commune__parent", "product__ocop", "place")


def depends_on_date(lot: Lot) -> bool:
    """Whether the page shows what changes with the day: an expiry date, certifications valid
    today, the OCOP product's validity."""
    product = lot.product
    return bool(lot.expires_on or product.ocop_id or product.certifications.exists())


def render(lot: Lot, language: str) -> str:
    from hoptac.trace.public import page_context  # the view module renders the same context

    with translation.override(language):
        return render_to_string("trace/public_lot.html", {**page_context(lot), "language": language})


def store(lot: Lot) -> list[PublicPage]:
    """Render and keep the lot's page in every language (replacing what was stored)."""
    today, dated = timezone.localdate(), depends_on_date(lot)
    pages = []
    for language in LANGUAGES:
        body = render(lot, language)
        try:
            with transaction.atomic():
                page, _created = PublicPage.objects.update_or_create(
                    code=lot.code, language=language,
                    defaults={"lot": lot, "body": body, "rendered_on": today, "depends_on_date": dated},
                )  # fmt: skip
        except IntegrityError:  # another worker stored it meanwhile: theirs is as fresh
            continue
        pages.append(page)
    return pages


def stored(code: str, language: str) -> str | None:
    """The stored body: one read by the unique (code, language) index. Written in SQL because
    building and compiling the same query through the ORM cost the public page more than the
    read and the rest of the request together (profiled in #20: 2.8 → 1.1 ms of CPU a request)."""
    with connection.cursor() as cursor:
        cursor.execute(_STORED_SQL or _stored_sql(), [code, language])
        row = cursor.fetchone()
    return row[0] if row else None


_STORED_SQL = ""


def _stored_sql() -> str:
    global _STORED_SQL
    quote, meta = connection.ops.quote_name, PublicPage._meta
    _STORED_SQL = (
        f"SELECT {quote(meta.get_field('body').column)} FROM {quote(meta.db_table)} "
        f"WHERE {quote(meta.get_field('code').column)} = %s AND {quote(meta.get_field('language').column)} = %s"
    )
    return _STORED_SQL


def render_now(codes: Iterable[str]) -> int:
    done = 0
    for lot in _lots().filter(code__in=list(codes)):
        store(lot)
        done += 1
    return done


def stale(codes: Iterable[str]) -> None:
    """The pages of these lots no longer show the data: drop them now, render them after commit."""
    codes = list(dict.fromkeys(codes))
    if not codes:
        return
    for i in range(0, len(codes), 1000):
        PublicPage.objects.filter(code__in=codes[i : i + 1000]).delete()
    transaction.on_commit(lambda: render_now(codes[:RENDER_ON_COMMIT]))


def stale_for_products(product_ids: Iterable[int]) -> None:
    stale(Lot.objects.filter(product_id__in=list(product_ids)).values_list("code", flat=True))


def on_write(changes) -> None:
    """core.changes listener: an organisation's name, address or place, and OCOP products, show
    on the pages of its lots (events, certifications, products and lots call stale() themselves)."""
    from hoptac.trace.models import Product

    organisations, ocop = set(), set()
    for instance, before, _after in changes:
        label = instance._meta.label
        if label == "registry.Organisation" and before is not None:
            organisations.add(instance.pk)
        elif label == "ocop.OcopProduct":
            ocop.add(instance.pk)
    if organisations or ocop:
        products = Product.objects.filter(organisation_id__in=organisations) | Product.objects.filter(
            ocop_id__in=ocop
        )
        stale_for_products(products.values_list("pk", flat=True))
