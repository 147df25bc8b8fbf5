"""`hoptac classify --year Y [--unit REF]`: recompute every grade of a year in bulk."""

import time

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from hoptac.core.audit import Actor
from hoptac.figures.services import classify_year
from hoptac.geo.fields import resolve_ref
from hoptac.registry.models import Organisation


class Command(BaseCommand):
    help = "Recompute the Thông tư 01/2020 grades of a year from the stored scores and status history."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--unit", help="Limit to a unit (ref: 44, 464, old:45).")

    def handle(self, *args, **options):
        organisations = None
        if options["unit"]:
            try:
                organisations = Organisation.objects.in_unit(resolve_ref(options["unit"]))
            except ValidationError as exc:
                raise CommandError(f"--unit {options['unit']}: {exc.messages[0]}") from exc
        started = time.perf_counter()
        counts = classify_year(Actor.command(), options["year"], organisations)
        changed, locked = counts.pop("changed"), counts.pop("locked")
        summary = ", ".join(f"{grade}: {n}" for grade, n in sorted(counts.items()))
        self.stdout.write(
            self.style.SUCCESS(
                f"{sum(counts.values())} assessments for {options['year']} ({summary}); {changed} changed; "
                f"{locked} left as approved (figures locked); {time.perf_counter() - started:.2f} s"
            )
        )
