"""`hoptac import PATH --kind organisations|figures|tht [--within UNIT] [--year Y] [--dry-run] [--valid-only]`."""

import csv
import sys
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from hoptac.accounts.models import User
from hoptac.geo.fields import resolve_ref
from hoptac.imports import importer
from hoptac.imports.reading import ReadError, read


class Command(BaseCommand):
    help = "Import organisations, cooperative groups or annual figures from .xlsx, .xls, .ods or .csv."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--kind", required=True, choices=["organisations", "figures", "tht"])
        parser.add_argument(
            "--within", help="The unit the file is about (ref: 464, 44, old:60); names are matched there."
        )
        parser.add_argument("--year", type=int, help="Year of the figures when the file has no “Năm” column.")
        parser.add_argument("--dry-run", action="store_true", help="Show every row's outcome; write nothing.")
        parser.add_argument(
            "--valid-only", action="store_true", help="Import the valid rows even if others have errors."
        )
        parser.add_argument(
            "--user", help="Import as this user (their scope applies); default: the operator, unrestricted."
        )
        parser.add_argument(
            "--report", help="Where to write the error report (.csv); default: beside the file."
        )

    @staticmethod
    def bar(done: int, total: int) -> None:
        filled = 30 * done // max(total, 1)
        sys.stderr.write(f"\rchecking rows [{'#' * filled}{'.' * (30 - filled)}] {done}/{total}")
        sys.stderr.flush()

    def handle(self, *args, **options):
        path = Path(options["path"])
        if not path.exists():
            raise CommandError(f"{path}: no such file.")
        user = None
        if options["user"]:
            user = User.objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"No user named {options['user']}.")
        try:
            context = resolve_ref(options["within"]) if options["within"] else None
            sheet = read(path.read_bytes(), path.name)
            plan = importer.prepare(
                options["kind"],
                sheet,
                path.name,
                context=context,
                user=user,
                year=options["year"],
                progress=self.bar,
            )
        except (ReadError, ValidationError) as exc:
            raise CommandError(f"{path.name}: {' '.join(getattr(exc, 'messages', [str(exc)]))}") from exc
        self.bar(len(plan.rows), len(plan.rows))
        sys.stderr.write("\n")
        self.stdout.write(
            f"header on row {plan.header_row}; {plan.count('new')} new, {plan.count('changed')} changed, "
            f"{plan.count('unchanged')} unchanged, {plan.count('error')} with errors"
        )
        for row in plan.rows:
            if row.errors:
                self.stdout.write(f"  row {row.number}: " + "; ".join(row.errors))
        if plan.has_errors:
            report = Path(options["report"] or path.with_suffix(".errors.csv"))
            with report.open("w", encoding="utf-8-sig", newline="") as fh:
                writer = csv.writer(fh)
                writer.writerow(["row", "error"])
                for row in plan.rows:
                    for message in row.errors:
                        writer.writerow([row.number, message])
            self.stdout.write(f"error report: {report}")
        if options["dry_run"]:
            if plan.has_errors:
                raise CommandError("dry run: the file has errors.")
            return
        try:
            batch = importer.commit(plan, user=user, valid_only=options["valid_only"])
        except importer.ImportRefused as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"batch {batch.pk}: {batch.created} created, {batch.updated} updated, {batch.unchanged} unchanged, {batch.skipped} skipped"
            )
        )
        if plan.has_errors:
            raise CommandError(f"{plan.count('error')} rows were not imported (see the error report).")
