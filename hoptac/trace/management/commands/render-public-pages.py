"""`hoptac render-public-pages [--dated | --all]`: store the public lot pages.

Without options: every lot that has no stored page yet (backfill, with a progress bar).
`--dated` (daily, e.g. from cron after midnight): the pages that show what is valid today
(expiry, certifications, OCOP) and were rendered before today. `--all`: every lot again."""

import sys
import time

from django.core.management.base import BaseCommand
from django.db.models import Exists, OuterRef
from django.utils import timezone

from hoptac.trace import pages
from hoptac.trace.models import PublicPage


class Command(BaseCommand):
    help = "Render and store the public lot pages (/t/<code>/) in both languages."

    def add_arguments(self, parser):
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--dated", action="store_true", help="re-render date-dependent pages (daily)")
        group.add_argument("--all", action="store_true", help="re-render every lot")

    def handle(self, *args, dated=False, all=False, **options):
        lots = pages._lots().order_by("pk")
        if dated:
            old = PublicPage.objects.filter(depends_on_date=True, rendered_on__lt=timezone.localdate())
            lots = lots.filter(pk__in=old.values("lot_id"))
        elif not all:
            lots = lots.exclude(Exists(PublicPage.objects.filter(lot=OuterRef("pk"))))
        total = lots.count()
        started, done = time.perf_counter(), 0
        for lot in lots.iterator(chunk_size=500):
            pages.store(lot)
            done += 1
            if done % 50 == 0 or done == total:
                self._progress(done, total, started)
        if total:
            self.stdout.write("")
        self.stdout.write(
            f"{done} lots rendered ({len(pages.LANGUAGES)} languages) in {time.perf_counter() - started:.1f} s"
        )

    def _progress(self, done: int, total: int, started: float) -> None:
        width = 30
        filled = int(width * done / total) if total else width
        rate = done / max(time.perf_counter() - started, 1e-9)
        line = f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} lots, {rate:.0f}/s"
        self.stdout.write(line, ending="")
        if hasattr(self.stdout, "flush"):
            self.stdout.flush()
        elif sys.stdout.isatty():
            sys.stdout.flush()
