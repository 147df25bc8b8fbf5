"""Annual figures and assessments over REST, nested under an organisation.

GET/PUT  /api/v1/organisations/{id}/figures/{year}/          (PUT sets the fields it names)
POST     /api/v1/organisations/{id}/figures/{year}/submit/ | approve/ | reopen/ | return/
GET/PUT  /api/v1/organisations/{id}/assessment/{year}/
GET      /api/v1/figures/?year=&status=                       (review queue, scoped)
"""

from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from hoptac.core import serializers
from hoptac.core.audit import Actor
from hoptac.core.collation import by_name
from hoptac.core.concurrency import ConditionalMixin
from hoptac.core.models import Source
from hoptac.core.validation import query_year
from hoptac.figures import services
from hoptac.figures.fields import FIGURES, SIGNED
from hoptac.figures.models import AnnualFigures, Assessment
from hoptac.registry.models import Organisation


def _figure_serializer_field(figure):
    if figure.kind == "flag":
        return serializers.BooleanField(required=False)
    return serializers.IntegerField(
        required=False, allow_null=True, min_value=None if figure.name in SIGNED else 0
    )


class FiguresSerializer(serializers.Serializer):
    organisation = serializers.IntegerField(source="organisation_id", read_only=True)
    year = serializers.IntegerField(read_only=True)
    is_estimate = serializers.BooleanField(required=False, default=False)
    status = serializers.CharField(read_only=True)
    submitted_by = serializers.CharField(read_only=True)
    approved_by = serializers.CharField(read_only=True)
    approved_at = serializers.DateTimeField(read_only=True, allow_null=True)
    version = serializers.IntegerField(read_only=True)
    confirm_warnings = serializers.BooleanField(required=False, default=False, write_only=True)
    locals().update({f.name: _figure_serializer_field(f) for f in FIGURES})


class CriterionSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    name = serializers.CharField()
    max = serializers.FloatField()
    self = serializers.FloatField(allow_null=True, help_text="The cooperative's own score.")
    board = serializers.FloatField(allow_null=True, help_text="The assessing board's score.")


class ClassificationSerializer(serializers.Serializer):
    version = serializers.IntegerField(read_only=True, allow_null=True)
    score = serializers.FloatField(allow_null=True)
    grade = serializers.CharField(allow_null=True)
    not_rated_reason = serializers.CharField(allow_blank=True)
    override_reason = serializers.CharField(allow_blank=True, required=False)
    criteria = CriterionSerializer(many=True)


class VersionSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    approved_at = serializers.DateTimeField(allow_null=True)
    approved_by = serializers.CharField()
    reopened_at = serializers.DateTimeField(allow_null=True)
    reopened_by = serializers.CharField(allow_blank=True)
    reopen_reason = serializers.CharField(allow_blank=True)
    data = serializers.JSONField()


class FiguresDetailSerializer(FiguresSerializer):
    classification = ClassificationSerializer()
    versions = VersionSerializer(many=True)


def classification_data(assessment: Assessment | None) -> dict:
    if assessment is None:
        return {"version": None, "score": None, "grade": None, "not_rated_reason": "", "criteria": []}
    criteria = assessment.rubric.criteria.all()
    return {
        "version": assessment.version,
        "score": float(assessment.score) if assessment.score is not None else None,
        "grade": assessment.grade,
        "not_rated_reason": assessment.not_rated_reason,
        "override_reason": assessment.override_reason,
        "criteria": [
            {
                "number": c.number,
                "name": c.name,
                "max": float(c.max_points),
                "self": _num(assessment.self_scores.get(str(c.number))),
                "board": _num(assessment.board_scores.get(str(c.number))),
            }
            for c in criteria
        ],
    }


def _num(value):
    return float(value) if value is not None else None


def _organisation(request, pk) -> Organisation:
    return get_object_or_404(Organisation.objects.restrict(request.user), pk=pk)


def _actor(request) -> Actor:
    return Actor.from_request(request, Source.API)


ESTIMATE = OpenApiParameter(
    "estimate", str, enum=["0", "1"], description="1: the estimate; 0: the final figures."
)


class FiguresView(ConditionalMixin, APIView):
    """A cooperative's figures for a year (the final ones, else the estimate), with grade and versions."""

    def current_representation(self, figures):
        return FiguresSerializer(figures).data

    @extend_schema(parameters=[ESTIMATE], responses=FiguresDetailSerializer)
    def get(self, request, pk, year):
        organisation = _organisation(request, pk)
        estimate = request.query_params.get("estimate")
        sets = AnnualFigures.objects.filter(organisation=organisation, year=year)
        figures = (
            sets.filter(is_estimate=estimate == "1").first()
            if estimate is not None
            else sets.order_by("is_estimate").first()
        )
        if figures is None:
            raise NotFound(_("No figures for this year."))
        data = FiguresSerializer(figures).data
        data["classification"] = classification_data(
            Assessment.objects.filter(organisation=organisation, year=year).first()
        )
        data["versions"] = list(
            figures.versions.values(
                "number", "approved_at", "approved_by", "reopened_at", "reopened_by", "reopen_reason", "data"
            )
        )
        return Response(data)

    @extend_schema(
        description="Sets the figures it names (the others keep their values); refused once approved. "
        'Implausible values answer 400 with `error` "unconfirmed_warnings" and `warnings` by figure: '
        'send again with `"confirm_warnings": true` to keep them.',
        request=FiguresSerializer,
        responses=FiguresSerializer,
    )
    def put(self, request, pk, year):
        organisation = _organisation(request, pk)
        serializer = FiguresSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        values = dict(serializer.validated_data)
        is_estimate, confirm = values.pop("is_estimate", False), values.pop("confirm_warnings", False)
        try:
            figures = services.save_figures(
                _actor(request),
                organisation,
                year,
                values,
                is_estimate=is_estimate,
                confirm_warnings=confirm,
                expected_version=self.expected_version(),
            )
        except services.UnconfirmedWarnings as exc:
            return Response(
                {
                    "error": "unconfirmed_warnings",
                    "warnings": exc.warnings,
                    "detail": 'Check the warnings and send again with "confirm_warnings": true.',
                },
                status=status.HTTP_400_BAD_REQUEST,
            )
        return Response(FiguresSerializer(figures).data)


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField()
    is_estimate = serializers.BooleanField(required=False, default=False)


class EstimateSerializer(serializers.Serializer):
    is_estimate = serializers.BooleanField(required=False, default=False)


class ApproveSerializer(EstimateSerializer):
    note = serializers.CharField(
        required=False,
        default="",
        allow_blank=True,
        help_text="The reviewer's note acknowledging the plausibility flags; required when the "
        "figures have any (a 400 on `note` otherwise). Kept in the audit trail.",
    )


class FiguresActionView(APIView):
    """Submits the year's figures for approval, or approves them."""

    action_name = ""

    @extend_schema(request=EstimateSerializer, responses=FiguresSerializer)
    def post(self, request, pk, year):
        organisation = _organisation(request, pk)
        with_reason = self.action_name in ("reopen", "return")
        kind = ApproveSerializer if self.action_name == "approve" else EstimateSerializer
        payload = (ReasonSerializer if with_reason else kind)(data=request.data)
        payload.is_valid(raise_exception=True)
        is_estimate = payload.validated_data["is_estimate"]
        figures = get_object_or_404(
            AnnualFigures, organisation=organisation, year=year, is_estimate=is_estimate
        )
        actor = _actor(request)
        if self.action_name == "submit":
            figures = services.submit(actor, figures)
        elif self.action_name == "approve":
            figures = services.approve(actor, figures, payload.validated_data["note"])
        else:
            handler = services.reopen if self.action_name == "reopen" else services.return_for_correction
            figures = handler(actor, figures, payload.validated_data["reason"])
        return Response(FiguresSerializer(figures).data)


class FiguresApproveView(FiguresActionView):
    """Approves submitted figures (or reviews them, at the first of two levels). Figures with
    plausibility flags need the reviewer's `note` acknowledging them."""

    @extend_schema(request=ApproveSerializer, responses=FiguresSerializer)
    def post(self, request, pk, year):
        return super().post(request, pk, year)


class FiguresReasonView(FiguresActionView):
    """Reopens approved figures, or returns submitted ones for correction: the reason is kept."""

    @extend_schema(request=ReasonSerializer, responses=FiguresSerializer)
    def post(self, request, pk, year):
        return super().post(request, pk, year)


class AssessmentSerializer(serializers.Serializer):
    version = serializers.IntegerField(read_only=True)  # sent back from a GET: ignored, If-Match decides
    criteria = serializers.DictField(
        child=serializers.DecimalField(max_digits=5, decimal_places=2), required=False
    )
    board_criteria = serializers.DictField(
        child=serializers.DecimalField(max_digits=5, decimal_places=2), required=False
    )


class AssessmentView(ConditionalMixin, APIView):
    """The year's assessment under TT 01/2020 (15 criteria, self and board scores) and its grade."""

    def current_representation(self, assessment):
        return classification_data(assessment)

    @extend_schema(responses=ClassificationSerializer)
    def get(self, request, pk, year):
        organisation = _organisation(request, pk)
        assessment = get_object_or_404(Assessment, organisation=organisation, year=year)
        return Response(classification_data(assessment))

    @extend_schema(request=AssessmentSerializer, responses=ClassificationSerializer)
    def put(self, request, pk, year):
        organisation = _organisation(request, pk)
        payload = AssessmentSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        assessment = services.assess(
            _actor(request),
            organisation,
            year,
            self_scores=payload.validated_data.get("criteria"),
            board_scores=payload.validated_data.get("board_criteria"),
            expected_version=self.expected_version(),
        )
        return Response(classification_data(assessment))


class QueueSerializer(FiguresSerializer):
    id = serializers.IntegerField(read_only=True)
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)


class ReviewQueueView(ListAPIView):
    serializer_class = QueueSerializer

    def get_queryset(self):
        qs = (
            AnnualFigures.objects.restrict(self.request.user)
            .select_related("organisation")
            .order_by(*by_name("organisation__name", "-year"))
        )
        params = self.request.query_params
        if (year := query_year(params)) is not None:
            qs = qs.filter(year=year)
        if params.get("status"):
            qs = qs.filter(status=params["status"])
        return qs


urlpatterns = [
    path("figures/", ReviewQueueView.as_view(), name="figures-queue"),
    path("organisations/<int:pk>/figures/<year:year>/", FiguresView.as_view(), name="figures-detail"),
    path(
        "organisations/<int:pk>/figures/<year:year>/submit/",
        FiguresActionView.as_view(action_name="submit"),
        name="figures-submit",
    ),
    path(
        "organisations/<int:pk>/figures/<year:year>/approve/",
        FiguresApproveView.as_view(action_name="approve"),
        name="figures-approve",
    ),
    path(
        "organisations/<int:pk>/figures/<year:year>/reopen/",
        FiguresReasonView.as_view(action_name="reopen"),
        name="figures-reopen",
    ),
    path(
        "organisations/<int:pk>/figures/<year:year>/return/",
        FiguresReasonView.as_view(action_name="return"),
        name="figures-return",
    ),
    path(
        "organisations/<int:pk>/assessment/<year:year>/", AssessmentView.as_view(), name="assessment-detail"
    ),
]
