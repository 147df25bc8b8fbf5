"""`hoptac rebuild-rollup [--from 2010] [--to NEXT_YEAR]`: the figures rollup from scratch.

Run once after migrating, after a bulk load that bypasses the services (`hoptac synth`), and
at the start of a new year (so next year is held too). The services keep it up to date."""

import time

from django.core.management.base import BaseCommand
from django.utils import timezone

from hoptac.indicators import rollup


class Command(BaseCommand):
    help = "Rebuild the figures rollup (indicators) from the registry and the approved figures."

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="first", type=int, default=rollup.FIRST_YEAR)
        parser.add_argument("--to", dest="last", type=int, default=timezone.localdate().year + 1)

    def handle(self, *args, first, last, **options):
        started = time.perf_counter()
        cells = rollup.rebuild(
            range(first, last + 1), progress=lambda year: self.stdout.write(f"  {year}", ending="\r")
        )
        self.stdout.write(f"rollup: {cells} cells, {first}–{last}, {time.perf_counter() - started:.1f} s")
