"""`hoptac load-plans`: load the four seed plans, their parents, targets and tasks. Idempotent."""

import time

from django.core.management.base import BaseCommand, CommandError

from hoptac.geo.models import AdministrativeUnit
from hoptac.plans.loader import load_plans


class Command(BaseCommand):
    help = "Load the seed plans (Nghị quyết 20-NQ/TW and the local plans implementing it) with their targets and tasks."

    def handle(self, *args, **options):
        if not AdministrativeUnit.objects.exists():
            raise CommandError("No administrative units: run `hoptac load-units` first.")
        started = time.perf_counter()
        result = load_plans()
        parts = "".join(f", {n} {path.split('.')[1]}" for path, n in result.parts.items())
        self.stdout.write(
            self.style.SUCCESS(
                f"{result.plans} plans ({result.created} new), {result.targets} targets{parts} in {time.perf_counter() - started:.1f} s"
            )
        )
