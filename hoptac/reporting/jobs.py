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


@job_task
def draft_reports(job, progress, plan: int, ref: str, period: str):
    """The report (.docx) and its annex (.xlsx) of every unit directly under `ref`, in one .zip.

    Reads only (nothing is written), so a cancel or a failure leaves nothing behind."""
    import io
    import zipfile

    from django.core.exceptions import ValidationError
    from django.utils import timezone

    from hoptac.accounts import access
    from hoptac.geo.fields import resolve_ref
    from hoptac.indicators.engine import UnitIndex
    from hoptac.plans.models import Plan
    from hoptac.reporting import documents, issuer
    from hoptac.reporting.models import ReportDraft
    from hoptac.reporting.views import parse_period

    the_plan = Plan.objects.restrict(job.owner).get(pk=plan)
    unit = resolve_ref(ref)
    access.require(job.owner, "measure_unit", unit)
    year, label = parse_period(period)
    period_key = f"{year}-H1" if label.startswith("6 tháng") else str(year)
    today = timezone.localdate()
    block = issuer.choose(the_plan, job.owner, today)
    children = [c for c in UnitIndex(on=datetime.date(year, 12, 31)).children(unit)
                if access.can(job.owner, "measure_unit", c)]  # fmt: skip
    if not children:
        raise ValidationError(_("This unit has no units under it in your area."))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for i, child in enumerate(children):
            progress.step(i, len(children), _("Drafting the report of %(unit)s…") % {"unit": child.name})
            draft = ReportDraft.objects.filter(plan=the_plan, unit=child, period_key=period_key).first()
            archive.writestr(
                documents.report_filename(the_plan, child, period_key, today, "docx"),
                documents.build_docx(the_plan, child, year, label, block, today, draft=draft),
            )
            archive.writestr(
                documents.report_filename(the_plan, child, period_key, today, "xlsx"),
                documents.build_xlsx(the_plan, child, year, label),
            )
    progress.step(len(children), len(children))
    return Outcome(
        file_name=f"bao-cao-{unit.ref.replace(':', '-')}-{period_key}.zip", file_bytes=buffer.getvalue(),
        message=_("%(n)s reports drafted.") % {"n": len(children)},
    )  # fmt: skip
