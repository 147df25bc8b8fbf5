"""The reporting calendar and completeness dashboard, report submission, and the drafted report."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hoptac.accounts import access
from hoptac.core import numbers, uploads
from hoptac.core.audit import Actor
from hoptac.core.jobs import start as start_job
from hoptac.core.validation import query_int, query_year, validate_year
from hoptac.geo.fields import resolve_ref
from hoptac.plans.models import Plan
from hoptac.reporting import documents, information, issuer, jobs, services
from hoptac.reporting.filters import ReportDueFilterSet
from hoptac.reporting.models import InformationUpdateDue, ReportDraft, ReportDue, Submission

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


# ---- the annual information update (TT 09/2024/TT-BKHĐT Điều 6) ----------------------------


@login_required
@require_GET
def information_updates(request):
    """Officers: per commune, how many organisations owe the year's update and how many made it."""
    from django.core.paginator import Paginator
    from django.db.models import Count, F, Q

    from hoptac.registry.models import Organisation

    today = timezone.localdate()
    try:
        year = query_year(request.GET, default=today.year)
        commune = query_int(request.GET, "commune")
    except ValidationError as exc:
        return HttpResponse(" ".join(exc.messages), status=400, content_type="text/plain; charset=utf-8")
    if year <= today.year:  # a year to come owes nothing yet
        information.ensure_dues(year, Organisation.objects.restrict(request.user))
    dues = InformationUpdateDue.objects.restrict(request.user).filter(year=year)
    by_commune = list(
        dues.values("organisation__commune", "organisation__commune__name")
        .annotate(
            expected=Count("pk"),
            submitted=Count("pk", filter=Q(submitted_on__isnull=False)),
            on_time=Count("pk", filter=Q(submitted_on__lte=F("due_date"))),
        )
        .order_by("organisation__commune__name")
    )
    for row in by_commune:
        row["missing"] = row["expected"] - row["submitted"]
        row["percent"] = numbers.percent(100 * row["submitted"] / row["expected"]) if row["expected"] else ""
    missing = dues.filter(submitted_on__isnull=True).select_related("organisation__commune")
    if commune:
        missing = missing.filter(organisation__commune=commune)
    page = Paginator(missing.order_by("organisation__commune__name", "organisation__name"), 50).get_page(
        request.GET.get("page")
    )
    period = information.period(year)
    context = {
        "year": year, "years": [y for y in range(today.year, information.valid_from().year - 1, -1)],
        "period": period, "by_commune": by_commune, "page": page, "commune": commune, "today": today,
        "total": {k: sum(r[k] for r in by_commune) for k in ("expected", "submitted", "on_time", "missing")},
        "legal_source": information.rules()["legal_source"], "valid_from": information.valid_from(),
        # groups that may owe Form VII-1: registered under Luật HTX 2023 or not is not recorded
        "unknown_regime": Organisation.objects.restrict(request.user).existing().filter(kind="tht", tht_regime="").count(),
    }  # fmt: skip
    return render(request, "reporting/information_updates.html", context)


@login_required
@require_GET
def information_update_sheet(request, pk):
    """The update pre-filled from what hoptac holds (.xlsx), marked as built on unconfirmed fields."""
    due = get_object_or_404(
        InformationUpdateDue.objects.restrict(request.user).select_related("organisation__commune"), pk=pk
    )
    response = HttpResponse(information.build_xlsx(due, timezone.localdate()), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{information.filename(due)}"'
    return response


@login_required
@require_POST
def information_update_record(request, pk):
    """Record that the update was made in the national system (the day, the receipt)."""
    from hoptac.geo.models import parse_date

    due = get_object_or_404(InformationUpdateDue.objects.restrict(request.user), pk=pk)
    access.require(request.user, "submit_information_update", due)  # 403, not a message on a 200 page
    try:
        day = parse_date(request.POST.get("submitted_on", "")) if request.POST.get("submitted_on") else None
        services.record_information_update(
            Actor.from_request(request), due, day,
            request.POST.get("reference", ""), request.POST.get("note", ""),
        )  # fmt: skip
        messages.success(request, _("The annual update is recorded."))
    except ValueError as exc:
        messages.error(request, str(exc))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(request.POST.get("next") if _safe_next(request) else due.organisation.get_absolute_url())


def _safe_next(request) -> bool:
    from django.utils.http import url_has_allowed_host_and_scheme

    target = request.POST.get("next", "")
    return bool(target) and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()})


# ---- who carries a reporting duty (a province records it; tasks have the same form) ---------


@login_required
@require_http_methods(["GET", "POST"])
def obligation_detail(request, pk):
    """A plan's reporting duty: who reports and who receives it now, who did before, and the form
    a province officer records the current carriers with (`services.set_duty_carriers`)."""
    from django.core.exceptions import PermissionDenied

    from hoptac.accounts.structure import body_choices, resolve_body_choice
    from hoptac.geo.models import AdministrativeUnit, parse_date
    from hoptac.reporting.models import CarrierRole, Obligation, duty_carriers_on, duty_ceased_bodies

    obligation = get_object_or_404(
        Obligation.objects.filter(plan__in=Plan.objects.restrict(request.user)).select_related("plan"), pk=pk
    )
    plan = obligation.plan
    if request.method == "POST":
        access.require(request.user, "record_carriers", plan)  # 403, not a message on a 200 page
        try:
            since = parse_date(request.POST.get("since", ""))
            agencies = [resolve_body_choice(v, since) for v in request.POST.getlist("bodies")]
            services.set_duty_carriers(
                Actor.from_request(request), obligation, [a for a in agencies if a], since,
                request.POST.get("note", "").strip(), request.POST.get("role", CarrierRole.REPORTER),
            )  # fmt: skip
            messages.success(request, _("The bodies carrying this duty are recorded."))
        except ValueError as exc:
            messages.error(request, str(exc))
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        return redirect("reporting:obligation", pk=obligation.pk)
    today = timezone.localdate()
    roles = []
    for role, label in CarrierRole.choices:
        original = (
            [obligation.recipient_agency] if role == CarrierRole.RECIPIENT and obligation.recipient_agency_id
            else list(obligation.reporter_agencies.select_related("unit")) if role == CarrierRole.REPORTER else []
        )  # fmt: skip
        roles.append({
            "role": role, "label": label, "now": duty_carriers_on(obligation, today, role),
            "ceased": duty_ceased_bodies(obligation, today, role),
            "former": [a for a in original if a is not None and not a.exists_on(today)],
            "history": obligation.carriers.filter(role=role, until__isnull=False).select_related("agency__unit"),
        })  # fmt: skip
    can_record = access.can(request.user, "record_carriers", plan)
    choices = []
    area = plan.scope_unit
    if can_record and area is not None:
        communes = AdministrativeUnit.objects.current_communes_covering(area, on=today).order_by("code")
        province = (
            area.province if area.is_current and area.province_id else (area if area.is_current else None)
        )
        province = province or (communes[0].province if communes else None)
        choices = body_choices(([province] if province else []) + list(communes), today)
    context = {"obligation": obligation, "plan": plan, "roles": roles, "can_record": can_record,
               "choices": choices, "role_choices": CarrierRole.choices, "today": today}  # fmt: skip
    return render(request, "reporting/obligation_detail.html", context)
