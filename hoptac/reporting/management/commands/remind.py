"""`hoptac remind`: make this year's reports due and send reminders (run daily from cron or a systemd timer)."""

import datetime

from django.core.management.base import BaseCommand
from django.db import connection
from django.utils import timezone

from hoptac.reporting import services
from hoptac.reporting.models import Obligation


class Command(BaseCommand):
    help = "Generate the year's expected reports, then remind reporters a week before the due day and once when it has passed."

    def add_arguments(self, parser):
        parser.add_argument(
            "--today", type=datetime.date.fromisoformat, help="Pretend today is this ISO date (for testing)."
        )

    def handle(self, *args, **options):
        today = options["today"] or timezone.localdate()
        created = sum(services.generate_dues(o, today.year) for o in Obligation.objects.all())
        sent = services.remind(today)
        updates = services.remind_information_updates(today)  # TT 09/2024: the annual update, due 15/12
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:  # the daily run keeps SQLite's planner statistics fresh
                cursor.execute("PRAGMA optimize")
        self.stdout.write(
            f"{created} reports made due; reminders sent: {sent['before']} before the due day, {sent['overdue']} overdue; "
            f"annual information updates: {updates['before']} before 15/12, {updates['overdue']} overdue."
        )
