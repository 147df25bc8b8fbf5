"""The daily reminders as a background job (core.jobs), started once a day by the workers
(settings.DAILY_JOBS): the same work as `hoptac remind`, which cron may still run instead."""

import datetime

from django.utils.translation import gettext as _

from hoptac.core.jobs import Outcome, job_task, start
from hoptac.reporting import services
from hoptac.reporting.models import Obligation


@job_task
def daily_reminders(job, progress, day: str):
    """Make this year's reports due, then send the reminders of `day` (each is sent once)."""
    today = datetime.date.fromisoformat(day)
    obligations = list(Obligation.objects.all())
    created = 0
    for i, obligation in enumerate(obligations):
        progress.step(i, len(obligations), _("Making the year's reports due…"))
        created += services.generate_dues(obligation, today.year)
    sent = services.remind(today)
    return Outcome(
        summary={"summary_lines": [
            _("%(n)s reports made due; reminders sent: %(before)s before the due day, %(overdue)s overdue.")
            % {"n": created, **sent}
        ]},
    )  # fmt: skip


def launch_daily_reminders(key: str, day: datetime.date):
    return start(
        None, daily_reminders, kind="reminders", key=key, day=day.isoformat(),
        title=_("Daily reminders of %(day)s") % {"day": day.strftime("%d/%m/%Y")},
    )  # fmt: skip
