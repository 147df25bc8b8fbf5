"""`hoptac worker`: run background jobs (django-tasks' `db_worker`) and the workers' duties.

Besides taking jobs from the queue, every worker checks every JOB_CHECK_SECONDS (and once at
start) for jobs whose worker died (run again once), result files past their time (deleted) and
the daily jobs (started once a day, whichever worker comes first). Run one or more per machine;
see README ("Workers").
"""

import os
import threading

from django.conf import settings
from django.db import close_old_connections
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from hoptac.core import jobs


def _duties(stop: threading.Event) -> None:
    while not stop.wait(settings.JOB_CHECK_SECONDS):
        try:
            jobs.periodic()
        except Exception:  # a passing database error must not end the checks
            jobs.logger.exception("the workers' periodic duties failed")
        finally:
            close_old_connections()


class Command(DbWorkerCommand):
    help = "Run background jobs (and requeue interrupted ones, prune expired results, start daily jobs)."

    def handle(self, *args, **options):
        reloading_parent = options.get("reload") and os.environ.get(DJANGO_AUTORELOAD_ENV) != "true"
        if not reloading_parent:
            jobs.periodic()
            close_old_connections()
            threading.Thread(target=_duties, args=(threading.Event(),), daemon=True).start()
        super().handle(*args, **options)
