"""`hoptac epcis-index`: put the events recorded before the EPCIS repository existed into it.

Run once after migrating to 0002 (idempotent: events already indexed are skipped), so that the
query interface (`/api/v1/epcis/events`) answers with every event, old ones included.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from hoptac.trace import capture
from hoptac.trace.models import Event, Step


class Command(BaseCommand):
    help = "Index hoptac's own traceability events in the EPCIS repository (the standard query interface)."

    def handle(self, *args, **options):
        missing = (
            Event.objects.filter(epcis__isnull=True)
            .exclude(step=Step.EPCIS)
            .select_related("lot__product", "place", "organisation", "recorded_by")
            .order_by("id")
        )
        done = 0
        for event in missing.iterator(chunk_size=1000):
            with transaction.atomic():
                capture.index_native(event)
            done += 1
        self.stdout.write(f"{done} events indexed.")
