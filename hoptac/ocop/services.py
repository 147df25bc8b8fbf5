"""Recording OCOP products (scoped to the cooperative, audited)."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from hoptac.core.audit import Actor, record, snapshot
from hoptac.core.models import Action
from hoptac.core.services import apply_fields, require_writer
from hoptac.ocop.models import OcopProduct
from hoptac.registry.models import Organisation

FIELDS = {"organisation", "name", "group", "score", "stars", "level", "decision_number", "decision_date"}


@transaction.atomic
def record_product(actor: Actor, data: dict) -> OcopProduct:
    require_writer(actor)
    product = OcopProduct()
    apply_fields(product, data, FIELDS)
    if (
        actor.user is not None
        and not Organisation.objects.editable_by(actor.user).filter(pk=product.organisation_id).exists()
    ):
        raise PermissionDenied(_("This cooperative is outside the area your account manages."))
    product.full_clean(exclude=["expires_on"])
    product.save()
    record(actor, Action.CREATE, product, after=snapshot(product))
    return product
