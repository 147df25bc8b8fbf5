"""`/api/v1/tasks/` (filter plan, agency, status) and `POST /api/v1/tasks/{id}/updates/`."""

from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from hoptac.core import serializers
from hoptac.core.api import Pagination
from hoptac.core.audit import Actor
from hoptac.core.models import Source
from hoptac.tasks import services
from hoptac.tasks.models import Task, TaskStatus


def task_data(task, today) -> dict:
    due = task.due_on(today.year)
    return {
        "id": task.pk, "plan": task.plan_id, "code": task.code, "title": task.title, "clause": task.clause.ref if task.clause_id else None,
        "lead": task.lead_names, "partners": task.partner_names, "directing": task.directing_names,
        "target_units": [u.ref for u in task.target_units.all()], "indicators": task.indicators,
        "schedule": {"kind": task.schedule_kind, "wording": task.schedule_wording}, "due": due.isoformat() if due else None,
        "status": task.status_on(today),
    }  # fmt: skip


@extend_schema(request=OpenApiTypes.OBJECT, responses=OpenApiTypes.OBJECT)  # shapes in the docstring
class TaskListView(APIView):
    def get(self, request):
        today = timezone.localdate()
        qs = (
            Task.objects.visible_to(request.user)
            .select_related("clause")
            .prefetch_related("updates", "target_units")
        )
        params = request.query_params
        if params.get("plan", "").isdigit():
            qs = qs.filter(plan_id=int(params["plan"]))
        if params.get("agency", "").isdigit():
            qs = qs.filter(lead__id=int(params["agency"])).distinct()
        items = [task_data(t, today) for t in qs]
        if params.get("status"):
            items = [i for i in items if i["status"] == params["status"]]
        paginator = Pagination()
        page = paginator.paginate_queryset(items, request)
        return paginator.get_paginated_response(page)


class UpdateSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=[TaskStatus.NOT_STARTED, TaskStatus.IN_PROGRESS, TaskStatus.DONE]
    )
    percent = serializers.IntegerField(min_value=0, max_value=100, required=False, default=0)
    note = serializers.CharField(required=False, allow_blank=True, default="")
    attachment = serializers.FileField(required=False)


@extend_schema(request=OpenApiTypes.OBJECT, responses=OpenApiTypes.OBJECT)  # shapes in the docstring
class TaskUpdateView(APIView):
    def post(self, request, pk):
        task = get_object_or_404(Task.objects.visible_to(request.user), pk=pk)
        payload = UpdateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        update = services.add_update(
            Actor.from_request(request, Source.API),
            task,
            data["status"],
            data["percent"],
            data["note"],
            data.get("attachment"),
        )
        return Response(
            {
                "id": update.pk,
                "status": update.status,
                "percent": update.percent,
                "task_status": task.status_on(timezone.localdate()),
            },
            status=status.HTTP_201_CREATED,
        )


urlpatterns = [
    path("tasks/", TaskListView.as_view(), name="task-list"),
    path("tasks/<int:pk>/updates/", TaskUpdateView.as_view(), name="task-updates"),
]
