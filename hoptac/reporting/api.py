"""`/api/v1/obligations/`, `/api/v1/submissions/?period=`, `/api/v1/plans/{id}/report.docx`."""

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import NotFound
from rest_framework.views import APIView

from hoptac.accounts import access
from hoptac.core import serializers
from hoptac.core.api import Pagination
from hoptac.geo.fields import resolve_ref
from hoptac.plans.models import Plan
from hoptac.reporting import issuer
from hoptac.reporting.filters import ReportDueFilterSet
from hoptac.reporting.models import Obligation, ReportDue
from hoptac.reporting.views import DOCX, XLSX, parse_period, report_file


class ObligationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    plan = serializers.IntegerField()
    code = serializers.CharField()
    wording = serializers.CharField()
    reporters = serializers.CharField()
    recipient = serializers.CharField()
    frequency = serializers.CharField()
    due = serializers.ListField(child=serializers.CharField(), help_text='Fixed days as "MM-DD".')
    days_after_period = serializers.IntegerField(allow_null=True)


class SubmissionStateSerializer(serializers.Serializer):
    due_id = serializers.IntegerField()
    obligation = serializers.IntegerField()
    period = serializers.CharField()
    due_date = serializers.DateField()
    reporter = serializers.CharField()
    reporter_unit = serializers.CharField(allow_null=True)
    reporter_agency = serializers.IntegerField(allow_null=True)
    submitted_at = serializers.DateTimeField(allow_null=True)
    on_time = serializers.BooleanField(allow_null=True)


def _page(request, items):
    paginator = Pagination()
    return paginator.get_paginated_response(paginator.paginate_queryset(items, request))


class ObligationListView(APIView):
    """The reporting obligations of the plans the account sees."""

    pagination_class = Pagination  # documents the paginated list and its page parameters

    @extend_schema(responses=ObligationSerializer(many=True))
    def get(self, request):
        qs = Obligation.objects.filter(plan__in=Plan.objects.restrict(request.user)).select_related("plan")
        items = [
            {"id": o.pk, "plan": o.plan_id, "code": o.code, "wording": o.wording, "reporters": o.reporters_text,
             "recipient": o.recipient_text, "frequency": o.frequency, "due": o.due_days, "days_after_period": o.days_after_period}
            for o in qs.order_by("id")
        ]  # fmt: skip
        return _page(request, items)


class SubmissionListView(APIView):
    """Expected reports of a period with what arrived: completeness and timeliness per reporter."""

    pagination_class = Pagination

    @extend_schema(
        parameters=[OpenApiParameter("period", str, description="A period key such as 2025-H1 or 2025.")],
        responses=SubmissionStateSerializer(many=True),
    )
    def get(self, request):
        dues = (
            ReportDue.objects.restrict(request.user)
            .select_related("agency", "unit")
            .prefetch_related("submissions")
            .order_by("due_date", "id")
        )
        dues = ReportDueFilterSet(request.query_params, queryset=dues).qs
        items = []
        for due in dues:
            first = min(due.submissions.all(), key=lambda s: s.submitted_at, default=None)
            items.append({
                "due_id": due.pk, "obligation": due.obligation_id, "period": due.period_key, "due_date": due.due_date.isoformat(),
                "reporter": str(due.reporter), "reporter_unit": due.unit.ref if due.unit_id else None,
                "reporter_agency": due.agency_id, "submitted_at": first.submitted_at.isoformat() if first else None,
                "on_time": first.on_time if first else None,
            })  # fmt: skip
        return _page(request, items)


class ReportView(APIView):
    """The drafted report of a plan for a unit and period, as Word (`docx`) or Excel (`xlsx`)."""

    @extend_schema(
        parameters=[
            OpenApiParameter("fmt", str, OpenApiParameter.PATH, enum=["docx", "xlsx"]),
            OpenApiParameter("unit", str, description="The unit reported on (default: the plan's)."),
            OpenApiParameter("period", str, description="2025-H1 or 2025 (default: last year)."),
            OpenApiParameter(
                "body", int, description="Word only: the issuing body (an agency id among the candidates)."
            ),
        ],
        responses={(200, DOCX): OpenApiTypes.BINARY, (200, XLSX): OpenApiTypes.BINARY},
    )
    def get(self, request, pk, fmt):
        if fmt not in ("docx", "xlsx"):
            raise NotFound()
        errors = {}
        for name, check in (("unit", resolve_ref), ("period", parse_period)):
            if request.query_params.get(name):
                try:
                    check(request.query_params[name])
                except ValidationError as exc:
                    errors[name] = exc.messages
        if errors:
            raise serializers.ValidationError(errors)
        if fmt == "docx":
            self._check_issuer(request, pk)
        return report_file(request, pk, fmt)

    @staticmethod
    def _check_issuer(request, pk):
        """A report is issued by a body that exists that day (`?body=`, else the first candidate): a 400 here."""
        plan = get_object_or_404(Plan.objects.restrict(request.user), pk=pk)
        ref = request.query_params.get("unit") or (plan.scope_unit.ref if plan.scope_unit_id else "")
        access.require(request.user, "measure_unit", resolve_ref(ref))
        try:
            issuer.choose(plan, request.user, timezone.localdate(), request.query_params.get("body"))
        except ValidationError as exc:
            raise serializers.ValidationError({"body": exc.messages}) from exc


urlpatterns = [
    path("obligations/", ObligationListView.as_view(), name="obligation-list"),
    path("submissions/", SubmissionListView.as_view(), name="submission-list"),
    path("plans/<int:pk>/report.<str:fmt>", ReportView.as_view(), name="plan-report"),
]
