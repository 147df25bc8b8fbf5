"""`hoptac load-units`: load both generations of administrative units and their lineage."""

import time

from django.core.management.base import BaseCommand

from hoptac.geo.loader import load_units


class Command(BaseCommand):
    help = "Load Vietnam's administrative units (before and after 1/7/2025) and the lineage between them, then every change set of geo/data/changes/. Idempotent."

    def handle(self, *args, **options):
        started = time.perf_counter()
        result = load_units()
        self.stdout.write(
            self.style.SUCCESS(
                f"{result.units} units ({result.created} new), {result.lineage} lineage links "
                f"({result.lineage_created} new, {result.lineage_deleted} removed), {result.acts} change sets in {time.perf_counter() - started:.1f} s"
            )
        )
