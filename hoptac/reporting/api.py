"""`/api/v1/obligations/`, `/api/v1/submissions/?period=`, `/api/v1/plans/{id}/report.docx`."""

from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.views import APIView

from hoptac.core.api import Pagination
from hoptac.plans.models import Plan
from hoptac.reporting.filters import ReportDueFilterSet
from hoptac.reporting.models import Obligation, ReportDue
from hoptac.reporting.views import report_file


@extend_schema(request=OpenApiTypes.OBJECT, responses=OpenApiTypes.OBJECT)  # shapes in the docstring
class ObligationListView(APIView):
    def get(self, request):
        qs = Obligation.objects.filter(plan__in=Plan.objects.restrict(request.user)).select_related("plan")
        items = [
            {"id": o.pk, "plan": o.plan_id, "code": o.code, "wording": o.wording, "reporters": o.reporters_text,
             "recipient": o.recipient_text, "frequency": o.frequency, "due": o.due_days, "days_after_period": o.days_after_period}
            for o in qs
        ]  # fmt: skip
        paginator = Pagination()
        return paginator.get_paginated_response(paginator.paginate_queryset(items, request))


@extend_schema(request=OpenApiTypes.OBJECT, responses=OpenApiTypes.OBJECT)  # shapes in the docstring
class SubmissionListView(APIView):
    """Expected reports of a period with what arrived: completeness and timeliness per reporter."""

    def get(self, request):
        dues = (
            ReportDue.objects.restrict(request.user)
            .select_related("agency", "unit")
            .prefetch_related("submissions")
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
        paginator = Pagination()
        return paginator.get_paginated_response(paginator.paginate_queryset(items, request))


@extend_schema(request=OpenApiTypes.OBJECT, responses=OpenApiTypes.OBJECT)  # shapes in the docstring
class ReportView(APIView):
    def get(self, request, pk, fmt):
        return report_file(request, pk, fmt)


urlpatterns = [
    path("obligations/", ObligationListView.as_view(), name="obligation-list"),
    path("submissions/", SubmissionListView.as_view(), name="submission-list"),
    path("plans/<int:pk>/report.<str:fmt>", ReportView.as_view(), name="plan-report"),
]
