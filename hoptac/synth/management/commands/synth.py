"""`hoptac synth --scale national|province [--province CODE] --seed N`: benchmark data (bulk, not audited)."""

import time

from django.core.management.base import BaseCommand, CommandError

from hoptac.geo.models import AdministrativeUnit
from hoptac.synth.generate import synthesise


class Command(BaseCommand):
    help = "Fill an empty registry with synthetic national- or province-scale data for benchmarks."

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=["national", "province"], default="province")
        parser.add_argument("--province", default="44", help="Today's province code for --scale province.")
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, **options):
        if not AdministrativeUnit.objects.exists():
            raise CommandError("No administrative units: run `hoptac load-units` first.")
        started = time.perf_counter()
        try:
            r = synthesise(options["scale"], options["province"], options["seed"])
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"{r.organisations} organisations, {r.figures} sets of figures, {r.assessments} assessments, "
                f"{r.status_changes} status changes, {r.plans} plans in {time.perf_counter() - started:.0f} s"
            )
        )
