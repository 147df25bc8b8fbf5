"""`hoptac verify-chains [--lot CODE]`: recompute every lot's hash chain; exit 1 if any is broken.

Run it from cron (daily) beside `hoptac remind`: a row changed directly in the database is
named here, with its lot and event, even if nobody opens that lot's page; the stored public
page of a broken lot is rendered again, so it warns the consumer (trace.pages).
"""

import time

from django.core.management.base import BaseCommand, CommandError

from hoptac.trace import chain, pages
from hoptac.trace.models import Lot


class Command(BaseCommand):
    help = "Check the hash chains of traceability lots; exit status 1 when a chain is broken."

    def add_arguments(self, parser):
        parser.add_argument("--lot", help="Only this trace code.")

    def handle(self, *args, **options):
        lots = Lot.objects.order_by("id")
        if options["lot"]:
            lots = lots.filter(code=options["lot"].upper().replace("-", ""))
            if not lots.exists():
                raise CommandError(f"No lot has the trace code {options['lot']}.")
        started, checked, events, broken = time.perf_counter(), 0, 0, 0
        for lot in lots.iterator(chunk_size=500):
            verdict = chain.verify(lot)
            checked += 1
            events += verdict.events
            if not verdict.ok:
                broken += 1
                pages.render_now([lot.code])  # the stored page said "intact"
                for problem in verdict.problems:
                    self.stderr.write(f"{lot.code}: {problem}")
        self.stdout.write(
            f"{checked} lots, {events} events checked in {time.perf_counter() - started:.1f} s; {broken} broken."
        )
        if broken:
            raise CommandError(f"{broken} broken chain(s).", returncode=1)
