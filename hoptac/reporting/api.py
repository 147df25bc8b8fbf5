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


class InformationUpdateSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    organisation = serializers.IntegerField()
    organisation_name = serializers.CharField()
    year = serializers.IntegerField()
    form = serializers.CharField(
        help_text="VII-1 (THT), VII-2 (HTX) or VII-3 (LH HTX) of TT 09/2024/TT-BKHĐT."
    )
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    due_date = serializers.DateField()
    submitted_on = serializers.DateField(allow_null=True)
    reference = serializers.CharField()
    on_time = serializers.BooleanField(allow_null=True)


class InformationUpdateListView(APIView):
    """The annual updates to the national cooperative information system (TT 09/2024/TT-BKHĐT
    Điều 6, due 15/12) owed by the organisations the account sees, and whether they were made."""

    pagination_class = Pagination

    @extend_schema(
        parameters=[
            OpenApiParameter("year", int, description="The year whose update is due on 15/12."),
            OpenApiParameter("organisation", int, description="One organisation's updates."),
        ],
        responses=InformationUpdateSerializer(many=True),
    )
    def get(self, request):
        from hoptac.core.validation import query_int, query_year
        from hoptac.reporting.models import InformationUpdateDue

        year = query_year(request.query_params)  # a 400 naming the parameter (core.api's handler)
        organisation = query_int(request.query_params, "organisation")
        dues = InformationUpdateDue.objects.restrict(request.user).select_related("organisation")
        if year:
            dues = dues.filter(year=year)
        if organisation:
            dues = dues.filter(organisation=organisation)
        items = [
            {"id": d.pk, "organisation": d.organisation_id, "organisation_name": d.organisation.name, "year": d.year,
             "form": d.form_code, "period_start": d.period_start.isoformat(), "period_end": d.period_end.isoformat(),
             "due_date": d.due_date.isoformat(), "submitted_on": d.submitted_on.isoformat() if d.submitted_on else None,
             "reference": d.reference, "on_time": d.on_time}
            for d in dues.order_by("-year", "organisation_id", "pk")
        ]  # fmt: skip
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
    path("information-updates/", InformationUpdateListView.as_view(), name="information-update-list"),
    path("plans/<int:pk>/report.<str:fmt>", ReportView.as_view(), name="plan-report"),
]
