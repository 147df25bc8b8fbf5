"""`/api/v1/tasks/` (filter plan, agency, status) and `POST /api/v1/tasks/{id}/updates/`."""

from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from hoptac.core import serializers
from hoptac.core.api import Pagination
from hoptac.core.audit import Actor
from hoptac.core.concurrency import ConditionalMixin
from hoptac.core.models import Source
from hoptac.core.validation import MAX_YEAR, MIN_YEAR, query_int
from hoptac.tasks import services
from hoptac.tasks.filters import TaskFilterSet
from hoptac.tasks.models import Task, TaskStatus


def task_data(task, today) -> dict:
    due = task.due_on(today.year)
    return {
        "id": task.pk, "plan": task.plan_id, "code": task.code, "title": task.title, "clause": task.clause.ref if task.clause_id else None,
        "lead": task.lead_names, "partners": task.partner_names, "directing": task.directing_names,
        "target_units": [u.ref for u in task.target_units.all()], "indicators": task.indicators,
        "schedule": {"kind": task.schedule_kind, "wording": task.schedule_wording}, "due": due.isoformat() if due else None,
        "status": task.status_on(today), "version": task.version,
    }  # fmt: skip


class ScheduleSerializer(serializers.Serializer):
    kind = serializers.CharField()
    wording = serializers.CharField()


class TaskSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    plan = serializers.IntegerField()
    code = serializers.CharField()
    title = serializers.CharField()
    clause = serializers.CharField(allow_null=True, help_text="The plan's clause the task comes from.")
    lead = serializers.ListField(child=serializers.CharField())
    partners = serializers.ListField(child=serializers.CharField())
    directing = serializers.ListField(child=serializers.CharField())
    target_units = serializers.ListField(child=serializers.CharField())
    indicators = serializers.JSONField()
    schedule = ScheduleSerializer()
    due = serializers.DateField(allow_null=True)
    status = serializers.ChoiceField(choices=TaskStatus.choices)
    version = serializers.IntegerField()


class TaskListView(APIView):
    """Tasks of the plans the account sees, with their status today."""

    pagination_class = Pagination  # documents the paginated list and its page parameters

    @extend_schema(
        parameters=[
            OpenApiParameter("plan", int),
            OpenApiParameter("agency", int, description="Tasks led by this agency, or carried by it now."),
            OpenApiParameter("status", str, enum=list(TaskStatus.values)),
        ],
        responses=TaskSerializer(many=True),
    )
    def get(self, request):
        today = timezone.localdate()
        qs = (
            Task.objects.restrict(request.user)
            .select_related("clause")
            .prefetch_related("updates", "target_units")
        )
        params = request.query_params
        query_int(params, "plan"), query_int(params, "agency")  # 400 naming a malformed one
        qs = TaskFilterSet(params, queryset=qs).qs
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
    year = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=MIN_YEAR,
        max_value=MAX_YEAR,
        help_text="The occurrence of a recurring task reported on (default: this year); only for recurring tasks.",
    )


class UpdateCreatedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField()
    percent = serializers.IntegerField()
    year = serializers.IntegerField(allow_null=True)
    task_status = serializers.ChoiceField(choices=TaskStatus.choices)
    task_version = serializers.IntegerField(help_text="The task's version after this update (its ETag).")


class TaskUpdateView(ConditionalMixin, APIView):
    """A lead agency's report on a task (status, percent, note, evidence); never edited afterwards."""

    if_match_actions = ("post",)  # an update written from a stale view of the task is refused

    def current_representation(self, task):
        return task_data(task, timezone.localdate())

    @extend_schema(request=UpdateSerializer, responses={201: UpdateCreatedSerializer})
    def post(self, request, pk):
        task = get_object_or_404(Task.objects.restrict(request.user), pk=pk)
        payload = UpdateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        if data.get("year") is not None and not task.recurring:
            raise serializers.ValidationError({"year": [_("Only a recurring task is reported on per year.")]})
        update = services.add_update(
            Actor.from_request(request, Source.API),
            task,
            data["status"],
            data["percent"],
            data["note"],
            data.get("attachment"),
            year=data.get("year"),
            expected_version=self.expected_version(),
        )
        return Response(
            {
                "id": update.pk,
                "status": update.status,
                "percent": update.percent,
                "year": update.year,
                "task_status": task.status_on(timezone.localdate()),
                "task_version": update.task.version,
            },
            status=status.HTTP_201_CREATED,
        )


urlpatterns = [
    path("tasks/", TaskListView.as_view(), name="task-list"),
    path("tasks/<int:pk>/updates/", TaskUpdateView.as_view(), name="task-updates"),
]
