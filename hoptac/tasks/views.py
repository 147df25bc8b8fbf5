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

from hoptac.core.audit import Actor
from hoptac.core.validation import query_int
from hoptac.tasks import services
from hoptac.tasks.models import Task, TaskStatus


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
    qs = Task.objects.visible_to(request.user)
    try:
        plan, agency = query_int(request.GET, "plan"), query_int(request.GET, "agency")
    except ValidationError as exc:
        return HttpResponse(" ".join(exc.messages), status=400, content_type="text/plain; charset=utf-8")
    if plan is not None:
        qs = qs.filter(plan_id=plan)
    if agency is not None:
        qs = qs.filter(lead__id=agency)
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
    task = get_object_or_404(Task.objects.visible_to(request.user).select_related("plan", "clause"), pk=pk)
    if request.method == "POST":
        try:
            services.add_update(
                Actor.from_request(request), task, request.POST.get("status", ""), int(request.POST.get("percent") or 0),
                request.POST.get("note", "").strip(), request.FILES.get("attachment"),
            )  # fmt: skip
            messages.success(request, _("Progress recorded."))
            return redirect("tasks:detail", pk=task.pk)
        except (ValidationError, PermissionDenied, ValueError) as exc:
            messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    today = timezone.localdate()
    context = {
        "task": task, "status": TaskStatus(task.status_on(today)).label, "status_key": task.status_on(today), "due": task.due_on(today.year),
        "updates": task.updates.select_related("agency", "created_by"), "can_update": services.can_update(request.user, task),
        "statuses": [c for c in TaskStatus.choices if c[0] != TaskStatus.OVERDUE],
    }  # fmt: skip
    return render(request, "tasks/task_detail.html", context)
