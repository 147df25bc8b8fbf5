"""Task lists by plan and agency, and a task page with its updates."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from hoptac.accounts import access
from hoptac.accounts.structure import body_choices, resolve_body_choice
from hoptac.core import uploads
from hoptac.core.audit import Actor
from hoptac.core.concurrency import StaleVersion
from hoptac.core.validation import query_int
from hoptac.geo.models import AdministrativeUnit, parse_date
from hoptac.tasks import services
from hoptac.tasks.filters import TaskFilterSet
from hoptac.tasks.models import Task, TaskStatus, TaskUpdate, carriers_on, ceased_leads


def tasks_with_status(qs, today):
    tasks = list(qs.select_related("plan", "clause").prefetch_related("lead", "updates", "target_units"))
    for task in tasks:
        task.current_status = task.status_on(today)
        task.current_status_label = TaskStatus(task.current_status).label
        task.current_due = task.due_on(today.year)
    return tasks


@login_required
@require_GET
def task_list(request):
    today = timezone.localdate()
    qs = Task.objects.restrict(request.user)
    try:
        query_int(request.GET, "plan"), query_int(request.GET, "agency")
    except ValidationError as exc:
        return HttpResponse(" ".join(exc.messages), status=400, content_type="text/plain; charset=utf-8")
    qs = TaskFilterSet(request.GET, queryset=qs).qs
    tasks = tasks_with_status(qs.distinct(), today)
    wanted = request.GET.get("status")
    if wanted in TaskStatus.values:
        tasks = [t for t in tasks if t.current_status == wanted]
    if request.GET.get("due") == "month":
        end = (today.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
        tasks = [t for t in tasks if t.current_due and today <= t.current_due < end]
    return render(
        request, "tasks/task_list.html", {"tasks": tasks, "statuses": TaskStatus.choices, "today": today}
    )


@login_required
@require_http_methods(["GET", "POST"])
def task_detail(request, pk):
    task = get_object_or_404(Task.objects.restrict(request.user).select_related("plan", "clause"), pk=pk)
    if request.method == "POST" and request.POST.get("action") == "carriers":
        return _record_carriers(request, task)
    if request.method == "POST":
        access.require(request.user, "update_task", task)  # 403: a refusal is never a 200 page
        try:
            services.add_update(
                Actor.from_request(request), task, request.POST.get("status", ""), int(request.POST.get("percent") or 0),
                request.POST.get("note", "").strip(), request.FILES.get("attachment"),
                expected_version=request.POST.get("version") or None,
            )  # fmt: skip
            messages.success(request, _("Progress recorded."))
            return redirect("tasks:detail", pk=task.pk)
        except StaleVersion as exc:  # someone recorded progress since the page was shown
            messages.error(request, str(exc))
            task.refresh_from_db()
        except (ValidationError, ValueError) as exc:
            messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    today = timezone.localdate()
    context = {
        "task": task, "status": TaskStatus(task.status_on(today)).label, "status_key": task.status_on(today), "due": task.due_on(today.year),
        "updates": task.updates.select_related("agency", "created_by"), "can_update": access.can(request.user, "update_task", task),
        "statuses": [c for c in TaskStatus.choices if c[0] != TaskStatus.OVERDUE],
        **carrier_context(request.user, task, today),
    }  # fmt: skip
    return render(request, "tasks/task_detail.html", context)


@login_required
@require_GET
def evidence(request, pk):
    """A task update's evidence file, only to those who may see the task (never a public URL)."""
    update = get_object_or_404(
        TaskUpdate.objects.filter(task__in=Task.objects.restrict(request.user)).exclude(attachment=""),
        pk=pk,
    )
    return uploads.serve(update.attachment.name, f"minh-chung-{update.task_id}-{update.pk}")


def carrier_context(user, task, today):
    """Who carries the task now, who did before ("trước đây"), and whether its body ceased."""
    context = {
        "carriers": carriers_on(task, today),
        "carrier_history": task.carriers.select_related("agency__unit").filter(until__isnull=False),
        "former_leads": [a for a in task.lead.select_related("unit") if not a.exists_on(today)],
        "ceased": ceased_leads(task, today),
        "can_record_carriers": access.can(user, "record_carriers", task.plan),
    }
    if context["can_record_carriers"] and task.plan.scope_unit_id:
        area = task.plan.scope_unit
        communes = AdministrativeUnit.objects.current_communes_covering(area, on=today).order_by("code")
        province = area.province if area.is_current else None
        province = province or (communes[0].province if communes else None)
        context["body_choices"] = body_choices(([province] if province else []) + list(communes), today)
    return context


def _record_carriers(request, task):
    try:
        since = parse_date(request.POST.get("since", ""))
    except ValueError as exc:
        messages.error(request, str(exc))
        return redirect("tasks:detail", pk=task.pk)
    agencies = [resolve_body_choice(v, since) for v in request.POST.getlist("bodies")]
    try:
        services.set_carriers(
            Actor.from_request(request),
            task,
            [a for a in agencies if a],
            since,
            request.POST.get("note", "").strip(),
        )
        messages.success(request, _("The bodies carrying this task are recorded."))
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    return redirect("tasks:detail", pk=task.pk)
