"""The reporting calendar and completeness dashboard, report submission, and the drafted report."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from hoptac.accounts import access
from hoptac.core import uploads
from hoptac.core.audit import Actor
from hoptac.core.jobs import start as start_job
from hoptac.core.validation import query_year, validate_year
from hoptac.geo.fields import resolve_ref
from hoptac.plans.models import Plan
from hoptac.reporting import documents, issuer, jobs, services
from hoptac.reporting.filters import ReportDueFilterSet
from hoptac.reporting.models import ReportDraft, ReportDue, Submission

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
@require_GET
def dashboard(request):
    today = timezone.localdate()
    try:
        year = query_year(request.GET, default=today.year)
    except ValidationError as exc:
        return HttpResponse(" ".join(exc.messages), status=400, content_type="text/plain; charset=utf-8")
    dues = ReportDueFilterSet({"year": year}, queryset=ReportDue.objects.restrict(request.user)).qs
    periods = []
    for key, label, due_date in (
        dues.values_list("period_key", "period_label", "due_date").distinct().order_by("due_date")
    ):
        period_dues = dues.filter(period_key=key, due_date=due_date)
        periods.append(
            {
                "key": key,
                "label": label,
                "due": due_date,
                "stats": services.completeness(period_dues),
                "open": due_date >= today - datetime.timedelta(days=120),
            }
        )
    # "Mine": the reports owed by the user's own agency or unit (whom they may submit for is wider).
    scope, agency = request.user.scope_unit, request.user.agency_id
    mine = [
        d
        for d in dues.select_related("agency", "unit", "obligation__plan").prefetch_related("submissions")
        if not request.user.is_national
        and (
            (agency and d.agency_id == agency)
            or (
                scope is not None
                and (d.unit_id == scope.pk or (d.agency_id and d.agency.unit_id == scope.pk))
            )
        )
    ]
    return render(
        request,
        "reporting/dashboard.html",
        {
            "year": year,
            "periods": periods,
            "today": today,
            "mine": mine,
            "years": range(today.year + 1, today.year - 4, -1),
        },
    )


@login_required
@require_POST
def submit(request, pk):
    due = get_object_or_404(ReportDue.objects.restrict(request.user), pk=pk)
    access.require(request.user, "submit_report", due)  # 403, not a message on a 200 page
    try:
        services.submit_report(
            Actor.from_request(request),
            due,
            request.POST.get("note", "").strip(),
            request.FILES.get("document"),
        )
        messages.success(request, _("Report received."))
    except ValidationError as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    return redirect(f"/reporting/?year={due.due_date.year}")


def parse_period(text: str) -> tuple[int, str]:
    """ "2025-H1" → (2025, first half-year label), "2025" → (2025, the year)."""
    year_text, _sep, part = (text or "").partition("-")
    if not (year_text.isascii() and year_text.isdigit()):
        raise ValidationError(_("A period such as 2025-H1 or 2025."))
    year = validate_year(int(year_text))
    if part == "H1":
        return year, f"6 tháng đầu năm {year}"
    if part == "":
        return year, f"năm {year}"
    raise ValidationError(_("A period such as 2025-H1 or 2025."))


def report_file(request, pk, fmt):
    plan = get_object_or_404(Plan.objects.restrict(request.user), pk=pk)
    try:
        unit = resolve_ref(request.GET.get("unit") or (plan.scope_unit.ref if plan.scope_unit_id else ""))
        year, label = parse_period(request.GET.get("period") or f"{timezone.localdate().year - 1}")
    except ValidationError as exc:
        return HttpResponse(" ".join(exc.messages), status=400, content_type="text/plain; charset=utf-8")
    access.require(request.user, "measure_unit", unit)
    period_key = f"{year}-H1" if label.startswith("6 tháng") else str(year)
    draft = ReportDraft.objects.filter(plan=plan, unit=unit, period_key=period_key).first()
    if fmt == "docx":
        today = timezone.localdate()
        try:
            block = issuer.choose(plan, request.user, today, request.GET.get("body"))
        except ValidationError as exc:
            return HttpResponse(" ".join(exc.messages), status=400, content_type="text/plain; charset=utf-8")
        content, mime = documents.build_docx(plan, unit, year, label, block, today, draft=draft), DOCX
    elif fmt == "xlsx":
        content, mime = documents.build_xlsx(plan, unit, year, label), XLSX
    else:
        raise Http404
    response = HttpResponse(content, content_type=mime)
    filename = documents.report_filename(plan, unit, period_key, timezone.localdate(), fmt)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def report_draft(request, pk):
    """The report before download: the sector's narrative from the data, and the difficulties and
    proposals the official writes (kept with the report for the plan, unit and period)."""
    plan = get_object_or_404(Plan.objects.restrict(request.user), pk=pk)
    try:
        unit = resolve_ref(request.GET.get("unit") or (plan.scope_unit.ref if plan.scope_unit_id else ""))
        period = request.GET.get("period") or f"{timezone.localdate().year - 1}"
        year, label = parse_period(period)
    except ValidationError as exc:
        return HttpResponse(" ".join(exc.messages), status=400, content_type="text/plain; charset=utf-8")
    access.require(request.user, "measure_unit", unit)
    period_key = f"{year}-H1" if label.startswith("6 tháng") else str(year)
    if request.method == "POST":
        try:
            services.save_draft(
                Actor.from_request(request), plan, unit, period_key,
                request.POST.get("difficulties", ""), request.POST.get("proposals", ""),
            )  # fmt: skip
            messages.success(request, _("Saved: the report will carry this text."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect(f"{request.path}?unit={unit.ref}&period={period_key}")
    from hoptac.reporting.narrative import sector_narrative

    draft = ReportDraft.objects.filter(plan=plan, unit=unit, period_key=period_key).first()
    context = {
        "plan": plan, "unit": unit, "year": year, "label": label, "period_key": period_key, "draft": draft,
        "narrative": sector_narrative(plan, unit, year), "targets": documents.report_rows(plan, unit, year)[0],
        "can_edit": request.user.can_write,
    }  # fmt: skip
    return render(request, "reporting/report_draft.html", context)


@login_required
@require_POST
def report_children(request, pk):
    """Draft the reports of every unit under this one, as a background job (one .zip)."""
    plan = get_object_or_404(Plan.objects.restrict(request.user), pk=pk)
    try:
        unit = resolve_ref(request.POST.get("unit") or (plan.scope_unit.ref if plan.scope_unit_id else ""))
        period = request.POST.get("period") or f"{timezone.localdate().year - 1}"
        parse_period(period)
    except ValidationError as exc:
        return HttpResponse(" ".join(exc.messages), status=400, content_type="text/plain; charset=utf-8")
    access.require(request.user, "measure_unit", unit)
    job = start_job(
        request.user, jobs.draft_reports, kind="reports", plan=plan.pk, ref=unit.ref, period=period,
        title=_("Reports of the units under %(unit)s (%(period)s)") % {"unit": unit.full_name(), "period": period},
    )  # fmt: skip
    return redirect("job", pk=job.pk)


@login_required
@require_GET
def report_download(request, pk, fmt):
    return report_file(request, pk, fmt)


@login_required
@require_GET
def notifications(request):
    """Reminders sent to this user; opening the page marks them read."""
    items = list(request.user.notifications.all()[:100])
    request.user.notifications.filter(read_at__isnull=True).update(read_at=timezone.now())
    return render(request, "reporting/notifications.html", {"notifications": items})


@login_required
@require_GET
def submission_document(request, pk):
    """The file of a received report, only to those who may see its reporting duty."""
    submission = get_object_or_404(
        Submission.objects.filter(due__in=ReportDue.objects.restrict(request.user)).exclude(document=""),
        pk=pk,
    )
    return uploads.serve(submission.document.name, f"bao-cao-{submission.due_id}-{submission.pk}")
