"""What the indicator library reads from the links register."""

from django.db.models import QuerySet

from hoptac.links.models import Link
from hoptac.registry.models import Organisation


def linked_organisations(year: int) -> QuerySet:
    """Organisations with at least one link in force during `year`."""
    return Organisation.objects.filter(pk__in=Link.objects.active_in(year).values("organisation_id"))
