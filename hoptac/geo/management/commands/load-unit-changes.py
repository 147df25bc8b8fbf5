"""`hoptac load-unit-changes FILE…`: apply change sets (one legal act per file) to the units. Idempotent."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from hoptac.geo.changes import ChangeSetError, load_file


class Command(BaseCommand):
    help = "Apply change-set files (geo/data/changes/README.md) to the administrative units. Idempotent."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", type=Path)

    def handle(self, *args, **options):
        for path in options["files"]:
            if not path.is_file():
                raise CommandError(f"{path}: no such file")
            try:
                result = load_file(path)
            except ChangeSetError as exc:
                raise CommandError(f"{path}:\n" + "\n".join(exc.errors)) from exc
            self.stdout.write(
                self.style.SUCCESS(
                    f"{path.name}: {result.act.number} effective {result.act.effective_on:%d/%m/%Y}, "
                    f"{result.changes} changes, {result.versions_created} new versions, "
                    f"{result.links_created} new lineage links"
                )
            )
