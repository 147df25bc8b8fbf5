"""Writes to the OCOP register: record, correct, delete a product (scoped to the cooperative, audited).

A re-evaluation after the 36 months is a new record with its own decision, so the history of
stars stays; the earlier one simply expires.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from hoptac.accounts.access import require
from hoptac.core.audit import Actor, record, snapshot
from hoptac.core.concurrency import check_version
from hoptac.core.models import Action
from hoptac.core.services import apply_fields, validate
from hoptac.ocop.models import OcopProduct, level_for, stars_for

FIELDS = {"organisation", "name", "group", "score", "stars", "level", "decision_number", "decision_date"}


def _derive(product: OcopProduct) -> None:
    """Stars and level left blank are filled from the score and the decision date."""
    if product.stars is None and product.score is not None:
        product.stars = stars_for(product.score)
    if not product.level and product.stars in (3, 4, 5) and product.decision_date:
        product.level = level_for(product.stars, product.decision_date)


@transaction.atomic
def record_product(actor: Actor, data: dict) -> OcopProduct:
    require(actor, "change")
    product = OcopProduct()
    apply_fields(product, data, FIELDS)
    if not product.organisation_id:
        raise ValidationError({"organisation": _("Choose the cooperative.")})
    require(actor, "change", product.organisation)
    _derive(product)
    validate(product, exclude=["expires_on"])
    product.save()
    record(actor, Action.CREATE, product, after=snapshot(product))
    return product


@transaction.atomic
def update_product(actor: Actor, product: OcopProduct, data: dict, expected_version=None) -> OcopProduct:
    """Correct an entry; the cooperative stays."""
    require(actor, "change")
    product = OcopProduct.objects.select_for_update().get(pk=product.pk)
    check_version(product, expected_version)
    require(actor, "change", product.organisation)
    before = snapshot(product)
    apply_fields(product, data, FIELDS - {"organisation"})
    _derive(product)
    validate(product, exclude=["expires_on"])
    product.save()
    after = snapshot(product)
    if after != before:
        record(actor, Action.UPDATE, product, before=before, after=after)
    return product


@transaction.atomic
def delete_product(actor: Actor, product: OcopProduct, expected_version=None) -> None:
    require(actor, "change", product.organisation)
    product = OcopProduct.objects.select_for_update().get(pk=product.pk)
    check_version(product, expected_version)
    before = snapshot(product)
    target = OcopProduct(pk=product.pk, name=product.name, stars=product.stars)
    product.delete()
    record(actor, Action.DELETE, target, before=before)
