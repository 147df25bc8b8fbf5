"""`hoptac import PATH --kind organisations|figures|tht [--within UNIT] [--year Y] [--sheet NAME]
[--dry-run] [--valid-only] [--report PATH]`.

Everything it prints is for the officer, in Vietnamese: the header rows found, the rows skipped
and why, how each column was read, then every row's outcome naming its row and column.
"""

import csv
import os
import sys
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

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
        parser.add_argument(
            "--sheet", help="The sheet to read (default: the one whose header names most columns)."
        )
        parser.add_argument("--dry-run", action="store_true", help="Show every row's outcome; write nothing.")
        parser.add_argument(
            "--valid-only", action="store_true", help="Import the valid rows even if others have errors."
        )
        parser.add_argument(
            "--user", help="Import as this user (their scope applies); default: the operator, unrestricted."
        )
        parser.add_argument(
            "--report",
            help="Where to write the error report (.csv); default: beside the file when that folder is writable.",
        )

    @staticmethod
    def bar(done: int, total: int) -> None:
        filled = 30 * done // max(total, 1)
        sys.stderr.write(f"\r{_('checking rows')} [{'#' * filled}{'.' * (30 - filled)}] {done}/{total}")
        sys.stderr.flush()

    def handle(self, *args, **options):
        path = Path(options["path"])
        if not path.exists():
            raise CommandError(_("%(path)s: no such file.") % {"path": path})
        user = None
        if options["user"]:
            user = User.objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(_("No user named %(name)s.") % {"name": options["user"]})
        try:
            context = resolve_ref(options["within"]) if options["within"] else None
            sheet = read(path.read_bytes(), path.name, sheet=options["sheet"])
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
        self.describe(plan)
        if plan.has_errors:
            report = self.report_path(path, options["report"])
            if report is not None:
                with report.open("w", encoding="utf-8-sig", newline="") as fh:
                    writer = csv.writer(fh)
                    writer.writerow([_("row"), _("error")])
                    for row in plan.rows:
                        for message in row.errors:
                            writer.writerow([row.number, message])
                self.stdout.write(_("error report: %(path)s") % {"path": report})
            else:
                self.stdout.write(
                    _(
                        "The folder of the file is not writable: no error report was written (give --report PATH)."
                    )
                )
        if options["dry_run"]:
            if plan.has_errors:
                raise CommandError(_("dry run: the file has errors."))
            return
        try:
            batch = importer.commit(plan, user=user, valid_only=options["valid_only"])
        except importer.ImportRefused as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                _("batch %(id)s: %(c)s created, %(u)s updated, %(n)s unchanged, %(s)s skipped")
                % {
                    "id": batch.pk,
                    "c": batch.created,
                    "u": batch.updated,
                    "n": batch.unchanged,
                    "s": batch.skipped,
                }
            )
        )
        if plan.has_errors:
            raise CommandError(
                _("%(n)s rows were not imported (see the error report).") % {"n": plan.count("error")}
            )

    def describe(self, plan) -> None:
        write = self.stdout.write
        if plan.sheet_choice:
            write(plan.sheet_choice)
        elif plan.sheet_name:
            write(_("sheet: “%(name)s”") % {"name": plan.sheet_name})
        write(_("header on rows %(rows)s") % {"rows": ", ".join(str(r) for r in plan.header_rows)})
        if plan.repaired:
            write(_("%(n)s cells converted from TCVN3/VNI fonts to Unicode") % {"n": plan.repaired})
        write(_("columns:"))
        for line in plan.mapping_lines():
            write(f"  {line}")
        if plan.skipped:
            write(_("rows skipped:"))
            for line in plan.skipped_lines():
                write(f"  {line}")
        write(
            _("%(new)s new, %(changed)s changed, %(unchanged)s unchanged, %(errors)s with errors")
            % {
                "new": plan.count("new"),
                "changed": plan.count("changed"),
                "unchanged": plan.count("unchanged"),
                "errors": plan.count("error"),
            }
        )
        for row in plan.rows:
            if row.errors:
                write("  " + _("row %(n)s") % {"n": row.number} + ": " + "; ".join(row.errors))

    @staticmethod
    def report_path(path: Path, asked: str | None) -> Path | None:
        """Where the user asked, else beside the file when its folder is writable, else nowhere."""
        if asked:
            return Path(asked)
        folder = path.resolve().parent
        return path.with_suffix(".errors.csv") if os.access(folder, os.W_OK) else None
